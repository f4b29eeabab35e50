import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../../api/client';
import type { ConversationSummary } from '../../api/conversations';
import { clientProblem } from '../../api/problem';
import { NEW_SAVED_CHAT, type ChatTarget } from '../controller';
import { createMemoryStore } from '../store';
import { createPresetControl } from './preset-control';
import type { ChatPreset } from './preset';
import type { ScreensOptions } from './screens';

const persona: ChatPreset = {
  kind: 'persona',
  id: 'copy-editor',
  name: 'Copy editor',
  description: 'Edits',
  starters: ['Edit this', 'Shorten that'],
  settings: { system: 'Edit.', model: null, temperature: 0.3, maxTokens: null },
  version: null,
};
const assistant: ChatPreset = { ...persona, kind: 'assistant', id: 'a1', name: 'Pirate', starters: [], version: 2 };

function setup(currentVersion: number | Error = 3) {
  const store = createMemoryStore();
  let target: ChatTarget = NEW_SAVED_CHAT;
  let screens: ScreensOptions | null = null;
  const changes: (string | null)[] = [];
  const onStarter = vi.fn();
  const notify = vi.fn();
  const enterNewChat = vi.fn(() => store.reset([]));
  const requestJson = vi.fn(async () => {
    if (currentVersion instanceof Error) throw currentVersion;
    return currentVersion;
  });
  const control = createPresetControl({
    client: { requestJson } as unknown as ApiClient,
    me: () => null,
    store,
    target: () => target,
    enterNewChat,
    onChange: (preset) => changes.push(preset?.id ?? null),
    onStarter,
    announce: vi.fn(),
    notify,
    focusComposer: vi.fn(),
    loadScreens: async () => ({
      createAssistantScreens(options: ScreensOptions) {
        screens = options;
        return { openPicker: vi.fn(), openGallery: vi.fn(), destroy: vi.fn() };
      },
    }),
  });
  document.body.append(control.line, control.startPanel);
  const choose = async (preset: ChatPreset) => {
    control.openPicker();
    await vi.waitFor(() => expect(screens).not.toBeNull());
    screens?.onStart(preset);
  };
  const lineText = () => (control.line.hidden ? '' : control.line.textContent);
  const button = (name: RegExp) => [...document.querySelectorAll<HTMLButtonElement>('button')].find((candidate) => !candidate.closest('[hidden]') && name.test(candidate.textContent ?? ''));
  return { control, store, changes, onStarter, notify, enterNewChat, requestJson, choose, lineText, button, setTarget: (next: ChatTarget) => (target = next) };
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('preset control', () => {
  it('a chosen persona names the chat, offers its starters, and is sent only until the conversation exists', async () => {
    const { control, choose, changes, lineText, button, onStarter, setTarget } = setup();
    expect(lineText()).toBe('');
    expect(control.startFrom()).toEqual({});
    await choose(persona);
    expect(changes).toEqual(['copy-editor']);
    expect(lineText()).toContain('Chatting with Copy editor');
    expect(control.startFrom()).toEqual({ persona_id: 'copy-editor' });
    button(/^Shorten that$/)?.click();
    expect(onStarter).toHaveBeenCalledWith('Shorten that');

    setTarget({ temporary: false, conversationId: 'c1' });
    expect(control.startFrom()).toEqual({});
    setTarget({ temporary: true, conversationId: null });
    expect(control.startFrom()).toEqual({ persona_id: 'copy-editor' });
  });

  it('goes back to a plain chat, but only before the chat has messages', async () => {
    const { control, choose, changes, lineText, button, store } = setup();
    await choose(persona);
    button(/^Plain chat$/)?.click();
    expect(changes).toEqual(['copy-editor', null]);
    expect(lineText()).toBe('');
    await choose(persona);
    store.add('user', { text: 'Hi' });
    expect(button(/^Plain chat$/)).toBeUndefined();
    expect(control.current()?.id).toBe('copy-editor');
  });

  it('starting from the gallery while a chat is on screen opens a new chat first', async () => {
    const { choose, store, enterNewChat } = setup();
    store.add('user', { text: 'Earlier' });
    await choose(persona);
    expect(enterNewChat).toHaveBeenCalledOnce();
  });

  it('drops an assistant the API no longer finds, and says so', async () => {
    const { choose, store, notify, changes, lineText } = setup();
    await choose(assistant);
    store.add('user', { text: 'Hi' });
    const answer = store.add('assistant', { status: 'streaming' });
    store.update(answer.id, { status: 'failed', error: clientProblem('not-found', 404, 'That assistant does not exist, or its owner has not shared it with you.') });
    expect(changes).toEqual(['a1', null]);
    expect(lineText()).toBe('');
    expect(notify).toHaveBeenCalledWith('“Pirate” is no longer available: it was deleted, or its owner stopped sharing it. This chat goes on without it.');
  });

  it('says which version a saved conversation started with once the assistant has moved on', async () => {
    const { control, lineText, requestJson } = setup(3);
    const conversation: ConversationSummary = {
      id: 'c1',
      title: 't',
      created: 0,
      updated: 0,
      pinned: false,
      archived: false,
      etag: '',
      assistant: { kind: 'assistant', id: 'a1', name: 'Pirate', version: 2 },
    };
    control.showConversation(conversation);
    expect(lineText()).toContain('Chatting with Pirate');
    await vi.waitFor(() => expect(lineText()).toContain('Started with version 2; the assistant has been edited since.'));
    expect(requestJson).toHaveBeenCalledWith('GET', '/assistants/a1', expect.any(Function));
    control.showConversation({ ...conversation, assistant: null });
    expect(lineText()).toBe('');
  });
});
