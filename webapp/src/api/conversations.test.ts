import { describe, expect, it, vi } from 'vitest';
import { createApiClient } from './client';
import { attachmentName, parseConversation, parsePage, parseSearch } from './conversations';

const wire = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  title: `Title ${id}`,
  created: '2026-03-01T10:00:00Z',
  updated: '2026-03-02T10:00:00.5Z',
  system: null,
  settings: { model: null, temperature: null, max_tokens: null },
  pinned: false,
  archived: false,
  etag: `e-${id}`,
  ...extra,
});

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers },
  });
}

function recordingClient(respond: (url: string, init: RequestInit | undefined) => Response) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const fetch = vi.fn<typeof globalThis.fetch>(async (input, init) => {
    calls.push({ url: String(input), init });
    return respond(String(input), init);
  });
  return { client: createApiClient({ fetch, onUnauthenticated: vi.fn() }), calls };
}

describe('conversation bodies', () => {
  it('parses a page, dropping malformed items', () => {
    const page = parsePage({ items: [wire('a'), { id: 3 }, wire('b', { pinned: true, title: '' })], continuation: 'next' });
    expect(page?.continuation).toBe('next');
    expect(page?.items.map((item) => item.id)).toEqual(['a', 'b']);
    expect(page?.items[0]).toEqual({
      id: 'a',
      title: 'Title a',
      created: Date.parse('2026-03-01T10:00:00Z'),
      updated: Date.parse('2026-03-02T10:00:00.5Z'),
      pinned: false,
      archived: false,
      etag: 'e-a',
      system: null,
      settings: { model: null, temperature: null, max_tokens: null },
      assistant: null,
    });
    expect(page?.items[1]).toMatchObject({ pinned: true, title: 'New chat' });
    const tuned = parsePage({ items: [wire('c', { system: 'Be brief.', settings: { model: 'm', temperature: 0.4, max_tokens: 'x' } })] });
    expect(tuned?.items[0]).toMatchObject({ system: 'Be brief.', settings: { model: 'm', temperature: 0.4, max_tokens: null } });
    const started = parsePage({
      items: [
        wire('d', { assistant: { kind: 'assistant', id: 'x1', name: 'Proofreader', version: 3 } }),
        wire('e', { assistant: { kind: 'persona', id: 'copy-editor', name: 'Copy editor', version: null } }),
        wire('f', { assistant: { kind: 'robot', id: 'r', name: 'R', version: 1 } }),
      ],
    });
    expect(started?.items.map((item) => item.assistant)).toEqual([
      { kind: 'assistant', id: 'x1', name: 'Proofreader', version: 3 },
      { kind: 'persona', id: 'copy-editor', name: 'Copy editor', version: null },
      null,
    ]);
    expect(parsePage({ items: 'no' })).toBeNull();
    expect(parsePage({ items: [], continuation: null })?.continuation).toBeNull();
  });

  it('parses a conversation with its messages and statuses', () => {
    const body = parseConversation({
      conversation: wire('a'),
      messages: [
        { id: 'm1', role: 'user', content: 'Q', created: '2026-03-01T10:00:00Z', status: 'complete', model: null, usage: null },
        { id: 'm2', role: 'assistant', content: 'A', created: '2026-03-01T10:00:01Z', status: 'interrupted', model: 'gpt', usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } },
        { id: 'm3', role: 'system', content: 'x' },
      ],
    });
    expect(body?.messages.map((message) => [message.id, message.status])).toEqual([
      ['m1', 'complete'],
      ['m2', 'interrupted'],
    ]);
    expect(body?.messages[1]?.usage).toEqual({ prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 });
    expect(parseConversation({ messages: [] })).toBeNull();
  });

  it('parses search hits with their snippets as plain strings', () => {
    expect(parseSearch({ items: [{ conversation: wire('a'), snippet: '<b>x</b>', message_id: 'm1' }, { snippet: 'orphan' }] })).toEqual([
      { conversation: expect.objectContaining({ id: 'a' }), snippet: '<b>x</b>', messageId: 'm1' },
    ]);
  });

  it('takes the file name of an attachment, never a path', () => {
    expect(attachmentName('attachment; filename="French-capital.md"', 'x.md')).toBe('French-capital.md');
    expect(attachmentName("attachment; filename*=UTF-8''Caf%C3%A9.json", 'x.json')).toBe('Café.json');
    expect(attachmentName('attachment; filename="../../etc/passwd"', 'x')).toBe('..-..-etc-passwd');
    expect(attachmentName(null, 'conversation.json')).toBe('conversation.json');
  });
});

describe('conversation routes', () => {
  it('lists with limit, continuation and archived', async () => {
    const { client, calls } = recordingClient(() => json({ items: [wire('a')], continuation: null }));
    await client.listConversations({ limit: 50 });
    await client.listConversations({ limit: 50, continuation: 'c/1+', archived: true });
    expect(calls.map((call) => call.url)).toEqual(['/api/conversations?limit=50', '/api/conversations?limit=50&continuation=c%2F1%2B&archived=true']);
  });

  it('renames with If-Match and reports a conflict as ApiError 412', async () => {
    const { client, calls } = recordingClient((_url, init) =>
      (init?.headers as Record<string, string>)['if-match'] === 'old'
        ? json({ type: 'urn:chat-on-azure:problem:conflict', status: 412, detail: 'Changed in another window.' }, 412)
        : json(wire('a', { title: 'New' })),
    );
    await expect(client.updateConversation('a', { title: 'New' }, { ifMatch: 'e-a' })).resolves.toMatchObject({ title: 'New' });
    expect(calls[0]?.init).toMatchObject({ method: 'PATCH', body: '{"title":"New"}' });
    expect(calls[0]?.url).toBe('/api/conversations/a');
    await expect(client.updateConversation('a', { title: 'New' }, { ifMatch: 'old' })).rejects.toMatchObject({
      status: 412,
      type: 'urn:chat-on-azure:problem:conflict',
    });
  });

  it('counts a delete of a conversation that is already gone as done', async () => {
    const { client, calls } = recordingClient((url) =>
      url.endsWith('/gone') ? json({ type: 'urn:chat-on-azure:problem:not-found', status: 404 }, 404) : json(null, 204),
    );
    await client.deleteConversation('a', { keepalive: true });
    await client.deleteConversation('gone');
    expect(calls[0]?.init).toMatchObject({ method: 'DELETE', keepalive: true });
  });

  it('searches with the query encoded', async () => {
    const { client, calls } = recordingClient(() => json({ items: [] }));
    await client.searchConversations('café & co');
    expect(calls[0]?.url).toBe('/api/conversations/search?q=caf%C3%A9%20%26%20co');
  });

  it('imports the export text as is and exports with the attachment name', async () => {
    const { client, calls } = recordingClient((url) =>
      url.includes('/export')
        ? new Response('# Title', { status: 200, headers: { 'content-type': 'text/markdown', 'content-disposition': 'attachment; filename="Title.md"' } })
        : json(wire('new'), 201),
    );
    const text = '{"title":"T","messages":[]}';
    await expect(client.importConversation(text)).resolves.toMatchObject({ id: 'new' });
    expect(calls[0]).toMatchObject({ url: '/api/conversations/import', init: { method: 'POST', body: text } });
    const exported = await client.exportConversation('a b', 'markdown');
    expect(calls[1]?.url).toBe('/api/conversations/a%20b/export?format=markdown');
    expect(exported.filename).toBe('Title.md');
    expect(await exported.blob.text()).toBe('# Title');
  });
});
