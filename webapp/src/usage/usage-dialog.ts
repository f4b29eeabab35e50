/**
 * "Your usage" in a modal `<dialog>` (ui/modal.ts: focus moves in, Escape closes, focus goes
 * back to whatever opened it). Loads the figures each time it opens and is removed from the
 * page when it closes, so the caller keeps nothing.
 */
import type { ApiClient } from '../api/client';
import { h, uniqueId } from '../ui/dom';
import { modal } from '../ui/modal';
import '../ui/modal-sheet.css';
import { createUsagePanel, type UsagePanelOptions } from './usage-panel';

export interface UsageDialog {
  readonly element: HTMLDialogElement;
  close(): void;
  /** Resolves when the figures have loaded or failed (tests wait on it). */
  readonly loaded: Promise<void>;
}

export function openUsageDialog(client: Pick<ApiClient, 'requestJson'>, options: UsagePanelOptions = {}): UsageDialog {
  const panel = createUsagePanel(client, options);
  const titleId = uniqueId('usage-title');
  const closeButton = h('button', { class: 'button button--secondary', attrs: { type: 'button' } }, 'Close');
  const element = h(
    'dialog',
    { class: 'modal-sheet usage-dialog', attrs: { 'aria-labelledby': titleId } },
    h('div', { class: 'usage-dialog__head' }, h('h2', { class: 'usage-dialog__title', attrs: { id: titleId } }, 'Your usage'), closeButton),
    panel.element,
  );
  const control = modal(element, {
    initialFocus: () => closeButton,
    onClose: () => {
      panel.destroy();
      element.remove();
    },
  });
  closeButton.addEventListener('click', () => control.close());
  control.open();
  return { element, close: () => control.close(), loaded: panel.refresh() };
}
