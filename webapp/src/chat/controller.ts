/**
 * What happens when the user sends, stops or retries: the conversation state machine,
 * independent of the DOM. The user's message is added at once and never removed; the
 * answer streams into an assistant message whose status ends as `complete`, `stopped` or
 * `failed`. When a request fails before any text arrived, the user's text goes back into
 * the composer as well (the message also stays in the list).
 */
import { applyEvent, endAnswer, initialAnswer, type AnswerState } from '../api/answer';
import { isAbortError, type ApiClient } from '../api/client';
import { ApiError, clientProblem } from '../api/problem';
import type { ChatMessage, ChatRequest, Problem } from '../api/types';
import type { ConversationMessage, ConversationStore } from './store';

export interface ChatControllerOptions {
  readonly store: ConversationStore;
  readonly client: Pick<ApiClient, 'streamChat'>;
  /** The request failed before any text arrived: offer `text` in the composer again. */
  readonly restoreDraft: (text: string) => void;
  /** A retry is under way for `text`: drop it from the composer if it is still there unchanged. */
  readonly discardRestoredDraft: (text: string) => void;
  /** Say something to screen readers (a polite live region). */
  readonly announce: (message: string) => void;
  /** Everything of the request except `messages` (model, system prompt… from settings later). */
  readonly requestOptions?: () => Omit<ChatRequest, 'messages'>;
}

export interface ChatController {
  /** Send a user message and stream the answer; resolves when the answer has ended. */
  send(text: string): Promise<void>;
  /** Stop the answer being streamed; its text so far is kept, marked stopped. */
  stop(): void;
  /** Ask again for a failed answer (the last message only). */
  retry(assistantId: string): Promise<void>;
  canRetry(assistantId: string): boolean;
  isBusy(): boolean;
  onBusyChange(listener: (busy: boolean) => void): () => void;
  /** The text of the message in flight while no answer text has arrived yet, else null. */
  pendingText(): string | null;
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

const UNEXPECTED: Problem = clientProblem('internal-error', null, 'Something went wrong in the app. Try again.');

export function createChatController(options: ChatControllerOptions): ChatController {
  const { store, client } = options;
  let current: { abort: AbortController; userText: string; gotText: boolean } | null = null;
  const busyListeners = new Set<(busy: boolean) => void>();

  function setBusy(busy: boolean): void {
    for (const listener of busyListeners) listener(busy);
  }

  async function answer(userId: string, assistantId: string): Promise<void> {
    const messages = store.messages();
    const userIndex = messages.findIndex((message) => message.id === userId);
    const userText = messages[userIndex]?.text ?? '';
    const request: ChatRequest = { ...options.requestOptions?.(), messages: buildHistory(messages, userIndex) };
    const abort = new AbortController();
    const run = { abort, userText, gotText: false };
    current = run;
    setBusy(true);

    let state: AnswerState = initialAnswer;
    const finish = (patch: Parameters<ConversationStore['update']>[1]): void => {
      const message = store.update(assistantId, patch);
      if (message.status === 'failed' && message.text === '') options.restoreDraft(userText);
      options.announce(announcement(message));
    };
    try {
      await client.streamChat(request, {
        signal: abort.signal,
        onEvent(event) {
          const next = applyEvent(state, event);
          if (next === state) return;
          state = next;
          if (state.text !== '') run.gotText = true;
          store.update(assistantId, { text: state.text, model: state.model });
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
      current = null;
      setBusy(false);
    }
  }

  function canRetry(assistantId: string): boolean {
    const messages = store.messages();
    const last = messages.at(-1);
    return current === null && last?.id === assistantId && last.status === 'failed' && messages.at(-2)?.role === 'user';
  }

  return {
    async send(text) {
      const content = text.trim();
      if (current !== null || content === '') return;
      const user = store.add('user', { text: content, status: 'complete' });
      const assistant = store.add('assistant', { status: 'streaming' });
      await answer(user.id, assistant.id);
    },
    stop() {
      current?.abort.abort();
    },
    async retry(assistantId) {
      if (!canRetry(assistantId)) return;
      const messages = store.messages();
      const user = messages.at(-2);
      if (user === undefined) return;
      store.update(assistantId, { text: '', status: 'streaming', error: null, finishReason: null, usage: null, model: null });
      options.discardRestoredDraft(user.text);
      await answer(user.id, assistantId);
    },
    canRetry,
    isBusy: () => current !== null,
    onBusyChange(listener) {
      busyListeners.add(listener);
      return () => busyListeners.delete(listener);
    },
    pendingText: () => (current !== null && !current.gotText ? current.userText : null),
  };
}
