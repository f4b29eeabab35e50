import { describe, expect, it, vi } from 'vitest';
import { parseUsageReport, type UsageReport } from '../api/admin';
import { REPORT } from './fixtures.test-helper';
import { renderReport } from './report-view';

function report(body: unknown = REPORT): UsageReport {
  const parsed = parseUsageReport(body);
  if (parsed === null) throw new Error('fixture does not parse');
  return parsed;
}

function table(root: HTMLElement, caption: string): HTMLTableElement {
  const found = [...root.querySelectorAll('table')].find((candidate) => candidate.caption?.textContent === caption);
  if (found === undefined) throw new Error(`no table "${caption}"`);
  return found;
}

/** The table's text, row by row, cell by cell (header row first). */
function cells(element: HTMLTableElement): string[][] {
  // The sort arrow is decoration (aria-sort says it).
  return [...element.rows].map((row) => [...row.cells].map((cell) => cell.textContent?.replace(/[▲▼]/, '').trim() ?? ''));
}

describe('the usage report', () => {
  it('shows the totals with thousands separators and the estimated cost', () => {
    const root = renderReport(report(), { locale: 'en-GB' });
    const value = (field: string): string | null | undefined => root.querySelector(`[data-field="${field}"] dd`)?.textContent;
    expect(value('requests')).toBe('1,840');
    expect(value('prompt-tokens')).toBe('2,400,000');
    expect(value('completion-tokens')).toBe('610,000');
    expect(value('total-tokens')).toBe('3,010,000');
    expect(value('cost')).toBe('1.94 + 12,000 tokens without a price');
  });

  it('says "no price set" when no model has a price', () => {
    const unpriced = { ...REPORT, totals: { ...REPORT.totals, cost: null } };
    const root = renderReport(report(unpriced), { locale: 'en' });
    expect(root.querySelector('[data-field="cost"] dd')?.textContent).toBe('no price set');
    expect(root.textContent).toContain('No price is set for these models');
  });

  it('lists users by tokens, with headers, a caption, their ids and costs', () => {
    const users = table(renderReport(report(), { locale: 'en' }), 'Usage by user');
    const rows = cells(users);
    expect(rows[0]).toEqual(['User', 'Requests', 'Tokens in', 'Tokens out', 'Total tokens', 'Estimated cost']);
    expect(rows[1]).toEqual(['zoe@example.comd9a1c2', '310', '2,000,000', '500,000', '2,500,000', '1.50']);
    expect(rows[3]?.[0]).toBe('c4c4c4c4c4c4');
    expect(rows[3]?.[5]).toBe('no price set');
    expect(users.querySelectorAll('thead th[scope="col"]')).toHaveLength(6);
    expect(users.querySelectorAll('tbody th[scope="row"]')).toHaveLength(3);
    expect(users.tHead?.rows[0]?.cells[4]?.getAttribute('aria-sort')).toBe('descending');
  });

  it('sorts users by a column when its header is pressed, both ways', () => {
    const users = table(renderReport(report(), { locale: 'en' }), 'Usage by user');
    const header = (name: string): HTMLTableCellElement => {
      const found = [...(users.tHead?.rows[0]?.cells ?? [])].find((cell) => cell.textContent?.startsWith(name));
      if (found === undefined) throw new Error(name);
      return found;
    };
    const firstColumn = (): string[] => [...users.tBodies[0]!.rows].map((row) => row.cells[0]?.textContent ?? '');

    header('Requests').querySelector('button')?.click();
    expect(header('Requests').getAttribute('aria-sort')).toBe('descending');
    expect(header('Total tokens').hasAttribute('aria-sort')).toBe(false);
    expect(firstColumn()[0]).toContain('bo@example.com');

    header('Total tokens').querySelector('button')?.click();
    expect(firstColumn()[0]).toContain('zoe@example.com');
    header('Total tokens').querySelector('button')?.click();
    expect(header('Total tokens').getAttribute('aria-sort')).toBe('ascending');
    expect(firstColumn()[0]).toContain('c4c4c4');
  });

  it('offers "Set limits" for each user when asked to', () => {
    const onSetLimits = vi.fn();
    const root = renderReport(report(), { locale: 'en', onSetLimits });
    const button = [...root.querySelectorAll('button')].find((candidate) => candidate.getAttribute('aria-label') === 'Set limits for bo@example.com');
    button?.click();
    expect(onSetLimits).toHaveBeenCalledWith(expect.objectContaining({ user_id: 'b0b0b0' }));
    expect(cells(table(renderReport(report(), { locale: 'en' }), 'Usage by user'))[0]).not.toContain('Limits');
  });

  it('shows models and the top users', () => {
    const root = renderReport(report(), { locale: 'en' });
    expect(cells(table(root, 'Usage by model'))[2]).toEqual(['llama3.2', '140', '12,000', '10,000', '22,000', 'no price set']);
    const top = [...root.querySelectorAll('section')].find((section) => section.querySelector('h3')?.textContent === 'Top users');
    expect([...(top?.querySelectorAll('li') ?? [])].map((item) => item.textContent)).toEqual([
      'zoe@example.com2,500,000 tokens',
      'bo@example.com488,000 tokens',
    ]);
  });

  it('draws every day as a bar sized by its tokens, with the numbers in a table too', () => {
    const root = renderReport(report(), { locale: 'en-GB' });
    const section = [...root.querySelectorAll('section')].find((candidate) => candidate.querySelector('h3')?.textContent === 'Usage by day');
    const chart = section?.querySelector('ol.bar-chart[aria-labelledby]');
    const labelledBy = chart?.getAttribute('aria-labelledby') ?? '';
    expect(root.querySelector(`[id="${labelledBy}"]`)?.textContent).toBe('Usage by day');
    const rows = [...(chart?.querySelectorAll('li') ?? [])];
    expect(rows.map((row) => row.querySelector('.bar-chart__label')?.textContent)).toEqual(['Sun, 1 Nov 2026', 'Mon, 2 Nov 2026', 'Tue, 3 Nov 2026']);
    expect(rows.map((row) => row.querySelector('.bar-chart__value')?.textContent)).toEqual(['0 tokens', '1,800,000 tokens', '1,210,000 tokens']);
    const bars = rows.map((row) => row.querySelector('meter'));
    expect(bars.map((bar) => bar?.getAttribute('value'))).toEqual(['0', '1800000', '1210000']);
    expect(bars.every((bar) => bar?.getAttribute('max') === '1800000' && bar.getAttribute('aria-hidden') === 'true')).toBe(true);

    const days = table(root, 'Usage by day, in numbers');
    expect(cells(days)[0]?.[0]).toBe('Day (UTC)');
    expect(cells(days)[3]).toEqual(['Tue, 3 Nov 2026', '840', '1,000,000', '210,000', '1,210,000', '0.74 + 12,000 tokens without a price']);
  });

  it('says so when nobody used anything', () => {
    const empty = { ...REPORT, by_user: [], top_users: [], by_model: [], by_day: [{ ...REPORT.by_day[0] }] };
    const root = renderReport(report(empty), { locale: 'en' });
    expect(cells(table(root, 'Usage by user'))[1]).toEqual(['Nobody used the chat in these days.']);
    expect(root.querySelector('ol.bar-chart meter')?.getAttribute('max')).toBe('1');
  });
});

describe('reading the report', () => {
  it('refuses a body that is not a report and skips rows it cannot read', () => {
    expect(parseUsageReport({ from: '2026-11-01' })).toBeNull();
    const odd = parseUsageReport({ ...REPORT, by_user: [...REPORT.by_user, { user_id: 7 }] });
    expect(odd?.by_user).toHaveLength(3);
  });
});
