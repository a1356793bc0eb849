/**
 * What the loans module asks of Insure, and nothing more: the credit-life cover a loan quote shows,
 * and attaching it when the customer accepts (in the acceptance's transaction).
 */
import type { Sql } from '../../db/database.ts';
import { money } from '../../http/render.ts';
import type { Principal } from '../identity/service.ts';
import type { LoanRecord } from '../loans/loan-book.ts';
import type { LoanSchedule } from '../loans/schedule.ts';
import { creditLifeSinglePremium } from './policies.ts';
import { monthlyPremium } from './premium.ts';
import type { InsuranceService } from './service.ts';

export interface CreditLifeHook {
  /** The cover a loan of this product offers, priced on the quote's schedule; undefined when none. */
  quote(loanProductId: string, schedule: LoanSchedule): Promise<Record<string, unknown> | undefined>;
  /** Attaches it to a loan just disbursed (`wanted`: the customer's `credit_life`). */
  attach(tx: Sql, principal: Principal, loan: LoanRecord, wanted: boolean | undefined): Promise<unknown>;
}

export function creditLifeHook(insurance: InsuranceService): CreditLifeHook {
  return {
    async quote(loanProductId, schedule) {
      const offer = await insurance.products.creditLifeFor(insurance.context.db.sql, loanProductId);
      if (!offer) return undefined;
      const { product } = offer;
      const premium =
        product.frequency === 'single'
          ? creditLifeSinglePremium(product, schedule.principal, schedule.instalments)
          : monthlyPremium(product, schedule.principal);
      return {
        product_id: product.id,
        name: product.name,
        underwriter: product.underwriter,
        mandatory: offer.mandatory,
        premium_rate: product.premiumRate ?? '0',
        frequency: product.frequency,
        premium: money(premium, schedule.currency),
        collected: product.frequency === 'single' ? 'at_disbursement' : 'monthly',
      };
    },
    attach: (tx, principal, loan, wanted) => insurance.policies.attachCreditLife(tx, principal, loan, wanted),
  };
}
