/**
 * Problem details (RFC 9457) as the app sees them: parsing a problem+json body into a
 * {@link Problem} whose `detail` is always a plain sentence for the user, and the
 * {@link ApiError} the client throws.
 */
import type { FieldError, Problem, ProblemKind } from './types';
import { problemType } from './types';

/** What the user reads when the API gave no usable `detail`. Plain sentences only. */
const FALLBACK_DETAIL: Readonly<Record<ProblemKind, string>> = {
  unauthenticated: 'Your session has ended. Sign in again to continue.',
  forbidden: "Your account doesn't have access to this app yet. Ask your administrator.",
  'invalid-request': 'The app sent a request the server did not accept. Reload the page and try again.',
  'payload-too-large': 'The conversation is too long to send. Start a new conversation or shorten your message.',
  'not-found': 'The server could not find what the app asked for. Reload the page and try again.',
  'method-not-allowed': 'The server did not accept the request. Reload the page and try again.',
  'content-filtered': "Your organisation's content filter refused this message.",
  'rate-limited': 'The model is busy. Try again in a moment.',
  'upstream-unavailable': 'The model service is not available right now. Try again in a moment.',
  'upstream-timeout': 'The model took too long to answer. Try again.',
  'upstream-misconfigured': 'The model service is not set up correctly. Ask your administrator.',
  'stream-interrupted': 'The answer broke off. The text so far is kept; try again for a full answer.',
  'configuration-error': 'The app is not configured correctly. Ask your administrator.',
  'internal-error': 'Something went wrong on the server. Try again.',
  'context-too-long': 'This conversation is too long for the model. Start a new chat.',
  'upstream-rejected': 'The model service refused the request. Try again, or start a new chat.',
  'unsupported-media-type': 'The server did not accept the request. Reload the page and try again.',
  conflict: 'This conversation was changed in another window. Reload it and try again.',
  'history-disabled': 'This organisation does not keep chat history. Use temporary chats.',
  'history-unavailable': 'Your chat history cannot be reached right now. Try again in a moment.',
  'usage-limit': 'You have reached a usage limit. Try again later.',
  'admin-only': 'This needs the admin role.',
  'not-owner': 'Only its owner can change this assistant.',
  'too-many-assistants': 'You have as many assistants as one person may have. Delete one first.',
  'network-error': 'Could not reach the server. Check your connection and try again.',
  'unexpected-response': 'The server sent an answer the app did not understand. Reload the page and try again.',
};

const FALLBACK_TITLE: Readonly<Record<ProblemKind, string>> = {
  unauthenticated: 'Not signed in',
  forbidden: 'No access',
  'invalid-request': 'Invalid request',
  'payload-too-large': 'Too large',
  'not-found': 'Not found',
  'method-not-allowed': 'Method not allowed',
  'content-filtered': 'Content filtered',
  'rate-limited': 'Too many requests',
  'upstream-unavailable': 'Model unavailable',
  'upstream-timeout': 'Model timed out',
  'upstream-misconfigured': 'Model misconfigured',
  'stream-interrupted': 'The answer was interrupted',
  'configuration-error': 'Configuration error',
  'internal-error': 'Internal error',
  'context-too-long': 'Conversation too long',
  'upstream-rejected': 'Model refused the request',
  'unsupported-media-type': 'Unsupported media type',
  conflict: 'Changed elsewhere',
  'history-disabled': 'No chat history',
  'history-unavailable': 'History unavailable',
  'usage-limit': 'Usage limit reached',
  'admin-only': 'Admins only',
  'not-owner': 'Not the owner',
  'too-many-assistants': 'Too many assistants',
  'network-error': 'Network error',
  'unexpected-response': 'Unexpected response',
};

/** The problem kind a bare HTTP status most likely means (for bodies that are not problem+json). */
export function kindForStatus(status: number | null): ProblemKind {
  switch (status) {
    case null:
      return 'network-error';
    case 400:
      return 'invalid-request';
    case 401:
      return 'unauthenticated';
    case 403:
      return 'forbidden';
    case 404:
      return 'not-found';
    case 405:
      return 'method-not-allowed';
    case 412:
      return 'conflict';
    case 413:
      return 'payload-too-large';
    case 415:
      return 'unsupported-media-type';
    case 429:
      return 'rate-limited';
    case 502:
    case 503:
      return 'upstream-unavailable';
    case 504:
      return 'upstream-timeout';
    default:
      return status >= 500 ? 'internal-error' : 'unexpected-response';
  }
}

/** A problem the client makes up itself (network failure, cut stream, odd response). */
export function clientProblem(kind: ProblemKind, status: number | null = null, detail?: string): Problem {
  return {
    type: problemType(kind),
    title: FALLBACK_TITLE[kind],
    status,
    detail: detail ?? FALLBACK_DETAIL[kind],
    retryAfter: null,
    requestId: null,
    errors: [],
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function seconds(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.ceil(value) : null;
}

/** `Retry-After`: delay-seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | null {
  if (header === null) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000));
}

/** The longest `detail` shown as is; anything longer is not a sentence meant for people. */
const MAX_DETAIL_CHARS = 500;

/**
 * Normalise a decoded problem+json body (or anything else) into a {@link Problem}.
 *
 * `status` is the HTTP status of the response when there is one (it wins over the body's);
 * `retryAfterHeader` the parsed `Retry-After` header.
 */
export function toProblem(body: unknown, status: number | null, retryAfterHeader: number | null = null): Problem {
  const record = isRecord(body) ? body : {};
  const bodyStatus = typeof record.status === 'number' && Number.isInteger(record.status) ? record.status : null;
  const effectiveStatus = status ?? bodyStatus;
  const fallbackKind = kindForStatus(effectiveStatus);
  const type = nonEmptyString(record.type) ?? problemType(fallbackKind);
  const detail = nonEmptyString(record.detail);
  const errors: FieldError[] = Array.isArray(record.errors)
    ? record.errors.flatMap((item: unknown) =>
        isRecord(item) && typeof item.field === 'string' && typeof item.message === 'string'
          ? [{ field: item.field, message: item.message }]
          : [],
      )
    : [];
  return {
    type,
    title: nonEmptyString(record.title) ?? FALLBACK_TITLE[fallbackKind],
    status: effectiveStatus,
    detail: detail !== null && detail.length <= MAX_DETAIL_CHARS ? detail : FALLBACK_DETAIL[fallbackKind],
    retryAfter: seconds(record.retry_after) ?? retryAfterHeader,
    requestId: nonEmptyString(record.request_id),
    errors,
  };
}

/** What the client throws for anything but a successful response. Never carries raw exception text. */
export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail);
    this.name = 'ApiError';
    this.problem = problem;
  }

  get status(): number | null {
    return this.problem.status;
  }

  get type(): string {
    return this.problem.type;
  }

  get detail(): string {
    return this.problem.detail;
  }

  get retryAfter(): number | null {
    return this.problem.retryAfter;
  }
}

/** Read a non-2xx response into an {@link ApiError}. Never throws. */
export async function problemFromResponse(response: Response): Promise<ApiError> {
  const contentType = response.headers.get('content-type') ?? '';
  let body: unknown = null;
  if (/[/+]json\b/i.test(contentType)) {
    try {
      body = await response.json();
    } catch {
      body = null;
    }
  }
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
  return new ApiError(toProblem(body, response.status, retryAfter));
}
