/**
 * Policies (DOMAIN.md "Insure"), as the bank runs them for its underwriters:
 *
 * - **Buy**: eligibility (KYC tier, age band from the date of birth), the premium from premium.ts, and
 *   the first premium taken from the customer's account at once (wallet → insurance premiums payable).
 * - **Sweep** (the daily job, per policy and bank day): every premium due by that day is taken from the
 *   funding account if the available balance covers it — whole, never partly, never into an overdraft.
 *   A premium that cannot be taken puts the policy `in_grace` and is retried every day through its due
 *   date + grace days; if the last retry fails the policy lapses that day. The policy's `next_due_date`
 *   is the watermark and `policy_premiums` has one row per policy and due date, so a day swept twice
 *   collects nothing twice.
 * - **Cancel**: the unused days of the period paid are refunded pro rata (or not, per the product).
 * - **Reinstate**: within the product's window after a lapse, paying every premium due since.
 * - **Credit life**: attached to a loan at acceptance; its premium is a monthly rate of the loan's
 *   outstanding principal — a single premium (Σ over the schedule's periods of rate × opening
 *   principal) collected from the wallet the loan was just paid into, or monthly by the sweep.
 *
 * Locks: the policy row first, then the accounts (ledger order); the loans module never locks a policy.
 */
import { formatAmount, type Money } from '@wekeza/sdk';
import { addDays, daysBetween } from '../../bank-calendar.ts';
import type { Sql } from '../../db/database.ts';
import {
  conflict,
  currencyMismatch,
  forbidden,
  insufficientFunds,
  notFound,
  validationFailed,
} from '../../errors.ts';
import type { PageRequest } from '../../http/pagination.ts';
import { money } from '../../http/render.ts';
import { newId } from '../../ids.ts';
import type { Actor } from '../audit/log.ts';
import type { Principal } from '../identity/service.ts';
import type { LockedAccount } from '../ledger/ledger.ts';
import { type LoanRecord, termsOf } from '../loans/loan-book.ts';
import { buildSchedule } from '../loans/schedule.ts';
import {
  type BeneficiaryRow,
  ENTRY_KIND,
  type InsuranceContext,
  type PolicyRow,
  policyFromRow,
  readPolicy,
  refuseWhileClaimOpen,
  SYSTEM,
} from './context.ts';
import {
  ageOn,
  dueDate,
  lapsesOn,
  lastRetryDay,
  monthlyPremium,
  proRataRefund,
  singlePremium,
} from './premium.ts';
import type { InsuranceProduct } from './products.ts';

export interface PolicyQuoteResult {
  product: InsuranceProduct;
  sumInsuredMinor: bigint;
  premiumMinor: bigint;
  startDate: string;
  endDate: string | null;
  nextDueDate: string | null;
}

export interface BuyInput {
  productId: string;
  fundingAccountId: string;
  sumInsured?: Money | undefined;
  beneficiaries?: BeneficiaryRow[] | undefined;
}

/** What a reader sees of a policy beyond its row. */
export interface PolicyView {
  policy: PolicyRow;
  product: InsuranceProduct;
  /** Credit life: the loan's outstanding principal today; else the sum insured. */
  sumInsuredMinor: bigint;
  nextPremiumMinor: bigint | null;
  graceUntil: string | null;
  arrearsMinor: bigint;
  reinstateUntil: string | null;
}

const OPEN: readonly string[] = ['active', 'in_grace'];

export class PolicyService {
  constructor(private readonly s: InsuranceContext) {}

  private get dialect() {
    return this.s.db.dialect;
  }

  // ---- Quote and buy ----

  /** The premium and dates a policy bought today gets; refuses what the product does not offer. */
  async quote(
    tx: Sql,
    productId: string,
    sumInsured: Money | undefined,
    today = this.s.bankClock.today(),
  ): Promise<PolicyQuoteResult> {
    const product = await this.s.products.get(productId, tx);
    if (product.status !== 'active') throw conflict('The product is retired: it sells no new policies.');
    if (product.coverType === 'credit_life')
      throw validationFailed([
        {
          path: 'body.product_id',
          message: 'credit-life cover is taken with a loan, at acceptance (credit_life: true)',
        },
      ]);
    let sum: bigint;
    if (sumInsured) {
      if (sumInsured.currency !== product.currency)
        throw currencyMismatch(
          `The product is in ${product.currency}; the sum insured is in ${sumInsured.currency}.`,
        );
      sum = sumInsured.minor;
    } else if (product.premiumRate === null && product.maxSumInsuredMinor !== null) {
      sum = product.maxSumInsuredMinor;
    } else {
      throw validationFailed([{ path: 'body.sum_insured', message: 'is required for this product' }]);
    }
    const show = (minor: bigint) => `${product.currency} ${formatAmount(minor, product.currency)}`;
    if (product.minSumInsuredMinor !== null && sum < product.minSumInsuredMinor)
      throw validationFailed([
        { path: 'body.sum_insured', message: `must be at least ${show(product.minSumInsuredMinor)}` },
      ]);
    if (product.maxSumInsuredMinor !== null && sum > product.maxSumInsuredMinor)
      throw validationFailed([
        { path: 'body.sum_insured', message: `must be at most ${show(product.maxSumInsuredMinor)}` },
      ]);
    const endDate = product.termMonths === null ? null : dueDate(today, product.termMonths);
    const premiumMinor =
      product.frequency === 'single'
        ? singlePremium(product, Array(product.termMonths ?? 1).fill(sum))
        : monthlyPremium(product, sum);
    return {
      product,
      sumInsuredMinor: sum,
      premiumMinor,
      startDate: today,
      endDate,
      nextDueDate: product.frequency === 'monthly' ? dueDate(today, 1) : null,
    };
  }

  /** Buys cover: eligibility, then the first premium from the funding account, in the caller's transaction. */
  async buy(tx: Sql, principal: Principal, input: BuyInput): Promise<PolicyRow> {
    if (principal.role !== 'customer') throw forbidden('Customers buy their own cover.');
    const quote = await this.quote(tx, input.productId, input.sumInsured);
    const { product } = quote;
    if (input.beneficiaries && product.coverType !== 'life')
      throw validationFailed([{ path: 'body.beneficiaries', message: 'are only for life cover' }]);
    await this.assertEligible(tx, principal.id, product, quote.startDate);
    const locked = await this.s.ledger.lock(tx, [
      input.fundingAccountId,
      this.s.ledger.bankAccount('insurance_premiums_payable', product.currency),
    ]);
    const funding = locked.get(input.fundingAccountId);
    if (!funding || funding.ownerId !== principal.id || !['wallet', 'savings'].includes(funding.type))
      throw notFound('account');
    if (funding.status !== 'open') throw conflict('The account to pay from is not open.');
    if (funding.currency !== product.currency)
      throw currencyMismatch(`The product is in ${product.currency}; the account holds ${funding.currency}.`);
    const now = this.s.clock.now();
    const policy: PolicyRow = {
      id: newId('pol'),
      customerId: principal.id,
      productId: product.id,
      fundingAccountId: funding.id,
      currency: product.currency,
      sumInsuredMinor: quote.sumInsuredMinor,
      premiumMinor: quote.premiumMinor,
      status: 'active',
      startDate: quote.startDate,
      endDate: quote.endDate,
      nextDueDate: quote.startDate,
      periodsPaid: 0,
      lapsedOn: null,
      closedOn: null,
      loanId: null,
      beneficiaries: input.beneficiaries ?? [],
      createdAt: now,
    };
    await this.insertPolicy(tx, policy);
    const collected = await this.collect(tx, principal, policy, product, quote.startDate, locked);
    if (!collected) throw new Error('unreachable: collect throws when the first premium cannot be paid');
    await this.s.events.record(tx, {
      type: 'policy.activated',
      customerId: policy.customerId,
      data: this.eventData(collected, product),
    });
    await this.s.audit.record(tx, principal, {
      action: 'policy.purchased',
      subject: { type: 'policy', id: policy.id },
      after: this.eventData(collected, product),
    });
    return collected;
  }

  private async assertEligible(tx: Sql, customerId: string, product: InsuranceProduct, today: string) {
    const [user] = await tx.$queryRawUnsafe<{ kyc_tier: unknown; date_of_birth: string | null }[]>(
      'SELECT kyc_tier, date_of_birth FROM users WHERE id = ?',
      customerId,
    );
    if (!user) throw notFound('customer');
    const refuse = (message: string) => validationFailed([{ path: 'body.product_id', message }]);
    if (Number(user.kyc_tier) < product.minKycTier)
      throw refuse(`needs KYC tier ${product.minKycTier} or above`);
    if (product.minAge !== null || product.maxAge !== null) {
      if (!user.date_of_birth)
        throw refuse('is age-banded: your profile needs a date of birth (give it at signup)');
      const age = ageOn(String(user.date_of_birth), today);
      if (
        (product.minAge !== null && age < product.minAge) ||
        (product.maxAge !== null && age > product.maxAge)
      )
        throw refuse(`covers ages ${product.minAge ?? 0} to ${product.maxAge ?? 'any'}; you are ${age}`);
    }
  }

  private async insertPolicy(tx: Sql, p: PolicyRow): Promise<void> {
    await tx.$executeRawUnsafe(
      `INSERT INTO policies (id, customer_id, product_id, funding_account_id, currency, sum_insured_minor, premium_minor,
              status, start_date, end_date, next_due_date, periods_paid, lapsed_on, closed_on, loan_id, beneficiaries,
              created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?)`,
      p.id,
      p.customerId,
      p.productId,
      p.fundingAccountId,
      p.currency,
      p.sumInsuredMinor,
      p.premiumMinor,
      p.status,
      p.startDate,
      p.endDate,
      p.nextDueDate,
      p.periodsPaid,
      p.loanId,
      p.beneficiaries.length > 0 ? JSON.stringify(p.beneficiaries) : null,
      p.createdAt,
      p.createdAt,
    );
  }

  // ---- Premiums ----

  /** The premium the policy's next due date asks (credit life monthly: on the loan's outstanding principal). */
  async premiumDue(tx: Sql, policy: PolicyRow, product: InsuranceProduct): Promise<bigint> {
    if (product.coverType !== 'credit_life' || product.frequency === 'single') return policy.premiumMinor;
    const outstanding = await this.loanOutstanding(tx, policy.loanId as string);
    return monthlyPremium(product, outstanding);
  }

  private async loanOutstanding(tx: Sql, loanId: string): Promise<bigint> {
    const [loan] = await tx.$queryRawUnsafe<{ principal_outstanding_minor: unknown }[]>(
      'SELECT principal_outstanding_minor FROM loans WHERE id = ?',
      loanId,
    );
    return loan ? BigInt(String(loan.principal_outstanding_minor)) : 0n;
  }

  /**
   * Takes every premium due on or before `day` that the funding account's available balance covers,
   * oldest first, each its own journal entry dated `day` and its own `policy_premiums` row. Answers the
   * policy after; when `strict` (a purchase or reinstatement) a premium it cannot take is an error
   * (insufficient_funds, nothing posted) instead of a reason to stop.
   */
  private async collect(
    tx: Sql,
    actor: Actor,
    policy: PolicyRow,
    product: InsuranceProduct,
    day: string,
    locked: Map<string, LockedAccount>,
    strict = true,
  ): Promise<PolicyRow | null> {
    const payable = this.s.ledger.bankAccount('insurance_premiums_payable', policy.currency);
    const p = { ...policy };
    while (
      p.nextDueDate !== null &&
      p.nextDueDate <= day &&
      (p.endDate === null || p.nextDueDate < p.endDate)
    ) {
      const amount = await this.premiumDue(tx, p, product);
      const funding = locked.get(p.fundingAccountId) as LockedAccount;
      if (amount > 0n) {
        if (!strict && (funding.status !== 'open' || funding.balanceMinor - funding.heldMinor < amount)) {
          // Whole premiums only: keep what was collected so far; the caller handles grace and lapse.
          await this.save(tx, p, actor, policy.status);
          return null;
        }
        // The ledger refuses an overdraft itself (insufficient_funds, nothing written).
        const entry = await this.s.ledger.post(
          tx,
          {
            kind: ENTRY_KIND.premium,
            description: `${product.name} premium due ${p.nextDueDate} (policy ${p.id})`,
            effectiveDate: day,
            postings: [
              { accountId: p.fundingAccountId, side: 'debit', amountMinor: amount },
              { accountId: payable, side: 'credit', amountMinor: amount },
            ],
          },
          locked,
        );
        await tx.$executeRawUnsafe(
          `INSERT INTO policy_premiums (id, policy_id, product_id, underwriter, currency, kind, due_date, amount_minor,
                  collected_on, entry_id, remittance_id, created_at)
           VALUES (?, ?, ?, ?, ?, 'premium', ?, ?, ?, ?, NULL, ?)`,
          newId('prem'),
          p.id,
          product.id,
          product.underwriter,
          p.currency,
          p.nextDueDate,
          amount,
          day,
          entry.id,
          this.s.clock.now(),
        );
        await this.s.events.record(tx, {
          type: 'policy.premium_collected',
          customerId: p.customerId,
          data: {
            policy_id: p.id,
            due_date: p.nextDueDate,
            amount: money(amount, p.currency),
            from_account_id: p.fundingAccountId,
            journal_entry_id: entry.id,
          },
        });
      }
      p.periodsPaid += 1;
      p.premiumMinor = amount;
      p.nextDueDate = product.frequency === 'single' ? null : dueDate(p.startDate, p.periodsPaid);
    }
    if (p.status === 'in_grace') p.status = 'active';
    await this.save(tx, p, actor, policy.status);
    return p;
  }

  /** Writes a policy's changing columns back. */
  private async save(tx: Sql, p: PolicyRow, actor: Actor, before: PolicyRow['status']): Promise<void> {
    await tx.$executeRawUnsafe(
      `UPDATE policies SET status = ?, premium_minor = ?, next_due_date = ?, periods_paid = ?, lapsed_on = ?, closed_on = ?,
              updated_at = ? WHERE id = ?`,
      p.status,
      p.premiumMinor,
      p.nextDueDate,
      p.periodsPaid,
      p.lapsedOn,
      p.closedOn,
      this.s.clock.now(),
      p.id,
    );
    if (before !== p.status && actor.role === 'system')
      await this.s.audit.record(tx, actor, {
        action: `policy.${p.status}`,
        subject: { type: 'policy', id: p.id },
        before: { status: before },
        after: { status: p.status, next_due_date: p.nextDueDate },
      });
  }

  /**
   * The daily sweep of one policy for bank day `day` (the caller's transaction): expiry, then every
   * premium due, then grace and lapse. Idempotent per day: what was collected moved the watermark.
   */
  async sweep(tx: Sql, policyId: string, day: string): Promise<void> {
    const before = await readPolicy(tx, this.dialect, policyId, true);
    if (!before || !OPEN.includes(before.status)) return;
    const product = await this.s.products.get(before.productId, tx);
    if (await this.expireIfDone(tx, before, day)) return;
    if (before.nextDueDate === null || before.nextDueDate > day) return;
    const locked = await this.s.ledger.lock(tx, [
      before.fundingAccountId,
      this.s.ledger.bankAccount('insurance_premiums_payable', before.currency),
    ]);
    const after = await this.collect(tx, SYSTEM, before, product, day, locked, false);
    if (after) return;
    // The premium due on `before.nextDueDate` (the oldest unpaid: collect takes them in order) failed.
    const p = (await readPolicy(tx, this.dialect, policyId)) as PolicyRow;
    const due = p.nextDueDate as string;
    const data = {
      ...this.eventData(p, product),
      due_date: due,
      grace_until: lastRetryDay(due, product.graceDays),
    };
    if (lapsesOn(day, due, product.graceDays)) {
      const status = p.status;
      p.status = 'lapsed';
      p.lapsedOn = day;
      await this.save(tx, p, SYSTEM, status);
      // The customer's notification: the event reaches their stream, webhooks and partners.
      await this.s.events.record(tx, {
        type: 'policy.lapsed',
        customerId: p.customerId,
        data: {
          ...data,
          status: 'lapsed',
          lapsed_on: day,
          reinstate_until: addDays(day, product.reinstatementDays),
          message: `${product.name} lapsed: the premium due ${due} could not be collected by ${data.grace_until}.`,
        },
      });
    } else if (p.status === 'active') {
      p.status = 'in_grace';
      await this.save(tx, p, SYSTEM, 'active');
      await this.s.events.record(tx, {
        type: 'policy.in_grace',
        customerId: p.customerId,
        data: {
          ...data,
          status: 'in_grace',
          message: `${product.name}: the premium due ${due} could not be collected; it is retried daily until ${data.grace_until}.`,
        },
      });
    }
  }

  /** Ends a policy whose term is over, or whose loan is closed (credit life). */
  private async expireIfDone(tx: Sql, p: PolicyRow, day: string): Promise<boolean> {
    let over = p.endDate !== null && p.endDate <= day;
    if (!over && p.loanId) {
      const [loan] = await tx.$queryRawUnsafe<{ status: string }[]>(
        'SELECT status FROM loans WHERE id = ?',
        p.loanId,
      );
      over = !loan || ['closed', 'written_off'].includes(String(loan.status));
    }
    if (!over) return false;
    const status = p.status;
    await this.save(tx, { ...p, status: 'expired', closedOn: day, nextDueDate: null }, SYSTEM, status);
    return true;
  }

  // ---- Reading ----

  async view(principal: Principal, id: string, db: Sql = this.s.db.sql): Promise<PolicyView> {
    const policy = await readPolicy(db, this.dialect, id);
    if (!policy || !canSee(principal, policy.customerId)) throw notFound('policy');
    return this.viewOf(db, policy);
  }

  async viewOf(db: Sql, policy: PolicyRow): Promise<PolicyView> {
    const product = await this.s.products.get(policy.productId, db);
    const today = this.s.bankClock.today();
    const open = OPEN.includes(policy.status);
    const sumInsuredMinor =
      product.coverType === 'credit_life' && policy.loanId && open
        ? await this.loanOutstanding(db, policy.loanId)
        : policy.sumInsuredMinor;
    const arrears =
      policy.status === 'lapsed' || policy.status === 'in_grace'
        ? await this.arrears(db, policy, product, today)
        : [];
    return {
      policy,
      product,
      sumInsuredMinor,
      nextPremiumMinor: open && policy.nextDueDate ? await this.premiumDue(db, policy, product) : null,
      graceUntil:
        policy.status === 'in_grace' && policy.nextDueDate
          ? lastRetryDay(policy.nextDueDate, product.graceDays)
          : null,
      arrearsMinor: arrears.reduce((sum, a) => sum + a.amount, 0n),
      reinstateUntil:
        policy.status === 'lapsed' && policy.lapsedOn
          ? addDays(policy.lapsedOn, product.reinstatementDays)
          : null,
    };
  }

  async list(principal: Principal, page: PageRequest, customerId?: string): Promise<PolicyView[]> {
    const own = principal.role === 'customer' ? principal.id : customerId;
    if (principal.role !== 'customer' && principal.role !== 'banker' && principal.role !== 'admin')
      throw forbidden();
    const rows = await this.s.db.sql.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT * FROM policies WHERE id > ?${own ? ' AND customer_id = ?' : ''} ORDER BY id LIMIT ${page.limit + 1}`,
      page.startingAfter ?? '',
      ...(own ? [own] : []),
    );
    return Promise.all(rows.map((row) => this.viewOf(this.s.db.sql, policyFromRow(row))));
  }

  /** The premiums due and unpaid through `today` (a lapsed or in-grace policy's arrears), oldest first. */
  async arrears(
    tx: Sql,
    policy: PolicyRow,
    product: InsuranceProduct,
    today: string,
  ): Promise<{ dueDate: string; amount: bigint }[]> {
    const out: { dueDate: string; amount: bigint }[] = [];
    let k = policy.periodsPaid;
    for (
      let due = policy.nextDueDate;
      due !== null && due <= today && (policy.endDate === null || due < policy.endDate);
    ) {
      out.push({ dueDate: due, amount: await this.premiumDue(tx, policy, product) });
      k += 1;
      due = product.frequency === 'single' ? null : dueDate(policy.startDate, k);
    }
    return out;
  }

  // ---- Cancel and reinstate ----

  /** Cancels a policy today: the unused days of the period paid come back (pro rata), or nothing. */
  async cancel(
    tx: Sql,
    principal: Principal,
    id: string,
  ): Promise<{ policy: PolicyRow; refundMinor: bigint }> {
    if (principal.role !== 'customer') throw forbidden('Customers cancel their own cover.');
    const policy = await readPolicy(tx, this.dialect, id, true);
    if (!policy || policy.customerId !== principal.id) throw notFound('policy');
    if (!OPEN.includes(policy.status)) throw conflict(`The policy is ${policy.status}.`);
    const product = await this.s.products.get(policy.productId, tx);
    if (product.coverType === 'credit_life') throw conflict('Credit-life cover ends with its loan.');
    // A claim in progress must be settled first: cancelling would otherwise refund the premium and
    // still let the claim be paid.
    await refuseWhileClaimOpen(tx, policy.id);
    const today = this.s.bankClock.today();
    let refundMinor = 0n;
    let periodStart = policy.startDate;
    if (product.refundRule === 'pro_rata' && policy.periodsPaid > 0) {
      periodStart = dueDate(policy.startDate, policy.periodsPaid - 1);
      const periodEnd =
        product.frequency === 'single'
          ? (policy.endDate as string)
          : dueDate(policy.startDate, policy.periodsPaid);
      const [paid] = await tx.$queryRawUnsafe<{ amount_minor: unknown }[]>(
        "SELECT amount_minor FROM policy_premiums WHERE policy_id = ? AND kind = 'premium' AND due_date = ?",
        policy.id,
        periodStart,
      );
      refundMinor = paid
        ? proRataRefund(BigInt(String(paid.amount_minor)), periodStart, periodEnd, today)
        : 0n;
    }
    let entryId: string | null = null;
    if (refundMinor > 0n) {
      const payable = this.s.ledger.bankAccount('insurance_premiums_payable', policy.currency);
      const locked = await this.s.ledger.lock(tx, [policy.fundingAccountId, payable]);
      const to = locked.get(policy.fundingAccountId);
      if (to?.status !== 'open')
        throw conflict('The account the premiums came from is closed; the refund has nowhere to go.');
      const entry = await this.s.ledger.post(
        tx,
        {
          kind: ENTRY_KIND.refund,
          description: `${product.name} cancelled: unused premium refunded (policy ${policy.id})`,
          postings: [
            { accountId: payable, side: 'debit', amountMinor: refundMinor },
            { accountId: policy.fundingAccountId, side: 'credit', amountMinor: refundMinor },
          ],
        },
        locked,
      );
      entryId = entry.id;
      await tx.$executeRawUnsafe(
        `INSERT INTO policy_premiums (id, policy_id, product_id, underwriter, currency, kind, due_date, amount_minor,
                collected_on, entry_id, remittance_id, created_at)
         VALUES (?, ?, ?, ?, ?, 'refund', ?, ?, ?, ?, NULL, ?)`,
        newId('prem'),
        policy.id,
        product.id,
        product.underwriter,
        policy.currency,
        periodStart,
        -refundMinor,
        today,
        entry.id,
        this.s.clock.now(),
      );
    }
    const after: PolicyRow = { ...policy, status: 'cancelled', closedOn: today, nextDueDate: null };
    await this.save(tx, after, principal, policy.status);
    const data = {
      ...this.eventData(after, product),
      refund: money(refundMinor, policy.currency),
      journal_entry_id: entryId,
    };
    await this.s.events.record(tx, { type: 'policy.cancelled', customerId: policy.customerId, data });
    await this.s.audit.record(tx, principal, {
      action: 'policy.cancelled',
      subject: { type: 'policy', id: policy.id },
      before: { status: policy.status },
      after: data,
    });
    return { policy: after, refundMinor };
  }

  /** Reinstates a lapsed policy within the product's window by paying every premium due since. */
  async reinstate(tx: Sql, principal: Principal, id: string): Promise<PolicyRow> {
    if (principal.role !== 'customer') throw forbidden('Customers reinstate their own cover.');
    const policy = await readPolicy(tx, this.dialect, id, true);
    if (!policy || policy.customerId !== principal.id) throw notFound('policy');
    if (policy.status !== 'lapsed')
      throw conflict(`The policy is ${policy.status}; only a lapsed policy is reinstated.`);
    const product = await this.s.products.get(policy.productId, tx);
    const today = this.s.bankClock.today();
    const until = addDays(policy.lapsedOn as string, product.reinstatementDays);
    if (daysBetween(today, until) < 0)
      throw conflict(`The reinstatement window closed on ${until}; buy new cover instead.`);
    const locked = await this.s.ledger.lock(tx, [
      policy.fundingAccountId,
      this.s.ledger.bankAccount('insurance_premiums_payable', policy.currency),
    ]);
    const from = locked.get(policy.fundingAccountId);
    if (from?.status !== 'open') throw conflict('The account to pay from is not open.');
    const arrears = await this.arrears(tx, policy, product, today);
    const total = arrears.reduce((sum, a) => sum + a.amount, 0n);
    // All or nothing: the arrears are paid in full or the policy stays lapsed.
    if (from.balanceMinor - from.heldMinor < total) throw insufficientFunds();
    const after = (await this.collect(
      tx,
      principal,
      { ...policy, status: 'active', lapsedOn: null },
      product,
      today,
      locked,
    )) as PolicyRow;
    const data = { ...this.eventData(after, product), arrears_paid: money(total, policy.currency) };
    await this.s.events.record(tx, { type: 'policy.reinstated', customerId: policy.customerId, data });
    await this.s.audit.record(tx, principal, {
      action: 'policy.reinstated',
      subject: { type: 'policy', id: policy.id },
      before: { status: 'lapsed', lapsed_on: policy.lapsedOn },
      after: data,
    });
    return after;
  }

  // ---- Credit life ----

  /**
   * Attaches the loan product's credit-life cover to a loan just disbursed to `walletAccountId`, in the
   * acceptance's transaction. `wanted` false with mandatory cover → 422; no cover offered and `wanted`
   * true → 422. A single premium is taken from the wallet at once (the quote's credit-life fee).
   */
  async attachCreditLife(
    tx: Sql,
    principal: Principal,
    loan: LoanRecord,
    wanted: boolean | undefined,
  ): Promise<PolicyRow | null> {
    const offer = await this.s.products.creditLifeFor(tx, loan.productId);
    if (!offer) {
      if (wanted)
        throw validationFailed([
          { path: 'body.credit_life', message: 'this loan product offers no credit-life cover' },
        ]);
      return null;
    }
    if (wanted === false && offer.mandatory)
      throw validationFailed([{ path: 'body.credit_life', message: 'is mandatory for this loan product' }]);
    if (!wanted && !offer.mandatory) return null;
    const { product } = offer;
    const schedule = buildSchedule(termsOf(loan));
    const today = loan.disbursementDate;
    const policy: PolicyRow = {
      id: newId('pol'),
      customerId: loan.customerId,
      productId: product.id,
      fundingAccountId: loan.walletAccountId,
      currency: loan.currency,
      sumInsuredMinor: loan.principalMinor,
      premiumMinor: 0n,
      status: 'active',
      startDate: today,
      endDate: schedule.instalments.at(-1)?.dueDate ?? today,
      nextDueDate: today,
      periodsPaid: 0,
      lapsedOn: null,
      closedOn: null,
      loanId: loan.id,
      beneficiaries: [],
      createdAt: this.s.clock.now(),
    };
    if (product.frequency === 'single')
      policy.premiumMinor = creditLifeSinglePremium(product, loan.principalMinor, schedule.instalments);
    else policy.premiumMinor = monthlyPremium(product, loan.principalMinor);
    await this.insertPolicy(tx, policy);
    const locked = await this.s.ledger.lock(tx, [
      loan.walletAccountId,
      this.s.ledger.bankAccount('insurance_premiums_payable', loan.currency),
    ]);
    const after = (await this.collect(tx, principal, policy, product, today, locked)) as PolicyRow;
    await this.s.events.record(tx, {
      type: 'policy.activated',
      customerId: loan.customerId,
      data: { ...this.eventData(after, product), loan_id: loan.id },
    });
    await this.s.audit.record(tx, principal, {
      action: 'policy.purchased',
      subject: { type: 'policy', id: after.id },
      after: { ...this.eventData(after, product), loan_id: loan.id },
    });
    return after;
  }

  eventData(p: PolicyRow, product: InsuranceProduct) {
    return {
      policy_id: p.id,
      product_id: product.id,
      cover_type: product.coverType,
      status: p.status,
      premium: money(p.premiumMinor, p.currency),
      sum_insured: money(p.sumInsuredMinor, p.currency),
      next_premium_due: p.nextDueDate,
    };
  }
}

/** Credit life paid once: Σ over the schedule's periods of rate × the principal outstanding at its start. */
export function creditLifeSinglePremium(
  product: InsuranceProduct,
  principalMinor: bigint,
  instalments: readonly { principal: bigint }[],
): bigint {
  const bases: bigint[] = [];
  let open = principalMinor;
  for (const inst of instalments) {
    bases.push(open);
    open -= inst.principal;
  }
  return singlePremium(product, bases);
}

function canSee(principal: Principal, customerId: string): boolean {
  if (principal.role === 'banker' || principal.role === 'admin') return true;
  return principal.role === 'customer' && principal.id === customerId;
}
