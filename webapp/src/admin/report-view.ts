/**
 * The usage report (`GET /api/admin/usage`) as the admin reads it: totals, usage by user
 * (sortable, with a way to set that user's limits), the top users, usage by model, and by
 * day as a bar chart with the same numbers in a table.
 */
import type { DayUsage, ModelUsage, UsageReport, UsageTotals, UserUsage } from '../api/admin';
import { h, uniqueId } from '../ui/dom';
import { formatCost, formatCount, formatDay, formatTokens } from '../usage/format';
import { createBarChart } from './bar-chart';
import { createDataTable, type Column } from './data-table';

export interface ReportViewOptions {
  readonly locale?: string | undefined;
  /** Offer "Set limits" on each user's row. */
  readonly onSetLimits?: (user: UserUsage) => void;
}

/** The name an admin knows a user by: the last name seen, or the id when there was none. */
export function userLabel(user: { readonly user_id: string; readonly user_name: string }): string {
  return user.user_name.trim() === '' ? user.user_id : user.user_name;
}

function heading(text: string): { id: string; element: HTMLHeadingElement } {
  const id = uniqueId('report-heading');
  return { id, element: h('h3', { class: 'report__heading', attrs: { id } }, text) };
}

function subsection(text: string, ...content: Node[]): HTMLElement {
  const title = heading(text);
  return h('section', { class: 'report__part', attrs: { 'aria-labelledby': title.id } }, title.element, ...content);
}

function totalsList(totals: UsageTotals, locale: string | undefined): HTMLElement {
  const item = (term: string, value: string, field: string): HTMLElement =>
    h('div', { class: 'totals__item', data: { field } }, h('dt', { class: 'totals__term' }, term), h('dd', { class: 'totals__value' }, value));
  return h(
    'dl',
    { class: 'totals' },
    item('Requests', formatCount(totals.requests, locale), 'requests'),
    item('Tokens in', formatCount(totals.prompt_tokens, locale), 'prompt-tokens'),
    item('Tokens out', formatCount(totals.completion_tokens, locale), 'completion-tokens'),
    item('Total tokens', formatCount(totals.total_tokens, locale), 'total-tokens'),
    item('Estimated cost', formatCost(totals.cost, totals.unpriced_tokens, locale), 'cost'),
  );
}

type UsageCounts = Pick<UsageTotals, 'requests' | 'prompt_tokens' | 'completion_tokens' | 'total_tokens'>;

/** The count columns every breakdown shares, after its own first column. */
function countColumns<T extends UsageTotals>(locale: string | undefined): Column<T>[] {
  const number = (key: keyof UsageCounts, label: string): Column<T> => ({
    key,
    label,
    numeric: true,
    cell: (row) => formatCount(row[key], locale),
    sortValue: (row) => row[key],
  });
  return [
    number('requests', 'Requests'),
    number('prompt_tokens', 'Tokens in'),
    number('completion_tokens', 'Tokens out'),
    number('total_tokens', 'Total tokens'),
    {
      key: 'cost',
      label: 'Estimated cost',
      numeric: true,
      cell: (row) => formatCost(row.cost, row.unpriced_tokens, locale),
      // Rows without a price sort below every priced one.
      sortValue: (row) => row.cost ?? -1,
    },
  ];
}

function usersTable(report: UsageReport, options: ReportViewOptions): HTMLElement {
  const { locale, onSetLimits } = options;
  const columns: Column<UserUsage>[] = [
    {
      key: 'user',
      label: 'User',
      cell: (user) => h('span', { class: 'user-cell' }, userLabel(user), h('span', { class: 'user-cell__id' }, user.user_id)),
      sortValue: userLabel,
    },
    ...countColumns<UserUsage>(locale),
  ];
  if (onSetLimits !== undefined) {
    columns.push({
      key: 'actions',
      label: 'Limits',
      cell: (user) =>
        h(
          'button',
          {
            class: 'button button--secondary button--small',
            attrs: { type: 'button', 'aria-label': `Set limits for ${userLabel(user)}` },
            on: { click: () => onSetLimits(user) },
          },
          'Set limits',
        ),
    });
  }
  return createDataTable({
    caption: 'Usage by user',
    columns,
    rows: report.by_user,
    empty: 'Nobody used the chat in these days.',
    sortedBy: { key: 'total_tokens', direction: 'descending' },
    className: 'data-table--users',
  }).element;
}

function modelsTable(report: UsageReport, locale: string | undefined): HTMLElement {
  const columns: Column<ModelUsage>[] = [
    { key: 'model', label: 'Model', cell: (row) => row.model, sortValue: (row) => row.model },
    ...countColumns<ModelUsage>(locale),
  ];
  return createDataTable({
    caption: 'Usage by model',
    columns,
    rows: report.by_model,
    empty: 'No model was used in these days.',
  }).element;
}

function daysTable(report: UsageReport, locale: string | undefined): HTMLElement {
  const columns: Column<DayUsage>[] = [
    { key: 'day', label: 'Day (UTC)', cell: (row) => formatDay(row.day, locale, true), sortValue: (row) => row.day },
    ...countColumns<DayUsage>(locale),
  ];
  return createDataTable({ caption: 'Usage by day, in numbers', columns, rows: report.by_day, empty: 'No days in the range.' }).element;
}

function dayChart(report: UsageReport, locale: string | undefined): HTMLElement {
  const title = heading('Usage by day');
  const bars = report.by_day.map((day) => ({
    label: formatDay(day.day, locale, true),
    value: day.total_tokens,
    text: formatTokens(day.total_tokens, locale),
  }));
  return h(
    'section',
    { class: 'report__part', attrs: { 'aria-labelledby': title.id } },
    title.element,
    h('p', { class: 'report__note' }, 'Total tokens per UTC day.'),
    createBarChart(title.id, bars),
    h('details', { class: 'report__numbers' }, h('summary', {}, 'Show the days as a table'), daysTable(report, locale)),
  );
}

function topUsers(report: UsageReport, locale: string | undefined): HTMLElement {
  const title = heading('Top users');
  const bars = report.top_users.map((user) => ({ label: userLabel(user), value: user.total_tokens, text: formatTokens(user.total_tokens, locale) }));
  return h(
    'section',
    { class: 'report__part', attrs: { 'aria-labelledby': title.id } },
    title.element,
    bars.length === 0 ? h('p', {}, 'Nobody used the chat in these days.') : createBarChart(title.id, bars),
  );
}

export function renderReport(report: UsageReport, options: ReportViewOptions = {}): HTMLElement {
  const { locale } = options;
  const priced = report.totals.cost !== null;
  return h(
    'div',
    { class: 'report' },
    subsection(
      'Totals',
      totalsList(report.totals, locale),
      h(
        'p',
        { class: 'report__note' },
        priced
          ? 'Costs are estimates from the prices per million tokens set in MODEL_PRICES, in their currency.'
          : 'No price is set for these models (MODEL_PRICES), so there is no cost estimate.',
      ),
    ),
    usersTable(report, options),
    topUsers(report, locale),
    modelsTable(report, locale),
    dayChart(report, locale),
  );
}
