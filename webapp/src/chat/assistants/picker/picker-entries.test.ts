import { describe, expect, it } from 'vitest';
import type { AssistantSummary } from '../../../api/assistants';
import type { PersonaCatalog } from '../../../api/personas';
import { buildGroups, filterGroups, normalise, withoutEntry } from './picker-entries';

function assistant(id: string, extra: Partial<AssistantSummary> = {}): AssistantSummary {
  return {
    id,
    name: `Assistant ${id}`,
    description: '',
    model: 'm',
    temperature: null,
    max_tokens: null,
    starters: [],
    visibility: 'organisation',
    featured: false,
    version: 1,
    owner_name: 'Ann',
    mine: false,
    updated: 0,
    etag: '',
    ...extra,
  };
}

const catalog: PersonaCatalog = {
  groups: [
    { id: 'writing', name: 'Writing & editing' },
    { id: 'data', name: 'Data & analysis' },
    { id: 'empty', name: 'Nothing here' },
  ],
  items: [
    { id: 'copy-editor', name: 'Copy editor', group: 'writing', description: 'Tightens your text', system: '', temperature: 0.3, starters: [] },
    { id: 'sql', name: 'SQL helper', group: 'data', description: 'Writes queries', system: '', temperature: 0.2, starters: [] },
    { id: 'cv', name: 'Résumé reviewer', group: 'writing', description: 'Improves a CV', system: '', temperature: 0.4, starters: [] },
  ],
};

describe('picker entries', () => {
  it('lists featured, then the persona groups, then mine, then the organisation’s, each assistant once', () => {
    const groups = buildGroups(catalog, {
      featured: [assistant('f', { featured: true })],
      mine: [assistant('m', { mine: true }), assistant('f', { mine: true })],
      organisation: [assistant('f'), assistant('m'), assistant('o')],
    });
    expect(groups.map((group) => [group.label, group.entries.map((entry) => entry.id)])).toEqual([
      ['Featured', ['f']],
      ['Writing & editing', ['copy-editor', 'cv']],
      ['Data & analysis', ['sql']],
      ['Your assistants', ['m']],
      ['Shared in your organisation', ['o']],
    ]);
    expect(groups[0]?.entries[0]?.detail).toBe('By Ann');
    expect(groups[3]?.entries[0]?.detail).toBe('');
  });

  it('filters by every word typed, in name, description or group, accents and case aside', () => {
    const groups = buildGroups(catalog, { featured: [], mine: [], organisation: [assistant('o', { name: 'Query buddy' })] });
    const ids = (query: string) => filterGroups(groups, query).flatMap((group) => group.entries.map((entry) => entry.id));
    expect(ids('')).toEqual(['copy-editor', 'cv', 'sql', 'o']);
    expect(ids('resume')).toEqual(['cv']);
    expect(ids('QUER')).toEqual(['sql', 'o']);
    expect(ids('writing text')).toEqual(['copy-editor']);
    expect(ids('nothing matches this')).toEqual([]);
    expect(normalise('Éé Ü')).toBe('ee u');
  });

  it('drops an entry that turned out to be gone, and its group when it was the last', () => {
    const groups = buildGroups(null, { featured: [], mine: [], organisation: [assistant('o')] });
    expect(withoutEntry(groups, 'assistant:o')).toEqual([]);
  });
});
