import { describe, expect, it } from 'vitest';
import { applyEvent, endAnswer, foldAnswer, initialAnswer, parseStreamEvent } from './answer';
import type { SseMessage } from './sse';

const msg = (event: string, data: unknown): SseMessage => ({
  event,
  data: typeof data === 'string' ? data : JSON.stringify(data),
  id: '',
});

describe('parseStreamEvent', () => {
  it('types the known events', () => {
    expect(parseStreamEvent(msg('start', { model: 'm', request_id: 'r' }))).toEqual({
      type: 'start',
      model: 'm',
      requestId: 'r',
      conversationId: null,
      userMessageId: null,
      assistantMessageId: null,
      omittedMessages: 0,
    });
    expect(
      parseStreamEvent(
        msg('start', { model: 'm', request_id: 'r', conversation_id: 'c', user_message_id: 'u', assistant_message_id: 'a', omitted_messages: 4 }),
      ),
    ).toMatchObject({ conversationId: 'c', userMessageId: 'u', assistantMessageId: 'a', omittedMessages: 4 });
    expect(parseStreamEvent(msg('title', { conversation_id: 'c', title: ' French capital ' }))).toEqual({
      type: 'title',
      conversationId: 'c',
      title: 'French capital',
    });
    expect(parseStreamEvent(msg('title', { conversation_id: 'c', title: '' }))).toBeNull();
    expect(parseStreamEvent(msg('start', { model: 'm', omitted_messages: -1 }))).toMatchObject({ omittedMessages: 0 });
    expect(parseStreamEvent(msg('delta', { text: 'x', extra: 1 }))).toEqual({ type: 'delta', text: 'x' });
    expect(parseStreamEvent(msg('done', { finish_reason: 'length' }))).toEqual({ type: 'done', finishReason: 'length' });
    expect(parseStreamEvent(msg('usage', { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 }))).toEqual({
      type: 'usage',
      usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
    });
  });

  it('normalises an error event into a problem with a user sentence', () => {
    const event = parseStreamEvent(
      msg('error', { type: 'urn:chat-on-azure:problem:stream-interrupted', status: 502, detail: 'Broke off.' }),
    );
    expect(event).toMatchObject({
      type: 'error',
      problem: { type: 'urn:chat-on-azure:problem:stream-interrupted', status: 502, detail: 'Broke off.' },
    });
  });

  it('ignores unknown events, bad JSON and malformed known events', () => {
    expect(parseStreamEvent(msg('future-event', { ignored: true }))).toBeNull();
    expect(parseStreamEvent(msg('delta', '{not json'))).toBeNull();
    expect(parseStreamEvent(msg('delta', '[1]'))).toBeNull();
    expect(parseStreamEvent(msg('delta', { text: 3 }))).toBeNull();
    expect(parseStreamEvent(msg('usage', { prompt_tokens: 'many' }))).toBeNull();
  });
});

describe('answer fold', () => {
  it('keeps omitted_messages and ignores a title after done', () => {
    const state = foldAnswer([
      msg('start', { model: 'm', omitted_messages: 2, conversation_id: 'c' }),
      msg('delta', { text: 'Hi' }),
      msg('done', { finish_reason: 'stop' }),
      msg('title', { conversation_id: 'c', title: 'Greeting' }),
    ]);
    expect(state).toMatchObject({ text: 'Hi', omittedMessages: 2, finishReason: 'stop', error: null });
  });

  it('concatenates deltas and records model, usage and finish reason', () => {
    const state = foldAnswer([
      msg('start', { model: 'm', request_id: 'r' }),
      msg('delta', { text: 'Hel' }),
      msg('delta', { text: 'lo' }),
      msg('usage', { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 }),
      msg('done', { finish_reason: 'stop' }),
    ]);
    expect(state).toMatchObject({ text: 'Hello', model: 'm', requestId: 'r', finishReason: 'stop', error: null });
    expect(state.usage).toEqual({ prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 });
  });

  it('synthesises stream-interrupted with status null when neither done nor error came', () => {
    const state = foldAnswer([msg('start', { model: 'm' }), msg('delta', { text: 'half' })]);
    expect(state.text).toBe('half');
    expect(state.finishReason).toBeNull();
    expect(state.error).toMatchObject({ type: 'urn:chat-on-azure:problem:stream-interrupted', status: null });
    expect(state.error?.detail).toMatch(/\w/);
  });

  it('keeps the text sent before an error and ignores anything after the end', () => {
    let state = applyEvent(initialAnswer, { type: 'delta', text: 'kept' });
    state = applyEvent(state, {
      type: 'error',
      problem: {
        type: 'x',
        title: 't',
        status: 502,
        detail: 'd',
        retryAfter: null,
        requestId: null,
        errors: [],
      },
    });
    state = applyEvent(state, { type: 'delta', text: ' late' });
    expect(endAnswer(state)).toMatchObject({ text: 'kept', error: { status: 502 } });
  });

  it('an empty stream is an interrupted one', () => {
    expect(foldAnswer([]).error?.type).toBe('urn:chat-on-azure:problem:stream-interrupted');
  });
});
