/**
 * What a failed usage or admin call says to the person, as one plain sentence, and whether
 * trying again can help. The API words its store problems for the chat history ("Your chat
 * history cannot be reached"), which would puzzle someone looking at usage figures.
 */
import { ApiError } from '../api/problem';
import { problemKindOf } from '../api/types';

export type ErrorKind = 'admin-only' | 'forbidden' | 'other';

export interface ErrorView {
  readonly sentence: string;
  readonly retryable: boolean;
  readonly kind: ErrorKind;
}

export const ADMIN_ONLY_SENTENCE =
  'You need the admin role to see usage, change limits or read the audit log. Ask an administrator of your organisation for it.';

function wait(seconds: number | null): string {
  if (seconds === null || seconds <= 1) return 'Try again in a moment.';
  return `Try again in ${seconds} seconds.`;
}

export function describeUsageError(error: unknown): ErrorView {
  if (!(error instanceof ApiError)) return { sentence: 'Something went wrong. Try again.', retryable: true, kind: 'other' };
  switch (problemKindOf(error.type)) {
    case 'admin-only':
      return { sentence: ADMIN_ONLY_SENTENCE, retryable: false, kind: 'admin-only' };
    case 'forbidden':
      return { sentence: "Your account doesn't have access to this app. Ask your administrator.", retryable: false, kind: 'forbidden' };
    case 'history-disabled':
      return { sentence: 'This deployment does not record usage, so there is nothing to show.', retryable: false, kind: 'other' };
    case 'history-unavailable':
      return { sentence: `Usage figures cannot be reached right now. ${wait(error.retryAfter)}`, retryable: true, kind: 'other' };
    case 'invalid-request':
      return { sentence: error.detail, retryable: false, kind: 'other' };
    default:
      return { sentence: error.detail, retryable: true, kind: 'other' };
  }
}
