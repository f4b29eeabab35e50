import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Assistant, AssistantScope, AssistantsApi, AssistantSummary } from '../../../api/assistants';
import type { ChatPreset } from '../preset';
import { menuActions } from './assistant-card';
import { createGallery } from './gallery';

function summary(id: string, extra: Partial<AssistantSummary> = {}): AssistantSummary {
  return { id, name: `Assistant ${id}`, description: 'Helps', model: 'm', temperature: null, max_tokens: null, starters: [], visibility: 'private', featured: false, version: 1, owner_name: 'Ann', mine: true, updated: 0, etag: '', ...extra };
}

function fakeAssistants(lists: Record<AssistantScope, AssistantSummary[]>) {
  const calls: string[] = [];
  const api: AssistantsApi = {
    list: vi.fn(async (scope: AssistantScope) => {
      calls.push(`list ${scope}`);
      return lists[scope];
    }),
    get: vi.fn(async (id: string): Promise<Assistant> => ({ ...summary(id), system: 'System.' })),
    create: vi.fn(),
    update: vi.fn(async (id: string, patch) => {
      calls.push(`update ${id} ${JSON.stringify(patch)}`);
      return { ...summary(id), system: '' };
    }),
    remove: vi.fn(async (id: string) => {
      calls.push(`remove ${id}`);
    }),
    setFeatured: vi.fn(async (id: string, featured: boolean) => {
      calls.push(`feature ${id} ${featured}`);
      return { ...summary(id), system: '' };
    }),
  };
  return { api, calls };
}

afterEach(() => {
  document.body.replaceChildren();
});

function setup(lists: Record<AssistantScope, AssistantSummary[]>, admin = false) {
  const { api, calls } = fakeAssistants(lists);
  const started: ChatPreset[] = [];
  const openForm = vi.fn();
  const gallery = createGallery({ assistants: api, isAdmin: () => admin, onStart: (preset) => started.push(preset), afterStart: vi.fn(), openForm });
  gallery.open();
  const tabs = () => [...gallery.element.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
  const panel = () => gallery.element.querySelector<HTMLElement>('[role="tabpanel"]:not([hidden])');
  const cards = () => [...(panel()?.querySelectorAll('h3') ?? [])].map((heading) => heading.textContent);
  const button = (name: string) => [...gallery.element.querySelectorAll<HTMLButtonElement>('button')].find((candidate) => candidate.getAttribute('aria-label') === name || candidate.textContent === name);
  return { gallery, calls, started, openForm, tabs, panel, cards, button };
}

describe('assistant gallery', () => {
  it('has Featured, Mine and Organisation as tabs, moved through with the arrow keys', async () => {
    const { tabs, panel, cards, calls } = setup({ featured: [summary('f', { featured: true, visibility: 'organisation' })], mine: [summary('m')], organisation: [] });
    expect(tabs().map((tab) => [tab.textContent, tab.getAttribute('aria-selected'), tab.tabIndex])).toEqual([
      ['Featured', 'true', 0],
      ['Mine', 'false', -1],
      ['Organisation', 'false', -1],
    ]);
    expect(panel()?.getAttribute('aria-labelledby')).toBe(tabs()[0]?.id);
    await vi.waitFor(() => expect(cards()).toEqual(['Assistant f']));
    tabs()[0]?.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    expect(document.activeElement).toBe(tabs()[1]);
    expect(tabs()[1]?.getAttribute('aria-selected')).toBe('true');
    await vi.waitFor(() => expect(cards()).toEqual(['Assistant m']));
    tabs()[1]?.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));
    await vi.waitFor(() => expect(panel()?.textContent).toContain('Nobody has shared an assistant'));
    expect(calls).toEqual(['list featured', 'list mine', 'list organisation']);
  });

  it('offers sharing and deleting to the owner, featuring to admins, nothing more to others', () => {
    expect(menuActions(summary('a'), false)).toEqual(['share', 'delete']);
    expect(menuActions(summary('a', { visibility: 'organisation' }), true)).toEqual(['unshare', 'feature', 'delete']);
    expect(menuActions(summary('a', { visibility: 'organisation', mine: false, featured: true }), true)).toEqual(['unfeature', 'delete']);
    expect(menuActions(summary('a', { visibility: 'organisation', mine: false }), false)).toEqual([]);
  });

  it('starts a chat with the whole assistant, and edits only your own', async () => {
    const { cards, button, started, openForm, tabs } = setup({ featured: [], mine: [], organisation: [summary('o', { mine: false, visibility: 'organisation' })] });
    tabs()[2]?.click();
    await vi.waitFor(() => expect(cards()).toEqual(['Assistant o']));
    expect(button('Edit Assistant o')).toBeUndefined();
    expect(button('More actions for Assistant o')).toBeUndefined();
    button('Start chat with Assistant o')?.click();
    await vi.waitFor(() => expect(started).toHaveLength(1));
    expect(started[0]).toMatchObject({ kind: 'assistant', id: 'o', settings: { system: 'System.' } });
    expect(openForm).not.toHaveBeenCalled();
  });

  it('shares from the menu, says so, and loads the list again', async () => {
    const { cards, button, calls, tabs, gallery } = setup({ featured: [], mine: [summary('m')], organisation: [] });
    tabs()[1]?.click();
    await vi.waitFor(() => expect(cards()).toEqual(['Assistant m']));
    button('More actions for Assistant m')?.click();
    [...document.querySelectorAll<HTMLButtonElement>('[role="menuitem"]')].find((item) => item.textContent === 'Share with the organisation')?.click();
    await vi.waitFor(() => expect(calls).toContain('update m {"visibility":"organisation"}'));
    await vi.waitFor(() => expect(gallery.element.querySelector('.gallery__status')?.textContent).toBe('“Assistant m” is shared with the organisation.'));
    expect(calls.filter((call) => call === 'list mine')).toHaveLength(2);
  });
});
