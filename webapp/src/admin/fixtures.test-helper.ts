/** Bodies as the admin routes send them (docs/http_protocol.md#admin), and a fake client. */
import type { ApiClient, RouteMethod } from '../api/client';
import { ApiError, clientProblem, toProblem } from '../api/problem';

const totals = (requests: number, prompt: number, completion: number, cost: number | null, unpriced = 0): Record<string, unknown> => ({
  requests,
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
  cost,
  unpriced_tokens: unpriced,
});

export const REPORT = {
  from: '2026-11-01',
  to: '2026-11-03',
  totals: totals(1840, 2_400_000, 610_000, 1.936, 12_000),
  by_user: [
    { user_id: 'd9a1c2', user_name: 'zoe@example.com', ...totals(310, 2_000_000, 500_000, 1.5) },
    { user_id: 'b0b0b0', user_name: 'bo@example.com', ...totals(1500, 388_000, 100_000, 0.436, 12_000) },
    { user_id: 'c4c4c4', user_name: '', ...totals(30, 12_000, 10_000, null, 22_000) },
  ],
  by_model: [
    { model: 'gpt-5.4-mini', ...totals(1700, 2_388_000, 600_000, 1.936) },
    { model: 'llama3.2', ...totals(140, 12_000, 10_000, null, 22_000) },
  ],
  by_day: [
    { day: '2026-11-01', ...totals(0, 0, 0, null) },
    { day: '2026-11-02', ...totals(1000, 1_400_000, 400_000, 1.2) },
    { day: '2026-11-03', ...totals(840, 1_000_000, 210_000, 0.736, 12_000) },
  ],
  top_users: [] as Record<string, unknown>[],
};
REPORT.top_users = REPORT.by_user.slice(0, 2);

export const LIMITS = {
  defaults: { requests_per_minute: 30, tokens_per_day: 200_000, tokens_per_month: null, global_tokens_per_minute: 900_000 },
  overrides: [
    {
      user_id: 'd9a1c2',
      requests_per_minute: null,
      tokens_per_day: 1_000_000,
      tokens_per_month: null,
      unlimited: false,
      effective: { requests_per_minute: 30, tokens_per_day: 1_000_000, tokens_per_month: null },
    },
    {
      user_id: 'e5e5e5',
      requests_per_minute: null,
      tokens_per_day: null,
      tokens_per_month: null,
      unlimited: true,
      effective: { requests_per_minute: null, tokens_per_day: null, tokens_per_month: null },
    },
  ],
};

export const AUDIT = {
  items: [
    {
      at: '2026-11-21T08:41:07.123456Z',
      actor_id: 'a1b2',
      actor_name: 'ada@example.com',
      action: 'limits.set',
      target: 'd9a1c2',
      detail: 'requests per minute default, tokens per day 1,000,000, tokens per month default (was: no override)',
    },
  ],
  next_before: null as string | null,
};

export function apiProblem(kind: string, status: number, extra: Record<string, unknown> = {}): ApiError {
  return new ApiError(toProblem({ type: `urn:chat-on-azure:problem:${kind}`, detail: `The API says ${kind}.`, ...extra }, status));
}

export interface Call {
  readonly method: RouteMethod;
  readonly path: string;
  readonly body: unknown;
}

type Route = (call: Call) => unknown;

/**
 * A client that answers each call with the route whose key the call starts with
 * (`'GET /admin/usage'`; the longest such key); a route may return a body or throw an ApiError. Every call is kept.
 */
export function fakeAdminClient(routes: Record<string, Route>): Pick<ApiClient, 'requestJson' | 'requestEmpty'> & { calls: Call[] } {
  const calls: Call[] = [];
  const answer = (method: RouteMethod, path: string, body: unknown): unknown => {
    const call = { method, path, body };
    calls.push(call);
    // The longest key that fits wins, whatever order the routes were spread in.
    const key = Object.keys(routes)
      .filter((candidate) => `${method} ${path}`.startsWith(candidate))
      .sort((a, b) => b.length - a.length)[0];
    if (key === undefined) throw new ApiError(clientProblem('not-found', 404));
    return routes[key]?.(call);
  };
  return {
    calls,
    async requestJson<T>(method: RouteMethod, path: string, parse: (body: unknown) => T | null, options: { body?: unknown } = {}): Promise<T> {
      const value = parse(answer(method, path, options.body));
      if (value === null) throw new ApiError(clientProblem('unexpected-response', 200));
      return value;
    },
    async requestEmpty(method: RouteMethod, path: string): Promise<void> {
      answer(method, path, undefined);
    },
  };
}

/** Let every settled promise's callbacks run. */
export async function settle(): Promise<void> {
  for (let round = 0; round < 5; round += 1) await new Promise((resolve) => setTimeout(resolve, 0));
}
