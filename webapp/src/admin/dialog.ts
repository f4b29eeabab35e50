/**
 * The admin page's dialogs: a native modal `<dialog>` labelled by its heading (ui/modal.ts
 * moves focus in, closes on Escape, gives focus back), taken off the page once closed.
 * `confirmAction` asks before something that cannot be undone with one click.
 */
import { h, uniqueId } from '../ui/dom';
import { modal, type Modal } from '../ui/modal';
import '../ui/modal-sheet.css';

export interface AdminDialog {
  readonly element: HTMLDialogElement;
  readonly modal: Modal;
}

export function openAdminDialog(title: string, initialFocus: () => HTMLElement | null, ...content: Node[]): AdminDialog {
  const titleId = uniqueId('admin-dialog-title');
  const element = h(
    'dialog',
    { class: 'modal-sheet admin-dialog', attrs: { 'aria-labelledby': titleId } },
    h('h2', { class: 'admin-dialog__title', attrs: { id: titleId } }, title),
    ...content,
  );
  const control = modal(element, { initialFocus, onClose: () => element.remove() });
  control.open();
  return { element, modal: control };
}

export interface ConfirmOptions {
  readonly title: string;
  readonly text: string;
  readonly confirmLabel: string;
}

/** Resolves true when the admin confirms, false when they cancel or press Escape. */
export function confirmAction(options: ConfirmOptions): Promise<boolean> {
  return new Promise((resolve) => {
    let confirmed = false;
    const cancel = h('button', { class: 'button button--secondary', attrs: { type: 'button' } }, 'Cancel');
    const confirm = h('button', { class: 'button button--danger', attrs: { type: 'button' } }, options.confirmLabel);
    // Cancel gets focus: Enter straight after opening must not do the harmful thing.
    const dialog = openAdminDialog(
      options.title,
      () => cancel,
      h('p', { class: 'admin-dialog__text' }, options.text),
      h('div', { class: 'admin-dialog__actions' }, cancel, confirm),
    );
    dialog.element.addEventListener('close', () => resolve(confirmed));
    cancel.addEventListener('click', () => dialog.modal.close());
    confirm.addEventListener('click', () => {
      confirmed = true;
      dialog.modal.close();
    });
  });
}
