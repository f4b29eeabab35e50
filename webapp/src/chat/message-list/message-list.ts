/**
 * The conversation: a `role="log"` list of message articles inside a scrolling region that
 * follows the end of the answer unless the user has scrolled up. The log itself is
 * `aria-live="off"` (role=log would announce every token); completed answers are announced
 * by the announcer instead.
 */
import { h, show } from '../../ui/dom';
import type { ChatController } from '../controller';
import { createMessageView, type MessageView } from '../message/message';
import type { ConversationStore, StoreChange } from '../store';
import './message-list.css';

export interface MessageList {
  /** The scrolling region (the page's `<main>`). */
  readonly element: HTMLElement;
  /**
   * Show `notice` instead of the empty conversation (loading, "does not exist", an error),
   * or the usual empty state again with null.
   */
  setNotice(notice: Node | null): void;
  /** Temporary chats say so above the conversation. */
  setTemporary(temporary: boolean, locked: boolean): void;
  /** Follow the end of the conversation again (after the user sends). */
  scrollToEnd(): void;
  destroy(): void;
}

/** How close to the bottom (px) still counts as "at the end". */
const STICKY_SLACK = 80;

export interface MessageListOptions {
  /** A Retry button was pressed (its button disappears: move focus somewhere useful). */
  readonly onRetryStarted?: () => void;
  /** An edited message was sent (its editor closes: move focus somewhere useful). */
  readonly onEditStarted?: () => void;
  /** Shown under the empty conversation's welcome (the usage note). */
  readonly emptyExtra?: HTMLElement;
  /** Shown right under the welcome, before `emptyExtra` (starting from a persona or assistant). */
  readonly emptyLead?: HTMLElement;
}

export function createMessageList(
  store: ConversationStore,
  controller: Pick<ChatController, 'retry' | 'canRetry' | 'edit' | 'canEdit' | 'onBusyChange'>,
  options: MessageListOptions = {},
): MessageList {
  const empty = h(
    'div',
    { class: 'empty-state' },
    h('p', { class: 'empty-state__title' }, 'How can I help?'),
    h('p', { class: 'empty-state__text' }, 'Answers come from the model your organisation runs for you.'),
    options.emptyLead,
    options.emptyExtra,
  );
  const noticeSlot = h('div', { class: 'conversation-notice', attrs: { hidden: true } });
  const banner = h('p', { class: 'temporary-banner', attrs: { hidden: true } });
  const log = h('div', {
    class: 'message-list',
    attrs: { role: 'log', 'aria-label': 'Conversation', 'aria-live': 'off' },
  });
  const element = h('main', { class: 'conversation', attrs: { id: 'main', tabindex: '-1' } }, banner, empty, noticeSlot, log);
  let notice: Node | null = null;

  const views = new Map<string, MessageView>();
  let sticky = true;

  const onRetry = (id: string): void => {
    sticky = true;
    const done = controller.retry(id);
    options.onRetryStarted?.();
    void done;
  };

  const onEdit = (id: string, text: string): void => {
    if (!controller.canEdit(id)) return;
    sticky = true;
    const done = controller.edit(id, text);
    options.onEditStarted?.();
    void done;
  };

  const actionsFor = (id: string) => ({ retryable: controller.canRetry(id), editable: controller.canEdit(id) });

  function refreshAll(): void {
    const messages = store.messages();
    let previous: Element | null = null;
    for (const message of messages) {
      let view = views.get(message.id);
      if (view === undefined) {
        view = createMessageView(message, { onRetry, onEdit });
        views.set(message.id, view);
      }
      // Keep DOM order equal to store order, moving nothing that is already in place (focus).
      const expected: ChildNode | null = previous === null ? log.firstChild : previous.nextSibling;
      if (view.element !== expected) log.insertBefore(view.element, expected);
      previous = view.element;
      view.update(message, actionsFor(message.id));
    }
    const ids = new Set(messages.map((message) => message.id));
    for (const [id, view] of views) {
      if (!ids.has(id)) {
        view.destroy();
        views.delete(id);
      }
    }
    show(empty, messages.length === 0 && notice === null);
  }

  function onChange(change: StoreChange): void {
    if (change.kind === 'updated') {
      views.get(change.message.id)?.update(change.message, actionsFor(change.message.id));
    } else {
      refreshAll();
    }
    followEnd();
  }

  function atEnd(): boolean {
    return element.scrollHeight - element.scrollTop - element.clientHeight <= STICKY_SLACK;
  }

  function followEnd(): void {
    if (sticky) element.scrollTop = element.scrollHeight;
  }

  element.addEventListener('scroll', () => {
    sticky = atEnd();
  }, { passive: true });

  // The Markdown renders on animation frames, after the store change: follow size changes too.
  const resizeObserver = typeof ResizeObserver === 'function' ? new ResizeObserver(() => followEnd()) : null;
  resizeObserver?.observe(log);

  const unsubscribe = store.subscribe(onChange);
  // Busy changes alter which message may be retried or edited.
  const unsubscribeBusy = controller.onBusyChange(() => {
    for (const message of store.messages()) views.get(message.id)?.update(message, actionsFor(message.id));
  });
  refreshAll();

  return {
    element,
    setNotice(next) {
      notice = next;
      noticeSlot.replaceChildren(...(next === null ? [] : [next]));
      show(noticeSlot, next !== null);
      show(empty, store.messages().length === 0 && next === null);
    },
    setTemporary(temporary, locked) {
      banner.textContent = locked
        ? 'Chats are not saved here: this organisation keeps no chat history.'
        : 'Temporary chat: not saved to your history, gone when you leave.';
      show(banner, temporary);
    },
    scrollToEnd() {
      sticky = true;
      followEnd();
    },
    destroy() {
      unsubscribe();
      unsubscribeBusy();
      resizeObserver?.disconnect();
      for (const view of views.values()) view.destroy();
      views.clear();
    },
  };
}
