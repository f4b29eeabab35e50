/**
 * Registers `/sw.js` (production builds only: main.ts checks). After the page has loaded,
 * so the worker's first install never competes with the app's own first load.
 */
export const SERVICE_WORKER_URL = '/sw.js';

export function registerServiceWorker(container: ServiceWorkerContainer, target: Window = window): void {
  const register = (): void => {
    // The app works the same without it (only slower to start and with no offline page).
    container.register(SERVICE_WORKER_URL, { scope: '/' }).catch(() => undefined);
  };
  if (target.document.readyState === 'complete') register();
  else target.addEventListener('load', register, { once: true });
}
