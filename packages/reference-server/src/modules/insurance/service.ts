/**
 * Insure (issue 16): insurance products, policies with premiums swept from the wallet, credit life on
 * loans, claims and monthly remittances to underwriters. docs/insurance.md has every journal entry.
 */
import { sqlTransaction } from '../../db/transaction.ts';
import { type DailyJob, JOB_PHASES } from '../../jobs/daily-close.ts';
import { ClaimsService } from './claims.ts';
import type { InsuranceContext } from './context.ts';
import { PolicyService } from './policies.ts';
import type { InsuranceProducts } from './products.ts';
import { Remittances } from './remittances.ts';

/** Policies per selection; the lease is renewed after each batch. */
const BATCH = 200;

export class InsuranceService {
  readonly products: InsuranceProducts;
  readonly policies: PolicyService;
  readonly claims: ClaimsService;
  readonly remittances: Remittances;

  constructor(readonly context: InsuranceContext) {
    this.products = context.products;
    this.policies = new PolicyService(context);
    this.claims = new ClaimsService(context);
    this.remittances = new Remittances(context);
  }

  /** The daily-close jobs: premium sweeps (API.md's phase), and the month-end remittance. */
  jobs(): { sweep: DailyJob; remit: DailyJob } {
    return {
      sweep: {
        name: 'insurance.premium_sweep',
        phase: JOB_PHASES.premiumSweeps,
        run: async (ctx) => {
          let after = '';
          for (;;) {
            const rows = await ctx.db.sql.$queryRawUnsafe<{ id: string }[]>(
              `SELECT id FROM policies
                WHERE status IN ('active', 'in_grace') AND id > ?
                  AND (next_due_date <= ? OR end_date <= ? OR loan_id IS NOT NULL)
                ORDER BY id LIMIT ${BATCH}`,
              after,
              ctx.bankDate,
              ctx.bankDate,
            );
            for (const row of rows)
              await sqlTransaction(ctx.db, (tx) => this.policies.sweep(tx, String(row.id), ctx.bankDate));
            if (rows.length < BATCH) return;
            after = String(rows[rows.length - 1]?.id);
            await ctx.heartbeat();
          }
        },
      },
      remit: {
        name: 'insurance.remit',
        phase: JOB_PHASES.other,
        run: (ctx) => this.remittances.runFor(ctx.bankDate),
      },
    };
  }
}
