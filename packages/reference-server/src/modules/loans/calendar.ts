/**
 * Bank-local calendar dates (`YYYY-MM-DD`) as plain values, without time zones: a date is a day
 * number (days since 1970-01-01) computed with UTC arithmetic, which has no daylight-saving gaps.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

// Daily jobs read the same few hundred dates for every loan; a small memo makes reading them cheap.
const MEMO_LIMIT = 10_000;
const memo = new Map<string, number>();

/** Days since 1970-01-01 of `date`; throws RangeError for anything but a real calendar date. */
export function dayNumber(date: string): number {
  const known = memo.get(date);
  if (known !== undefined) return known;
  const days = parseDate(date);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(date, days);
  return days;
}

function parseDate(date: string): number {
  const match = ISO_DATE.exec(date);
  if (match === null) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const ms = Date.UTC(year, month - 1, day);
  // Date.UTC rolls 2025-02-30 over into March; a real date survives the round trip.
  if (month < 1 || month > 12 || day < 1 || fromDayNumber(ms / MS_PER_DAY) !== date) {
    throw new RangeError(`Not a calendar date: ${date}`);
  }
  return ms / MS_PER_DAY;
}

/** The `YYYY-MM-DD` of a day number. */
export function fromDayNumber(days: number): string {
  return new Date(days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** `date` plus `days` (which may be negative). */
export function addDays(date: string, days: number): string {
  return fromDayNumber(dayNumber(date) + days);
}

/** Days from `from` to `to`: positive when `to` is later. */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/**
 * `date` plus `months` calendar months, clamped to the end of the target month when it is
 * shorter: 2024-01-31 + 1 → 2024-02-29, + 2 → 2024-03-31. Always count from the same start date
 * (start + k months), never month by month, or a clamp would stick (31 Jan → 28 Feb → 28 Mar).
 */
export function addMonthsClamped(date: string, months: number): string {
  dayNumber(date);
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7)) - 1 + months;
  const day = Number(date.slice(8, 10));
  const targetYear = year + Math.floor(month / 12);
  const targetMonth = ((month % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return fromDayNumber(Date.UTC(targetYear, targetMonth, Math.min(day, lastDay)) / MS_PER_DAY);
}
