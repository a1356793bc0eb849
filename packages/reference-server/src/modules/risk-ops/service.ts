/**
 * Risk Ops for administrators: the credit policy as data (read, validated change, dry run over the
 * last N applications) and the scoring models (list with governance numbers, compare, activate a
 * challenger as champion). Changes go through the maker-checker queue when configured
 * (`risk_policy_change`, `model_activation`: a second admin decides) or apply at once; either way
 * they are audited, and stored append-only (risk_policies, risk_model_activations) so every
 * instance's engine follows the database: each credit decision first brings the engine up to date
 * (re-read at most every two seconds, at once on the instance that made the change).
 */
import {
  type BureauReport,
  type DecisionEngine,
  DecisionEngine as Engine,
  type FeatureVector,
  type ModelArtifact,
  type Policy,
  PolicyValidationError,
  type Scorer,
  validatePolicy,
} from '@wekeza/risk';
import type { RiskPolicyRules } from '@wekeza/sdk/contract';
import type { BankClock } from '../../bank-clock.ts';
import type { Clock } from '../../clock.ts';
import type { Database, Db, Sql } from '../../db/database.ts';
import { conflict, forbidden, notFound, validationFailed } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { ApprovalRow, ApprovalsService } from '../approvals/service.ts';
import type { AuditLog } from '../audit/log.ts';
import type { Principal } from '../identity/service.ts';
import { bankOutcome, type CreditOutcome, type CreditService } from '../loans/credit.ts';
import {
  type Applicant,
  compareOn,
  type GovernanceFigures,
  governanceOf,
  type MaturedLoan,
} from './governance.ts';

export const POLICY_CHANGE = 'risk_policy_change';
export const MODEL_ACTIVATION = 'model_activation';

export type PolicyRow = NonNullable<Awaited<ReturnType<Db['riskPolicyVersion']['findUnique']>>>;
export type ActivationRow = NonNullable<Awaited<ReturnType<Db['riskModelActivation']['findUnique']>>>;

/** How often an instance re-reads the policy and champion others may have changed. */
const REFRESH_MS = 2_000;
/** Recent applicants for PSI and comparisons. */
const RECENT_APPLICANTS = 1_000;
const DEFAULT_DRY_RUN = 500;

export interface ModelView {
  scorer: Scorer;
  version: string;
  role: 'champion' | 'challenger';
  artifact: ModelArtifact | undefined;
  governance: GovernanceFigures;
  activation: ActivationRow | null;
}

export interface PolicyView {
  policy: Policy;
  row: PolicyRow | null;
}

export interface DryRunResult {
  applications: number;
  from: Date | null;
  to: Date | null;
  modelVersion: string;
  current: Outcomes;
  proposed: Outcomes;
  newlyApproved: number;
  newlyDeclined: number;
  changed: number;
  expectedBadRateOfNewlyApproved: string | null;
}

interface Outcomes {
  approved: number;
  referred: number;
  declined: number;
  approvalRate: string;
  expectedBadRate: string | null;
}

const versionOf = (scorer: { name: string; version: string }) => `${scorer.name}@${scorer.version}`;

/** The wire's rules as the engine's policy (the line's id, this version). */
export function policyFromRules(rules: RiskPolicyRules, id: string, version: string): Policy {
  return {
    id,
    version,
    cutoffs: {
      approveMinScore: rules.cutoffs.approve_min_score,
      referMinScore: rules.cutoffs.refer_min_score,
    },
    bureau: {
      declineOnNegativeListing: rules.bureau.decline_on_negative_listing,
      onUnavailable: rules.bureau.on_unavailable,
      onThinFile: rules.bureau.on_thin_file,
      thinFileLimitFactor: rules.bureau.thin_file_limit_factor,
      referAboveWorstDaysPastDue: rules.bureau.refer_above_worst_days_past_due,
    },
    minimumTenureMonths: rules.minimum_tenure_months,
    kycTierCapsMinor: Object.fromEntries(rules.kyc_tier_caps.map((c) => [c.tier, c.cap_minor])),
    limits: {
      gradeMultiples: Object.fromEntries(rules.limits.grade_multiples.map((g) => [g.grade, g.multiple])),
      affordability: {
        maxInstalmentShare: rules.limits.affordability.max_instalment_share,
        annualRate: rules.limits.affordability.annual_rate,
        termMonths: rules.limits.affordability.term_months,
      },
      roundDownToMinor: rules.limits.round_down_to_minor,
      minimumLimitMinor: rules.limits.minimum_limit_minor,
    },
  };
}

export function rulesOf(policy: Policy): RiskPolicyRules {
  return {
    cutoffs: {
      approve_min_score: policy.cutoffs.approveMinScore,
      refer_min_score: policy.cutoffs.referMinScore,
    },
    bureau: {
      decline_on_negative_listing: policy.bureau.declineOnNegativeListing,
      on_unavailable: policy.bureau.onUnavailable,
      on_thin_file: policy.bureau.onThinFile,
      thin_file_limit_factor: policy.bureau.thinFileLimitFactor,
      refer_above_worst_days_past_due: policy.bureau.referAboveWorstDaysPastDue,
    },
    minimum_tenure_months: policy.minimumTenureMonths,
    kyc_tier_caps: Object.entries(policy.kycTierCapsMinor).map(([tier, cap]) => ({ tier, cap_minor: cap })),
    limits: {
      grade_multiples: Object.entries(policy.limits.gradeMultiples).map(([grade, multiple]) => ({
        grade,
        multiple,
      })),
      affordability: {
        max_instalment_share: policy.limits.affordability.maxInstalmentShare,
        annual_rate: policy.limits.affordability.annualRate,
        term_months: policy.limits.affordability.termMonths,
      },
      round_down_to_minor: policy.limits.roundDownToMinor,
      minimum_limit_minor: policy.limits.minimumLimitMinor,
    },
  };
}

const parse = <T>(text: unknown, fallback: T): T => {
  try {
    return JSON.parse(String(text)) as T;
  } catch {
    return fallback;
  }
};

export class RiskOpsService {
  private loadedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly db: Database,
    private readonly engine: DecisionEngine,
    /** The artifacts of the registered models, by `name@version` (their training baselines). */
    private readonly artifacts: ReadonlyMap<string, ModelArtifact>,
    private readonly approvals: ApprovalsService,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly bankClock: BankClock,
    private readonly credit: CreditService,
    private readonly homeCurrency: string,
  ) {
    approvals.register({
      kind: POLICY_CHANGE,
      description: 'An administrator changes the credit policy (cut-offs, hard rules, limits).',
      makerRoles: ['admin'],
      checkerRoles: ['admin'],
      approve: (tx, approval, checker) => this.applyApprovedPolicy(tx, approval, checker),
      reject: async () => {},
    });
    approvals.register({
      kind: MODEL_ACTIVATION,
      description: 'An administrator makes a challenger model the champion.',
      makerRoles: ['admin'],
      checkerRoles: ['admin'],
      approve: (tx, approval, checker) => this.applyApprovedActivation(tx, approval, checker),
      reject: async () => {},
    });
    credit.refresh = () => this.fresh();
  }

  // ---- Keeping the engine in step with the database ----

  /** Re-reads the policy and the champion when the last read is older than REFRESH_MS. */
  async fresh(): Promise<void> {
    if (this.clock.now().getTime() - this.loadedAt < REFRESH_MS) return;
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    await this.loading;
  }

  /** Forget what was read: the next decision reads the database again. */
  invalidate(): void {
    this.loadedAt = Number.NEGATIVE_INFINITY;
  }

  /** Puts the latest stored policy and champion into the engine (read through `prisma`: a transaction's view). */
  async load(prisma: Db = this.db.prisma): Promise<void> {
    const [policy, activation] = await Promise.all([
      prisma.riskPolicyVersion.findFirst({ orderBy: { version: 'desc' } }),
      prisma.riskModelActivation.findFirst({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
    ]);
    const inForce = `${this.engine.policy.id}@${this.engine.policy.version}`;
    if (policy && inForce !== `${policy.policyId}@${policy.version}`)
      this.engine.setPolicy(JSON.parse(policy.rules) as Policy);
    if (activation) {
      const scorer = this.scorers().find((s) => versionOf(s) === activation.modelVersion);
      if (scorer && versionOf(this.engine.registry.champion()) !== activation.modelVersion)
        this.engine.registry.promote(scorer.name);
    }
    this.loadedAt = this.clock.now().getTime();
  }

  private scorers(): Scorer[] {
    return [this.engine.registry.champion(), ...this.engine.registry.challengers()];
  }

  // ---- Policy ----

  async policy(principal: Principal): Promise<PolicyView> {
    this.assertAdmin(principal, 'read');
    await this.fresh();
    const row = await this.db.prisma.riskPolicyVersion.findFirst({ orderBy: { version: 'desc' } });
    return { policy: this.engine.policy, row };
  }

  /** A proposed policy, validated by the risk library (every problem listed as a 422). */
  private proposed(rules: RiskPolicyRules, version: string): Policy {
    const policy = policyFromRules(rules, this.engine.policy.id, version);
    try {
      return validatePolicy(policy);
    } catch (error) {
      if (error instanceof PolicyValidationError)
        throw validationFailed(error.problems.map((message) => ({ path: 'body.rules', message })));
      throw error;
    }
  }

  /** Changes the policy: at once, or as a request for a second admin (answers the approval). */
  async updatePolicy(
    tx: Db,
    maker: Principal,
    rules: RiskPolicyRules,
    reason: string,
  ): Promise<{ policy: PolicyView } | { approval: ApprovalRow }> {
    this.assertAdmin(maker, 'change');
    this.proposed(rules, 'proposed');
    await this.load(tx);
    if (this.approvals.required(POLICY_CHANGE)) {
      const approval = await this.approvals.request(tx, maker, {
        kind: POLICY_CHANGE,
        subject: { type: 'risk_policy', id: this.engine.policy.id },
        payload: { rules, base_version: this.engine.policy.version },
        reason,
      });
      return { approval };
    }
    return { policy: await this.savePolicy(tx, maker.id, null, rules, reason) };
  }

  private async applyApprovedPolicy(tx: Db, approval: ApprovalRow, checker: Principal): Promise<void> {
    const payload = JSON.parse(approval.payload) as { rules: RiskPolicyRules };
    await this.load(tx);
    await this.savePolicy(tx, approval.makerId, checker.id, payload.rules, approval.makerReason);
  }

  private async savePolicy(
    tx: Db,
    makerId: string,
    checkerId: string | null,
    rules: RiskPolicyRules,
    reason: string,
  ): Promise<PolicyView> {
    const [latest] = await tx.$queryRawUnsafe<{ v: unknown }[]>(
      `SELECT MAX(version) AS v FROM risk_policies${this.db.dialect === 'mysql' ? ' FOR UPDATE' : ''}`,
    );
    const before = this.engine.policy;
    const current =
      latest?.v === null || latest?.v === undefined
        ? Number(before.version.split('.')[0]) || 1
        : Number(latest.v);
    const version = Math.max(current, 1) + 1;
    const policy = this.proposed(rules, String(version));
    const row = await tx.riskPolicyVersion.create({
      data: {
        id: newId('rpol'),
        version,
        policyId: policy.id,
        rules: JSON.stringify(policy),
        reason,
        createdBy: makerId,
        approvedBy: checkerId,
        createdAt: this.clock.now(),
      },
    });
    await this.audit.record(
      tx,
      { id: checkerId ?? makerId, role: 'admin' },
      {
        action: 'risk.policy_changed',
        subject: { type: 'risk_policy', id: policy.id },
        before: { version: `${before.id}@${before.version}`, rules: rulesOf(before) },
        after: { version: `${policy.id}@${policy.version}`, rules, maker_id: makerId, checker_id: checkerId },
        reason,
      },
    );
    this.invalidate();
    return { policy, row };
  }

  /**
   * The proposed rules over the last N applications, against the current rules on the same inputs
   * (the champion's scores, the features and bureau answers stored with each decision). Saves nothing.
   */
  async dryRun(principal: Principal, rules: RiskPolicyRules, lastN = DEFAULT_DRY_RUN): Promise<DryRunResult> {
    this.assertAdmin(principal, 'read');
    await this.fresh();
    const proposedPolicy = this.proposed(rules, 'dry-run');
    const current = new Engine({ registry: this.engine.registry, policy: this.engine.policy });
    const proposed = new Engine({ registry: this.engine.registry, policy: proposedPolicy });
    const rows = await this.db.sql.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT id, currency, features, bureau, rules, created_at FROM credit_decisions
        WHERE kind = 'application' ORDER BY id DESC LIMIT ${Math.max(1, Math.min(5000, Math.floor(lastN)))}`,
    );
    const tally = () => ({ approved: 0, referred: 0, declined: 0, pdApproved: 0 });
    const before = tally();
    const after = tally();
    let newlyApproved = 0;
    let newlyDeclined = 0;
    let changed = 0;
    let pdNewlyApproved = 0;
    let decided = 0;
    const count = (t: ReturnType<typeof tally>, outcome: CreditOutcome, pd: number) => {
      t[outcome] += 1;
      if (outcome === 'approved') t.pdApproved += pd;
    };
    for (const row of rows) {
      const features = parse<{
        values?: FeatureVector;
        average_monthly_inflow_minor?: string;
        as_of?: string;
      }>(row.features, {});
      const stored = parse<{ exposure_minor?: string; tier_cap_minor?: string }>(row.rules, {});
      if (!features.values) continue;
      const bureau = parse<BureauReport | null>(row.bureau, null) ?? undefined;
      const inflow = BigInt(features.average_monthly_inflow_minor ?? '0');
      const cap = BigInt(stored.tier_cap_minor ?? '0');
      const exposure = BigInt(stored.exposure_minor ?? '0');
      const room = cap > exposure ? cap - exposure : 0n;
      const currency = String(row.currency);
      const input = {
        features: { values: features.values, averageMonthlyInflowMinor: inflow },
        ...(bureau ? { bureau } : {}),
        kycTier: 'stored',
        tierCapMinor: room,
        ...(features.as_of ? { context: { asOf: features.as_of } } : {}),
      };
      let a: ReturnType<typeof bankOutcome>;
      let b: ReturnType<typeof bankOutcome>;
      let pd: number;
      try {
        const engineBefore = current.decide(input);
        const engineAfter = proposed.decide(input);
        pd = engineAfter.pd;
        const bank = {
          averageMonthlyInflowMinor: inflow,
          roomMinor: room,
          active: true,
          starterMinor: this.credit.starterLimit(currency),
          currency,
        };
        a = bankOutcome(engineBefore, bank);
        b = bankOutcome(engineAfter, bank);
      } catch {
        continue; // features today's champion cannot read
      }
      decided += 1;
      count(before, a.outcome, pd);
      count(after, b.outcome, pd);
      if (a.outcome !== b.outcome) changed += 1;
      if (b.outcome === 'approved' && a.outcome !== 'approved') {
        newlyApproved += 1;
        pdNewlyApproved += pd;
      }
      if (b.outcome === 'declined' && a.outcome !== 'declined') newlyDeclined += 1;
    }
    const outcomes = (t: ReturnType<typeof tally>): Outcomes => ({
      approved: t.approved,
      referred: t.referred,
      declined: t.declined,
      approvalRate: decided ? (t.approved / decided).toFixed(4) : '0.0000',
      expectedBadRate: t.approved ? (t.pdApproved / t.approved).toFixed(4) : null,
    });
    const times = rows.map((r) => new Date(r.created_at as string | Date));
    return {
      applications: decided,
      from: times.at(-1) ?? null,
      to: times[0] ?? null,
      modelVersion: versionOf(this.engine.registry.champion()),
      current: outcomes(before),
      proposed: outcomes(after),
      newlyApproved,
      newlyDeclined,
      changed,
      expectedBadRateOfNewlyApproved: newlyApproved ? (pdNewlyApproved / newlyApproved).toFixed(4) : null,
    };
  }

  // ---- Models ----

  /** Matured loans (past their last due date, closed or written off) with their decisions' features. */
  private async maturedLoans(currency: string, sql: Sql): Promise<MaturedLoan[]> {
    const today = this.bankClock.today();
    const rows = await sql.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT l.status, l.worst_days_past_due, d.features, d.bank_date
         FROM loans l
         JOIN loan_applications a ON a.id = l.application_id
         JOIN credit_decisions d ON d.id = a.decision_id
        WHERE l.currency = ?
          AND (l.status IN ('closed', 'written_off')
               OR (SELECT MAX(i.due_date) FROM loan_instalments i WHERE i.loan_id = l.id) <= ?)`,
      currency,
      today,
    );
    const out: MaturedLoan[] = [];
    for (const row of rows) {
      const features = parse<{ values?: FeatureVector; as_of?: string }>(row.features, {});
      if (!features.values) continue;
      out.push({
        features: features.values,
        asOf: features.as_of ?? String(row.bank_date),
        bad: row.status === 'written_off' || Number(row.worst_days_past_due) > 90,
      });
    }
    return out;
  }

  /** The latest applicants' features (PSI against the training population, comparisons). */
  private async recentApplicants(currency: string, sql: Sql): Promise<Applicant[]> {
    const rows = await sql.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT features, bank_date FROM credit_decisions WHERE kind = 'application' AND currency = ?
        ORDER BY id DESC LIMIT ${RECENT_APPLICANTS}`,
      currency,
    );
    const out: Applicant[] = [];
    for (const row of rows) {
      const features = parse<{ values?: FeatureVector; as_of?: string }>(row.features, {});
      if (features.values)
        out.push({ features: features.values, asOf: features.as_of ?? String(row.bank_date) });
    }
    return out;
  }

  private async book(currency: string, sql: Sql = this.db.sql) {
    const loans = await this.maturedLoans(currency, sql);
    const applicants = await this.recentApplicants(currency, sql);
    return { loans, applicants, asOf: this.bankClock.today() };
  }

  private figuresFor(scorer: Scorer, book: Awaited<ReturnType<RiskOpsService['book']>>): GovernanceFigures {
    const artifact = this.artifacts.get(versionOf(scorer));
    return governanceOf(scorer, artifact?.monitoring, book.loans, book.applicants, book.asOf);
  }

  async models(principal: Principal, currency = this.homeCurrency): Promise<ModelView[]> {
    this.assertAdmin(principal, 'read');
    await this.fresh();
    const book = await this.book(currency);
    const champion = versionOf(this.engine.registry.champion());
    const activations = await this.db.prisma.riskModelActivation.findMany({
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
    return this.scorers().map((scorer) => {
      const version = versionOf(scorer);
      return {
        scorer,
        version,
        role: version === champion ? 'champion' : 'challenger',
        artifact: this.artifacts.get(version),
        governance: this.figuresFor(scorer, book),
        activation: activations.find((a) => a.modelVersion === version) ?? null,
      };
    });
  }

  async compare(principal: Principal, versions: string[] | undefined, currency = this.homeCurrency) {
    this.assertAdmin(principal, 'read');
    await this.fresh();
    const all = this.scorers();
    const chosen = versions ? versions.map((v) => all.find((s) => versionOf(s) === v)) : all;
    const missing = versions?.filter((_v, i) => !chosen[i]);
    if (missing && missing.length > 0)
      throw validationFailed([{ path: 'query.versions', message: `no such model: ${missing.join(', ')}` }]);
    const scorers = chosen as Scorer[];
    const book = await this.book(currency);
    const champion = versionOf(this.engine.registry.champion());
    const { approval, agreement } = compareOn(
      scorers,
      book.applicants,
      this.engine.policy.cutoffs.approveMinScore,
    );
    return {
      as_of: book.asOf,
      applicants: book.applicants.length,
      models: scorers.map((scorer) => {
        const version = versionOf(scorer);
        return {
          version,
          role: version === champion ? ('champion' as const) : ('challenger' as const),
          governance: this.figuresFor(scorer, book),
          approval_rate: approval.get(version)?.rate ?? '0.0000',
          mean_pd: approval.get(version)?.meanPd ?? null,
        };
      }),
      agreement,
    };
  }

  async governance(principal: Principal, currency = this.homeCurrency, version?: string) {
    this.assertAdmin(principal, 'read');
    await this.fresh();
    const champion = versionOf(this.engine.registry.champion());
    const scorer = this.scorers().find((s) => versionOf(s) === (version ?? champion));
    if (!scorer) throw notFound('model');
    const book = await this.book(currency);
    return {
      version: versionOf(scorer),
      role: versionOf(scorer) === champion ? ('champion' as const) : ('challenger' as const),
      currency,
      figures: this.figuresFor(scorer, book),
    };
  }

  /** Makes a challenger the champion: at once, or as a request for a second admin. */
  async activate(
    tx: Db,
    maker: Principal,
    version: string,
    reason: string,
  ): Promise<{ activation: ActivationRow } | { approval: ApprovalRow }> {
    this.assertAdmin(maker, 'change');
    await this.load(tx);
    const scorer = this.scorers().find((s) => versionOf(s) === version);
    if (!scorer) throw notFound('model');
    const current = versionOf(this.engine.registry.champion());
    if (current === version) throw conflict(`${version} is already the champion.`);
    if (this.approvals.required(MODEL_ACTIVATION)) {
      const approval = await this.approvals.request(tx, maker, {
        kind: MODEL_ACTIVATION,
        subject: { type: 'risk_model', id: version },
        payload: { version, previous_version: current },
        reason,
      });
      return { approval };
    }
    return { activation: await this.saveActivation(tx, maker.id, null, version, reason) };
  }

  private async applyApprovedActivation(tx: Db, approval: ApprovalRow, checker: Principal): Promise<void> {
    const payload = JSON.parse(approval.payload) as { version: string };
    await this.load(tx);
    if (!this.scorers().some((s) => versionOf(s) === payload.version)) throw notFound('model');
    if (versionOf(this.engine.registry.champion()) === payload.version)
      throw conflict(`${payload.version} is already the champion.`);
    await this.saveActivation(tx, approval.makerId, checker.id, payload.version, approval.makerReason);
  }

  /** Stores the activation with the governance numbers of this moment; the engines follow. */
  private async saveActivation(
    tx: Db,
    makerId: string,
    checkerId: string | null,
    version: string,
    reason: string,
  ): Promise<ActivationRow> {
    const scorer = this.scorers().find((s) => versionOf(s) === version) as Scorer;
    const previous = versionOf(this.engine.registry.champion());
    const figures = this.figuresFor(scorer, await this.book(this.homeCurrency, tx));
    const row = await tx.riskModelActivation.create({
      data: {
        id: newId('mact'),
        modelVersion: version,
        previousVersion: previous,
        governance: JSON.stringify(figures),
        reason,
        activatedBy: makerId,
        approvedBy: checkerId,
        createdAt: this.clock.now(),
      },
    });
    await this.audit.record(
      tx,
      { id: checkerId ?? makerId, role: 'admin' },
      {
        action: 'risk.model_activated',
        subject: { type: 'risk_model', id: version },
        before: { champion: previous },
        after: { champion: version, governance: figures, maker_id: makerId, checker_id: checkerId },
        reason,
      },
    );
    this.invalidate();
    return row;
  }

  private assertAdmin(principal: Principal, what: 'read' | 'change'): void {
    if (principal.role !== 'admin')
      throw forbidden(what === 'change' ? 'Only administrators change models and policy.' : undefined);
  }
}
