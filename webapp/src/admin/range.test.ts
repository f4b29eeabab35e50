import { describe, expect, it } from 'vitest';
import { checkRange, rangeFromSearch, searchOfRange, thisMonth } from './range';

const NOW = new Date('2026-11-21T23:30:00Z');

describe('the report range', () => {
  it('is this UTC month so far by default', () => {
    expect(thisMonth(NOW)).toEqual({ from: '2026-11-01', to: '2026-11-21' });
    // 00:30 in Sydney is still the 31st of October in UTC.
    expect(thisMonth(new Date('2026-10-31T13:30:00Z'))).toEqual({ from: '2026-10-01', to: '2026-10-31' });
  });

  it('comes back from the address, or falls back to this month when that is wrong', () => {
    expect(rangeFromSearch('?from=2026-01-01&to=2026-01-31', NOW)).toEqual({ from: '2026-01-01', to: '2026-01-31' });
    expect(rangeFromSearch('?from=2026-02-30&to=2026-03-01', NOW)).toEqual(thisMonth(NOW));
    expect(rangeFromSearch('', NOW)).toEqual(thisMonth(NOW));
    expect(searchOfRange({ from: '2026-01-01', to: '2026-01-31' })).toBe('?from=2026-01-01&to=2026-01-31');
  });

  it('says what is wrong, next to the field', () => {
    expect(checkRange({ from: '2026-11-01', to: '2026-11-01' })).toEqual({});
    expect(checkRange({ from: '', to: '' })).toEqual({ from: 'Enter the first day.', to: 'Enter the last day.' });
    expect(checkRange({ from: '2026-11-02', to: '2026-11-01' })).toEqual({ from: 'The first day must not be after the last day.' });
  });

  it('takes a whole leap year and no more, as the API does', () => {
    expect(checkRange({ from: '2028-01-01', to: '2028-12-31' })).toEqual({});
    expect(checkRange({ from: '2027-12-31', to: '2028-12-31' })).toEqual({ from: 'Choose at most 366 days at a time.' });
  });
});
