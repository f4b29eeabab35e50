/**
 * Open and close a native `<dialog>` as a modal: focus goes to `initialFocus` on open and
 * back to where it was on close (or to `fallbackFocus` when that element is gone). Escape
 * and a click on the backdrop close it. Give the dialog the class `modal-sheet` for its look.
 */
import './modal-sheet.css';

export interface Modal {
  open(): void;
  close(): void;
  isOpen(): boolean;
}

export interface ModalOptions {
  readonly initialFocus: () => HTMLElement | null;
  readonly fallbackFocus?: (() => void) | undefined;
  readonly onClose?: () => void;
}

export function modal(element: HTMLDialogElement, options: ModalOptions): Modal {
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
    options.initialFocus()?.focus();
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
    options.onClose?.();
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

  return { open, close, isOpen };
}
