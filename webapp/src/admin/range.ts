/**
 * The report's date range: inclusive UTC days, this month so far by default (as the API's
 * own default), kept in the page's address (`?from=&to=`) so a reload or a shared link
 * shows the same days. The API refuses more than 366 days; so does the form, in words.
 */
import type { DateRange } from '../api/admin';

export const MAX_RANGE_DAYS = 366;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

export type RangeField = 'from' | 'to';
export type RangeErrors = Partial<Record<RangeField, string>>;

function isoDay(moment: Date): string {
  return moment.toISOString().slice(0, 10);
}

/** The first of this UTC month to today (UTC). */
export function thisMonth(now: Date): DateRange {
  const today = isoDay(now);
  return { from: `${today.slice(0, 8)}01`, to: today };
}

function isDay(value: string): boolean {
  return DAY.test(value) && isoDay(new Date(`${value}T00:00:00Z`)) === value;
}

/** What is wrong with the range, field by field; empty when the API will take it. */
export function checkRange(range: DateRange): RangeErrors {
  const errors: RangeErrors = {};
  if (range.from === '') errors.from = 'Enter the first day.';
  else if (!isDay(range.from)) errors.from = 'Enter the first day as a date.';
  if (range.to === '') errors.to = 'Enter the last day.';
  else if (!isDay(range.to)) errors.to = 'Enter the last day as a date.';
  if (errors.from !== undefined || errors.to !== undefined) return errors;
  const days = (Date.parse(range.to) - Date.parse(range.from)) / DAY_MS + 1;
  if (days < 1) errors.from = 'The first day must not be after the last day.';
  else if (days > MAX_RANGE_DAYS) errors.from = `Choose at most ${MAX_RANGE_DAYS} days at a time.`;
  return errors;
}

/** The range in the address, or this month when it has none (or a wrong one). */
export function rangeFromSearch(search: string, now: Date): DateRange {
  const params = new URLSearchParams(search);
  const range = { from: params.get('from') ?? '', to: params.get('to') ?? '' };
  return Object.keys(checkRange(range)).length === 0 ? range : thisMonth(now);
}

export function searchOfRange(range: DateRange): string {
  return `?${new URLSearchParams({ from: range.from, to: range.to }).toString()}`;
}
