import { describe, expect, it } from 'vitest';
import { aadLoginUrl, checkAccess, loginPageUrl, safeReturnPath } from './auth';

const origin = 'https://chat.example.org';

describe('safeReturnPath', () => {
  it('keeps same-origin paths with query and fragment', () => {
    expect(safeReturnPath('/?c=1#x', origin)).toBe('/?c=1#x');
    expect(safeReturnPath('/chat/abc', origin)).toBe('/chat/abc');
  });

  it('refuses anything that could leave the site', () => {
    for (const bad of ['https://evil.example', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', 'evil', '']) {
      expect(safeReturnPath(bad, origin)).toBe('/');
    }
    expect(safeReturnPath(null, origin)).toBe('/');
  });

  it('does not send the user back to the login page', () => {
    expect(safeReturnPath('/login.html?return=/', origin)).toBe('/');
  });
});

describe('URLs', () => {
  it('builds the login URLs', () => {
    expect(loginPageUrl('/a?b=1')).toBe('/login.html?return=%2Fa%3Fb%3D1');
    expect(aadLoginUrl('/a?b=1')).toBe('/.auth/login/aad?post_login_redirect_uri=%2Fa%3Fb%3D1');
  });
});

describe('checkAccess', () => {
  const json = { 'content-type': 'application/json' };
  const html = { 'content-type': 'text/html' };
  /** A fetch answering /api/me with `me` and /.auth/me with `principal`. */
  const site =
    (me: () => Response, principal: unknown = null): typeof fetch =>
    async (input) =>
      String(input) === '/.auth/me' ? new Response(JSON.stringify({ clientPrincipal: principal }), { headers: json }) : me();
  const redirected = (response: Response): Response => Object.defineProperty(response, 'redirected', { value: true });
  const someone = { identityProvider: 'aad', userId: 'u', userDetails: 'zoe@example.org', userRoles: ['authenticated'] };

  it('allows a caller /api/me answers', async () => {
    expect(await checkAccess(site(() => new Response('{"user_id":"u"}', { headers: json })))).toBe('allowed');
  });

  it('tells signed out from signed in without the role', async () => {
    const toLogin = () => redirected(new Response('<html>', { headers: html }));
    expect(await checkAccess(site(toLogin, null))).toBe('signed-out');
    expect(await checkAccess(site(toLogin, someone))).toBe('forbidden');
    expect(await checkAccess(site(() => new Response('{}', { status: 401, headers: json }), null))).toBe('signed-out');
    expect(await checkAccess(site(() => new Response('<html>', { status: 403, headers: html })))).toBe('forbidden');
  });

  it('does not guess when the API is down or unreachable', async () => {
    expect(await checkAccess(site(() => new Response('', { status: 502 })))).toBe('unknown');
    const offline: typeof fetch = async () => {
      throw new TypeError('offline');
    };
    expect(await checkAccess(offline)).toBe('unknown');
  });
});
