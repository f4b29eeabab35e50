/**
 * What the "Start with…" picker lists, in order: featured assistants, the catalog's
 * personas under their groups, the user's own assistants, then the organisation's. An
 * assistant shows once, in the first group it belongs to. Typing filters by name,
 * description and group: every word typed must appear, accents and case aside.
 */
import type { AssistantSummary } from '../../../api/assistants';
import type { PersonaCatalog } from '../../../api/personas';
import type { PresetKind } from '../preset';

export interface PickerEntry {
  /** Unique in the picker (an option's id is made from it). */
  readonly key: string;
  readonly kind: PresetKind;
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** Who made it, for others' assistants; empty otherwise. */
  readonly detail: string;
  /** Normalised text the filter looks in. */
  readonly haystack: string;
}

export interface PickerGroup {
  readonly key: string;
  readonly label: string;
  readonly entries: readonly PickerEntry[];
}

export interface AssistantLists {
  readonly featured: readonly AssistantSummary[];
  readonly mine: readonly AssistantSummary[];
  readonly organisation: readonly AssistantSummary[];
}

export const NO_ASSISTANTS: AssistantLists = { featured: [], mine: [], organisation: [] };

/** Lower case without accents, so "resume" finds "Résumé". */
export function normalise(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

function assistantEntry(assistant: AssistantSummary, group: string): PickerEntry {
  const detail = assistant.mine ? '' : assistant.owner_name === '' ? '' : `By ${assistant.owner_name}`;
  return {
    key: `assistant:${assistant.id}`,
    kind: 'assistant',
    id: assistant.id,
    name: assistant.name,
    description: assistant.description,
    detail,
    haystack: normalise(`${assistant.name} ${assistant.description} ${group} ${assistant.owner_name}`),
  };
}

export function buildGroups(catalog: PersonaCatalog | null, lists: AssistantLists): PickerGroup[] {
  const seen = new Set<string>();
  const assistantGroup = (key: string, label: string, items: readonly AssistantSummary[]): PickerGroup => ({
    key,
    label,
    entries: items.flatMap((assistant) => {
      if (seen.has(assistant.id)) return [];
      seen.add(assistant.id);
      return [assistantEntry(assistant, label)];
    }),
  });
  const groups: PickerGroup[] = [assistantGroup('featured', 'Featured', lists.featured)];
  for (const group of catalog?.groups ?? []) {
    groups.push({
      key: `group:${group.id}`,
      label: group.name,
      entries: (catalog?.items ?? [])
        .filter((persona) => persona.group === group.id)
        .map((persona) => ({
          key: `persona:${persona.id}`,
          kind: 'persona' as const,
          id: persona.id,
          name: persona.name,
          description: persona.description,
          detail: '',
          haystack: normalise(`${persona.name} ${persona.description} ${group.name}`),
        })),
    });
  }
  groups.push(assistantGroup('mine', 'Your assistants', lists.mine));
  groups.push(assistantGroup('organisation', 'Shared in your organisation', lists.organisation));
  return groups.filter((group) => group.entries.length > 0);
}

export function filterGroups(groups: readonly PickerGroup[], query: string): PickerGroup[] {
  const words = normalise(query).split(/\s+/).filter((word) => word !== '');
  if (words.length === 0) return [...groups];
  return groups.flatMap((group) => {
    const entries = group.entries.filter((entry) => words.every((word) => entry.haystack.includes(word)));
    return entries.length === 0 ? [] : [{ ...group, entries }];
  });
}

/** Without the one entry (an assistant that turned out to be gone). */
export function withoutEntry(groups: readonly PickerGroup[], key: string): PickerGroup[] {
  return groups
    .map((group) => ({ ...group, entries: group.entries.filter((entry) => entry.key !== key) }))
    .filter((group) => group.entries.length > 0);
}
