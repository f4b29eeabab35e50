/**
 * Numbers and times of usage for people: thousands separators, dates in the reader's
 * language, and UTC said aloud wherever a window boundary is meant (the API's days,
 * months and reset times are UTC, whatever zone the reader is in).
 *
 * `locale` is left undefined in the app (the browser's language); tests pass one.
 */

type Locale = string | undefined;

export function formatCount(value: number, locale?: Locale): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value);
}

export function formatTokens(value: number, locale?: Locale): string {
  return `${formatCount(value, locale)} ${value === 1 ? 'token' : 'tokens'}`;
}

export function formatRequests(value: number, locale?: Locale): string {
  return `${formatCount(value, locale)} ${value === 1 ? 'request' : 'requests'}`;
}

/** A limit, or "no limit" for none. */
export function formatLimit(value: number | null, locale?: Locale): string {
  return value === null ? 'no limit' : formatCount(value, locale);
}

export const NO_PRICE = 'no price set';

/**
 * An estimated cost. The prices are in whatever currency the admin typed, so no symbol:
 * two decimals, or two significant digits for amounts under a hundredth (a few calls of a
 * cheap model would otherwise read as 0.00). Tokens without a price are said next to it.
 */
export function formatCost(cost: number | null, unpricedTokens = 0, locale?: Locale): string {
  if (cost === null) return NO_PRICE;
  const small = cost > 0 && cost < 0.01;
  const amount = new Intl.NumberFormat(
    locale,
    small ? { maximumSignificantDigits: 2 } : { minimumFractionDigits: 2, maximumFractionDigits: 2 },
  ).format(cost);
  return unpricedTokens > 0 ? `${amount} + ${formatTokens(unpricedTokens, locale)} without a price` : amount;
}

/** How much of `limit` is used, rounded down so that 99.6% never reads as full. */
export function formatShare(used: number, limit: number, locale?: Locale): string {
  const share = limit > 0 ? Math.floor((used / limit) * 100) / 100 : 0;
  if (used > 0 && share === 0) return `<${new Intl.NumberFormat(locale, { style: 'percent' }).format(0.01)}`;
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

/** Midnight UTC of a `YYYY-MM-DD` day. */
export function utcDay(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

/** A UTC day as the reader writes dates: "21 Nov 2026", or with the weekday when `weekday`. */
export function formatDay(day: string, locale?: Locale, weekday = false): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    ...(weekday ? { weekday: 'short' as const } : {}),
  }).format(utcDay(day));
}

/** A moment in the reader's own time zone, which is named: "21 Nov 2026, 09:41 CET". */
export function formatMoment(iso: string, locale?: Locale, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    ...(timeZone === undefined ? {} : { timeZone }),
  })
    .format(new Date(iso))
    .concat(' ', zoneName(iso, locale, timeZone));
}

function zoneName(iso: string, locale: Locale, timeZone: string | undefined): string {
  const parts = new Intl.DateTimeFormat(locale, { timeZoneName: 'short', ...(timeZone === undefined ? {} : { timeZone }) }).formatToParts(
    new Date(iso),
  );
  return parts.find((part) => part.type === 'timeZoneName')?.value ?? '';
}

const HOUR_MS = 3_600_000;

/**
 * When a window starts again, in UTC: "resets at 00:00 UTC" within a day, "resets on
 * 1 Dec at 00:00 UTC" further away.
 */
export function formatReset(iso: string, now: Date, locale?: Locale): string {
  const moment = new Date(iso);
  const time = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(moment);
  if (moment.getTime() - now.getTime() <= 24 * HOUR_MS) return `resets at ${time} UTC`;
  const date = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', day: 'numeric', month: 'short' }).format(moment);
  return `resets on ${date} at ${time} UTC`;
}
