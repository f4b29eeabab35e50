import { describe, expect, it, vi } from 'vitest';
import type { ApiClient, StreamChatOptions } from '../api/client';
import { ApiError, toProblem } from '../api/problem';
import type { ChatRequest, StreamEvent } from '../api/types';
import { buildHistory, createChatController } from './controller';
import { createMemoryStore, type ConversationMessage } from './store';

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

const hello = events(
  { type: 'start', model: 'mock-gpt', requestId: 'r1' },
  { type: 'delta', text: 'Hel' },
  { type: 'delta', text: 'lo' },
  { type: 'done', finishReason: 'stop' },
);

const rateLimited: Script = async () => {
  throw new ApiError(toProblem({ type: 'urn:chat-on-azure:problem:rate-limited', detail: 'Busy.', retry_after: 20 }, 429));
};

function setup(...scripts: Script[]) {
  const store = createMemoryStore();
  const client = fakeClient(...scripts);
  const restoreDraft = vi.fn<(text: string) => void>();
  const discardRestoredDraft = vi.fn<(text: string) => void>();
  const announce = vi.fn<(message: string) => void>();
  const controller = createChatController({ store, client, restoreDraft, discardRestoredDraft, announce });
  return { store, client, controller, restoreDraft, discardRestoredDraft, announce };
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
    expect(client.requests[0]).toEqual({ messages: [{ role: 'user', content: 'Hi there' }] });
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
    expect(controller.canRetry(assistantId)).toBe(false);
  });

  it('only the last failed answer can be retried', async () => {
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
    expect(client.requests[2]?.messages).toEqual([
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
