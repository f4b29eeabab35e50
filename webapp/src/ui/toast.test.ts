import { afterEach, describe, expect, it, vi } from 'vitest';
import { createToaster } from './toast';

afterEach(() => {
  vi.useRealTimers();
  document.body.replaceChildren();
});

function setup() {
  const toaster = createToaster();
  document.body.append(toaster.element);
  const onDismiss = vi.fn();
  const onClose = vi.fn();
  const run = vi.fn();
  const toast = toaster.show('Deleted “x”.', { timeoutMs: 1000, onDismiss, onClose, action: { label: 'Undo', run } });
  const button = (name: string): HTMLButtonElement | null =>
    [...toast.element.querySelectorAll('button')].find((b) => b.textContent === name || b.getAttribute('aria-label') === name) ?? null;
  return { toast, onDismiss, onClose, run, button };
}

describe('toast', () => {
  it('tells a dismissal by the user apart from its action and from time running out', () => {
    vi.useFakeTimers();
    const byButton = setup();
    byButton.button('Dismiss')?.click();
    expect(byButton.onDismiss).toHaveBeenCalledOnce();
    expect(byButton.onClose).toHaveBeenCalledOnce();

    const byEscape = setup();
    byEscape.toast.element.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(byEscape.onDismiss).toHaveBeenCalledOnce();

    const byAction = setup();
    byAction.button('Undo')?.click();
    expect(byAction.run).toHaveBeenCalledOnce();
    expect(byAction.onDismiss).not.toHaveBeenCalled();

    const byTime = setup();
    vi.advanceTimersByTime(1000);
    expect(byTime.onClose).toHaveBeenCalledOnce();
    expect(byTime.onDismiss).not.toHaveBeenCalled();
  });
});
