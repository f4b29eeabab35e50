/**
 * Waiting until a conversation the app was asked to open is on screen, read from the page
 * itself (message-list.ts and app.ts own that DOM): while it loads, the conversation shows
 * a notice without buttons; once loaded the notice is hidden; a conversation that failed to
 * load or does not exist shows a notice with a button (Try again, New chat).
 *
 * An app that knows better can hand the sidebar its own `whenOpened` instead.
 */
export type ShownState = 'loading' | 'shown' | 'failed' | 'left';

export function shownState(doc: Document, id: string, currentId: string | null): ShownState {
  if (currentId !== id) return 'left';
  const notice = doc.querySelector<HTMLElement>('main.conversation .conversation-notice');
  if (notice === null) return 'loading';
  if (notice.hidden) return 'shown';
  return notice.querySelector('button') === null ? 'loading' : 'failed';
}

export interface ShownOptions {
  readonly doc?: Document;
  /** The conversation the app has on screen (or is opening). */
  readonly currentId: () => string | null;
  readonly timeoutMs?: number;
  readonly pollMs?: number;
}

/** Resolves with how it ended: `shown`, or why not (`failed`, `left`, or `loading` at the time-out). */
export function whenConversationShown(id: string, options: ShownOptions): Promise<ShownState> {
  const doc = options.doc ?? document;
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  const pollMs = options.pollMs ?? 50;
  return new Promise((resolve) => {
    const check = (): void => {
      const state = shownState(doc, id, options.currentId());
      if (state !== 'loading' || Date.now() >= deadline) resolve(state);
      else setTimeout(check, pollMs);
    };
    check();
  });
}
