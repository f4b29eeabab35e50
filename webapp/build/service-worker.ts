/**
 * A Vite plugin that builds the service worker (`src/pwa/service-worker.ts`) to `/sw.js` and
 * writes into it what this build's shell is: the offline page and the hashed JS and CSS that
 * the shell pages load first, and a version made from them. A deploy that changes any of
 * them changes `sw.js`, which is how browsers learn that there is a new worker (and cache).
 *
 * The worker must stay one classic script (Firefox and older Safari have no module workers),
 * so the build fails if it ever imports a chunk it shares with the app.
 */
import { createHash } from 'node:crypto';
import type { Plugin } from 'vite';

export interface ShellManifest {
  readonly version: string;
  readonly files: readonly string[];
}

export interface ServiceWorkerOptions {
  /** Absolute path of the worker's source. */
  readonly entry: string;
  /** Emitted HTML pages whose first-load files are precached, e.g. `index.html`. */
  readonly shellPages: readonly string[];
  /** Pages precached themselves (served from the cache when offline), e.g. `offline.html`. */
  readonly cachedPages: readonly string[];
  readonly fileName?: string;
}

export const MANIFEST_PLACEHOLDER = '__SHELL_MANIFEST__';

/** The `/assets/…` files an HTML page refers to (its entry, preloads and stylesheets). */
export function assetsOfPage(html: string): string[] {
  return Array.from(html.matchAll(/\s(?:src|href)="(\/assets\/[^"?#]+)"/g), (match) => match[1] ?? '').filter(
    (path) => path !== '',
  );
}

/** The manifest for these page sources (name → HTML); the version also covers the worker's code. */
export function shellManifest(pages: ReadonlyMap<string, string>, cachedPages: readonly string[], workerCode: string): ShellManifest {
  const files = new Set(cachedPages.map((page) => `/${page}`));
  const hash = createHash('sha256').update(workerCode);
  for (const [name, html] of [...pages].sort(([a], [b]) => a.localeCompare(b))) {
    hash.update(`\0${name}\0${html}`);
    for (const asset of assetsOfPage(html)) files.add(asset);
  }
  return { version: hash.digest('hex').slice(0, 16), files: [...files].sort() };
}

/** The worker's code with the manifest in place of the placeholder string literal. */
export function injectManifest(code: string, manifest: ShellManifest): string {
  const literal = new RegExp(`(["'\`])${MANIFEST_PLACEHOLDER}\\1`);
  if (!literal.test(code)) throw new Error(`the service worker has no ${MANIFEST_PLACEHOLDER} string to replace`);
  // A JS string literal holding the JSON (the worker JSON.parses it).
  return code.replace(literal, () => JSON.stringify(JSON.stringify(manifest)));
}

export function serviceWorker(options: ServiceWorkerOptions): Plugin {
  const fileName = options.fileName ?? 'sw.js';
  return {
    name: 'chat-on-azure:service-worker',
    apply: 'build',
    enforce: 'post',
    buildStart() {
      this.emitFile({ type: 'chunk', id: options.entry, fileName });
    },
    generateBundle(_options, bundle) {
      const worker = bundle[fileName];
      if (worker === undefined || worker.type !== 'chunk') return this.error(`${fileName} was not built`);
      if (worker.imports.length > 0 || worker.dynamicImports.length > 0) {
        return this.error(`${fileName} imports ${[...worker.imports, ...worker.dynamicImports].join(', ')}: a worker must be one script`);
      }
      const pages = new Map<string, string>();
      for (const page of [...options.shellPages, ...options.cachedPages]) {
        const item = bundle[page];
        if (item === undefined || item.type !== 'asset') return this.error(`${page} is not in the build`);
        pages.set(page, typeof item.source === 'string' ? item.source : new TextDecoder().decode(item.source));
      }
      // The map would be off past the placeholder (one minified line): a worker this small
      // goes without one rather than with a wrong one.
      const code = worker.code.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
      worker.code = injectManifest(code, shellManifest(pages, options.cachedPages, code));
      worker.map = null;
      delete bundle[`${fileName}.map`];
      return undefined;
    },
  };
}
