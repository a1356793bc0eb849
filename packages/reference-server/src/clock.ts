/** The one source of time. The sandbox test clock (a later issue) implements the same interface. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Building an Intl.DateTimeFormat is far dearer than using one: one per time zone. */
const formats = new Map<string, Intl.DateTimeFormat>();

/** The bank-local calendar date (YYYY-MM-DD) of an instant. */
export function bankDate(instant: Date, timeZone: string): string {
  let format = formats.get(timeZone);
  if (!format) {
    // en-CA formats dates as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formats.set(timeZone, format);
  }
  return format.format(instant);
}
