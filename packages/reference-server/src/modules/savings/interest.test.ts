import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, eachDay, isLastDayOfMonth } from '../../bank-calendar.ts';
import {
  accruedSavingsInterest,
  accrueSavingsDay,
  type BalanceMovement,
  endOfDayBalances,
  isSavingsPostingDay,
  postSavingsInterest,
  type SavingsAccrualState,
  startSavingsAccrual,
} from './interest.ts';

describe('savings interest: the worked example of docs/savings.md', () => {
  // KES 50,000 on 1 Mar 2025, +20,000 on 11 Mar, −15,000 on 21 Mar, 8 % a year.
  const movements: BalanceMovement[] = [
    { effectiveDate: '2025-03-01', amount: 5_000_000n },
    { effectiveDate: '2025-03-11', amount: 2_000_000n },
    { effectiveDate: '2025-03-21', amount: -1_500_000n },
  ];

  function accrueMarch(): SavingsAccrualState {
    let state = startSavingsAccrual('2025-03-01');
    for (const day of endOfDayBalances(0n, movements, '2025-03-01', '2025-03-31')) {
      state = accrueSavingsDay(state, { ...day, annualRate: '0.08' }).state;
    }
    return state;
  }

  it('when the first day is accrued, then it is 50,000 × 8 % / 365 unrounded', () => {
    const { state } = accrueSavingsDay(startSavingsAccrual('2025-03-01'), {
      date: '2025-03-01',
      endOfDayBalance: 5_000_000n,
      annualRate: '0.08',
    });
    expect(state).toEqual({ accruedThrough: '2025-03-01', accruedTimes365: '400000' });
    // 400000 / 365 minor units = KES 10.958904109589…
    expect(accruedSavingsInterest(state).toSignificantDigits(20).toString()).toBe('1095.8904109589041096');
  });

  it('when March is posted, then gross 395.62, tax 59.34, net 336.28 and −130/365 of a cent is carried', () => {
    const march = accrueMarch();
    // 0.08 × (10 × 5,000,000 + 10 × 7,000,000 + 11 × 5,500,000) = 14,440,000
    expect(march.accruedTimes365).toBe('14440000');
    const posting = postSavingsInterest(march, { date: '2025-03-31', currency: 'KES' });
    expect(posting.gross.minor).toBe(39_562n); // 14,440,000 / 365 = 39,561.64… → 39,562
    expect(posting.tax.minor).toBe(5_934n); // 39,562 × 0.15 = 5,934.3 → 5,934
    expect(posting.net.minor).toBe(33_628n);
    expect(posting.state).toEqual({ accruedThrough: '2025-03-31', accruedTimes365: '-130' });
  });

  it('when April accrues on the compounded balance, then gross 363.85, tax 54.58 and 52.2/365 is carried', () => {
    const march = postSavingsInterest(accrueMarch(), { date: '2025-03-31', currency: 'KES' });
    const balance = 5_500_000n + march.net.minor; // 5,533,628 from 1 April
    let state = march.state;
    for (const date of eachDay('2025-04-01', '2025-04-30')) {
      state = accrueSavingsDay(state, { date, endOfDayBalance: balance, annualRate: '0.08' }).state;
    }
    // −130 + 0.08 × 30 × 5,533,628 = 13,280,577.2
    expect(state.accruedTimes365).toBe('13280577.2');
    const april = postSavingsInterest(state, { date: '2025-04-30', currency: 'KES' });
    expect(april.gross.minor).toBe(36_385n); // 13,280,577.2 / 365 = 36,385.14… → 36,385
    expect(april.tax.minor).toBe(5_458n); // 5,457.75 → 5,458
    expect(april.net.minor).toBe(30_927n);
    expect(april.state.accruedTimes365).toBe('52.2');
  });
});

describe('savings interest: idempotence and order', () => {
  const day = (date: string) => ({ date, endOfDayBalance: 1_000_000n, annualRate: '0.1' });

  it('when the job for a day runs twice, then the second run changes nothing', () => {
    const first = accrueSavingsDay(startSavingsAccrual('2025-05-01'), day('2025-05-01'));
    const again = accrueSavingsDay(first.state, day('2025-05-01'));
    expect(first.accrued).toBe(true);
    expect(again).toEqual({ state: first.state, accrued: false });
  });

  it('when a day is missing, then the next one is refused until the missing day is accrued', () => {
    const first = accrueSavingsDay(startSavingsAccrual('2025-05-01'), day('2025-05-01')).state;
    expect(() => accrueSavingsDay(first, day('2025-05-03'))).toThrow(/accrue 2025-05-02 first/);
  });

  it('when the month-end posting runs twice, then the second posts nothing', () => {
    let state = startSavingsAccrual('2025-06-01');
    for (const date of eachDay('2025-06-01', '2025-06-30')) state = accrueSavingsDay(state, day(date)).state;
    const first = postSavingsInterest(state, { date: '2025-06-30', currency: 'KES' });
    const second = postSavingsInterest(first.state, { date: '2025-06-30', currency: 'KES' });
    expect(first.gross.minor).toBe(8_219n); // 1,000,000 × 0.1 × 30 / 365 = 8,219.18
    expect(second.gross.minor).toBe(0n);
    expect(second.state).toEqual(first.state);
  });

  it('when a posting is asked for a day not yet accrued, then it is refused', () => {
    const state = accrueSavingsDay(startSavingsAccrual('2025-06-01'), day('2025-06-01')).state;
    expect(() => postSavingsInterest(state, { date: '2025-06-30', currency: 'KES' })).toThrow(RangeError);
  });

  it('when a balance is negative, then accrual refuses it', () => {
    expect(() =>
      accrueSavingsDay(startSavingsAccrual('2025-06-01'), { ...day('2025-06-01'), endOfDayBalance: -1n }),
    ).toThrow(RangeError);
  });

  it('when end-of-day balances are walked from a history, then each is the sum of postings dated on or before it (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            day: fc.integer({ min: 0, max: 59 }),
            amount: fc.bigInt({ min: -(10n ** 9n), max: 10n ** 9n }),
          }),
        ),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        (raw, opening) => {
          const movements = raw
            .map((m) => ({ effectiveDate: addDays('2024-02-01', m.day), amount: m.amount }))
            .sort((a, b) =>
              a.effectiveDate < b.effectiveDate ? -1 : a.effectiveDate > b.effectiveDate ? 1 : 0,
            );
          for (const { date, endOfDayBalance } of endOfDayBalances(
            opening,
            movements,
            '2024-02-01',
            '2024-03-31',
          )) {
            const expected = movements
              .filter((m) => m.effectiveDate <= date)
              .reduce((sum, m) => sum + m.amount, opening);
            expect(endOfDayBalance).toBe(expected);
          }
        },
      ),
    );
  });

  it('when a movement is out of order, then the walk refuses it', () => {
    const out = [
      { effectiveDate: '2025-01-05', amount: 1n },
      { effectiveDate: '2025-01-03', amount: 1n },
    ];
    expect(() => [...endOfDayBalances(0n, out, '2025-01-01', '2025-01-10')]).toThrow(RangeError);
    expect(() => [
      ...endOfDayBalances(0n, [{ effectiveDate: '2025-02-01', amount: 1n }], '2025-01-01', '2025-01-10'),
    ]).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------------------------
// A year of random deposits and withdrawals, checked against an oracle that works in exact
// fractions of bigints (no decimal.js): every posting is the half-even rounding of the exact
// accruals since the last one plus the carried remainder, and nothing is lost over the year.

interface Fraction {
  n: bigint;
  d: bigint;
}
const add = (a: Fraction, b: Fraction): Fraction => ({ n: a.n * b.d + b.n * a.d, d: a.d * b.d });
const sub = (a: Fraction, b: Fraction): Fraction => add(a, { n: -b.n, d: b.d });
function roundHalfEven({ n, d }: Fraction): bigint {
  const sign = n < 0n ? -1n : 1n;
  const magnitude = n < 0n ? -n : n;
  let q = magnitude / d;
  const twice = 2n * (magnitude - q * d);
  if (twice > d || (twice === d && q % 2n === 1n)) q += 1n;
  return sign * q;
}
const same = (a: Fraction, b: Fraction) => a.n * b.d === b.n * a.d;
/** A decimal string as a fraction. */
function fractionOf(text: string): Fraction {
  const [whole = '0', fraction = ''] = text.replace('-', '').split('.');
  const sign = text.startsWith('-') ? -1n : 1n;
  return { n: sign * BigInt(whole + fraction), d: 10n ** BigInt(fraction.length) };
}

const year = {
  from: '2025-01-01',
  to: '2025-12-31',
};

const scenario = fc.record({
  basisPoints: fc.integer({ min: 0, max: 2_500 }), // 0 % to 25 % a year, to 0.01 %
  taxPercent: fc.integer({ min: 0, max: 30 }),
  movements: fc.array(
    fc.record({
      day: fc.integer({ min: 0, max: 364 }),
      amount: fc.bigInt({ min: -5_000_000n, max: 20_000_000n }),
    }),
    { maxLength: 40 },
  ),
  missedDays: fc.array(fc.integer({ min: 0, max: 364 }), { maxLength: 60 }),
});

/**
 * Customer movements of the scenario in date order, withdrawals capped so the customer's own money
 * never goes below zero (interest only adds to it, so the account never does either).
 */
function customerMovements(raw: { day: number; amount: bigint }[]): BalanceMovement[] {
  const sorted = raw
    .map((m) => ({ effectiveDate: addDays(year.from, m.day), amount: m.amount }))
    .sort((a, b) => (a.effectiveDate < b.effectiveDate ? -1 : a.effectiveDate > b.effectiveDate ? 1 : 0));
  let balance = 0n;
  const capped: BalanceMovement[] = [];
  for (const m of sorted) {
    let amount = m.amount;
    if (amount < -balance) amount = -balance;
    balance += amount;
    if (amount !== 0n) capped.push({ effectiveDate: m.effectiveDate, amount });
  }
  return capped;
}

interface Posting {
  date: string;
  gross: bigint;
  tax: bigint;
}

/**
 * The daily close as a service runs it, against a ledger (dated postings): accrue each day on the
 * end-of-day balance read from the ledger, post at month end (gross in, tax out, dated that day).
 * Days in `missed` do not run on their own day but are caught up, in order, on the next day that
 * runs; the customer's movements dated on them are in the ledger all the same.
 */
function runYear(rate: string, taxRate: string, customer: BalanceMovement[], missed: Set<number>) {
  const ledger: BalanceMovement[] = [...customer];
  let state = startSavingsAccrual(year.from);
  const postings: Posting[] = [];
  const balanceAt = (date: string) =>
    ledger.filter((m) => m.effectiveDate <= date).reduce((sum, m) => sum + m.amount, 0n);
  const pending: string[] = [];
  let dayIndex = 0;
  for (const date of eachDay(year.from, year.to)) {
    pending.push(date);
    const runsToday = !missed.has(dayIndex) || date === year.to;
    dayIndex += 1;
    if (!runsToday) continue;
    for (const day of pending.splice(0)) {
      state = accrueSavingsDay(state, { date: day, endOfDayBalance: balanceAt(day), annualRate: rate }).state;
      if (isSavingsPostingDay(day)) {
        const posting = postSavingsInterest(state, {
          date: day,
          currency: 'KES',
          withholdingTaxRate: taxRate,
        });
        state = posting.state;
        if (posting.gross.minor > 0n) {
          ledger.push({ effectiveDate: day, amount: posting.gross.minor });
          ledger.push({ effectiveDate: day, amount: -posting.tax.minor });
        }
        postings.push({ date: day, gross: posting.gross.minor, tax: posting.tax.minor });
      }
    }
  }
  return { state, postings };
}

describe('savings interest over a year (properties)', () => {
  it('when deposits and withdrawals come at random, then each posting is the exact accrual since the last one plus the carry, rounded once, and no cent drifts', () => {
    fc.assert(
      fc.property(scenario, ({ basisPoints, taxPercent, movements }) => {
        const rate = `0.${String(basisPoints).padStart(4, '0')}`;
        const taxRate = `0.${String(taxPercent).padStart(2, '0')}`;
        const customer = customerMovements(movements);
        const { state, postings } = runYear(rate, taxRate, customer, new Set());

        // The oracle replays the same ledger in fractions.
        let carry: Fraction = { n: 0n, d: 1n };
        let exactTotal: Fraction = { n: 0n, d: 1n };
        let postedTotal = 0n;
        let month: Fraction = { n: 0n, d: 1n };
        let index = 0;
        for (const date of eachDay(year.from, year.to)) {
          // The customer's movements through that day, and the net interest of earlier month ends
          // (a month end's own posting is booked after its accrual).
          const balance =
            customer.filter((m) => m.effectiveDate <= date).reduce((sum, m) => sum + m.amount, 0n) +
            postings.filter((p) => p.date < date).reduce((sum, p) => sum + p.gross - p.tax, 0n);
          const daily: Fraction = { n: balance * BigInt(basisPoints), d: 10_000n * 365n };
          month = add(month, daily);
          exactTotal = add(exactTotal, daily);
          if (isLastDayOfMonth(date)) {
            const due = add(month, carry);
            const gross = roundHalfEven(due);
            const posting = postings[index++] as Posting;
            expect(posting.date).toBe(date);
            expect(posting.gross).toBe(gross > 0n ? gross : 0n);
            expect(posting.tax).toBe(roundHalfEven({ n: posting.gross * BigInt(taxPercent), d: 100n }));
            carry = sub(due, { n: posting.gross, d: 1n });
            postedTotal += posting.gross;
            month = { n: 0n, d: 1n };
          }
        }
        // Posted over the year + what is still carried = the exact sum of the daily accruals ...
        const carried = {
          n: fractionOf(state.accruedTimes365).n,
          d: fractionOf(state.accruedTimes365).d * 365n,
        };
        expect(same(add({ n: postedTotal, d: 1n }, carried), exactTotal)).toBe(true);
        expect(same(carried, carry)).toBe(true);
        // ... and what is carried is never more than half a cent.
        expect(2n * (carried.n < 0n ? -carried.n : carried.n) <= carried.d).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('when days are missed and caught up later, then interest is exactly what running every day gives', () => {
    fc.assert(
      fc.property(scenario, ({ basisPoints, movements, missedDays }) => {
        const rate = `0.${String(basisPoints).padStart(4, '0')}`;
        const customer = customerMovements(movements);
        const everyDay = runYear(rate, '0.15', customer, new Set());
        const catchingUp = runYear(rate, '0.15', customer, new Set(missedDays));
        expect(catchingUp.postings).toEqual(everyDay.postings);
        expect(catchingUp.state).toEqual(everyDay.state);
      }),
      { numRuns: 60 },
    );
  });
});
