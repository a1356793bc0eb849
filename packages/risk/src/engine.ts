/**
 * The decision engine: the champion scorer's score, the policy's hard rules and cut-offs, and
 * the limit, with every rule it evaluated recorded on the decision. Challengers are scored in
 * shadow and recorded, never deciding.
 */
import type { BureauReport } from './bureau/bureau.ts';
import { computeLimit, defaultPolicy, type LimitBreakdown, type Policy, validatePolicy } from './policy.ts';
import type { FeatureVector, Reason, ScoreContext, ScorerRegistry, ShadowResult } from './scorer.ts';

export type DecisionOutcome = 'approve' | 'refer' | 'decline';

export interface RuleResult {
  /** Stable rule identifier, e.g. "bureau.negativeListing". */
  rule: string;
  outcome: 'pass' | 'fail' | 'not_applicable';
  /** What a failure does to the decision. */
  effect: 'decline' | 'refer' | 'reduce_limit' | 'none';
  detail: string;
}

export interface DecisionInput {
  /** From extractFeatures: the feature values plus the exact average monthly inflow. */
  features: { values: FeatureVector; averageMonthlyInflowMinor: bigint };
  /** The bureau report, when one was fetched (see fetchBureauReport). */
  bureau?: BureauReport;
  /** The applicant's KYC tier; its cap comes from the policy unless `tierCapMinor` is given. */
  kycTier: string;
  tierCapMinor?: bigint;
  context?: ScoreContext;
}

export interface Decision {
  decision: DecisionOutcome;
  score: number;
  pd: number;
  grade: string;
  /** The champion's reason codes, largest points lost first. */
  reasons: Reason[];
  /** Approved (or, when referred, proposed) limit in minor units; 0n when declined. */
  limit: bigint;
  limitBreakdown: LimitBreakdown;
  rulesEvaluated: RuleResult[];
  modelVersion: string;
  policyVersion: string;
  warnings: string[];
  shadowResults: ShadowResult[];
}

export class DecisionEngine {
  readonly registry: ScorerRegistry;
  #policy: Policy;

  constructor(options: { registry: ScorerRegistry; policy?: Policy }) {
    this.registry = options.registry;
    this.#policy = validatePolicy(options.policy ?? defaultPolicy);
  }

  get policy(): Policy {
    return this.#policy;
  }

  /** Replaces the policy (validated first); decisions after this call use it. */
  setPolicy(policy: Policy): void {
    this.#policy = validatePolicy(structuredClone(policy));
  }

  decide(input: DecisionInput): Decision {
    const policy = this.#policy;
    const { champion, shadow } = this.registry.scoreAll(input.features.values, input.context);
    const rules: RuleResult[] = [];
    const bureau = input.bureau;

    const capText = policy.kycTierCapsMinor[input.kycTier];
    const tierCapMinor = input.tierCapMinor ?? (capText === undefined ? 0n : BigInt(capText));
    rules.push({
      rule: 'kyc.tierCap',
      outcome: tierCapMinor > 0n ? 'pass' : 'fail',
      effect: 'decline',
      detail: `KYC tier ${input.kycTier} may borrow up to ${tierCapMinor} minor units`,
    });

    const negative = bureau?.status === 'negative';
    rules.push({
      rule: 'bureau.negativeListing',
      outcome: !bureau || bureau.status === 'unavailable' ? 'not_applicable' : negative ? 'fail' : 'pass',
      effect: policy.bureau.declineOnNegativeListing ? 'decline' : 'none',
      detail: negative
        ? `${bureau.negativeListings.length} negative listing(s) at ${bureau.source}`
        : 'no negative listing reported',
    });

    const unavailable = !bureau || bureau.status === 'unavailable';
    rules.push({
      rule: 'bureau.available',
      outcome: unavailable ? 'fail' : 'pass',
      effect: policy.bureau.onUnavailable === 'ignore' ? 'none' : policy.bureau.onUnavailable,
      detail: !bureau
        ? 'no bureau report was given'
        : unavailable
          ? `bureau unavailable: ${bureau.error ?? 'no answer'}`
          : `report from ${bureau.source}`,
    });

    const thinFile = bureau?.status === 'thin_file';
    rules.push({
      rule: 'bureau.thinFile',
      outcome: unavailable ? 'not_applicable' : thinFile ? 'fail' : 'pass',
      effect: policy.bureau.onThinFile === 'refer' ? 'refer' : 'reduce_limit',
      detail: thinFile
        ? policy.bureau.onThinFile === 'refer'
          ? 'thin bureau file: referred'
          : `thin bureau file: income multiple × ${policy.bureau.thinFileLimitFactor}`
        : 'bureau file has history',
    });

    rules.push({
      rule: 'bureau.worstDaysPastDue',
      outcome: unavailable
        ? 'not_applicable'
        : bureau.worstDaysPastDue > policy.bureau.referAboveWorstDaysPastDue
          ? 'fail'
          : 'pass',
      effect: 'refer',
      detail: unavailable
        ? 'no bureau data'
        : `worst ${bureau.worstDaysPastDue} days past due (refer above ${policy.bureau.referAboveWorstDaysPastDue})`,
    });

    const tenure = input.features.values.tenureMonths;
    rules.push({
      rule: 'history.minimumTenure',
      outcome:
        typeof tenure !== 'number'
          ? 'not_applicable'
          : tenure >= policy.minimumTenureMonths
            ? 'pass'
            : 'fail',
      effect: 'decline',
      detail:
        typeof tenure === 'number'
          ? `${tenure.toFixed(1)} months of history (minimum ${policy.minimumTenureMonths})`
          : 'the scorer has no tenureMonths feature',
    });

    const { approveMinScore, referMinScore } = policy.cutoffs;
    const s = champion.score;
    rules.push({
      rule: 'score.cutoff',
      outcome: s >= approveMinScore ? 'pass' : 'fail',
      effect: s >= referMinScore ? 'refer' : 'decline',
      detail: `score ${s} (approve ≥ ${approveMinScore}, refer ≥ ${referMinScore})`,
    });

    const limitBreakdown = computeLimit(policy, {
      grade: champion.grade,
      averageMonthlyInflowMinor: input.features.averageMonthlyInflowMinor,
      tierCapMinor,
      thinFile: thinFile && policy.bureau.onThinFile === 'allow',
    });
    const minimum = BigInt(policy.limits.minimumLimitMinor);
    rules.push({
      rule: 'limit.minimum',
      outcome: limitBreakdown.limitMinor >= minimum ? 'pass' : 'fail',
      effect: 'decline',
      detail: `limit ${limitBreakdown.limitMinor} (${limitBreakdown.binding} binding; minimum ${minimum})`,
    });

    const failed = rules.filter((r) => r.outcome === 'fail');
    const decision: DecisionOutcome = failed.some((r) => r.effect === 'decline')
      ? 'decline'
      : failed.some((r) => r.effect === 'refer')
        ? 'refer'
        : 'approve';
    return {
      decision,
      score: champion.score,
      pd: champion.pd,
      grade: champion.grade,
      reasons: champion.reasons,
      limit: decision === 'decline' ? 0n : limitBreakdown.limitMinor,
      limitBreakdown,
      rulesEvaluated: rules,
      modelVersion: champion.modelVersion,
      policyVersion: `${policy.id}@${policy.version}`,
      warnings: champion.warnings,
      shadowResults: shadow,
    };
  }
}
