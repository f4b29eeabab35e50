import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHelpDialog } from './help-dialog';

// jsdom has no showModal()/close(): a minimal stand-in with the same events.
beforeAll(() => {
  const proto = HTMLDialogElement.prototype as HTMLDialogElement & { showModal: () => void; close: () => void };
  if (typeof proto.showModal !== 'function') {
    proto.showModal = function showModal(this: HTMLDialogElement) {
      this.setAttribute('open', '');
    };
  }
  if (typeof proto.close !== 'function') {
    proto.close = function close(this: HTMLDialogElement) {
      if (!this.hasAttribute('open')) return;
      this.removeAttribute('open');
      this.dispatchEvent(new Event('close'));
    };
  }
});

afterEach(() => document.body.replaceChildren());

describe('help dialog', () => {
  function setup() {
    const opener = document.createElement('button');
    opener.textContent = 'Keyboard shortcuts';
    document.body.append(opener);
    const dialog = createHelpDialog({ mac: false });
    document.body.append(dialog.element);
    opener.focus();
    return { opener, dialog };
  }

  it('is a labelled dialog with a heading and a table of the shortcuts', () => {
    const { dialog } = setup();
    const element = dialog.element;
    expect(element.tagName).toBe('DIALOG');
    const title = document.getElementById(element.getAttribute('aria-labelledby') ?? '');
    expect(title?.tagName).toBe('H2');
    expect(title?.textContent).toBe('Keyboard shortcuts');
    const rows = [...element.querySelectorAll('tbody tr')].map((row) => row.textContent);
    expect(rows).toHaveLength(7);
    expect(rows).toContain('Ctrl+Shift+ONew chat');
    expect(rows).toContain('Ctrl+KSearch conversations');
    expect(element.querySelectorAll('th[scope="col"]')).toHaveLength(2);
  });

  it('shows ⌘ on macOS', () => {
    const dialog = createHelpDialog({ mac: true });
    expect(dialog.element.textContent).toContain('⌘+/');
  });

  it('opens modal with focus inside, closes on Escape and gives focus back', () => {
    const { opener, dialog } = setup();
    dialog.open();
    expect(dialog.isOpen()).toBe(true);
    expect(dialog.element.contains(document.activeElement)).toBe(true);
    const escape = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
    document.activeElement?.dispatchEvent(escape);
    expect(escape.defaultPrevented).toBe(true);
    expect(dialog.isOpen()).toBe(false);
    expect(document.activeElement).toBe(opener);
  });

  it('closes with its Close button and a click on the backdrop', () => {
    const { opener, dialog } = setup();
    dialog.open();
    const close = [...dialog.element.querySelectorAll('button')].find((b) => b.textContent === 'Close');
    close?.click();
    expect(dialog.isOpen()).toBe(false);
    expect(document.activeElement).toBe(opener);
    dialog.open();
    dialog.element.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(dialog.isOpen()).toBe(false);
    expect(document.activeElement).toBe(opener);
  });

  it('falls back when the element that had focus is gone', () => {
    const opener = document.createElement('button');
    const fallback = document.createElement('textarea');
    document.body.append(opener, fallback);
    const dialog = createHelpDialog({ mac: false, fallbackFocus: () => fallback.focus() });
    opener.focus();
    dialog.open();
    opener.remove();
    dialog.close();
    expect(document.activeElement).toBe(fallback);
  });
});
