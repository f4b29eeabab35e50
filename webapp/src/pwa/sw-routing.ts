/**
 * What the service worker does with each request and response, as pure functions so the
 * rules are tested without a worker (the worker itself is `service-worker.ts`).
 *
 * The one rule that matters most: nothing that can carry the user's data is ever cached.
 * Only the build's own hashed files under `/assets/` (the same bytes for everyone) and the
 * offline page are stored. `/api/*` and `/.auth/*` are never even intercepted, and pages
 * always come from the network, so a signed-out user still gets SWA's 302 to the sign-in
 * page; only when the network fails outright does the cached offline page stand in.
 */

/** `page`: network, offline page when that fails; `asset`: cache first; `network`: hands off. */
export type Strategy = 'page' | 'asset' | 'network';

/** The parts of a `Request` the decision needs. */
export interface RequestFacts {
  readonly method: string;
  readonly url: string;
  readonly mode: string;
}

/** The parts of a `Response` that decide whether it may be stored. */
export interface ResponseFacts {
  readonly status: number;
  readonly type: string;
  readonly redirected: boolean;
  readonly headers: { get(name: string): string | null };
}

export const CACHE_PREFIX = 'chat-on-azure-shell-';
export const OFFLINE_PAGE = '/offline.html';

/** Vite's output names: `[name]-[hash].[ext]`, flat, nothing to decode or traverse. */
const BUILD_ASSET = /^\/assets\/[\w.-]+$/;

/** API and sign-in paths (SWA matches routes case-insensitively, so this does too). */
export function isPrivatePath(pathname: string): boolean {
  const path = pathname.toLowerCase();
  return path === '/api' || path.startsWith('/api/') || path === '/.auth' || path.startsWith('/.auth/');
}

export function strategyFor(request: RequestFacts, origin: string): Strategy {
  if (request.method !== 'GET') return 'network';
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return 'network';
  }
  if (url.origin !== origin || isPrivatePath(url.pathname)) return 'network';
  if (request.mode === 'navigate') return 'page';
  if (url.search === '' && BUILD_ASSET.test(url.pathname)) return 'asset';
  return 'network';
}

/**
 * Only a plain same-origin 200 that nobody marked private: not a redirect (a sign-in page
 * must never be stored under an asset's name), not `no-store` or `private`.
 */
export function isCacheable(response: ResponseFacts): boolean {
  if (response.status !== 200 || response.type !== 'basic' || response.redirected) return false;
  const control = (response.headers.get('cache-control') ?? '').toLowerCase();
  return !/\b(?:no-store|private)\b/.test(control);
}

export function cacheNameFor(version: string): string {
  return CACHE_PREFIX + version;
}

/** A cache of an earlier build, to delete once this build's worker takes over. */
export function isOutdatedCache(name: string, current: string): boolean {
  return name.startsWith(CACHE_PREFIX) && name !== current;
}
