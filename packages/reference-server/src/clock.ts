/** The one source of time. The sandbox test clock (a later issue) implements the same interface. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Building an Intl.DateTimeFormat is far dearer than using one: one per time zone and use. */
const formats = new Map<string, Intl.DateTimeFormat>();
function formatFor(kind: 'date' | 'parts', timeZone: string): Intl.DateTimeFormat {
  const key = `${kind} ${timeZone}`;
  let format = formats.get(key);
  if (!format) {
    format =
      kind === 'date'
        ? // en-CA formats dates as YYYY-MM-DD.
          new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
        : new Intl.DateTimeFormat('en-US', {
            timeZone,
            hourCycle: 'h23',
            year: 'numeric',
            month: '2-digit',
            day: '2-digit',
            hour: '2-digit',
            minute: '2-digit',
            second: '2-digit',
          });
    formats.set(key, format);
  }
  return format;
}

/** The bank-local calendar date (YYYY-MM-DD) of an instant. */
export function bankDate(instant: Date, timeZone: string): string {
  return formatFor('date', timeZone).format(instant);
}

/** The UTC offset of a time zone at an instant, in milliseconds. */
function zoneOffsetMs(instant: Date, timeZone: string): number {
  const parts = formatFor('parts', timeZone).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return local - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant the bank-local calendar day of `instant` began (for daily limits). */
export function startOfBankDay(instant: Date, timeZone: string): Date {
  const midnight = Date.parse(`${bankDate(instant, timeZone)}T00:00:00Z`);
  let start = midnight - zoneOffsetMs(new Date(midnight), timeZone);
  start = midnight - zoneOffsetMs(new Date(start), timeZone);
  return new Date(start);
}
