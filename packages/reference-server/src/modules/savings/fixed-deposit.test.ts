import { Money } from '@wekeza/sdk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, eachDay } from '../../bank-calendar.ts';
import {
  type FixedDepositTerms,
  fixedDepositDailyAccrual,
  fixedDepositInterestAccrued,
  fixedDepositMaturityDate,
  fixedDepositTermDays,
  matureFixedDeposit,
  quoteEarlyClose,
  quoteFixedDeposit,
} from './fixed-deposit.ts';

const kes = (minor: bigint) => Money.of(minor, 'KES');

// docs/savings.md: KES 100,000 for 6 months at 10 %, opened on 31 August 2025.
const example: FixedDepositTerms = {
  principal: kes(10_000_000n),
  annualRate: '0.10',
  openingDate: '2025-08-31',
  termMonths: 6,
};

describe('fixed deposit: the worked example of docs/savings.md', () => {
  it('when opened on 31 August for 6 months, then it matures on 28 February after 181 days', () => {
    expect(fixedDepositMaturityDate('2025-08-31', 6)).toBe('2026-02-28');
    expect(fixedDepositTermDays(example)).toBe(181);
  });

  it('when quoted before opening, then interest 4,958.90, tax 743.84 (a tie, rounded to even) and 104,215.06 at maturity', () => {
    expect(quoteFixedDeposit(example)).toEqual({
      maturityDate: '2026-02-28',
      interest: kes(495_890n), // 10,000,000 × 0.10 × 181 / 365 = 495,890.41…
      tax: kes(74_384n), // 495,890 × 0.15 = 74,383.5 → 74,384
      maturityAmount: kes(10_421_506n),
    });
  });

  it('when it accrues day by day, then the first days carry their rounding into the next', () => {
    expect(fixedDepositDailyAccrual(example, '2025-08-30').minor).toBe(0n);
    expect(fixedDepositDailyAccrual(example, '2025-08-31').minor).toBe(2_740n); // 2,739.73 → 2,740
    expect(fixedDepositDailyAccrual(example, '2025-09-01').minor).toBe(2_739n); // 5,479.45 → 5,479
    expect(fixedDepositDailyAccrual(example, '2025-09-02').minor).toBe(2_740n); // 8,219.18 → 8,219
    expect(fixedDepositInterestAccrued(example, '2026-02-27').minor).toBe(495_890n);
    expect(fixedDepositDailyAccrual(example, '2026-02-28').minor).toBe(0n);
  });

  it('when closed early on day 45 with a 50 % forfeit, then 616.44 is kept, 92.47 withheld and 100,523.97 paid', () => {
    expect(quoteEarlyClose(example, { closeDate: '2025-10-15', forfeitShare: '0.5' })).toEqual({
      principal: kes(10_000_000n),
      interestAccrued: kes(123_288n), // 10,000,000 × 0.10 × 45 / 365 = 123,287.67…
      interestForfeited: kes(61_644n),
      interestKept: kes(61_644n),
      tax: kes(9_247n), // 61,644 × 0.15 = 9,246.6 → 9,247
      total: kes(10_052_397n),
    });
    expect(fixedDepositInterestAccrued(example, '2025-10-14').minor).toBe(123_288n);
  });

  it('when it matures and pays out, then the wallet gets the quoted maturity amount', () => {
    const maturity = matureFixedDeposit(example, { atMaturity: 'pay_out' });
    expect(maturity.atMaturity === 'pay_out' && maturity.payout).toEqual(kes(10_421_506n));
  });

  it('when it matures and rolls over, then a new deposit of the maturity amount opens that day at the new rate', () => {
    const maturity = matureFixedDeposit(example, { atMaturity: 'roll_over', rolloverAnnualRate: '0.09' });
    expect(maturity.atMaturity === 'roll_over' && maturity.rollover).toEqual({
      principal: kes(10_421_506n),
      annualRate: '0.09',
      openingDate: '2026-02-28',
      termMonths: 6,
    });
    expect(fixedDepositMaturityDate('2026-02-28', 6)).toBe('2026-08-28');
  });
});

describe('fixed deposit: refusals', () => {
  it('when the close date is the maturity date or before opening, then an early close is refused', () => {
    expect(() => quoteEarlyClose(example, { closeDate: '2026-02-28', forfeitShare: '0.5' })).toThrow(
      RangeError,
    );
    expect(() => quoteEarlyClose(example, { closeDate: '2025-08-30', forfeitShare: '0.5' })).toThrow(
      RangeError,
    );
    expect(() => quoteEarlyClose(example, { closeDate: '2025-10-15', forfeitShare: '1.5' })).toThrow(
      RangeError,
    );
  });

  it('when the terms make no sense, then nothing is quoted', () => {
    expect(() => quoteFixedDeposit({ ...example, principal: kes(0n) })).toThrow(RangeError);
    expect(() => quoteFixedDeposit({ ...example, termMonths: 0 })).toThrow(RangeError);
    expect(() => quoteFixedDeposit({ ...example, termMonths: 1.5 })).toThrow(RangeError);
    expect(() => quoteFixedDeposit({ ...example, annualRate: '-0.1' })).toThrow(RangeError);
    expect(() => quoteFixedDeposit({ ...example, openingDate: '2025-02-30' })).toThrow(RangeError);
  });

  it('when closed on the opening day, then no interest is kept and the principal comes back whole', () => {
    const quote = quoteEarlyClose(example, { closeDate: '2025-08-31', forfeitShare: '0.5' });
    expect(quote.interestAccrued.minor).toBe(0n);
    expect(quote.total).toEqual(example.principal);
  });
});

const terms = fc.record({
  principal: fc.bigInt({ min: 1n, max: 10n ** 13n }).map((minor) => kes(minor)),
  annualRate: fc.integer({ min: 0, max: 30_000 }).map((bp) => `0.${String(bp).padStart(5, '0')}`),
  openingDate: fc
    .date({
      min: new Date('2020-01-01T00:00:00Z'),
      max: new Date('2035-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10)),
  termMonths: fc.constantFrom(1, 3, 6, 12, 24, 60),
});

describe('fixed deposit: properties', () => {
  it('when the daily accruals of a term are added up, then they equal the maturity interest exactly', () => {
    fc.assert(
      fc.property(terms, (deposit) => {
        const quote = quoteFixedDeposit(deposit);
        let sum = 0n;
        for (const date of eachDay(deposit.openingDate, quote.maturityDate)) {
          const daily = fixedDepositDailyAccrual(deposit, date).minor;
          expect(daily >= 0n).toBe(true);
          sum += daily;
        }
        expect(sum).toBe(quote.interest.minor);
        expect(fixedDepositDailyAccrual(deposit, addDays(deposit.openingDate, -1)).minor).toBe(0n);
        expect(fixedDepositDailyAccrual(deposit, addDays(quote.maturityDate, 1)).minor).toBe(0n);
        // round(P × rate × days / 365), with days = maturity − opening
        const days = BigInt(daysBetween(deposit.openingDate, quote.maturityDate));
        const [, decimals = ''] = deposit.annualRate.split('.');
        const numerator = deposit.principal.minor * BigInt(decimals) * days;
        const denominator = 10n ** BigInt(decimals.length) * 365n;
        let expected = numerator / denominator;
        const twice = 2n * (numerator - expected * denominator);
        if (twice > denominator || (twice === denominator && expected % 2n === 1n)) expected += 1n;
        expect(quote.interest.minor).toBe(expected);
      }),
      { numRuns: 40 },
    );
  });

  it('when a deposit closes early on any day of its term, then forfeited + kept = accrued and the total adds up', () => {
    fc.assert(
      fc.property(
        terms,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom('0', '0.25', '0.5', '1'),
        (deposit, at, share) => {
          const termDays = fixedDepositTermDays(deposit);
          const closeDate = addDays(deposit.openingDate, Math.floor(at * (termDays - 1)));
          const quote = quoteEarlyClose(deposit, { closeDate, forfeitShare: share });
          expect(quote.interestAccrued).toEqual(fixedDepositInterestAccrued(deposit, addDays(closeDate, -1)));
          expect(quote.interestForfeited.add(quote.interestKept)).toEqual(quote.interestAccrued);
          expect(quote.total).toEqual(deposit.principal.add(quote.interestKept).subtract(quote.tax));
          expect(quote.interestAccrued.lessThanOrEqual(quoteFixedDeposit(deposit).interest)).toBe(true);
        },
      ),
      { numRuns: 80 },
    );
  });
});
