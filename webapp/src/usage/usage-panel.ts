/**
 * "Your usage": what the signed-in user used today and this month against their limits
 * (`GET /api/usage/me`). Each limited window has a bar and the same facts in words (the
 * bar is decoration for sighted readers; the sentence is what everyone gets), when it
 * resets in UTC, and "no limit" where none applies.
 */
import { getMyUsage, type MyUsage, type UsageWindow } from '../api/usage';
import type { ApiClient } from '../api/client';
import { isAbortError } from '../api/client';
import { h, uniqueId } from '../ui/dom';
import { describeUsageError } from './errors';
import { formatCount, formatLimit, formatRequests, formatReset, formatShare, formatTokens } from './format';
import { createLoadStatus } from './load-status';
import './meter.css';
import './usage.css';

export interface UsagePanel {
  readonly element: HTMLElement;
  /** Load (again) and show the figures; never rejects (a failure is shown with Retry). */
  refresh(): Promise<void>;
  /** Stop a load in flight (the panel is going away). */
  destroy(): void;
}

export interface UsagePanelOptions {
  readonly now?: () => Date;
  /** The browser's language when left out. */
  readonly locale?: string;
}

interface WindowFacts {
  readonly title: string;
  readonly window: UsageWindow;
  readonly limit: number | null;
}

/** "8,500 of 200,000 tokens used (4%)", or "8,500 tokens used, no limit". */
export function windowSentence(used: number, limit: number | null, locale?: string): string {
  if (limit === null) return `${formatTokens(used, locale)} used, no limit`;
  const base = `${formatCount(used, locale)} of ${formatTokens(limit, locale)} used (${formatShare(used, limit, locale)})`;
  return used >= limit ? `${base}: limit reached` : base;
}

function windowBlock(facts: WindowFacts, now: Date, locale: string | undefined): HTMLElement {
  const headingId = uniqueId('usage-window');
  const { window, limit } = facts;
  const full = limit !== null && window.total_tokens >= limit;
  const meter =
    limit !== null &&
    h('meter', {
      class: full ? 'meter meter--full' : 'meter',
      // The sentence below says the same in words.
      attrs: { min: 0, max: limit, value: Math.min(window.total_tokens, limit), 'aria-hidden': 'true' },
    });
  return h(
    'section',
    { class: 'usage-window', attrs: { 'aria-labelledby': headingId } },
    h('h3', { class: 'usage-window__title', attrs: { id: headingId } }, facts.title),
    meter,
    h('p', { class: 'usage-window__tokens', data: { field: 'tokens' } }, windowSentence(window.total_tokens, limit, locale)),
    h(
      'p',
      { class: 'usage-window__detail' },
      `${formatRequests(window.requests, locale)}; ${formatReset(window.resets_at, now, locale)}.`,
    ),
  );
}

export function renderUsage(usage: MyUsage, now: Date, locale?: string): HTMLElement {
  const perMinute = usage.limits.requests_per_minute;
  return h(
    'div',
    { class: 'usage-panel__figures' },
    windowBlock({ title: 'Today', window: usage.today, limit: usage.limits.tokens_per_day }, now, locale),
    windowBlock({ title: 'This month', window: usage.month, limit: usage.limits.tokens_per_month }, now, locale),
    h(
      'p',
      { class: 'usage-panel__note', data: { field: 'requests-per-minute' } },
      perMinute === null ? 'Requests per minute: no limit.' : `Requests per minute: at most ${formatLimit(perMinute, locale)}.`,
    ),
    h('p', { class: 'usage-panel__note' }, 'Days and months are counted in UTC. Tokens are what you send and what you get back.'),
  );
}

export function createUsagePanel(client: Pick<ApiClient, 'requestJson'>, options: UsagePanelOptions = {}): UsagePanel {
  const now = options.now ?? (() => new Date());
  const status = createLoadStatus();
  const figures = h('div', { class: 'usage-panel__body' });
  const element = h('div', { class: 'usage-panel' }, status.element, figures);
  let controller: AbortController | null = null;

  async function refresh(): Promise<void> {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    element.setAttribute('aria-busy', 'true');
    status.loading('Loading your usage…');
    try {
      const usage = await getMyUsage(client, { signal: current.signal });
      if (current.signal.aborted) return;
      figures.replaceChildren(renderUsage(usage, now(), options.locale));
      status.done();
    } catch (error) {
      if (isAbortError(error) || current.signal.aborted) return;
      figures.replaceChildren();
      status.failed(describeUsageError(error), () => void refresh());
    } finally {
      if (controller === current) {
        controller = null;
        element.removeAttribute('aria-busy');
      }
    }
  }

  return {
    element,
    refresh,
    destroy() {
      controller?.abort();
      controller = null;
    },
  };
}
