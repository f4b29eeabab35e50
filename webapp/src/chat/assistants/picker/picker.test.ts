import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Assistant, AssistantSummary } from '../../../api/assistants';
import { ApiError, clientProblem } from '../../../api/problem';
import type { ChatPreset } from '../preset';
import { createPicker, type PickerData } from './picker';

function summary(id: string, name: string): AssistantSummary {
  return { id, name, description: 'Shared helper', model: 'm', temperature: null, max_tokens: null, starters: ['Go'], visibility: 'organisation', featured: false, version: 2, owner_name: 'Ann', mine: false, updated: 0, etag: '' };
}

const data: PickerData = {
  catalog: {
    groups: [{ id: 'writing', name: 'Writing & editing' }],
    items: [
      { id: 'copy-editor', name: 'Copy editor', group: 'writing', description: 'Tightens your text', system: 'Edit.', temperature: 0.3, starters: ['Edit this'] },
      { id: 'translator', name: 'Translator', group: 'writing', description: 'Translates', system: 'Translate.', temperature: 0.2, starters: [] },
    ],
  },
  assistants: { featured: [], mine: [], organisation: [summary('x1', 'Helper'), summary('x2', 'Gone one')] },
  problems: [],
  assistantsAvailable: true,
};

function setup(get: (id: string) => Promise<Assistant> = async (id) => ({ ...summary(id, 'Helper'), system: 'Help.' })) {
  const chosen: ChatPreset[] = [];
  const afterChoose = vi.fn();
  const picker = createPicker({ load: async () => data, assistants: { get }, onChoose: (preset) => chosen.push(preset), afterChoose, onOpenGallery: vi.fn() });
  picker.open();
  const search = picker.element.querySelector<HTMLInputElement>('[role="combobox"]');
  if (search === null) throw new Error('no search box');
  const options = () => [...picker.element.querySelectorAll<HTMLElement>('[role="option"]')];
  const names = () => options().map((option) => option.querySelector('.picker__name')?.textContent);
  const key = (name: string) => search.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true }));
  const type = (text: string) => {
    search.value = text;
    search.dispatchEvent(new Event('input'));
  };
  const status = () => picker.element.querySelector('[role="status"]')?.textContent ?? '';
  return { picker, search, options, names, key, type, status, chosen, afterChoose };
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('picker', () => {
  it('lists everything grouped, and moves through it from the search box', async () => {
    const { picker, search, options, names, key } = setup();
    await vi.waitFor(() => expect(options()).toHaveLength(4));
    expect(picker.element.getAttribute('aria-labelledby')).not.toBeNull();
    expect([...picker.element.querySelectorAll('[role="group"]')].map((group) => document.getElementById(group.getAttribute('aria-labelledby') ?? '')?.textContent)).toEqual([
      'Writing & editing',
      'Shared in your organisation',
    ]);
    expect(names()).toEqual(['Copy editor', 'Translator', 'Helper', 'Gone one']);
    expect(search.getAttribute('aria-controls')).toBe(picker.element.querySelector('[role="listbox"]')?.id);
    key('ArrowDown');
    key('ArrowDown');
    expect(search.getAttribute('aria-activedescendant')).toBe(options()[1]?.id);
    expect(options()[1]?.getAttribute('aria-selected')).toBe('true');
    key('ArrowUp');
    key('ArrowUp');
    expect(search.getAttribute('aria-activedescendant')).toBe(options()[3]?.id);
  });

  it('filters as the user types, the first match active, and Enter starts with a persona', async () => {
    const { type, key, names, status, chosen, picker, afterChoose } = setup();
    await vi.waitFor(() => expect(names()).toHaveLength(4));
    type('transl');
    expect(names()).toEqual(['Translator']);
    expect(status()).toContain('1 match');
    key('Enter');
    expect(chosen.map((preset) => [preset.kind, preset.id, preset.settings.system])).toEqual([['persona', 'translator', 'Translate.']]);
    expect(picker.element.open || picker.element.hasAttribute('open')).toBe(false);
    await vi.waitFor(() => expect(afterChoose).toHaveBeenCalled());
    type('nothing like it');
    expect(status()).toBe('Nothing matches “nothing like it”.');
  });

  it('reads an assistant whole before starting with it, and drops one that is gone', async () => {
    const gone = new ApiError({ ...clientProblem('not-found', 404), detail: 'That assistant does not exist.' });
    const { options, names, status, chosen } = setup(async (id) => {
      if (id === 'x2') throw gone;
      return { ...summary(id, 'Helper'), system: 'Help.' };
    });
    await vi.waitFor(() => expect(names()).toHaveLength(4));
    options()[3]?.click();
    await vi.waitFor(() => expect(status()).toBe('“Gone one” is no longer available: it was deleted, or its owner stopped sharing it.'));
    expect(names()).toEqual(['Copy editor', 'Translator', 'Helper']);
    expect(chosen).toEqual([]);
    options()[2]?.click();
    await vi.waitFor(() => expect(chosen).toHaveLength(1));
    expect(chosen[0]).toMatchObject({ kind: 'assistant', id: 'x1', version: 2, settings: { system: 'Help.' } });
  });

  it('takes Enter typed before the list came once it is there', async () => {
    let release: (value: PickerData) => void = () => undefined;
    const chosen: ChatPreset[] = [];
    const picker = createPicker({
      load: () => new Promise((resolve) => (release = resolve)),
      assistants: { get: vi.fn() },
      onChoose: (preset) => chosen.push(preset),
      afterChoose: vi.fn(),
      onOpenGallery: vi.fn(),
    });
    picker.open();
    const search = picker.element.querySelector<HTMLInputElement>('[role="combobox"]');
    if (search === null) throw new Error('no search box');
    search.value = 'copy';
    search.dispatchEvent(new Event('input'));
    search.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    release(data);
    await vi.waitFor(() => expect(chosen.map((preset) => preset.id)).toEqual(['copy-editor']));
  });
});
