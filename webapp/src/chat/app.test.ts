import { afterEach, describe, expect, it, vi } from 'vitest';
import { runBeforeSignInHooks } from '../api/auth';
import { createApiClient } from '../api/client';
import { loadFixtures } from '../api/fixtures.test-helper';
import { mountChatApp, draftToKeep, type ChatApp } from './app';
import { createDraftStorage } from './draft';

const fixtures = new Map(loadFixtures().map((fixture) => [fixture.name, fixture.bytes]));
const me = { user_id: 'u1', name: 'Zoë Ångström', identity_provider: 'aad', roles: ['invited'], models: [], limits: { max_messages: 500, max_message_chars: 100000, max_request_bytes: 4194304 }, history: true, usage_note: null };

type Route = (init: RequestInit | undefined) => Response | Promise<Response>;

function json(body: unknown, status = 200, type = 'application/json', headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': type, ...headers } });
}

function sse(name: string): Response {
  return new Response(fixtures.get(name) ?? new Uint8Array(0), { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

const rateLimited = (): Response =>
  json(
    {
      type: 'urn:chat-on-azure:problem:rate-limited',
      title: 'Too many requests',
      status: 429,
      detail: 'The model is busy. Try again in 20 seconds.',
      retry_after: 20,
    },
    429,
    'application/problem+json',
    { 'retry-after': '20' },
  );

const personaCatalog = {
  groups: [{ id: 'writing', name: 'Writing & editing' }],
  items: [{ id: 'copy-editor', name: 'Copy editor', group: 'writing', description: 'Edits', system: 'Edit my text.', temperature: 0.3, starters: ['Edit this', 'Shorten that'] }],
};

let app: ChatApp | null = null;

afterEach(() => {
  app?.destroy();
  app = null;
  localStorage.clear();
  window.history.replaceState(null, '', '/');
  document.title = '';
  vi.useRealTimers();
});

interface WireConversation {
  id: string;
  title: string;
  created: string;
  updated: string;
  pinned: boolean;
  archived: boolean;
  etag: string;
  system: null;
  settings: Record<string, null>;
}

interface WireMessage {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  created: string;
  status: string;
  model: string | null;
  usage: null;
}

interface Recorded {
  method: string;
  url: string;
  body: unknown;
  headers: Record<string, string>;
}

/** A small API: `/api/me`, `/api/chat` (scripted) and the conversation routes over a Map. */
function fakeApi(options: { me?: Route; chat?: Route[]; history?: boolean } = {}) {
  const conversations = new Map<string, { conversation: WireConversation; messages: WireMessage[] }>();
  const chatRoutes = [...(options.chat ?? [])];
  const requests: unknown[] = [];
  const calls: Recorded[] = [];
  let version = 0;

  function add(id: string, title: string, updated: string, messages: WireMessage[] = [], extra: Partial<WireConversation> = {}) {
    conversations.set(id, {
      conversation: { id, title, created: updated, updated, pinned: false, archived: false, etag: `e-${id}`, system: null, settings: {}, ...extra },
      messages,
    });
  }

  const notFound = () => json({ type: 'urn:chat-on-azure:problem:not-found', status: 404, detail: 'That conversation does not exist.' }, 404, 'application/problem+json');

  const fetchMock = vi.fn<typeof fetch>(async (input, init) => {
    const url = new URL(String(input), 'http://localhost');
    const method = init?.method ?? 'GET';
    const body = typeof init?.body === 'string' ? (init.body.startsWith('{') ? JSON.parse(init.body) : init.body) : null;
    calls.push({ method, url: url.pathname + url.search, body, headers: { ...(init?.headers as Record<string, string>) } });
    if (url.pathname === '/api/me') return (options.me ?? (() => json({ ...me, history: options.history ?? true })))(init);
    if (url.pathname === '/api/chat') {
      requests.push(body);
      const route = chatRoutes.shift();
      if (route === undefined) throw new Error('unexpected chat request');
      return route(init);
    }
    if (url.pathname === '/api/personas') return json(personaCatalog);
    if (url.pathname === '/api/assistants' && method === 'GET') return json({ items: [] });
    if (options.history === false && url.pathname.startsWith('/api/conversations')) {
      return json({ type: 'urn:chat-on-azure:problem:history-disabled', status: 404 }, 404, 'application/problem+json');
    }
    if (url.pathname === '/api/conversations' && method === 'GET') {
      const archived = url.searchParams.get('archived') === 'true';
      const items = [...conversations.values()]
        .map((entry) => entry.conversation)
        .filter((item) => item.archived === archived)
        .sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.updated.localeCompare(a.updated));
      return json({ items, continuation: null });
    }
    if (url.pathname === '/api/conversations/search') {
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      const items = [...conversations.values()]
        .filter((entry) => entry.conversation.title.toLowerCase().includes(q))
        .map((entry) => ({ conversation: entry.conversation, snippet: `…${entry.conversation.title}…`, message_id: null }));
      return json({ items });
    }
    if (url.pathname === '/api/conversations/import' && method === 'POST') {
      const exported = body as { title: string; messages: { role: 'user' | 'assistant'; content: string }[] };
      add('imported', exported.title, '2026-06-10T12:00:00Z', exported.messages.map((m, i) => ({ id: `i${i}`, role: m.role, content: m.content, created: '2026-06-10T12:00:00Z', status: 'complete', model: null, usage: null })));
      return json(conversations.get('imported')?.conversation, 201);
    }
    const match = /^\/api\/conversations\/([^/]+)(\/export)?$/.exec(url.pathname);
    const entry = match === null ? undefined : conversations.get(decodeURIComponent(match[1] ?? ''));
    if (match !== null && entry === undefined) return notFound();
    if (entry !== undefined && match?.[2] === '/export') {
      const markdown = url.searchParams.get('format') === 'markdown';
      return new Response(markdown ? `# ${entry.conversation.title}` : JSON.stringify({ title: entry.conversation.title, messages: [] }), {
        status: 200,
        headers: { 'content-type': markdown ? 'text/markdown' : 'application/json', 'content-disposition': `attachment; filename="${entry.conversation.id}.${markdown ? 'md' : 'json'}"` },
      });
    }
    if (entry !== undefined && method === 'GET') return json(entry);
    if (entry !== undefined && method === 'PATCH') {
      const ifMatch = (init?.headers as Record<string, string>)['if-match'];
      if (ifMatch !== undefined && ifMatch !== entry.conversation.etag) {
        return json({ type: 'urn:chat-on-azure:problem:conflict', status: 412, detail: 'Changed elsewhere.' }, 412, 'application/problem+json');
      }
      version += 1;
      entry.conversation = { ...entry.conversation, ...(body as object), etag: `e-${entry.conversation.id}-${version}` };
      return json(entry.conversation);
    }
    if (entry !== undefined && method === 'DELETE') {
      conversations.delete(entry.conversation.id);
      return new Response(null, { status: 204 });
    }
    throw new Error(`unexpected fetch ${method} ${url.pathname}`);
  });
  return { fetchMock, conversations, add, requests, calls };
}

function mount(
  routes: { me?: Route; chat?: Route[]; history?: boolean } = {},
  extra: { navigate?: (url: string) => void; onUnauthenticated?: () => void; download?: (blob: Blob, name: string) => void; setup?: (api: ReturnType<typeof fakeApi>) => void } = {},
) {
  const api = fakeApi(routes);
  extra.setup?.(api);
  const root = document.createElement('div');
  document.body.replaceChildren(root);
  app = mountChatApp(root, {
    appName: 'Chat on Azure',
    client: createApiClient({ fetch: api.fetchMock, onUnauthenticated: extra.onUnauthenticated ?? vi.fn() }),
    draft: createDraftStorage(localStorage),
    preferences: null,
    principal: async () => ({ identityProvider: 'aad', userId: 'u1', userDetails: 'zoe@example.org', userRoles: [] }),
    ...(extra.navigate ? { navigate: extra.navigate } : {}),
    ...(extra.download ? { download: extra.download } : {}),
  });
  const textarea = root.querySelector<HTMLTextAreaElement>('textarea');
  const button = root.querySelector<HTMLButtonElement>('form button');
  if (textarea === null || button === null) throw new Error('composer missing');
  return { root, textarea, button, requests: api.requests, app, api };
}

/** An answer stream as the API sends it for a saved chat. */
function savedStream(conversationId: string, text: string, extra: { title?: string; omitted?: number } = {}): Route {
  const events = [
    `event: start\ndata: ${JSON.stringify({ model: 'mock-gpt', request_id: 'r', conversation_id: conversationId, user_message_id: `${conversationId}-u`, assistant_message_id: `${conversationId}-a`, omitted_messages: extra.omitted ?? 0 })}\n\n`,
    `event: delta\ndata: ${JSON.stringify({ text })}\n\n`,
    'event: done\ndata: {"finish_reason":"stop"}\n\n',
    extra.title === undefined ? '' : `event: title\ndata: ${JSON.stringify({ conversation_id: conversationId, title: extra.title })}\n\n`,
  ];
  return () => new Response(events.join(''), { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

const wireMessage = (id: string, role: 'user' | 'assistant', content: string, status = 'complete'): WireMessage => ({
  id,
  role,
  content,
  created: '2026-06-10T10:00:00Z',
  status,
  model: null,
  usage: null,
});

function type(textarea: HTMLTextAreaElement, text: string): void {
  textarea.value = text;
  textarea.dispatchEvent(new Event('input', { bubbles: true }));
}

function pressEnter(textarea: HTMLTextAreaElement, init: KeyboardEventInit = {}): void {
  textarea.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true, ...init }));
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
}

const articles = (root: Element) =>
  Array.from(root.querySelectorAll('[role="log"] > article'), (article) => ({
    role: article.getAttribute('data-role'),
    status: article.getAttribute('data-status'),
  }));

describe('chat screen', () => {
  it('has the accessible structure the browser tests rely on', async () => {
    const { root, textarea, button } = mount({});
    await app?.ready;
    expect(root.querySelector('h1')?.textContent).toBe('Chat on Azure');
    expect(root.querySelector('#user-name')?.textContent).toBe('Zoë Ångström');
    const signOut = Array.from(root.querySelectorAll('a')).find((a) => a.textContent === 'Sign out');
    expect(signOut?.getAttribute('href')).toBe('/.auth/logout?post_logout_redirect_uri=%2Flogin.html');
    expect(root.querySelector(`label[for="${textarea.id}"]`)?.textContent).toBe('Message');
    expect(button.textContent).toBe('Send');
    const log = root.querySelector('[role="log"]');
    expect(log?.getAttribute('aria-live')).toBe('off');
    expect(root.querySelector('[role="status"][aria-live="polite"]')).not.toBeNull();
  });

  it('sends on Enter, streams the answer as Markdown and announces completion', async () => {
    const { root, textarea, button, requests } = mount({ chat: [() => sse('complete')] });
    type(textarea, 'Say hello');
    pressEnter(textarea, { shiftKey: true });
    expect(requests).toHaveLength(0);
    pressEnter(textarea);
    expect(articles(root)).toEqual([
      { role: 'user', status: 'complete' },
      { role: 'assistant', status: 'streaming' },
    ]);
    expect(root.querySelector('article[data-role="user"]')?.textContent).toContain('Say hello');
    expect(textarea.value).toBe('');
    expect(button.textContent).toBe('Stop');
    await settle();
    expect(articles(root)[1]).toEqual({ role: 'assistant', status: 'complete' });
    const answer = root.querySelector('article[data-role="assistant"]');
    expect(answer?.querySelector('strong')?.textContent).toBe('Zoë');
    expect(answer?.querySelectorAll('table td')).toHaveLength(2);
    expect(answer?.hasAttribute('aria-busy')).toBe(false);
    expect(button.textContent).toBe('Send');
    expect(requests).toEqual([{ message: 'Say hello' }]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(root.querySelector('#announcer')?.textContent).toBe('Answer complete.');
  });

  it('a chat started from a persona names it with its first message only, from a starter', async () => {
    const { root, textarea, requests } = mount({ chat: [savedStream('c1', 'Edited.'), savedStream('c1', 'Again.')] });
    await app?.ready;
    const byText = (text: string) => [...document.querySelectorAll<HTMLElement>('button, [role="option"]')].find((element) => element.textContent?.startsWith(text));
    byText('Start with a persona or assistant')?.click();
    await vi.waitFor(() => expect(byText('Copy editor')).toBeDefined());
    byText('Copy editor')?.click();
    await vi.waitFor(() => expect(root.textContent).toContain('Chatting with Copy editor'));
    byText('Shorten that')?.click();
    await settle();
    expect(requests).toEqual([{ persona_id: 'copy-editor', message: 'Shorten that' }]);
    type(textarea, 'And now?');
    pressEnter(textarea);
    await settle();
    expect(requests[1]).toEqual({ message: 'And now?', conversation_id: 'c1' });
    expect(root.textContent).toContain('Chatting with Copy editor');
  });

  it('on 429 keeps the message, restores the draft, shows the wait and a Retry button', async () => {
    const { root, textarea, requests } = mount({ chat: [rateLimited, () => sse('complete')] });
    type(textarea, 'Question');
    pressEnter(textarea);
    await settle();
    expect(articles(root)).toEqual([
      { role: 'user', status: 'complete' },
      { role: 'assistant', status: 'failed' },
    ]);
    const failed = root.querySelector('article[data-role="assistant"]');
    expect(failed?.querySelector('.message__error-text')?.textContent).toBe('The model is busy.');
    expect(failed?.querySelector('.message__retry-after')?.textContent).toBe('Try again in 20 seconds.');
    expect(textarea.value).toBe('Question');
    expect(localStorage.getItem('chat-on-azure:draft:new')).toBe('Question');
    // The reason is in the document once (the announcement does not repeat it).
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(root.querySelector('#announcer')?.textContent).toBe('The answer failed. The reason is shown under it.');
    expect(Array.from(root.querySelectorAll('*')).filter((el) => el.children.length === 0 && el.textContent?.includes('busy'))).toHaveLength(1);
    const retry = Array.from(failed?.querySelectorAll('button') ?? []).find((b) => b.textContent === 'Retry');
    expect(retry).toBeDefined();
    retry?.click();
    await settle();
    expect(requests).toHaveLength(2);
    expect(articles(root)).toEqual([
      { role: 'user', status: 'complete' },
      { role: 'assistant', status: 'complete' },
    ]);
    // The retried text is no longer waiting in the composer.
    expect(textarea.value).toBe('');
  });

  it('marks a cut stream failed but keeps its text', async () => {
    const { root, textarea } = mount({ chat: [() => sse('truncated')] });
    type(textarea, 'Q');
    pressEnter(textarea);
    await settle();
    const answer = root.querySelector('article[data-role="assistant"]');
    expect(answer?.getAttribute('data-status')).toBe('failed');
    expect(answer?.querySelector('.message__body')?.textContent).toContain('cut off mid');
    expect(textarea.value).toBe('');
  });

  it('Stop keeps the partial answer, marked stopped', async () => {
    const encoder = new TextEncoder();
    const slow: Route = (init) =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(encoder.encode('event: delta\ndata: {"text":"Partial answer"}\n\n'));
            init?.signal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
          },
        }),
        { status: 200, headers: { 'content-type': 'text/event-stream' } },
      );
    const { root, textarea, button } = mount({ chat: [slow] });
    type(textarea, 'Q');
    pressEnter(textarea);
    await settle();
    expect(button.textContent).toBe('Stop');
    button.click();
    await settle();
    const answer = root.querySelector('article[data-role="assistant"]');
    expect(answer?.getAttribute('data-status')).toBe('stopped');
    expect(answer?.textContent).toContain('Partial answer');
    expect(answer?.textContent).toContain('Stopped.');
    expect(button.textContent).toBe('Send');
  });

  it('keeps the draft across a reload', () => {
    localStorage.setItem('chat-on-azure:draft:new', 'half-written');
    const { textarea } = mount({});
    expect(textarea.value).toBe('half-written');
    type(textarea, 'half-written, more');
    expect(localStorage.getItem('chat-on-azure:draft:new')).toBe('half-written, more');
  });

  it('saves the message in flight as the draft before a sign-in redirect', async () => {
    const { textarea } = mount({
      chat: [() => json({ type: 'urn:chat-on-azure:problem:unauthenticated', status: 401 }, 401, 'application/problem+json')],
    }, { onUnauthenticated: runBeforeSignInHooks });
    type(textarea, 'Do not lose me');
    pressEnter(textarea);
    expect(localStorage.getItem('chat-on-azure:draft:new')).toBeNull();
    await settle();
    expect(localStorage.getItem('chat-on-azure:draft:new')).toBe('Do not lose me');
  });

  it('sends a signed-in but not invited user to the unauthorized page', async () => {
    const navigate = vi.fn();
    mount({ me: () => json({ type: 'urn:chat-on-azure:problem:forbidden', status: 403 }, 403, 'application/problem+json') }, { navigate });
    await app?.ready;
    expect(navigate).toHaveBeenCalledWith('/unauthorized.html');
  });

  it('falls back to the SWA principal for the name', async () => {
    const { root } = mount({ me: () => json({ ...me, name: '' }) });
    await app?.ready;
    expect(root.querySelector('#user-name')?.textContent).toBe('zoe@example.org');
  });
});

describe('draftToKeep', () => {
  it('combines what is typed with a message in flight', () => {
    expect(draftToKeep('', 'sent')).toBe('sent');
    expect(draftToKeep('typed', null)).toBe('typed');
    expect(draftToKeep('typed', 'sent')).toBe('sent\n\ntyped');
    expect(draftToKeep('sent', 'sent')).toBe('sent');
  });
});

const sidebarNav = (root: Element) => root.querySelector('nav[aria-label="Conversations"]');
const itemLinks = (root: Element) => Array.from(sidebarNav(root)?.querySelectorAll<HTMLAnchorElement>('a[data-conversation-id]') ?? []);
const buttonNamed = (root: ParentNode, name: string) =>
  Array.from(root.querySelectorAll<HTMLButtonElement>('button')).find((button) => (button.getAttribute('aria-label') ?? button.textContent) === name);
const today = () => new Date().toISOString();

describe('saved conversations', () => {
  it('has the hooks of the new parts', async () => {
    const { root, api } = mount({}, { setup: (fake) => fake.add('c1', 'Trip plans', today()) });
    await app?.ready;
    await settle();
    expect(sidebarNav(root)).not.toBeNull();
    expect(buttonNamed(root, 'New chat')).toBeDefined();
    const search = root.querySelector<HTMLInputElement>('input[type="search"]');
    expect(root.querySelector(`label[for="${search?.id}"]`)?.textContent).toBe('Search conversations');
    const toggle = root.querySelector<HTMLInputElement>('#temporary-chat');
    expect(toggle?.getAttribute('role')).toBe('switch');
    expect(root.querySelector('label[for="temporary-chat"]')?.textContent).toBe('Temporary chat');
    expect(document.getElementById(toggle?.getAttribute('aria-describedby') ?? '')?.textContent).toBe('Not saved to your history.');
    const [link] = itemLinks(root);
    expect(link?.textContent).toBe('Trip plans');
    expect(link?.getAttribute('href')).toBe('/c/c1');
    expect(link?.dataset.conversationId).toBe('c1');
    const options = buttonNamed(root, 'Options for Trip plans');
    expect(options?.getAttribute('aria-haspopup')).toBe('menu');
    expect(root.querySelector('h2.conv-group__title')?.textContent).toBe('Today');
    expect(api.calls.some((call) => call.url === '/api/conversations?limit=50')).toBe(true);
  });

  it('shows a new conversation first on start, with its address, then its title', async () => {
    const { root, textarea, requests } = mount(
      { chat: [savedStream('c-new', 'Paris.', { title: 'French capital' }), savedStream('c-new', 'Cold.', { omitted: 2 })] },
      { setup: (fake) => fake.add('old', 'Older chat', '2020-01-01T00:00:00Z') },
    );
    await settle();
    type(textarea, 'Capital of France?');
    pressEnter(textarea);
    await settle();
    expect(requests[0]).toEqual({ message: 'Capital of France?' });
    expect(window.location.pathname).toBe('/c/c-new');
    expect(itemLinks(root).map((link) => [link.dataset.conversationId, link.textContent])).toEqual([
      ['c-new', 'French capital'],
      ['old', 'Older chat'],
    ]);
    expect(itemLinks(root)[0]?.getAttribute('aria-current')).toBe('page');
    expect(document.title).toBe('French capital – Chat on Azure');
    type(textarea, 'And in winter?');
    pressEnter(textarea);
    await settle();
    expect(requests[1]).toEqual({ message: 'And in winter?', conversation_id: 'c-new' });
    const answers = root.querySelectorAll('article[data-role="assistant"]');
    expect(answers[1]?.querySelector('.message__omitted')?.textContent).toBe("2 older messages were left out to fit the model's context.");
    expect(answers[0]?.querySelector('.message__omitted:not([hidden])')).toBeNull();
  });

  it('opens a conversation from the list, with its statuses, and Retry regenerates', async () => {
    const { root, requests } = mount(
      { chat: [savedStream('c1', 'Better answer.')] },
      {
        setup: (fake) =>
          fake.add('c1', 'Trip plans', today(), [
            wireMessage('u1', 'user', 'Plan a trip'),
            wireMessage('a1', 'assistant', 'Day one…', 'stopped'),
            wireMessage('u2', 'user', 'More'),
            wireMessage('a2', 'assistant', '', 'failed'),
          ]),
      },
    );
    await settle();
    itemLinks(root)[0]?.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 }));
    expect(window.location.pathname).toBe('/c/c1');
    await app?.opened();
    await settle();
    expect(articles(root)).toEqual([
      { role: 'user', status: 'complete' },
      { role: 'assistant', status: 'stopped' },
      { role: 'user', status: 'complete' },
      { role: 'assistant', status: 'failed' },
    ]);
    expect(root.querySelector('article[data-status="stopped"] .message__note')?.textContent).toBe('Stopped.');
    const failed = root.querySelector('article[data-status="failed"]');
    expect(failed?.querySelector('.message__error-text')?.textContent).toBe('This answer failed. Try again.');
    buttonNamed(failed ?? root, 'Retry')?.click();
    await settle();
    expect(requests).toEqual([{ conversation_id: 'c1', regenerate: true }]);
    expect(articles(root).at(-1)).toEqual({ role: 'assistant', status: 'complete' });
  });

  it('says that an unknown conversation does not exist, with a New chat button', async () => {
    window.history.replaceState(null, '', '/c/nope');
    const { root } = mount();
    await app?.opened();
    await settle();
    expect(root.querySelector('main')?.textContent).toContain('This conversation does not exist');
    const newChat = buttonNamed(root.querySelector('main') ?? root, 'New chat');
    newChat?.click();
    expect(window.location.pathname).toBe('/');
    expect(root.querySelector('main')?.textContent).not.toContain('does not exist');
  });

  it('follows back and forward', async () => {
    const { root } = mount({}, { setup: (fake) => {
      fake.add('a', 'Chat A', today(), [wireMessage('ua', 'user', 'Question A'), wireMessage('aa', 'assistant', 'Answer A')]);
      fake.add('b', 'Chat B', today(), [wireMessage('ub', 'user', 'Question B'), wireMessage('ab', 'assistant', 'Answer B')]);
    } });
    await settle();
    const open = (id: string) =>
      itemLinks(root).find((link) => link.dataset.conversationId === id)?.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 }));
    open('a');
    await settle();
    open('b');
    await settle();
    expect(root.querySelector('[role="log"]')?.textContent).toContain('Question B');
    window.history.back();
    await vi.waitFor(() => expect(window.location.pathname).toBe('/c/a'));
    await settle();
    expect(root.querySelector('[role="log"]')?.textContent).toContain('Question A');
  });

  it('keeps a draft per conversation', async () => {
    const { root, textarea } = mount({}, { setup: (fake) => {
      fake.add('a', 'Chat A', today(), [wireMessage('ua', 'user', 'Q')]);
      fake.add('b', 'Chat B', today(), [wireMessage('ub', 'user', 'Q')]);
    } });
    await settle();
    const open = (id: string) =>
      itemLinks(root).find((link) => link.dataset.conversationId === id)?.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 }));
    type(textarea, 'new chat draft');
    open('a');
    await settle();
    expect(textarea.value).toBe('');
    type(textarea, 'draft for A');
    open('b');
    await settle();
    expect(textarea.value).toBe('');
    open('a');
    await settle();
    expect(textarea.value).toBe('draft for A');
    buttonNamed(root, 'New chat')?.click();
    expect(textarea.value).toBe('new chat draft');
    expect(localStorage.getItem('chat-on-azure:draft:a')).toBe('draft for A');
  });

  it('a temporary chat sends every message and never touches the list', async () => {
    const { root, textarea, requests, api } = mount({ chat: [() => sse('complete'), () => sse('complete')] });
    await settle();
    const toggle = root.querySelector<HTMLInputElement>('#temporary-chat');
    toggle?.click();
    expect(root.querySelector('.temporary-banner')?.hasAttribute('hidden')).toBe(false);
    type(textarea, 'One');
    pressEnter(textarea);
    await settle();
    type(textarea, 'Two');
    pressEnter(textarea);
    await settle();
    expect(requests[0]).toEqual({ messages: [{ role: 'user', content: 'One' }], temporary: true });
    expect((requests[1] as { messages: unknown[] }).messages).toHaveLength(3);
    expect(window.location.pathname).toBe('/');
    expect(api.calls.filter((call) => call.url.startsWith('/api/conversations') && call.url !== '/api/conversations?limit=50')).toEqual([]);
    // Turning it off starts a new (saved) chat.
    toggle?.click();
    expect(articles(root)).toEqual([]);
    expect(toggle?.checked).toBe(false);
  });

  it('locks the switch on when the deployment keeps no history', async () => {
    const { root, textarea, requests } = mount({ history: false, chat: [() => sse('complete')] });
    await app?.ready;
    await settle();
    const toggle = root.querySelector<HTMLInputElement>('#temporary-chat');
    expect(toggle?.checked).toBe(true);
    expect(toggle?.disabled).toBe(true);
    expect(sidebarNav(root)?.textContent).toContain('keeps no chat history');
    type(textarea, 'Hi');
    pressEnter(textarea);
    await settle();
    expect(requests[0]).toEqual({ messages: [{ role: 'user', content: 'Hi' }], temporary: true });
  });

  it('renames inline with If-Match, and explains a conflict in a sentence', async () => {
    const { root, api } = mount({}, { setup: (fake) => fake.add('c1', 'Trip plans', today()) });
    await settle();
    const options = buttonNamed(root, 'Options for Trip plans');
    options?.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    const menu = root.querySelector('[role="menu"]');
    expect(Array.from(menu?.querySelectorAll('[role="menuitem"]') ?? [], (item) => item.textContent)).toEqual([
      'Rename',
      'Pin',
      'Archive',
      'Export as Markdown',
      'Export as JSON',
      'Export as text',
      'Print or save as PDF',
      'Delete',
    ]);
    expect(document.activeElement?.textContent).toBe('Rename');
    expect(options?.getAttribute('aria-expanded')).toBe('true');
    (document.activeElement as HTMLElement).click();
    const input = root.querySelector<HTMLInputElement>('.conv-item__rename');
    expect(document.activeElement).toBe(input);
    if (input === null) throw new Error('no rename box');
    input.value = 'Summer trip';
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    await settle();
    expect(api.calls.find((call) => call.method === 'PATCH')).toMatchObject({ body: { title: 'Summer trip' }, headers: { 'if-match': 'e-c1' } });
    expect(itemLinks(root)[0]?.textContent).toBe('Summer trip');

    // Renamed in another window meanwhile.
    const entry = api.conversations.get('c1');
    if (entry) entry.conversation = { ...entry.conversation, title: 'Their title', etag: 'theirs' };
    buttonNamed(root, 'Options for Summer trip')?.click();
    buttonNamed(root.querySelector('[role="menu"]') ?? root, 'Rename')?.click();
    const again = root.querySelector<HTMLInputElement>('.conv-item__rename');
    if (again === null) throw new Error('no rename box');
    again.value = 'Mine';
    again.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    await settle();
    expect(itemLinks(root)[0]?.textContent).toBe('Their title');
    expect(root.querySelector('.toasts')?.textContent).toContain(
      'This conversation was changed in another window, so your new title was not saved. It is now called “Their title”',
    );
  });

  it('deletes with Undo: nothing is deleted until the offer runs out', async () => {
    const { root, api } = mount({}, { setup: (fake) => {
      fake.add('a', 'Chat A', today());
      fake.add('b', 'Chat B', '2020-01-01T00:00:00Z');
    } });
    await settle();
    buttonNamed(root, 'Options for Chat A')?.click();
    buttonNamed(root.querySelector('[role="menu"]') ?? root, 'Delete')?.click();
    expect(itemLinks(root).map((link) => link.dataset.conversationId)).toEqual(['b']);
    expect(document.activeElement).toBe(itemLinks(root)[0]);
    const toast = root.querySelector('.toasts');
    expect(toast?.textContent).toContain('Deleted “Chat A”.');
    buttonNamed(toast ?? root, 'Undo')?.click();
    expect(itemLinks(root).map((link) => link.dataset.conversationId)).toEqual(['a', 'b']);
    expect(api.calls.some((call) => call.method === 'DELETE')).toBe(false);

    vi.useFakeTimers();
    buttonNamed(root, 'Options for Chat A')?.click();
    buttonNamed(root.querySelector('[role="menu"]') ?? root, 'Delete')?.click();
    await vi.advanceTimersByTimeAsync(8000);
    expect(api.calls.filter((call) => call.method === 'DELETE').map((call) => call.url)).toEqual(['/api/conversations/a']);
  });

  it('leaves the open conversation when it is deleted', async () => {
    const { root } = mount({}, { setup: (fake) => fake.add('a', 'Chat A', today(), [wireMessage('u', 'user', 'Q')]) });
    await settle();
    itemLinks(root)[0]?.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 }));
    await settle();
    expect(articles(root)).toHaveLength(2);
    buttonNamed(root, 'Options for Chat A')?.click();
    buttonNamed(root.querySelector('[role="menu"]') ?? root, 'Delete')?.click();
    expect(window.location.pathname).toBe('/');
    expect(articles(root)).toEqual([]);
  });

  it('searches after a pause, shows snippets as text, and Escape clears', async () => {
    const { root, api } = mount({}, { setup: (fake) => {
      fake.add('a', 'Trip <b>plans</b>', today());
      fake.add('b', 'Recipes', today());
    } });
    await settle();
    vi.useFakeTimers();
    const search = root.querySelector<HTMLInputElement>('input[type="search"]');
    if (search === null) throw new Error('no search box');
    type(search as unknown as HTMLTextAreaElement, 'tr');
    type(search as unknown as HTMLTextAreaElement, 'trip');
    await vi.advanceTimersByTimeAsync(299);
    expect(api.calls.filter((call) => call.url.startsWith('/api/conversations/search'))).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(api.calls.filter((call) => call.url.startsWith('/api/conversations/search')).map((call) => call.url)).toEqual([
      '/api/conversations/search?q=trip',
    ]);
    const results = root.querySelector('.sidebar__results');
    expect(results?.querySelector('[role="status"]')?.textContent).toBe('1 conversation matches “trip”.');
    expect(results?.querySelector('b')).toBeNull();
    expect(results?.querySelector('.conv-item__snippet')?.textContent).toBe('…Trip <b>plans</b>…');
    const link = results?.querySelector('a');
    expect(link?.textContent).toBe('Trip <b>plans</b>');
    expect(document.getElementById(link?.getAttribute('aria-describedby') ?? '')?.className).toBe('conv-item__snippet');
    search.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }));
    expect(search.value).toBe('');
    expect(results?.hasAttribute('hidden')).toBe(true);
  });

  it('exports through a download and imports a JSON export', async () => {
    const download = vi.fn();
    const { root, api } = mount({}, { download, setup: (fake) => fake.add('a', 'Chat A', today()) });
    await settle();
    buttonNamed(root, 'Options for Chat A')?.click();
    buttonNamed(root.querySelector('[role="menu"]') ?? root, 'Export as Markdown')?.click();
    await settle();
    expect(download).toHaveBeenCalledTimes(1);
    const [blob, name] = download.mock.calls[0] as [Blob, string];
    expect(name).toBe('a.md');
    expect(await blob.text()).toBe('# Chat A');

    const input = root.querySelector<HTMLInputElement>('input[type="file"]');
    if (input === null) throw new Error('no file input');
    const file = new File([JSON.stringify({ title: 'Imported chat', messages: [{ role: 'user', content: 'Hi' }] })], 'chat.json', { type: 'application/json' });
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    input.dispatchEvent(new Event('change'));
    await settle();
    await app?.opened();
    await settle();
    expect(api.calls.find((call) => call.url === '/api/conversations/import')).toMatchObject({ method: 'POST' });
    expect(window.location.pathname).toBe('/c/imported');
    expect(root.querySelector('[role="log"]')?.textContent).toContain('Hi');

    const bad = new File(['not json'], 'bad.json');
    Object.defineProperty(input, 'files', { value: [bad], configurable: true });
    input.dispatchEvent(new Event('change'));
    await settle();
    expect(root.querySelector('.toasts')?.textContent).toContain('“bad.json” is not a conversation exported as JSON from this app.');
  });
});

describe('keyboard shortcuts and theme', () => {
  function press(target: Element, init: KeyboardEventInit): void {
    target.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));
  }

  it('toggles the sidebar, and Ctrl+K opens it and focuses the search box', () => {
    const { root } = mount();
    const toggle = root.querySelector<HTMLButtonElement>('button[aria-controls="sidebar"]');
    expect(toggle?.getAttribute('aria-expanded')).toBe('true');
    press(document.body, { key: 'S', code: 'KeyS', ctrlKey: true, shiftKey: true });
    expect(toggle?.getAttribute('aria-expanded')).toBe('false');
    press(document.body, { key: 'k', code: 'KeyK', ctrlKey: true });
    expect(toggle?.getAttribute('aria-expanded')).toBe('true');
    expect(document.activeElement).toBe(root.querySelector('input[type="search"]'));
  });

  it('focuses the message box with Shift+Esc, even from the search box', () => {
    const { root, textarea } = mount();
    const search = root.querySelector<HTMLInputElement>('input[type="search"]');
    search?.focus();
    press(search as HTMLInputElement, { key: 'Escape', shiftKey: true });
    expect(document.activeElement).toBe(textarea);
  });

  it('opens the shortcuts dialog from the sidebar button and with Ctrl+/', () => {
    const { root } = mount();
    const dialog = root.querySelector('dialog');
    const button = [...root.querySelectorAll('button')].find((b) => b.textContent === 'Keyboard shortcuts');
    expect(dialog?.getAttribute('aria-labelledby')).toBeTruthy();
    button?.click();
    expect(dialog?.hasAttribute('open')).toBe(true);
    (dialog?.querySelector('button') as HTMLButtonElement).click();
    expect(dialog?.hasAttribute('open')).toBe(false);
    press(document.body, { key: '/', code: 'Slash', ctrlKey: true });
    expect(dialog?.hasAttribute('open')).toBe(true);
  });

  it('switches the theme from the header menu', () => {
    const { root } = mount();
    const themeButton = root.querySelector<HTMLButtonElement>('button[aria-label="Theme"]');
    expect(themeButton?.getAttribute('aria-haspopup')).toBe('menu');
    themeButton?.click();
    const items = [...root.querySelectorAll<HTMLButtonElement>('[role="menuitemradio"]')];
    expect(items.map((item) => [item.textContent, item.getAttribute('aria-checked')])).toEqual([
      ['Light', 'false'],
      ['Dark', 'false'],
      ['System', 'true'],
    ]);
    items[1]?.click();
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(themeButton?.title).toBe('Theme: Dark');
    document.documentElement.removeAttribute('data-theme');
  });
});
