/**
 * The audit log (`GET /api/admin/audit`): who did what to whom, and when, newest first.
 * "Show older entries" asks for the page before the oldest one shown (`before`), and adds
 * it below; the table keeps its place and focus stays on the button.
 */
import { getAudit, type AuditEntry } from '../api/admin';
import type { ApiClient } from '../api/client';
import { isAbortError } from '../api/client';
import { h, show } from '../ui/dom';
import { describeUsageError, type ErrorView } from '../usage/errors';
import { formatMoment } from '../usage/format';
import { createLoadStatus } from '../usage/load-status';
import { createDataTable, type Column } from './data-table';

export const AUDIT_PAGE_SIZE = 25;

const ACTIONS: Readonly<Record<string, string>> = {
  'limits.set': 'Set limits',
  'limits.clear': 'Cleared limits',
  'assistant.feature': 'Featured an assistant',
  'assistant.unfeature': 'Stopped featuring an assistant',
  'assistant.delete': 'Deleted an assistant',
};

export function actionLabel(action: string): string {
  return ACTIONS[action] ?? action;
}

export interface AuditViewOptions {
  readonly locale?: string | undefined;
  readonly timeZone?: string;
  readonly nameOf: (userId: string) => string | null;
  /** An error that ends the whole page (not an admin): the page shows it instead. */
  readonly onFatal: (view: ErrorView) => void;
}

export interface AuditView {
  readonly element: HTMLElement;
  /** The newest page again (after a change, or on Retry). */
  reload(): Promise<void>;
  /** Names became known (the report loaded): show them. */
  rerender(): void;
}

export function renderAuditTable(entries: readonly AuditEntry[], options: Pick<AuditViewOptions, 'locale' | 'timeZone' | 'nameOf'>): HTMLElement {
  const person = (id: string, name: string): Node =>
    h('span', { class: 'user-cell' }, name === '' ? id : name, name === '' ? null : h('span', { class: 'user-cell__id' }, id));
  const columns: Column<AuditEntry>[] = [
    {
      key: 'at',
      label: 'When',
      cell: (entry) => h('time', { attrs: { datetime: entry.at } }, formatMoment(entry.at, options.locale, options.timeZone)),
    },
    { key: 'who', label: 'Who', cell: (entry) => person(entry.actor_id, entry.actor_name) },
    { key: 'what', label: 'What', cell: (entry) => actionLabel(entry.action) },
    {
      key: 'target',
      label: 'Target',
      cell: (entry) => (entry.action.startsWith('limits.') ? person(entry.target, options.nameOf(entry.target) ?? '') : entry.target),
    },
    { key: 'detail', label: 'Detail', cell: (entry) => entry.detail },
  ];
  return createDataTable({
    caption: 'Audit log, newest first (times in your time zone)',
    columns,
    rows: entries,
    empty: 'No admin has changed anything yet.',
    className: 'data-table--audit',
  }).element;
}

export function createAuditView(client: Pick<ApiClient, 'requestJson'>, options: AuditViewOptions): AuditView {
  let entries: AuditEntry[] = [];
  let nextBefore: string | null = null;
  let controller: AbortController | null = null;
  const status = createLoadStatus();
  const tableSlot = h('div', { class: 'audit__table' });
  const older = h('button', { class: 'button button--secondary', attrs: { type: 'button', hidden: true } }, 'Show older entries');
  const element = h('div', { class: 'audit' }, tableSlot, status.element, older);

  function rerender(): void {
    tableSlot.replaceChildren(renderAuditTable(entries, options));
    show(older, nextBefore !== null);
  }

  async function load(before: string | null): Promise<void> {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    older.disabled = true;
    status.loading(before === null ? 'Loading the audit log…' : 'Loading older entries…');
    try {
      const page = await getAudit(client, { limit: AUDIT_PAGE_SIZE, before, signal: current.signal });
      if (current.signal.aborted) return;
      entries = before === null ? [...page.items] : [...entries, ...page.items];
      nextBefore = page.next_before;
      rerender();
      if (before === null) status.done();
      else status.note(page.items.length === 1 ? '1 older entry shown.' : `${page.items.length} older entries shown.`);
    } catch (error) {
      if (isAbortError(error) || current.signal.aborted) return;
      const view = describeUsageError(error);
      if (view.kind !== 'other') options.onFatal(view);
      else status.failed(view, () => void load(before));
    } finally {
      if (controller === current) controller = null;
      older.disabled = false;
    }
  }

  older.addEventListener('click', () => void load(nextBefore));
  return { element, reload: () => load(null), rerender };
}
