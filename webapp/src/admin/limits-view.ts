/**
 * The limits (`GET /api/admin/limits`): the deployment's defaults, then every user with
 * limits of their own, each with Edit and Clear. A limit an override leaves alone reads
 * "default (…)", so the table says what actually applies.
 */
import type { LimitOverride, LimitsList } from '../api/admin';
import { h } from '../ui/dom';
import { formatLimit } from '../usage/format';
import { createDataTable, type Column } from './data-table';

export interface LimitsViewOptions {
  readonly locale?: string | undefined;
  /** The name a user id is known by (from the usage report), if any. */
  readonly nameOf: (userId: string) => string | null;
  readonly onEdit: (override: LimitOverride) => void;
  readonly onClear: (override: LimitOverride) => void;
}

function defaultsList(list: LimitsList, locale: string | undefined): HTMLElement {
  const { defaults } = list;
  const item = (term: string, value: number | null): HTMLElement =>
    h('div', { class: 'totals__item' }, h('dt', { class: 'totals__term' }, term), h('dd', { class: 'totals__value' }, formatLimit(value, locale)));
  return h(
    'dl',
    { class: 'totals totals--limits', attrs: { 'aria-label': 'Default limits' } },
    item('Requests per minute, per user', defaults.requests_per_minute),
    item('Tokens per day (UTC), per user', defaults.tokens_per_day),
    item('Tokens per month (UTC), per user', defaults.tokens_per_month),
    item('Tokens per minute, everyone together', defaults.global_tokens_per_minute),
  );
}

export function renderLimits(list: LimitsList, options: LimitsViewOptions): HTMLElement {
  const { locale } = options;
  const label = (override: LimitOverride): string => options.nameOf(override.user_id) ?? override.user_id;
  const limitColumn = (key: 'requests_per_minute' | 'tokens_per_day' | 'tokens_per_month', title: string): Column<LimitOverride> => ({
    key,
    label: title,
    numeric: true,
    cell: (override) => {
      if (override.unlimited) return 'unlimited';
      const own = override[key];
      return own === null ? `default (${formatLimit(list.defaults[key], locale)})` : formatLimit(own, locale);
    },
  });
  const columns: Column<LimitOverride>[] = [
    {
      key: 'user',
      label: 'User',
      cell: (override) => {
        const name = options.nameOf(override.user_id);
        return h('span', { class: 'user-cell' }, name ?? override.user_id, name === null ? null : h('span', { class: 'user-cell__id' }, override.user_id));
      },
    },
    limitColumn('requests_per_minute', 'Requests per minute'),
    limitColumn('tokens_per_day', 'Tokens per day'),
    limitColumn('tokens_per_month', 'Tokens per month'),
    {
      key: 'actions',
      label: 'Actions',
      cell: (override) =>
        h(
          'span',
          { class: 'row-actions' },
          h(
            'button',
            {
              class: 'button button--secondary button--small',
              attrs: { type: 'button', 'aria-label': `Edit limits of ${label(override)}` },
              on: { click: () => options.onEdit(override) },
            },
            'Edit',
          ),
          h(
            'button',
            {
              class: 'button button--secondary button--small',
              attrs: { type: 'button', 'aria-label': `Clear limits of ${label(override)}` },
              on: { click: () => options.onClear(override) },
            },
            'Clear',
          ),
        ),
    },
  ];
  return h(
    'div',
    { class: 'limits' },
    h('p', { class: 'report__note' }, 'Everyone has these limits unless they have limits of their own. The defaults are app settings (LIMIT_…).'),
    defaultsList(list, locale),
    createDataTable({
      caption: 'Users with limits of their own',
      columns,
      rows: list.overrides,
      empty: 'Nobody has limits of their own: the defaults apply to everyone.',
      className: 'data-table--limits',
    }).element,
  );
}
