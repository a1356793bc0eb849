import { describe, expect, it } from 'vitest';
import { unavailableReport } from './bureau/bureau.ts';
import { SandboxBureau } from './bureau/sandbox.ts';
import { createDefaultEngine } from './defaults.ts';
import { extractFeatures, type LedgerLine } from './features/behaviour.ts';
import { dayNumber, isoDate } from './features/dates.ts';
import { defaultPolicy } from './policy.ts';

/** Twelve months of salary and spending, ending on 2025-06-30. */
function ledger(monthlyIncome: bigint, spendShare: bigint, months = 12): LedgerLine[] {
  const end = dayNumber('2025-06-30');
  const lines: LedgerLine[] = [];
  let balance = 0n;
  for (let m = months - 1; m >= 0; m--) {
    const payday = end - m * 30 - 3;
    balance += monthlyIncome;
    lines.push({ date: isoDate(payday), amountMinor: monthlyIncome, balanceAfterMinor: balance });
    for (let k = 1; k <= 5; k++) {
      const spend = (monthlyIncome * spendShare) / 500n;
      balance -= spend;
      lines.push({ date: isoDate(payday - 25 + k * 4), amountMinor: -spend, balanceAfterMinor: balance });
    }
  }
  return lines;
}

const goodLoans = [
  {
    disbursedOn: '2024-06-01',
    closedOn: '2024-12-01',
    instalmentsDue: 6,
    instalmentsPaidOnTime: 6,
    worstDaysPastDue: 0,
  },
];
const good = extractFeatures(ledger(8_000_000n, 70n), '2025-06-30', goodLoans);
const bureau = new SandboxBureau();

describe('decision engine', () => {
  const engine = createDefaultEngine();

  it('when a steady earner has a clean bureau file, then the loan is approved with a limit under every cap', async () => {
    const d = engine.decide({ features: good, bureau: await bureau.lookup('30000001'), kycTier: 'tier2' });
    expect(d.decision).toBe('approve');
    expect(d.score).toBeGreaterThanOrEqual(defaultPolicy.cutoffs.approveMinScore);
    expect(d.limit).toBeGreaterThan(0n);
    expect(d.limit).toBeLessThanOrEqual(5_000_000n);
    expect(d.modelVersion).toBe('behavioural@1.0.0');
    expect(d.policyVersion).toBe('sandbox-consumer@1.0.0');
    expect(d.rulesEvaluated.map((r) => r.rule)).toEqual([
      'kyc.tierCap',
      'bureau.negativeListing',
      'bureau.available',
      'bureau.thinFile',
      'bureau.worstDaysPastDue',
      'history.minimumTenure',
      'score.cutoff',
      'limit.minimum',
    ]);
    expect(d.shadowResults).toHaveLength(1);
    expect(d.shadowResults[0]?.name).toBe('behavioural-woe');
    expect(d.shadowResults[0]?.result?.score).toBeGreaterThan(0);
  });

  it('when the bureau lists the applicant negatively, then the loan is declined with no limit', async () => {
    const d = engine.decide({ features: good, bureau: await bureau.lookup('30000009'), kycTier: 'tier2' });
    expect(d.decision).toBe('decline');
    expect(d.limit).toBe(0n);
    expect(d.rulesEvaluated.find((r) => r.rule === 'bureau.negativeListing')?.outcome).toBe('fail');
  });

  it('when the bureau times out or no report is given, then the case is referred', () => {
    const timedOut = engine.decide({
      features: good,
      bureau: unavailableReport('30000008', 'sandbox', 'timeout'),
      kycTier: 'tier2',
    });
    expect(timedOut.decision).toBe('refer');
    expect(engine.decide({ features: good, kycTier: 'tier2' }).decision).toBe('refer');
  });

  it('when the file is thin, then the income-multiple limit is halved', async () => {
    const clean = engine.decide({
      features: good,
      bureau: await bureau.lookup('30000001'),
      kycTier: 'tier3',
    });
    const thin = engine.decide({ features: good, bureau: await bureau.lookup('30000007'), kycTier: 'tier3' });
    expect(thin.limitBreakdown.incomeMultipleMinor * 2n).toBeLessThanOrEqual(
      clean.limitBreakdown.incomeMultipleMinor + 1n,
    );
    expect(thin.limit).toBeLessThanOrEqual(clean.limit);
  });

  it('when the KYC tier has no cap in the policy, then the loan is declined', async () => {
    const d = engine.decide({ features: good, bureau: await bureau.lookup('30000001'), kycTier: 'tier0' });
    expect(d.decision).toBe('decline');
    expect(d.rulesEvaluated[0]).toMatchObject({ rule: 'kyc.tierCap', outcome: 'fail' });
  });

  it('when income stopped months ago and spending outran it, then the score falls and reasons say why', async () => {
    const lines = ledger(2_000_000n, 140n).filter((l) => l.amountMinor < 0n || l.date < '2025-03-01');
    const weak = extractFeatures(lines, '2025-06-30');
    const d = engine.decide({ features: weak, bureau: await bureau.lookup('30000002'), kycTier: 'tier2' });
    expect(d.decision).not.toBe('approve');
    expect(d.reasons.length).toBeGreaterThan(0);
    expect(d.reasons.length).toBeLessThanOrEqual(4);
    expect(d.reasons.map((r) => r.code)).toContain('DAYS_SINCE_LAST_INFLOW_HIGH');
    const points = d.reasons.map((r) => r.pointsLost);
    expect(points).toEqual([...points].sort((a, b) => b - a));
  });

  it('when an administrator raises the approve cut-off, then the same applicant is referred', async () => {
    const strict = createDefaultEngine();
    const report = await bureau.lookup('30000001');
    const before = strict.decide({ features: good, bureau: report, kycTier: 'tier2' });
    strict.setPolicy({
      ...defaultPolicy,
      version: '1.1.0',
      cutoffs: { approveMinScore: before.score + 1, referMinScore: 0 },
    });
    const after = strict.decide({ features: good, bureau: report, kycTier: 'tier2' });
    expect(after.decision).toBe('refer');
    expect(after.policyVersion).toBe('sandbox-consumer@1.1.0');
  });
});
