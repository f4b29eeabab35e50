/**
 * The "Keyboard shortcuts" dialog: a native `<dialog>` opened with `showModal()` (focus
 * moves to its Close button), listing {@link SHORTCUTS} in a table. Escape, Close or a
 * click on the backdrop closes it, and focus goes back to where it was.
 */
import { h, uniqueId } from '../../ui/dom';
import { modal } from '../../ui/modal';
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
    { class: 'modal-sheet shortcuts', attrs: { 'aria-labelledby': titleId } },
    h('h2', { class: 'shortcuts__title', attrs: { id: titleId } }, 'Keyboard shortcuts'),
    h(
      'p',
      { class: 'shortcuts__hint' },
      'They do not work while you type in a text field, except Shift+Esc and, in the message box, Esc.',
    ),
    table,
    h('div', { class: 'shortcuts__actions' }, closeButton),
  );

  const { open, close, isOpen } = modal(element, { initialFocus: () => closeButton, fallbackFocus: options.fallbackFocus });
  closeButton.addEventListener('click', () => close());

  return { element, open, close, isOpen };
}
