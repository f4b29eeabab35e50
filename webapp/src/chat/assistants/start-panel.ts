/**
 * The part of the empty conversation that starts a chat from somewhere: the "Start with…"
 * button that opens the picker, or, once a persona or assistant is chosen, what it is for
 * and its starter prompts as one-click suggestions (a click sends the prompt).
 */
import { h, setText, show, uniqueId } from '../../ui/dom';
import type { ChatPreset } from './preset';

export interface StartPanelOptions {
  readonly onOpenPicker: () => void;
  readonly onStarter: (text: string) => void;
}

export interface StartPanel {
  readonly element: HTMLElement;
  readonly startButton: HTMLButtonElement;
  show(preset: ChatPreset | null): void;
  /** Hide the picker (history off and no catalog, say): a plain chat only. */
  setAvailable(available: boolean): void;
}

export function createStartPanel(options: StartPanelOptions): StartPanel {
  const startButton = h(
    'button',
    {
      class: 'button button--secondary start-panel__open',
      attrs: { type: 'button', 'aria-haspopup': 'dialog' },
      on: { click: () => options.onOpenPicker() },
    },
    'Start with a persona or assistant…',
  );
  const headingId = uniqueId('start-preset');
  const title = h('h2', { class: 'start-panel__title', attrs: { id: headingId } });
  const description = h('p', { class: 'start-panel__description' });
  const suggestions = h('ul', { class: 'start-panel__suggestions', attrs: { 'aria-label': 'Suggestions' } });
  const another = h(
    'button',
    { class: 'link-button start-panel__another', attrs: { type: 'button', 'aria-haspopup': 'dialog' }, on: { click: () => options.onOpenPicker() } },
    'Choose another',
  );
  const chosen = h('section', { class: 'start-panel__chosen', attrs: { 'aria-labelledby': headingId, hidden: true } }, title, description, suggestions, another);
  const element = h('div', { class: 'start-panel' }, startButton, chosen);
  let available = true;
  let current: ChatPreset | null = null;

  function render(): void {
    show(startButton, available && current === null);
    show(chosen, current !== null);
    show(another, available);
    if (current === null) return;
    setText(title, current.name);
    setText(description, current.description);
    show(description, current.description !== '');
    suggestions.replaceChildren(
      ...current.starters.map((starter) =>
        h(
          'li',
          {},
          h('button', { class: 'start-panel__suggestion', attrs: { type: 'button' }, on: { click: () => options.onStarter(starter) } }, starter),
        ),
      ),
    );
    show(suggestions, current.starters.length > 0);
  }

  render();
  return {
    element,
    startButton,
    show(preset) {
      current = preset;
      render();
    },
    setAvailable(next) {
      available = next;
      render();
    },
  };
}
