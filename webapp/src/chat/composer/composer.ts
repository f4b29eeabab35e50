/**
 * The message box: a labelled textarea ("Message") that grows with its text, and one
 * button that reads "Send", or "Stop" while an answer streams. Enter sends, Shift+Enter
 * makes a new line (and nothing is sent while an IME composition is open).
 */
import { h, setText } from '../../ui/dom';
import './composer.css';

export interface ComposerOptions {
  readonly initialValue?: string;
  readonly onSend: (text: string) => void;
  readonly onStop: () => void;
  /** Every change of the text (to keep the draft). */
  readonly onInput?: (text: string) => void;
  /** Added at the end of the hint under the box (the usage note's button). */
  readonly hintExtra?: HTMLElement;
}

export interface Composer {
  readonly element: HTMLFormElement;
  readonly textarea: HTMLTextAreaElement;
  value(): string;
  setValue(text: string): void;
  setBusy(busy: boolean): void;
  focus(): void;
  /** Move focus to the Send/Stop button. */
  focusButton(): void;
  /** Fit the height to the text (call once the form is in the document). */
  fit(): void;
}

/** Enter without Shift or Alt, outside an IME composition: the key that sends. */
export function isSendKey(event: KeyboardEvent): boolean {
  return event.key === 'Enter' && !event.shiftKey && !event.altKey && !event.isComposing && event.keyCode !== 229;
}

/** Rows the box grows to before it scrolls (also capped in CSS). */
const MAX_HEIGHT_PX = 240;

export function createComposer(options: ComposerOptions): Composer {
  const textarea = h('textarea', {
    class: 'composer__input',
    attrs: {
      id: 'composer-input',
      name: 'message',
      rows: 1,
      placeholder: 'Ask anything',
      autocomplete: 'off',
      enterkeyhint: 'send',
      'aria-describedby': 'composer-hint',
    },
  });
  const label = h('label', { class: 'visually-hidden', attrs: { for: 'composer-input' } }, 'Message');
  const button = h('button', { class: 'button button--primary composer__button', attrs: { type: 'submit' }, data: { action: 'send' } }, 'Send');
  const hint = h(
    'p',
    { class: 'composer__hint', attrs: { id: 'composer-hint' } },
    'Enter to send, Shift+Enter for a new line. Answers can be wrong: check what matters. ',
    options.hintExtra,
  );
  const element = h(
    'form',
    { class: 'composer', attrs: { novalidate: true } },
    h('div', { class: 'composer__row' }, label, textarea, button),
    hint,
  );

  let busy = false;

  function autosize(): void {
    // CSSOM writes are allowed by the CSP (only style attributes in markup are not).
    textarea.style.height = 'auto';
    textarea.style.height = `${Math.min(textarea.scrollHeight, MAX_HEIGHT_PX)}px`;
  }

  function submit(): void {
    if (busy) return;
    const text = textarea.value;
    if (text.trim() === '') {
      textarea.focus();
      return;
    }
    options.onSend(text);
  }

  element.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) options.onStop();
    else submit();
  });

  textarea.addEventListener('keydown', (event) => {
    if (!isSendKey(event)) return;
    event.preventDefault();
    submit();
  });

  textarea.addEventListener('input', () => {
    autosize();
    options.onInput?.(textarea.value);
  });

  if (options.initialValue) textarea.value = options.initialValue;

  return {
    element,
    textarea,
    value: () => textarea.value,
    setValue(text) {
      textarea.value = text;
      autosize();
      options.onInput?.(text);
    },
    setBusy(next) {
      busy = next;
      button.dataset.action = next ? 'stop' : 'send';
      button.classList.toggle('button--danger', next);
      button.classList.toggle('button--primary', !next);
      setText(button, next ? 'Stop' : 'Send');
    },
    focus: () => textarea.focus(),
    focusButton: () => button.focus(),
    fit: autosize,
  };
}
