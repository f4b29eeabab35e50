/**
 * "Chatting with X" under the app's title: the persona or assistant the chat on screen
 * started from. On a new chat it has a way back to a plain chat; on a saved conversation
 * it says, when it matters, that the assistant has been edited since.
 */
import { h, setText, show } from '../../ui/dom';
import type { PresetKind } from './preset';

export interface PresetLineState {
  readonly name: string;
  readonly kind: PresetKind;
  /** A new chat: offer "Plain chat". */
  readonly removable: boolean;
  readonly note?: string;
}

export interface PresetLine {
  readonly element: HTMLElement;
  readonly plainButton: HTMLButtonElement;
  show(state: PresetLineState | null): void;
}

export function createPresetLine(onPlain: () => void): PresetLine {
  const name = h('strong', { class: 'preset-line__name' });
  const kind = h('span', { class: 'preset-line__kind' });
  const note = h('span', { class: 'preset-line__note', attrs: { hidden: true } });
  const plainButton = h(
    'button',
    { class: 'link-button preset-line__plain', attrs: { type: 'button' }, on: { click: () => onPlain() } },
    'Plain chat',
  );
  const element = h(
    'p',
    { class: 'preset-line', attrs: { hidden: true } },
    h('span', { class: 'preset-line__text' }, 'Chatting with ', name),
    kind,
    note,
    plainButton,
  );
  return {
    element,
    plainButton,
    show(state) {
      show(element, state !== null);
      if (state === null) return;
      setText(name, state.name);
      element.title = `Chatting with ${state.name}`;
      setText(kind, state.kind === 'persona' ? 'persona' : 'assistant');
      setText(note, state.note ?? '');
      show(note, (state.note ?? '') !== '');
      show(plainButton, state.removable);
      plainButton.setAttribute('aria-label', `Plain chat: stop chatting with ${state.name}`);
    },
  };
}
