import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonthsClamped, dayNumber, daysBetween, fromDayNumber } from '../../bank-calendar.ts';
import { divHalfEven } from './exact.ts';
import { dateArb } from './test-support.ts';

describe('calendar dates', () => {
  it('when months are added to 31 January, then each result clamps to its month end', () => {
    expect([1, 2, 3, 13].map((k) => addMonthsClamped('2024-01-31', k))).toEqual([
      '2024-02-29',
      '2024-03-31',
      '2024-04-30',
      '2025-02-28',
    ]);
    expect(addMonthsClamped('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonthsClamped('2025-11-30', 3)).toBe('2026-02-28');
  });

  it('when days are counted across a leap day and a year end, then they are actual days', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2025-12-31', '2026-01-01')).toBe(1);
    expect(daysBetween('2025-03-01', '2025-02-28')).toBe(-1);
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });

  it.each(['2025-02-29', '2025-13-01', '2025-1-01', '20250101', ''])(
    'when %j is read, then it throws',
    (text) => {
      expect(() => dayNumber(text)).toThrow(RangeError);
    },
  );

  it('when any date is turned into a day number and back, then it is unchanged', () => {
    fc.assert(
      fc.property(dateArb, (date) => {
        expect(fromDayNumber(dayNumber(date))).toBe(date);
      }),
    );
  });
});

describe('divHalfEven', () => {
  it('when a quotient ends in exactly one half, then it rounds to the even neighbour, also below zero', () => {
    expect([5n, 15n, 25n, -5n, -15n, 7n, -7n].map((n) => divHalfEven(n, 10n))).toEqual([
      0n,
      2n,
      2n,
      0n,
      -2n,
      1n,
      -1n,
    ]);
  });

  it('when any fraction is rounded, then the result is within one half of it', () => {
    fc.assert(
      fc.property(fc.bigInt(), fc.bigInt({ min: 1n, max: 1n << 80n }), (num, den) => {
        const q = divHalfEven(num, den);
        const twiceError = 2n * (num - q * den);
        expect(twiceError <= den && twiceError >= -den).toBe(true);
      }),
    );
  });
});
