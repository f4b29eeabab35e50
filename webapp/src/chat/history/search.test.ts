import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SearchHit } from '../../api/conversations';
import { ApiError, toProblem } from '../../api/problem';
import { createConversationSearch, SEARCH_DELAY_MS } from './search';

afterEach(() => {
  vi.useRealTimers();
});

const hit = (id: string): SearchHit => ({
  conversation: { id, title: id, created: 0, updated: 0, pinned: false, archived: false, etag: '' },
  snippet: `…${id}…`,
  messageId: null,
});

function fakeClient() {
  const queries: string[] = [];
  const signals: AbortSignal[] = [];
  const answers = new Map<string, { resolve: (hits: SearchHit[]) => void; reject: (error: unknown) => void }>();
  return {
    queries,
    signals,
    answer: (query: string, hits: SearchHit[]) => answers.get(query)?.resolve(hits),
    fail: (query: string, error: unknown) => answers.get(query)?.reject(error),
    searchConversations(query: string, options: { signal?: AbortSignal } = {}) {
      queries.push(query);
      if (options.signal) signals.push(options.signal);
      return new Promise<SearchHit[]>((resolve, reject) => answers.set(query, { resolve, reject }));
    },
  };
}

describe('conversation search', () => {
  it('waits for a pause in typing, then searches once', async () => {
    vi.useFakeTimers();
    const client = fakeClient();
    const search = createConversationSearch(client);
    search.setQuery('p');
    vi.advanceTimersByTime(100);
    search.setQuery('pa');
    vi.advanceTimersByTime(100);
    search.setQuery('par ');
    expect(search.state()).toEqual({ status: 'searching', query: 'par' });
    vi.advanceTimersByTime(SEARCH_DELAY_MS - 1);
    expect(client.queries).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(client.queries).toEqual(['par']);
    client.answer('par', [hit('a')]);
    await vi.waitFor(() => expect(search.state()).toEqual({ status: 'done', query: 'par', hits: [hit('a')] }));
  });

  it('drops the answer to an older query and cancels its request', async () => {
    vi.useFakeTimers();
    const client = fakeClient();
    const search = createConversationSearch(client);
    search.setQuery('old');
    vi.advanceTimersByTime(SEARCH_DELAY_MS);
    search.setQuery('new');
    expect(client.signals[0]?.aborted).toBe(true);
    vi.advanceTimersByTime(SEARCH_DELAY_MS);
    client.answer('old', [hit('stale')]);
    client.answer('new', [hit('fresh')]);
    await vi.waitFor(() => expect(search.state()).toMatchObject({ status: 'done', query: 'new', hits: [hit('fresh')] }));
  });

  it('clears at once (Escape, empty box) and searches at once on Enter', async () => {
    vi.useFakeTimers();
    const client = fakeClient();
    const search = createConversationSearch(client);
    const states: string[] = [];
    search.subscribe((state) => states.push(state.status));
    search.setQuery('x');
    search.clear();
    expect(search.state()).toEqual({ status: 'idle' });
    vi.advanceTimersByTime(SEARCH_DELAY_MS * 2);
    expect(client.queries).toEqual([]);
    search.setQuery('now');
    search.flush();
    expect(client.queries).toEqual(['now']);
    expect(states).toEqual(['searching', 'idle', 'searching']);
  });

  it('reports a failure as a plain sentence', async () => {
    vi.useFakeTimers();
    const client = fakeClient();
    const search = createConversationSearch(client);
    search.setQuery('q');
    vi.advanceTimersByTime(SEARCH_DELAY_MS);
    client.fail('q', new ApiError(toProblem({ detail: 'History is down.' }, 503)));
    await vi.waitFor(() => expect(search.state()).toEqual({ status: 'error', query: 'q', message: 'The search failed. History is down.' }));
  });
});
