/**
 * "Start with…": a dialog with a search box over a grouped list of personas and
 * assistants (WAI-ARIA APG combobox with a listbox that is always shown, grouped options).
 * Focus stays in the search box; Up and Down move through the options
 * (`aria-activedescendant`), Enter chooses, a click chooses. Typing filters and makes the
 * first match the active option, so Enter takes it.
 */
import type { AssistantsApi } from '../../../api/assistants';
import type { PersonaCatalog } from '../../../api/personas';
import { h, setText, show, uniqueId } from '../../../ui/dom';
import { createDialogFrame } from '../dialog-frame';
import { presetFromAssistant, presetFromPersona, type ChatPreset } from '../preset';
import { detailOf, goneSentence, isGone } from '../sentences';
import { buildGroups, filterGroups, withoutEntry, type AssistantLists, type PickerEntry, type PickerGroup } from './picker-entries';
import './picker.css';

export interface PickerData {
  readonly catalog: PersonaCatalog | null;
  readonly assistants: AssistantLists;
  /** Sentences about what could not be loaded (empty: everything came). */
  readonly problems: readonly string[];
  /** Assistants can be made and shared here (history is kept). */
  readonly assistantsAvailable: boolean;
}

export interface PickerOptions {
  readonly load: () => Promise<PickerData>;
  readonly assistants: Pick<AssistantsApi, 'get'>;
  readonly onChoose: (preset: ChatPreset) => void;
  /** After a choice, once the dialog has closed. */
  readonly afterChoose: () => void;
  /** "Browse assistants": the gallery. */
  readonly onOpenGallery: () => void;
}

export interface Picker {
  readonly element: HTMLDialogElement;
  open(): void;
  close(): void;
}

export function createPicker(options: PickerOptions): Picker {
  const searchId = uniqueId('picker-search');
  const listId = uniqueId('picker-list');
  const search = h('input', {
    class: 'picker__search',
    attrs: {
      id: searchId,
      type: 'search',
      role: 'combobox',
      'aria-autocomplete': 'list',
      'aria-expanded': 'true',
      'aria-controls': listId,
      autocomplete: 'off',
      spellcheck: 'false',
      placeholder: 'Search by name or what it does',
    },
  });
  const status = h('p', { class: 'picker__status', attrs: { role: 'status' } });
  const retry = h('button', { class: 'button button--secondary', attrs: { type: 'button', hidden: true } }, 'Try again');
  const list = h('div', { class: 'picker__list', attrs: { id: listId, role: 'listbox', 'aria-label': 'Personas and assistants', hidden: true } });
  const galleryButton = h('button', { class: 'link-button picker__gallery', attrs: { type: 'button', hidden: true } }, 'Browse and make assistants');
  let chosen = false;
  const frame = createDialogFrame(
    {
      className: 'picker',
      title: 'Start with…',
      initialFocus: () => search,
      afterClose: () => {
        if (!chosen) return;
        chosen = false;
        options.afterChoose();
      },
    },
    h('label', { class: 'picker__label', attrs: { for: searchId } }, 'Search personas and assistants'),
    search,
    status,
    retry,
    list,
    h('div', { class: 'picker__foot' }, galleryButton),
  );

  let data: PickerData | null = null;
  let groups: PickerGroup[] = [];
  let rendered: { entry: PickerEntry; element: HTMLElement }[] = [];
  let active = -1;
  let loadToken = 0;
  let loading = false;
  /** Enter was pressed before the list came: take the first match once it is there. */
  let enterPending = false;
  let busy = false;

  function setActive(index: number): void {
    rendered[active]?.element.setAttribute('aria-selected', 'false');
    active = index;
    const current = rendered[index];
    if (current === undefined) {
      search.removeAttribute('aria-activedescendant');
      return;
    }
    current.element.setAttribute('aria-selected', 'true');
    search.setAttribute('aria-activedescendant', current.element.id);
    if (typeof current.element.scrollIntoView === 'function') current.element.scrollIntoView({ block: 'nearest' });
  }

  function summary(count: number, query: string): string {
    if (query.trim() !== '') {
      if (count === 0) return `Nothing matches “${query.trim()}”.`;
      return `${count} ${count === 1 ? 'match' : 'matches'}. Up and Down to move, Enter to choose.`;
    }
    const problems = data?.problems ?? [];
    return problems.length > 0 ? problems.join(' ') : `${count} to choose from. Type to search; Up and Down to move, Enter to choose.`;
  }

  /** Draw the list for the search box's text, keeping the active option when it is still there. */
  function render(): void {
    const query = search.value;
    const activeKey = rendered[active]?.entry.key;
    const shown = filterGroups(groups, query);
    rendered = [];
    list.replaceChildren(
      ...shown.map((group) => {
        const labelId = uniqueId('picker-group');
        return h(
          'div',
          { class: 'picker__group', attrs: { role: 'group', 'aria-labelledby': labelId } },
          h('div', { class: 'picker__group-label', attrs: { role: 'presentation', id: labelId } }, group.label),
          ...group.entries.map((entry) => {
            const nameId = uniqueId('picker-name');
            const descriptionId = uniqueId('picker-description');
            const element = h(
              'div',
              {
                class: 'picker__option',
                attrs: {
                  id: uniqueId('picker-option'),
                  role: 'option',
                  'aria-selected': 'false',
                  'aria-labelledby': nameId,
                  'aria-describedby': descriptionId,
                },
                data: { kind: entry.kind },
              },
              h('span', { class: 'picker__name', attrs: { id: nameId } }, entry.name),
              h('span', { class: 'picker__description', attrs: { id: descriptionId } }, [entry.description, entry.detail].filter((part) => part !== '').join(' · ')),
            );
            const index = rendered.length;
            rendered.push({ entry, element });
            // pointerdown would take focus from the search box; keep it there.
            element.addEventListener('mousedown', (event) => event.preventDefault());
            element.addEventListener('click', () => {
              setActive(index);
              void choose(entry);
            });
            return element;
          }),
        );
      }),
    );
    active = -1;
    search.removeAttribute('aria-activedescendant');
    show(list, rendered.length > 0);
    const kept = rendered.findIndex((option) => option.entry.key === activeKey);
    if (kept >= 0) setActive(kept);
    else if (query.trim() !== '' && rendered.length > 0) setActive(0);
    setText(status, summary(rendered.length, query));
  }

  async function choose(entry: PickerEntry): Promise<void> {
    if (busy) return;
    if (entry.kind === 'persona') {
      const persona = data?.catalog?.items.find((item) => item.id === entry.id);
      if (persona === undefined) return;
      finish(presetFromPersona(persona));
      return;
    }
    // A list item has no system prompt; reading it also finds one that is gone meanwhile.
    busy = true;
    setText(status, `Opening “${entry.name}”…`);
    try {
      const assistant = await options.assistants.get(entry.id);
      finish(presetFromAssistant(assistant));
    } catch (error) {
      if (isGone(error)) {
        groups = withoutEntry(groups, entry.key);
        render();
        setText(status, goneSentence(entry.name));
      } else {
        setText(status, `“${entry.name}” could not be opened. ${detailOf(error)}`);
      }
    } finally {
      busy = false;
    }
  }

  function finish(preset: ChatPreset): void {
    chosen = true;
    frame.modal.close();
    options.onChoose(preset);
  }

  async function load(): Promise<void> {
    loadToken += 1;
    const token = loadToken;
    show(retry, false);
    setText(status, 'Loading…');
    loading = true;
    const loaded = await options.load();
    if (token !== loadToken) return;
    loading = false;
    data = loaded;
    groups = buildGroups(loaded.catalog, loaded.assistants);
    show(galleryButton, loaded.assistantsAvailable);
    show(retry, loaded.problems.length > 0);
    render();
    const pending = rendered[active];
    if (enterPending && pending !== undefined) void choose(pending.entry);
    enterPending = false;
  }

  search.addEventListener('input', () => {
    // Typing starts again from the first match.
    enterPending = false;
    setActive(-1);
    render();
  });
  search.addEventListener('keydown', (event) => {
    const count = rendered.length;
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (count > 0) setActive(active < 0 ? 0 : (active + 1) % count);
        break;
      case 'ArrowUp':
        event.preventDefault();
        if (count > 0) setActive(active <= 0 ? count - 1 : active - 1);
        break;
      case 'Enter': {
        event.preventDefault();
        const current = rendered[active];
        if (current !== undefined) void choose(current.entry);
        else if (loading) enterPending = search.value.trim() !== '';
        break;
      }
      case 'Escape':
        // The first Escape empties the search, the next closes the dialog.
        if (search.value !== '') {
          event.preventDefault();
          event.stopPropagation();
          search.value = '';
          render();
        }
        break;
    }
  });
  retry.addEventListener('click', () => {
    search.focus();
    void load();
  });
  galleryButton.addEventListener('click', () => {
    frame.modal.close();
    options.onOpenGallery();
  });

  return {
    element: frame.element,
    open() {
      chosen = false;
      search.value = '';
      if (!frame.element.isConnected) document.body.append(frame.element);
      frame.modal.open();
      void load();
    },
    close: () => frame.modal.close(),
  };
}
