/** Calendar helpers on ISO dates (YYYY-MM-DD) as whole days since 1970-01-01, without time zones. */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 for a civil date (Howard Hinnant's algorithm). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

// Ledgers repeat the same few hundred dates; small memo tables make parsing and formatting cheap.
const MEMO_LIMIT = 50_000;
const parsed = new Map<string, number>();
const formatted = new Map<number, string>();

/** Parses YYYY-MM-DD into a day number; throws RangeError on anything else. */
export function dayNumber(date: string): number {
  const hit = parsed.get(date);
  if (hit !== undefined) return hit;
  const days = parseDay(date);
  if (parsed.size >= MEMO_LIMIT) parsed.clear();
  parsed.set(date, days);
  return days;
}

function parseDay(date: string): number {
  const match = ISO_DATE.exec(date);
  if (!match) throw new RangeError(`not an ISO date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const days = daysFromCivil(year, month, day);
  if (month < 1 || month > 12 || day < 1 || formatDay(days) !== date)
    throw new RangeError(`not a calendar date: ${date}`);
  return days;
}

/** Day number back to YYYY-MM-DD. */
export function isoDate(days: number): string {
  const hit = formatted.get(days);
  if (hit !== undefined) return hit;
  const text = formatDay(days);
  if (formatted.size >= MEMO_LIMIT) formatted.clear();
  formatted.set(days, text);
  return text;
}

function formatDay(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
