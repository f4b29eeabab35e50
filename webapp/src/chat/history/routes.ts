/**
 * The address of the screen: `/` is a new chat, `/c/<id>` a saved conversation. The SWA
 * configuration serves index.html for any unknown path, so a reload or a shared link lands
 * here; back and forward are `popstate`.
 */

export type Route =
  | { readonly kind: 'new' }
  | { readonly kind: 'conversation'; readonly id: string }
  /** `/c/…` with something that cannot be a conversation id: shown as "does not exist". */
  | { readonly kind: 'invalid' };

/** What a conversation id may look like (the API's are hex; stay lenient, stay safe). */
const ID = /^[A-Za-z0-9_-]{1,200}$/;

export function parseRoute(pathname: string): Route {
  const match = /^\/c\/([^/]*)\/?$/.exec(pathname);
  if (match === null) return { kind: 'new' };
  let id: string;
  try {
    id = decodeURIComponent(match[1] ?? '');
  } catch {
    return { kind: 'invalid' };
  }
  return ID.test(id) ? { kind: 'conversation', id } : { kind: 'invalid' };
}

export function routePath(route: Route): string {
  return route.kind === 'conversation' ? `/c/${encodeURIComponent(route.id)}` : '/';
}

export function sameRoute(a: Route, b: Route): boolean {
  if (a.kind === 'conversation' && b.kind === 'conversation') return a.id === b.id;
  return a.kind === b.kind;
}

export interface Router {
  current(): Route;
  /** Go to `route` as a new history entry (nothing happens if it is the current one). */
  push(route: Route): void;
  /** Change the address without a new entry (a new chat that just got its id). */
  replace(route: Route): void;
  destroy(): void;
}

/**
 * `onChange` runs for back/forward only: `push` and `replace` come from the app, which
 * already knows where it is going.
 */
export function createRouter(onChange: (route: Route) => void, win: Window = window): Router {
  const listener = (): void => onChange(parseRoute(win.location.pathname));
  win.addEventListener('popstate', listener);
  return {
    current: () => parseRoute(win.location.pathname),
    push(route) {
      const path = routePath(route);
      if (win.location.pathname !== path) win.history.pushState(null, '', path);
    },
    replace(route) {
      const path = routePath(route);
      if (win.location.pathname !== path) win.history.replaceState(null, '', path);
    },
    destroy() {
      win.removeEventListener('popstate', listener);
    },
  };
}
