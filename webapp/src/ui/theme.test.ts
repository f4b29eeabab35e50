import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyTheme, createThemeStore, readTheme, THEME_KEY } from './theme';

afterEach(() => {
  localStorage.clear();
  document.documentElement.removeAttribute('data-theme');
});

describe('theme store', () => {
  it('defaults to System: no data-theme, nothing stored', () => {
    const store = createThemeStore(localStorage);
    expect(store.get()).toBe('system');
    expect(document.documentElement.hasAttribute('data-theme')).toBe(false);
    expect(localStorage.getItem(THEME_KEY)).toBeNull();
  });

  it('applies and remembers a choice, and reads it back on the next load', () => {
    const store = createThemeStore(localStorage);
    const listener = vi.fn();
    store.subscribe(listener);
    store.set('dark');
    expect(document.documentElement.getAttribute('data-theme')).toBe('dark');
    expect(localStorage.getItem(THEME_KEY)).toBe('dark');
    expect(listener).toHaveBeenCalledWith('dark');

    document.documentElement.removeAttribute('data-theme');
    const next = createThemeStore(localStorage);
    expect(next.get()).toBe('dark');
    expect(document.documentElement.getAttribute('data-theme')).toBe('dark');

    next.set('light');
    expect(document.documentElement.getAttribute('data-theme')).toBe('light');
    next.set('system');
    expect(document.documentElement.hasAttribute('data-theme')).toBe(false);
    expect(localStorage.getItem(THEME_KEY)).toBeNull();
  });

  it('ignores a value it does not know, and storage that fails', () => {
    localStorage.setItem(THEME_KEY, 'purple');
    expect(readTheme(localStorage)).toBe('system');
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => undefined,
    } as unknown as Storage;
    expect(readTheme(broken)).toBe('system');
    const store = createThemeStore(broken);
    expect(() => store.set('dark')).not.toThrow();
    expect(document.documentElement.getAttribute('data-theme')).toBe('dark');
    expect(readTheme(null)).toBe('system');
  });

  it('sets the attribute on the element given', () => {
    const root = document.createElement('div');
    applyTheme('light', root);
    expect(root.dataset.theme).toBe('light');
    applyTheme('system', root);
    expect(root.hasAttribute('data-theme')).toBe(false);
  });
});
