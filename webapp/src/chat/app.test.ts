import { afterEach, describe, expect, it, vi } from 'vitest';
import { runBeforeSignInHooks } from '../api/auth';
import { createApiClient } from '../api/client';
import { loadFixtures } from '../api/fixtures.test-helper';
import { mountChatApp, draftToKeep, type ChatApp } from './app';
import { createDraftStorage } from './draft';

const fixtures = new Map(loadFixtures().map((fixture) => [fixture.name, fixture.bytes]));
const me = { user_id: 'u1', name: 'Zoë Ångström', identity_provider: 'aad', roles: ['invited'], models: [] };

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

let app: ChatApp | null = null;

afterEach(() => {
  app?.destroy();
  app = null;
  localStorage.clear();
  vi.useRealTimers();
});

function mount(routes: { me?: Route; chat?: Route[] }, extra: { navigate?: (url: string) => void; onUnauthenticated?: () => void } = {}) {
  const chatRoutes = [...(routes.chat ?? [])];
  const requests: unknown[] = [];
  const fetchMock = vi.fn<typeof fetch>(async (input, init) => {
    const url = String(input);
    if (url === '/api/me') return (routes.me ?? (() => json(me)))(init);
    if (url === '/api/chat') {
      requests.push(JSON.parse(String(init?.body)));
      const route = chatRoutes.shift();
      if (route === undefined) throw new Error('unexpected chat request');
      return route(init);
    }
    throw new Error(`unexpected fetch ${url}`);
  });
  const root = document.createElement('div');
  document.body.replaceChildren(root);
  app = mountChatApp(root, {
    appName: 'Chat on Azure',
    client: createApiClient({ fetch: fetchMock, onUnauthenticated: extra.onUnauthenticated ?? vi.fn() }),
    draft: createDraftStorage(localStorage),
    principal: async () => ({ identityProvider: 'aad', userId: 'u1', userDetails: 'zoe@example.org', userRoles: [] }),
    ...(extra.navigate ? { navigate: extra.navigate } : {}),
  });
  const textarea = root.querySelector<HTMLTextAreaElement>('textarea');
  const button = root.querySelector<HTMLButtonElement>('form button');
  if (textarea === null || button === null) throw new Error('composer missing');
  return { root, textarea, button, requests, app };
}

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
    expect(requests).toEqual([{ messages: [{ role: 'user', content: 'Say hello' }] }]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(root.querySelector('#announcer')?.textContent).toBe('Answer complete.');
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
    expect(localStorage.getItem('chat-on-azure:draft')).toBe('Question');
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
    localStorage.setItem('chat-on-azure:draft', 'half-written');
    const { textarea } = mount({});
    expect(textarea.value).toBe('half-written');
    type(textarea, 'half-written, more');
    expect(localStorage.getItem('chat-on-azure:draft')).toBe('half-written, more');
  });

  it('saves the message in flight as the draft before a sign-in redirect', async () => {
    const { textarea } = mount({
      chat: [() => json({ type: 'urn:chat-on-azure:problem:unauthenticated', status: 401 }, 401, 'application/problem+json')],
    }, { onUnauthenticated: runBeforeSignInHooks });
    type(textarea, 'Do not lose me');
    pressEnter(textarea);
    expect(localStorage.getItem('chat-on-azure:draft')).toBeNull();
    await settle();
    expect(localStorage.getItem('chat-on-azure:draft')).toBe('Do not lose me');
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
