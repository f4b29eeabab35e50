import { afterEach, describe, expect, it, vi } from 'vitest';
import { installShortcuts, isMac, isTextField, matchShortcut, SHORTCUTS, type KeyContext, type ShortcutAction } from './shortcuts';

const idle: KeyContext = { mac: false, streaming: false, inTextField: false, inComposer: false };

function key(key: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {}, code = '') {
  return { key, code, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods };
}

describe('matchShortcut', () => {
  const combos: [ReturnType<typeof key>, ShortcutAction][] = [
    [key('O', { ctrlKey: true, shiftKey: true }, 'KeyO'), 'newChat'],
    [key('Escape', { shiftKey: true }, 'Escape'), 'focusComposer'],
    [key('C', { ctrlKey: true, shiftKey: true }, 'KeyC'), 'copyLastAnswer'],
    [key('S', { ctrlKey: true, shiftKey: true }, 'KeyS'), 'toggleSidebar'],
    [key('k', { ctrlKey: true }, 'KeyK'), 'search'],
    [key('/', { ctrlKey: true }, 'Slash'), 'help'],
  ];

  it.each(combos)('maps %o to %s with Ctrl off macOS', (event, action) => {
    expect(matchShortcut(event, idle)).toBe(action);
  });

  it('uses ⌘ (not Ctrl) on macOS', () => {
    const mac = { ...idle, mac: true };
    expect(matchShortcut(key('k', { metaKey: true }, 'KeyK'), mac)).toBe('search');
    expect(matchShortcut(key('o', { metaKey: true, shiftKey: true }, 'KeyO'), mac)).toBe('newChat');
    expect(matchShortcut(key('k', { ctrlKey: true }, 'KeyK'), mac)).toBeNull();
    expect(matchShortcut(key('k', { metaKey: true }, 'KeyK'), idle)).toBeNull();
  });

  it('leaves other combinations to the browser', () => {
    expect(matchShortcut(key('o', { ctrlKey: true }, 'KeyO'), idle)).toBeNull(); // open file
    expect(matchShortcut(key('c', { ctrlKey: true }, 'KeyC'), idle)).toBeNull(); // copy
    expect(matchShortcut(key('s', { ctrlKey: true }, 'KeyS'), idle)).toBeNull(); // save
    expect(matchShortcut(key('K', { ctrlKey: true, shiftKey: true }, 'KeyK'), idle)).toBeNull();
    expect(matchShortcut(key('k', { ctrlKey: true, altKey: true }, 'KeyK'), idle)).toBeNull(); // AltGr
    expect(matchShortcut(key('k', { ctrlKey: true, metaKey: true }, 'KeyK'), idle)).toBeNull();
    expect(matchShortcut(key('k', {}, 'KeyK'), idle)).toBeNull();
    expect(matchShortcut({ ...key('k', { ctrlKey: true }, 'KeyK'), isComposing: true }, idle)).toBeNull();
  });

  it('finds the letter by its physical key on non-Latin layouts', () => {
    expect(matchShortcut(key('л', { ctrlKey: true }, 'KeyK'), idle)).toBe('search');
  });

  it('ignores the modifier shortcuts in other text fields, not in the message box', () => {
    for (const [event, action] of combos.filter(([, a]) => a !== 'focusComposer')) {
      expect(matchShortcut(event, { ...idle, inTextField: true })).toBeNull();
      expect(matchShortcut(event, { ...idle, inTextField: true, inComposer: true })).toBe(action);
    }
  });

  it('focuses the message box with Shift+Esc from anywhere, text fields included', () => {
    const event = key('Escape', { shiftKey: true });
    expect(matchShortcut(event, { ...idle, inTextField: true })).toBe('focusComposer');
    expect(matchShortcut(event, { ...idle, inTextField: true, inComposer: true, streaming: true })).toBe('focusComposer');
  });

  it('stops with Esc only while an answer streams, in the message box too but not other text fields', () => {
    const escape = key('Escape');
    expect(matchShortcut(escape, idle)).toBeNull();
    expect(matchShortcut(escape, { ...idle, inTextField: true, inComposer: true })).toBeNull();
    expect(matchShortcut(escape, { ...idle, streaming: true })).toBe('stop');
    expect(matchShortcut(escape, { ...idle, streaming: true, inTextField: true, inComposer: true })).toBe('stop');
    expect(matchShortcut(escape, { ...idle, streaming: true, inTextField: true })).toBeNull();
    expect(matchShortcut(key('Escape', { ctrlKey: true }), { ...idle, streaming: true })).toBeNull();
  });

  it('lists every action once, with the modifier of the platform', () => {
    expect(new Set(SHORTCUTS.map((s) => s.action)).size).toBe(7);
    expect(SHORTCUTS.find((s) => s.action === 'search')?.keys(true)).toEqual(['⌘', 'K']);
    expect(SHORTCUTS.find((s) => s.action === 'search')?.keys(false)).toEqual(['Ctrl', 'K']);
  });

  it('knows macOS from the platform', () => {
    expect(isMac({ platform: 'MacIntel' } as Navigator)).toBe(true);
    expect(isMac({ platform: 'Win32' } as Navigator)).toBe(false);
    expect(isMac({ platform: '', userAgentData: { platform: 'macOS' } } as unknown as Navigator)).toBe(true);
  });
});

describe('installShortcuts', () => {
  let remove: (() => void) | null = null;
  afterEach(() => {
    remove?.();
    remove = null;
    document.body.replaceChildren();
  });

  function setup(streaming = false) {
    const composer = document.createElement('textarea');
    const search = document.createElement('input');
    search.type = 'search';
    const button = document.createElement('button');
    const dialog = document.createElement('dialog');
    const inDialog = document.createElement('button');
    dialog.append(inDialog);
    document.body.append(composer, search, button, dialog);
    const run = vi.fn<(action: ShortcutAction) => void>();
    remove = installShortcuts(document, { run, isStreaming: () => streaming, isComposer: (el) => el === composer, mac: false });
    return { composer, search, button, inDialog, run };
  }

  function press(target: Element, init: KeyboardEventInit): KeyboardEvent {
    const event = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init });
    target.dispatchEvent(event);
    return event;
  }

  it('runs the action and prevents the browser default', () => {
    const { button, run } = setup();
    const event = press(button, { key: 'k', code: 'KeyK', ctrlKey: true });
    expect(run).toHaveBeenCalledWith('search');
    expect(event.defaultPrevented).toBe(true);
  });

  it('does nothing in other text fields but Shift+Esc; in the message box the shortcuts work', () => {
    const { composer, search, run } = setup(true);
    expect(press(search, { key: 'k', code: 'KeyK', ctrlKey: true }).defaultPrevented).toBe(false);
    press(search, { key: 'Escape' });
    expect(run).not.toHaveBeenCalled();
    press(composer, { key: 'O', code: 'KeyO', ctrlKey: true, shiftKey: true });
    press(composer, { key: 'Escape' });
    press(search, { key: 'Escape', shiftKey: true });
    expect(run.mock.calls).toEqual([['newChat'], ['stop'], ['focusComposer']]);
  });

  it('leaves keys already handled, and those inside a dialog, alone', () => {
    const { button, inDialog, run } = setup(true);
    button.addEventListener('keydown', (event) => event.preventDefault(), { once: true });
    press(button, { key: 'Escape' });
    press(inDialog, { key: 'Escape' });
    press(inDialog, { key: '/', code: 'Slash', ctrlKey: true });
    expect(run).not.toHaveBeenCalled();
  });

  it('stops listening when removed', () => {
    const { button, run } = setup();
    remove?.();
    remove = null;
    press(button, { key: '/', code: 'Slash', ctrlKey: true });
    expect(run).not.toHaveBeenCalled();
  });

  it('tells text fields from other controls', () => {
    const checkbox = document.createElement('input');
    checkbox.type = 'checkbox';
    expect(isTextField(document.createElement('textarea'))).toBe(true);
    expect(isTextField(document.createElement('input'))).toBe(true);
    expect(isTextField(checkbox)).toBe(false);
    expect(isTextField(document.createElement('button'))).toBe(false);
    expect(isTextField(null)).toBe(false);
  });
});
