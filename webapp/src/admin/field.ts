/**
 * A labelled input with an optional hint and a place for its error right below it: the
 * error is tied to the input with `aria-describedby` and marks it `aria-invalid`, so a
 * screen reader says it when the field gets focus.
 */
import { h, setText, show, uniqueId } from '../ui/dom';

export interface Field {
  readonly wrapper: HTMLElement;
  readonly input: HTMLInputElement;
  setError(message: string | undefined): void;
}

export interface FieldOptions {
  readonly label: string;
  readonly hint?: string;
  /** The input's attributes (type, value, name…); id and aria-describedby are set here. */
  readonly attrs: Readonly<Record<string, string | boolean>>;
}

export function createField(options: FieldOptions): Field {
  const id = uniqueId('field');
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = options.hint === undefined ? errorId : `${hintId} ${errorId}`;
  const input = h('input', { class: 'field__input', attrs: { ...options.attrs, id, 'aria-describedby': describedBy } });
  const error = h('p', { class: 'field__error', attrs: { id: errorId, hidden: true } });
  const wrapper = h(
    'div',
    { class: 'field' },
    h('label', { class: 'field__label', attrs: { for: id } }, options.label),
    input,
    options.hint === undefined ? null : h('p', { class: 'field__hint', attrs: { id: hintId } }, options.hint),
    error,
  );
  return {
    wrapper,
    input,
    setError(message) {
      setText(error, message ?? '');
      show(error, message !== undefined);
      if (message === undefined) input.removeAttribute('aria-invalid');
      else input.setAttribute('aria-invalid', 'true');
    },
  };
}
