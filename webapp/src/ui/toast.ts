/**
 * Short messages at the bottom of the screen for what happened in the background or
 * cannot be shown in place: "Deleted … Undo", a rename that met a change made elsewhere, a
 * failed export. The region is a polite live region, so each toast is read once. A toast
 * stays while the pointer is over it or focus is in it (its time is not up while the user
 * is reading or reaching for Undo), and can always be dismissed.
 */
import { h } from './dom';
import './toast.css';

export interface ToastOptions {
  readonly action?: { readonly label: string; readonly run: () => void };
  /** Default {@link DEFAULT_TOAST_MS}; 0 keeps it until dismissed. */
  readonly timeoutMs?: number;
  /** The time stopped (pointer or focus in the toast) / runs again. */
  readonly onHold?: () => void;
  readonly onRelease?: () => void;
  /** It went away, whatever the reason (time, Dismiss, action). */
  readonly onClose?: () => void;
  /** The user dismissed it (the × button or Escape), not its action and not time. */
  readonly onDismiss?: () => void;
}

export interface Toast {
  readonly element: HTMLElement;
  dismiss(): void;
}

export interface Toaster {
  readonly element: HTMLElement;
  show(message: string, options?: ToastOptions): Toast;
  clear(): void;
}

export const DEFAULT_TOAST_MS = 8000;
const MAX_TOASTS = 3;

export function createToaster(): Toaster {
  const element = h('div', {
    class: 'toasts',
    attrs: { role: 'status', 'aria-live': 'polite', 'aria-label': 'Notifications' },
  });
  const toasts = new Set<Toast>();

  return {
    element,
    show(message, options = {}) {
      const timeout = options.timeoutMs ?? DEFAULT_TOAST_MS;
      let timer: ReturnType<typeof setTimeout> | null = null;
      let closed = false;
      let held = false;
      const actionButton =
        options.action === undefined
          ? null
          : h('button', { class: 'toast__action', attrs: { type: 'button' } }, options.action.label);
      const dismissButton = h(
        'button',
        { class: 'toast__dismiss', attrs: { type: 'button', 'aria-label': 'Dismiss' } },
        h('span', { attrs: { 'aria-hidden': 'true' } }, '×'),
      );
      const toastElement = h('div', { class: 'toast' }, h('p', { class: 'toast__text' }, message), actionButton, dismissButton);

      const start = (): void => {
        if (timeout > 0 && timer === null && !closed) timer = setTimeout(() => toast.dismiss(), timeout);
      };
      const hold = (): void => {
        if (held || closed) return;
        held = true;
        if (timer !== null) clearTimeout(timer);
        timer = null;
        options.onHold?.();
      };
      const release = (): void => {
        if (!held || closed) return;
        if (toastElement.matches(':hover') || toastElement.contains(document.activeElement)) return;
        held = false;
        options.onRelease?.();
        start();
      };

      const toast: Toast = {
        element: toastElement,
        dismiss() {
          if (closed) return;
          closed = true;
          if (timer !== null) clearTimeout(timer);
          toasts.delete(toast);
          const hadFocus = toastElement.contains(document.activeElement);
          toastElement.remove();
          if (held) options.onRelease?.();
          options.onClose?.();
          // Focus must not fall to the body: the main content is the natural next place.
          if (hadFocus) document.getElementById('main')?.focus({ preventScroll: true });
        },
      };

      actionButton?.addEventListener('click', () => {
        toast.dismiss();
        options.action?.run();
      });
      const dismissedByUser = (): void => {
        toast.dismiss();
        options.onDismiss?.();
      };
      dismissButton.addEventListener('click', dismissedByUser);
      toastElement.addEventListener('pointerenter', hold);
      toastElement.addEventListener('pointerleave', release);
      toastElement.addEventListener('focusin', hold);
      toastElement.addEventListener('focusout', (event) => {
        if (!toastElement.contains(event.relatedTarget as Node | null)) release();
      });
      toastElement.addEventListener('keydown', (event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          dismissedByUser();
        }
      });

      toasts.add(toast);
      element.appendChild(toastElement);
      while (toasts.size > MAX_TOASTS) toasts.values().next().value?.dismiss();
      start();
      return toast;
    },
    clear() {
      for (const toast of [...toasts]) toast.dismiss();
    },
  };
}
