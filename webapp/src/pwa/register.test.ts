import { describe, expect, it, vi } from 'vitest';
import { registerServiceWorker, SERVICE_WORKER_URL } from './register';

function fakeContainer(result: Promise<unknown> = Promise.resolve({})): ServiceWorkerContainer & { register: ReturnType<typeof vi.fn> } {
  return { register: vi.fn(() => result) } as unknown as ServiceWorkerContainer & { register: ReturnType<typeof vi.fn> };
}

describe('registerServiceWorker', () => {
  it('registers /sw.js for the whole site once the page has loaded', () => {
    const container = fakeContainer();
    registerServiceWorker(container);
    // jsdom has finished loading the test page.
    expect(container.register).toHaveBeenCalledWith(SERVICE_WORKER_URL, { scope: '/' });
  });

  it('waits for the load event while the page is still loading', () => {
    const container = fakeContainer();
    const target = new EventTarget() as EventTarget & { document: { readyState: string } };
    target.document = { readyState: 'interactive' };
    registerServiceWorker(container, target as unknown as Window);
    expect(container.register).not.toHaveBeenCalled();
    target.dispatchEvent(new Event('load'));
    target.dispatchEvent(new Event('load'));
    expect(container.register).toHaveBeenCalledTimes(1);
  });

  it('keeps a failed registration to itself', async () => {
    const container = fakeContainer(Promise.reject(new Error('SecurityError')));
    registerServiceWorker(container);
    await Promise.resolve();
    expect(container.register).toHaveBeenCalledTimes(1);
  });
});
