import { afterEach, describe, expect, it, vi } from 'vitest';
import { shownState, whenConversationShown } from './conversation-shown';
import { printConversation } from './print-conversation';

/** The part of the chat screen the print code reads: the conversation and its notice. */
function screen(): { notice: HTMLElement; log: HTMLElement } {
  const notice = document.createElement('div');
  notice.className = 'conversation-notice';
  notice.hidden = true;
  const log = document.createElement('div');
  const main = document.createElement('main');
  main.className = 'conversation';
  main.append(notice, log);
  document.body.replaceChildren(main);
  return { notice, log };
}

function showNotice(notice: HTMLElement, withButton: boolean): void {
  notice.replaceChildren(document.createTextNode('…'));
  if (withButton) notice.append(document.createElement('button'));
  notice.hidden = false;
}

const frame = (): Promise<void> => Promise.resolve();

afterEach(() => {
  document.body.replaceChildren();
  vi.useRealTimers();
});

describe('shownState', () => {
  it('reads loading, shown, failed and left from the page', () => {
    const { notice } = screen();
    expect(shownState(document, 'a', 'b')).toBe('left');
    expect(shownState(document, 'a', 'a')).toBe('shown');
    showNotice(notice, false);
    expect(shownState(document, 'a', 'a')).toBe('loading');
    showNotice(notice, true);
    expect(shownState(document, 'a', 'a')).toBe('failed');
    document.body.replaceChildren();
    expect(shownState(document, 'a', 'a')).toBe('loading');
  });

  it('gives up waiting after the time-out', async () => {
    vi.useFakeTimers();
    const { notice } = screen();
    showNotice(notice, false);
    const state = whenConversationShown('a', { currentId: () => 'a', timeoutMs: 1_000, pollMs: 100 });
    await vi.advanceTimersByTimeAsync(1_100);
    await expect(state).resolves.toBe('loading');
  });
});

describe('printConversation', () => {
  it('prints the conversation on screen at once, with its title on top until printing ends', async () => {
    screen();
    const open = vi.fn();
    const print = vi.fn(() => {
      const title = document.querySelector<HTMLElement>('body > .print-title');
      expect(title?.textContent).toBe('Trip plans');
      expect(title?.hidden).toBe(true);
    });
    const outcome = await printConversation({ id: 'a', title: 'Trip plans' }, { currentId: () => 'a', open, print, nextFrame: frame });
    expect(outcome).toBe('printed');
    expect(open).not.toHaveBeenCalled();
    expect(print).toHaveBeenCalledTimes(1);
    window.dispatchEvent(new Event('afterprint'));
    expect(document.querySelector('.print-title')).toBeNull();
  });

  it('opens another conversation first and prints once it has loaded', async () => {
    vi.useFakeTimers();
    const { notice, log } = screen();
    let current: string | null = 'a';
    const print = vi.fn(() => expect(log.textContent).toBe('the other answer'));
    const outcome = printConversation(
      { id: 'b', title: 'Other' },
      {
        currentId: () => current,
        open(id) {
          current = id;
          showNotice(notice, false);
        },
        print,
        nextFrame: frame,
      },
    );
    await vi.advanceTimersByTimeAsync(500);
    expect(print).not.toHaveBeenCalled();
    log.textContent = 'the other answer';
    notice.hidden = true;
    await vi.advanceTimersByTimeAsync(100);
    await expect(outcome).resolves.toBe('printed');
    expect(print).toHaveBeenCalledTimes(1);
  });

  it('prints nothing when the conversation cannot be loaded or the user moves on', async () => {
    const { notice } = screen();
    const print = vi.fn();
    const failed = printConversation(
      { id: 'b', title: 'Gone' },
      { currentId: () => 'b', open: vi.fn(), print, nextFrame: frame, whenOpened: () => Promise.resolve('failed') },
    );
    await expect(failed).resolves.toBe('failed');

    let current: string | null = 'a';
    const left = printConversation(
      { id: 'b', title: 'Other' },
      {
        currentId: () => current,
        open(id) {
          current = id;
          showNotice(notice, false);
          // The user picks "New chat" before it has loaded.
          setTimeout(() => (current = null), 10);
        },
        print,
        nextFrame: frame,
      },
    );
    await expect(left).resolves.toBe('left');
    expect(print).not.toHaveBeenCalled();
    expect(document.querySelector('.print-title')).toBeNull();
  });

  it('waits for code that is still to be highlighted', async () => {
    const { log } = screen();
    const code = document.createElement('code');
    code.className = 'md-code-pending language-python';
    code.textContent = 'print("hi")';
    log.append(code);
    const print = vi.fn(() => expect(code.classList.contains('md-code-pending')).toBe(false));
    await expect(printConversation({ id: 'a', title: 'Code' }, { currentId: () => 'a', open: vi.fn(), print, nextFrame: frame })).resolves.toBe(
      'printed',
    );
    expect(print).toHaveBeenCalledTimes(1);
  });
});
