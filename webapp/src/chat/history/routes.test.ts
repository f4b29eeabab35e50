import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRouter, parseRoute, routePath, sameRoute } from './routes';

afterEach(() => {
  window.history.replaceState(null, '', '/');
});

describe('routes', () => {
  it('reads the address', () => {
    expect(parseRoute('/')).toEqual({ kind: 'new' });
    expect(parseRoute('/index.html')).toEqual({ kind: 'new' });
    expect(parseRoute('/c/5f0c9e')).toEqual({ kind: 'conversation', id: '5f0c9e' });
    expect(parseRoute('/c/5f0c9e/')).toEqual({ kind: 'conversation', id: '5f0c9e' });
    expect(parseRoute('/c/')).toEqual({ kind: 'invalid' });
    expect(parseRoute('/c/a%2Fb')).toEqual({ kind: 'invalid' });
    expect(parseRoute('/c/%E0%A4%A')).toEqual({ kind: 'invalid' });
    expect(parseRoute('/c/<script>')).toEqual({ kind: 'invalid' });
    expect(parseRoute(`/c/${'x'.repeat(201)}`)).toEqual({ kind: 'invalid' });
  });

  it('writes it', () => {
    expect(routePath({ kind: 'new' })).toBe('/');
    expect(routePath({ kind: 'conversation', id: 'abc' })).toBe('/c/abc');
    expect(sameRoute({ kind: 'conversation', id: 'a' }, { kind: 'conversation', id: 'a' })).toBe(true);
    expect(sameRoute({ kind: 'conversation', id: 'a' }, { kind: 'new' })).toBe(false);
  });

  it('pushes and replaces history entries, and reports back/forward', async () => {
    const onChange = vi.fn();
    const router = createRouter(onChange);
    const before = window.history.length;
    router.push({ kind: 'conversation', id: 'one' });
    expect(window.location.pathname).toBe('/c/one');
    router.push({ kind: 'conversation', id: 'one' });
    expect(window.history.length).toBe(before + 1);
    router.replace({ kind: 'conversation', id: 'two' });
    expect(window.location.pathname).toBe('/c/two');
    expect(window.history.length).toBe(before + 1);
    expect(onChange).not.toHaveBeenCalled();
    window.history.back();
    await vi.waitFor(() => expect(onChange).toHaveBeenCalledWith({ kind: 'new' }));
    expect(router.current()).toEqual({ kind: 'new' });
    router.destroy();
  });
});
