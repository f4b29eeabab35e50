import { describe, expect, it, vi } from 'vitest';
import type { ApiClient, StreamChatOptions } from '../api/client';
import { ApiError, toProblem } from '../api/problem';
import type { ChatRequest, StartEvent, StreamEvent } from '../api/types';
import {
  buildChatRequest,
  buildHistory,
  createChatController,
  NEW_TEMPORARY_CHAT,
  type ChatControllerOptions,
  type ChatTarget,
} from './controller';
import { createMemoryStore, makeMessage, type ConversationMessage } from './store';

type Script = (options: StreamChatOptions, request: ChatRequest) => Promise<void>;

function fakeClient(...scripts: Script[]): Pick<ApiClient, 'streamChat'> & { requests: ChatRequest[] } {
  const requests: ChatRequest[] = [];
  return {
    requests,
    streamChat(request, options) {
      requests.push(request);
      const script = scripts.shift();
      if (script === undefined) throw new Error('no more scripted answers');
      return script(options, request);
    },
  };
}

const events =
  (...list: StreamEvent[]): Script =>
  async ({ onEvent }) => {
    for (const event of list) onEvent(event);
  };

function start(extra: Partial<StartEvent> = {}): StartEvent {
  return {
    type: 'start',
    model: 'mock-gpt',
    requestId: 'r1',
    conversationId: null,
    userMessageId: null,
    assistantMessageId: null,
    omittedMessages: 0,
    ...extra,
  };
}

const hello = events(
  start(),
  { type: 'delta', text: 'Hel' },
  { type: 'delta', text: 'lo' },
  { type: 'done', finishReason: 'stop' },
);

const rateLimited: Script = async () => {
  throw new ApiError(toProblem({ type: 'urn:chat-on-azure:problem:rate-limited', detail: 'Busy.', retry_after: 20 }, 429));
};

function setupWith(extra: Partial<ChatControllerOptions>, ...scripts: Script[]) {
  const store = createMemoryStore();
  const client = fakeClient(...scripts);
  const restoreDraft = vi.fn<(text: string) => void>();
  const discardRestoredDraft = vi.fn<(text: string) => void>();
  const announce = vi.fn<(message: string) => void>();
  const controller = createChatController({ store, client, restoreDraft, discardRestoredDraft, announce, ...extra });
  return { store, client, controller, restoreDraft, discardRestoredDraft, announce };
}

/** A temporary chat, as the first version of the app sent every chat. */
function setup(...scripts: Script[]) {
  return setupWith({ initialTarget: NEW_TEMPORARY_CHAT }, ...scripts);
}

const summary = (messages: readonly ConversationMessage[]) =>
  messages.map(({ role, text, status }) => ({ role, text, status }));

describe('chat controller', () => {
  it('shows the user message at once and streams the answer into an assistant message', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { store, controller, announce, client } = setup(async (options) => {
      await gate;
      await hello(options, { messages: [] });
    });
    const busy: boolean[] = [];
    controller.onBusyChange((value) => busy.push(value));
    const sent = controller.send('  Hi there \n');
    expect(summary(store.messages())).toEqual([
      { role: 'user', text: 'Hi there', status: 'complete' },
      { role: 'assistant', text: '', status: 'streaming' },
    ]);
    expect(controller.isBusy()).toBe(true);
    expect(controller.pendingText()).toBe('Hi there');
    release();
    await sent;
    expect(summary(store.messages())[1]).toEqual({ role: 'assistant', text: 'Hello', status: 'complete' });
    expect(store.messages()[1]?.model).toBe('mock-gpt');
    expect(client.requests[0]).toEqual({ messages: [{ role: 'user', content: 'Hi there' }], temporary: true });
    expect(announce).toHaveBeenLastCalledWith('Answer complete.');
    expect(busy).toEqual([true, false]);
    expect(controller.pendingText()).toBeNull();
  });

  it('ignores an empty message and a send while busy', async () => {
    const { store, controller } = setup(hello);
    await controller.send('   ');
    expect(store.messages()).toHaveLength(0);
    const first = controller.send('one');
    await controller.send('two');
    await first;
    expect(store.messages().filter((message) => message.role === 'user')).toHaveLength(1);
  });

  it('keeps the user message and restores the draft when the request fails before any text', async () => {
    const { store, controller, restoreDraft, announce } = setup(rateLimited);
    await controller.send('Question');
    expect(summary(store.messages())).toEqual([
      { role: 'user', text: 'Question', status: 'complete' },
      { role: 'assistant', text: '', status: 'failed' },
    ]);
    expect(store.messages()[1]?.error).toMatchObject({ status: 429, detail: 'Busy.', retryAfter: 20 });
    expect(restoreDraft).toHaveBeenCalledWith('Question');
    expect(announce).toHaveBeenLastCalledWith('The answer failed. The reason is shown under it.');
  });

  it('keeps the text of an answer that broke off, without restoring the draft', async () => {
    const { store, controller, restoreDraft } = setup(events({ type: 'delta', text: 'Half an ans' }));
    await controller.send('Q');
    const answer = store.messages()[1];
    expect(answer).toMatchObject({ text: 'Half an ans', status: 'failed' });
    expect(answer?.error).toMatchObject({ type: 'urn:chat-on-azure:problem:stream-interrupted', status: null });
    expect(restoreDraft).not.toHaveBeenCalled();
  });

  it('stops: aborts the request and keeps the partial answer, marked stopped', async () => {
    const { store, controller, announce } = setup(
      ({ onEvent, signal }) =>
        new Promise<void>((_resolve, reject) => {
          onEvent({ type: 'delta', text: 'Partial' });
          signal?.addEventListener('abort', () => reject(new DOMException('stopped', 'AbortError')));
        }),
    );
    const sent = controller.send('Q');
    await Promise.resolve();
    controller.stop();
    await sent;
    expect(store.messages()[1]).toMatchObject({ text: 'Partial', status: 'stopped', error: null });
    expect(announce).toHaveBeenLastCalledWith('Answer stopped.');
    expect(controller.isBusy()).toBe(false);
  });

  it('retries a failed answer in place, with the same history', async () => {
    const { store, controller, client, discardRestoredDraft } = setup(rateLimited, hello);
    await controller.send('Question');
    const assistantId = store.messages()[1]?.id ?? '';
    expect(controller.canRetry(assistantId)).toBe(true);
    await controller.retry(assistantId);
    expect(summary(store.messages())).toEqual([
      { role: 'user', text: 'Question', status: 'complete' },
      { role: 'assistant', text: 'Hello', status: 'complete' },
    ]);
    expect(store.messages()[1]?.error).toBeNull();
    expect(client.requests[1]).toEqual(client.requests[0]);
    expect(discardRestoredDraft).toHaveBeenCalledWith('Question');
    // The last answer can always be asked for again (Regenerate), never while it streams.
    expect(controller.canRetry(assistantId)).toBe(true);
  });

  it('only the last answer can be retried', async () => {
    const { store, controller } = setup(rateLimited, hello);
    await controller.send('first');
    const failedId = store.messages()[1]?.id ?? '';
    await controller.send('second');
    expect(controller.canRetry(failedId)).toBe(false);
  });

  it('sends earlier answered turns as history, and leaves out turns that got no answer', async () => {
    const { client, controller } = setup(hello, rateLimited, hello);
    await controller.send('one');
    await controller.send('two');
    await controller.send('three');
    expect((client.requests[2] as { messages?: unknown }).messages).toEqual([
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'Hello' },
      { role: 'user', content: 'three' },
    ]);
  });

  it('reports an unexpected exception as a plain sentence', async () => {
    const { store, controller } = setup(async () => {
      throw new RangeError('internal detail that must not show');
    });
    await controller.send('Q');
    expect(store.messages()[1]?.error?.detail).toBe('Something went wrong in the app. Try again.');
  });
});

describe('buildHistory', () => {
  it('refuses to answer something that is not a user message', () => {
    const store = createMemoryStore();
    store.add('assistant', { text: 'x' });
    expect(() => buildHistory(store.messages(), 0)).toThrow();
  });
});

describe('buildChatRequest', () => {
  const user = (text: string, serverId: string | null = null) => makeMessage('user', { text, serverId });
  const answer = (text: string, status: ConversationMessage['status'] = 'complete') => makeMessage('assistant', { text, status });
  const saved = (conversationId: string | null): ChatTarget => ({ temporary: false, conversationId });
  const messages = [user('one', 'u1'), answer('Hello'), user('two'), answer('', 'failed')];

  it('temporary: the whole conversation, marked temporary, with the options', () => {
    expect(buildChatRequest(NEW_TEMPORARY_CHAT, messages, 2, { model: 'm' })).toEqual({
      model: 'm',
      messages: [
        { role: 'user', content: 'one' },
        { role: 'assistant', content: 'Hello' },
        { role: 'user', content: 'two' },
      ],
      temporary: true,
    });
    // A retry of a temporary chat is the same request again.
    expect(buildChatRequest(NEW_TEMPORARY_CHAT, messages, 2, {}, 'retry')).toEqual(buildChatRequest(NEW_TEMPORARY_CHAT, messages, 2));
  });

  it('saved, new conversation: only the message', () => {
    expect(buildChatRequest(saved(null), messages, 2)).toEqual({ message: 'two' });
  });

  it('saved, existing conversation: the message and the conversation id', () => {
    expect(buildChatRequest(saved('c1'), messages, 2, { temperature: 0.2 })).toEqual({ temperature: 0.2, message: 'two', conversation_id: 'c1' });
  });

  it('retry regenerates when the API has the user message, else sends it again', () => {
    expect(buildChatRequest(saved('c1'), messages, 0, {}, 'retry')).toEqual({ conversation_id: 'c1', regenerate: true });
    // Never saved (refused before the API stored it): the message goes again.
    expect(buildChatRequest(saved('c1'), messages, 2, {}, 'retry')).toEqual({ message: 'two', conversation_id: 'c1' });
    // No conversation yet: nothing to regenerate in.
    expect(buildChatRequest(saved(null), [user('x', 'u9'), answer('', 'failed')], 0, {}, 'retry')).toEqual({ message: 'x' });
  });

  it('an edit names the saved message, or sends the never-saved one again', () => {
    const edited = [user('one, edited', 'u1'), answer('Hello')];
    expect(buildChatRequest(saved('c1'), edited, 0, { model: 'm' }, 'edit')).toEqual({
      model: 'm',
      conversation_id: 'c1',
      edit_message_id: 'u1',
      message: 'one, edited',
    });
    expect(buildChatRequest(saved('c1'), messages, 2, {}, 'edit')).toEqual({ message: 'two', conversation_id: 'c1' });
    expect(buildChatRequest(NEW_TEMPORARY_CHAT, edited, 0, {}, 'edit')).toEqual({
      messages: [{ role: 'user', content: 'one, edited' }],
      temporary: true,
    });
  });

  it('names a persona or an assistant only before the conversation exists (temporary: always)', () => {
    const start = { persona_id: 'copy-editor', system: 'S' };
    expect(buildChatRequest(saved(null), messages, 2, start)).toEqual({ persona_id: 'copy-editor', system: 'S', message: 'two' });
    expect(buildChatRequest(NEW_TEMPORARY_CHAT, messages, 2, { assistant_id: 'a1' })).toMatchObject({ assistant_id: 'a1', temporary: true });
    // The API refuses one with conversation_id: a conversation keeps what it started from.
    expect(buildChatRequest(saved('c1'), messages, 2, start)).toEqual({ system: 'S', message: 'two', conversation_id: 'c1' });
    expect(buildChatRequest(saved('c1'), messages, 0, { assistant_id: 'a1' }, 'retry')).toEqual({ conversation_id: 'c1', regenerate: true });
  });

  it('refuses to answer something that is not a user message', () => {
    expect(() => buildChatRequest(saved('c1'), messages, 1)).toThrow();
  });
});

describe('chat controller, saved chats', () => {
  const savedStart = (conversationId: string, extra: Partial<StartEvent> = {}): StartEvent =>
    start({ conversationId, userMessageId: 'u-1', assistantMessageId: 'a-1', ...extra });

  it('sends the message, takes the conversation id from start, and sends it with the next message', async () => {
    const onConversationStarted = vi.fn();
    const onTitle = vi.fn();
    const { client, controller, store } = setupWith(
      { onConversationStarted, onTitle },
      events(savedStart('c1'), { type: 'delta', text: 'Paris.' }, { type: 'done', finishReason: 'stop' }, { type: 'title', conversationId: 'c1', title: 'French capital' }),
      events(savedStart('c1', { userMessageId: 'u-2', assistantMessageId: 'a-2', omittedMessages: 3 }), { type: 'delta', text: 'Cold.' }, { type: 'done', finishReason: 'stop' }),
    );
    await controller.send('Capital of France?');
    expect(client.requests[0]).toEqual({ message: 'Capital of France?' });
    expect(controller.target()).toEqual({ temporary: false, conversationId: 'c1' });
    expect(onConversationStarted).toHaveBeenCalledWith({ conversationId: 'c1', isNew: true });
    expect(onTitle).toHaveBeenCalledWith('c1', 'French capital');
    expect(store.messages().map((message) => message.serverId)).toEqual(['u-1', 'a-1']);
    // The title after `done` does not change the answer.
    expect(store.messages()[1]).toMatchObject({ text: 'Paris.', status: 'complete' });

    await controller.send('And in winter?');
    expect(client.requests[1]).toEqual({ message: 'And in winter?', conversation_id: 'c1' });
    expect(onConversationStarted).toHaveBeenLastCalledWith({ conversationId: 'c1', isNew: false });
    expect(store.messages()[3]?.omitted).toBe(3);
  });

  it('edits a sent message: later turns go, the message keeps its place and is answered again', async () => {
    const { client, controller, store } = setupWith(
      {},
      events(savedStart('c1'), { type: 'delta', text: 'Paris.' }, { type: 'done', finishReason: 'stop' }),
      events(savedStart('c1', { userMessageId: 'u-2', assistantMessageId: 'a-2' }), { type: 'delta', text: 'Cold.' }, { type: 'done', finishReason: 'stop' }),
      events(savedStart('c1', { assistantMessageId: 'a-3' }), { type: 'delta', text: 'Rome.' }, { type: 'done', finishReason: 'stop' }),
    );
    await controller.send('Capital of France?');
    await controller.send('In winter?');
    const firstId = store.messages()[0]?.id ?? '';

    await controller.edit(firstId, '  Capital of Italy?  ');

    expect(client.requests[2]).toEqual({ conversation_id: 'c1', edit_message_id: 'u-1', message: 'Capital of Italy?' });
    expect(summary(store.messages())).toEqual([
      { role: 'user', text: 'Capital of Italy?', status: 'complete' },
      { role: 'assistant', text: 'Rome.', status: 'complete' },
    ]);
    expect(store.messages()[0]?.id).toBe(firstId);
  });

  it('edits nothing while an answer streams, and never an answer or an empty text', async () => {
    let release: () => void = () => undefined;
    const slow: Script = ({ onEvent }) =>
      new Promise((resolve) => {
        onEvent(start({ conversationId: 'c1', userMessageId: 'u-1', assistantMessageId: 'a-1' }));
        release = () => resolve();
      });
    const { client, controller, store } = setupWith({}, slow);
    const sending = controller.send('Q');
    const [question, answer] = store.messages();
    expect(controller.canEdit(question?.id ?? '')).toBe(false);
    await controller.edit(question?.id ?? '', 'other');
    release();
    await sending;
    expect(controller.canEdit(question?.id ?? '')).toBe(true);
    expect(controller.canEdit(answer?.id ?? '')).toBe(false);
    await controller.edit(question?.id ?? '', '   ');
    expect(client.requests).toHaveLength(1);
    expect(store.messages()[0]?.text).toBe('Q');
  });

  it('a message the API never kept can be edited only while no later message follows it', async () => {
    const { controller, store } = setupWith({ findSavedTurn: async () => null }, rateLimited, hello);
    await controller.send('Lost');
    const lost = store.messages()[0]?.id ?? '';
    expect(controller.canEdit(lost)).toBe(true);
    await controller.send('Next');
    expect(controller.canEdit(lost)).toBe(false);
  });

  it('retries a broken-off answer of a saved conversation with regenerate', async () => {
    const { client, controller, store } = setupWith(
      {},
      events(savedStart('c1'), { type: 'delta', text: 'Half' }),
      events(savedStart('c1', { assistantMessageId: 'a-2' }), { type: 'delta', text: 'Whole.' }, { type: 'done', finishReason: 'stop' }),
    );
    await controller.send('Q');
    const answerId = store.messages()[1]?.id ?? '';
    expect(store.messages()[1]).toMatchObject({ status: 'failed', text: 'Half' });
    await controller.retry(answerId);
    expect(client.requests[1]).toEqual({ conversation_id: 'c1', regenerate: true });
    expect(store.messages()[1]).toMatchObject({ status: 'complete', text: 'Whole.', serverId: 'a-2' });
  });

  it('after a failure before start, asks whether the API kept the message, then regenerates in that conversation', async () => {
    const onConversationStarted = vi.fn();
    const findSavedTurn = vi.fn(async () => ({ conversationId: 'c9', userMessageId: 'u-9' }));
    const { client, controller, store } = setupWith({ findSavedTurn, onConversationStarted }, rateLimited, hello);
    await controller.send('Question');
    const answerId = store.messages()[1]?.id ?? '';
    await controller.retry(answerId);
    expect(findSavedTurn).toHaveBeenCalledWith(null, 'Question', new Set());
    expect(onConversationStarted).toHaveBeenCalledWith({ conversationId: 'c9', isNew: true });
    expect(client.requests).toEqual([{ message: 'Question' }, { conversation_id: 'c9', regenerate: true }]);
  });

  it('sends the message again when the API did not keep it', async () => {
    const findSavedTurn = vi.fn(async () => null);
    const { client, controller, store } = setupWith({ initialTarget: { temporary: false, conversationId: 'c1' }, findSavedTurn }, rateLimited, hello);
    await controller.send('Question');
    await controller.retry(store.messages()[1]?.id ?? '');
    expect(client.requests[1]).toEqual({ message: 'Question', conversation_id: 'c1' });
  });

  it('offers Retry for an answer stopped before it began', async () => {
    const { store, controller } = setupWith(
      {},
      ({ signal }) => new Promise<void>((_resolve, reject) => signal?.addEventListener('abort', () => reject(new DOMException('stopped', 'AbortError')))),
    );
    const sent = controller.send('Q');
    await Promise.resolve();
    controller.stop();
    await sent;
    const answer = store.messages()[1];
    expect(answer).toMatchObject({ status: 'stopped', text: '' });
    expect(controller.canRetry(answer?.id ?? '')).toBe(true);
  });

  it('waits for ready before it builds the request (history may turn out to be off)', async () => {
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const { client, controller, store } = setupWith({ ready: () => gate }, hello);
    const sent = controller.send('Q');
    expect(store.messages()).toHaveLength(2);
    controller.setTemporary(true);
    open();
    await sent;
    expect(client.requests[0]).toEqual({ messages: [{ role: 'user', content: 'Q' }], temporary: true });
  });

  it('switching conversation stops the answer and leaves the store alone', async () => {
    const onConversationStarted = vi.fn();
    const { store, controller } = setupWith(
      { onConversationStarted },
      ({ onEvent, signal }) =>
        new Promise<void>((_resolve, reject) => {
          onEvent(savedStart('c1'));
          onEvent({ type: 'delta', text: 'Partial' });
          signal?.addEventListener('abort', () => reject(new DOMException('stopped', 'AbortError')));
        }),
    );
    const busy: boolean[] = [];
    controller.onBusyChange((value) => busy.push(value));
    const sent = controller.send('Q');
    await Promise.resolve();
    controller.setTarget({ temporary: false, conversationId: 'c2' });
    store.reset([]);
    await sent;
    expect(store.messages()).toEqual([]);
    expect(controller.isBusy()).toBe(false);
    expect(busy).toEqual([true, false]);
    expect(controller.target()).toEqual({ temporary: false, conversationId: 'c2' });
  });

  it('setTemporary only changes a chat that has no conversation yet', () => {
    const { controller } = setupWith({ initialTarget: { temporary: false, conversationId: 'c1' } });
    controller.setTemporary(true);
    expect(controller.target()).toEqual({ temporary: false, conversationId: 'c1' });
    controller.setTarget({ temporary: false, conversationId: null });
    controller.setTemporary(true);
    expect(controller.target()).toEqual(NEW_TEMPORARY_CHAT);
  });
});
