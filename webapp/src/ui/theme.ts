/**
 * The colour theme: Light, Dark or System (the default: follow `prefers-color-scheme`).
 * Remembered in localStorage under `chat-on-azure:theme` and applied as `data-theme` on
 * `<html>` (no attribute for System), which `styles/theme.css` turns into colours. `main.ts`
 * applies it before anything renders, so there is no flash and no inline script.
 */
export type Theme = 'light' | 'dark' | 'system';

export const THEME_KEY = 'chat-on-azure:theme';
export const THEMES: readonly Theme[] = ['light', 'dark', 'system'];
export const THEME_LABELS: Readonly<Record<Theme, string>> = { light: 'Light', dark: 'Dark', system: 'System' };

function isTheme(value: unknown): value is Theme {
  return value === 'light' || value === 'dark' || value === 'system';
}

function defaultStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** The remembered theme, or System. */
export function readTheme(storage: Storage | null = defaultStorage()): Theme {
  try {
    const value = storage?.getItem(THEME_KEY);
    return isTheme(value) ? value : 'system';
  } catch {
    return 'system';
  }
}

/** Set (Light, Dark) or remove (System) `data-theme` on `root`. */
export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  if (theme === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', theme);
}

export interface ThemeStore {
  get(): Theme;
  /** Apply and remember (System forgets the key). */
  set(theme: Theme): void;
  subscribe(listener: (theme: Theme) => void): () => void;
}

export function createThemeStore(
  storage: Storage | null = defaultStorage(),
  root: HTMLElement = document.documentElement,
): ThemeStore {
  let current = readTheme(storage);
  const listeners = new Set<(theme: Theme) => void>();
  applyTheme(current, root);
  return {
    get: () => current,
    set(theme) {
      current = theme;
      applyTheme(theme, root);
      try {
        if (theme === 'system') storage?.removeItem(THEME_KEY);
        else storage?.setItem(THEME_KEY, theme);
      } catch {
        // Not remembered, then: it still applies to this page.
      }
      for (const listener of listeners) listener(theme);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
