/**
 * The custom assistant routes (docs/http_protocol.md#assistants): typed bodies, validated
 * into the app's shapes, and thin wrappers over {@link ApiClient.requestJson}. A list item
 * lacks the system prompt; reading one assistant gives it.
 */
import type { ApiClient, RequestOptions } from './client';

export type Visibility = 'private' | 'organisation';

/** `mine`: the caller's own; `organisation`: every shared one; `featured`: the admins' picks. */
export type AssistantScope = 'mine' | 'organisation' | 'featured';

export interface AssistantSummary {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly model: string;
  readonly temperature: number | null;
  readonly max_tokens: number | null;
  readonly starters: readonly string[];
  readonly visibility: Visibility;
  readonly featured: boolean;
  /** 1 when created, one more with every edit. */
  readonly version: number;
  readonly owner_name: string;
  /** The caller owns it (may edit, share and delete it). */
  readonly mine: boolean;
  /** Epoch milliseconds of the last edit. */
  readonly updated: number;
  readonly etag: string;
}

export interface Assistant extends AssistantSummary {
  readonly system: string;
}

/** What the owner writes (the body of a create; a patch is any part of it). */
export interface AssistantContent {
  readonly name: string;
  readonly description: string;
  readonly system: string;
  /** Null: the deployment's default model. */
  readonly model: string | null;
  readonly temperature: number | null;
  readonly max_tokens: number | null;
  readonly starters: readonly string[];
  readonly visibility: Visibility;
}

export type AssistantPatch = Partial<AssistantContent>;

/** The API's limits (assistants/schemas.py); the system prompt's is `/api/me`'s max_message_chars. */
export const ASSISTANT_LIMITS = { name: 80, description: 300, starters: 4, starter: 300 } as const;

export interface AssistantsApi {
  list(scope: AssistantScope, options?: RequestOptions): Promise<AssistantSummary[]>;
  get(id: string, options?: RequestOptions): Promise<Assistant>;
  create(content: AssistantContent): Promise<Assistant>;
  /** Only the fields given change (the API merges them into what is stored). */
  update(id: string, patch: AssistantPatch): Promise<Assistant>;
  remove(id: string): Promise<void>;
  setFeatured(id: string, featured: boolean): Promise<Assistant>;
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function parseAssistantSummary(value: unknown): AssistantSummary | null {
  if (!isRecord(value) || typeof value.id !== 'string' || value.id === '' || typeof value.name !== 'string') return null;
  const updated = typeof value.updated === 'string' ? Date.parse(value.updated) : Number.NaN;
  return {
    id: value.id,
    name: value.name,
    description: typeof value.description === 'string' ? value.description : '',
    model: typeof value.model === 'string' ? value.model : '',
    temperature: numberOrNull(value.temperature),
    max_tokens: numberOrNull(value.max_tokens),
    starters: Array.isArray(value.starters)
      ? value.starters.filter((starter): starter is string => typeof starter === 'string' && starter.trim() !== '')
      : [],
    visibility: value.visibility === 'organisation' ? 'organisation' : 'private',
    featured: value.featured === true,
    version: typeof value.version === 'number' && Number.isInteger(value.version) ? value.version : 1,
    owner_name: typeof value.owner_name === 'string' ? value.owner_name : '',
    mine: value.mine === true,
    updated: Number.isNaN(updated) ? 0 : updated,
    etag: typeof value.etag === 'string' ? value.etag : '',
  };
}

export function parseAssistant(value: unknown): Assistant | null {
  const summary = parseAssistantSummary(value);
  if (summary === null || !isRecord(value) || typeof value.system !== 'string') return null;
  return { ...summary, system: value.system };
}

export function parseAssistantList(body: unknown): AssistantSummary[] | null {
  if (!isRecord(body) || !Array.isArray(body.items)) return null;
  return body.items.flatMap((item: unknown) => parseAssistantSummary(item) ?? []);
}

export function createAssistantsApi(client: Pick<ApiClient, 'requestJson' | 'requestEmpty'>): AssistantsApi {
  const path = (id: string): string => `/assistants/${encodeURIComponent(id)}`;
  return {
    list: (scope, options = {}) => client.requestJson('GET', `/assistants?scope=${scope}`, parseAssistantList, options),
    get: (id, options = {}) => client.requestJson('GET', path(id), parseAssistant, options),
    create: (content) => client.requestJson('POST', '/assistants', parseAssistant, { body: content }),
    update: (id, patch) => client.requestJson('PATCH', path(id), parseAssistant, { body: patch }),
    remove: (id) => client.requestEmpty('DELETE', path(id)),
    setFeatured: (id, featured) => client.requestJson('PUT', `${path(id)}/featured`, parseAssistant, { body: { featured } }),
  };
}
