/**
 * Arithmetic on bank-local calendar dates (`YYYY-MM-DD`, DOMAIN.md "Money"). A bank date names a
 * day, not an instant, so these helpers never touch a time zone: they count days on the proleptic
 * Gregorian calendar through `Date.UTC`, where every day is exactly 86,400,000 ms long.
 */

const DAY_MS = 86_400_000;
const BANK_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

// Daily jobs read the same few hundred dates for every loan and account: a small memo makes that cheap.
const MEMO_LIMIT = 10_000;
const memo = new Map<string, number>();

/** Milliseconds since the epoch of the UTC midnight that starts `date`; throws RangeError on a non-date. */
function toUtcMs(date: string): number {
  const known = memo.get(date);
  if (known !== undefined) return known;
  const match = typeof date === 'string' ? BANK_DATE.exec(date) : null;
  if (match) {
    const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
    // Date.UTC rolls 2025-02-30 over to 2025-03-02: a round trip catches days a month does not have.
    if (fromUtcMs(ms) === date) {
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(date, ms);
      return ms;
    }
  }
  throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
}

/** Days since 1970-01-01 of `date` (for arithmetic and ordering); throws RangeError on a non-date. */
export function dayNumber(date: string): number {
  return toUtcMs(date) / DAY_MS;
}

/** The `YYYY-MM-DD` of a day number. */
export function fromDayNumber(days: number): string {
  return fromUtcMs(days * DAY_MS);
}

function fromUtcMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** True when `date` is a real calendar date written `YYYY-MM-DD`. */
export function isBankDate(date: unknown): date is string {
  try {
    toUtcMs(date as string);
    return true;
  } catch {
    return false;
  }
}

/** Returns `date` unchanged when it is a calendar date; throws RangeError otherwise. */
export function assertBankDate(date: string): string {
  toUtcMs(date);
  return date;
}

/** `date` moved by `days` (negative moves back). */
export function addDays(date: string, days: number): string {
  if (!Number.isSafeInteger(days)) throw new RangeError(`Days must be an integer, got ${days}`);
  return fromUtcMs(toUtcMs(date) + days * DAY_MS);
}

/** Whole days from `from` to `to`: 0 for the same day, negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS);
}

/** The last day of the month `date` falls in. */
export function lastDayOfMonth(date: string): string {
  const day = new Date(toUtcMs(date));
  return fromUtcMs(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 0));
}

/** True on the last calendar day of a month (31 Jan, 28 Feb 2025, 29 Feb 2024, 30 Apr …). */
export function isLastDayOfMonth(date: string): boolean {
  return lastDayOfMonth(date) === date;
}

/**
 * `date` plus `months` calendar months, the day clamped to the target month's last day:
 * 31 Aug + 6 months = 28 Feb (29 Feb in a leap year), 31 Jan + 1 month = 28/29 Feb, 15 May + 1 = 15 Jun.
 * Always computed from `date` itself, never by adding one month at a time (which would drift: 31 Jan
 * → 28 Feb → 28 Mar instead of 31 Mar).
 */
export function addMonthsClamped(date: string, months: number): string {
  if (!Number.isSafeInteger(months)) throw new RangeError(`Months must be an integer, got ${months}`);
  const day = new Date(toUtcMs(date));
  const targetMonthStart = Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + months, 1);
  const target = new Date(targetMonthStart);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return fromUtcMs(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(day.getUTCDate(), lastDay)),
  );
}

/** Every date from `from` to `to`, both included, in order (nothing when `to` is before `from`). */
export function* eachDay(from: string, to: string): Generator<string> {
  const last = toUtcMs(to);
  for (let ms = toUtcMs(from); ms <= last; ms += DAY_MS) yield fromUtcMs(ms);
}
