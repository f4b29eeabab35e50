/**
 * The service worker, built to `/sw.js` by `build/service-worker.ts` (which writes this
 * build's shell files and version into {@link SHELL}). What it may touch and store is
 * decided in `sw-routing.ts`; this file only wires those decisions to the worker's events.
 *
 * A new deploy takes over at once: its `sw.js` differs (the version is in it), installs
 * next to the old one, skips waiting, claims the open pages and deletes the older caches.
 * Pages come from the network anyway, so even before that they load the new build.
 */
import { cacheNameFor, isCacheable, isOutdatedCache, OFFLINE_PAGE, strategyFor } from './sw-routing';

interface ShellManifest {
  /** Changes with every build whose shell differs. */
  readonly version: string;
  /** What the offline page and the first load of the app need. */
  readonly files: readonly string[];
}

interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}

interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}

interface WorkerScope {
  readonly location: { readonly origin: string };
  readonly clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
}

// The app's tsconfig has the DOM lib, where `self` is a Window; the WebWorker lib cannot
// join it in one program, so the few worker types used here are declared above.
const worker = self as unknown as WorkerScope;

// The build replaces this string with the manifest's JSON (see build/service-worker.ts).
const SHELL = JSON.parse('__SHELL_MANIFEST__') as ShellManifest;
const CACHE = cacheNameFor(SHELL.version);

async function precache(): Promise<void> {
  const cache = await caches.open(CACHE);
  await Promise.all(
    SHELL.files.map(async (file) => {
      // Hashed files never change under their name; the offline page might.
      const response = await fetch(file, { cache: file.startsWith('/assets/') ? 'default' : 'no-cache' });
      // A redirect here is the sign-in page: install fails and is tried again next time.
      if (!isCacheable(response)) throw new Error(`${file}: ${response.status}`);
      await cache.put(file, response);
    }),
  );
}

async function dropOutdatedCaches(): Promise<void> {
  const names = await caches.keys();
  await Promise.all(names.filter((name) => isOutdatedCache(name, CACHE)).map((name) => caches.delete(name)));
}

/** Whatever the network answers (the app, a 302 to sign in, a 403 page) goes through as is. */
async function page(request: Request): Promise<Response> {
  try {
    return await fetch(request);
  } catch {
    return (await caches.match(OFFLINE_PAGE, { cacheName: CACHE })) ?? Response.error();
  }
}

async function asset(event: FetchEvent): Promise<Response> {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(event.request);
  if (cached !== undefined) return cached;
  const response = await fetch(event.request);
  if (isCacheable(response)) event.waitUntil(cache.put(event.request, response.clone()));
  return response;
}

worker.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => worker.skipWaiting()));
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(dropOutdatedCaches().then(() => worker.clients.claim()));
});

worker.addEventListener('fetch', (event) => {
  const strategy = strategyFor(event.request, worker.location.origin);
  if (strategy === 'page') event.respondWith(page(event.request));
  else if (strategy === 'asset') event.respondWith(asset(event));
  // 'network': not answered here, so the browser fetches exactly as if there were no worker.
});
