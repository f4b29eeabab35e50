/**
 * Sentences the assistant screens share: what went wrong, said plainly (the API's own
 * sentence when it gave one).
 */
import { ApiError } from '../../api/problem';
import { problemKindOf } from '../../api/types';

export function detailOf(error: unknown): string {
  return error instanceof ApiError ? error.detail : 'Something went wrong in the app. Try again.';
}

/** The API's `not-found`: deleted, unshared, or never there; the answer does not tell which. */
export function isGone(error: unknown): boolean {
  return error instanceof ApiError && problemKindOf(error.type) === 'not-found';
}

export function goneSentence(name: string): string {
  return `“${name}” is no longer available: it was deleted, or its owner stopped sharing it.`;
}
