/**
 * The admin page (admin.html, `/admin`): usage over a range of days, the limits with each
 * user's overrides, and the audit log. Each part loads on its own and fails on its own
 * (a sentence and Retry); an answer that says the caller is not an admin (or not allowed
 * at all) replaces the whole page with that sentence, rather than three broken parts.
 */
import { clearOverride, getLimits, getUsageReport, setOverride, type LimitOverride, type LimitsList, type UsageReport } from '../api/admin';
import { LOGOUT_URL } from '../api/auth';
import type { ApiClient } from '../api/client';
import { isAbortError } from '../api/client';
import { h, setText, uniqueId } from '../ui/dom';
import { describeUsageError, type ErrorView } from '../usage/errors';
import { createLoadStatus } from '../usage/load-status';
import { createAuditView } from './audit-view';
import { confirmAction } from './dialog';
import { renderLimits } from './limits-view';
import { openOverrideForm, type KnownUser } from './override-form';
import { valuesFor } from './override-values';
import { rangeFromSearch, searchOfRange } from './range';
import { createRangeForm } from './range-form';
import { renderReport, userLabel } from './report-view';

export interface AdminPageOptions {
  readonly appName: string;
  readonly client: Pick<ApiClient, 'requestJson' | 'requestEmpty'>;
  readonly now?: () => Date;
  readonly locale?: string;
  /** Where the page keeps its range; defaults to the browser's address. */
  readonly location?: { readonly search: string; replaceSearch(search: string): void };
}

export interface AdminPage {
  /** Resolves when the first loads of every part have ended (tests wait on it). */
  readonly ready: Promise<void>;
}

function browserLocation(): NonNullable<AdminPageOptions['location']> {
  return {
    search: window.location.search,
    replaceSearch: (search) => window.history.replaceState(null, '', search),
  };
}

function section(title: string, ...content: Node[]): HTMLElement {
  const id = uniqueId('admin-section');
  return h('section', { class: 'admin-section', attrs: { 'aria-labelledby': id } }, h('h2', { class: 'admin-section__title', attrs: { id } }, title), ...content);
}

export function mountAdminPage(root: HTMLElement, options: AdminPageOptions): AdminPage {
  const { client, locale } = options;
  const now = options.now ?? (() => new Date());
  const location = options.location ?? browserLocation();
  let report: UsageReport | null = null;
  let limits: LimitsList | null = null;
  let fatal = false;

  const nameOf = (userId: string): string | null => {
    const user = report?.by_user.find((candidate) => candidate.user_id === userId);
    return user === undefined ? null : userLabel(user);
  };
  const knownUsers = (): KnownUser[] => (report?.by_user ?? []).map((user) => ({ id: user.user_id, label: userLabel(user) }));

  const pageNote = h('p', { class: 'admin-page__note', attrs: { role: 'status' } });
  const main = h('main', { class: 'admin-main', attrs: { id: 'main', tabindex: -1 } });

  function showFatal(view: ErrorView): void {
    if (fatal) return;
    fatal = true;
    main.replaceChildren(
      h('h1', { class: 'admin-main__title' }, 'Usage and limits'),
      h('div', { class: 'admin-denied', attrs: { role: 'alert' } }, h('p', {}, view.sentence), h('p', {}, h('a', { attrs: { href: '/' } }, 'Back to the chat'))),
    );
  }

  // Usage.
  let range = rangeFromSearch(location.search, now());
  const reportStatus = createLoadStatus();
  const reportSlot = h('div', { class: 'admin-report' });
  let reportController: AbortController | null = null;
  const rangeForm = createRangeForm({
    initial: range,
    locale,
    onApply: (next) => {
      range = next;
      location.replaceSearch(searchOfRange(next));
      void loadReport();
    },
  });

  async function loadReport(): Promise<void> {
    reportController?.abort();
    const current = new AbortController();
    reportController = current;
    const wanted = range;
    reportStatus.loading('Loading usage…');
    try {
      const loaded = await getUsageReport(client, wanted, { signal: current.signal });
      if (current.signal.aborted) return;
      report = loaded;
      rangeForm.setApplied(wanted);
      reportSlot.replaceChildren(renderReport(loaded, { locale, onSetLimits: (user) => editLimits(user.user_id) }));
      reportStatus.done();
      // Names are now known: the limits and the audit log can use them.
      renderLimitsPart();
      audit.rerender();
    } catch (error) {
      if (isAbortError(error) || current.signal.aborted) return;
      const view = describeUsageError(error);
      if (view.kind !== 'other') showFatal(view);
      else reportStatus.failed(view, () => void loadReport());
    } finally {
      if (reportController === current) reportController = null;
    }
  }

  // Limits.
  const limitsStatus = createLoadStatus();
  const limitsSlot = h('div', { class: 'admin-limits' });
  const newOverride = h(
    'button',
    { class: 'button button--secondary', attrs: { type: 'button', disabled: true }, on: { click: () => editLimits(null) } },
    'Set limits for a user',
  );

  function renderLimitsPart(): void {
    if (limits === null) return;
    limitsSlot.replaceChildren(
      renderLimits(limits, {
        locale,
        nameOf,
        onEdit: (override) => editLimits(override.user_id),
        onClear: (override) => void clearLimits(override),
      }),
    );
  }

  async function loadLimits(): Promise<void> {
    limitsStatus.loading('Loading limits…');
    try {
      limits = await getLimits(client);
      newOverride.disabled = false;
      renderLimitsPart();
      limitsStatus.done();
    } catch (error) {
      const view = describeUsageError(error);
      if (view.kind !== 'other') showFatal(view);
      else limitsStatus.failed(view, () => void loadLimits());
    }
  }

  function afterChange(sentence: string): void {
    setText(pageNote, sentence);
    void loadLimits();
    void audit.reload();
  }

  /** The override form for `userId` (null: the admin types the id). */
  function editLimits(userId: string | null): void {
    if (limits === null) return;
    const current = limits.overrides.find((override) => override.user_id === userId);
    openOverrideForm({
      defaults: limits.defaults,
      ...(userId === null ? {} : { user: { id: userId, label: nameOf(userId) ?? userId } }),
      values: valuesFor(userId ?? '', current),
      knownUsers: knownUsers(),
      locale,
      save: async (id, input) => {
        await setOverride(client, id, input);
      },
      onSaved: (id) => afterChange(`Limits saved for ${nameOf(id) ?? id}.`),
    });
  }

  async function clearLimits(override: LimitOverride): Promise<void> {
    const who = nameOf(override.user_id) ?? override.user_id;
    const confirmed = await confirmAction({
      title: 'Clear these limits?',
      text: `${who} will have the default limits again.`,
      confirmLabel: 'Clear limits',
    });
    if (!confirmed) return;
    try {
      await clearOverride(client, override.user_id);
      afterChange(`Limits cleared for ${who}: the defaults apply.`);
    } catch (error) {
      const view = describeUsageError(error);
      if (view.kind !== 'other') showFatal(view);
      else limitsStatus.failed(view, () => void clearLimits(override));
    }
  }

  // Audit log.
  const audit = createAuditView(client, { locale, nameOf, onFatal: showFatal });

  main.append(
    h('h1', { class: 'admin-main__title' }, 'Usage and limits'),
    pageNote,
    section('Usage', rangeForm.element, reportStatus.element, reportSlot),
    section('Limits', limitsStatus.element, limitsSlot, h('p', {}, newOverride)),
    section('Audit log', audit.element),
  );
  root.replaceChildren(
    h('a', { class: 'skip-link', attrs: { href: '#main' } }, 'Skip to content'),
    h(
      'header',
      { class: 'admin-header' },
      h('p', { class: 'admin-header__app' }, options.appName, h('span', { class: 'admin-header__where' }, 'Admin')),
      h(
        'nav',
        { class: 'admin-header__nav', attrs: { 'aria-label': 'Admin' } },
        h('a', { attrs: { href: '/' } }, 'Back to the chat'),
        h('a', { attrs: { href: LOGOUT_URL } }, 'Sign out'),
      ),
    ),
    main,
  );

  return { ready: Promise.all([loadReport(), loadLimits(), audit.reload()]).then(() => undefined) };
}
