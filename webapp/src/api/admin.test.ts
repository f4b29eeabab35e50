import { describe, expect, it } from 'vitest';
import { fakeAdminClient, LIMITS } from '../admin/fixtures.test-helper';
import { clearOverride, getAudit, getLimits, parseAuditPage, parseLimitsList, setOverride, usageCsvUrl } from './admin';
import { parseMyUsage } from './usage';

describe('the admin routes', () => {
  it('put the user id in the path safely and the override in the body', async () => {
    const client = fakeAdminClient({
      'PUT /admin/limits/': () => ({ ...LIMITS.overrides[0], user_id: 'a/b c' }),
      'DELETE /admin/limits/': () => undefined,
    });
    const saved = await setOverride(client, 'a/b c', { tokens_per_day: 5 });
    expect(saved.user_id).toBe('a/b c');
    await clearOverride(client, 'a/b c');
    expect(client.calls).toEqual([
      { method: 'PUT', path: '/admin/limits/a%2Fb%20c', body: { tokens_per_day: 5 } },
      { method: 'DELETE', path: '/admin/limits/a%2Fb%20c', body: undefined },
    ]);
  });

  it('page the audit log with `before` and build the CSV address for a range', async () => {
    const client = fakeAdminClient({ 'GET /admin/audit': () => ({ items: [], next_before: null }) });
    await getAudit(client);
    await getAudit(client, { limit: 10, before: '2026-11-21T08:41:07.123456Z' });
    expect(client.calls.map((call) => call.path)).toEqual(['/admin/audit', '/admin/audit?limit=10&before=2026-11-21T08%3A41%3A07.123456Z']);
    expect(usageCsvUrl({ from: '2026-11-01', to: '2026-11-21' })).toBe('/api/admin/usage.csv?from=2026-11-01&to=2026-11-21');
  });

  it('read the limits, and refuse what is not a list of limits', async () => {
    const list = await getLimits(fakeAdminClient({ 'GET /admin/limits': () => LIMITS }));
    expect(list.defaults).toEqual({ requests_per_minute: 30, tokens_per_day: 200_000, tokens_per_month: null, global_tokens_per_minute: 900_000 });
    expect(list.overrides.map((override) => override.unlimited)).toEqual([false, true]);
    expect(parseLimitsList({ defaults: { requests_per_minute: '30' }, overrides: [] })).toBeNull();
    expect(parseLimitsList({ ...LIMITS, defaults: { ...LIMITS.defaults, tokens_per_day: 0 } })).toBeNull();
  });

  it('skip audit entries without a time or an action', () => {
    const page = parseAuditPage({ items: [{ at: 'yesterday', action: 'limits.set' }, { at: '2026-11-21T08:41:07Z' }], next_before: null });
    expect(page).toEqual({ items: [], next_before: null });
  });
});

describe('your usage', () => {
  it('is read whole or not at all', () => {
    const window = { requests: 1, prompt_tokens: 2, completion_tokens: 3, total_tokens: 5, resets_at: '2026-11-22T00:00:00Z' };
    const limits = { requests_per_minute: null, tokens_per_day: 10, tokens_per_month: null };
    expect(parseMyUsage({ today: window, month: window, limits })?.limits.tokens_per_day).toBe(10);
    expect(parseMyUsage({ today: window, month: { ...window, total_tokens: -1 }, limits })).toBeNull();
    expect(parseMyUsage({ today: window, month: window, limits: { ...limits, tokens_per_day: '10' } })).toBeNull();
    expect(parseMyUsage({ today: { ...window, resets_at: 'soon' }, month: window, limits })).toBeNull();
  });
});
