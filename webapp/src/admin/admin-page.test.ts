import { afterEach, describe, expect, it } from 'vitest';
import { mountAdminPage } from './admin-page';
import { apiProblem, AUDIT, fakeAdminClient, LIMITS, REPORT, settle, type Call } from './fixtures.test-helper';

const NOW = new Date('2026-11-21T08:41:00Z');

type Routes = Parameters<typeof fakeAdminClient>[0];

const ROUTES: Routes = {
  'GET /admin/usage': () => REPORT,
  'GET /admin/limits': () => LIMITS,
  'GET /admin/audit': () => AUDIT,
  'PUT /admin/limits/': (call: Call) => ({
    user_id: decodeURIComponent(call.path.split('/').pop() ?? ''),
    requests_per_minute: null,
    tokens_per_day: null,
    tokens_per_month: null,
    unlimited: true,
    effective: { requests_per_minute: null, tokens_per_day: null, tokens_per_month: null },
  }),
  'DELETE /admin/limits/': () => undefined,
};

async function mount(routes: Routes = ROUTES, search = '') {
  const client = fakeAdminClient(routes);
  const root = document.createElement('div');
  document.body.append(root);
  let address = search;
  const page = mountAdminPage(root, {
    appName: 'Chat on Azure',
    client,
    now: () => NOW,
    locale: 'en-GB',
    location: { search, replaceSearch: (next) => (address = next) },
  });
  await page.ready;
  await settle();
  return { root, client, address: () => address };
}

const button = (root: ParentNode, name: string): HTMLButtonElement => {
  const found = [...root.querySelectorAll('button')].find((candidate) => (candidate.getAttribute('aria-label') ?? candidate.textContent) === name);
  if (found === undefined) throw new Error(`no button "${name}"`);
  return found;
};

const table = (root: ParentNode, caption: string): HTMLTableElement => {
  const found = [...root.querySelectorAll('table')].find((candidate) => candidate.caption?.textContent === caption);
  if (found === undefined) throw new Error(`no table "${caption}"`);
  return found;
};

const bodyRows = (element: HTMLTableElement): string[][] =>
  [...element.tBodies[0]!.rows].map((row) => [...row.cells].map((cell) => cell.textContent ?? ''));

afterEach(() => {
  document.body.replaceChildren();
});

describe('the admin page', () => {
  it('has the app name, a way back to the chat and sign-out, and one heading for the page', async () => {
    const { root } = await mount();
    expect(root.querySelector('header')?.textContent).toContain('Chat on Azure');
    const links = [...root.querySelectorAll('nav a')].map((link) => [link.textContent, link.getAttribute('href')]);
    expect(links).toEqual([
      ['Back to the chat', '/'],
      ['Sign out', '/.auth/logout?post_logout_redirect_uri=%2Flogin.html'],
    ]);
    expect([...root.querySelectorAll('h1')].map((heading) => heading.textContent)).toEqual(['Usage and limits']);
    expect([...root.querySelectorAll('h2')].map((heading) => heading.textContent)).toEqual(['Usage', 'Limits', 'Audit log']);
  });

  it('asks for this month by default, and the CSV link is for the same days', async () => {
    const { root, client } = await mount();
    expect(client.calls.find((call) => call.path.startsWith('/admin/usage'))?.path).toBe('/admin/usage?from=2026-11-01&to=2026-11-21');
    const csv = [...root.querySelectorAll('a')].find((link) => link.textContent?.startsWith('Download CSV'));
    expect(csv?.getAttribute('href')).toBe('/api/admin/usage.csv?from=2026-11-01&to=2026-11-21');
    expect(csv?.textContent).toBe('Download CSV of 1 Nov 2026 to 21 Nov 2026');
  });

  it('never overwrites dates typed while the first report is still on its way', async () => {
    const fake = fakeAdminClient(ROUTES);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const client: typeof fake = {
      ...fake,
      async requestJson(method, path, parse, options) {
        if (path.startsWith('/admin/usage')) await gate;
        return fake.requestJson(method, path, parse, options);
      },
    };
    const root = document.createElement('div');
    document.body.append(root);
    const page = mountAdminPage(root, {
      appName: 'Chat on Azure',
      client,
      now: () => NOW,
      locale: 'en-GB',
      location: { search: '', replaceSearch: () => undefined },
    });
    const from = root.querySelector<HTMLInputElement>('input[name="from"]');
    if (from === null) throw new Error('no From field');
    from.value = '2026-03-10';
    release();
    await page.ready;
    await settle();
    expect(from.value).toBe('2026-03-10');
  });

  it('shows another range when asked, and keeps it in the address', async () => {
    const { root, client, address } = await mount();
    const from = root.querySelector<HTMLInputElement>('input[name="from"]')!;
    const to = root.querySelector<HTMLInputElement>('input[name="to"]')!;
    from.value = '2026-10-01';
    to.value = '2026-10-31';
    root.querySelector<HTMLFormElement>('form.range-form')?.requestSubmit();
    await settle();
    expect(client.calls.at(-1)?.path).toBe('/admin/usage?from=2026-10-01&to=2026-10-31');
    expect(address()).toBe('?from=2026-10-01&to=2026-10-31');

    from.value = '2026-11-02';
    to.value = '2026-11-01';
    root.querySelector<HTMLFormElement>('form.range-form')?.requestSubmit();
    expect(from.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(from.getAttribute('aria-describedby') ?? '')?.textContent).toBe('The first day must not be after the last day.');
    expect(document.activeElement).toBe(from);
  });

  it('lists the overrides with the names the report knows, and the audit log', async () => {
    const { root } = await mount();
    expect(bodyRows(table(root, 'Users with limits of their own'))).toEqual([
      ['zoe@example.comd9a1c2', 'default (30)', '1,000,000', 'default (no limit)', 'EditClear'],
      ['e5e5e5', 'unlimited', 'unlimited', 'unlimited', 'EditClear'],
    ]);
    const defaults = root.querySelector('dl[aria-label="Default limits"]')?.textContent;
    expect(defaults).toContain('Tokens per day (UTC), per user200,000');
    expect(defaults).toContain('Tokens per month (UTC), per userno limit');
    const audit = bodyRows(table(root, 'Audit log, newest first (times in your time zone)'));
    expect(audit[0]?.slice(1, 4)).toEqual(['ada@example.coma1b2', 'Set limits', 'zoe@example.comd9a1c2']);
    expect(root.querySelector('time')?.getAttribute('datetime')).toBe('2026-11-21T08:41:07.123456Z');
  });

  it('shows "You need the admin role" instead of the page when the API says admins only', async () => {
    const adminOnly = () => {
      throw apiProblem('admin-only', 403);
    };
    const { root } = await mount({ 'GET /admin/usage': adminOnly, 'GET /admin/limits': adminOnly, 'GET /admin/audit': adminOnly });
    const alert = root.querySelector('main [role="alert"]');
    expect(alert?.textContent).toContain('You need the admin role');
    expect(root.querySelectorAll('main section')).toHaveLength(0);
    expect(root.querySelector('main button')).toBeNull();
    expect(root.querySelector('main a')?.getAttribute('href')).toBe('/');
  });

  it('shows a store outage as a sentence with Retry, part by part', async () => {
    let fail = true;
    const { root, client } = await mount({
      ...ROUTES,
      'GET /admin/usage': () => {
        if (fail) throw apiProblem('history-unavailable', 503, { retry_after: 3 });
        return REPORT;
      },
    });
    const usage = root.querySelectorAll('.admin-section')[0]!;
    expect(usage.querySelector('[role="alert"]')?.textContent).toContain('Usage figures cannot be reached right now. Try again in 3 seconds.');
    expect(table(root, 'Users with limits of their own')).toBeDefined();
    fail = false;
    button(usage, 'Retry').click();
    await settle();
    expect(client.calls.filter((call) => call.path.startsWith('/admin/usage'))).toHaveLength(2);
    expect(table(root, 'Usage by user')).toBeDefined();
  });

  it('shows a network failure in plain words with Retry', async () => {
    const { root } = await mount({
      ...ROUTES,
      'GET /admin/audit': () => {
        throw apiProblem('network-error', 0);
      },
    });
    const auditPart = root.querySelectorAll('.admin-section')[2]!;
    expect(auditPart.querySelector('[role="alert"] button')?.textContent).toBe('Retry');
  });
});

describe('setting a user’s limits', () => {
  it('puts errors next to the fields, then sends the override and shows the change', async () => {
    const { root, client } = await mount();
    button(root, 'Set limits for a user').click();
    const dialog = document.querySelector('dialog')!;
    const field = (label: string): HTMLInputElement => {
      const labelElement = [...dialog.querySelectorAll('label')].find((candidate) => candidate.textContent === label);
      return dialog.querySelector<HTMLInputElement>(`[id="${labelElement?.getAttribute('for')}"]`)!;
    };
    const errorOf = (input: HTMLInputElement): string | undefined =>
      input
        .getAttribute('aria-describedby')
        ?.split(' ')
        .map((id) => document.getElementById(id))
        .find((element) => element?.classList.contains('field__error') && !element.hidden)?.textContent ?? undefined;

    expect(document.activeElement).toBe(field('User ID'));
    field('Tokens per day (UTC)').value = '2.5';
    dialog.querySelector('form')?.requestSubmit();
    expect(field('User ID').getAttribute('aria-invalid')).toBe('true');
    expect(errorOf(field('User ID'))).toContain('Enter the user’s ID');
    expect(errorOf(field('Tokens per day (UTC)'))).toContain('whole number');
    expect(document.activeElement).toBe(field('User ID'));
    expect(client.calls.some((call) => call.method === 'PUT')).toBe(false);

    field('User ID').value = 'b0b0b0';
    field('Tokens per day (UTC)').value = '';
    const unlimited = dialog.querySelector<HTMLInputElement>('input[type="checkbox"]')!;
    unlimited.click();
    expect(field('Requests per minute').disabled).toBe(true);
    dialog.querySelector('form')?.requestSubmit();
    await settle();

    expect(client.calls.find((call) => call.method === 'PUT')).toEqual({ method: 'PUT', path: '/admin/limits/b0b0b0', body: { unlimited: true } });
    expect(document.querySelector('dialog')).toBeNull();
    expect(root.querySelector('.admin-page__note')?.textContent).toBe('Limits saved for bo@example.com.');
    expect(client.calls.filter((call) => call.path === '/admin/limits')).toHaveLength(2);
    expect(client.calls.filter((call) => call.path.startsWith('/admin/audit'))).toHaveLength(2);
  });

  it('shows the API’s own field errors next to the fields', async () => {
    const { root } = await mount({
      ...ROUTES,
      'PUT /admin/limits/': () => {
        throw apiProblem('invalid-request', 400, { errors: [{ field: 'tokens_per_month', message: 'must be at most 1000000000000' }] });
      },
    });
    button(root, 'Set limits for bo@example.com').click();
    const dialog = document.querySelector('dialog')!;
    expect(dialog.textContent).toContain('For bo@example.com (b0b0b0)');
    const inputs = dialog.querySelectorAll<HTMLInputElement>('input[inputmode="numeric"]');
    inputs[2]!.value = '5';
    dialog.querySelector('form')?.requestSubmit();
    await settle();
    expect(inputs[2]!.getAttribute('aria-invalid')).toBe('true');
    expect(dialog.textContent).toContain('must be at most 1000000000000');
    expect(document.querySelector('dialog')).not.toBeNull();
  });

  it('edits an existing override, starting from its values', async () => {
    const { root } = await mount();
    button(root, 'Edit limits of zoe@example.com').click();
    const inputs = document.querySelectorAll<HTMLInputElement>('dialog input[inputmode="numeric"]');
    expect([...inputs].map((input) => input.value)).toEqual(['', '1000000', '']);
    expect(document.querySelector('dialog h2')?.textContent).toBe('Limits for zoe@example.com');
  });

  it('clears an override only once confirmed', async () => {
    const { root, client } = await mount();
    button(root, 'Clear limits of zoe@example.com').click();
    expect(document.querySelector('dialog')?.textContent).toContain('zoe@example.com will have the default limits again.');
    button(document, 'Cancel').click();
    await settle();
    expect(client.calls.some((call) => call.method === 'DELETE')).toBe(false);

    button(root, 'Clear limits of zoe@example.com').click();
    button(document, 'Clear limits').click();
    await settle();
    expect(client.calls.find((call) => call.method === 'DELETE')?.path).toBe('/admin/limits/d9a1c2');
    expect(root.querySelector('.admin-page__note')?.textContent).toBe('Limits cleared for zoe@example.com: the defaults apply.');
  });
});

describe('the audit log', () => {
  it('pages to older entries with `before`, adding them below', async () => {
    const older = { ...AUDIT.items[0], at: '2026-11-20T08:00:00Z', action: 'limits.clear', detail: 'back to the defaults (was: unlimited)' };
    const { root, client } = await mount({
      ...ROUTES,
      'GET /admin/audit?limit=25&before=': () => ({ items: [older], next_before: null }),
      'GET /admin/audit': () => ({ ...AUDIT, next_before: AUDIT.items[0]!.at }),
    });
    const audit = () => table(root, 'Audit log, newest first (times in your time zone)');
    expect(bodyRows(audit())).toHaveLength(1);
    button(root, 'Show older entries').click();
    await settle();
    expect(client.calls.at(-1)?.path).toBe(`/admin/audit?limit=25&before=${encodeURIComponent('2026-11-21T08:41:07.123456Z')}`);
    expect(bodyRows(audit()).map((row) => row[2])).toEqual(['Set limits', 'Cleared limits']);
    expect(button(root, 'Show older entries').hidden).toBe(true);
    expect(root.querySelector('.audit [role="status"]')?.textContent).toBe('1 older entry shown.');
  });
});
