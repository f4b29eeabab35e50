/**
 * The "Keyboard shortcuts" dialog: a native `<dialog>` opened with `showModal()` (focus
 * moves to its Close button), listing {@link SHORTCUTS} in a table. Escape, Close or a
 * click on the backdrop closes it, and focus goes back to where it was.
 */
import { h, uniqueId } from '../../ui/dom';
import { SHORTCUTS, isMac } from './shortcuts';
import './help-dialog.css';

export interface HelpDialog {
  readonly element: HTMLDialogElement;
  open(): void;
  close(): void;
  isOpen(): boolean;
}

function keysCell(keys: readonly string[]): HTMLElement {
  const cell = h('td', { class: 'shortcuts__keys' });
  keys.forEach((key, index) => {
    if (index > 0) cell.append(h('span', { class: 'shortcuts__plus', attrs: { 'aria-hidden': 'true' } }, '+'));
    cell.append(h('kbd', {}, key));
  });
  return cell;
}

export function createHelpDialog(options: { readonly mac?: boolean; readonly fallbackFocus?: () => void } = {}): HelpDialog {
  const mac = options.mac ?? isMac();
  const titleId = uniqueId('shortcuts-title');
  const closeButton = h('button', { class: 'button button--secondary shortcuts__close', attrs: { type: 'button' } }, 'Close');
  const table = h(
    'table',
    { class: 'shortcuts__table' },
    h('thead', {}, h('tr', {}, h('th', { attrs: { scope: 'col' } }, 'Keys'), h('th', { attrs: { scope: 'col' } }, 'Action'))),
    h(
      'tbody',
      {},
      ...SHORTCUTS.map((shortcut) => h('tr', {}, keysCell(shortcut.keys(mac)), h('td', {}, shortcut.description))),
    ),
  );
  const element = h(
    'dialog',
    { class: 'shortcuts', attrs: { 'aria-labelledby': titleId } },
    h('h2', { class: 'shortcuts__title', attrs: { id: titleId } }, 'Keyboard shortcuts'),
    h(
      'p',
      { class: 'shortcuts__hint' },
      'They do not work while you type in a text field, except Shift+Esc and, in the message box, Esc.',
    ),
    table,
    h('div', { class: 'shortcuts__actions' }, closeButton),
  );

  let returnTo: HTMLElement | null = null;

  function isOpen(): boolean {
    return element.open || element.hasAttribute('open');
  }

  function open(): void {
    if (isOpen()) return;
    returnTo = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
    if (!element.isConnected) document.body.append(element);
    if (typeof element.showModal === 'function') element.showModal();
    else element.setAttribute('open', '');
    closeButton.focus();
  }

  function close(): void {
    if (!isOpen()) return;
    if (typeof element.close === 'function') element.close();
    else {
      element.removeAttribute('open');
      element.dispatchEvent(new Event('close'));
    }
  }

  element.addEventListener('close', () => {
    const target = returnTo;
    returnTo = null;
    if (target !== null && target.isConnected && !target.closest('[inert]')) target.focus();
    else options.fallbackFocus?.();
  });
  element.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    close();
  });
  // The backdrop is the dialog element itself (its content is in children).
  element.addEventListener('click', (event) => {
    if (event.target === element) close();
  });
  closeButton.addEventListener('click', () => close());

  return { element, open, close, isOpen };
}
