import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../bank-calendar.ts';
import {
  ageOn,
  dueDate,
  lapsesOn,
  lastRetryDay,
  monthlyPremium,
  proRataRefund,
  singlePremium,
} from './premium.ts';

const date = fc.integer({ min: 0, max: 20_000 }).map((n) => addDays('2000-01-01', n));
const fixed = (premiumMinor: bigint) => ({
  premiumMinor,
  premiumRate: null,
  frequency: 'monthly' as const,
  termMonths: null,
});
const rated = (premiumRate: string, termMonths: number | null = null) => ({
  premiumMinor: null,
  premiumRate,
  frequency: 'monthly' as const,
  termMonths,
});

describe('insurance premiums', () => {
  it('when the premium is a rate, then it is the rate × sum insured rounded half-even, once', () => {
    expect(monthlyPremium(rated('0.004'), 25_000_000n)).toBe(100_000n);
    expect(monthlyPremium(rated('0.001'), 125n)).toBe(0n); // 0.125 → 0
    expect(monthlyPremium(rated('0.003'), 500n)).toBe(2n); // 1.5 → 2 (half to even)
    expect(monthlyPremium(rated('0.005'), 500n)).toBe(2n); // 2.5 → 2 (half to even)
    expect(monthlyPremium(fixed(25_000n), 999n)).toBe(25_000n);
    // A single premium sums the months first and rounds once: 12 × 0.6 % × 50,000 = 3,600.
    expect(singlePremium(rated('0.006', 12), Array(12).fill(5_000_000n))).toBe(360_000n);
    expect(singlePremium(rated('0.001'), [125n, 125n, 125n, 125n])).toBe(0n); // 0.5 → 0
  });

  it('when premiums fall due, then each is start + k months clamped to the month end', () => {
    expect(dueDate('2025-01-31', 1)).toBe('2025-02-28');
    expect(dueDate('2025-01-31', 2)).toBe('2025-03-31');
    expect(dueDate('2024-01-31', 1)).toBe('2024-02-29');
  });

  it('when grace days run out, then the policy lapses on due date + grace days and not a day before', () => {
    fc.assert(
      fc.property(
        date,
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: -5, max: 90 }),
        (due, grace, offset) => {
          const day = addDays(due, offset);
          expect(lapsesOn(day, due, grace)).toBe(offset >= grace);
          expect(lastRetryDay(due, grace)).toBe(addDays(due, grace));
        },
      ),
    );
  });

  it('when cover is cancelled, then the refund is the unused share of the premium: all on day one, none at the end, never more', () => {
    fc.assert(
      fc.property(
        date,
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: -10, max: 420 }),
        fc.bigInt({ min: 0n, max: 10_000_000_000n }),
        (start, length, used, premium) => {
          const end = addDays(start, length);
          const refund = proRataRefund(premium, start, end, addDays(start, used));
          expect(refund >= 0n && refund <= premium).toBe(true);
          if (used <= 0) expect(refund).toBe(premium);
          if (used >= length) expect(refund).toBe(0n);
          // Exact to within half a cent of premium × unused / days.
          const unused = BigInt(Math.min(length, Math.max(0, length - used)));
          const twice = 2n * refund * BigInt(length);
          const exact2 = 2n * premium * unused;
          expect(twice - exact2 <= BigInt(length) && exact2 - twice <= BigInt(length)).toBe(true);
          // Cancelling later never refunds more.
          expect(proRataRefund(premium, start, end, addDays(start, used + 1)) <= refund).toBe(true);
        },
      ),
    );
    expect(daysBetween('2025-06-02', '2026-06-02')).toBe(365);
    expect(proRataRefund(360_000n, '2025-06-02', '2026-06-02', '2025-07-02')).toBe(330_411n); // 3600 × 335/365
  });

  it('when an age is asked, then birthdays count on the day (29 February on 28 February of other years is not yet)', () => {
    expect(ageOn('1990-04-12', '2025-04-11')).toBe(34);
    expect(ageOn('1990-04-12', '2025-04-12')).toBe(35);
    expect(ageOn('2000-02-29', '2025-02-28')).toBe(24);
    expect(ageOn('2000-02-29', '2025-03-01')).toBe(25);
  });
});
