/**
 * The organisation's usage note (the admin's USAGE_NOTE, e.g. "for work only, no customer
 * data"): shown in full on a new chat, and one click away under the message box while
 * chatting, in a dialog.
 */
import { h, show, uniqueId } from '../../ui/dom';
import { linkedText } from '../../ui/linked-text';
import { modal } from '../../ui/modal';
import './usage-note.css';

export interface UsageNote {
  /** The note as a block, for the empty conversation (hidden while there is none). */
  readonly block: HTMLElement;
  /** The "Usage note" button, for under the message box (hidden while there is none). */
  readonly button: HTMLButtonElement;
  readonly dialog: HTMLDialogElement;
  set(note: string | null): void;
  close(): void;
}

export function createUsageNote(options: { readonly fallbackFocus?: () => void } = {}): UsageNote {
  const titleId = uniqueId('usage-note-title');
  const blockText = h('p', { class: 'usage-note__text' });
  const block = h('section', { class: 'usage-note', attrs: { 'aria-label': 'Usage note', hidden: true } }, blockText);
  const dialogText = h('p', { class: 'usage-note__text' });
  const closeButton = h('button', { class: 'button button--secondary', attrs: { type: 'button' } }, 'Close');
  const dialog = h(
    'dialog',
    { class: 'modal-sheet usage-note-dialog', attrs: { 'aria-labelledby': titleId } },
    h('h2', { class: 'usage-note-dialog__title', attrs: { id: titleId } }, 'Usage note'),
    dialogText,
    h('div', { class: 'usage-note-dialog__actions' }, closeButton),
  );
  const control = modal(dialog, { initialFocus: () => closeButton, fallbackFocus: options.fallbackFocus });
  closeButton.addEventListener('click', () => control.close());
  const button = h(
    'button',
    { class: 'link-button usage-note__open', attrs: { type: 'button', hidden: true }, on: { click: () => control.open() } },
    'Usage note',
  );

  return {
    block,
    button,
    dialog,
    set(note) {
      const text = note?.trim() ?? '';
      blockText.replaceChildren(linkedText(text));
      dialogText.replaceChildren(linkedText(text));
      show(block, text !== '');
      show(button, text !== '');
    },
    close: () => control.close(),
  };
}
