/**
 * The frame the assistant screens share: a native `<dialog>` labelled by its heading, with
 * a close button in its top corner, opened as a modal (ui/modal.ts: focus in, Escape,
 * focus back). `afterClose` runs after the modal has given focus back, so it may move
 * focus on (to the message box, after a chat was started).
 */
import { h, uniqueId } from '../../ui/dom';
import { modal, type Modal } from '../../ui/modal';
import './dialog-frame.css';

export interface DialogFrame {
  readonly element: HTMLDialogElement;
  readonly title: HTMLHeadingElement;
  readonly head: HTMLElement;
  readonly modal: Modal;
}

export interface DialogFrameOptions {
  readonly className: string;
  readonly title: string;
  readonly initialFocus: () => HTMLElement | null;
  readonly onClose?: () => void;
  readonly afterClose?: () => void;
}

export function createDialogFrame(options: DialogFrameOptions, ...content: HTMLElement[]): DialogFrame {
  const titleId = uniqueId('dialog-title');
  const title = h('h2', { class: 'assistant-dialog__title', attrs: { id: titleId } }, options.title);
  const closeButton = h(
    'button',
    { class: 'icon-button assistant-dialog__close', attrs: { type: 'button', 'aria-label': 'Close' } },
    h('span', { class: 'icon-button__cross', attrs: { 'aria-hidden': 'true' } }),
  );
  const head = h('div', { class: 'assistant-dialog__head' }, title, closeButton);
  const element = h('dialog', { class: `modal-sheet assistant-dialog ${options.className}`, attrs: { 'aria-labelledby': titleId } }, head, ...content);
  const control = modal(element, {
    initialFocus: options.initialFocus,
    ...(options.onClose === undefined ? {} : { onClose: options.onClose }),
  });
  closeButton.addEventListener('click', () => control.close());
  // Registered after modal()'s own listener, so it runs after focus went back.
  element.addEventListener('close', () => options.afterClose?.());
  return { element, title, head, modal: control };
}
