import type { FrameScheduler } from './incremental';

/** A scheduler the test drives by hand. */
export function manualFrames(): FrameScheduler & { run(): void; pending(): number } {
  const callbacks = new Map<number, () => void>();
  let next = 1;
  return {
    request(callback) {
      callbacks.set(next, callback);
      return next++;
    },
    cancel(handle) {
      callbacks.delete(handle);
    },
    run() {
      const due = Array.from(callbacks.values());
      callbacks.clear();
      for (const callback of due) callback();
    },
    pending: () => callbacks.size,
  };
}
