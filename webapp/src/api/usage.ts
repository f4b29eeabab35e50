/**
 * `GET /api/usage/me` (docs/http_protocol.md, "Usage limits and your own usage"): what the
 * caller used today and this month, when each window resets, and the limits that apply to
 * them (null: no limit of that kind). Also the small readers the admin routes share.
 */
import type { ApiClient, RequestOptions } from './client';

export interface UsageCounts {
  readonly requests: number;
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens: number;
}

/** A UTC window (today, this month) and when the next one starts. */
export interface UsageWindow extends UsageCounts {
  /** ISO 8601, UTC. */
  readonly resets_at: string;
}

/** The per-user limits in force; null: no limit of that kind. */
export interface UserLimits {
  readonly requests_per_minute: number | null;
  readonly tokens_per_day: number | null;
  readonly tokens_per_month: number | null;
}

export interface MyUsage {
  readonly today: UsageWindow;
  readonly month: UsageWindow;
  readonly limits: UserLimits;
}

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A whole number of zero or more, or null. */
export function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

/** A limit: a positive whole number, `null` for none, `undefined` when it is neither. */
export function limit(value: unknown): number | null | undefined {
  if (value === null) return null;
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

export function parseCounts(value: unknown): UsageCounts | null {
  if (!isRecord(value)) return null;
  const requests = count(value.requests);
  const prompt = count(value.prompt_tokens);
  const completion = count(value.completion_tokens);
  const total = count(value.total_tokens);
  if (requests === null || prompt === null || completion === null || total === null) return null;
  return { requests, prompt_tokens: prompt, completion_tokens: completion, total_tokens: total };
}

export function parseUserLimits(value: unknown): UserLimits | null {
  if (!isRecord(value)) return null;
  const perMinute = limit(value.requests_per_minute);
  const perDay = limit(value.tokens_per_day);
  const perMonth = limit(value.tokens_per_month);
  if (perMinute === undefined || perDay === undefined || perMonth === undefined) return null;
  return { requests_per_minute: perMinute, tokens_per_day: perDay, tokens_per_month: perMonth };
}

function parseWindow(value: unknown): UsageWindow | null {
  const counts = parseCounts(value);
  if (counts === null || !isRecord(value) || typeof value.resets_at !== 'string') return null;
  if (Number.isNaN(Date.parse(value.resets_at))) return null;
  return { ...counts, resets_at: value.resets_at };
}

export function parseMyUsage(body: unknown): MyUsage | null {
  if (!isRecord(body)) return null;
  const today = parseWindow(body.today);
  const month = parseWindow(body.month);
  const limits = parseUserLimits(body.limits);
  return today !== null && month !== null && limits !== null ? { today, month, limits } : null;
}

export function getMyUsage(client: Pick<ApiClient, 'requestJson'>, options: RequestOptions = {}): Promise<MyUsage> {
  return client.requestJson('GET', '/usage/me', parseMyUsage, options);
}
