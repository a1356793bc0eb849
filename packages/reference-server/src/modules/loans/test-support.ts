/** fast-check arbitraries and small helpers for the loan calculators' tests (not used by the server). */
import fc from 'fast-check';
import type { InstalmentState, LoanState } from './loan-state.ts';
import type { LoanTerms } from './schedule.ts';

/** A rate with 4 decimals from 0 to `maxBasisPoints` / 10 000 ("0.1800"). */
export function rateArb(maxBasisPoints: number): fc.Arbitrary<string> {
  return fc.integer({ min: 0, max: maxBasisPoints }).map((bp) => {
    const digits = bp.toString().padStart(5, '0');
    return `${digits.slice(0, -4)}.${digits.slice(-4)}`;
  });
}

/** Calendar dates 2000–2099, month ends (the clamping cases) half of the time. */
export const dateArb: fc.Arbitrary<string> = fc.oneof(
  fc
    .date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2099-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10)),
  fc
    .record({ year: fc.integer({ min: 2000, max: 2099 }), month: fc.integer({ min: 1, max: 12 }) })
    .map(({ year, month }) => new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10)),
);

const methodArb = fc.constantFrom(
  { interestMethod: 'declining_balance', amortization: 'equal_instalments' } as const,
  { interestMethod: 'declining_balance', amortization: 'equal_principal' } as const,
  { interestMethod: 'flat', amortization: undefined } as const,
);

/**
 * Random products and terms: KES or UGX, principals from 1 minor unit (where rounding dominates)
 * to a billion, annual rates up to 300 %, terms up to `maxTerm` months, optional instalment fees.
 */
export function termsArb(maxTerm = 60): fc.Arbitrary<LoanTerms> {
  return fc
    .record({
      currency: fc.constantFrom('KES', 'UGX'),
      principal: fc.oneof(fc.bigInt({ min: 1n, max: 2_000n }), fc.bigInt({ min: 1n, max: 100_000_000_000n })),
      termMonths: fc.integer({ min: 1, max: maxTerm }),
      annualRate: rateArb(30_000),
      method: methodArb,
      processingFeeRate: rateArb(1_000),
      instalmentFee: fc.option(fc.bigInt({ min: 0n, max: 50_000n }), { nil: undefined }),
      disbursementDate: dateArb,
    })
    .map(({ method, ...rest }) => ({ ...rest, ...method }));
}

/** The loan with instalments 1..k paid exactly as scheduled. */
export function settleThrough(loan: LoanState, k: number): LoanState {
  return {
    terms: loan.terms,
    instalments: loan.instalments.map(
      (inst): InstalmentState =>
        inst.n > k
          ? inst
          : {
              ...inst,
              paid: {
                principal: inst.principal,
                interest: inst.interest - inst.interestWaived,
                fees: inst.fees,
                penalties: inst.penalties,
              },
            },
    ),
  };
}

export function sumOf<T>(items: readonly T[], pick: (item: T) => bigint): bigint {
  return items.reduce((total, item) => total + pick(item), 0n);
}
