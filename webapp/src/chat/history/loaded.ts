/**
 * A saved conversation, from the API's messages to what the screen shows, and the way back
 * to a turn the API kept although its answer never started (see `findSavedTurn`).
 */
import type { ApiClient } from '../../api/client';
import type { StoredMessage } from '../../api/conversations';
import { clientProblem } from '../../api/problem';
import { PROBLEM_PREFIX, type Problem } from '../../api/types';
import type { SavedTurn } from '../controller';
import { makeMessage, type ConversationMessage } from '../store';
import { DEFAULT_TITLE } from './list-state';

/** A stored answer that failed: the API keeps the status, not the reason. */
export function storedFailure(detail: string): Problem {
  return {
    type: `${PROBLEM_PREFIX}answer-failed`,
    title: 'No answer',
    status: null,
    detail,
    retryAfter: null,
    requestId: null,
    errors: [],
  };
}

const FAILED = 'This answer failed. Try again.';
const MISSING = 'No answer was saved for this message. Try again.';

export function messagesFromServer(stored: readonly StoredMessage[]): ConversationMessage[] {
  const messages = stored.map((message) => {
    const common = { id: message.id, serverId: message.id, text: message.content, createdAt: message.created, model: message.model, usage: message.usage };
    if (message.role === 'user') return makeMessage('user', common);
    switch (message.status) {
      case 'complete':
      case 'stopped':
        return makeMessage('assistant', { ...common, status: message.status });
      case 'interrupted':
        return makeMessage('assistant', { ...common, status: 'failed', error: clientProblem('stream-interrupted') });
      case 'failed':
        return makeMessage('assistant', { ...common, status: 'failed', error: storedFailure(FAILED) });
    }
  });
  // A question without an answer (the API kept the message, the answer was never saved):
  // show the gap, with Retry (= regenerate).
  if (messages.at(-1)?.role === 'user') {
    messages.push(makeMessage('assistant', { status: 'failed', error: storedFailure(MISSING) }));
  }
  return messages;
}

const same = (a: string, b: string): boolean => a.trim() === b.trim();

/** The id of `text` as the last user message of `messages` (only answers after it), if new. */
function lastUserMessage(messages: readonly StoredMessage[], text: string, knownIds: ReadonlySet<string>): string | null {
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const message = messages[i];
    if (message === undefined) break;
    if (message.role === 'assistant') continue;
    return same(message.content, text) && !knownIds.has(message.id) ? message.id : null;
  }
  return null;
}

/** How recent a conversation must be to be the one the failed request created. */
const RECENT_MS = 10 * 60 * 1000;
const CANDIDATES = 3;

/**
 * The API saves the user's message before it calls the model, so a saved chat whose
 * answer failed (or was stopped) before the `start` event may still exist on the server
 * — but its id was never sent. Look for it: in the conversation itself, or for a new chat
 * among the newest untitled ones whose only question is `text`.
 */
export function createSavedTurnFinder(
  client: Pick<ApiClient, 'getConversation' | 'listConversations'>,
  now: () => number = Date.now,
): (conversationId: string | null, text: string, knownIds: ReadonlySet<string>) => Promise<SavedTurn | null> {
  return async (conversationId, text, knownIds) => {
    if (conversationId !== null) {
      const { messages } = await client.getConversation(conversationId);
      const userMessageId = lastUserMessage(messages, text, knownIds);
      return userMessageId === null ? null : { conversationId, userMessageId };
    }
    const page = await client.listConversations({ limit: 10 });
    const candidates = page.items
      .filter((item) => !item.pinned && item.title === DEFAULT_TITLE && item.updated >= now() - RECENT_MS)
      .slice(0, CANDIDATES);
    for (const candidate of candidates) {
      const { messages } = await client.getConversation(candidate.id);
      if (messages.filter((message) => message.role === 'user').length !== 1) continue;
      const userMessageId = lastUserMessage(messages, text, knownIds);
      if (userMessageId !== null) return { conversationId: candidate.id, userMessageId };
    }
    return null;
  };
}
