// A zone with daylight saving time (set before any Date is made in this file).
process.env.TZ = 'Europe/Amsterdam';

import { describe, expect, it } from 'vitest';
import type { ConversationSummary } from '../../api/conversations';
import { compareConversations, groupConversations, groupOf, localMidnight, nextMidnight } from './groups';

/** Local wall-clock time in Europe/Amsterdam. */
const local = (y: number, m: number, d: number, hh = 0, mm = 0, ss = 0, ms = 0): Date => new Date(y, m - 1, d, hh, mm, ss, ms);

const item = (id: string, updated: Date, pinned = false): ConversationSummary => ({
  id,
  title: id,
  created: updated.getTime(),
  updated: updated.getTime(),
  pinned,
  archived: false,
  etag: '',
});

describe('date groups', () => {
  it('runs in a zone with daylight saving time', () => {
    expect(new Date('2026-01-15T12:00:00Z').getTimezoneOffset()).toBe(-60);
    expect(new Date('2026-07-15T12:00:00Z').getTimezoneOffset()).toBe(-120);
  });

  it('splits at local midnight, to the millisecond', () => {
    const now = local(2026, 6, 10, 0, 0, 0, 0);
    expect(groupOf(item('a', local(2026, 6, 10, 0, 0, 0, 0)), now)).toBe('today');
    expect(groupOf(item('b', local(2026, 6, 9, 23, 59, 59, 999)), now)).toBe('yesterday');
    expect(groupOf(item('c', local(2026, 6, 9, 0, 0, 0, 0)), now)).toBe('yesterday');
    expect(groupOf(item('d', local(2026, 6, 8, 23, 59, 59, 999)), now)).toBe('week');
    expect(groupOf(item('e', local(2026, 6, 3, 0, 0)), now)).toBe('week');
    expect(groupOf(item('f', local(2026, 6, 2, 23, 59, 59, 999)), now)).toBe('older');
  });

  it('late in the evening, the morning is still today', () => {
    const now = local(2026, 6, 10, 23, 59, 59, 999);
    expect(groupOf(item('a', local(2026, 6, 10, 0, 0, 1)), now)).toBe('today');
    expect(groupOf(item('b', local(2026, 6, 9, 12, 0)), now)).toBe('yesterday');
  });

  it('counts a time from a fast clock elsewhere as today', () => {
    const now = local(2026, 6, 10, 12, 0);
    expect(groupOf(item('a', local(2026, 6, 10, 12, 5)), now)).toBe('today');
  });

  it('spring forward (a 23-hour day): yesterday starts at the calendar midnight, not 24 h ago', () => {
    // 29 March 2026: clocks go from 02:00 to 03:00 in Amsterdam.
    const now = local(2026, 3, 30, 0, 30);
    expect(localMidnight(now, 1)).toBe(local(2026, 3, 29).getTime());
    expect(now.getTime() - localMidnight(now, 1)).toBe(23.5 * 3600_000);
    // 24 h before `now` is 28 March 23:30: naive arithmetic would call this "yesterday".
    expect(groupOf(item('a', local(2026, 3, 28, 23, 45)), now)).toBe('week');
    expect(groupOf(item('b', local(2026, 3, 29, 0, 10)), now)).toBe('yesterday');
    expect(groupOf(item('c', local(2026, 3, 29, 3, 0)), now)).toBe('yesterday');
  });

  it('fall back (a 25-hour day): the whole long day is yesterday', () => {
    // 25 October 2026: clocks go from 03:00 back to 02:00.
    const now = local(2026, 10, 26, 0, 30);
    expect(now.getTime() - localMidnight(now, 1)).toBe(25.5 * 3600_000);
    // 24 h before `now` is 25 October 01:30: naive arithmetic would call 00:45 "older than yesterday".
    expect(groupOf(item('a', local(2026, 10, 25, 0, 45)), now)).toBe('yesterday');
    expect(groupOf(item('b', local(2026, 10, 24, 23, 59)), now)).toBe('week');
    expect(nextMidnight(local(2026, 10, 25, 1, 0)) - local(2026, 10, 25, 1, 0).getTime()).toBe(24 * 3600_000);
  });

  it('the 7-day window spans a DST change by calendar days', () => {
    const now = local(2026, 4, 2, 9, 0);
    expect(localMidnight(now, 7)).toBe(local(2026, 3, 26).getTime());
    expect(groupOf(item('a', local(2026, 3, 26, 0, 0)), now)).toBe('week');
    expect(groupOf(item('b', local(2026, 3, 25, 23, 59)), now)).toBe('older');
  });

  it('puts pinned conversations first whatever their date, and keeps the order within groups', () => {
    const now = local(2026, 6, 10, 12, 0);
    const groups = groupConversations(
      [
        item('old-pinned', local(2025, 1, 1), true),
        item('today-1', local(2026, 6, 10, 11, 0)),
        item('today-2', local(2026, 6, 10, 9, 0)),
        item('older', local(2026, 1, 1)),
      ],
      now,
    );
    expect(groups.map((group) => [group.label, group.items.map((entry) => entry.id)])).toEqual([
      ['Pinned', ['old-pinned']],
      ['Today', ['today-1', 'today-2']],
      ['Older', ['older']],
    ]);
  });

  it('sorts like the API: pinned, newest, then id', () => {
    const a = item('a', local(2026, 6, 10));
    const b = item('b', local(2026, 6, 10));
    const newer = item('n', local(2026, 6, 11));
    const pinned = item('p', local(2020, 1, 1), true);
    expect([a, newer, b, pinned].sort(compareConversations).map((entry) => entry.id)).toEqual(['p', 'n', 'a', 'b']);
  });
});
