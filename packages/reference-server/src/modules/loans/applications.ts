/**
 * Loan applications (DOMAIN.md, Borrow): decided in real time by the risk engine (credit.ts),
 * overridden by a banker with a reason (above the configured amount, only once a second banker
 * approves: maker-checker), and accepted by the customer, which disburses the loan. The engine's
 * decision and score stay on record whatever happens after; every step is audited and announced
 * (`loan.application_decided`).
 */
import { formatAmount } from '@wekeza/sdk';
import { addDays, daysBetween } from '../../bank-calendar.ts';
import type { BankClock } from '../../bank-clock.ts';
import type { Clock } from '../../clock.ts';
import type { Db, Dialect, Sql } from '../../db/database.ts';
import { conflict, forbidden, limitExceeded, notFound } from '../../errors.ts';
import type { PageRequest } from '../../http/pagination.ts';
import { newId } from '../../ids.ts';
import type { ApprovalRow, ApprovalsService } from '../approvals/service.ts';
import type { AuditLog } from '../audit/log.ts';
import type { EventLog } from '../events/log.ts';
import type { Principal } from '../identity/service.ts';
import type { KycService } from '../kyc/service.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { CreditAssessment, CreditOutcome, CreditService, DecisionRow, Reason } from './credit.ts';
import { type LoanRecord, OPEN_STATUSES } from './loan-book.ts';
import { type LoanProductRecord, type LoanProductsService, scheduleFor, termsFor } from './products.ts';
import type { LoanSchedule } from './schedule.ts';
import type { LoansService } from './service.ts';

export type ApplicationRow = NonNullable<Awaited<ReturnType<Db['loanApplication']['findUnique']>>>;
export type ApplicationStatus = 'approved' | 'declined' | 'referred' | 'pending_approval' | 'accepted';

/** An approved offer can be accepted for this many bank days. */
export const OFFER_VALID_DAYS = 30;
export const LOAN_OVERRIDE = 'loan_override';

export interface ApplicationInput {
  productId: string;
  amountMinor: bigint;
  currency: string;
  termMonths: number;
  purpose?: string | undefined;
}

/** An application with everything a reader sees: its decision, its product and its offer's schedule. */
export interface ApplicationView {
  application: ApplicationRow;
  decision: DecisionRow;
  product: LoanProductRecord;
  /** The offer's schedule (if accepted today, or as disbursed once accepted); null without an offer. */
  offer: LoanSchedule | null;
}

export interface OverrideInput {
  decision: 'approve' | 'decline';
  reason: string;
  amountMinor?: bigint | undefined;
  termMonths?: number | undefined;
}

interface OverridePayload {
  application_id: string;
  decision: 'approve';
  amount_minor: string;
  term_months: number;
  currency: string;
  previous_status: ApplicationStatus;
}

const OPEN = OPEN_STATUSES.map((s) => `'${s}'`).join(', ');

export class ApplicationsService {
  constructor(
    private readonly db: Db,
    /** Plain SQL outside transactions (mysql2 on MySQL), for the hot decision path. */
    private readonly sql: Sql,
    private readonly dialect: Dialect,
    private readonly products: LoanProductsService,
    private readonly credit: CreditService,
    private readonly loans: LoansService,
    private readonly approvals: ApprovalsService,
    private readonly kyc: KycService,
    private readonly ledger: Ledger,
    private readonly bankClock: BankClock,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly events: EventLog,
    /** Override amounts above which a second banker must approve, per currency (absent: always). */
    private readonly approvalThresholds: Record<string, bigint>,
  ) {
    approvals.register({
      kind: LOAN_OVERRIDE,
      description: 'A banker approves a loan application above the configured amount.',
      makerRoles: ['banker'],
      checkerRoles: ['banker'],
      approve: (tx, approval, checker) => this.approveOverride(tx, approval, checker),
      reject: (tx, approval) => this.rejectOverride(tx, approval),
    });
  }

  private get forUpdate(): string {
    return this.dialect === 'mysql' ? ' FOR UPDATE' : '';
  }

  /** Checks the terms against the product and scores the customer (reads only: no transaction yet). */
  async prepare(
    principal: Principal,
    input: ApplicationInput,
  ): Promise<{ product: LoanProductRecord; assessment: CreditAssessment }> {
    if (principal.role !== 'customer') throw forbidden('Customers apply for their own loans.');
    const product = await this.products.read(this.sql, input.productId);
    termsFor(product, input.amountMinor, input.currency, input.termMonths, this.bankClock.today());
    return { product, assessment: await this.credit.assess(principal.id, product.currency) };
  }

  /**
   * Decides an application from its scoring: approved up to the limit (above it, a counter-offer
   * at the limit when the product lends that little; else declined), declined or referred.
   */
  async apply(
    tx: Sql,
    principal: Principal,
    input: ApplicationInput,
    prepared: { product: LoanProductRecord; assessment: CreditAssessment },
  ): Promise<ApplicationView> {
    const { product, assessment } = prepared;
    let status: CreditOutcome = assessment.outcome;
    let offer: bigint | null = null;
    if (status === 'approved') {
      if (input.amountMinor <= assessment.limitMinor) offer = input.amountMinor;
      else if (assessment.limitMinor >= product.minAmountMinor) offer = assessment.limitMinor;
      else status = 'declined';
    }
    const decision = await this.credit.record(tx, assessment, 'application');
    const decisionId = decision.id;
    const now = this.clock.now();
    const today = this.bankClock.today();
    const application: ApplicationRow = {
      id: newId('app'),
      customerId: principal.id,
      productId: product.id,
      currency: product.currency,
      amountMinor: input.amountMinor,
      termMonths: input.termMonths,
      purpose: input.purpose ?? null,
      decisionId,
      decision: status,
      status,
      offerAmountMinor: offer,
      offerTermMonths: offer === null ? null : input.termMonths,
      offerExpiresOn: offer === null ? null : addDays(today, OFFER_VALID_DAYS),
      overrideDecision: null,
      overrideReason: null,
      overriddenBy: null,
      overrideApprovedBy: null,
      overriddenAt: null,
      loanId: null,
      createdAt: now,
      updatedAt: now,
    };
    await tx.$executeRawUnsafe(
      `INSERT INTO loan_applications (id, customer_id, product_id, currency, amount_minor, term_months, purpose,
         decision_id, decision, status, offer_amount_minor, offer_term_months, offer_expires_on, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      application.id,
      application.customerId,
      application.productId,
      application.currency,
      application.amountMinor,
      application.termMonths,
      application.purpose,
      application.decisionId,
      application.decision,
      application.status,
      application.offerAmountMinor,
      application.offerTermMonths,
      application.offerExpiresOn,
      application.createdAt,
      application.updatedAt,
    );
    await this.announce(tx, application, assessment.engine.score, false);
    await this.audit.record(tx, principal, {
      action: 'loan_application.decided',
      subject: { type: 'loan_application', id: application.id },
      after: {
        status,
        amount: formatAmount(input.amountMinor, product.currency),
        offer: offer === null ? null : formatAmount(offer, product.currency),
        currency: product.currency,
        term_months: input.termMonths,
        decision_id: decisionId,
        score: assessment.engine.score,
        model_version: assessment.engine.modelVersion,
        policy_version: assessment.engine.policyVersion,
      },
    });
    return { application, decision, product, offer: this.offerOf(application, product, today) };
  }

  /** The offer's schedule on `date` (null without an offer). */
  private offerOf(
    application: ApplicationRow,
    product: LoanProductRecord,
    date: string,
  ): LoanSchedule | null {
    if (application.offerAmountMinor === null || application.offerTermMonths === null) return null;
    return scheduleFor(
      termsFor(
        product,
        application.offerAmountMinor,
        application.currency,
        application.offerTermMonths,
        date,
        {
          amount: 'offer.amount',
          term: 'offer.term_months',
        },
      ),
    );
  }

  private async announce(tx: Sql, application: ApplicationRow, score: number | null, overridden: boolean) {
    await this.events.record(tx, {
      type: 'loan.application_decided',
      customerId: application.customerId,
      data: {
        application_id: application.id,
        status: application.status,
        overridden,
        score,
        offer:
          application.offerAmountMinor === null
            ? null
            : {
                amount: {
                  amount: formatAmount(application.offerAmountMinor, application.currency),
                  currency: application.currency,
                },
                term_months: application.offerTermMonths,
                expires_on: application.offerExpiresOn,
              },
      },
    });
  }

  // ---- Reading ----

  /** A customer their own applications; staff any; anyone else 404. */
  async view(principal: Principal, id: string): Promise<ApplicationView> {
    const application = await this.db.loanApplication.findUnique({ where: { id } });
    if (!application || !canSee(principal, application.customerId)) throw notFound('loan application');
    return this.viewOf(application);
  }

  async viewOf(application: ApplicationRow, db: Db = this.db): Promise<ApplicationView> {
    const decision = await db.creditDecision.findUniqueOrThrow({ where: { id: application.decisionId } });
    const product = await db.loanProduct.findUniqueOrThrow({ where: { id: application.productId } });
    let date = this.bankClock.today();
    if (application.loanId) {
      const loan = await db.loan.findUnique({
        where: { id: application.loanId },
        select: { disbursementDate: true },
      });
      if (loan) date = loan.disbursementDate;
    }
    const offer = this.offerOf(application, product, date);
    return { application, decision, product, offer };
  }

  async list(
    principal: Principal,
    page: PageRequest,
    status?: ApplicationStatus,
  ): Promise<ApplicationView[]> {
    if (principal.role !== 'customer' && principal.role !== 'banker' && principal.role !== 'admin') return [];
    const rows = await this.db.loanApplication.findMany({
      where: {
        ...(principal.role === 'customer' ? { customerId: principal.id } : {}),
        ...(status ? { status } : {}),
        ...(page.startingAfter ? { id: { lt: page.startingAfter } } : {}),
      },
      orderBy: { id: 'desc' },
      take: page.limit + 1,
    });
    const out: ApplicationView[] = [];
    for (const row of rows) out.push(await this.viewOf(row));
    return out;
  }

  // ---- Banker override (maker-checker above the threshold) ----

  /**
   * A banker approves or declines an application with a reason, keeping the engine's decision on
   * record. An approval above the configured amount waits for a second banker (answers the
   * pending approval); everything else applies at once (answers the application).
   */
  async override(
    tx: Db,
    banker: Principal,
    id: string,
    input: OverrideInput,
  ): Promise<{ application: ApplicationRow } | { approval: ApprovalRow }> {
    if (banker.role !== 'banker') throw forbidden('Only bankers override credit decisions.');
    const application = await this.lockApplication(tx, id);
    if (!application) throw notFound('loan application');
    if (!['approved', 'declined', 'referred'].includes(application.status))
      throw conflict(`The application is ${application.status}; it cannot be overridden now.`);
    if (input.decision === 'decline') {
      return { application: await this.applyOverride(tx, application, banker.id, null, input.reason, null) };
    }
    const product = await this.products.get(application.productId, tx);
    const amount = input.amountMinor ?? application.amountMinor;
    const term = input.termMonths ?? application.termMonths;
    termsFor(product, amount, application.currency, term, this.bankClock.today());
    await this.assertTierRoom(tx, application.customerId, application.currency, amount);
    const threshold = this.approvalThresholds[application.currency] ?? 0n;
    if (amount <= threshold || !this.approvals.required(LOAN_OVERRIDE)) {
      return {
        application: await this.applyOverride(tx, application, banker.id, null, input.reason, {
          amount,
          term,
        }),
      };
    }
    const payload: OverridePayload = {
      application_id: application.id,
      decision: 'approve',
      amount_minor: amount.toString(),
      term_months: term,
      currency: application.currency,
      previous_status: application.status as ApplicationStatus,
    };
    const approval = await this.approvals.request(tx, banker, {
      kind: LOAN_OVERRIDE,
      subject: { type: 'loan_application', id: application.id },
      payload,
      reason: input.reason,
    });
    await tx.loanApplication.update({
      where: { id: application.id },
      data: { status: 'pending_approval', updatedAt: this.clock.now() },
    });
    await this.audit.record(tx, banker, {
      action: 'loan_application.override_requested',
      subject: { type: 'loan_application', id: application.id },
      before: { status: application.status },
      after: {
        status: 'pending_approval',
        approval_id: approval.id,
        amount: formatAmount(amount, application.currency),
        currency: application.currency,
        term_months: term,
      },
      reason: input.reason,
    });
    return { approval };
  }

  private async approveOverride(tx: Db, approval: ApprovalRow, checker: Principal): Promise<void> {
    const payload = JSON.parse(approval.payload) as OverridePayload;
    const application = await this.lockApplication(tx, payload.application_id);
    if (!application) throw notFound('loan application');
    if (application.status !== 'pending_approval')
      throw conflict(`The application is ${application.status}.`);
    const amount = BigInt(payload.amount_minor);
    await this.assertTierRoom(tx, application.customerId, application.currency, amount);
    await this.applyOverride(tx, application, approval.makerId, checker.id, approval.makerReason, {
      amount,
      term: payload.term_months,
    });
  }

  private async rejectOverride(tx: Db, approval: ApprovalRow): Promise<void> {
    const payload = JSON.parse(approval.payload) as OverridePayload;
    await tx.loanApplication.updateMany({
      where: { id: payload.application_id, status: 'pending_approval' },
      data: { status: payload.previous_status, updatedAt: this.clock.now() },
    });
  }

  /** Records an override on the application: the engine's decision and score stay as they were. */
  private async applyOverride(
    tx: Db,
    application: ApplicationRow,
    makerId: string,
    checkerId: string | null,
    reason: string,
    offer: { amount: bigint; term: number } | null,
  ): Promise<ApplicationRow> {
    const now = this.clock.now();
    const updated = await tx.loanApplication.update({
      where: { id: application.id },
      data: {
        status: offer ? 'approved' : 'declined',
        offerAmountMinor: offer?.amount ?? null,
        offerTermMonths: offer?.term ?? null,
        offerExpiresOn: offer ? addDays(this.bankClock.today(), OFFER_VALID_DAYS) : null,
        overrideDecision: offer ? 'approve' : 'decline',
        overrideReason: reason,
        overriddenBy: makerId,
        overrideApprovedBy: checkerId,
        overriddenAt: now,
        updatedAt: now,
      },
    });
    await this.announce(tx, updated, null, true);
    await this.audit.record(
      tx,
      { id: checkerId ?? makerId, role: 'banker' },
      {
        action: 'loan_application.overridden',
        subject: { type: 'loan_application', id: application.id },
        before: { status: application.status, decision: application.decision },
        after: {
          status: updated.status,
          decision: updated.decision,
          offer: offer ? formatAmount(offer.amount, application.currency) : null,
          term_months: offer?.term ?? null,
          maker_id: makerId,
          checker_id: checkerId,
        },
        reason,
      },
    );
    return updated;
  }

  // ---- Acceptance ----

  /**
   * The customer accepts an approved offer: the loan is disbursed to their wallet in the same
   * transaction. Accounts, then the customer, then the application are locked first, so two accepts
   * (of this or another application) cannot both squeeze under the tier's loan cap.
   */
  async accept(tx: Sql, principal: Principal, id: string): Promise<LoanRecord> {
    if (principal.role !== 'customer') throw forbidden('Customers accept their own offers.');
    const [peek] = await tx.$queryRawUnsafe<{ customer_id: string; currency: string; product_id: string }[]>(
      'SELECT customer_id, currency, product_id FROM loan_applications WHERE id = ?',
      id,
    );
    if (!peek || peek.customer_id !== principal.id) throw notFound('loan application');
    const currency = String(peek.currency);
    const [wallet] = await tx.$queryRawUnsafe<{ id: string }[]>(
      "SELECT id FROM accounts WHERE owner_id = ? AND type = 'wallet' AND currency = ?",
      principal.id,
      currency,
    );
    if (!wallet) throw conflict(`You have no ${currency} wallet to receive the loan; open one first.`);
    await this.ledger.lock(tx, [String(wallet.id), ...this.loans.bankAccountsFor(currency)]);
    const [customer] = (await this.kyc.lockCustomers(tx, [principal.id])).values();
    if (!customer) throw notFound('loan application');
    const [row] = await tx.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT status, offer_amount_minor, offer_term_months, offer_expires_on, decision_id
         FROM loan_applications WHERE id = ?${this.forUpdate}`,
      id,
    );
    if (!row) throw notFound('loan application');
    if (row.status === 'accepted') throw conflict('The offer is already accepted.');
    if (row.status !== 'approved' || row.offer_amount_minor === null)
      throw conflict(`The application is ${String(row.status)}; only an approved offer can be accepted.`);
    const today = this.bankClock.today();
    if (daysBetween(today, String(row.offer_expires_on)) < 0)
      throw conflict(`The offer expired on ${String(row.offer_expires_on)}; apply again.`);
    const amount = BigInt(String(row.offer_amount_minor));
    await this.assertTierRoom(tx, principal.id, currency, amount);
    const product = await this.products.read(tx, String(peek.product_id));
    const [decision] = await tx.$queryRawUnsafe<{ score: unknown }[]>(
      'SELECT score FROM credit_decisions WHERE id = ?',
      String(row.decision_id),
    );
    const loan = await this.loans.disburse(tx, principal, {
      customerId: principal.id,
      walletAccountId: String(wallet.id),
      product,
      principalMinor: amount,
      termMonths: Number(row.offer_term_months),
      applicationId: id,
      score: decision ? Number(decision.score) : null,
    });
    await tx.$executeRawUnsafe(
      "UPDATE loan_applications SET status = 'accepted', loan_id = ?, updated_at = ? WHERE id = ?",
      loan.id,
      this.clock.now(),
      id,
    );
    await this.audit.record(tx, principal, {
      action: 'loan_application.accepted',
      subject: { type: 'loan_application', id },
      before: { status: 'approved' },
      after: { status: 'accepted', loan_id: loan.id, loan_number: loan.loanNumber },
    });
    return loan;
  }

  /** The KYC tier's loan cap holds over the customer's open loans and the new one together. */
  private async assertTierRoom(tx: Sql, customerId: string, currency: string, amount: bigint) {
    const [user] = await tx.$queryRawUnsafe<{ kyc_tier: unknown }[]>(
      'SELECT kyc_tier FROM users WHERE id = ?',
      customerId,
    );
    const cap = this.kyc.limitsOf(Number(user?.kyc_tier ?? 0), currency).loanCapMinor;
    const [row] = await tx.$queryRawUnsafe<{ total: unknown }[]>(
      `SELECT COALESCE(SUM(principal_outstanding_minor), 0) AS total FROM loans
        WHERE customer_id = ? AND currency = ? AND status IN (${OPEN})`,
      customerId,
      currency,
    );
    const exposure = BigInt(String(row?.total ?? 0));
    if (exposure + amount > cap)
      throw limitExceeded(
        `The KYC tier allows ${currency} ${formatAmount(cap, currency)} of loans at once; ${formatAmount(exposure, currency)} is outstanding.`,
      );
  }

  private async lockApplication(tx: Db, id: string): Promise<ApplicationRow | null> {
    const [row] = await tx.$queryRawUnsafe<{ id: string }[]>(
      `SELECT id FROM loan_applications WHERE id = ?${this.forUpdate}`,
      id,
    );
    if (!row) return null;
    return tx.loanApplication.findUnique({ where: { id } });
  }
}

function canSee(principal: Principal, customerId: string): boolean {
  if (principal.role === 'banker' || principal.role === 'admin') return true;
  return principal.role === 'customer' && principal.id === customerId;
}

export type { DecisionRow, Reason };
