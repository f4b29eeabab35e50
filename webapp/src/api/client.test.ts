import { describe, expect, it, vi } from 'vitest';
import { createApiClient, isAbortError, parseModels, streamAnswer } from './client';
import { loadFixtures } from './fixtures.test-helper';
import { ApiError } from './problem';
import type { ChatRequest, StreamEvent } from './types';

const request: ChatRequest = { messages: [{ role: 'user', content: 'Hi' }] };
const complete = loadFixtures().find((fixture) => fixture.name === 'complete');
if (complete === undefined) throw new Error('fixture complete.sse missing');

function sseResponse(chunks: Uint8Array[], init: ResponseInit = {}): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' }, ...init });
}

function problemResponse(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });
}

describe('streamChat', () => {
  it('posts the request as JSON and streams the events', async () => {
    const fetchMock = vi.fn<typeof fetch>(async () => sseResponse([complete.bytes]));
    const client = createApiClient({ fetch: fetchMock, onUnauthenticated: vi.fn() });
    const events: StreamEvent[] = [];
    await client.streamChat(request, { onEvent: (event) => events.push(event) });
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(url).toBe('/api/chat');
    expect(init?.method).toBe('POST');
    expect(JSON.parse(String(init?.body))).toEqual(request);
    expect(events.map((event) => event.type)).toEqual(['start', 'delta', 'delta', 'delta', 'usage', 'done']);
  });

  it('gives the same answer whether the body arrives in one chunk or byte by byte', async () => {
    const bytes = complete.bytes;
    const whole = await streamAnswer(createApiClient({ fetch: async () => sseResponse([bytes]) }), request, {});
    const pieces = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
    const split = await streamAnswer(createApiClient({ fetch: async () => sseResponse(pieces) }), request, {});
    expect(split).toEqual(whole);
    expect(whole.text).toBe(complete.expected.text);
  });

  it('turns a problem+json answer into a typed ApiError', async () => {
    const client = createApiClient({
      fetch: async () =>
        problemResponse(
          429,
          {
            type: 'urn:chat-on-azure:problem:rate-limited',
            status: 429,
            title: 'Too many requests',
            detail: 'The model is busy. Try again in 20 seconds.',
            retry_after: 20,
          },
          { 'retry-after': '20' },
        ),
    });
    const error = await client.streamChat(request, { onEvent: vi.fn() }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 429,
      type: 'urn:chat-on-azure:problem:rate-limited',
      detail: 'The model is busy. Try again in 20 seconds.',
      retryAfter: 20,
    });
  });

  it('calls onUnauthenticated on 401 and still rejects', async () => {
    const onUnauthenticated = vi.fn();
    const client = createApiClient({
      fetch: async () => problemResponse(401, { type: 'urn:chat-on-azure:problem:unauthenticated', status: 401 }),
      onUnauthenticated,
    });
    await expect(client.streamChat(request, { onEvent: vi.fn() })).rejects.toMatchObject({ status: 401 });
    expect(onUnauthenticated).toHaveBeenCalledOnce();
  });

  it('reports a network failure as a plain sentence, never the exception text', async () => {
    const client = createApiClient({
      fetch: async () => {
        throw new TypeError('NetworkError when attempting to fetch resource. ECONNREFUSED 127.0.0.1');
      },
    });
    const error = await client.streamChat(request, { onEvent: vi.fn() }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBeNull();
    expect((error as ApiError).detail).toBe('Could not reach the server. Check your connection and try again.');
    expect((error as ApiError).detail).not.toMatch(/ECONNREFUSED|TypeError/);
  });

  it('rejects with an AbortError when stopped, after delivering what arrived', async () => {
    const controller = new AbortController();
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(stream) {
        stream.enqueue(encoder.encode('event: delta\ndata: {"text":"par"}\n\n'));
        // Never closes: only the abort ends it.
      },
    });
    const fetchMock: typeof fetch = async (_input, init) => {
      init?.signal?.addEventListener('abort', () => undefined);
      return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
    };
    const events: StreamEvent[] = [];
    const promise = createApiClient({ fetch: fetchMock }).streamChat(request, {
      signal: controller.signal,
      onEvent: (event) => {
        events.push(event);
        controller.abort();
      },
    });
    const error = await promise.catch((caught: unknown) => caught);
    expect(isAbortError(error)).toBe(true);
    expect(events).toEqual([{ type: 'delta', text: 'par' }]);
  });

  it('treats a connection that breaks mid-body as an interrupted answer', async () => {
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(stream) {
        stream.enqueue(encoder.encode('event: delta\ndata: {"text":"half"}\n\n'));
      },
      pull(stream) {
        // The next read, after the first chunk: the connection drops.
        stream.error(new TypeError('network'));
      },
    });
    const client = createApiClient({
      fetch: async () => new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
    });
    const answer = await streamAnswer(client, request, {});
    expect(answer.text).toBe('half');
    expect(answer.error).toMatchObject({ type: 'urn:chat-on-azure:problem:stream-interrupted', status: null });
  });

  it('refuses a 200 that is not an event stream (e.g. an HTML fallback page)', async () => {
    const client = createApiClient({
      fetch: async () => new Response('<html></html>', { status: 200, headers: { 'content-type': 'text/html' } }),
    });
    await expect(client.streamChat(request, { onEvent: vi.fn() })).rejects.toBeInstanceOf(ApiError);
  });
});

describe('getMe', () => {
  it('returns the caller', async () => {
    const me = {
      user_id: 'u1',
      name: 'Zoë Ångström',
      identity_provider: 'aad',
      roles: ['authenticated', 'invited'],
      models: [
        { id: 'gpt-5.4-mini', name: 'Fast', description: 'Everyday answers', reasoning: false, temperature: true, context_tokens: 400000 },
        { id: 'o4-mini', name: 'Reasoning', description: '', reasoning: true, temperature: false, context_tokens: 200000 },
      ],
      limits: { max_messages: 500, max_message_chars: 100000, max_request_bytes: 4194304 },
      history: false,
      usage_note: 'Work only.\nNo customer data.',
    };
    const client = createApiClient({
      fetch: async () => new Response(JSON.stringify(me), { status: 200, headers: { 'content-type': 'application/json' } }),
    });
    await expect(client.getMe()).resolves.toEqual(me);
  });

  it('reads an older model list: the id as its name, temperature unless it reasons', () => {
    expect(parseModels([{ id: 'gpt-4o', reasoning: false }, { id: 'o3', reasoning: true }, { name: 'no id' }, 'x'])).toEqual([
      { id: 'gpt-4o', name: 'gpt-4o', description: '', reasoning: false, temperature: true, context_tokens: null },
      { id: 'o3', name: 'o3', description: '', reasoning: true, temperature: false, context_tokens: null },
    ]);
  });

  it('reads an older answer without limits and history as "history on"', async () => {
    const client = createApiClient({
      fetch: async () => new Response(JSON.stringify({ user_id: 'u1' }), { status: 200, headers: { 'content-type': 'application/json' } }),
    });
    await expect(client.getMe()).resolves.toMatchObject({ limits: null, history: true, usage_note: null });
  });

  it('passes a 403 on as ApiError without signing out', async () => {
    const onUnauthenticated = vi.fn();
    const client = createApiClient({
      fetch: async () => problemResponse(403, { type: 'urn:chat-on-azure:problem:forbidden', status: 403, detail: 'No.' }),
      onUnauthenticated,
    });
    await expect(client.getMe()).rejects.toMatchObject({ status: 403, detail: 'No.' });
    expect(onUnauthenticated).not.toHaveBeenCalled();
  });
});
