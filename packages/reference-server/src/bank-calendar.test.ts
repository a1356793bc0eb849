import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonthsClamped,
  assertBankDate,
  daysBetween,
  eachDay,
  isBankDate,
  isLastDayOfMonth,
  lastDayOfMonth,
} from './bank-calendar.ts';

const dates = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));

describe('bank calendar', () => {
  it('when a month is shorter than the start day, then adding months clamps to its last day', () => {
    expect(addMonthsClamped('2025-08-31', 6)).toBe('2026-02-28');
    expect(addMonthsClamped('2023-08-31', 6)).toBe('2024-02-29');
    expect(addMonthsClamped('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonthsClamped('2025-01-31', 2)).toBe('2025-03-31');
    expect(addMonthsClamped('2025-10-31', 1)).toBe('2025-11-30');
    expect(addMonthsClamped('2025-05-15', 1)).toBe('2025-06-15');
    expect(addMonthsClamped('2025-11-30', 3)).toBe('2026-02-28');
    expect(addMonthsClamped('2025-03-31', -1)).toBe('2025-02-28');
  });

  it('when counting days, then leap days and year ends count once', () => {
    expect(daysBetween('2025-08-31', '2026-02-28')).toBe(181);
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2025-12-31', '2026-01-01')).toBe(1);
    expect(daysBetween('2025-03-10', '2025-03-01')).toBe(-9);
    expect(addDays('2024-12-31', 60)).toBe('2025-03-01');
  });

  it('when asked for month ends, then it knows February of leap years', () => {
    expect(lastDayOfMonth('2024-02-10')).toBe('2024-02-29');
    expect(isLastDayOfMonth('2025-02-28')).toBe(true);
    expect(isLastDayOfMonth('2024-02-28')).toBe(false);
    expect(isLastDayOfMonth('2025-04-30')).toBe(true);
    expect([...eachDay('2025-02-27', '2025-03-02')]).toEqual([
      '2025-02-27',
      '2025-02-28',
      '2025-03-01',
      '2025-03-02',
    ]);
    expect([...eachDay('2025-03-02', '2025-03-01')]).toEqual([]);
  });

  it('when a string is not a calendar date, then it is refused', () => {
    for (const bad of ['2025-02-29', '2025-13-01', '2025-1-01', '2025-01-01T00:00', '', '20250101']) {
      expect(isBankDate(bad)).toBe(false);
      expect(() => assertBankDate(bad)).toThrow(RangeError);
    }
    expect(isBankDate('2024-02-29')).toBe(true);
  });

  it('when days are added and counted back, then the two agree (property)', () => {
    fc.assert(
      fc.property(dates, fc.integer({ min: -5000, max: 5000 }), (date, days) => {
        expect(daysBetween(date, addDays(date, days))).toBe(days);
      }),
    );
  });

  it('when months are added, then the day is kept or clamped to the month end, never rolled over (property)', () => {
    fc.assert(
      fc.property(dates, fc.integer({ min: -240, max: 240 }), (date, months) => {
        const result = addMonthsClamped(date, months);
        const [year, month, day] = date.split('-').map(Number) as [number, number, number];
        const monthIndex = year * 12 + (month - 1) + months;
        expect(result.slice(0, 7)).toBe(
          `${String(Math.floor(monthIndex / 12)).padStart(4, '0')}-${String((monthIndex % 12) + 1).padStart(2, '0')}`,
        );
        const resultDay = Number(result.slice(8));
        expect(resultDay === day || (resultDay < day && isLastDayOfMonth(result))).toBe(true);
      }),
    );
  });
});
