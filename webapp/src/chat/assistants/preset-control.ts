/**
 * Which persona or assistant the chat on screen starts from, and everything that shows
 * it: the "Chatting with X" line, the empty conversation's "Start with…" button and
 * starter prompts, the picker and the assistant gallery. The picker, the gallery and the
 * assistant form are a chunk of their own, loaded the first time one of them opens, so the
 * first load of the app stays small.
 */
import type { ApiClient } from '../../api/client';
import type { ConversationSummary, StartedWith } from '../../api/conversations';
import { problemKindOf, type Me, type StartFrom } from '../../api/types';
import type { ChatTarget } from '../controller';
import type { ConversationStore } from '../store';
import { startFrom, versionNote, type ChatPreset } from './preset';
import { createPresetLine } from './preset-line';
import { goneSentence } from './sentences';
import type { AssistantScreens } from './screens';
import { createStartPanel } from './start-panel';
import './assistants.css';

export interface PresetControlOptions {
  readonly client: ApiClient;
  readonly me: () => Me | null;
  readonly store: ConversationStore;
  readonly target: () => ChatTarget;
  /** Put an empty new chat on screen (starting from the gallery while another chat shows). */
  readonly enterNewChat: () => void;
  /** The new chat's preset changed (its settings follow it). */
  readonly onChange: (preset: ChatPreset | null) => void;
  /** A starter prompt was clicked: send it. */
  readonly onStarter: (text: string) => void;
  readonly announce: (message: string) => void;
  /** A sentence for the user that needs no answer (a toast). */
  readonly notify: (message: string) => void;
  readonly focusComposer: () => void;
  /** Test seam: the lazily loaded screens. */
  readonly loadScreens?: () => Promise<typeof import('./screens')>;
}

export interface PresetControl {
  /** "Chatting with X", for the header. */
  readonly line: HTMLElement;
  /** For the empty conversation. */
  readonly startPanel: HTMLElement;
  current(): ChatPreset | null;
  /** What a request of a new or temporary chat adds: the preset's id (nothing once saved). */
  startFrom(): StartFrom;
  /** An empty new chat is on screen: a plain one. */
  newChat(): void;
  /** A saved conversation is on screen: say what it started with. */
  showConversation(conversation: ConversationSummary | null): void;
  openPicker(): void;
  openGallery(): void;
  destroy(): void;
}

function versionOf(body: unknown): number | null {
  const version = typeof body === 'object' && body !== null ? (body as { version?: unknown }).version : undefined;
  return typeof version === 'number' ? version : null;
}

export function createPresetControl(options: PresetControlOptions): PresetControl {
  let preset: ChatPreset | null = null;
  let started: StartedWith | null = null;
  let versionLookup = 0;
  let screens: Promise<AssistantScreens> | null = null;

  const line = createPresetLine(() => choose(null));
  const panel = createStartPanel({ onOpenPicker: () => void withScreens((loaded) => loaded.openPicker()), onStarter: (text) => options.onStarter(text) });

  function isEmptyNewChat(): boolean {
    return options.target().conversationId === null && options.store.messages().length === 0;
  }

  function renderLine(note = ''): void {
    if (preset !== null) {
      line.show({ name: preset.name, kind: preset.kind, removable: isEmptyNewChat() });
    } else if (started !== null) {
      line.show({ name: started.name, kind: started.kind, removable: false, note });
    } else {
      line.show(null);
    }
  }

  function render(): void {
    renderLine();
    panel.show(preset);
  }

  function choose(next: ChatPreset | null): void {
    const hadFocus = line.element.contains(document.activeElement);
    preset = next;
    started = null;
    options.onChange(next);
    render();
    if (next === null) {
      options.announce('Plain chat.');
      if (hadFocus) panel.startButton.focus();
    } else {
      options.announce(next.starters.length > 0 ? `Chatting with ${next.name}. Its suggestions are above the message box.` : `Chatting with ${next.name}.`);
    }
  }

  /** From the picker or the gallery: a new chat from `next`, the message box focused. */
  function start(next: ChatPreset): void {
    if (!isEmptyNewChat()) options.enterNewChat();
    choose(next);
  }

  function withScreens(run: (loaded: AssistantScreens) => void): Promise<void> {
    screens ??= (options.loadScreens ?? (() => import('./screens')))().then((module) =>
      module.createAssistantScreens({
        client: options.client,
        me: options.me,
        onStart: start,
        afterStart: () => options.focusComposer(),
      }),
    );
    return screens.then(run, () => {
      screens = null;
      options.notify('This part of the app could not be loaded. Check your connection and try again.');
    });
  }

  async function lookUpVersion(ref: StartedWith): Promise<void> {
    versionLookup += 1;
    const asked = versionLookup;
    if (ref.kind !== 'assistant' || ref.version === null) return;
    try {
      const current = await options.client.requestJson('GET', `/assistants/${encodeURIComponent(ref.id)}`, versionOf);
      if (asked === versionLookup && started === ref) renderLine(versionNote(ref, current));
    } catch {
      // Deleted or unshared since: the conversation keeps its copy, nothing to add.
    }
  }

  // A request naming an assistant that was deleted or unshared meanwhile: the API says so
  // under the answer and the message goes back in the box; the chat goes on without it.
  const unsubscribe = options.store.subscribe((change) => {
    if (change.kind === 'updated' && change.message.status === 'failed' && preset?.kind === 'assistant' && options.target().conversationId === null) {
      const problem = change.message.error;
      if (problem !== null && problemKindOf(problem.type) === 'not-found') {
        const gone = preset.name;
        choose(null);
        options.notify(`${goneSentence(gone)} This chat goes on without it.`);
        return;
      }
    }
    // The first message takes "Plain chat" away (not every streamed token: they change no count).
    if (preset !== null && change.kind !== 'updated') renderLine();
  });

  render();

  return {
    line: line.element,
    startPanel: panel.element,
    current: () => preset,
    startFrom: () => (options.target().conversationId === null ? startFrom(preset) : {}),
    newChat() {
      preset = null;
      started = null;
      versionLookup += 1;
      render();
    },
    showConversation(conversation) {
      preset = null;
      const ref = conversation?.assistant ?? null;
      const same = started !== null && ref !== null && started.id === ref.id && started.version === ref.version;
      if (same) return;
      started = ref;
      render();
      if (ref !== null) void lookUpVersion(ref);
    },
    openPicker: () => void withScreens((loaded) => loaded.openPicker()),
    openGallery: () => void withScreens((loaded) => loaded.openGallery()),
    destroy() {
      unsubscribe();
      void screens?.then((loaded) => loaded.destroy(), () => undefined);
    },
  };
}
