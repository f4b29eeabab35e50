/**
 * "Try it": a small temporary chat inside the assistant form that answers with the form's
 * current values, before anything is saved. It is the app's own chat machinery (the
 * controller over a memory store, the message views with their sanitising Markdown
 * renderer), pointed at a temporary chat: nothing is written anywhere.
 */
import type { ApiClient } from '../../../api/client';
import type { ChatOptions } from '../../../api/types';
import { h, setText, show, uniqueId } from '../../../ui/dom';
import { isSendKey } from '../../composer/composer';
import { createChatController, NEW_TEMPORARY_CHAT } from '../../controller';
import { createMessageView, type MessageView } from '../../message/message';
import { createMemoryStore } from '../../store';

export interface TryChatOptions {
  readonly client: Pick<ApiClient, 'streamChat'>;
  /** The form's values as request options, or null when a field is wrong (the form says which). */
  readonly requestOptions: () => ChatOptions | null;
  /** The form's starter prompts, offered while the chat is empty. */
  readonly starters: () => readonly string[];
}

export interface TryChat {
  readonly element: HTMLElement;
  /** The starters may have changed. */
  refresh(): void;
  /** Stop any answer and empty the chat. */
  reset(): void;
  destroy(): void;
}

export function createTryChat(options: TryChatOptions): TryChat {
  const store = createMemoryStore();
  const headingId = uniqueId('try-title');
  const inputId = uniqueId('try-input');
  const live = h('p', { class: 'visually-hidden', attrs: { role: 'status' } });
  const log = h('div', { class: 'try__log', attrs: { role: 'log', 'aria-label': 'Trial conversation', 'aria-live': 'off', hidden: true } });
  const suggestions = h('ul', { class: 'try__suggestions', attrs: { 'aria-label': 'Starter prompts to try' } });
  const input = h('textarea', { class: 'settings__input try__input', attrs: { id: inputId, rows: 2, placeholder: 'Ask what your users would ask' } });
  const sendButton = h('button', { class: 'button button--primary try__send', attrs: { type: 'submit' } }, 'Send');
  const clearButton = h('button', { class: 'button button--secondary try__clear', attrs: { type: 'button', hidden: true } }, 'Start over');
  const composer = h(
    'form',
    { class: 'try__composer', attrs: { novalidate: true } },
    h('label', { class: 'try__label', attrs: { for: inputId } }, 'Message to try'),
    h('div', { class: 'try__row' }, input, sendButton),
  );
  const element = h(
    'section',
    { class: 'try', attrs: { 'aria-labelledby': headingId } },
    h('div', { class: 'try__head' }, h('h3', { class: 'try__title', attrs: { id: headingId } }, 'Try it'), clearButton),
    h('p', { class: 'settings__hint' }, 'A temporary chat with the values in the form, before you save. Nothing is kept.'),
    log,
    suggestions,
    composer,
    live,
  );

  let requestOptions: ChatOptions = {};
  const controller = createChatController({
    store,
    client: options.client,
    initialTarget: NEW_TEMPORARY_CHAT,
    requestOptions: () => requestOptions,
    restoreDraft(text) {
      if (input.value.trim() === '') input.value = text;
    },
    discardRestoredDraft(text) {
      if (input.value.trim() === text.trim()) input.value = '';
    },
    announce(message) {
      setText(live, message);
    },
  });

  const views = new Map<string, MessageView>();
  const actions = (id: string) => ({ retryable: controller.canRetry(id) });

  function renderAll(): void {
    const messages = store.messages();
    const ids = new Set(messages.map((message) => message.id));
    for (const [id, view] of views) {
      if (!ids.has(id)) {
        view.destroy();
        views.delete(id);
      }
    }
    for (const message of messages) {
      let view = views.get(message.id);
      if (view === undefined) {
        view = createMessageView(message, { onRetry: (id) => void controller.retry(id) });
        views.set(message.id, view);
        log.append(view.element);
      }
      view.update(message, actions(message.id));
    }
    const empty = messages.length === 0;
    show(log, !empty);
    show(clearButton, !empty);
    renderSuggestions();
    log.scrollTop = log.scrollHeight;
  }

  function renderSuggestions(): void {
    const starters = store.messages().length === 0 ? options.starters() : [];
    suggestions.replaceChildren(
      ...starters.map((starter) =>
        h('li', {}, h('button', { class: 'start-panel__suggestion', attrs: { type: 'button' }, on: { click: () => send(starter) } }, starter)),
      ),
    );
    show(suggestions, starters.length > 0);
  }

  function send(text: string): void {
    if (controller.isBusy() || text.trim() === '') return;
    const read = options.requestOptions();
    if (read === null) return;
    requestOptions = read;
    input.value = '';
    void controller.send(text);
  }

  const unsubscribe = store.subscribe((change) => {
    if (change.kind === 'updated') {
      views.get(change.message.id)?.update(change.message, actions(change.message.id));
      log.scrollTop = log.scrollHeight;
    } else {
      renderAll();
    }
  });
  const unsubscribeBusy = controller.onBusyChange((busy) => {
    setText(sendButton, busy ? 'Stop' : 'Send');
    for (const message of store.messages()) views.get(message.id)?.update(message, actions(message.id));
  });

  composer.addEventListener('submit', (event) => {
    event.preventDefault();
    if (controller.isBusy()) controller.stop();
    else send(input.value);
  });
  input.addEventListener('keydown', (event) => {
    if (!isSendKey(event)) return;
    event.preventDefault();
    if (!controller.isBusy()) send(input.value);
  });
  clearButton.addEventListener('click', () => {
    reset();
    input.focus();
  });

  function reset(): void {
    controller.setTarget(NEW_TEMPORARY_CHAT);
    store.reset([]);
    input.value = '';
    setText(live, '');
  }

  renderAll();

  return {
    element,
    refresh: renderSuggestions,
    reset,
    destroy() {
      reset();
      unsubscribe();
      unsubscribeBusy();
      for (const view of views.values()) view.destroy();
      views.clear();
    },
  };
}
