import { describe, expect, it } from 'vitest';
import { parseLimitsList } from '../api/admin';
import { LIMITS } from './fixtures.test-helper';
import { checkOverride, fieldOfApiError, parseLimitText, valuesFor, type OverrideFormValues } from './override-values';

const EMPTY: OverrideFormValues = { userId: 'd9a1c2', requestsPerMinute: '', tokensPerDay: '', tokensPerMonth: '', unlimited: false };

describe('a limit field', () => {
  it('takes a whole number, with the group separators people type', () => {
    expect(parseLimitText('200000')).toEqual({ value: 200_000 });
    expect(parseLimitText(' 1,000,000 ')).toEqual({ value: 1_000_000 });
    expect(parseLimitText('1 000 000')).toEqual({ value: 1_000_000 });
    expect(parseLimitText("1'000")).toEqual({ value: 1000 });
  });

  it('keeps the default when empty', () => {
    expect(parseLimitText('   ')).toEqual({ value: null });
  });

  it('refuses fractions, words, zero and more than the API takes, in plain words', () => {
    expect(parseLimitText('2.5')).toEqual({ error: 'Enter a whole number, like 200000, or leave it empty for the default.' });
    expect(parseLimitText('-3')).toHaveProperty('error');
    expect(parseLimitText('lots')).toHaveProperty('error');
    expect(parseLimitText('0')).toEqual({ error: 'Enter at least 1, or leave it empty for the default.' });
    expect(parseLimitText('1000000000001', 'en')).toEqual({ error: 'Enter at most 1,000,000,000,000.' });
    expect(parseLimitText('1000000000000')).toEqual({ value: 1_000_000_000_000 });
  });
});

describe('the override form', () => {
  it('sends only the limits that were set', () => {
    expect(checkOverride({ ...EMPTY, tokensPerDay: '1,000,000' })).toEqual({ ok: true, userId: 'd9a1c2', input: { tokens_per_day: 1_000_000 } });
    expect(checkOverride({ ...EMPTY, requestsPerMinute: '5', tokensPerMonth: '9' })).toEqual({
      ok: true,
      userId: 'd9a1c2',
      input: { requests_per_minute: 5, tokens_per_month: 9 },
    });
  });

  it('sends unlimited alone, ignoring the switched-off limits', () => {
    expect(checkOverride({ ...EMPTY, tokensPerDay: '12', unlimited: true })).toEqual({ ok: true, userId: 'd9a1c2', input: { unlimited: true } });
  });

  it('puts each error next to its field', () => {
    const check = checkOverride({ ...EMPTY, userId: '  ', requestsPerMinute: '0', tokensPerDay: 'x' });
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(Object.keys(check.errors).sort()).toEqual(['requests_per_minute', 'tokens_per_day', 'user_id']);
    expect(check.errors.user_id).toContain('user’s ID');
  });

  it('asks for a limit or Unlimited when nothing is set', () => {
    const check = checkOverride(EMPTY);
    expect(check).toEqual({ ok: false, errors: { limits: expect.stringContaining('Set at least one limit, or choose Unlimited') } });
  });

  it('refuses a user id longer than the API takes', () => {
    const check = checkOverride({ ...EMPTY, userId: 'x'.repeat(257), unlimited: true });
    expect(check.ok).toBe(false);
  });

  it('places the API’s field errors in the same fields', () => {
    expect(fieldOfApiError('tokens_per_day')).toBe('tokens_per_day');
    expect(fieldOfApiError('unlimited')).toBe('limits');
    expect(fieldOfApiError('body')).toBe('limits');
  });

  it('starts from the user’s override when they have one', () => {
    const override = parseLimitsList(LIMITS)?.overrides[0];
    expect(valuesFor('d9a1c2', override)).toEqual({ ...EMPTY, tokensPerDay: '1000000' });
    expect(valuesFor('new', undefined)).toEqual({ ...EMPTY, userId: 'new' });
  });
});
