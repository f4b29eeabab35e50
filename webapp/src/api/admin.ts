/**
 * The admin routes (docs/http_protocol.md#admin): the usage report and its CSV, the limits
 * and per-user overrides, the audit log. The API checks the `admin` role on every one
 * (`403 admin-only` otherwise); these wrappers only call and validate.
 */
import type { ApiClient, RequestOptions } from './client';
import { count, isRecord, limit, parseCounts, parseUserLimits, type UsageCounts, type UserLimits } from './usage';

/** Inclusive UTC days, `YYYY-MM-DD`. */
export interface DateRange {
  readonly from: string;
  readonly to: string;
}

export interface UsageTotals extends UsageCounts {
  /** Estimated from the prices in settings, in their currency; null: none of its models has a price. */
  readonly cost: number | null;
  /** Tokens of models without a price (not in `cost`). */
  readonly unpriced_tokens: number;
}

export interface UserUsage extends UsageTotals {
  readonly user_id: string;
  /** The name the user last had when a call was recorded. */
  readonly user_name: string;
}

export interface ModelUsage extends UsageTotals {
  readonly model: string;
}

export interface DayUsage extends UsageTotals {
  readonly day: string;
}

export interface UsageReport extends DateRange {
  readonly totals: UsageTotals;
  /** Most tokens first. */
  readonly by_user: readonly UserUsage[];
  readonly by_model: readonly ModelUsage[];
  /** Every day of the range, oldest first, days without use included. */
  readonly by_day: readonly DayUsage[];
  readonly top_users: readonly UserUsage[];
}

export interface DefaultLimits extends UserLimits {
  /** Shared by everyone; no override changes it. */
  readonly global_tokens_per_minute: number | null;
}

export interface LimitOverride extends UserLimits {
  readonly user_id: string;
  readonly unlimited: boolean;
  /** The defaults with this override over them. */
  readonly effective: UserLimits;
}

export interface LimitsList {
  readonly defaults: DefaultLimits;
  readonly overrides: readonly LimitOverride[];
}

/** Body of `PUT /api/admin/limits/{user_id}`: a limit left out keeps the default. */
export interface OverrideInput {
  readonly requests_per_minute?: number;
  readonly tokens_per_day?: number;
  readonly tokens_per_month?: number;
  readonly unlimited?: true;
}

export interface AuditEntry {
  /** ISO 8601, UTC. */
  readonly at: string;
  readonly actor_id: string;
  readonly actor_name: string;
  /** `limits.set`, `limits.clear`, `assistant.feature`, … (a later API may add more). */
  readonly action: string;
  readonly target: string;
  readonly detail: string;
}

export interface AuditPage {
  /** Newest first. */
  readonly items: readonly AuditEntry[];
  /** Pass as `before` for the next page; null on the last one. */
  readonly next_before: string | null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function parseTotals(value: unknown): UsageTotals | null {
  const counts = parseCounts(value);
  if (counts === null || !isRecord(value)) return null;
  const unpriced = count(value.unpriced_tokens);
  const cost = value.cost === null ? null : typeof value.cost === 'number' && Number.isFinite(value.cost) ? value.cost : undefined;
  if (unpriced === null || cost === undefined) return null;
  return { ...counts, cost, unpriced_tokens: unpriced };
}

function parseUserUsage(value: unknown): UserUsage | null {
  const totals = parseTotals(value);
  if (totals === null || !isRecord(value) || typeof value.user_id !== 'string') return null;
  return { ...totals, user_id: value.user_id, user_name: typeof value.user_name === 'string' ? value.user_name : '' };
}

function parseModelUsage(value: unknown): ModelUsage | null {
  const totals = parseTotals(value);
  return totals !== null && isRecord(value) && typeof value.model === 'string' ? { ...totals, model: value.model } : null;
}

function parseDayUsage(value: unknown): DayUsage | null {
  const totals = parseTotals(value);
  return totals !== null && isRecord(value) && typeof value.day === 'string' && DAY.test(value.day) ? { ...totals, day: value.day } : null;
}

/** Every item `parse` accepts; null when `value` is not a list at all. */
function listOf<T>(value: unknown, parse: (item: unknown) => T | null): T[] | null {
  return Array.isArray(value) ? value.flatMap((item: unknown) => parse(item) ?? []) : null;
}

export function parseUsageReport(body: unknown): UsageReport | null {
  if (!isRecord(body) || typeof body.from !== 'string' || typeof body.to !== 'string') return null;
  const totals = parseTotals(body.totals);
  const byUser = listOf(body.by_user, parseUserUsage);
  const byModel = listOf(body.by_model, parseModelUsage);
  const byDay = listOf(body.by_day, parseDayUsage);
  const top = listOf(body.top_users, parseUserUsage);
  if (totals === null || byUser === null || byModel === null || byDay === null || top === null) return null;
  return { from: body.from, to: body.to, totals, by_user: byUser, by_model: byModel, by_day: byDay, top_users: top };
}

function parseOverride(value: unknown): LimitOverride | null {
  const limits = parseUserLimits(value);
  if (limits === null || !isRecord(value) || typeof value.user_id !== 'string') return null;
  const effective = parseUserLimits(value.effective);
  if (effective === null) return null;
  return { ...limits, user_id: value.user_id, unlimited: value.unlimited === true, effective };
}

export function parseLimitsList(body: unknown): LimitsList | null {
  if (!isRecord(body)) return null;
  const defaults = parseUserLimits(body.defaults);
  const global = isRecord(body.defaults) ? limit(body.defaults.global_tokens_per_minute) : undefined;
  const overrides = listOf(body.overrides, parseOverride);
  if (defaults === null || global === undefined || overrides === null) return null;
  return { defaults: { ...defaults, global_tokens_per_minute: global }, overrides };
}

function parseAuditEntry(value: unknown): AuditEntry | null {
  if (!isRecord(value)) return null;
  const { at, actor_id: actorId, actor_name: actorName, action, target, detail } = value;
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at)) || typeof action !== 'string') return null;
  return {
    at,
    actor_id: typeof actorId === 'string' ? actorId : '',
    actor_name: typeof actorName === 'string' ? actorName : '',
    action,
    target: typeof target === 'string' ? target : '',
    detail: typeof detail === 'string' ? detail : '',
  };
}

export function parseAuditPage(body: unknown): AuditPage | null {
  if (!isRecord(body)) return null;
  const items = listOf(body.items, parseAuditEntry);
  if (items === null) return null;
  return { items, next_before: typeof body.next_before === 'string' ? body.next_before : null };
}

type Routes = Pick<ApiClient, 'requestJson' | 'requestEmpty'>;

const rangeQuery = (range: DateRange): string => new URLSearchParams({ from: range.from, to: range.to }).toString();
const limitsPath = (userId: string): string => `/admin/limits/${encodeURIComponent(userId)}`;

export function getUsageReport(client: Pick<Routes, 'requestJson'>, range: DateRange, options: RequestOptions = {}): Promise<UsageReport> {
  return client.requestJson('GET', `/admin/usage?${rangeQuery(range)}`, parseUsageReport, options);
}

/** Where the browser downloads the CSV of `range` itself (a link: the API names the file). */
export function usageCsvUrl(range: DateRange): string {
  return `/api/admin/usage.csv?${rangeQuery(range)}`;
}

export function getLimits(client: Pick<Routes, 'requestJson'>, options: RequestOptions = {}): Promise<LimitsList> {
  return client.requestJson('GET', '/admin/limits', parseLimitsList, options);
}

export function setOverride(client: Pick<Routes, 'requestJson'>, userId: string, input: OverrideInput): Promise<LimitOverride> {
  return client.requestJson('PUT', limitsPath(userId), parseOverride, { body: input });
}

export function clearOverride(client: Pick<Routes, 'requestEmpty'>, userId: string): Promise<void> {
  return client.requestEmpty('DELETE', limitsPath(userId));
}

export interface AuditQuery extends RequestOptions {
  readonly limit?: number;
  readonly before?: string | null;
}

export function getAudit(client: Pick<Routes, 'requestJson'>, query: AuditQuery = {}): Promise<AuditPage> {
  const params = new URLSearchParams();
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  if (query.before) params.set('before', query.before);
  const suffix = params.toString();
  return client.requestJson('GET', `/admin/audit${suffix === '' ? '' : `?${suffix}`}`, parseAuditPage, query.signal ? { signal: query.signal } : {});
}
