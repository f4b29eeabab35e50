/**
 * The sidebar's search: `GET /api/conversations/search?q=`, debounced while the user types,
 * the request before cancelled when a newer one starts, and late answers to an older query
 * dropped, so what is shown always belongs to what is in the box.
 */
import { isAbortError, type ApiClient } from '../../api/client';
import type { SearchHit } from '../../api/conversations';
import { ApiError } from '../../api/problem';

export const SEARCH_DELAY_MS = 300;
/** The API refuses longer queries. */
export const MAX_QUERY_CHARS = 200;

export type SearchState =
  | { readonly status: 'idle' }
  /** Waiting for the user to pause, or for the answer. */
  | { readonly status: 'searching'; readonly query: string }
  | { readonly status: 'done'; readonly query: string; readonly hits: readonly SearchHit[] }
  | { readonly status: 'error'; readonly query: string; readonly message: string };

export interface ConversationSearch {
  state(): SearchState;
  /** The box changed: search after a pause (an empty box clears at once). */
  setQuery(query: string): void;
  /** Search now (Enter). */
  flush(): void;
  clear(): void;
  subscribe(listener: (state: SearchState) => void): () => void;
  destroy(): void;
}

export function createConversationSearch(
  client: Pick<ApiClient, 'searchConversations'>,
  delayMs: number = SEARCH_DELAY_MS,
): ConversationSearch {
  let state: SearchState = { status: 'idle' };
  let timer: ReturnType<typeof setTimeout> | null = null;
  let inFlight: AbortController | null = null;
  let wanted = '';
  const listeners = new Set<(state: SearchState) => void>();

  function set(next: SearchState): void {
    state = next;
    for (const listener of listeners) listener(state);
  }

  function cancel(): void {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    inFlight?.abort();
    inFlight = null;
  }

  async function run(query: string): Promise<void> {
    timer = null;
    inFlight?.abort();
    const abort = new AbortController();
    inFlight = abort;
    try {
      const hits = await client.searchConversations(query, { signal: abort.signal });
      if (inFlight !== abort) return;
      set({ status: 'done', query, hits });
    } catch (error) {
      if (inFlight !== abort || isAbortError(error)) return;
      const detail = error instanceof ApiError ? error.detail : 'Something went wrong in the app. Try again.';
      set({ status: 'error', query, message: `The search failed. ${detail}` });
    } finally {
      if (inFlight === abort) inFlight = null;
    }
  }

  const search: ConversationSearch = {
    state: () => state,
    setQuery(raw) {
      const query = raw.trim().slice(0, MAX_QUERY_CHARS);
      if (query === wanted && state.status !== 'idle') return;
      wanted = query;
      cancel();
      if (query === '') {
        if (state.status !== 'idle') set({ status: 'idle' });
        return;
      }
      if (state.status !== 'searching' || state.query !== query) set({ status: 'searching', query });
      timer = setTimeout(() => void run(query), delayMs);
    },
    flush() {
      if (timer === null || wanted === '') return;
      clearTimeout(timer);
      void run(wanted);
    },
    clear() {
      search.setQuery('');
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    destroy() {
      cancel();
      listeners.clear();
    },
  };
  return search;
}
