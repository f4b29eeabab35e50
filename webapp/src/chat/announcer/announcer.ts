/**
 * A polite live region for screen readers: says when an answer is complete (or stopped or
 * failed) rather than reading every token as it streams.
 */
import { h } from '../../ui/dom';

const CLEAR_AFTER_MS = 10_000;

export interface Announcer {
  readonly element: HTMLElement;
  announce(message: string): void;
}

export function createAnnouncer(): Announcer {
  const element = h('div', {
    class: 'visually-hidden',
    attrs: { id: 'announcer', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' },
  });
  let timer: ReturnType<typeof setTimeout> | null = null;
  return {
    element,
    announce(message) {
      // Clear first so the same sentence twice in a row is still announced; clear again
      // later so a stale sentence does not linger in the document.
      element.textContent = '';
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(() => {
        element.textContent = message;
        timer = setTimeout(() => {
          element.textContent = '';
          timer = null;
        }, CLEAR_AFTER_MS);
      }, 100);
    },
  };
}
