/**
 * Editing a sent message in place: the message's text becomes a labelled textarea with
 * "Send" and "Cancel". Enter sends (as in the composer), Escape cancels. Sending replaces
 * the conversation from this message on, which the hint under the box says before it
 * happens.
 */
import { h, uniqueId } from '../../ui/dom';
import { isSendKey } from '../composer/composer';

export interface MessageEditor {
  readonly element: HTMLFormElement;
  focus(): void;
}

export interface MessageEditorOptions {
  readonly text: string;
  readonly onSend: (text: string) => void;
  readonly onCancel: () => void;
}

export function createMessageEditor(options: MessageEditorOptions): MessageEditor {
  const inputId = uniqueId('edit-input');
  const hintId = uniqueId('edit-hint');
  const textarea = h('textarea', {
    class: 'message-editor__input',
    attrs: { id: inputId, rows: 3, 'aria-describedby': hintId, enterkeyhint: 'send' },
  });
  textarea.value = options.text;
  const element = h(
    'form',
    { class: 'message-editor', attrs: { novalidate: true } },
    h('label', { class: 'visually-hidden', attrs: { for: inputId } }, 'Edit your message'),
    textarea,
    h('p', { class: 'message-editor__hint', attrs: { id: hintId } }, 'Sending replaces the answers after this message.'),
    h(
      'div',
      { class: 'message-editor__actions' },
      h('button', { class: 'button button--secondary', attrs: { type: 'button' }, on: { click: () => options.onCancel() } }, 'Cancel'),
      h('button', { class: 'button button--primary', attrs: { type: 'submit' } }, 'Send'),
    ),
  );

  function submit(): void {
    if (textarea.value.trim() === '') {
      textarea.focus();
      return;
    }
    options.onSend(textarea.value);
  }

  element.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  textarea.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      options.onCancel();
    } else if (isSendKey(event)) {
      event.preventDefault();
      submit();
    }
  });

  return {
    element,
    focus() {
      textarea.focus();
      textarea.setSelectionRange(textarea.value.length, textarea.value.length);
    },
  };
}
