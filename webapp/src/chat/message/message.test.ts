import { afterEach, describe, expect, it, vi } from 'vitest';
import { toProblem } from '../../api/problem';
import { createMemoryStore } from '../store';
import { createMessageView, detailWithoutWait } from './message';

afterEach(() => {
  vi.useRealTimers();
});

describe('message view', () => {
  it('shows user text as text, never as HTML', () => {
    const store = createMemoryStore();
    const message = store.add('user', { text: '<img src=x onerror=alert(1)> **not bold**' });
    const view = createMessageView(message, { onRetry: vi.fn() });
    expect(view.element.querySelector('img, strong')).toBeNull();
    expect(view.element.querySelector('.message__text')?.textContent).toBe('<img src=x onerror=alert(1)> **not bold**');
    expect(view.element.dataset).toMatchObject({ role: 'user', status: 'complete' });
    expect(view.element.tagName).toBe('ARTICLE');
  });

  it('edits a user message in place: Enter sends the new text, Escape puts the message back', () => {
    const store = createMemoryStore();
    const message = store.add('user', { text: 'Capital of France?' });
    const onEdit = vi.fn();
    const view = createMessageView(message, { onRetry: vi.fn(), onEdit });
    document.body.appendChild(view.element);
    view.update(message, { retryable: false, editable: true });
    const edit = (): HTMLButtonElement | null => view.element.querySelector('.message__edit');
    const box = (): HTMLTextAreaElement | null => view.element.querySelector('textarea');

    edit()?.click();
    expect(box()?.value).toBe('Capital of France?');
    expect(document.activeElement).toBe(box());
    expect(view.element.querySelector<HTMLElement>('.message__text')?.hidden).toBe(true);
    box()?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(box()).toBeNull();
    expect(view.element.querySelector<HTMLElement>('.message__text')?.hidden).toBe(false);
    expect(document.activeElement).toBe(edit());

    edit()?.click();
    const input = box();
    if (input === null) throw new Error('no editor');
    input.value = '   ';
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    expect(onEdit).not.toHaveBeenCalled();
    input.value = 'Capital of Italy?';
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    expect(onEdit).toHaveBeenCalledWith(message.id, 'Capital of Italy?');
    expect(box()).toBeNull();
    view.destroy();
  });

  it('offers Edit only while the message may be edited, and closes an open editor when it may not', () => {
    const store = createMemoryStore();
    const message = store.add('user', { text: 'Q' });
    const view = createMessageView(message, { onRetry: vi.fn(), onEdit: vi.fn() });
    expect(view.element.querySelector('.message__edit')).toBeNull();
    view.update(message, { retryable: false, editable: true });
    view.element.querySelector<HTMLButtonElement>('.message__edit')?.click();
    expect(view.element.querySelector('textarea')).not.toBeNull();
    view.update(message, { retryable: false, editable: false });
    expect(view.element.querySelector('.message__edit, textarea')).toBeNull();
    const answer = createMessageView(store.add('assistant', { text: 'A' }), { onRetry: vi.fn(), onEdit: vi.fn() });
    answer.update(store.messages()[1]!, { retryable: false, editable: true });
    expect(answer.element.querySelector('.message__edit')).toBeNull();
  });

  it('counts down retry_after, then hides the countdown', () => {
    vi.useFakeTimers();
    const store = createMemoryStore();
    const message = store.add('assistant', {
      status: 'failed',
      error: toProblem({ detail: 'The model is busy. Try again in 3 seconds.', retry_after: 3 }, 429),
    });
    const onRetry = vi.fn();
    const view = createMessageView(message, { onRetry });
    view.update(message, { retryable: true });
    const countdown = view.element.querySelector<HTMLElement>('.message__retry-after');
    expect(countdown?.textContent).toBe('Try again in 3 seconds.');
    vi.advanceTimersByTime(2000);
    expect(countdown?.textContent).toBe('Try again in 1 second.');
    vi.advanceTimersByTime(1000);
    expect(view.element.querySelector('.message__retry-after')).toBeNull();
    view.element.querySelector<HTMLButtonElement>('.message__error button')?.click();
    expect(onRetry).toHaveBeenCalledWith(message.id);
    view.destroy();
  });

  it('hides Retry when the message cannot be retried', () => {
    const store = createMemoryStore();
    const message = store.add('assistant', { status: 'failed', error: toProblem(null, 502) });
    const view = createMessageView(message, { onRetry: vi.fn() });
    view.update(message, { retryable: false });
    expect(view.element.querySelector('.message__error')).not.toBeNull();
    expect(view.element.querySelector('.message__error button')).toBeNull();
    view.update(message, { retryable: true });
    expect(view.element.querySelector('.message__error button')?.textContent).toBe('Retry');
  });

  it('shows the request id of a problem, for the administrator', () => {
    const store = createMemoryStore();
    const message = store.add('assistant', { status: 'failed', error: toProblem({ request_id: 'abc-123' }, 500) });
    const view = createMessageView(message, { onRetry: vi.fn() });
    view.update(message, { retryable: true });
    const box = view.element.querySelector('.message__error');
    expect(box?.lastElementChild?.textContent).toBe('Reference: abc-123');
    expect(box?.querySelector('button')?.nextElementSibling?.className).toBe('message__reference');
  });

  it('holds only the message text while it streams (no hidden helper text)', () => {
    const store = createMemoryStore();
    const message = store.add('assistant', { status: 'streaming' });
    const view = createMessageView(message, { onRetry: vi.fn() });
    expect(view.element.textContent).toBe('Assistant');
    expect(view.element.querySelector('[role="img"]')?.getAttribute('aria-label')).toBe('Waiting for the answer');
    const done = store.update(message.id, { status: 'complete', text: 'Hello world' });
    view.update(done, { retryable: false });
    // The finished answer gets its Copy button (on screen too).
    expect(view.element.textContent?.replace(/\s+/g, ' ').trim()).toBe('AssistantHello world Copy');
  });

  it('notes a length cut-off and the content filter', () => {
    const store = createMemoryStore();
    const cut = store.add('assistant', { text: 'x', finishReason: 'length' });
    expect(createMessageView(cut, { onRetry: vi.fn() }).element.textContent).toContain('cut off at the length limit');
    const filtered = store.add('assistant', { text: 'x', finishReason: 'content_filter' });
    expect(createMessageView(filtered, { onRetry: vi.fn() }).element.textContent).toContain('content filter');
  });

  it('offers "Copy answer" on a finished answer and copies its Markdown', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    vi.stubGlobal('navigator', { clipboard: { writeText } });
    try {
      const store = createMemoryStore();
      const message = store.add('assistant', { status: 'streaming', text: 'Some **bold**' });
      const view = createMessageView(message, { onRetry: vi.fn() });
      const copyButton = (): HTMLButtonElement | null =>
        view.element.querySelector<HTMLButtonElement>('button[aria-label="Copy answer"]');
      expect(copyButton()).toBeNull();
      const done = store.update(message.id, { status: 'complete', text: 'Some **bold** and `code`.' });
      view.update(done, { retryable: false });
      copyButton()?.click();
      expect(writeText).toHaveBeenCalledWith('Some **bold** and `code`.');
      await vi.waitFor(() => expect(copyButton()).toBeNull()); // it now says "Copied"
      expect(view.element.querySelector('.message__copy')?.textContent).toBe('Copied');
      expect(view.element.querySelectorAll('.message__copy')).toHaveLength(1);
      view.destroy();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('copies a code block from its Copy button', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    vi.stubGlobal('navigator', { clipboard: { writeText } });
    try {
      const store = createMemoryStore();
      const message = store.add('assistant', { text: 'Run:\n\n```sh\nnpm test\n```' });
      const view = createMessageView(message, { onRetry: vi.fn() });
      view.element.querySelector<HTMLButtonElement>('button[aria-label="Copy code"]')?.click();
      expect(writeText).toHaveBeenCalledWith('npm test');
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('detailWithoutWait', () => {
  it('drops a trailing wait sentence only', () => {
    expect(detailWithoutWait('The model is busy. Try again in 20 seconds.')).toBe('The model is busy.');
    expect(detailWithoutWait('Try again in 20 seconds.')).toBe('Try again in 20 seconds.');
    expect(detailWithoutWait('Busy.')).toBe('Busy.');
    expect(detailWithoutWait('Everyone together has used this minute. Try again at 08:43 UTC.')).toBe(
      'Everyone together has used this minute.',
    );
  });
});

describe('usage limits in the error box', () => {
  const limitProblem = (retryAfter: number, detail: string) =>
    toProblem({ type: 'urn:chat-on-azure:problem:usage-limit', detail, retry_after: retryAfter }, 429);

  it('counts down a short wait once, without repeating it in the sentence', () => {
    vi.useFakeTimers();
    const store = createMemoryStore();
    const message = store.add('assistant', {
      status: 'failed',
      error: limitProblem(37, 'Everyone together has used this minute. Try again at 08:43 UTC.'),
    });
    const view = createMessageView(message, { onRetry: vi.fn() });
    view.update(message, { retryable: true });
    const text = view.element.querySelector('.message__error')?.textContent ?? '';
    expect(text.match(/Try again/g)).toHaveLength(1);
    expect(text).toContain('Try again in 37 seconds.');
    expect(view.element.querySelector('.message__error button')?.textContent).toBe('Retry');
    view.destroy();
  });

  it('for a day or a month, says when and offers no Retry that would only fail', () => {
    const store = createMemoryStore();
    const detail = 'You have reached your limit of 400 tokens a day. It resets at 00:00 UTC.';
    const message = store.add('assistant', { status: 'failed', error: limitProblem(55_000, detail) });
    const view = createMessageView(message, { onRetry: vi.fn() });
    view.update(message, { retryable: true });
    expect(view.element.querySelector('.message__error-text')?.textContent).toBe(detail);
    expect(view.element.querySelector<HTMLElement>('.message__retry-after')?.hidden ?? true).toBe(true);
    expect(view.element.querySelector('.message__error button')).toBeNull();
    view.destroy();
  });
});
