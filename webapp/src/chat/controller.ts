/**
 * What happens when the user sends, stops or retries: the conversation state machine,
 * independent of the DOM. The user's message is added at once and never removed; the
 * answer streams into an assistant message whose status ends as `complete`, `stopped` or
 * `failed`. When a request fails before any text arrived, the user's text goes back into
 * the composer as well (the message also stays in the list).
 *
 * A chat is either saved (the API keeps it: the request carries the next `message`, and the
 * `conversation_id` once the `start` event has given one; Retry is `regenerate`) or
 * temporary (the request carries every message, nothing is stored): see {@link ChatTarget}.
 */
import { applyEvent, endAnswer, initialAnswer, type AnswerState } from '../api/answer';
import { isAbortError, type ApiClient } from '../api/client';
import { ApiError, clientProblem } from '../api/problem';
import type { ChatMessage, ChatOptions, ChatRequest, Problem, StartEvent, StartFrom } from '../api/types';
import type { ConversationMessage, ConversationStore, MessagePatch } from './store';

/** Where the messages of the screen go. */
export interface ChatTarget {
  readonly temporary: boolean;
  /** Saved chats: the conversation, null until the API has created it (first `start`). */
  readonly conversationId: string | null;
}

export const NEW_SAVED_CHAT: ChatTarget = Object.freeze({ temporary: false, conversationId: null });
export const NEW_TEMPORARY_CHAT: ChatTarget = Object.freeze({ temporary: true, conversationId: null });

/** What the API kept of a turn whose answer never started (see `findSavedTurn`). */
export interface SavedTurn {
  readonly conversationId: string;
  readonly userMessageId: string;
}

export interface ConversationStarted {
  readonly conversationId: string;
  /** The API created the conversation with this turn. */
  readonly isNew: boolean;
}

export interface ChatControllerOptions {
  readonly store: ConversationStore;
  readonly client: Pick<ApiClient, 'streamChat'>;
  /** The request failed before any text arrived: offer `text` in the composer again. */
  readonly restoreDraft: (text: string) => void;
  /** A retry is under way for `text`: drop it from the composer if it is still there unchanged. */
  readonly discardRestoredDraft: (text: string) => void;
  /** Say something to screen readers (a polite live region). */
  readonly announce: (message: string) => void;
  /** Settings to send along (model, system prompt…), and what a new chat starts from. */
  readonly requestOptions?: () => ChatOptions & StartFrom;
  /** Where the first message goes; defaults to a new saved chat. */
  readonly initialTarget?: ChatTarget;
  /** Awaited before each request (the app waits for `/api/me`, which says whether history exists). */
  readonly ready?: () => Promise<unknown>;
  /** A saved chat got its conversation id (`start`), or an existing one got a new turn. */
  readonly onConversationStarted?: (started: ConversationStarted) => void;
  /** The `title` event of a new conversation. */
  readonly onTitle?: (conversationId: string, title: string) => void;
  /**
   * A saved chat's answer failed or was stopped before `start`: the API may still have
   * kept the user's message (it saves it before calling the model), and created the
   * conversation. Resolve with where, or null when it did not. `knownIds` are server ids
   * already on screen (not the message looked for).
   */
  readonly findSavedTurn?: (conversationId: string | null, text: string, knownIds: ReadonlySet<string>) => Promise<SavedTurn | null>;
}

export interface ChatController {
  /** Send a user message and stream the answer; resolves when the answer has ended. */
  send(text: string): Promise<void>;
  /** Stop the answer being streamed; its text so far is kept, marked stopped. */
  stop(): void;
  /** Ask again for the last answer (Retry after a failure, Regenerate after an answer). */
  retry(assistantId: string): Promise<void>;
  canRetry(assistantId: string): boolean;
  /**
   * Replace the text of a user message, drop every message after it, and answer it again.
   * Nothing happens while an answer streams or when `canEdit` says no.
   */
  edit(userId: string, text: string): Promise<void>;
  canEdit(userId: string): boolean;
  isBusy(): boolean;
  onBusyChange(listener: (busy: boolean) => void): () => void;
  /** The text of the message in flight while no answer text has arrived yet, else null. */
  pendingText(): string | null;
  target(): ChatTarget;
  /**
   * Switch to another conversation (the app resets the store around it). An answer still
   * streaming is stopped (the API keeps its text, marked stopped) and no longer touches
   * the store.
   */
  setTarget(target: ChatTarget): void;
  /** Make a chat that has no conversation yet temporary or saved. */
  setTemporary(temporary: boolean): void;
}

/**
 * The `messages` of a request answering `messages[userIndex]`: earlier turns that got an
 * answer with text (complete, stopped or broken off), then the user message. A turn whose
 * answer has no text at all is left out: the model never saw it answered.
 */
export function buildHistory(messages: readonly ConversationMessage[], userIndex: number): ChatMessage[] {
  const history: ChatMessage[] = [];
  for (let i = 0; i < userIndex; i += 1) {
    const message = messages[i];
    const answer = messages[i + 1];
    if (message?.role !== 'user' || answer?.role !== 'assistant' || i + 1 >= userIndex) continue;
    if (answer.text.trim() !== '') {
      history.push({ role: 'user', content: message.text }, { role: 'assistant', content: answer.text });
    }
    i += 1;
  }
  const user = messages[userIndex];
  if (user?.role !== 'user') throw new Error('buildHistory: not a user message');
  history.push({ role: 'user', content: user.text });
  return history;
}

/**
 * The body of `POST /api/chat` answering `messages[userIndex]`.
 *
 * - temporary: every answered turn, `temporary: true`;
 * - saved, new message: `message` (+ `conversation_id` once known);
 * - saved, retry: `regenerate` when the API has the user's message (it has a server id),
 *   else the message again (the API never saw it, e.g. the request was refused before);
 * - saved, edit: `edit_message_id` when the API has the message, else the message again
 *   (only the last message can lack a server id: see `canEdit`).
 */
export function buildChatRequest(
  target: ChatTarget,
  messages: readonly ConversationMessage[],
  userIndex: number,
  options: ChatOptions & StartFrom = {},
  kind: RequestKind = 'send',
): ChatRequest {
  if (target.temporary) return { ...options, messages: buildHistory(messages, userIndex), temporary: true };
  const user = messages[userIndex];
  if (user?.role !== 'user') throw new Error('buildChatRequest: not a user message');
  if (target.conversationId === null) return { ...options, message: user.text };
  // A conversation keeps what it started from: the API refuses a preset with conversation_id.
  const { persona_id: _persona, assistant_id: _assistant, ...settings } = options;
  if (user.serverId !== null) {
    if (kind === 'retry') return { ...settings, conversation_id: target.conversationId, regenerate: true };
    if (kind === 'edit') {
      return { ...settings, conversation_id: target.conversationId, edit_message_id: user.serverId, message: user.text };
    }
  }
  return { ...settings, message: user.text, conversation_id: target.conversationId };
}

/** Why a request is made: a new message, Retry of the last answer, or an edited message. */
export type RequestKind = 'send' | 'retry' | 'edit';

/** What the live region says when an answer ends. */
export function announcement(message: ConversationMessage): string {
  switch (message.status) {
    case 'complete':
      if (message.finishReason === 'length') return 'Answer complete. It was cut off at the length limit.';
      if (message.finishReason === 'content_filter') return 'Answer ended. The content filter withheld the rest.';
      return 'Answer complete.';
    case 'stopped':
      return 'Answer stopped.';
    case 'failed':
      // The reason is on screen under the answer; repeating it here would put the same
      // sentence in the document twice.
      return 'The answer failed. The reason is shown under it.';
    case 'streaming':
      return '';
  }
}

/**
 * Whether `message` (the last one) may be asked for again: any answer that has ended. The
 * view calls it Retry when the answer failed or is empty, Regenerate when it has text.
 */
export function isRetryable(message: ConversationMessage | undefined): boolean {
  return message?.role === 'assistant' && message.status !== 'streaming';
}

const UNEXPECTED: Problem = clientProblem('internal-error', null, 'Something went wrong in the app. Try again.');

interface Run {
  readonly abort: AbortController;
  readonly userText: string;
  gotText: boolean;
  /** The user switched conversation: this run may no longer touch the store. */
  detached: boolean;
}

export function createChatController(options: ChatControllerOptions): ChatController {
  const { store, client } = options;
  let current: Run | null = null;
  let target: ChatTarget = options.initialTarget ?? NEW_SAVED_CHAT;
  /** Bumped on every switch: late results of an older conversation are dropped. */
  let generation = 0;
  /** A `findSavedTurn` under way; Retry waits for it. */
  let recovery: Promise<void> | null = null;
  const busyListeners = new Set<(busy: boolean) => void>();

  function setBusy(busy: boolean): void {
    for (const listener of busyListeners) listener(busy);
  }

  function onStart(event: StartEvent, userId: string, assistantId: string): void {
    if (target.temporary) return;
    const conversationId = event.conversationId;
    if (conversationId === null) return;
    const isNew = target.conversationId === null;
    if (isNew) target = { temporary: false, conversationId };
    else if (target.conversationId !== conversationId) return;
    if (event.userMessageId !== null && store.get(userId) !== undefined) store.update(userId, { serverId: event.userMessageId });
    if (event.assistantMessageId !== null) store.update(assistantId, { serverId: event.assistantMessageId });
    options.onConversationStarted?.({ conversationId, isNew });
  }

  /** No `start` came in a saved chat: ask whether the API kept the message anyway. */
  function recover(userId: string, userText: string): void {
    const find = options.findSavedTurn;
    if (find === undefined || target.temporary) return;
    const asked = generation;
    const known = new Set(store.messages().flatMap((message) => (message.serverId === null ? [] : [message.serverId])));
    const lookup = find(target.conversationId, userText, known)
      .then((found) => {
        if (found === null || asked !== generation || target.temporary) return;
        const isNew = target.conversationId === null;
        if (isNew) target = { temporary: false, conversationId: found.conversationId };
        else if (target.conversationId !== found.conversationId) return;
        if (store.get(userId) !== undefined) store.update(userId, { serverId: found.userMessageId });
        if (isNew) options.onConversationStarted?.({ conversationId: found.conversationId, isNew });
      })
      .catch(() => undefined)
      .finally(() => {
        if (recovery === lookup) recovery = null;
      });
    recovery = lookup;
  }

  async function answer(userId: string, assistantId: string, kind: RequestKind): Promise<void> {
    const abort = new AbortController();
    const userText = store.get(userId)?.text ?? '';
    const run: Run = { abort, userText, gotText: false, detached: false };
    current = run;
    setBusy(true);

    let state: AnswerState = initialAnswer;
    let started = false;
    const finish = (patch: MessagePatch): void => {
      if (run.detached) return;
      const message = store.update(assistantId, patch);
      if (message.status === 'failed' && message.text === '') options.restoreDraft(userText);
      options.announce(announcement(message));
      if (!started && message.status !== 'complete') recover(userId, userText);
    };
    try {
      if (options.ready !== undefined) await options.ready();
      // Whether the API kept the message decides between regenerate and sending it again.
      if (kind !== 'send' && recovery !== null) await recovery;
      if (run.detached) return;
      const messages = store.messages();
      const userIndex = messages.findIndex((message) => message.id === userId);
      const request = buildChatRequest(target, messages, userIndex, options.requestOptions?.(), kind);
      await client.streamChat(request, {
        signal: abort.signal,
        onEvent(event) {
          if (run.detached) return;
          if (event.type === 'title') {
            options.onTitle?.(event.conversationId, event.title);
            return;
          }
          const next = applyEvent(state, event);
          if (next === state) return;
          state = next;
          if (event.type === 'start') {
            started = true;
            onStart(event, userId, assistantId);
          }
          if (state.text !== '') run.gotText = true;
          store.update(assistantId, { text: state.text, model: state.model, omitted: state.omittedMessages });
        },
      });
      state = endAnswer(state);
      finish({
        text: state.text,
        model: state.model,
        usage: state.usage,
        finishReason: state.finishReason,
        error: state.error,
        status: state.error === null ? 'complete' : 'failed',
      });
    } catch (error) {
      if (isAbortError(error)) {
        finish({ text: state.text, model: state.model, status: 'stopped' });
      } else {
        finish({ text: state.text, model: state.model, status: 'failed', error: error instanceof ApiError ? error.problem : UNEXPECTED });
      }
    } finally {
      if (current === run) {
        current = null;
        setBusy(false);
      }
    }
  }

  function canRetry(assistantId: string): boolean {
    const messages = store.messages();
    const last = messages.at(-1);
    return current === null && last?.id === assistantId && isRetryable(last) && messages.at(-2)?.role === 'user';
  }

  function canEdit(userId: string): boolean {
    if (current !== null) return false;
    const messages = store.messages();
    const index = messages.findIndex((message) => message.id === userId);
    const message = messages[index];
    if (message?.role !== 'user') return false;
    if (target.temporary || message.serverId !== null) return true;
    // The API never saw it (refused before it was saved): only the last one can be sent
    // again as a new message without leaving saved turns after it on the server.
    return !messages.slice(index + 1).some((later) => later.role === 'user');
  }

  return {
    async send(text) {
      const content = text.trim();
      if (current !== null || content === '') return;
      const user = store.add('user', { text: content, status: 'complete' });
      const assistant = store.add('assistant', { status: 'streaming' });
      await answer(user.id, assistant.id, 'send');
    },
    stop() {
      current?.abort.abort();
    },
    async retry(assistantId) {
      if (!canRetry(assistantId)) return;
      const user = store.messages().at(-2);
      if (user === undefined) return;
      store.update(assistantId, {
        text: '',
        status: 'streaming',
        error: null,
        finishReason: null,
        usage: null,
        model: null,
        omitted: 0,
        serverId: null,
      });
      options.discardRestoredDraft(user.text);
      await answer(user.id, assistantId, 'retry');
    },
    canRetry,
    async edit(userId, text) {
      const content = text.trim();
      if (content === '' || !canEdit(userId)) return;
      const messages = store.messages();
      const index = messages.findIndex((message) => message.id === userId);
      for (const later of messages.slice(index + 1)) store.remove(later.id);
      store.update(userId, { text: content });
      const assistant = store.add('assistant', { status: 'streaming' });
      await answer(userId, assistant.id, 'edit');
    },
    canEdit,
    isBusy: () => current !== null,
    onBusyChange(listener) {
      busyListeners.add(listener);
      return () => busyListeners.delete(listener);
    },
    pendingText: () => (current !== null && !current.gotText ? current.userText : null),
    target: () => target,
    setTarget(next) {
      generation += 1;
      recovery = null;
      const run = current;
      if (run !== null) {
        run.detached = true;
        run.abort.abort();
        current = null;
        setBusy(false);
      }
      target = next;
    },
    setTemporary(temporary) {
      if (target.conversationId !== null || target.temporary === temporary) return;
      generation += 1;
      target = temporary ? NEW_TEMPORARY_CHAT : NEW_SAVED_CHAT;
    },
  };
}
