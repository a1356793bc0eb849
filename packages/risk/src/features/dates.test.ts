import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayNumber, isoDate } from './dates.ts';

describe('ISO dates', () => {
  it('when a day number is formatted and parsed, then it round-trips', () => {
    fc.assert(
      fc.property(fc.integer({ min: -20000, max: 60000 }), (d) => {
        expect(dayNumber(isoDate(d))).toBe(d);
      }),
    );
  });

  it('when the epoch and a leap day are parsed, then the day numbers are right', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('2024-03-01') - dayNumber('2024-02-28')).toBe(2);
  });

  it('when a date is malformed or not on the calendar, then it is rejected', () => {
    expect(() => dayNumber('2025-02-30')).toThrow(RangeError);
    expect(() => dayNumber('2025-1-01')).toThrow(RangeError);
    expect(() => dayNumber('yesterday')).toThrow(RangeError);
  });
});
