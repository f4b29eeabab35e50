import { describe, expect, it, vi } from 'vitest';
import { createApiClient } from './client';
import { getPersonas, parsePersonaCatalog } from './personas';

const persona = (id: string, group: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `Persona ${id}`,
  group,
  description: 'Does things',
  system: 'You do things.',
  temperature: 0.3,
  starters: ['One', 'Two'],
  ...extra,
});

describe('persona catalog', () => {
  it('keeps the groups in order and drops personas of no listed group', () => {
    const catalog = parsePersonaCatalog({
      groups: [{ id: 'writing', name: 'Writing' }, { id: 'data', name: 'Data' }, { id: 3 }],
      items: [persona('a', 'writing'), persona('b', 'nowhere'), persona('c', 'data', { temperature: 'hot', starters: ['x', 2] }), { id: 'd' }],
    });
    expect(catalog?.groups).toEqual([
      { id: 'writing', name: 'Writing' },
      { id: 'data', name: 'Data' },
    ]);
    expect(catalog?.items.map((item) => item.id)).toEqual(['a', 'c']);
    expect(catalog?.items[1]).toMatchObject({ temperature: null, starters: ['x'] });
    expect(parsePersonaCatalog({ groups: [] })).toBeNull();
  });

  it('lets the browser cache answer (the API marks the catalog cacheable)', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(async () =>
      new Response(JSON.stringify({ groups: [{ id: 'g', name: 'G' }], items: [persona('a', 'g')] }), { headers: { 'content-type': 'application/json' } }),
    );
    const catalog = await getPersonas(createApiClient({ fetch }));
    expect(catalog.items).toHaveLength(1);
    expect(fetch.mock.calls[0]?.[0]).toBe('/api/personas');
    expect(fetch.mock.calls[0]?.[1]?.cache).toBe('default');
  });
});
