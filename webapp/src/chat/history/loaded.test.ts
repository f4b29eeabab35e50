import { describe, expect, it, vi } from 'vitest';
import type { ConversationSummary, StoredMessage } from '../../api/conversations';
import { createSavedTurnFinder, messagesFromServer } from './loaded';

const stored = (id: string, role: 'user' | 'assistant', content: string, status: StoredMessage['status'] = 'complete'): StoredMessage => ({
  id,
  role,
  content,
  created: 0,
  status,
  model: null,
  usage: null,
});

describe('messagesFromServer', () => {
  it('keeps server ids and maps the stored statuses to what the screen shows', () => {
    const messages = messagesFromServer([
      stored('u1', 'user', 'Q1'),
      stored('a1', 'assistant', 'Half', 'stopped'),
      stored('u2', 'user', 'Q2'),
      stored('a2', 'assistant', 'Broke', 'interrupted'),
      stored('u3', 'user', 'Q3'),
      stored('a3', 'assistant', '', 'failed'),
    ]);
    expect(messages.map((message) => [message.id, message.serverId, message.status])).toEqual([
      ['u1', 'u1', 'complete'],
      ['a1', 'a1', 'stopped'],
      ['u2', 'u2', 'complete'],
      ['a2', 'a2', 'failed'],
      ['u3', 'u3', 'complete'],
      ['a3', 'a3', 'failed'],
    ]);
    expect(messages[3]?.error?.type).toBe('urn:chat-on-azure:problem:stream-interrupted');
    expect(messages[5]?.error).toMatchObject({ type: 'urn:chat-on-azure:problem:answer-failed', detail: 'This answer failed. Try again.' });
  });

  it('shows a question that has no answer as a failed answer (to retry)', () => {
    const messages = messagesFromServer([stored('u1', 'user', 'Q')]);
    expect(messages).toHaveLength(2);
    expect(messages[1]).toMatchObject({ role: 'assistant', status: 'failed', serverId: null, error: { detail: 'No answer was saved for this message. Try again.' } });
  });
});

describe('createSavedTurnFinder', () => {
  const now = Date.parse('2026-06-10T12:00:00Z');
  const summary = (id: string, extra: Partial<ConversationSummary> = {}): ConversationSummary => ({
    id,
    title: 'New chat',
    created: now - 1000,
    updated: now - 1000,
    pinned: false,
    archived: false,
    etag: '',
    ...extra,
  });

  function client(conversations: Record<string, StoredMessage[]>, list: ConversationSummary[]) {
    return {
      getConversation: vi.fn(async (id: string) => ({ conversation: summary(id), messages: conversations[id] ?? [] })),
      listConversations: vi.fn(async () => ({ items: list, continuation: null })),
    };
  }

  it('finds the message in the open conversation, unless it is one already on screen', async () => {
    const api = client({ c1: [stored('u1', 'user', 'Hi'), stored('a1', 'assistant', 'Hello'), stored('u2', 'user', 'Again'), stored('a2', 'assistant', '', 'failed')] }, []);
    const find = createSavedTurnFinder(api, () => now);
    await expect(find('c1', 'Again', new Set(['u1', 'a1']))).resolves.toEqual({ conversationId: 'c1', userMessageId: 'u2' });
    await expect(find('c1', 'Again', new Set(['u2']))).resolves.toBeNull();
    await expect(find('c1', 'Something else', new Set())).resolves.toBeNull();
  });

  it('finds the conversation a failed first message created among the newest untitled ones', async () => {
    const api = client(
      {
        old: [stored('x', 'user', 'Hi')],
        other: [stored('o1', 'user', 'Different')],
        mine: [stored('m1', 'user', 'Hi'), stored('m2', 'assistant', '', 'failed')],
      },
      [
        summary('titled', { title: 'Trip plans' }),
        summary('other'),
        summary('mine'),
        summary('old', { updated: now - 60 * 60 * 1000 }),
      ],
    );
    const find = createSavedTurnFinder(api, () => now);
    await expect(find(null, 'Hi', new Set())).resolves.toEqual({ conversationId: 'mine', userMessageId: 'm1' });
    expect(api.getConversation.mock.calls.map(([id]) => id)).toEqual(['other', 'mine']);
  });
});
