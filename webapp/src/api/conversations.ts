/**
 * The history routes' bodies (docs/http_protocol.md, `/api/conversations…`), validated into
 * the app's own shapes. Anything malformed is dropped (a list item) or refused (a whole
 * body: the caller reports `unexpected-response`); unknown fields are ignored.
 */
import type { ChatRole, Usage } from './types';

/** A conversation as the list shows it (`ConversationOut` without system prompt and settings). */
export interface ConversationSummary {
  readonly id: string;
  readonly title: string;
  /** Epoch milliseconds. */
  readonly created: number;
  /** Epoch milliseconds: the last message (renaming and pinning do not change it). */
  readonly updated: number;
  readonly pinned: boolean;
  readonly archived: boolean;
  /** Opaque version for `If-Match`; changes on every write, messages included. */
  readonly etag: string;
  /** The conversation's own system prompt and model settings (absent: none). */
  readonly system?: string | null;
  readonly settings?: ModelSettings;
  /** The persona or custom assistant the conversation started with; null: a plain chat. */
  readonly assistant?: StartedWith | null;
}

/** Which persona or assistant a conversation started from, as it was then. */
export interface StartedWith {
  readonly kind: 'persona' | 'assistant';
  readonly id: string;
  readonly name: string;
  /** Assistants: the version the conversation copied (later edits do not reach it). */
  readonly version: number | null;
}

/** Per-conversation model settings; null leaves the deployment's default. */
export interface ModelSettings {
  readonly model: string | null;
  readonly temperature: number | null;
  readonly max_tokens: number | null;
}

/** How a stored answer ended. */
export type StoredStatus = 'complete' | 'stopped' | 'failed' | 'interrupted';

export interface StoredMessage {
  readonly id: string;
  readonly role: ChatRole;
  readonly content: string;
  readonly created: number;
  readonly status: StoredStatus;
  readonly model: string | null;
  readonly usage: Usage | null;
}

export interface ConversationPage {
  readonly items: readonly ConversationSummary[];
  /** Pass back for the next page; null on the last one. */
  readonly continuation: string | null;
}

export interface ConversationWithMessages {
  readonly conversation: ConversationSummary;
  readonly messages: readonly StoredMessage[];
}

export interface SearchHit {
  readonly conversation: ConversationSummary;
  /** Plain text around the first match (shown as text, never as HTML). */
  readonly snippet: string;
  readonly messageId: string | null;
}

/** Body of `PATCH /api/conversations/{id}` (what this app changes). */
export interface ConversationPatch {
  readonly title?: string;
  readonly pinned?: boolean;
  readonly archived?: boolean;
  /** An empty string removes the system prompt. */
  readonly system?: string;
  /** Replaces all three settings (null: the default). */
  readonly settings?: ModelSettings;
}

/** `json` imports back; `markdown` and `text` (plain, no markup) are to read. */
export type ExportFormat = 'json' | 'markdown' | 'text';

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function time(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

export function parseSummary(value: unknown): ConversationSummary | null {
  if (!isRecord(value) || typeof value.id !== 'string' || value.id === '') return null;
  const updated = time(value.updated);
  const created = time(value.created) ?? updated;
  if (updated === null || created === null) return null;
  return {
    id: value.id,
    title: typeof value.title === 'string' && value.title.trim() !== '' ? value.title : 'New chat',
    created,
    updated,
    pinned: value.pinned === true,
    archived: value.archived === true,
    etag: typeof value.etag === 'string' ? value.etag : '',
    system: typeof value.system === 'string' ? value.system : null,
    settings: parseSettings(value.settings),
    assistant: parseStartedWith(value.assistant),
  };
}

function parseStartedWith(value: unknown): StartedWith | null {
  if (!isRecord(value) || (value.kind !== 'persona' && value.kind !== 'assistant')) return null;
  if (typeof value.id !== 'string' || typeof value.name !== 'string' || value.name.trim() === '') return null;
  const version = typeof value.version === 'number' && Number.isInteger(value.version) ? value.version : null;
  return { kind: value.kind, id: value.id, name: value.name, version };
}

function parseSettings(value: unknown): ModelSettings {
  const settings = isRecord(value) ? value : {};
  const number = (field: unknown): number | null => (typeof field === 'number' && Number.isFinite(field) ? field : null);
  return {
    model: typeof settings.model === 'string' && settings.model !== '' ? settings.model : null,
    temperature: number(settings.temperature),
    max_tokens: number(settings.max_tokens),
  };
}

const STATUSES: readonly StoredStatus[] = ['complete', 'stopped', 'failed', 'interrupted'];

function parseUsage(value: unknown): Usage | null {
  if (!isRecord(value)) return null;
  const { prompt_tokens: prompt, completion_tokens: completion, total_tokens: total } = value;
  return typeof prompt === 'number' && typeof completion === 'number' && typeof total === 'number'
    ? { prompt_tokens: prompt, completion_tokens: completion, total_tokens: total }
    : null;
}

export function parseStoredMessage(value: unknown): StoredMessage | null {
  if (!isRecord(value) || typeof value.id !== 'string' || typeof value.content !== 'string') return null;
  if (value.role !== 'user' && value.role !== 'assistant') return null;
  const status = STATUSES.find((candidate) => candidate === value.status) ?? 'complete';
  return {
    id: value.id,
    role: value.role,
    content: value.content,
    created: time(value.created) ?? 0,
    status,
    model: typeof value.model === 'string' ? value.model : null,
    usage: parseUsage(value.usage),
  };
}

function list<T>(value: unknown, parse: (item: unknown) => T | null): T[] {
  return Array.isArray(value) ? value.flatMap((item: unknown) => parse(item) ?? []) : [];
}

export function parsePage(body: unknown): ConversationPage | null {
  if (!isRecord(body) || !Array.isArray(body.items)) return null;
  return {
    items: list(body.items, parseSummary),
    continuation: typeof body.continuation === 'string' && body.continuation !== '' ? body.continuation : null,
  };
}

export function parseConversation(body: unknown): ConversationWithMessages | null {
  if (!isRecord(body)) return null;
  const conversation = parseSummary(body.conversation);
  if (conversation === null || !Array.isArray(body.messages)) return null;
  return { conversation, messages: list(body.messages, parseStoredMessage) };
}

export function parseSearch(body: unknown): SearchHit[] | null {
  if (!isRecord(body) || !Array.isArray(body.items)) return null;
  return list(body.items, (item) => {
    if (!isRecord(item)) return null;
    const conversation = parseSummary(item.conversation);
    if (conversation === null) return null;
    return {
      conversation,
      snippet: typeof item.snippet === 'string' ? item.snippet : '',
      messageId: typeof item.message_id === 'string' ? item.message_id : null,
    };
  });
}

/**
 * The file name of a `Content-Disposition: attachment; filename="…"` header (the API sends
 * ASCII names), or the fallback.
 */
export function attachmentName(header: string | null, fallback: string): string {
  const match = header === null ? null : /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header);
  const raw = match?.[1];
  if (raw === undefined) return fallback;
  let name: string;
  try {
    name = decodeURIComponent(raw);
  } catch {
    name = raw;
  }
  // Never a path: the browser sanitises too, but keep it plain.
  const plain = name.replace(/[/\\\0-\x1f]/g, '-').trim();
  return plain === '' ? fallback : plain;
}
