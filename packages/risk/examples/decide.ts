/**
 * A credit decision end to end, as a bank server would make it:
 *   pnpm --filter @wekeza/risk exec tsx examples/decide.ts
 */
import {
  createDefaultEngine,
  extractFeatures,
  fetchBureauReport,
  type LedgerLine,
  SandboxBureau,
  toJson,
} from '../src/index.ts';

export async function decideExample(nationalId = '30000001') {
  // 1. The customer's ledger lines (amounts in minor units; positive = inflow) and prior loans.
  const lines: LedgerLine[] = [];
  for (let month = 1; month <= 12; month++) {
    const mm = String(month).padStart(2, '0');
    lines.push({ date: `2024-${mm}-25`, amountMinor: 6_000_000n }); // KES 60,000 salary
    lines.push({ date: `2024-${mm}-27`, amountMinor: -2_500_000n }); // rent and bills
    lines.push({ date: `2024-${mm}-28`, amountMinor: -1_700_000n }); // shopping
  }
  const priorLoans = [
    {
      disbursedOn: '2024-03-01',
      closedOn: '2024-09-01',
      instalmentsDue: 6,
      instalmentsPaidOnTime: 6,
      worstDaysPastDue: 0,
    },
  ];

  // 2. Features as of the application date (pure: no clock, no database).
  const features = extractFeatures(lines, '2024-12-31', priorLoans);

  // 3. The credit bureau, with a deadline (never throws: a timeout becomes an "unavailable" report).
  const bureau = await fetchBureauReport(new SandboxBureau(), nationalId, { timeoutMs: 500 });

  // 4. The decision: shipped behavioural champion + shadow challenger, default policy.
  const engine = createDefaultEngine();
  return engine.decide({ features, bureau, kycTier: 'tier2' });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const decision = await decideExample(process.argv[2]);
  console.log(
    toJson({
      ...decision,
      shadowResults: decision.shadowResults.map((s) => `${s.name}: ${s.result?.score}`),
    }),
  );
}
