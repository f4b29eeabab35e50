/**
 * A data table as assistive technology expects one: a caption, column headers with
 * `scope="col"`, the first cell of each row a row header, numbers right-aligned. Columns
 * with a sort value get a button in their header; the sorted column says so with
 * `aria-sort` (and an arrow that is only decoration). Wide tables scroll inside a region
 * that the keyboard can reach.
 */
import { h, setText, uniqueId } from '../ui/dom';
import './data-table.css';

export type SortDirection = 'ascending' | 'descending';

export interface Column<T> {
  readonly key: string;
  readonly label: string;
  readonly numeric?: boolean;
  readonly cell: (row: T) => Node | string;
  /** Set: the table can be sorted by this column. */
  readonly sortValue?: (row: T) => number | string;
  /** The direction a first press sorts in (numbers: most first). */
  readonly firstDirection?: SortDirection;
}

export interface TableOptions<T> {
  readonly caption: string;
  readonly columns: readonly Column<T>[];
  readonly rows: readonly T[];
  /** Shown in one cell when there are no rows. */
  readonly empty: string;
  readonly sortedBy?: { readonly key: string; readonly direction: SortDirection };
  readonly className?: string;
}

export interface DataTable {
  readonly element: HTMLElement;
  readonly table: HTMLTableElement;
}

function cellClass(column: { readonly numeric?: boolean }): string {
  return column.numeric === true ? 'data-table__cell data-table__numeric' : 'data-table__cell';
}

function compare(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { sensitivity: 'base', numeric: true });
}

export function createDataTable<T>(options: TableOptions<T>): DataTable {
  const { columns } = options;
  const captionId = uniqueId('table-caption');
  const tbody = h('tbody');
  let sort = options.sortedBy ?? null;

  const headers = columns.map((column) => {
    const th = h('th', { class: cellClass(column), attrs: { scope: 'col' } });
    if (column.sortValue === undefined) {
      th.append(column.label);
      return th;
    }
    const arrow = h('span', { class: 'data-table__arrow', attrs: { 'aria-hidden': 'true' } });
    const button = h('button', { class: 'data-table__sort', attrs: { type: 'button' } }, column.label, arrow);
    button.addEventListener('click', () => {
      const direction: SortDirection =
        sort?.key === column.key
          ? sort.direction === 'ascending'
            ? 'descending'
            : 'ascending'
          : (column.firstDirection ?? (column.numeric === true ? 'descending' : 'ascending'));
      sort = { key: column.key, direction };
      render();
    });
    th.append(button);
    return th;
  });

  function sortedRows(): readonly T[] {
    const column = columns.find((candidate) => candidate.key === sort?.key);
    if (sort === null || column?.sortValue === undefined) return options.rows;
    const value = column.sortValue;
    const sign = sort.direction === 'ascending' ? 1 : -1;
    // Array.prototype.sort is stable: ties keep the API's order.
    return [...options.rows].sort((a, b) => sign * compare(value(a), value(b)));
  }

  function render(): void {
    columns.forEach((column, index) => {
      const th = headers[index];
      if (th === undefined || column.sortValue === undefined) return;
      const active = sort?.key === column.key;
      if (active && sort !== null) th.setAttribute('aria-sort', sort.direction);
      else th.removeAttribute('aria-sort');
      const arrow = th.querySelector('.data-table__arrow');
      if (arrow !== null) setText(arrow, active ? (sort?.direction === 'ascending' ? '▲' : '▼') : '');
    });
    if (options.rows.length === 0) {
      tbody.replaceChildren(h('tr', {}, h('td', { class: 'data-table__empty', attrs: { colspan: columns.length } }, options.empty)));
      return;
    }
    tbody.replaceChildren(
      ...sortedRows().map((row) =>
        h(
          'tr',
          {},
          ...columns.map((column, index) =>
            h(
              index === 0 ? 'th' : 'td',
              { class: cellClass(column), attrs: index === 0 ? { scope: 'row' } : {} },
              column.cell(row),
            ),
          ),
        ),
      ),
    );
  }

  const table = h(
    'table',
    { class: `data-table ${options.className ?? ''}`.trim() },
    h('caption', { class: 'data-table__caption', attrs: { id: captionId } }, options.caption),
    h('thead', {}, h('tr', {}, ...headers)),
    tbody,
  );
  render();
  const element = h('div', { class: 'table-scroll', attrs: { role: 'region', 'aria-labelledby': captionId, tabindex: 0 } }, table);
  return { element, table };
}
