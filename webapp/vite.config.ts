import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { cspGuard } from './build/csp-guard.ts';
import { serviceWorker } from './build/service-worker.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * `npm run dev` alone serves only the front end. To talk to an API, either run it behind the
 * SWA CLI (`swa start http://localhost:5173 …`, which adds the auth routes and the principal
 * header) or set CHAT_DEV_API to a server that answers /api and /.auth (e.g. the SWA emulator).
 */
const devApi = process.env.CHAT_DEV_API;

export default defineConfig({
  root,
  // Everything is same-origin and offline: no CDN, no remote fonts.
  base: '/',
  plugins: [
    cspGuard(),
    serviceWorker({
      entry: resolve(root, 'src/pwa/service-worker.ts'),
      shellPages: ['index.html'],
      cachedPages: ['offline.html'],
    }),
  ],
  server: devApi ? { proxy: { '/api': devApi, '/.auth': devApi } } : {},
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // The polyfill would be an inline <script>, which the CSP (script-src 'self') forbids.
    modulePreload: { polyfill: false },
    // Keep every asset a file: the CSP allows data: only for images.
    assetsInlineLimit: 0,
    rolldownOptions: {
      input: {
        index: resolve(root, 'index.html'),
        login: resolve(root, 'login.html'),
        unauthorized: resolve(root, 'unauthorized.html'),
        // The admin's page (/admin): its own entry, so the chat never loads its code.
        admin: resolve(root, 'admin.html'),
        // Shown by the service worker when a page cannot be reached (src/pwa).
        offline: resolve(root, 'offline.html'),
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts', 'build/**/*.test.ts'],
    restoreMocks: true,
  },
});
