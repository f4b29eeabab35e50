import { afterEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../api/client';
import { ApiError, clientProblem, toProblem } from '../api/problem';
import { openUsageDialog } from './usage-dialog';
import { createUsagePanel, windowSentence } from './usage-panel';

const NOW = new Date('2026-11-21T08:41:00Z');

const USAGE = {
  today: { requests: 12, prompt_tokens: 5400, completion_tokens: 3100, total_tokens: 8500, resets_at: '2026-11-22T00:00:00Z' },
  month: { requests: 240, prompt_tokens: 98000, completion_tokens: 61000, total_tokens: 159000, resets_at: '2026-12-01T00:00:00Z' },
  limits: { requests_per_minute: 20, tokens_per_day: 200000, tokens_per_month: null },
};

type Answer = unknown | Error;

/** A client whose `requestJson` answers the queued bodies (or throws the queued errors) in turn. */
function fakeClient(...answers: Answer[]): Pick<ApiClient, 'requestJson'> & { paths: string[] } {
  const paths: string[] = [];
  return {
    paths,
    async requestJson<T>(_method: string, path: string, parse: (body: unknown) => T | null): Promise<T> {
      paths.push(path);
      const answer = answers.shift();
      if (answer instanceof Error) throw answer;
      const value = parse(answer);
      if (value === null) throw new ApiError(clientProblem('unexpected-response', 200));
      return value;
    },
  };
}

const problem = (body: Record<string, unknown>, status: number): ApiError => new ApiError(toProblem(body, status));

afterEach(() => {
  document.body.replaceChildren();
});

describe('the usage panel', () => {
  it('shows today and this month against the limits, with bars, reset times and "no limit"', async () => {
    const client = fakeClient(USAGE);
    const panel = createUsagePanel(client, { now: () => NOW, locale: 'en-GB' });
    document.body.append(panel.element);
    await panel.refresh();

    expect(client.paths).toEqual(['/usage/me']);
    const [today, month] = panel.element.querySelectorAll('section');
    expect(today?.querySelector('h3')?.textContent).toBe('Today');
    expect(today?.querySelector('[data-field="tokens"]')?.textContent).toBe('8,500 of 200,000 tokens used (4%)');
    expect(today?.textContent).toContain('12 requests; resets at 00:00 UTC.');
    const meter = today?.querySelector('meter');
    expect(meter?.getAttribute('max')).toBe('200000');
    expect(meter?.getAttribute('value')).toBe('8500');

    expect(month?.querySelector('h3')?.textContent).toBe('This month');
    expect(month?.querySelector('meter')).toBeNull();
    expect(month?.querySelector('[data-field="tokens"]')?.textContent).toBe('159,000 tokens used, no limit');
    expect(month?.textContent).toContain('resets on 1 Dec at 00:00 UTC');
    expect(panel.element.querySelector('[data-field="requests-per-minute"]')?.textContent).toBe('Requests per minute: at most 20.');
    expect(panel.element.getAttribute('aria-busy')).toBeNull();
  });

  it('says a limit is reached in words as well as with the bar', () => {
    expect(windowSentence(210_000, 200_000, 'en')).toBe('210,000 of 200,000 tokens used (105%): limit reached');
    expect(windowSentence(0, null, 'en')).toBe('0 tokens used, no limit');
  });

  it('marks a full window and has no limit at all when none is set', async () => {
    const full = {
      ...USAGE,
      today: { ...USAGE.today, total_tokens: 250000 },
      limits: { requests_per_minute: null, tokens_per_day: 200000, tokens_per_month: null },
    };
    const panel = createUsagePanel(fakeClient(full), { now: () => NOW, locale: 'en' });
    await panel.refresh();
    const meter = panel.element.querySelector('meter');
    expect(meter?.classList.contains('meter--full')).toBe(true);
    expect(meter?.getAttribute('value')).toBe('200000');
    expect(panel.element.querySelector('[data-field="requests-per-minute"]')?.textContent).toBe('Requests per minute: no limit.');
  });

  it('shows a failure as a sentence with Retry, and Retry loads again', async () => {
    const unavailable = problem({ type: 'urn:chat-on-azure:problem:history-unavailable', detail: 'Your chat history cannot be reached right now.', retry_after: 5 }, 503);
    const client = fakeClient(unavailable, USAGE);
    const panel = createUsagePanel(client, { now: () => NOW, locale: 'en' });
    document.body.append(panel.element);
    await panel.refresh();

    const alert = panel.element.querySelector('[role="alert"]');
    expect(alert?.textContent).toContain('Usage figures cannot be reached right now. Try again in 5 seconds.');
    expect(alert?.textContent).not.toContain('chat history');
    const retry = [...panel.element.querySelectorAll('button')].find((button) => button.textContent === 'Retry');
    expect(retry).toBeDefined();
    retry?.click();
    await Promise.resolve();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(client.paths).toHaveLength(2);
    expect(panel.element.querySelector('[role="alert"]')?.hasAttribute('hidden')).toBe(true);
    expect(panel.element.querySelectorAll('section')).toHaveLength(2);
  });

  it('offers no Retry when usage is not recorded at all', async () => {
    const disabled = problem({ type: 'urn:chat-on-azure:problem:history-disabled', detail: 'No history.' }, 404);
    const panel = createUsagePanel(fakeClient(disabled));
    await panel.refresh();
    expect(panel.element.textContent).toContain('This deployment does not record usage');
    expect(panel.element.querySelector('button')).toBeNull();
  });

  it('says it is loading while it loads', () => {
    const panel = createUsagePanel({ requestJson: () => new Promise(() => undefined) });
    void panel.refresh();
    expect(panel.element.querySelector('[role="status"]')?.textContent).toBe('Loading your usage…');
    expect(panel.element.getAttribute('aria-busy')).toBe('true');
  });
});

describe('the usage dialog', () => {
  it('opens as a labelled dialog with the figures, and is gone when closed', async () => {
    const opener = document.createElement('button');
    document.body.append(opener);
    opener.focus();
    const dialog = openUsageDialog(fakeClient(USAGE), { now: () => NOW, locale: 'en' });
    await dialog.loaded;

    const element = document.querySelector('dialog');
    expect(element).toBe(dialog.element);
    const titleId = element?.getAttribute('aria-labelledby') ?? '';
    expect(document.getElementById(titleId)?.textContent).toBe('Your usage');
    expect(element?.querySelectorAll('section')).toHaveLength(2);
    expect(document.activeElement?.textContent).toBe('Close');

    dialog.close();
    expect(document.querySelector('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });
});
