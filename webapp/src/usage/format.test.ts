import { describe, expect, it } from 'vitest';
import { formatCost, formatCount, formatDay, formatLimit, formatMoment, formatReset, formatShare, formatTokens, NO_PRICE } from './format';

describe('numbers', () => {
  it('groups thousands the way the reader does', () => {
    expect(formatCount(3_010_000, 'en-GB')).toBe('3,010,000');
    expect(formatCount(3_010_000, 'de-DE')).toBe('3.010.000');
    expect(formatTokens(1, 'en')).toBe('1 token');
    expect(formatTokens(12_000, 'en')).toBe('12,000 tokens');
  });

  it('says "no limit" for a limit that is not set', () => {
    expect(formatLimit(null)).toBe('no limit');
    expect(formatLimit(200_000, 'en')).toBe('200,000');
  });

  it('shows a cost with two decimals, small ones with two significant digits, none without a price', () => {
    expect(formatCost(1.936, 0, 'en')).toBe('1.94');
    expect(formatCost(0, 0, 'en')).toBe('0.00');
    expect(formatCost(0.000123, 0, 'en')).toBe('0.00012');
    expect(formatCost(1234.5, 0, 'de-DE')).toBe('1.234,50');
    expect(formatCost(null, 500, 'en')).toBe(NO_PRICE);
    expect(formatCost(12.4, 3000, 'en')).toBe('12.40 + 3,000 tokens without a price');
  });

  it('rounds a share down, and never shows a little use as nothing', () => {
    expect(formatShare(1996, 2000, 'en')).toBe('99%');
    expect(formatShare(2000, 2000, 'en')).toBe('100%');
    expect(formatShare(2600, 2000, 'en')).toBe('130%');
    expect(formatShare(1, 1_000_000, 'en')).toBe('<1%');
    expect(formatShare(0, 1000, 'en')).toBe('0%');
  });
});

describe('dates', () => {
  it('shows a UTC day as that day, whatever the zone', () => {
    expect(formatDay('2026-11-01', 'en-GB')).toBe('1 Nov 2026');
    expect(formatDay('2026-11-21', 'en-GB', true)).toBe('Sat, 21 Nov 2026');
  });

  it('shows a moment in the reader’s zone and names the zone', () => {
    expect(formatMoment('2026-11-21T08:41:07.123456Z', 'en-GB', 'Europe/Zurich')).toBe('21 Nov 2026, 09:41 CET');
    expect(formatMoment('2026-11-21T08:41:07Z', 'en-GB', 'UTC')).toBe('21 Nov 2026, 08:41 UTC');
  });

  it('says when a window resets, in UTC', () => {
    const now = new Date('2026-11-21T08:41:00Z');
    expect(formatReset('2026-11-22T00:00:00Z', now, 'en-GB')).toBe('resets at 00:00 UTC');
    expect(formatReset('2026-12-01T00:00:00Z', now, 'en-GB')).toBe('resets on 1 Dec at 00:00 UTC');
  });
});
