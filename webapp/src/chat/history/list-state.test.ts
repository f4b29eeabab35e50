import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConversationPage, ConversationPatch, ConversationSummary } from '../../api/conversations';
import { ApiError, toProblem } from '../../api/problem';
import { createConversationList, RELEASE_MS, UNDO_MS, type ListClient } from './list-state';

afterEach(() => {
  vi.useRealTimers();
});

const T0 = Date.parse('2026-06-10T12:00:00Z');

const conv = (id: string, minutesAgo: number, extra: Partial<ConversationSummary> = {}): ConversationSummary => ({
  id,
  title: `Title ${id}`,
  created: T0 - minutesAgo * 60_000,
  updated: T0 - minutesAgo * 60_000,
  pinned: false,
  archived: false,
  etag: `e-${id}`,
  ...extra,
});

const problem = (type: string, status: number) => new ApiError(toProblem({ type: `urn:chat-on-azure:problem:${type}`, status }, status));

interface FakeServer extends ListClient {
  conversations: Map<string, ConversationSummary>;
  calls: string[];
}

/** A small in-memory API: pages of 2, etags that change on every write. */
function fakeServer(initial: ConversationSummary[], pageSize = 2): FakeServer {
  const conversations = new Map(initial.map((item) => [item.id, item]));
  const calls: string[] = [];
  let version = 0;
  const server: FakeServer = {
    conversations,
    calls,
    async listConversations(options = {}): Promise<ConversationPage> {
      calls.push(`list ${options.continuation ?? ''}${options.archived === true ? ' archived' : ''}`);
      const all = [...conversations.values()]
        .filter((item) => item.archived === (options.archived ?? false))
        .sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.updated - a.updated);
      const start = Number(options.continuation ?? 0);
      const items = all.slice(start, start + pageSize);
      return { items, continuation: start + pageSize < all.length ? String(start + pageSize) : null };
    },
    async getConversation(id) {
      calls.push(`get ${id}`);
      const conversation = conversations.get(id);
      if (conversation === undefined) throw problem('not-found', 404);
      return { conversation, messages: [] };
    },
    async updateConversation(id, patch: ConversationPatch, options = {}) {
      calls.push(`patch ${id} ${JSON.stringify(patch)}${options.ifMatch === undefined ? '' : ` if-match ${options.ifMatch}`}`);
      const conversation = conversations.get(id);
      if (conversation === undefined) throw problem('not-found', 404);
      if (options.ifMatch !== undefined && options.ifMatch !== conversation.etag) throw problem('conflict', 412);
      version += 1;
      const updated = { ...conversation, ...patch, etag: `e-${id}-${version}` };
      conversations.set(id, updated);
      return updated;
    },
    async deleteConversation(id) {
      calls.push(`delete ${id}`);
      conversations.delete(id);
    },
  };
  return server;
}

const ids = (list: ReturnType<typeof createConversationList>) => list.snapshot().items.map((item) => item.id);

describe('conversation list', () => {
  it('loads pages and the next one with the continuation', async () => {
    const server = fakeServer([conv('a', 1), conv('b', 2), conv('c', 3)]);
    const list = createConversationList({ client: server, pageSize: 2 });
    expect(list.snapshot().status).toBe('loading');
    await list.load();
    expect(ids(list)).toEqual(['a', 'b']);
    expect(list.snapshot().hasMore).toBe(true);
    await list.loadMore();
    expect(ids(list)).toEqual(['a', 'b', 'c']);
    expect(list.snapshot().hasMore).toBe(false);
    await list.loadMore();
    expect(server.calls).toEqual(['list ', 'list 2']);
  });

  it('puts a new conversation first on its start event, then names it on its title event', async () => {
    const server = fakeServer([conv('p', 600, { pinned: true }), conv('a', 5)]);
    const list = createConversationList({ client: server, now: () => T0 });
    await list.load();
    list.started('new1', true);
    expect(ids(list)).toEqual(['p', 'new1', 'a']);
    expect(list.get('new1')).toMatchObject({ title: 'New chat', updated: T0, pinned: false });
    list.setTitle('new1', 'French capital');
    expect(list.get('new1')?.title).toBe('French capital');
    // A new turn in an older conversation moves it up.
    list.started('a', false);
    expect(ids(list)).toEqual(['p', 'a', 'new1']);
    // One that is not in the list (archived) is not added by a new turn.
    list.started('archived-one', false);
    expect(ids(list)).toEqual(['p', 'a', 'new1']);
  });

  it('renames with If-Match, reading a fresh etag first when this window wrote to the conversation', async () => {
    const server = fakeServer([conv('a', 5)]);
    const list = createConversationList({ client: server });
    await list.load();
    await expect(list.rename('a', '  Trip   plans ')).resolves.toMatchObject({ kind: 'renamed' });
    expect(server.calls.at(-1)).toBe('patch a {"title":"Trip plans"} if-match e-a');
    expect(list.get('a')?.title).toBe('Trip plans');
    // A message was saved (the etag changed on the server): refresh before the rename.
    list.started('a', false);
    server.conversations.set('a', { ...server.conversations.get('a')!, etag: 'after-message' });
    await expect(list.rename('a', 'Again')).resolves.toMatchObject({ kind: 'renamed' });
    expect(server.calls.slice(-2)).toEqual(['get a', 'patch a {"title":"Again"} if-match after-message']);
    await expect(list.rename('a', 'Again')).resolves.toEqual({ kind: 'unchanged' });
    await expect(list.rename('a', '   ')).resolves.toEqual({ kind: 'unchanged' });
  });

  it('on a conflict reloads the conversation and says so in a plain sentence', async () => {
    const server = fakeServer([conv('a', 5)]);
    const list = createConversationList({ client: server });
    await list.load();
    // Renamed in another window.
    server.conversations.set('a', { ...server.conversations.get('a')!, title: 'Their title', etag: 'theirs' });
    const result = await list.rename('a', 'My title');
    expect(result).toMatchObject({ kind: 'conflict', conversation: { title: 'Their title', etag: 'theirs' } });
    expect(result.kind === 'conflict' && result.message).toBe(
      'This conversation was changed in another window, so your new title was not saved. It is now called “Their title”; rename it again if you still want to.',
    );
    expect(list.get('a')).toMatchObject({ title: 'Their title', etag: 'theirs' });
    // The next try uses the new etag.
    await expect(list.rename('a', 'My title')).resolves.toMatchObject({ kind: 'renamed' });
  });

  it('puts the old title back when a rename fails otherwise', async () => {
    const server = fakeServer([conv('a', 5)]);
    server.updateConversation = async () => {
      throw new ApiError(toProblem({ type: 'urn:chat-on-azure:problem:history-unavailable', status: 503, detail: 'History is down.' }, 503));
    };
    const list = createConversationList({ client: server });
    await list.load();
    await expect(list.rename('a', 'New')).resolves.toEqual({ kind: 'failed', message: 'The conversation was not renamed. History is down.' });
    expect(list.get('a')?.title).toBe('Title a');
  });

  it('pins to the top and back, undoing a pin that failed', async () => {
    const server = fakeServer([conv('a', 1), conv('b', 2)]);
    const list = createConversationList({ client: server });
    await list.load();
    const pinning = list.setPinned('b', true);
    expect(ids(list)).toEqual(['b', 'a']);
    await expect(pinning).resolves.toBeNull();
    expect(server.calls.at(-1)).toBe('patch b {"pinned":true}');
    server.updateConversation = async () => {
      throw problem('history-unavailable', 503);
    };
    const message = await list.setPinned('b', false);
    expect(message).toMatch(/^“Title b” was not unpinned\. /);
    expect(list.get('b')?.pinned).toBe(true);
  });

  it('archives out of the list and back', async () => {
    const server = fakeServer([conv('a', 1), conv('b', 2)]);
    const list = createConversationList({ client: server });
    await list.load();
    const b = list.get('b')!;
    await expect(list.setArchived(b, true)).resolves.toBeNull();
    expect(ids(list)).toEqual(['a']);
    await list.load({ archived: true });
    expect(ids(list)).toEqual(['b']);
    expect(list.snapshot().archived).toBe(true);
    await list.load();
    await expect(list.setArchived(server.conversations.get('b')!, false)).resolves.toBeNull();
    expect(ids(list)).toEqual(['a', 'b']);
  });

  it('deletes only when the Undo offer runs out; Undo brings it back in place', async () => {
    vi.useFakeTimers();
    const server = fakeServer([conv('a', 1), conv('b', 2), conv('c', 3)], 10);
    const list = createConversationList({ client: server });
    await list.load();
    list.remove('b');
    expect(ids(list)).toEqual(['a', 'c']);
    expect(list.isPendingDelete('b')).toBe(true);
    vi.advanceTimersByTime(UNDO_MS - 1);
    expect(list.undo('b')).toBe(true);
    expect(ids(list)).toEqual(['a', 'b', 'c']);
    vi.advanceTimersByTime(UNDO_MS * 2);
    expect(server.calls.filter((call) => call.startsWith('delete'))).toEqual([]);

    list.remove('b');
    vi.advanceTimersByTime(UNDO_MS);
    expect(server.calls.at(-1)).toBe('delete b');
    expect(list.undo('b')).toBe(false);
    expect(ids(list)).toEqual(['a', 'c']);
  });

  it('holds a delete while the user reads the offer, and sends pending deletes when the page is left', async () => {
    vi.useFakeTimers();
    const server = fakeServer([conv('a', 1), conv('b', 2)], 10);
    const deleted: { id: string; keepalive: boolean | undefined }[] = [];
    server.deleteConversation = async (id, options) => {
      deleted.push({ id, keepalive: options?.keepalive });
    };
    const list = createConversationList({ client: server });
    await list.load();
    list.remove('a');
    list.holdDelete('a');
    vi.advanceTimersByTime(UNDO_MS * 3);
    expect(deleted).toEqual([]);
    list.releaseDelete('a');
    vi.advanceTimersByTime(RELEASE_MS);
    // Always keepalive: leaving the page right after must not cancel it.
    expect(deleted).toEqual([{ id: 'a', keepalive: true }]);
    list.remove('b');
    list.flushDeletes();
    expect(deleted.at(-1)).toEqual({ id: 'b', keepalive: true });
  });

  it('brings a conversation back and says so when the delete fails', async () => {
    vi.useFakeTimers();
    const server = fakeServer([conv('a', 1)]);
    server.deleteConversation = async () => {
      throw new ApiError(toProblem({ type: 'urn:chat-on-azure:problem:history-unavailable', status: 503, detail: 'History is down.' }, 503));
    };
    const onError = vi.fn();
    const list = createConversationList({ client: server, onError });
    await list.load();
    list.remove('a');
    await vi.advanceTimersByTimeAsync(UNDO_MS);
    expect(ids(list)).toEqual(['a']);
    expect(onError).toHaveBeenCalledWith('“Title a” could not be deleted. History is down.');
  });

  it('keeps a chat started while the first page was on its way, and its title', async () => {
    const server = fakeServer([conv('a', 1)]);
    let release: () => void = () => undefined;
    const slow = server.listConversations.bind(server);
    server.listConversations = async (options) => {
      const page = await slow(options);
      await new Promise<void>((resolve) => (release = resolve));
      return page;
    };
    const list = createConversationList({ client: server });
    const loading = list.load();
    await Promise.resolve();
    list.started('new', true);
    list.setTitle('new', 'Swiss capital');
    release();
    await loading;
    expect(ids(list)).toEqual(['new', 'a']);
    expect(list.get('new')?.title).toBe('Swiss capital');
  });

  it('drops an older load that answers late', async () => {
    const server = fakeServer([conv('a', 1), conv('z', 2, { archived: true })]);
    let release: () => void = () => undefined;
    const slow = server.listConversations.bind(server);
    server.listConversations = async (options) => {
      if (options?.archived !== true) await new Promise<void>((resolve) => (release = resolve));
      return slow(options);
    };
    const list = createConversationList({ client: server });
    const first = list.load();
    await list.load({ archived: true });
    release();
    await first;
    expect(ids(list)).toEqual(['z']);
  });

  it('turns into "no history" when the API keeps none', async () => {
    const server = fakeServer([]);
    server.listConversations = async () => {
      throw problem('history-disabled', 404);
    };
    const list = createConversationList({ client: server });
    await list.load();
    expect(list.snapshot().status).toBe('disabled');
    list.started('x', true);
    expect(ids(list)).toEqual([]);
  });

  it('reports a failed first page as an error to retry', async () => {
    const server = fakeServer([conv('a', 1)]);
    const real = server.listConversations.bind(server);
    server.listConversations = async () => {
      throw problem('history-unavailable', 503);
    };
    const list = createConversationList({ client: server });
    await list.load();
    expect(list.snapshot()).toMatchObject({ status: 'error', error: { status: 503 } });
    server.listConversations = real;
    await list.load();
    expect(list.snapshot()).toMatchObject({ status: 'ready', error: null });
  });
});
