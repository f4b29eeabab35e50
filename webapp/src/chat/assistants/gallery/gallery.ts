/**
 * The assistant gallery: a large dialog with the tabs Featured, Mine and Organisation,
 * each a list of cards (assistant-card.ts), and "New assistant". Each tab loads when first
 * shown and again after a change; what happened is said in a status line inside the
 * dialog (the app's toasts sit under the modal's backdrop).
 */
import type { AssistantScope, AssistantsApi, AssistantSummary } from '../../../api/assistants';
import { h, setText } from '../../../ui/dom';
import { closeOpenMenu } from '../../../ui/menu';
import { createDialogFrame } from '../dialog-frame';
import { presetFromAssistant, type ChatPreset } from '../preset';
import { detailOf, goneSentence, isGone } from '../sentences';
import { createAssistantCard, type CardAction } from './assistant-card';
import { confirmDanger } from './confirm';
import { createTabs } from './tabs';
import './gallery.css';

export interface GalleryOptions {
  readonly assistants: AssistantsApi;
  readonly isAdmin: () => boolean;
  readonly onStart: (preset: ChatPreset) => void;
  /** After Start chat, once the dialog has closed. */
  readonly afterStart: () => void;
  /** Open the form: a new assistant (null) or the one to edit. */
  readonly openForm: (assistant: AssistantSummary | null) => void;
}

export interface Gallery {
  readonly element: HTMLDialogElement;
  open(): void;
  close(): void;
  /** The form saved `assistant`: show it under Mine and say so. */
  saved(assistant: AssistantSummary, created: boolean): void;
  /** Say something in the gallery's status line. */
  say(message: string): void;
  /** Load the tab on screen again (the others when next shown). */
  refresh(): void;
}

const TABS = [
  { key: 'featured', label: 'Featured' },
  { key: 'mine', label: 'Mine' },
  { key: 'organisation', label: 'Organisation' },
] as const satisfies readonly { key: AssistantScope; label: string }[];

const EMPTY: Record<AssistantScope, string> = {
  featured: 'No featured assistants yet. Administrators feature the ones that help most people.',
  mine: 'You have no assistants yet. Make one with “New assistant”: your own instructions, model and starter prompts.',
  organisation: 'Nobody has shared an assistant with the organisation yet.',
};

type TabState =
  | { readonly status: 'stale' | 'loading' }
  | { readonly status: 'ready'; readonly items: readonly AssistantSummary[] }
  | { readonly status: 'error'; readonly message: string };

export function createGallery(options: GalleryOptions): Gallery {
  const { assistants } = options;
  const newButton = h('button', { class: 'button button--primary gallery__new', attrs: { type: 'button' } }, 'New assistant');
  const statusLine = h('p', { class: 'gallery__status', attrs: { role: 'status' } });
  const states: Record<AssistantScope, TabState> = { featured: { status: 'stale' }, mine: { status: 'stale' }, organisation: { status: 'stale' } };
  const tabs = createTabs<AssistantScope>('Assistants', TABS, (scope) => void ensure(scope));
  let started = false;
  const frame = createDialogFrame(
    {
      className: 'gallery',
      title: 'Assistants',
      initialFocus: () => tabs.list.querySelector<HTMLElement>('[aria-selected="true"]'),
      onClose: () => closeOpenMenu(),
      afterClose: () => {
        if (!started) return;
        started = false;
        options.afterStart();
      },
    },
    h('div', { class: 'gallery__bar' }, tabs.list, newButton),
    statusLine,
    ...TABS.map((tab) => tabs.panels[tab.key]),
  );
  let loadTokens: Record<AssistantScope, number> = { featured: 0, mine: 0, organisation: 0 };

  function say(message: string): void {
    // Cleared first so the same sentence twice is said twice.
    setText(statusLine, '');
    setTimeout(() => setText(statusLine, message), 50);
  }

  /** Which card button had focus, to give it back after the list is redrawn. */
  function focusedAction(): { id: string; action: string } | null {
    const active = document.activeElement;
    if (!(active instanceof HTMLElement) || !frame.element.contains(active)) return null;
    const id = active.dataset.assistantId;
    const action = active.dataset.action;
    return id === undefined || action === undefined ? null : { id, action };
  }

  function render(scope: AssistantScope): void {
    const panel = tabs.panels[scope];
    const state = states[scope];
    const focus = focusedAction();
    const hadFocus = panel.contains(document.activeElement);
    if (state.status === 'ready') {
      panel.replaceChildren(
        state.items.length === 0
          ? h('p', { class: 'gallery__empty' }, EMPTY[scope])
          : h('ul', { class: 'gallery__cards' }, ...state.items.map((assistant) => createAssistantCard(assistant, { admin: options.isAdmin(), onAction: act }))),
      );
    } else if (state.status === 'error') {
      const retry = h('button', { class: 'button button--secondary', attrs: { type: 'button' }, on: { click: () => void load(scope) } }, 'Try again');
      panel.replaceChildren(h('p', { class: 'gallery__empty' }, state.message), retry);
    } else {
      panel.replaceChildren(h('p', { class: 'gallery__empty' }, 'Loading…'));
    }
    if (focus !== null) {
      const controls = [...panel.querySelectorAll<HTMLElement>('[data-action]')].filter((control) => control.dataset.assistantId === focus.id);
      const again = controls.find((control) => control.dataset.action === focus.action) ?? controls[0];
      (again ?? panel).focus();
    } else if (hadFocus && !panel.contains(document.activeElement)) {
      panel.focus();
    }
  }

  async function load(scope: AssistantScope): Promise<void> {
    loadTokens = { ...loadTokens, [scope]: loadTokens[scope] + 1 };
    const token = loadTokens[scope];
    if (states[scope].status !== 'ready') {
      states[scope] = { status: 'loading' };
      render(scope);
    }
    try {
      const items = await assistants.list(scope);
      if (token !== loadTokens[scope]) return;
      states[scope] = { status: 'ready', items };
    } catch (error) {
      if (token !== loadTokens[scope]) return;
      states[scope] = { status: 'error', message: `The assistants could not be loaded. ${detailOf(error)}` };
    }
    render(scope);
  }

  function ensure(scope: AssistantScope): Promise<void> {
    const state = states[scope];
    return state.status === 'stale' || state.status === 'error' ? load(scope) : Promise.resolve();
  }

  /** Something changed: every tab is out of date, the one on screen loads again. */
  function refresh(): Promise<void> {
    for (const tab of TABS) if (tab.key !== tabs.selected()) states[tab.key] = { status: 'stale' };
    // The list on screen stays until the new one comes (load() keeps a ready list).
    return load(tabs.selected());
  }

  async function start(assistant: AssistantSummary): Promise<void> {
    say(`Opening “${assistant.name}”…`);
    try {
      const full = await assistants.get(assistant.id);
      started = true;
      frame.modal.close();
      options.onStart(presetFromAssistant(full));
    } catch (error) {
      if (isGone(error)) {
        say(goneSentence(assistant.name));
        void refresh();
      } else {
        say(`“${assistant.name}” could not be opened. ${detailOf(error)}`);
      }
    }
  }

  async function change(assistant: AssistantSummary, run: () => Promise<unknown>, done: string, failed: string): Promise<void> {
    try {
      await run();
      say(done);
    } catch (error) {
      say(isGone(error) ? goneSentence(assistant.name) : `${failed} ${detailOf(error)}`);
    }
    await refresh();
  }

  async function remove(assistant: AssistantSummary): Promise<void> {
    const confirmed = await confirmDanger({
      title: `Delete “${assistant.name}”?`,
      text: assistant.mine
        ? 'Nobody can start a chat with it any more. Conversations already started with it keep working.'
        : `It belongs to ${assistant.owner_name || 'someone else'}: it goes for everyone. Conversations already started with it keep working.`,
      confirm: 'Delete',
    });
    if (!confirmed) return;
    // Its card is about to go: put focus somewhere that stays.
    if (frame.element.contains(document.activeElement)) tabs.panels[tabs.selected()].focus();
    await change(assistant, () => assistants.remove(assistant.id), `Deleted “${assistant.name}”.`, `“${assistant.name}” was not deleted.`);
  }

  function act(action: CardAction, assistant: AssistantSummary): void {
    const name = assistant.name;
    switch (action) {
      case 'start':
        void start(assistant);
        break;
      case 'edit':
        options.openForm(assistant);
        break;
      case 'share':
        void change(assistant, () => assistants.update(assistant.id, { visibility: 'organisation' }), `“${name}” is shared with the organisation.`, `“${name}” was not shared.`);
        break;
      case 'unshare':
        void change(assistant, () => assistants.update(assistant.id, { visibility: 'private' }), `“${name}” is private again.`, `“${name}” is still shared.`);
        break;
      case 'feature':
        void change(assistant, () => assistants.setFeatured(assistant.id, true), `“${name}” is featured.`, `“${name}” was not featured.`);
        break;
      case 'unfeature':
        void change(assistant, () => assistants.setFeatured(assistant.id, false), `“${name}” is no longer featured.`, `“${name}” is still featured.`);
        break;
      case 'delete':
        void remove(assistant);
        break;
    }
  }

  newButton.addEventListener('click', () => options.openForm(null));

  return {
    element: frame.element,
    open() {
      started = false;
      setText(statusLine, '');
      for (const tab of TABS) states[tab.key] = { status: 'stale' };
      if (!frame.element.isConnected) document.body.append(frame.element);
      tabs.select(tabs.selected());
      frame.modal.open();
    },
    close: () => frame.modal.close(),
    saved(assistant, created) {
      say(created ? `Created “${assistant.name}”.` : `Saved “${assistant.name}” (version ${assistant.version}).`);
      for (const tab of TABS) states[tab.key] = { status: 'stale' };
      if (tabs.selected() === 'mine') void load('mine');
      else tabs.select('mine');
    },
    say,
    refresh: () => void refresh(),
  };
}
