/**
 * The chat screen, assembled: the conversations sidebar, header, conversation, composer,
 * live region and toasts, and what ties them together: the address (`/` a new chat,
 * `/c/<id>` a saved one), opening a conversation, the temporary-chat switch, drafts per
 * conversation, each chat's settings, and the persona or assistant a chat starts from. Everything it talks to comes in as a dependency so
 * tests can swap them.
 */
import { fetchClientPrincipal, onBeforeSignIn, UNAUTHORIZED_PAGE } from '../api/auth';
import type { ApiClient } from '../api/client';
import type { ConversationSummary, ExportFormat } from '../api/conversations';
import { ApiError } from '../api/problem';
import { problemKindOf, type ClientPrincipal, type Me } from '../api/types';
import { copyText } from '../render/code-copy';
import { h } from '../ui/dom';
import { createThemeStore, type ThemeStore } from '../ui/theme';
import { createToaster } from '../ui/toast';
import { createAnnouncer } from './announcer/announcer';
import { createPresetControl } from './assistants/preset-control';
import { createComposer } from './composer/composer';
import { createChatController, NEW_SAVED_CHAT, NEW_TEMPORARY_CHAT, type ChatController } from './controller';
import type { DraftStorage } from './draft';
import { createHeader } from './header/header';
import { createConversationList, type ConversationList } from './history/list-state';
import { createSavedTurnFinder, messagesFromServer } from './history/loaded';
import { createRouter, type Route } from './history/routes';
import { createConversationSearch } from './history/search';
import { createMessageList } from './message-list/message-list';
import { isCustomised } from './settings/chat-settings';
import { createUsageNote } from './usage-note/usage-note';
import { createSettingsControl } from './settings/settings-control';
import { createHelpDialog } from './shortcuts/help-dialog';
import { installShortcuts, isMac, type ShortcutAction } from './shortcuts/shortcuts';
import { createSidebar } from './sidebar/sidebar';
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
  /** Hand a file to the browser as a download (tests replace it). */
  readonly download?: (blob: Blob, filename: string) => void;
  /** Where the sidebar remembers being closed; null: not remembered. */
  readonly preferences?: Storage | null;
  /** The theme (main.ts applies it before the first paint); default: one over `preferences`. */
  readonly theme?: ThemeStore;
  /** macOS (⌘ instead of Ctrl); default: from the platform. */
  readonly mac?: boolean;
}

export interface ChatApp {
  readonly controller: ChatController;
  readonly store: ConversationStore;
  readonly conversations: ConversationList;
  /** Resolves once the user's name is known (or known to be unknown). */
  readonly ready: Promise<Me | null>;
  /** Resolves when the conversation being opened has loaded (or failed to). */
  opened(): Promise<void>;
  destroy(): void;
}

/** The draft to keep when leaving to sign in: what is typed, plus a message still in flight. */
export function draftToKeep(typed: string, pending: string | null): string {
  if (pending === null || pending.trim() === '' || typed.includes(pending)) return typed;
  return typed.trim() === '' ? pending : `${pending}\n\n${typed}`;
}

/** Default download: a temporary `blob:` link with `download` (no navigation, CSP-clean). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = h('a', { class: 'visually-hidden', attrs: { href: url, download: filename } });
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

const SIDEBAR_KEY = 'chat-on-azure:sidebar';
const DEFAULT_IMPORT_LIMIT = 4 * 1024 * 1024;

function defaultPreferences(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function detailOf(error: unknown): string {
  return error instanceof ApiError ? error.detail : 'Something went wrong in the app. Try again.';
}

function kindOf(error: unknown): string | null {
  return error instanceof ApiError ? problemKindOf(error.type) : null;
}

type Shown = 'new' | 'loading' | 'ready' | 'missing' | 'error';

export function mountChatApp(root: HTMLElement, options: ChatAppOptions): ChatApp {
  const { client, appName } = options;
  const store = options.store ?? createMemoryStore();
  const preferences = options.preferences === undefined ? defaultPreferences() : options.preferences;
  const announcer = createAnnouncer();
  const toaster = createToaster();
  const router = createRouter((route) => apply(route, false));
  const initialRoute = router.current();

  let me: Me | null = null;
  let temporaryLocked = false;
  /** New chats start temporary (the switch was turned on and no saved chat opened since). */
  let temporaryPreferred = false;
  let shown: Shown = 'new';
  let loadToken = 0;
  let loading: Promise<void> = Promise.resolve();

  const conversations = createConversationList({ client, onError: (message) => toaster.show(message) });
  const search = createConversationSearch(client);

  const theme = options.theme ?? createThemeStore(preferences);
  const mac = options.mac ?? isMac();
  const header = createHeader(appName, {
    onToggleSidebar: () => toggleSidebar(),
    onTemporaryChange: (on) => setTemporary(on),
    onOpenSettings: () => settings.open(),
    theme,
  });

  const usageNote = createUsageNote({ fallbackFocus: () => composer.focus() });

  // The controller needs the composer and the composer the controller: late-bound.
  let controllerRef: ChatController | null = null;
  const draftOwner = (): string | null => controllerRef?.target().conversationId ?? initialConversationId();
  const composer = createComposer({
    initialValue: options.draft.load(initialConversationId()),
    onInput: (text) => options.draft.save(draftOwner(), text),
    hintExtra: usageNote.button,
    onSend(text) {
      if (sendText(text)) composer.setValue('');
    },
    onStop: () => controllerRef?.stop(),
  });

  /** Send `text` from the message box or a suggestion; false when it cannot go now. */
  function sendText(text: string): boolean {
    // The conversation is still loading: sending now would mix it up with what arrives.
    if (shown === 'loading' || controllerRef === null || controllerRef.isBusy()) return false;
    if (shown !== 'new' && shown !== 'ready') {
      list.setNotice(null);
      shown = 'new';
    }
    list.scrollToEnd();
    void controllerRef.send(text);
    return true;
  }

  function initialConversationId(): string | null {
    return initialRoute.kind === 'conversation' ? initialRoute.id : null;
  }

  let meSettled: Promise<unknown> = Promise.resolve();
  const controller = createChatController({
    store,
    client,
    announce: (message) => announcer.announce(message),
    restoreDraft(text) {
      if (composer.value().trim() === '') composer.setValue(text);
    },
    discardRestoredDraft(text) {
      if (composer.value().trim() === text.trim()) composer.setValue('');
    },
    initialTarget: initialRoute.kind === 'conversation' ? { temporary: false, conversationId: initialRoute.id } : NEW_SAVED_CHAT,
    ready: () => meSettled,
    requestOptions: () => ({ ...settings.requestOptions(), ...presets.startFrom() }),
    findSavedTurn: createSavedTurnFinder(client),
    onConversationStarted({ conversationId, isNew }) {
      conversations.started(conversationId, isNew);
      if (!isNew) return;
      options.draft.move(null, conversationId);
      router.replace({ kind: 'conversation', id: conversationId });
      sidebar.setCurrent(conversationId);
      shown = 'ready';
    },
    onTitle(conversationId, title) {
      conversations.setTitle(conversationId, title);
      if (controller.target().conversationId === conversationId) setDocumentTitle(title);
    },
  });
  controllerRef = controller;

  const settings = createSettingsControl({
    client,
    target: () => controller.target(),
    me: () => me,
    onSaved: (conversation) => conversations.upsert(conversation),
    onChange: (value) => header.setSettingsCustomised(isCustomised(value)),
    fallbackFocus: () => composer.focus(),
  });

  const presets = createPresetControl({
    client,
    me: () => me,
    store,
    target: () => controller.target(),
    enterNewChat() {
      goTo({ kind: 'new' });
    },
    onChange: (preset) => settings.usePreset(preset === null ? null : { name: preset.name, settings: preset.settings }),
    onStarter(text) {
      if (sendText(text)) composer.focusButton();
    },
    announce: (message) => announcer.announce(message),
    notify: (message) => toaster.show(message),
    focusComposer: () => composer.focus(),
  });

  const list = createMessageList(store, controller, {
    onRetryStarted: () => composer.focusButton(),
    onEditStarted: () => composer.focusButton(),
    emptyExtra: usageNote.block,
    emptyLead: presets.startPanel,
  });
  const unsubscribeBusy = controller.onBusyChange((busy) => composer.setBusy(busy));

  const sidebar = createSidebar({
    list: conversations,
    search,
    toaster,
    onNewChat: () => {
      closeDrawer(false);
      goTo({ kind: 'new' });
      composer.focus();
    },
    onOpen(id) {
      closeDrawer(false);
      goTo({ kind: 'conversation', id });
      if (narrow) composer.focus();
    },
    onExport: (conversation, format) => void exportConversation(conversation, format),
    // Print waits for this: `onOpen` has just started the load that `loading` now holds.
    whenOpened: (id) =>
      loading.then(() => (controller.target().conversationId !== id ? 'left' : shown === 'ready' ? 'shown' : 'failed')),
    onImport: (file) => void importFile(file),
    onDeleted(id) {
      options.draft.clear(id);
      if (controller.target().conversationId !== id) return;
      router.replace({ kind: 'new' });
      enterNewChat(temporaryPreferred || temporaryLocked);
    },
    onEscape: () => closeDrawer(true),
    onClose: () => closeDrawer(true),
    onShowShortcuts: () => helpDialog.open(),
    // Its own chunk: most people never open it.
    onShowUsage: () => void import('../usage').then(({ openUsageDialog }) => openUsageDialog(client)),
    onOpenAssistants: () => {
      closeDrawer(false);
      presets.openGallery();
    },
  });
  const helpDialog = createHelpDialog({ mac, fallbackFocus: () => composer.focus() });

  // ---- layout: sidebar column on wide screens, a drawer on phones -----------------------

  const backdrop = h('div', { class: 'sidebar-backdrop', attrs: { hidden: true }, on: { click: () => closeDrawer(true) } });
  const skipLink = h('a', { class: 'skip-link', attrs: { href: '#composer-input' } }, 'Skip to the message box');
  // "Chatting with X" is a line under the header, in the same grid row.
  const top = h('div', { class: 'app__top' }, header.element, presets.line);
  const appElement = h('div', { class: 'app' }, skipLink, top, list.element, h('footer', { class: 'app-footer' }, composer.element));
  const shell = h('div', { class: 'shell' }, sidebar.element, backdrop, appElement);
  root.replaceChildren(shell, announcer.element, toaster.element, helpDialog.element, settings.dialog.element, usageNote.dialog);

  const narrowQuery = typeof matchMedia === 'function' ? matchMedia('(max-width: 47.99rem)') : null;
  let narrow = narrowQuery?.matches ?? false;
  let drawerOpen = false;
  let wideOpen = readPreference() !== 'closed';

  function readPreference(): string | null {
    try {
      return preferences?.getItem(SIDEBAR_KEY) ?? null;
    } catch {
      return null;
    }
  }

  function layout(): void {
    const open = narrow ? drawerOpen : wideOpen;
    shell.classList.toggle('shell--narrow', narrow);
    shell.classList.toggle('shell--sidebar-open', open);
    sidebar.element.hidden = !open;
    backdrop.hidden = !(narrow && drawerOpen);
    // Behind an open drawer nothing can be reached (a modal drawer).
    if (narrow && drawerOpen) appElement.setAttribute('inert', '');
    else appElement.removeAttribute('inert');
    header.setSidebarExpanded(open);
  }

  function toggleSidebar(): void {
    if (narrow) {
      drawerOpen = !drawerOpen;
      layout();
      if (drawerOpen) sidebar.focus();
      return;
    }
    wideOpen = !wideOpen;
    try {
      if (wideOpen) preferences?.removeItem(SIDEBAR_KEY);
      else preferences?.setItem(SIDEBAR_KEY, 'closed');
    } catch {
      // Not remembered, then.
    }
    layout();
  }

  /** True if the drawer was open (and is now closed). */
  function closeDrawer(returnFocus: boolean): boolean {
    if (!narrow || !drawerOpen) return false;
    drawerOpen = false;
    layout();
    if (returnFocus) header.sidebarButton.focus();
    return true;
  }

  function openSidebar(): void {
    if (narrow ? drawerOpen : wideOpen) return;
    toggleSidebar();
  }

  // ---- keyboard shortcuts (shortcuts/shortcuts.ts) --------------------------------------

  function copyLastAnswer(): void {
    const last = [...store.messages()]
      .reverse()
      .find((message) => message.role === 'assistant' && (message.status === 'complete' || message.status === 'stopped') && message.text !== '');
    if (last === undefined) {
      announcer.announce('There is no answer to copy yet.');
      return;
    }
    void copyText(last.text).then((ok) =>
      announcer.announce(ok ? 'Copied the last answer.' : 'The answer could not be copied: select the text and copy it.'),
    );
  }

  function runShortcut(action: ShortcutAction): void {
    switch (action) {
      case 'newChat':
        closeDrawer(false);
        goTo({ kind: 'new' });
        composer.focus();
        break;
      case 'focusComposer':
        closeDrawer(false);
        composer.focus();
        break;
      case 'stop':
        controller.stop();
        break;
      case 'copyLastAnswer':
        copyLastAnswer();
        break;
      case 'toggleSidebar':
        toggleSidebar();
        break;
      case 'search':
        openSidebar();
        if (!sidebar.focusSearch()) sidebar.focus();
        break;
      case 'help':
        helpDialog.open();
        break;
    }
  }

  const removeShortcuts = installShortcuts(document, {
    run: runShortcut,
    isStreaming: () => controller.isBusy(),
    isComposer: (element) => element === composer.textarea,
    mac,
  });

  const onNarrowChange = (event: MediaQueryListEvent): void => {
    narrow = event.matches;
    drawerOpen = false;
    layout();
  };
  narrowQuery?.addEventListener('change', onNarrowChange);
  layout();

  // ---- which conversation is on screen ------------------------------------------------

  function setDocumentTitle(title: string | null): void {
    document.title = title === null || title === '' ? appName : `${title} – ${appName}`;
  }

  function syncTemporary(): void {
    const temporary = controller.target().temporary;
    header.setTemporary(temporary, temporaryLocked);
    list.setTemporary(temporary, temporaryLocked);
  }

  function notice(title: string, text: string, action: HTMLElement | null = null): HTMLElement {
    return h(
      'div',
      {},
      h('p', { class: 'conversation-notice__title' }, title),
      text === '' ? null : h('p', { class: 'conversation-notice__text' }, text),
      action,
    );
  }

  function enterNewChat(temporary: boolean): void {
    loadToken += 1;
    shown = 'new';
    controller.setTarget(temporary ? NEW_TEMPORARY_CHAT : NEW_SAVED_CHAT);
    store.reset([]);
    settings.show(null);
    presets.newChat();
    list.setNotice(null);
    composer.setValue(options.draft.load(null));
    sidebar.setCurrent(null);
    syncTemporary();
    setDocumentTitle(null);
  }

  function showMissing(text: string): void {
    loadToken += 1;
    shown = 'missing';
    controller.setTarget(temporaryLocked ? NEW_TEMPORARY_CHAT : NEW_SAVED_CHAT);
    store.reset([]);
    settings.show(null);
    presets.newChat();
    composer.setValue(options.draft.load(null));
    sidebar.setCurrent(null);
    syncTemporary();
    setDocumentTitle(null);
    const newChat = h('button', { class: 'button button--primary', attrs: { type: 'button' } }, 'New chat');
    newChat.addEventListener('click', () => {
      goTo({ kind: 'new' });
      composer.focus();
    });
    list.setNotice(notice('This conversation does not exist', text, newChat));
  }

  function openConversation(id: string, announce: boolean): Promise<void> {
    const target = controller.target();
    if (!target.temporary && target.conversationId === id && (shown === 'ready' || shown === 'loading')) return loading;
    loadToken += 1;
    const token = loadToken;
    shown = 'loading';
    temporaryPreferred = false;
    controller.setTarget({ temporary: false, conversationId: id });
    store.reset([]);
    settings.show(conversations.get(id) ?? null);
    presets.showConversation(conversations.get(id) ?? null);
    list.setNotice(notice('Loading the conversation…', ''));
    composer.setValue(options.draft.load(id));
    sidebar.setCurrent(id);
    syncTemporary();
    setDocumentTitle(conversations.get(id)?.title ?? null);
    loading = client.getConversation(id).then(
      ({ conversation, messages }) => {
        if (token !== loadToken) return;
        shown = 'ready';
        store.reset(messagesFromServer(messages));
        settings.show(conversation);
        presets.showConversation(conversation);
        list.setNotice(null);
        list.scrollToEnd();
        conversations.upsert(conversation);
        setDocumentTitle(conversation.title);
        if (announce) announcer.announce(`Opened “${conversation.title}”.`);
      },
      (error: unknown) => {
        if (token !== loadToken) return;
        const kind = kindOf(error);
        if (kind === 'not-found' || kind === 'history-disabled') {
          conversations.forget(id);
          showMissing(
            kind === 'history-disabled'
              ? 'This organisation keeps no chat history.'
              : 'It may have been deleted, or the link is wrong.',
          );
          return;
        }
        shown = 'error';
        const retry = h('button', { class: 'button button--secondary', attrs: { type: 'button' } }, 'Try again');
        retry.addEventListener('click', () => void openConversation(id, true));
        list.setNotice(notice('The conversation could not be loaded', detailOf(error), retry));
      },
    );
    return loading;
  }

  function apply(route: Route, announce: boolean): void {
    switch (route.kind) {
      case 'new':
        enterNewChat(temporaryPreferred || temporaryLocked);
        break;
      case 'conversation':
        void openConversation(route.id, announce);
        break;
      case 'invalid':
        showMissing('The link is not one this app made.');
        break;
    }
  }

  function goTo(route: Route): void {
    router.push(route);
    apply(route, true);
  }

  function setTemporary(on: boolean): void {
    if (temporaryLocked) {
      syncTemporary();
      return;
    }
    temporaryPreferred = on;
    const target = controller.target();
    if (target.conversationId === null && store.messages().length === 0) {
      controller.setTemporary(on);
      syncTemporary();
    } else {
      // A chat with messages keeps what it is: the switch starts a new chat of the other kind.
      goTo({ kind: 'new' });
    }
    announcer.announce(on ? 'Temporary chat. This chat is not saved.' : 'Temporary chat off. Chats are saved.');
  }

  function lockTemporary(): void {
    if (temporaryLocked) return;
    temporaryLocked = true;
    temporaryPreferred = true;
    conversations.disable();
    if (controller.target().conversationId === null) controller.setTemporary(true);
    syncTemporary();
  }

  const unsubscribeList = conversations.subscribe(() => {
    if (conversations.snapshot().status === 'disabled') lockTemporary();
    // A rename (here or via the title event) shows in the window's title too.
    const open = controller.target().conversationId;
    const title = open === null ? undefined : conversations.get(open)?.title;
    if (title !== undefined && shown === 'ready') setDocumentTitle(title);
  });

  // ---- export and import ---------------------------------------------------------------

  async function exportConversation(conversation: ConversationSummary, format: ExportFormat): Promise<void> {
    try {
      const { blob, filename } = await client.exportConversation(conversation.id, format);
      (options.download ?? saveBlob)(blob, filename);
    } catch (error) {
      toaster.show(`“${conversation.title}” could not be exported. ${detailOf(error)}`);
    }
  }

  async function importFile(file: File): Promise<void> {
    const limit = me?.limits?.max_request_bytes ?? DEFAULT_IMPORT_LIMIT;
    if (file.size > limit) {
      toaster.show(`“${file.name}” is too large to import: the limit is ${Math.floor(limit / 1024 / 1024)} MB.`);
      return;
    }
    let text: string;
    try {
      text = await file.text();
    } catch {
      toaster.show(`“${file.name}” could not be read.`);
      return;
    }
    let valid = false;
    try {
      const parsed: unknown = JSON.parse(text);
      valid = typeof parsed === 'object' && parsed !== null && Array.isArray((parsed as { messages?: unknown }).messages);
    } catch {
      valid = false;
    }
    if (!valid) {
      toaster.show(`“${file.name}” is not a conversation exported as JSON from this app.`);
      return;
    }
    try {
      const conversation = await client.importConversation(text);
      conversations.upsert(conversation);
      goTo({ kind: 'conversation', id: conversation.id });
    } catch (error) {
      toaster.show(`“${file.name}” could not be imported. ${detailOf(error)}`);
    }
  }

  // ---- leaving the page ------------------------------------------------------------------

  // Leaving (sign-in redirect, reload, closing the tab) while a message is in flight must not lose it.
  const keepDraft = (): void => options.draft.save(draftOwner(), draftToKeep(composer.value(), controller.pendingText()));
  const removeHook = onBeforeSignIn(keepDraft);
  const onPageHide = (): void => {
    keepDraft();
    conversations.flushDeletes();
  };
  window.addEventListener('pagehide', onPageHide);

  // ---- start -------------------------------------------------------------------------------

  composer.fit();
  if (typeof matchMedia === 'function' && matchMedia('(pointer: fine)').matches) composer.focus();

  const principal = options.principal ?? (() => fetchClientPrincipal());
  const ready = client.getMe().then(
    async (value) => {
      me = value;
      usageNote.set(value.usage_note);
      sidebar.setAccount({ usage: value.history, admin: value.roles.includes('admin') });
      if (!value.history) lockTemporary();
      header.setUserName(value.name !== '' ? value.name : ((await principal())?.userDetails ?? ''));
      return value;
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
  meSettled = ready;

  syncTemporary();
  if (initialRoute.kind === 'conversation') {
    // The controller already points at it: open without switching (and without announcing).
    shown = 'new';
    void openConversation(initialRoute.id, false);
  } else if (initialRoute.kind === 'invalid') {
    showMissing('The link is not one this app made.');
  } else if (window.location.pathname !== '/') {
    router.replace({ kind: 'new' });
  }
  void conversations.load();

  return {
    controller,
    store,
    conversations,
    ready,
    opened: () => loading,
    destroy() {
      unsubscribeBusy();
      removeShortcuts();
      helpDialog.close();
      settings.dialog.close();
      usageNote.close();
      presets.destroy();
      unsubscribeList();
      removeHook();
      window.removeEventListener('pagehide', onPageHide);
      narrowQuery?.removeEventListener('change', onNarrowChange);
      router.destroy();
      sidebar.destroy();
      search.destroy();
      conversations.destroy();
      toaster.clear();
      list.destroy();
      root.replaceChildren();
    },
  };
}
