/**
 * Sign-in plumbing of Static Web Apps: where to send the user to sign in or out, the
 * `return` parameter of `/login.html`, and `/.auth/me`.
 */
import type { ClientPrincipal } from './types';

export const LOGIN_PAGE = '/login.html';
export const UNAUTHORIZED_PAGE = '/unauthorized.html';
export const LOGOUT_URL = `/.auth/logout?post_logout_redirect_uri=${encodeURIComponent(LOGIN_PAGE)}`;

/**
 * A same-origin path (with query and fragment) from an untrusted `return` value, or `/`.
 * Refuses absolute URLs to other origins, protocol-relative `//host` and backslash tricks,
 * so the login page cannot be used as an open redirect.
 */
export function safeReturnPath(raw: string | null | undefined, origin: string): string {
  if (raw === null || raw === undefined || raw === '') return '/';
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\')) return '/';
  let url: URL;
  try {
    url = new URL(raw, origin);
  } catch {
    return '/';
  }
  if (url.origin !== origin) return '/';
  if (url.pathname === LOGIN_PAGE) return '/';
  return url.pathname + url.search + url.hash;
}

/** `/login.html?return=…` for the page the user is on. */
export function loginPageUrl(currentPath: string): string {
  return `${LOGIN_PAGE}?return=${encodeURIComponent(currentPath)}`;
}

/** The SWA sign-in URL that comes back to `returnPath` (already made safe). */
export function aadLoginUrl(returnPath: string): string {
  return `/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(returnPath)}`;
}

type Hook = () => void;
const beforeSignInHooks = new Set<Hook>();

/** Run `hook` before the app leaves for the sign-in page (e.g. to save the draft). */
export function onBeforeSignIn(hook: Hook): () => void {
  beforeSignInHooks.add(hook);
  return () => beforeSignInHooks.delete(hook);
}

/** Run the before-sign-in hooks (each at most failing alone). */
export function runBeforeSignInHooks(): void {
  for (const hook of beforeSignInHooks) {
    try {
      hook();
    } catch {
      // A failing hook must not keep the user from signing in.
    }
  }
}

let redirecting = false;

/** Save what must be saved, then go to the sign-in page. Only the first call navigates. */
export function redirectToLogin(): void {
  runBeforeSignInHooks();
  if (redirecting) return;
  redirecting = true;
  const { pathname, search, hash } = window.location;
  window.location.assign(loginPageUrl(pathname + search + hash));
}

function isPrincipal(value: unknown): value is ClientPrincipal {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.userId === 'string' && typeof record.userDetails === 'string';
}

/** The SWA principal from `/.auth/me`, or null (signed out, or not on SWA). Never throws. */
export async function fetchClientPrincipal(fetchImpl: typeof fetch = fetch): Promise<ClientPrincipal | null> {
  try {
    const response = await fetchImpl('/.auth/me', { credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (!response.ok) return null;
    const body: unknown = await response.json();
    if (typeof body !== 'object' || body === null) return null;
    const principal = (body as Record<string, unknown>).clientPrincipal;
    return isPrincipal(principal) ? principal : null;
  } catch {
    return null;
  }
}

export type Access = 'allowed' | 'forbidden' | 'signed-out' | 'unknown';

/**
 * Whether the caller may use the app, asked of `GET /api/me` (the API and SWA's route rules
 * are the authority on roles). Behind SWA, a caller the route rules refuse is redirected to
 * the sign-in page (fetch follows: an HTML answer), signed in or not (the emulator does this
 * for a missing role too), so `/.auth/me` tells "signed out" from "signed in, not invited".
 * Never throws.
 */
export async function checkAccess(fetchImpl: typeof fetch = fetch): Promise<Access> {
  let response: Response;
  try {
    response = await fetchImpl('/api/me', {
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { accept: 'application/json' },
    });
  } catch {
    return 'unknown';
  }
  const json = /[/+]json\b/i.test(response.headers.get('content-type') ?? '');
  if (response.status === 403) return 'forbidden';
  if (response.ok && json && !response.redirected) return 'allowed';
  if (response.status === 401 || response.redirected) {
    return (await fetchClientPrincipal(fetchImpl)) === null ? 'signed-out' : 'forbidden';
  }
  return 'unknown';
}
