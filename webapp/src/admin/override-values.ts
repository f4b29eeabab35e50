/**
 * The override form's rules, apart from its DOM: what the admin typed becomes the body of
 * `PUT /api/admin/limits/{user_id}`, or an error sentence per field. The API checks the
 * same rules (docs/http_protocol.md#admin); checking here first puts the sentence next to
 * the field at once, and the API's own field errors land in the same places.
 */
import type { LimitOverride, OverrideInput } from '../api/admin';
import { formatCount } from '../usage/format';

/** The API's ceiling for a limit. */
export const MAX_LIMIT = 1_000_000_000_000;
export const MAX_USER_ID_CHARS = 256;

export interface OverrideFormValues {
  readonly userId: string;
  readonly requestsPerMinute: string;
  readonly tokensPerDay: string;
  readonly tokensPerMonth: string;
  readonly unlimited: boolean;
}

/** The form's fields; `limits` is the group of the three (an error about none of them set). */
export type OverrideField = 'user_id' | 'requests_per_minute' | 'tokens_per_day' | 'tokens_per_month' | 'limits';
export type OverrideErrors = Partial<Record<OverrideField, string>>;

export type OverrideCheck =
  | { readonly ok: true; readonly userId: string; readonly input: OverrideInput }
  | { readonly ok: false; readonly errors: OverrideErrors };

type LimitText = { readonly value: number | null } | { readonly error: string };

// Group separators people type (1,000,000 / 1 000 000 / 1'000'000 / 1_000_000).
const SEPARATORS = /[\s,'_\u00a0\u202f]/g;

/** One limit field: empty keeps the default (null); otherwise a whole number in range. */
export function parseLimitText(text: string, locale?: string): LimitText {
  const digits = text.replace(SEPARATORS, '');
  if (digits === '') return { value: null };
  if (!/^\d+$/.test(digits)) return { error: 'Enter a whole number, like 200000, or leave it empty for the default.' };
  const value = Number(digits);
  if (value < 1) return { error: 'Enter at least 1, or leave it empty for the default.' };
  if (value > MAX_LIMIT) return { error: `Enter at most ${formatCount(MAX_LIMIT, locale)}.` };
  return { value };
}

export function checkOverride(values: OverrideFormValues, locale?: string): OverrideCheck {
  const errors: OverrideErrors = {};
  const userId = values.userId.trim();
  if (userId === '') errors.user_id = 'Enter the user’s ID (it is in the usage table).';
  else if (userId.length > MAX_USER_ID_CHARS) errors.user_id = `A user ID has at most ${MAX_USER_ID_CHARS} characters.`;

  if (values.unlimited) {
    // The number fields are switched off while Unlimited is on: what they hold is ignored.
    return Object.keys(errors).length === 0 ? { ok: true, userId, input: { unlimited: true } } : { ok: false, errors };
  }
  const fields = [
    ['requests_per_minute', values.requestsPerMinute],
    ['tokens_per_day', values.tokensPerDay],
    ['tokens_per_month', values.tokensPerMonth],
  ] as const;
  const input: { -readonly [K in keyof OverrideInput]: OverrideInput[K] } = {};
  for (const [field, text] of fields) {
    const parsed = parseLimitText(text, locale);
    if ('error' in parsed) errors[field] = parsed.error;
    else if (parsed.value !== null) input[field] = parsed.value;
  }
  if (Object.keys(input).length === 0 && fields.every(([field]) => errors[field] === undefined)) {
    errors.limits = 'Set at least one limit, or choose Unlimited. To go back to the defaults, clear the override instead.';
  }
  return Object.keys(errors).length === 0 ? { ok: true, userId, input } : { ok: false, errors };
}

/** Where an `invalid-request` field error of the API belongs in the form. */
export function fieldOfApiError(field: string): OverrideField {
  switch (field) {
    case 'user_id':
    case 'requests_per_minute':
    case 'tokens_per_day':
    case 'tokens_per_month':
      return field;
    default:
      // `unlimited` (with limits, or nothing set) and anything unforeseen: the group.
      return 'limits';
  }
}

/** The form filled in for `userId`: their override when they have one, otherwise empty. */
export function valuesFor(userId: string, override: LimitOverride | undefined): OverrideFormValues {
  const text = (value: number | null | undefined): string => (value === null || value === undefined ? '' : String(value));
  return {
    userId,
    requestsPerMinute: text(override?.requests_per_minute),
    tokensPerDay: text(override?.tokens_per_day),
    tokensPerMonth: text(override?.tokens_per_month),
    unlimited: override?.unlimited === true,
  };
}
