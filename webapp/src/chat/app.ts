/**
 * The chat screen, assembled: header, conversation, composer, live region. Everything it
 * talks to comes in as a dependency so tests (and later issues: history, settings) can
 * swap them.
 */
import { fetchClientPrincipal, onBeforeSignIn, UNAUTHORIZED_PAGE } from '../api/auth';
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/problem';
import type { ClientPrincipal, Me } from '../api/types';
import { h } from '../ui/dom';
import { createAnnouncer } from './announcer/announcer';
import { createComposer } from './composer/composer';
import { createChatController, type ChatController } from './controller';
import type { DraftStorage } from './draft';
import { createHeader } from './header/header';
import { createMessageList } from './message-list/message-list';
import { createMemoryStore, type ConversationStore } from './store';

export interface ChatAppOptions {
  readonly appName: string;
  readonly client: ApiClient;
  readonly draft: DraftStorage;
  readonly store?: ConversationStore;
  /** SWA's `/.auth/me`, the fallback for the user's name. */
  readonly principal?: () => Promise<ClientPrincipal | null>;
  /** Leave the page (for the not-invited page). */
  readonly navigate?: (url: string) => void;
}

export interface ChatApp {
  readonly controller: ChatController;
  readonly store: ConversationStore;
  /** Resolves once the user's name is known (or known to be unknown). */
  readonly ready: Promise<Me | null>;
  destroy(): void;
}

/** The draft to keep when leaving to sign in: what is typed, plus a message still in flight. */
export function draftToKeep(typed: string, pending: string | null): string {
  if (pending === null || pending.trim() === '' || typed.includes(pending)) return typed;
  return typed.trim() === '' ? pending : `${pending}\n\n${typed}`;
}

export function mountChatApp(root: HTMLElement, options: ChatAppOptions): ChatApp {
  const store = options.store ?? createMemoryStore();
  const announcer = createAnnouncer();
  const header = createHeader(options.appName);

  // The controller needs the composer and the composer the controller: late-bound.
  let controllerRef: ChatController | null = null;
  const composer = createComposer({
    initialValue: options.draft.load(),
    onInput: (text) => options.draft.save(text),
    onSend(text) {
      composer.setValue('');
      list.scrollToEnd();
      void controllerRef?.send(text);
    },
    onStop: () => controllerRef?.stop(),
  });

  const controller = createChatController({
    store,
    client: options.client,
    announce: (message) => announcer.announce(message),
    restoreDraft(text) {
      if (composer.value().trim() === '') composer.setValue(text);
    },
    discardRestoredDraft(text) {
      if (composer.value().trim() === text.trim()) composer.setValue('');
    },
  });
  controllerRef = controller;

  const list = createMessageList(store, controller, { onRetryStarted: () => composer.focusButton() });
  const unsubscribeBusy = controller.onBusyChange((busy) => composer.setBusy(busy));
  // Leaving (sign-in redirect, reload, closing the tab) while a message is in flight must not lose it.
  const keepDraft = (): void => options.draft.save(draftToKeep(composer.value(), controller.pendingText()));
  const removeHook = onBeforeSignIn(keepDraft);
  window.addEventListener('pagehide', keepDraft);

  const skipLink = h('a', { class: 'skip-link', attrs: { href: '#composer-input' } }, 'Skip to the message box');
  root.replaceChildren(
    h('div', { class: 'app' }, skipLink, header.element, list.element, h('footer', { class: 'app-footer' }, composer.element)),
    announcer.element,
  );
  composer.fit();
  if (typeof matchMedia === 'function' && matchMedia('(pointer: fine)').matches) composer.focus();

  const principal = options.principal ?? (() => fetchClientPrincipal());
  const ready = options.client.getMe().then(
    async (me) => {
      header.setUserName(me.name !== '' ? me.name : ((await principal())?.userDetails ?? ''));
      return me;
    },
    async (error: unknown) => {
      if (error instanceof ApiError && error.status === 403) {
        (options.navigate ?? ((url) => window.location.assign(url)))(UNAUTHORIZED_PAGE);
        return null;
      }
      // 401 is already on its way to the sign-in page; anything else: the name is optional.
      header.setUserName((await principal())?.userDetails ?? '');
      return null;
    },
  );

  return {
    controller,
    store,
    ready,
    destroy() {
      unsubscribeBusy();
      removeHook();
      window.removeEventListener('pagehide', keepDraft);
      list.destroy();
      root.replaceChildren();
    },
  };
}
