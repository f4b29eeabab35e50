/**
 * "Delete X?": a small modal `alertdialog` that resolves true when the user confirms.
 * Focus starts on Cancel, so Enter alone never destroys anything.
 */
import { h, uniqueId } from '../../../ui/dom';
import { modal } from '../../../ui/modal';
import '../dialog-frame.css';

export interface ConfirmText {
  readonly title: string;
  readonly text: string;
  readonly confirm: string;
}

export function confirmDanger({ title, text, confirm }: ConfirmText): Promise<boolean> {
  const titleId = uniqueId('confirm-title');
  const textId = uniqueId('confirm-text');
  const cancelButton = h('button', { class: 'button button--secondary', attrs: { type: 'button' } }, 'Cancel');
  const confirmButton = h('button', { class: 'button button--danger', attrs: { type: 'button' } }, confirm);
  const element = h(
    'dialog',
    { class: 'modal-sheet assistant-dialog confirm-dialog', attrs: { role: 'alertdialog', 'aria-labelledby': titleId, 'aria-describedby': textId } },
    h('h2', { class: 'assistant-dialog__title', attrs: { id: titleId } }, title),
    h('p', { class: 'confirm-dialog__text', attrs: { id: textId } }, text),
    h('div', { class: 'assistant-dialog__actions' }, cancelButton, confirmButton),
  );
  return new Promise((resolve) => {
    let confirmed = false;
    const control = modal(element, {
      initialFocus: () => cancelButton,
      onClose: () => {
        element.remove();
        resolve(confirmed);
      },
    });
    cancelButton.addEventListener('click', () => control.close());
    confirmButton.addEventListener('click', () => {
      confirmed = true;
      control.close();
    });
    document.body.append(element);
    control.open();
  });
}
