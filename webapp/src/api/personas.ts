/**
 * `GET /api/personas` (docs/personas.md): the catalog's groups in display order and its
 * personas, each with a system prompt, a suggested temperature and starter prompts. The
 * API lets the browser cache it for a few minutes (it changes only with a deploy).
 */
import type { ApiClient, RequestOptions } from './client';

export interface PersonaGroup {
  readonly id: string;
  readonly name: string;
}

export interface Persona {
  readonly id: string;
  readonly name: string;
  /** The id of its group. */
  readonly group: string;
  readonly description: string;
  readonly system: string;
  readonly temperature: number | null;
  readonly starters: readonly string[];
}

export interface PersonaCatalog {
  readonly groups: readonly PersonaGroup[];
  readonly items: readonly Persona[];
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseGroup(value: unknown): PersonaGroup | null {
  return isRecord(value) && typeof value.id === 'string' && typeof value.name === 'string' ? { id: value.id, name: value.name } : null;
}

function parsePersona(value: unknown): Persona | null {
  if (!isRecord(value)) return null;
  const { id, name, group, description, system, temperature, starters } = value;
  if (typeof id !== 'string' || typeof name !== 'string' || typeof group !== 'string' || typeof system !== 'string') return null;
  return {
    id,
    name,
    group,
    description: typeof description === 'string' ? description : '',
    system,
    temperature: typeof temperature === 'number' && Number.isFinite(temperature) ? temperature : null,
    starters: Array.isArray(starters) ? starters.filter((starter): starter is string => typeof starter === 'string') : [],
  };
}

export function parsePersonaCatalog(body: unknown): PersonaCatalog | null {
  if (!isRecord(body) || !Array.isArray(body.groups) || !Array.isArray(body.items)) return null;
  const groups = body.groups.flatMap((group: unknown) => parseGroup(group) ?? []);
  const known = new Set(groups.map((group) => group.id));
  // A persona of no listed group would have no heading to go under.
  const items = body.items.flatMap((item: unknown) => {
    const persona = parsePersona(item);
    return persona !== null && known.has(persona.group) ? [persona] : [];
  });
  return { groups, items };
}

export function getPersonas(client: Pick<ApiClient, 'requestJson'>, options: RequestOptions = {}): Promise<PersonaCatalog> {
  return client.requestJson('GET', '/personas', parsePersonaCatalog, { ...options, cacheable: true });
}
