/**
 * The sidebar's conversation list, without the DOM: the loaded pages of
 * `GET /api/conversations`, kept in the API's order (pinned, then newest) while this window
 * adds to it (a new conversation appears on its `start` event, its title on the `title`
 * event), and the actions on one conversation: rename (conditional, `If-Match`), pin,
 * archive, and delete with a grace period for Undo.
 *
 * Delete, decided: Undo rather than a confirmation dialog. The item disappears at once and
 * the `DELETE` is only sent when the Undo offer runs out (or the page is left), so Undo
 * needs nothing from the API and a slip of the finger costs nothing; a dialog would ask
 * every time and is quickly clicked through without reading.
 */
import type { ApiClient } from '../../api/client';
import type { ConversationSummary } from '../../api/conversations';
import { ApiError, clientProblem } from '../../api/problem';
import { problemKindOf, type Problem } from '../../api/types';
import { compareConversations } from './groups';

export const DEFAULT_TITLE = 'New chat';
export const UNDO_MS = 8000;
export const PAGE_SIZE = 50;
/** After the Undo offer was on hold, how long it still lasts. */
export const RELEASE_MS = 4000;

export type ListStatus = 'loading' | 'ready' | 'error' | 'disabled';

export interface ListSnapshot {
  readonly status: ListStatus;
  /** What to show: the loaded items minus those waiting to be deleted. */
  readonly items: readonly ConversationSummary[];
  readonly hasMore: boolean;
  readonly loadingMore: boolean;
  /** Why the first page (status `error`) or the next one could not be loaded. */
  readonly error: Problem | null;
  /** The list shows archived conversations. */
  readonly archived: boolean;
}

export type RenameResult =
  | { readonly kind: 'renamed'; readonly conversation: ConversationSummary }
  | { readonly kind: 'unchanged' }
  /** Changed in another window: the list now holds the latest version (null: it is gone). */
  | { readonly kind: 'conflict'; readonly conversation: ConversationSummary | null; readonly message: string }
  | { readonly kind: 'failed'; readonly message: string };

export type ListClient = Pick<ApiClient, 'listConversations' | 'getConversation' | 'updateConversation' | 'deleteConversation'>;

export interface ConversationListOptions {
  readonly client: ListClient;
  readonly pageSize?: number;
  readonly undoMs?: number;
  /** Something that happened in the background failed (a delete): tell the user. */
  readonly onError?: (message: string) => void;
  readonly now?: () => number;
}

export interface ConversationList {
  snapshot(): ListSnapshot;
  subscribe(listener: () => void): () => void;
  get(id: string): ConversationSummary | undefined;
  /** Load the first page (of the archived conversations with `archived`), dropping the rest. */
  load(options?: { archived?: boolean }): Promise<void>;
  loadMore(): Promise<void>;
  /** History is off: nothing to list. */
  disable(): void;
  /**
   * A turn started in a saved conversation (`start`): it moves first; a new one is added as
   * "New chat" (an existing one that is not in the list, e.g. archived, stays out).
   */
  started(id: string, isNew: boolean): void;
  /** The `title` event, or any newer title. */
  setTitle(id: string, title: string): void;
  /** Put a conversation the API returned into the list (or take it out if it is archived). */
  upsert(conversation: ConversationSummary): void;
  /** Take a conversation out (it no longer exists). */
  forget(id: string): void;
  /** The inline editor opened: make sure the etag is current before the rename is sent. */
  prepareRename(id: string): void;
  rename(id: string, title: string): Promise<RenameResult>;
  /** Resolves with a sentence for the user when it failed (the change is then undone). */
  setPinned(id: string, pinned: boolean): Promise<string | null>;
  /** Archive, or move back from the archive (`conversation` need not be in the list). */
  setArchived(conversation: ConversationSummary, archived: boolean): Promise<string | null>;
  /** Hide now, delete when the Undo offer runs out. */
  remove(id: string): void;
  /** The user is reading the Undo offer: do not delete yet. */
  holdDelete(id: string): void;
  /** …and no longer: delete a little later ({@link RELEASE_MS}) unless taken back. */
  releaseDelete(id: string): void;
  /** Take a pending delete back; false when it was too late. */
  undo(id: string): boolean;
  isPendingDelete(id: string): boolean;
  /** Send the pending deletes now (the page is being left). */
  flushDeletes(): void;
  /** Send this pending delete now (the user dismissed the offer of Undo). */
  commitDelete(id: string): void;
  destroy(): void;
}

function problemOf(error: unknown): Problem {
  return error instanceof ApiError ? error.problem : clientProblem('internal-error', null, 'Something went wrong in the app. Try again.');
}

export function createConversationList(options: ConversationListOptions): ConversationList {
  const { client } = options;
  const pageSize = options.pageSize ?? PAGE_SIZE;
  const undoMs = options.undoMs ?? UNDO_MS;
  const now = options.now ?? Date.now;

  let items: ConversationSummary[] = [];
  let status: ListStatus = 'loading';
  let continuation: string | null = null;
  let loadingMore = false;
  let error: Problem | null = null;
  let archived = false;
  /** Bumped by every `load`: pages of an older load are dropped. */
  let generation = 0;
  /** Conversations this window wrote to since their etag was read (new messages, titles). */
  const stale = new Set<string>();
  const refreshing = new Map<string, Promise<void>>();
  /** Deletes waiting for their Undo offer to run out (null: on hold while the user reads it). */
  const pending = new Map<string, ReturnType<typeof setTimeout> | null>();
  const listeners = new Set<() => void>();
  let snapshot: ListSnapshot | null = null;

  function emit(): void {
    snapshot = null;
    for (const listener of listeners) listener();
  }

  function sort(): void {
    items.sort(compareConversations);
  }

  function replace(conversation: ConversationSummary): void {
    const index = items.findIndex((item) => item.id === conversation.id);
    if (conversation.archived !== archived) {
      if (index !== -1) items.splice(index, 1);
    } else if (index === -1) {
      items.push(conversation);
    } else {
      items[index] = conversation;
    }
    sort();
  }

  function patchItem(id: string, patch: Partial<ConversationSummary>): ConversationSummary | undefined {
    const index = items.findIndex((item) => item.id === id);
    const item = items[index];
    if (item === undefined) return undefined;
    const next = { ...item, ...patch };
    items[index] = next;
    return next;
  }

  async function refresh(id: string): Promise<ConversationSummary | null> {
    const { conversation } = await client.getConversation(id);
    stale.delete(id);
    replace(conversation);
    emit();
    return conversation;
  }

  function refreshQuietly(id: string): Promise<void> {
    const running = refreshing.get(id);
    if (running !== undefined) return running;
    const task = refresh(id)
      .then(() => undefined, () => undefined)
      .finally(() => refreshing.delete(id));
    refreshing.set(id, task);
    return task;
  }

  function commitDelete(id: string): void {
    if (!pending.has(id)) return;
    const timer = pending.get(id);
    if (timer) clearTimeout(timer);
    pending.delete(id);
    const item = items.find((candidate) => candidate.id === id);
    items = items.filter((candidate) => candidate.id !== id);
    emit();
    // keepalive: a delete must survive the user leaving or reloading the page right after.
    client.deleteConversation(id, { keepalive: true }).catch((failure: unknown) => {
      if (item !== undefined && !items.some((candidate) => candidate.id === id)) {
        items.push(item);
        sort();
        emit();
      }
      const title = item?.title ?? 'The conversation';
      options.onError?.(`“${title}” could not be deleted. ${problemOf(failure).detail}`);
    });
  }

  const list: ConversationList = {
    snapshot() {
      snapshot ??= {
        status,
        items: pending.size === 0 ? [...items] : items.filter((item) => !pending.has(item.id)),
        hasMore: continuation !== null,
        loadingMore,
        error,
        archived,
      };
      return snapshot;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get: (id) => items.find((item) => item.id === id),

    async load(loadOptions = {}) {
      generation += 1;
      const mine = generation;
      archived = loadOptions.archived ?? false;
      status = 'loading';
      items = [];
      continuation = null;
      error = null;
      loadingMore = false;
      emit();
      try {
        const page = await client.listConversations({ limit: pageSize, archived });
        if (mine !== generation) return;
        // A chat started while the page was on its way is newer than the page: keep it.
        const listed = new Set(page.items.map((item) => item.id));
        items = [...page.items, ...items.filter((item) => !listed.has(item.id))];
        sort();
        continuation = page.continuation;
        status = 'ready';
      } catch (failure) {
        if (mine !== generation) return;
        const problem = problemOf(failure);
        if (problemKindOf(problem.type) === 'history-disabled') {
          list.disable();
          return;
        }
        error = problem;
        status = 'error';
      }
      emit();
    },

    async loadMore() {
      if (continuation === null || loadingMore || status !== 'ready') return;
      const mine = generation;
      loadingMore = true;
      error = null;
      emit();
      try {
        const page = await client.listConversations({ limit: pageSize, archived, continuation });
        if (mine !== generation) return;
        const known = new Set(items.map((item) => item.id));
        items.push(...page.items.filter((item) => !known.has(item.id)));
        sort();
        continuation = page.continuation;
      } catch (failure) {
        if (mine !== generation) return;
        error = problemOf(failure);
      }
      loadingMore = false;
      emit();
    },

    disable() {
      generation += 1;
      items = [];
      continuation = null;
      status = 'disabled';
      error = null;
      emit();
    },

    started(id, isNew) {
      stale.add(id);
      if (status === 'disabled') return;
      const time = now();
      const item = items.find((candidate) => candidate.id === id);
      if (item === undefined) {
        if (!isNew || archived) return;
        items.push({ id, title: DEFAULT_TITLE, created: time, updated: time, pinned: false, archived: false, etag: '' });
      } else {
        patchItem(id, { updated: Math.max(time, item.updated) });
      }
      sort();
      emit();
    },

    setTitle(id, title) {
      stale.add(id);
      if (patchItem(id, { title }) !== undefined) emit();
    },

    upsert(conversation) {
      if (status === 'disabled') return;
      stale.delete(conversation.id);
      replace(conversation);
      emit();
    },

    forget(id) {
      const timer = pending.get(id);
      if (timer) clearTimeout(timer);
      pending.delete(id);
      const before = items.length;
      items = items.filter((item) => item.id !== id);
      if (items.length !== before) emit();
    },

    prepareRename(id) {
      if (stale.has(id) || list.get(id)?.etag === '') void refreshQuietly(id);
    },

    async rename(id, rawTitle) {
      const title = rawTitle.replace(/\s+/g, ' ').trim().slice(0, 200);
      const before = list.get(id);
      if (before === undefined) return { kind: 'failed', message: 'That conversation is no longer in the list.' };
      if (title === '' || title === before.title) return { kind: 'unchanged' };
      const running = refreshing.get(id);
      if (running !== undefined) await running;
      if (stale.has(id) || list.get(id)?.etag === '') await refreshQuietly(id);
      const current = list.get(id) ?? before;
      patchItem(id, { title });
      emit();
      try {
        const updated = await client.updateConversation(id, { title }, current.etag === '' ? {} : { ifMatch: current.etag });
        list.upsert(updated);
        return { kind: 'renamed', conversation: updated };
      } catch (failure) {
        const problem = problemOf(failure);
        if (problemKindOf(problem.type) === 'conflict') {
          let latest: ConversationSummary | null = null;
          try {
            latest = await refresh(id);
          } catch {
            patchItem(id, { title: current.title });
            emit();
          }
          return {
            kind: 'conflict',
            conversation: latest,
            message:
              latest === null
                ? 'This conversation was changed in another window, so your new title was not saved. Reload the page to see the latest version.'
                : `This conversation was changed in another window, so your new title was not saved. It is now called “${latest.title}”; rename it again if you still want to.`,
          };
        }
        if (problemKindOf(problem.type) === 'not-found') {
          list.forget(id);
          return { kind: 'failed', message: 'That conversation no longer exists.' };
        }
        patchItem(id, { title: current.title });
        emit();
        return { kind: 'failed', message: `The conversation was not renamed. ${problem.detail}` };
      }
    },

    async setPinned(id, pinned) {
      const before = list.get(id);
      if (before === undefined || before.pinned === pinned) return null;
      patchItem(id, { pinned });
      sort();
      emit();
      try {
        list.upsert(await client.updateConversation(id, { pinned }));
        return null;
      } catch (failure) {
        patchItem(id, { pinned: before.pinned });
        sort();
        emit();
        return `“${before.title}” was not ${pinned ? 'pinned' : 'unpinned'}. ${problemOf(failure).detail}`;
      }
    },

    async setArchived(before, value) {
      const id = before.id;
      const shown = items.some((item) => item.id === id);
      items = items.filter((item) => item.id !== id);
      if (shown) emit();
      try {
        const updated = await client.updateConversation(id, { archived: value });
        stale.delete(id);
        replace(updated);
        emit();
        return null;
      } catch (failure) {
        if (shown && !items.some((item) => item.id === id)) {
          items.push(before);
          sort();
          emit();
        }
        return `“${before.title}” was not ${value ? 'archived' : 'moved back to the list'}. ${problemOf(failure).detail}`;
      }
    },

    remove(id) {
      if (pending.has(id) || list.get(id) === undefined) return;
      pending.set(
        id,
        setTimeout(() => commitDelete(id), undoMs),
      );
      emit();
    },

    undo(id) {
      if (!pending.has(id)) return false;
      const timer = pending.get(id);
      if (timer) clearTimeout(timer);
      pending.delete(id);
      emit();
      return true;
    },

    holdDelete(id) {
      const timer = pending.get(id);
      if (!timer) return;
      clearTimeout(timer);
      pending.set(id, null);
    },

    releaseDelete(id) {
      if (!pending.has(id) || pending.get(id) !== null) return;
      pending.set(
        id,
        setTimeout(() => commitDelete(id), RELEASE_MS),
      );
    },

    isPendingDelete: (id) => pending.has(id),

    flushDeletes() {
      for (const id of [...pending.keys()]) commitDelete(id);
    },

    commitDelete,

    destroy() {
      listeners.clear();
      for (const timer of pending.values()) if (timer) clearTimeout(timer);
      pending.clear();
    },
  };
  return list;
}
