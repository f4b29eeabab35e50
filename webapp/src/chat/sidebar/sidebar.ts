/**
 * The conversations sidebar: "New chat", "Assistants" (the gallery), the search box, the list (a `nav` labelled
 * "Conversations", grouped Pinned / Today / Yesterday / Previous 7 days / Older), each
 * item a link to `/c/<id>` with an options menu (Rename, Pin/Unpin, Archive, Export as
 * Markdown / JSON / text, Print or save as PDF, Delete), "More" for the next page, the
 * archived conversations and Import.
 *
 * Items are kept by id and only moved when their place changes, so focus and an open
 * rename survive the list updating under them (a title arriving, a new conversation).
 */
import type { ConversationSummary, ExportFormat } from '../../api/conversations';
import type { OpenOutcome } from '../../print/print-conversation';
import { h, setText, show, uniqueId } from '../../ui/dom';
import { closeOpenMenu, menuButton, type MenuItem } from '../../ui/menu';
import type { Toaster } from '../../ui/toast';
import { groupConversations, nextMidnight, type ConversationGroup } from '../history/groups';
import { UNDO_MS, type ConversationList } from '../history/list-state';
import type { ConversationSearch, SearchState } from '../history/search';
import './sidebar.css';

export interface SidebarOptions {
  readonly list: ConversationList;
  readonly search: ConversationSearch;
  readonly toaster: Toaster;
  readonly onNewChat: () => void;
  readonly onOpen: (id: string) => void;
  readonly onExport: (conversation: ConversationSummary, format: ExportFormat) => void;
  /**
   * Print: resolves once the conversation `onOpen` opened is on screen. Without it the
   * print module reads that from the page (print/conversation-shown.ts).
   */
  readonly whenOpened?: (id: string) => Promise<OpenOutcome>;
  readonly onImport: (file: File) => void;
  /** A conversation is gone from the list (deleted): the app leaves it if it is open. */
  readonly onDeleted: (id: string) => void;
  /** Escape in the sidebar (the app closes the drawer on phones; true: handled). */
  readonly onEscape?: () => boolean | void;
  /** The drawer's close button (shown on phones only). */
  readonly onClose?: () => void;
  /** The "Keyboard shortcuts" button (in the footer); left out without it. */
  readonly onShowShortcuts?: () => void;
  /** The "Assistants" button (beside New chat: the gallery); left out without it. */
  readonly onOpenAssistants?: () => void;
  /** The "Your usage" button (shown once `setAccount` says usage is kept). */
  readonly onShowUsage?: () => void;
}

export interface Sidebar {
  readonly element: HTMLElement;
  /** The conversation on screen (highlighted, `aria-current="page"`). */
  setCurrent(id: string | null): void;
  /** Focus the first control (the drawer opened). */
  focus(): void;
  /** Focus the search box (false when there is none: history is off). */
  focusSearch(): boolean;
  /** What `/api/me` said: whether usage is kept (history on) and the user is an admin. */
  setAccount(account: { readonly usage: boolean; readonly admin: boolean }): void;
  destroy(): void;
}

interface ItemView {
  readonly li: HTMLLIElement;
  readonly link: HTMLAnchorElement;
  readonly menu: HTMLButtonElement;
  summary: ConversationSummary;
  renaming: boolean;
  update(summary: ConversationSummary, current: boolean): void;
}

/** A plain left click, which the app handles itself (others open a tab, etc.). */
function isPlainClick(event: MouseEvent): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}

export function conversationHref(id: string): string {
  return `/c/${encodeURIComponent(id)}`;
}

export function createSidebar(options: SidebarOptions): Sidebar {
  const { list, search, toaster } = options;
  let currentId: string | null = null;

  const newChat = h(
    'button',
    { class: 'button button--primary sidebar__new', attrs: { type: 'button' }, on: { click: () => options.onNewChat() } },
    'New chat',
  );

  const assistantsButton =
    options.onOpenAssistants === undefined
      ? null
      : h(
          'button',
          {
            class: 'button button--secondary sidebar__assistants',
            attrs: { type: 'button', 'aria-haspopup': 'dialog' },
            on: { click: () => options.onOpenAssistants?.() },
          },
          'Assistants',
        );

  const searchId = uniqueId('conversation-search');
  const searchInput = h('input', {
    class: 'sidebar__search-input',
    attrs: { id: searchId, type: 'search', placeholder: 'Search', autocomplete: 'off', spellcheck: 'false', maxlength: 200 },
  });
  const searchBox = h(
    'div',
    { class: 'sidebar__search', attrs: { role: 'search' } },
    h('label', { class: 'visually-hidden', attrs: { for: searchId } }, 'Search conversations'),
    searchInput,
  );

  const groupsElement = h('div', { class: 'sidebar__groups' });
  const status = h('div', { class: 'sidebar__status', attrs: { hidden: true } });
  const more = h('button', { class: 'button button--secondary sidebar__more', attrs: { type: 'button', hidden: true } }, 'More');
  const listView = h('div', { class: 'sidebar__list' }, groupsElement, status, more);

  const resultsStatus = h('p', { class: 'sidebar__status', attrs: { role: 'status' } });
  const resultsList = h('ul', { class: 'conv-list' });
  const resultsView = h('div', { class: 'sidebar__results', attrs: { hidden: true } }, resultsStatus, resultsList);

  const nav = h('nav', { class: 'sidebar__nav', attrs: { 'aria-label': 'Conversations' } }, listView, resultsView);

  const archivedButton = h(
    'button',
    { class: 'sidebar__tool', attrs: { type: 'button', 'aria-pressed': 'false' } },
    'Archived',
  );
  const importInput = h('input', {
    class: 'visually-hidden',
    attrs: { type: 'file', accept: '.json,application/json', tabindex: '-1', 'aria-hidden': 'true' },
  });
  const importButton = h('button', { class: 'sidebar__tool', attrs: { type: 'button' } }, 'Import');
  const shortcutsButton =
    options.onShowShortcuts === undefined
      ? null
      : h(
          'button',
          { class: 'sidebar__tool sidebar__tool--wide', attrs: { type: 'button', 'aria-haspopup': 'dialog' }, on: { click: () => options.onShowShortcuts?.() } },
          'Keyboard shortcuts',
        );
  const usageButton =
    options.onShowUsage === undefined
      ? null
      : h(
          'button',
          { class: 'sidebar__tool', attrs: { type: 'button', 'aria-haspopup': 'dialog', hidden: true }, on: { click: () => options.onShowUsage?.() } },
          'Your usage',
        );
  // The admin page is its own page; SWA and the API both check the role.
  const adminLink = h('a', { class: 'sidebar__tool sidebar__tool--link', attrs: { href: '/admin', hidden: true } }, 'Admin');
  const tools = h('div', { class: 'sidebar__tools' }, archivedButton, importButton, importInput, usageButton, adminLink, shortcutsButton);

  const element = h(
    'div',
    { class: 'sidebar', attrs: { id: 'sidebar' } },
    h(
      'div',
      { class: 'sidebar__top' },
      newChat,
      assistantsButton,
      options.onClose === undefined
        ? null
        : h(
            'button',
            {
              class: 'icon-button sidebar__close',
              attrs: { type: 'button', 'aria-label': 'Close conversations' },
              on: { click: () => options.onClose?.() },
            },
            h('span', { class: 'icon-button__cross', attrs: { 'aria-hidden': 'true' } }),
          ),
    ),
    searchBox,
    nav,
    tools,
  );

  // ---- the list ------------------------------------------------------------------------

  const views = new Map<string, ItemView>();
  const sections = new Map<string, { section: HTMLElement; heading: HTMLElement; ul: HTMLUListElement }>();

  function itemMenu(view: ItemView): MenuItem[] {
    const summary = view.summary;
    const archived = list.snapshot().archived;
    return [
      { label: 'Rename', run: () => startRename(view) },
      ...(archived
        ? [{ label: 'Unarchive', run: () => void archive(summary, false) }]
        : [
            summary.pinned
              ? { label: 'Unpin', run: () => void pin(summary, false) }
              : { label: 'Pin', run: () => void pin(summary, true) },
            { label: 'Archive', run: () => void archive(summary, true) },
          ]),
      { label: 'Export as Markdown', run: () => options.onExport(summary, 'markdown') },
      { label: 'Export as JSON', run: () => options.onExport(summary, 'json') },
      { label: 'Export as text', run: () => options.onExport(summary, 'text') },
      { label: 'Print or save as PDF', run: () => void startPrint(summary) },
      { label: 'Delete', run: () => remove(summary), danger: true },
    ];
  }

  function createItem(summary: ConversationSummary): ItemView {
    const link = h('a', { class: 'conv-item__link', attrs: { href: conversationHref(summary.id) }, data: { conversationId: summary.id } });
    const menu = h(
      'button',
      { class: 'conv-item__menu', attrs: { type: 'button' } },
      h('span', { class: 'conv-item__dots', attrs: { 'aria-hidden': 'true' } }),
    );
    const li = h('li', { class: 'conv-item' }, link, menu);
    const view: ItemView = {
      li,
      link,
      menu,
      summary,
      renaming: false,
      update(next, current) {
        view.summary = next;
        setText(link, next.title);
        link.title = next.title;
        menu.setAttribute('aria-label', `Options for ${next.title}`);
        if (current) link.setAttribute('aria-current', 'page');
        else link.removeAttribute('aria-current');
        li.classList.toggle('conv-item--current', current);
      },
    };
    link.addEventListener('click', (event) => {
      if (!isPlainClick(event)) return;
      event.preventDefault();
      options.onOpen(view.summary.id);
    });
    menuButton(menu, () => itemMenu(view));
    view.update(summary, summary.id === currentId);
    return view;
  }

  function sectionFor(group: ConversationGroup | { key: string; label: string }) {
    let entry = sections.get(group.key);
    if (entry === undefined) {
      const headingId = uniqueId('conv-group');
      const heading = h('h2', { class: 'conv-group__title', attrs: { id: headingId } }, group.label);
      const ul = h('ul', { class: 'conv-list', attrs: { 'aria-labelledby': headingId } });
      entry = { section: h('section', { class: 'conv-group' }, heading, ul), heading, ul };
      sections.set(group.key, entry);
    }
    return entry;
  }

  let midnightTimer: ReturnType<typeof setTimeout> | null = null;

  function renderList(): void {
    const snapshot = list.snapshot();
    const active = document.activeElement;
    const now = new Date();
    const groups = snapshot.archived
      ? snapshot.items.length === 0
        ? []
        : [{ key: 'archived', label: 'Archived', items: snapshot.items }]
      : groupConversations(snapshot.items, now);

    let previousSection: Element | null = null;
    const seenSections = new Set<string>();
    const seenItems = new Set<string>();
    for (const group of groups) {
      const entry = sectionFor(group);
      seenSections.add(group.key);
      const expected: ChildNode | null = previousSection === null ? groupsElement.firstChild : previousSection.nextSibling;
      if (entry.section !== expected) groupsElement.insertBefore(entry.section, expected);
      previousSection = entry.section;
      let previousItem: Element | null = null;
      for (const summary of group.items) {
        seenItems.add(summary.id);
        let view = views.get(summary.id);
        if (view === undefined) {
          view = createItem(summary);
          views.set(summary.id, view);
        } else {
          view.update(summary, summary.id === currentId);
        }
        const expectedItem: ChildNode | null = previousItem === null ? entry.ul.firstChild : previousItem.nextSibling;
        if (view.li !== expectedItem) entry.ul.insertBefore(view.li, expectedItem);
        previousItem = view.li;
      }
      while (previousItem?.nextSibling) previousItem.nextSibling.remove();
    }
    for (const [key, entry] of sections) {
      if (!seenSections.has(key)) {
        entry.section.remove();
        sections.delete(key);
      }
    }
    for (const [id, view] of views) {
      if (!seenItems.has(id)) {
        view.li.remove();
        views.delete(id);
      }
    }
    // Moving an element drops its focus: give it back.
    if (active instanceof HTMLElement && active.isConnected && document.activeElement !== active) active.focus({ preventScroll: true });

    renderStatus(snapshot);
    show(more, snapshot.status === 'ready' && snapshot.hasMore);
    more.disabled = snapshot.loadingMore;
    setText(more, snapshot.loadingMore ? 'Loading…' : 'More');
    archivedButton.setAttribute('aria-pressed', String(snapshot.archived));
    const disabled = snapshot.status === 'disabled';
    show(searchBox, !disabled);
    show(archivedButton, !disabled);
    show(importButton, !disabled);
    // Assistants are kept beside the history: without it there are none to browse.
    if (assistantsButton !== null) show(assistantsButton, !disabled);
    show(tools, !disabled || shortcutsButton !== null);

    if (midnightTimer !== null) clearTimeout(midnightTimer);
    // "Today" becomes "Yesterday" at midnight, even if nothing else changes.
    midnightTimer = setTimeout(renderList, nextMidnight(now) - now.getTime() + 1000);
  }

  function renderStatus(snapshot: ReturnType<ConversationList['snapshot']>): void {
    const parts: Node[] = [];
    if (snapshot.status === 'loading') {
      parts.push(h('p', {}, 'Loading conversations…'));
    } else if (snapshot.status === 'disabled') {
      parts.push(h('p', {}, 'This organisation keeps no chat history, so chats are not saved.'));
    } else if (snapshot.status === 'error' || (snapshot.error !== null && snapshot.status === 'ready')) {
      const retry = h('button', { class: 'button button--secondary', attrs: { type: 'button' } }, 'Try again');
      retry.addEventListener('click', () => {
        if (snapshot.status === 'error') void list.load({ archived: snapshot.archived });
        else void list.loadMore();
      });
      const what = snapshot.status === 'error' ? 'The conversations could not be loaded.' : 'More conversations could not be loaded.';
      parts.push(h('p', {}, `${what} ${snapshot.error?.detail ?? ''}`.trim()), retry);
    } else if (snapshot.items.length === 0) {
      parts.push(h('p', {}, snapshot.archived ? 'No archived conversations.' : 'No saved conversations yet.'));
    }
    const focusWasInside = status.contains(document.activeElement);
    status.replaceChildren(...parts);
    show(status, parts.length > 0);
    if (focusWasInside) (status.querySelector('button') ?? newChat).focus();
  }

  // ---- actions -------------------------------------------------------------------------

  /** After an item leaves the list: focus the next one (or the one before, or New chat). */
  function focusAfterRemoval(id: string): void {
    const links = Array.from(groupsElement.querySelectorAll<HTMLAnchorElement>('a[data-conversation-id]'));
    const index = links.findIndex((link) => link.dataset.conversationId === id);
    (links[index + 1] ?? links[index - 1] ?? newChat).focus();
  }

  function remove(summary: ConversationSummary): void {
    const hadFocus = element.contains(document.activeElement) || document.activeElement === document.body;
    if (hadFocus) focusAfterRemoval(summary.id);
    list.remove(summary.id);
    options.onDeleted(summary.id);
    toaster.show(`Deleted “${summary.title}”.`, {
      timeoutMs: UNDO_MS,
      onHold: () => list.holdDelete(summary.id),
      onRelease: () => list.releaseDelete(summary.id),
      // Dismissing the offer of Undo is saying "yes, delete it": no need to wait.
      onDismiss: () => list.commitDelete(summary.id),
      action: {
        label: 'Undo',
        run() {
          if (list.undo(summary.id)) {
            views.get(summary.id)?.link.focus();
          } else {
            toaster.show('It is too late to undo: the conversation is deleted.');
          }
        },
      },
    });
  }

  async function startPrint(summary: ConversationSummary): Promise<void> {
    const failed = `“${summary.title}” could not be printed. Open it, then try again.`;
    try {
      // Its own chunk: nobody should download the print code with the app.
      const { printConversation } = await import('../../print/print-conversation');
      const outcome = await printConversation(summary, {
        currentId: () => currentId,
        open: (id) => options.onOpen(id),
        ...(options.whenOpened === undefined ? {} : { whenOpened: options.whenOpened }),
      });
      if (outcome === 'failed') toaster.show(failed);
    } catch {
      toaster.show(failed);
    }
  }

  async function pin(summary: ConversationSummary, pinned: boolean): Promise<void> {
    const failure = await list.setPinned(summary.id, pinned);
    if (failure !== null) toaster.show(failure);
  }

  async function archive(summary: ConversationSummary, archived: boolean): Promise<void> {
    if (element.contains(document.activeElement)) focusAfterRemoval(summary.id);
    const failure = await list.setArchived(summary, archived);
    if (failure !== null) {
      toaster.show(failure);
      return;
    }
    toaster.show(archived ? `Archived “${summary.title}”.` : `“${summary.title}” is back in the list.`, {
      action: { label: 'Undo', run: () => void archive({ ...summary, archived }, !archived) },
    });
  }

  function startRename(view: ItemView): void {
    if (view.renaming) return;
    view.renaming = true;
    const original = view.summary.title;
    const input = h('input', {
      class: 'conv-item__rename',
      attrs: { type: 'text', value: original, maxlength: 200, 'aria-label': 'Conversation title', autocomplete: 'off' },
    });
    list.prepareRename(view.summary.id);
    view.link.hidden = true;
    view.menu.hidden = true;
    view.li.classList.add('conv-item--renaming');
    view.li.insertBefore(input, view.link);
    input.focus();
    input.select();

    let done = false;
    const finish = (save: boolean): void => {
      if (done) return;
      done = true;
      const hadFocus = document.activeElement === input;
      const title = input.value;
      input.remove();
      view.link.hidden = false;
      view.menu.hidden = false;
      view.li.classList.remove('conv-item--renaming');
      view.renaming = false;
      if (hadFocus) view.link.focus();
      if (!save) return;
      void list.rename(view.summary.id, title).then((result) => {
        if (result.kind === 'conflict') toaster.show(result.message, { timeoutMs: 0 });
        else if (result.kind === 'failed') toaster.show(result.message);
      });
    };
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        finish(true);
      } else if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        finish(false);
      }
    });
    // Deferred: the list may move the item (a new conversation above it), which blurs the
    // box for a moment before focus is given back.
    input.addEventListener('blur', () => {
      setTimeout(() => {
        if (document.activeElement !== input) finish(true);
      }, 0);
    });
  }

  // ---- search --------------------------------------------------------------------------

  function renderSearch(state: SearchState): void {
    const searching = state.status !== 'idle';
    show(listView, !searching);
    show(resultsView, searching);
    if (state.status === 'idle') {
      resultsList.replaceChildren();
      setText(resultsStatus, '');
      return;
    }
    if (state.status === 'searching') {
      // Keep the previous results until the new ones come (no flicker while typing).
      setText(resultsStatus, 'Searching…');
      return;
    }
    if (state.status === 'error') {
      resultsList.replaceChildren();
      setText(resultsStatus, state.message);
      return;
    }
    const count = state.hits.length;
    setText(
      resultsStatus,
      count === 0
        ? `No conversations match “${state.query}”.`
        : `${count} ${count === 1 ? 'conversation matches' : 'conversations match'} “${state.query}”.`,
    );
    resultsList.replaceChildren(
      ...state.hits.map((hit) => {
        const snippetId = uniqueId('snippet');
        const link = h(
          'a',
          {
            class: 'conv-item__link',
            attrs: { href: conversationHref(hit.conversation.id), 'aria-describedby': hit.snippet === '' ? undefined : snippetId },
            data: { conversationId: hit.conversation.id },
          },
          hit.conversation.title,
        );
        if (hit.conversation.id === currentId) link.setAttribute('aria-current', 'page');
        link.addEventListener('click', (event) => {
          if (!isPlainClick(event)) return;
          event.preventDefault();
          options.onOpen(hit.conversation.id);
        });
        // The snippet is the API's plain text: a text node, never markup.
        return h(
          'li',
          { class: 'conv-item conv-item--hit' },
          link,
          hit.snippet === '' ? null : h('p', { class: 'conv-item__snippet', attrs: { id: snippetId } }, hit.snippet),
        );
      }),
    );
  }

  searchInput.addEventListener('input', () => search.setQuery(searchInput.value));
  searchInput.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && searchInput.value !== '') {
      event.preventDefault();
      event.stopPropagation();
      searchInput.value = '';
      search.clear();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      search.flush();
    } else if (event.key === 'ArrowDown' && search.state().status === 'done') {
      event.preventDefault();
      resultsList.querySelector<HTMLAnchorElement>('a')?.focus();
    }
  });

  // ---- the rest ------------------------------------------------------------------------

  more.addEventListener('click', () => void list.loadMore());
  // Load the next page as "More" scrolls into view, too.
  const observer =
    typeof IntersectionObserver === 'function'
      ? new IntersectionObserver((entries) => {
          if (entries.some((entry) => entry.isIntersecting)) void list.loadMore();
        }, { root: nav, rootMargin: '0px 0px 200px 0px' })
      : null;
  observer?.observe(more);

  archivedButton.addEventListener('click', () => {
    void list.load({ archived: !list.snapshot().archived });
  });
  importButton.addEventListener('click', () => importInput.click());
  importInput.addEventListener('change', () => {
    const file = importInput.files?.[0];
    importInput.value = '';
    if (file !== undefined) options.onImport(file);
  });

  element.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !event.shiftKey && !event.defaultPrevented && options.onEscape?.() === true) event.preventDefault();
  });

  const unsubscribeList = list.subscribe(renderList);
  const unsubscribeSearch = search.subscribe(renderSearch);
  renderList();
  renderSearch(search.state());

  return {
    element,
    setAccount(account) {
      if (usageButton !== null) show(usageButton, account.usage);
      show(adminLink, account.admin);
    },
    setCurrent(id) {
      currentId = id;
      for (const view of views.values()) view.update(view.summary, view.summary.id === id);
      for (const link of resultsList.querySelectorAll<HTMLAnchorElement>('a[data-conversation-id]')) {
        if (link.dataset.conversationId === id) link.setAttribute('aria-current', 'page');
        else link.removeAttribute('aria-current');
      }
    },
    focus() {
      newChat.focus();
    },
    focusSearch() {
      if (searchBox.hidden) return false;
      searchInput.focus();
      searchInput.select();
      return true;
    },
    destroy() {
      closeOpenMenu();
      unsubscribeList();
      unsubscribeSearch();
      observer?.disconnect();
      if (midnightTimer !== null) clearTimeout(midnightTimer);
    },
  };
}
