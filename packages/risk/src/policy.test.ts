import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  affordablePrincipalMinor,
  computeLimit,
  defaultPolicy,
  PolicyValidationError,
  validatePolicy,
} from './policy.ts';

describe('policy and limits', () => {
  it('when the rate is zero, then the affordable principal is instalment × term', () => {
    expect(affordablePrincipalMinor(10_000n, '0', 6)).toBe(60_000n);
  });

  it('when the rate is 12 % a year over 12 months, then the annuity formula gives the textbook principal', () => {
    // 1000.00 a month at 1 % a month for 12 months: 11,255.08 (floored to the cent)
    expect(affordablePrincipalMinor(100_000n, '0.12', 12)).toBe(1_125_507n);
  });

  it('when a limit is computed, then it never exceeds any cap and is a multiple of the rounding step', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 0n, max: 10n ** 10n }),
        fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'),
        fc.boolean(),
        (inflow, tierCap, grade, thinFile) => {
          const l = computeLimit(defaultPolicy, {
            grade,
            averageMonthlyInflowMinor: inflow,
            tierCapMinor: tierCap,
            thinFile,
          });
          expect(l.limitMinor).toBeLessThanOrEqual(l.incomeMultipleMinor);
          expect(l.limitMinor).toBeLessThanOrEqual(l.affordabilityMinor);
          expect(l.limitMinor).toBeLessThanOrEqual(tierCap);
          expect(l.limitMinor).toBeGreaterThanOrEqual(0n);
          expect(l.limitMinor % 10_000n).toBe(0n);
        },
      ),
    );
  });

  it('when income is large, then the tier cap binds; when small, affordability or the multiple binds', () => {
    const big = computeLimit(defaultPolicy, {
      grade: 'A',
      averageMonthlyInflowMinor: 10n ** 10n,
      tierCapMinor: 5_000_000n,
      thinFile: false,
    });
    expect(big).toMatchObject({ binding: 'tierCap', limitMinor: 5_000_000n });
    const small = computeLimit(defaultPolicy, {
      grade: 'C',
      averageMonthlyInflowMinor: 3_000_000n,
      tierCapMinor: 50_000_000n,
      thinFile: false,
    });
    expect(small.binding).toBe('incomeMultiple');
    expect(small.limitMinor).toBe(3_000_000n);
  });

  it('when a thin file is allowed, then the income multiple is scaled by the thin-file factor', () => {
    const input = { grade: 'C', averageMonthlyInflowMinor: 3_000_000n, tierCapMinor: 50_000_000n };
    expect(computeLimit(defaultPolicy, { ...input, thinFile: true }).incomeMultipleMinor).toBe(1_500_000n);
  });

  it('when an administrator writes an inconsistent policy, then every problem is reported', () => {
    const broken = structuredClone(defaultPolicy);
    broken.cutoffs.referMinScore = 900;
    broken.kycTierCapsMinor.tier1 = '12.5';
    broken.limits.affordability.maxInstalmentShare = '1.5';
    try {
      validatePolicy(broken);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PolicyValidationError);
      expect((error as PolicyValidationError).problems).toHaveLength(3);
    }
  });
});
