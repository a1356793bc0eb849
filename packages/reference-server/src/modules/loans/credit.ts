/**
 * Real-time credit decisions with @wekeza/risk: the customer's own ledger history (inflows,
 * outflows, balances) and prior loans with us become behavioural features; the credit bureau (the
 * sandbox bureau in sandbox mode, any `CreditBureau` a bank plugs in) is asked with a deadline; the
 * registry's champion scores (its challengers in shadow); the policy's cut-offs and hard rules
 * decide; the limit is capped by what the KYC tier may still borrow. Every scoring is stored with
 * its score, PD, model and policy versions, reason codes, the rules evaluated, the features used,
 * the bureau's answer and the challengers' results.
 *
 * A customer too new to score (a thin file: less history than the policy's minimum tenure, or no
 * inflow at all) is never declined for that alone: the bureau's hard rules still apply, and then
 * the bank's starter limit for the currency is offered (or, with none configured, the case is
 * referred to a banker). That is the bank's policy over the engine's, recorded as its own rule.
 */
import {
  type BehaviourFeatures,
  type BureauReport,
  type CreditBureau,
  type Decision,
  type DecisionEngine,
  extractFeatures,
  fetchBureauReport,
  type LedgerLine,
  type PriorLoan,
  type RuleResult,
  unavailableReport,
} from '@wekeza/risk';
import { formatAmount } from '@wekeza/sdk';
import type { BankClock } from '../../bank-clock.ts';
import type { Clock } from '../../clock.ts';
import type { Db, Sql } from '../../db/database.ts';
import { notFound } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { KycService } from '../kyc/service.ts';
import { OPEN_STATUSES } from './loan-book.ts';

export type CreditOutcome = 'approved' | 'declined' | 'referred';
export type DecisionRow = NonNullable<Awaited<ReturnType<Db['creditDecision']['findUnique']>>>;

export interface Reason {
  code: string;
  text: string;
}

/** One scoring of one customer in one currency. */
export interface CreditAssessment {
  customerId: string;
  currency: string;
  bankDate: string;
  outcome: CreditOutcome;
  /** What may be borrowed now (0 when declined; a proposal when referred). */
  limitMinor: bigint;
  /** The engine's own answer, as it gave it. */
  engine: Decision;
  /** Every rule: the engine's, then the bank's thin-file rule. */
  rules: RuleResult[];
  reasons: Reason[];
  thinFile: boolean;
  /** Principal outstanding on the customer's open loans in the currency. */
  exposureMinor: bigint;
  /** The KYC tier's loan cap in the currency. */
  tierCapMinor: bigint;
  features: BehaviourFeatures;
  bureau: BureauReport;
}

export interface CreditOptions {
  /** A thin file's starter limit per currency (absent or 0: referred instead). */
  starterLimits: Record<string, bigint>;
  /** How long the bureau may take before its answer counts as unavailable. */
  bureauTimeoutMs: number;
}

/** How many of the wallet's latest postings the features read (a year of a busy account). */
const HISTORY_LINES = 5_000;

const OPEN = OPEN_STATUSES.map((s) => `'${s}'`).join(', ');

const json = (value: unknown) => JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));

/** `bureau.negativeListing` → `BUREAU_NEGATIVE_LISTING`. */
function ruleCode(rule: string): string {
  return rule
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/\./g, '_')
    .toUpperCase();
}

const OUTCOMES = { approve: 'approved', refer: 'referred', decline: 'declined' } as const;

export class CreditService {
  constructor(
    /** Plain SQL (mysql2 on MySQL): the decision path runs a few statements, each cheap. */
    private readonly db: Sql,
    private readonly engine: DecisionEngine,
    private readonly bureau: CreditBureau,
    private readonly bankClock: BankClock,
    private readonly kyc: KycService,
    private readonly clock: Clock,
    private readonly options: CreditOptions,
  ) {}

  /** Called before each decision: brings the engine's policy and champion up to date (risk-ops). */
  refresh: (() => Promise<void>) | undefined;

  /** The starter limit a thin file gets in the currency (0: referred instead). */
  starterLimit(currency: string): bigint {
    return this.options.starterLimits[currency] ?? 0n;
  }

  /**
   * Scores a customer for borrowing in `currency` now. Reads only (the bureau call included), so
   * it runs before any transaction opens; `record` stores the result in the caller's.
   */
  async assess(customerId: string, currency: string): Promise<CreditAssessment> {
    // One statement for the customer, their exposure and their wallet (the decision path is hot).
    const [customer] = await this.db.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT u.role, u.kyc_tier, u.national_id, u.status,
              (SELECT COALESCE(SUM(principal_outstanding_minor), 0) FROM loans
                WHERE customer_id = u.id AND currency = ? AND status IN (${OPEN})) AS exposure,
              w.id AS wallet_id, w.posting_count AS wallet_postings
         FROM users u LEFT JOIN accounts w ON w.owner_id = u.id AND w.type = 'wallet' AND w.currency = ?
        WHERE u.id = ?`,
      currency,
      currency,
      customerId,
    );
    if (customer?.role !== 'customer') throw notFound('customer');
    const today = this.bankClock.today();
    const kycTier = Number(customer.kyc_tier);
    const nationalId = customer.national_id === null ? null : String(customer.national_id);
    const active = customer.status === 'active';
    const tierCapMinor = this.kyc.limitsOf(kycTier, currency).loanCapMinor;
    const exposureMinor = BigInt(String(customer.exposure ?? 0));
    const wallet =
      customer.wallet_id === null || customer.wallet_id === undefined
        ? null
        : { id: String(customer.wallet_id), postings: BigInt(String(customer.wallet_postings)) };
    const [features, bureau] = await Promise.all([
      this.features(customerId, wallet, currency, today),
      nationalId
        ? fetchBureauReport(this.bureau, nationalId, { timeoutMs: this.options.bureauTimeoutMs })
        : Promise.resolve(unavailableReport('', this.bureau.name, 'no national ID on file')),
    ]);
    const room = tierCapMinor > exposureMinor ? tierCapMinor - exposureMinor : 0n;
    await this.refresh?.();
    const engine = this.engine.decide({
      features,
      bureau,
      kycTier: `tier${kycTier}`,
      tierCapMinor: room,
      context: { asOf: today },
    });
    const { outcome, limitMinor, rules, reasons, thinFile } = bankOutcome(engine, {
      averageMonthlyInflowMinor: features.averageMonthlyInflowMinor,
      roomMinor: room,
      active,
      starterMinor: this.options.starterLimits[currency] ?? 0n,
      currency,
    });
    return {
      customerId,
      currency,
      bankDate: today,
      outcome,
      limitMinor,
      engine,
      rules,
      reasons,
      thinFile,
      exposureMinor,
      tierCapMinor,
      features,
      bureau,
    };
  }

  /** Stores a scoring (immutable) and answers the stored row. */
  async record(
    tx: Sql,
    assessment: CreditAssessment,
    kind: 'credit_limit' | 'application',
  ): Promise<DecisionRow> {
    const { engine, bureau, features } = assessment;
    const row: DecisionRow = {
      id: newId('dec'),
      customerId: assessment.customerId,
      kind,
      bankDate: assessment.bankDate,
      currency: assessment.currency,
      decision: assessment.outcome,
      score: engine.score,
      pd: pdText(engine.pd),
      grade: engine.grade,
      limitMinor: assessment.limitMinor,
      modelVersion: engine.modelVersion,
      policyVersion: engine.policyVersion,
      reasons: json(assessment.reasons),
      rules: json({
        rules: assessment.rules,
        limit: engine.limitBreakdown,
        thin_file: assessment.thinFile,
        exposure_minor: assessment.exposureMinor,
        tier_cap_minor: assessment.tierCapMinor,
        warnings: engine.warnings,
      }),
      features: json({
        as_of: features.asOf,
        values: features.values,
        average_monthly_inflow_minor: features.averageMonthlyInflowMinor,
        average_monthly_outflow_minor: features.averageMonthlyOutflowMinor,
        periods_observed: features.periodsObserved,
      }),
      // The national ID is not copied here: the report's findings are what the decision used.
      bureau: json({ ...bureau, nationalId: undefined }),
      shadow: json(engine.shadowResults),
      createdAt: this.clock.now(),
    };
    await tx.$executeRawUnsafe(
      `INSERT INTO credit_decisions (id, customer_id, kind, bank_date, currency, decision, score, pd, grade, limit_minor,
         model_version, policy_version, reasons, rules, features, bureau, shadow, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      row.id,
      row.customerId,
      row.kind,
      row.bankDate,
      row.currency,
      row.decision,
      row.score,
      row.pd,
      row.grade,
      row.limitMinor,
      row.modelVersion,
      row.policyVersion,
      row.reasons,
      row.rules,
      row.features,
      row.bureau,
      row.shadow,
      row.createdAt,
    );
    return row;
  }

  /** The behavioural features of the customer's wallet in `currency` and their loans with us. */
  private async features(
    customerId: string,
    wallet: { id: string; postings: bigint } | null,
    currency: string,
    asOf: string,
  ): Promise<BehaviourFeatures> {
    const lines: LedgerLine[] = [];
    if (wallet) {
      // The first posting (for tenure) and the latest ones, by the (account, sequence) index.
      const rows = await this.db.$queryRawUnsafe<Record<string, unknown>[]>(
        `SELECT e.effective_date, e.kind, p.side, p.amount_minor, p.balance_after_minor
           FROM postings p JOIN journal_entries e ON e.id = p.entry_id
          WHERE p.account_id = ? AND (p.account_seq = 1 OR p.account_seq > ?)`,
        wallet.id,
        wallet.postings - BigInt(HISTORY_LINES),
      );
      for (const row of rows) {
        const amount = BigInt(String(row.amount_minor));
        // Money we lent is not income.
        if (row.kind === 'loan_disbursement') continue;
        lines.push({
          date: String(row.effective_date),
          amountMinor: row.side === 'credit' ? amount : -amount,
          balanceAfterMinor: BigInt(String(row.balance_after_minor)),
        });
      }
    }
    const loans = await this.db.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT l.disbursement_date, l.closed_on, l.worst_days_past_due,
              SUM(CASE WHEN i.due_date <= ? THEN 1 ELSE 0 END) AS due,
              SUM(CASE WHEN i.due_date <= ? AND i.settled_on IS NOT NULL AND i.settled_on <= i.due_date THEN 1 ELSE 0 END) AS on_time
         FROM loans l LEFT JOIN loan_instalments i ON i.loan_id = l.id
        WHERE l.customer_id = ? AND l.currency = ?
        GROUP BY l.id, l.disbursement_date, l.closed_on, l.worst_days_past_due`,
      asOf,
      asOf,
      customerId,
      currency,
    );
    const priorLoans: PriorLoan[] = loans.map((row) => ({
      disbursedOn: String(row.disbursement_date),
      ...(row.closed_on === null ? {} : { closedOn: String(row.closed_on) }),
      instalmentsDue: Number(row.due ?? 0),
      instalmentsPaidOnTime: Number(row.on_time ?? 0),
      worstDaysPastDue: Number(row.worst_days_past_due),
    }));
    return extractFeatures(lines, asOf, priorLoans);
  }
}

/**
 * The bank's decision from the engine's (pure): a thin file — less history than the policy's
 * minimum tenure, or no inflow — is never declined for that alone: the bureau's and the tier's hard
 * rules still apply, then the starter limit is offered (or, with none, the case is referred). A
 * closed customer is declined. Used by every decision and by the policy dry run alike.
 */
export function bankOutcome(
  engine: Decision,
  input: {
    averageMonthlyInflowMinor: bigint;
    roomMinor: bigint;
    active: boolean;
    starterMinor: bigint;
    currency: string;
  },
): { outcome: CreditOutcome; limitMinor: bigint; rules: RuleResult[]; reasons: Reason[]; thinFile: boolean } {
  let outcome: CreditOutcome = OUTCOMES[engine.decision];
  let limitMinor = engine.limit;
  const rules = [...engine.rulesEvaluated];
  const failed = (rule: RuleResult) => rule.outcome === 'fail';
  const thinFile =
    rules.some((r) => r.rule === 'history.minimumTenure' && failed(r)) ||
    input.averageMonthlyInflowMinor === 0n;
  const { currency, roomMinor: room } = input;
  if (thinFile && input.active) {
    // The bureau's and the tier's rules still hold; the score, tenure and income limit say nothing yet.
    const hard = rules.filter((r) => failed(r) && (r.rule.startsWith('bureau.') || r.rule === 'kyc.tierCap'));
    const starter = input.starterMinor;
    const offer = starter < room ? starter : room;
    if (hard.some((r) => r.effect === 'decline')) {
      outcome = 'declined';
      limitMinor = 0n;
    } else if (hard.some((r) => r.effect === 'refer') || offer <= 0n) {
      outcome = 'referred';
      limitMinor = offer > 0n ? offer : 0n;
    } else {
      outcome = 'approved';
      limitMinor = offer;
    }
    rules.push({
      rule: 'thinFile.starterLimit',
      outcome: 'fail',
      effect: 'none',
      detail: `thin file: starter limit ${formatAmount(starter, currency)} ${currency} (tier room ${formatAmount(room, currency)})`,
    });
  }
  if (!input.active) {
    outcome = 'declined';
    limitMinor = 0n;
  }
  const reasons: Reason[] = [
    ...rules
      .filter((r) => failed(r) && r.rule !== 'thinFile.starterLimit')
      .map((r) => ({ code: ruleCode(r.rule), text: r.detail })),
    ...(thinFile ? [{ code: 'THIN_FILE', text: 'Too little history with us to score yet.' }] : []),
    ...engine.reasons.map((r) => ({ code: r.code, text: r.text })),
  ];
  return { outcome, limitMinor, rules, reasons, thinFile };
}

/** A PD as a decimal string with six places (a probability, not money). */
export function pdText(pd: number): string {
  return pd.toFixed(6);
}
