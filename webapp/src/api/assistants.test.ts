import { describe, expect, it, vi } from 'vitest';
import { createAssistantsApi, parseAssistant, parseAssistantList } from './assistants';
import { createApiClient } from './client';
import { ApiError } from './problem';

const wire = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `Assistant ${id}`,
  description: 'Helps',
  system: 'Be helpful.',
  model: 'gpt-5.4-mini',
  temperature: 0.2,
  max_tokens: null,
  starters: ['Check this', 'Make it formal'],
  visibility: 'organisation',
  featured: false,
  version: 3,
  owner_name: 'zoe@example.com',
  mine: true,
  created: '2026-11-21T08:30:00.123456Z',
  updated: '2026-11-21T09:12:45.000001Z',
  etag: 'e1',
  ...extra,
});

function recording(respond: (url: string, init: RequestInit | undefined) => Response) {
  const calls: { url: string; method: string; body: unknown; headers: Record<string, string> }[] = [];
  const fetch = vi.fn<typeof globalThis.fetch>(async (input, init) => {
    calls.push({
      url: String(input),
      method: init?.method ?? 'GET',
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : null,
      headers: { ...(init?.headers as Record<string, string>) },
    });
    return respond(String(input), init);
  });
  return { api: createAssistantsApi(createApiClient({ fetch, onUnauthenticated: vi.fn() })), calls };
}

const json = (body: unknown, status = 200): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' } });

describe('assistant bodies', () => {
  it('reads one assistant, with its system prompt and the time of its last edit', () => {
    expect(parseAssistant(wire('a'))).toEqual({
      id: 'a',
      name: 'Assistant a',
      description: 'Helps',
      system: 'Be helpful.',
      model: 'gpt-5.4-mini',
      temperature: 0.2,
      max_tokens: null,
      starters: ['Check this', 'Make it formal'],
      visibility: 'organisation',
      featured: false,
      version: 3,
      owner_name: 'zoe@example.com',
      mine: true,
      updated: Date.parse('2026-11-21T09:12:45.000001Z'),
      etag: 'e1',
    });
    // A list item has no system prompt: not an assistant read whole.
    const { system: _system, ...item } = wire('b');
    expect(parseAssistant(item)).toBeNull();
  });

  it('keeps the well-formed list items and drops the rest', () => {
    const { system: _system, ...item } = wire('b', { visibility: 'weird', starters: ['ok', 3, ' '] });
    const list = parseAssistantList({ items: [item, { id: 7 }, 'x'] });
    expect(list).toHaveLength(1);
    expect(list?.[0]).toMatchObject({ id: 'b', visibility: 'private', starters: ['ok'] });
    expect(parseAssistantList({ items: 'no' })).toBeNull();
  });
});

describe('assistant routes', () => {
  it('lists a scope, reads one, creates, patches only what is given, features and deletes', async () => {
    const { api, calls } = recording((url, init) => {
      if (init?.method === 'DELETE') return new Response(null, { status: 204 });
      if (url.includes('?scope=')) return json({ items: [wire('a')] });
      return json(wire('a'), init?.method === 'POST' ? 201 : 200);
    });
    expect((await api.list('featured')).map((item) => item.id)).toEqual(['a']);
    expect((await api.get('a/b')).system).toBe('Be helpful.');
    await api.create({ name: 'N', description: '', system: '', model: null, temperature: null, max_tokens: null, starters: [], visibility: 'private' });
    await api.update('a', { visibility: 'organisation' });
    await api.setFeatured('a', true);
    await api.remove('a');
    expect(calls.map((call) => `${call.method} ${call.url}`)).toEqual([
      'GET /api/assistants?scope=featured',
      'GET /api/assistants/a%2Fb',
      'POST /api/assistants',
      'PATCH /api/assistants/a',
      'PUT /api/assistants/a/featured',
      'DELETE /api/assistants/a',
    ]);
    expect(calls[3]?.body).toEqual({ visibility: 'organisation' });
    expect(calls[3]?.headers['content-type']).toBe('application/json');
    expect(calls[4]?.body).toEqual({ featured: true });
    expect(calls[5]?.body).toBeNull();
  });

  it('gives the API’s sentence for one that is gone', async () => {
    const { api } = recording(() =>
      json({ type: 'urn:chat-on-azure:problem:not-found', title: 'Assistant not found', status: 404, detail: 'That assistant does not exist, or it is not shared with you.' }, 404),
    );
    const error = await api.get('gone').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).detail).toBe('That assistant does not exist, or it is not shared with you.');
  });
});
