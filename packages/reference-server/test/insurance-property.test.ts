/**
 * The premium-sweep property (issue 16, "Proof"): random customers, each with a monthly policy
 * (random premium and grace days) and random deposits over one to three months, run through the real
 * bank one bank day at a time — deposits during the day, then the daily close — and after every day,
 * against an independent model of the rules:
 * - each wallet holds exactly what the model says (premiums collected = Σ due premiums of the
 *   policies in force, taken whole on their due date or on a retry day, never partly), and never
 *   less than zero;
 * - each policy has the model's status: `in_grace` from a missed due date, `lapsed` exactly on the
 *   due date + grace days when the money never came, and never swept after;
 * - one premium row per policy and due date collected;
 * - the books balance (every cached balance equals its postings, Σ debits = Σ credits).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonthsClamped } from '../src/bank-calendar.ts';
import { reconcile } from '../src/modules/ledger/reconcile.ts';
import { startTestBank, type TestBank, testDialects } from '../src/testing/index.ts';
import { fund, type Http, login, newCustomer } from './support/http.ts';

interface CustomerPlan {
  productIndex: number;
  /** Opening money beyond the first premium, in whole shillings. */
  extraKes: number;
  /** Deposits: on day offset `day` (0 = the purchase day) of `kes` shillings. */
  deposits: { day: number; kes: number }[];
}

interface Plan {
  days: number;
  customers: CustomerPlan[];
}

const PRODUCTS = [
  { premiumKes: 120, graceDays: 0 },
  { premiumKes: 250, graceDays: 5 },
  { premiumKes: 75, graceDays: 12 },
];

const planArb: fc.Arbitrary<Plan> = fc.integer({ min: 35, max: 80 }).chain((days) =>
  fc.record({
    days: fc.constant(days),
    customers: fc.array(
      fc.record({
        productIndex: fc.nat({ max: PRODUCTS.length - 1 }),
        extraKes: fc.integer({ min: 0, max: 400 }),
        deposits: fc.array(
          fc.record({ day: fc.integer({ min: 1, max: days - 1 }), kes: fc.integer({ min: 10, max: 400 }) }),
          { maxLength: 3 },
        ),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  }),
);

/** The rules, written again from the issue, independent of the service: one policy on one wallet. */
class Model {
  status: 'active' | 'in_grace' | 'lapsed' = 'active';
  wallet: bigint;
  collected = 1; // the first premium, at purchase
  lapsedOn: string | null = null;
  private k = 1;

  constructor(
    readonly start: string,
    readonly premium: bigint,
    readonly graceDays: number,
    opening: bigint,
  ) {
    this.wallet = opening - premium;
  }

  get nextDue(): string {
    return addMonthsClamped(this.start, this.k);
  }

  /** The close of `day`: collect what is due and affordable, else grace, else lapse. */
  close(day: string): void {
    if (this.status === 'lapsed') return;
    while (this.nextDue <= day) {
      if (this.wallet >= this.premium) {
        this.wallet -= this.premium;
        this.collected += 1;
        this.k += 1;
        this.status = 'active';
        continue;
      }
      // Retried every day through due date + grace days; failing on that last day, it lapses.
      this.status = addDays(this.nextDue, this.graceDays) <= day ? 'lapsed' : 'in_grace';
      if (this.status === 'lapsed') this.lapsedOn = day;
      return;
    }
  }
}

describe.each(testDialects())('premium sweeps as a property on %s', (dialect) => {
  let bank: TestBank;
  let admin: Http;
  const productIds: string[] = [];

  beforeAll(async () => {
    bank = await startTestBank(dialect);
    admin = await login(bank, 'admin@sandbox.test');
    for (const [i, p] of PRODUCTS.entries()) {
      const created = await admin.post<{ id: string }>('/v1/insurance-products', {
        name: `Property cover ${i}`,
        cover_type: 'asset',
        underwriter: 'Property Underwriter',
        currency: 'KES',
        premium: { amount: `${p.premiumKes}.00`, currency: 'KES' },
        frequency: 'monthly',
        grace_days: p.graceDays,
        reinstatement_days: 30,
        commission_rate: '0.1',
        refund_rule: 'pro_rata',
        min_sum_insured: { amount: '10000.00', currency: 'KES' },
        max_sum_insured: { amount: '10000.00', currency: 'KES' },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      productIds.push(created.body.id);
    }
  }, 60_000);
  afterAll(async () => {
    await bank?.stop();
  });

  it('when random customers are swept across random months, then collections, grace, lapses and the books follow the rules every day', async () => {
    await fc.assert(
      fc.asyncProperty(planArb, async (plan) => {
        const start = bank.services.bankClock.today();
        const people = [];
        for (const c of plan.customers) {
          const product = PRODUCTS[c.productIndex] as (typeof PRODUCTS)[number];
          const customer = await newCustomer(bank);
          const premium = BigInt(product.premiumKes) * 100n;
          const opening = premium + BigInt(c.extraKes) * 100n;
          await fund(admin, customer.walletId, `${opening / 100n}.00`);
          const bought = await customer.http.post<{ id: string }>('/v1/policies', {
            product_id: productIds[c.productIndex],
            funding_account_id: customer.walletId,
          });
          expect(bought.status, JSON.stringify(bought.body)).toBe(201);
          people.push({
            plan: c,
            customer,
            policyId: bought.body.id,
            model: new Model(start, premium, product.graceDays, opening),
          });
        }
        for (let offset = 0; offset < plan.days; offset++) {
          const day = addDays(start, offset);
          for (const p of people)
            for (const d of p.plan.deposits.filter((x) => x.day === offset)) {
              await fund(admin, p.customer.walletId, `${d.kes}.00`);
              p.model.wallet += BigInt(d.kes) * 100n;
            }
          const advanced = await admin.post('/v1/sandbox/clock/advance', { days: 1 });
          expect(advanced.status).toBe(200);
          for (const p of people) {
            p.model.close(day);
            const wallet = await bank.db.prisma.account.findUniqueOrThrow({
              where: { id: p.customer.walletId },
            });
            const policy = await bank.db.prisma.policy.findUniqueOrThrow({ where: { id: p.policyId } });
            const rows = await bank.db.prisma.policyPremium.count({ where: { policyId: p.policyId } });
            const where = `day ${day} (${offset}), policy ${p.policyId}`;
            expect(wallet.balanceMinor, where).toBeGreaterThanOrEqual(0n);
            expect(wallet.balanceMinor, where).toBe(p.model.wallet);
            expect(policy.status, where).toBe(p.model.status);
            expect(rows, where).toBe(p.model.collected);
            expect(policy.lapsedOn, where).toBe(p.model.lapsedOn);
            if (p.model.lapsedOn)
              expect(p.model.lapsedOn, where).toBe(
                addDays(policy.nextDueDate as string, PRODUCTS[p.plan.productIndex]?.graceDays ?? -1),
              );
          }
          const report = await reconcile(bank.db.prisma);
          expect(report.ok, `books on ${day}`).toBe(true);
          for (const t of report.totals) expect(t.debits, t.currency).toBe(t.credits);
        }
      }),
      { numRuns: Number(process.env.INSURANCE_PROPERTY_RUNS ?? 3), endOnFailure: true },
    );
  }, 1_200_000);
});
