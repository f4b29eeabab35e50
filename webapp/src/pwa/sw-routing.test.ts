import { describe, expect, it } from 'vitest';
import { cacheNameFor, isCacheable, isOutdatedCache, isPrivatePath, strategyFor, type ResponseFacts } from './sw-routing';

const ORIGIN = 'https://chat.example.net';

function get(path: string, mode = 'cors'): { method: string; url: string; mode: string } {
  return { method: 'GET', url: ORIGIN + path, mode };
}

function response(overrides: Partial<Omit<ResponseFacts, 'headers'>> & { cacheControl?: string } = {}): ResponseFacts {
  const { cacheControl, ...rest } = overrides;
  return {
    status: 200,
    type: 'basic',
    redirected: false,
    headers: { get: (name) => (name.toLowerCase() === 'cache-control' ? (cacheControl ?? null) : null) },
    ...rest,
  };
}

describe('strategyFor', () => {
  it('never intercepts the API or sign-in, whatever the request', () => {
    for (const path of ['/api/me', '/api/conversations?limit=50', '/api', '/API/me', '/.auth/me', '/.auth/login/aad', '/.AUTH/me']) {
      expect(strategyFor(get(path), ORIGIN)).toBe('network');
      expect(strategyFor(get(path, 'navigate'), ORIGIN)).toBe('network');
      expect(strategyFor(get(path, 'no-cors'), ORIGIN)).toBe('network');
    }
  });

  it('sends every other page to the network first', () => {
    for (const path of ['/', '/c/0123abcd', '/login.html', '/unauthorized.html', '/?q=1']) {
      expect(strategyFor(get(path, 'navigate'), ORIGIN)).toBe('page');
    }
  });

  it('serves the build’s hashed files from the cache', () => {
    expect(strategyFor(get('/assets/index-Bx12_a.js'), ORIGIN)).toBe('asset');
    expect(strategyFor(get('/assets/highlight-D3f.js', 'no-cors'), ORIGIN)).toBe('asset');
    expect(strategyFor(get('/assets/index-9a.css'), ORIGIN)).toBe('asset');
  });

  it('leaves alone anything that is not plainly a build file', () => {
    for (const path of [
      '/assets/index.js?user=1',
      '/assets/sub/dir.js',
      '/assets/%2e%2e%2fapi%2fme',
      '/assets/',
      '/favicon.svg',
      '/manifest.webmanifest',
      '/sw.js',
      '/index.html',
      '/offline.html',
    ]) {
      expect(strategyFor(get(path), ORIGIN), path).toBe('network');
    }
  });

  it('ignores other origins and other methods', () => {
    expect(strategyFor({ method: 'GET', url: 'https://cdn.example.com/assets/a.js', mode: 'cors' }, ORIGIN)).toBe('network');
    expect(strategyFor({ method: 'GET', url: 'https://evil.example/', mode: 'navigate' }, ORIGIN)).toBe('network');
    expect(strategyFor({ method: 'POST', url: `${ORIGIN}/`, mode: 'navigate' }, ORIGIN)).toBe('network');
    expect(strategyFor({ method: 'HEAD', url: `${ORIGIN}/assets/a.js`, mode: 'cors' }, ORIGIN)).toBe('network');
    expect(strategyFor({ method: 'GET', url: 'not a url', mode: 'cors' }, ORIGIN)).toBe('network');
  });

  it('does not fall for paths that only look like the API', () => {
    expect(isPrivatePath('/apis')).toBe(false);
    expect(isPrivatePath('/.authority')).toBe(false);
    expect(strategyFor(get('/apis', 'navigate'), ORIGIN)).toBe('page');
  });
});

describe('isCacheable', () => {
  it('stores a plain 200', () => {
    expect(isCacheable(response())).toBe(true);
    expect(isCacheable(response({ cacheControl: 'public, max-age=31536000, immutable' }))).toBe(true);
  });

  it('never stores a redirect, an error, an opaque or a private response', () => {
    expect(isCacheable(response({ redirected: true }))).toBe(false);
    expect(isCacheable(response({ status: 302, type: 'opaqueredirect' }))).toBe(false);
    expect(isCacheable(response({ status: 401 }))).toBe(false);
    expect(isCacheable(response({ status: 404 }))).toBe(false);
    expect(isCacheable(response({ status: 206 }))).toBe(false);
    expect(isCacheable(response({ type: 'opaque', status: 0 }))).toBe(false);
    expect(isCacheable(response({ type: 'cors' }))).toBe(false);
    expect(isCacheable(response({ cacheControl: 'no-store' }))).toBe(false);
    expect(isCacheable(response({ cacheControl: 'Private, max-age=60' }))).toBe(false);
  });
});

describe('caches by build', () => {
  it('deletes only this app’s caches of other builds', () => {
    const current = cacheNameFor('abc123');
    expect(isOutdatedCache(cacheNameFor('old999'), current)).toBe(true);
    expect(isOutdatedCache(current, current)).toBe(false);
    expect(isOutdatedCache('someone-elses-cache', current)).toBe(false);
  });
});
