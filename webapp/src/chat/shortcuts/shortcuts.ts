/**
 * The keyboard shortcuts: one `keydown` listener on the document that maps a key press to
 * an action. Ctrl on Windows/Linux, ⌘ on macOS; Alt (AltGr) never. In the message box the
 * Ctrl/⌘ shortcuts and Esc (stop the answer) work; in other text fields nothing fires but
 * Shift+Esc (focus the message box, from anywhere). Nothing fires inside an open dialog.
 */
export type ShortcutAction = 'newChat' | 'focusComposer' | 'stop' | 'copyLastAnswer' | 'toggleSidebar' | 'search' | 'help';

export interface ShortcutInfo {
  readonly action: ShortcutAction;
  /** Keys as shown, e.g. ["Ctrl", "Shift", "O"]. */
  readonly keys: (mac: boolean) => readonly string[];
  readonly description: string;
}

const mod = (mac: boolean): string => (mac ? '⌘' : 'Ctrl');

/** In the order the help dialog lists them. */
export const SHORTCUTS: readonly ShortcutInfo[] = [
  { action: 'newChat', keys: (mac) => [mod(mac), 'Shift', 'O'], description: 'New chat' },
  { action: 'focusComposer', keys: () => ['Shift', 'Esc'], description: 'Focus the message box' },
  { action: 'stop', keys: () => ['Esc'], description: 'Stop the answer (while it is being written)' },
  { action: 'copyLastAnswer', keys: (mac) => [mod(mac), 'Shift', 'C'], description: 'Copy the last answer' },
  { action: 'toggleSidebar', keys: (mac) => [mod(mac), 'Shift', 'S'], description: 'Show or hide the conversations' },
  { action: 'search', keys: (mac) => [mod(mac), 'K'], description: 'Search conversations' },
  { action: 'help', keys: (mac) => [mod(mac), '/'], description: 'Show the keyboard shortcuts' },
];

export function isMac(nav: Navigator | undefined = typeof navigator === 'undefined' ? undefined : navigator): boolean {
  if (nav === undefined) return false;
  const data = (nav as Navigator & { userAgentData?: { platform?: string } }).userAgentData;
  const platform = data?.platform ?? nav.platform ?? '';
  return /mac|iphone|ipad|ipod/i.test(platform);
}

const TEXT_INPUT_TYPES = new Set(['', 'text', 'search', 'email', 'url', 'password', 'tel', 'number', 'date', 'datetime-local', 'month', 'time', 'week']);

/** A place where keys are text: a textarea, a text-like input, an editable element. */
export function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLTextAreaElement) return true;
  if (target instanceof HTMLInputElement) return TEXT_INPUT_TYPES.has(target.type.toLowerCase());
  return target.isContentEditable || target.closest('[contenteditable=""], [contenteditable="true"]') !== null;
}

export interface KeyContext {
  readonly mac: boolean;
  /** An answer is streaming. */
  readonly streaming: boolean;
  /** Focus is in a text field. */
  readonly inTextField: boolean;
  /** Focus is in the message box. */
  readonly inComposer: boolean;
}

type KeyLike = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'> & { readonly isComposing?: boolean };

/** The letter of a key: `event.key` for Latin layouts, else the physical key (`KeyO`). */
function letterOf(event: KeyLike): string {
  if (/^[a-z]$/i.test(event.key)) return event.key.toLowerCase();
  const match = /^Key([A-Z])$/.exec(event.code);
  return match?.[1]?.toLowerCase() ?? '';
}

/** The action for a key press, or null. Pure: the tests drive it directly. */
export function matchShortcut(event: KeyLike, context: KeyContext): ShortcutAction | null {
  if (event.isComposing === true || event.altKey) return null;
  const primary = context.mac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
  const none = !event.ctrlKey && !event.metaKey;

  if (event.key === 'Escape' && none) {
    if (event.shiftKey) return 'focusComposer';
    if (!context.streaming) return null;
    return !context.inTextField || context.inComposer ? 'stop' : null;
  }
  // The message box has focus most of the time, so the modifier shortcuts work there too;
  // other text fields (rename, search) keep their keys to themselves.
  if (!primary || (context.inTextField && !context.inComposer)) return null;
  if (event.key === '/' || (event.code === 'Slash' && !event.shiftKey)) return 'help';
  const letter = letterOf(event);
  if (event.shiftKey) {
    if (letter === 'o') return 'newChat';
    if (letter === 'c') return 'copyLastAnswer';
    if (letter === 's') return 'toggleSidebar';
    return null;
  }
  return letter === 'k' ? 'search' : null;
}

export interface ShortcutOptions {
  readonly run: (action: ShortcutAction) => void;
  readonly isStreaming: () => boolean;
  readonly isComposer: (element: Element | null) => boolean;
  readonly mac?: boolean;
}

/** Listen on `target` (the document); returns the function that stops listening. */
export function installShortcuts(target: Document, options: ShortcutOptions): () => void {
  const mac = options.mac ?? isMac();
  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.defaultPrevented) return;
    const element = event.target instanceof Element ? event.target : null;
    // A dialog handles its own keys (Escape closes it).
    if (element?.closest('dialog') != null) return;
    const action = matchShortcut(event, {
      mac,
      streaming: options.isStreaming(),
      inTextField: isTextField(event.target),
      inComposer: options.isComposer(element),
    });
    if (action === null) return;
    event.preventDefault();
    if (event.repeat && action !== 'focusComposer') return;
    options.run(action);
  };
  target.addEventListener('keydown', onKeyDown);
  return () => target.removeEventListener('keydown', onKeyDown);
}
