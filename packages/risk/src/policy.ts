/**
 * Credit policy as data: cut-offs, hard rules and limit rules in one JSON-serialisable object,
 * so an administrator can change them without a deploy. Amounts are minor units written as
 * integer strings, rates and shares as decimal strings; all money arithmetic runs on bigint and
 * decimal.js, never on floating point.
 */
import Decimal from 'decimal.js';

export interface Policy {
  id: string;
  version: string;
  /** Score cut-offs: approve at or above `approveMinScore`, refer at or above `referMinScore`, else decline. */
  cutoffs: { approveMinScore: number; referMinScore: number };
  bureau: {
    /** Decline when the bureau lists the applicant negatively. */
    declineOnNegativeListing: boolean;
    /** What to do when the bureau did not answer, or no report was given. */
    onUnavailable: 'refer' | 'decline' | 'ignore';
    /** What to do with a thin file: refer it, or allow it with a reduced limit. */
    onThinFile: 'refer' | 'allow';
    /** Share of the band-multiple limit a thin file keeps (decimal string, e.g. "0.5"). */
    thinFileLimitFactor: string;
    /** Refer when the bureau reports worse arrears than this many days. */
    referAboveWorstDaysPastDue: number;
  };
  /** Decline when the customer's ledger history is shorter than this. */
  minimumTenureMonths: number;
  /** Largest loan per KYC tier, minor units as integer strings; a tier not listed cannot borrow. */
  kycTierCapsMinor: Record<string, string>;
  limits: {
    /** Multiple of average monthly inflow per grade (decimal strings); grades not listed get 0. */
    gradeMultiples: Record<string, string>;
    affordability: {
      /** Largest instalment as a share of average monthly inflow (decimal string, e.g. "0.3"). */
      maxInstalmentShare: string;
      /** Nominal annual interest rate used in the annuity formula (decimal string). */
      annualRate: string;
      termMonths: number;
    };
    /** Limits are rounded down to a multiple of this (minor units). */
    roundDownToMinor: string;
    /** A limit below this declines the application (minor units). */
    minimumLimitMinor: string;
  };
}

/** The sandbox bank's policy (amounts in KES cents). Scores refer to the default 0–1000 scaling. */
export const defaultPolicy: Policy = {
  id: 'sandbox-consumer',
  version: '1.0.0',
  cutoffs: { approveMinScore: 540, referMinScore: 460 },
  bureau: {
    declineOnNegativeListing: true,
    onUnavailable: 'refer',
    onThinFile: 'allow',
    thinFileLimitFactor: '0.5',
    referAboveWorstDaysPastDue: 60,
  },
  minimumTenureMonths: 1,
  kycTierCapsMinor: { tier1: '500000', tier2: '5000000', tier3: '50000000' },
  limits: {
    gradeMultiples: { A: '1.5', B: '1.2', C: '1', D: '0.6', E: '0.3' },
    affordability: { maxInstalmentShare: '0.3', annualRate: '0.18', termMonths: 6 },
    roundDownToMinor: '10000',
    minimumLimitMinor: '100000',
  },
};

export class PolicyValidationError extends Error {
  readonly code = 'POLICY_INVALID';
  constructor(readonly problems: string[]) {
    super(`invalid policy: ${problems.join('; ')}`);
    this.name = 'PolicyValidationError';
  }
}

const INTEGER = /^\d+$/;
const DECIMAL = /^\d+(?:\.\d+)?$/;

/** Checks a policy (e.g. parsed from an administrator's JSON); throws listing every problem. */
export function validatePolicy(policy: Policy): Policy {
  const problems: string[] = [];
  const p = policy as Partial<Policy>;
  if (typeof p?.id !== 'string' || typeof p.version !== 'string')
    problems.push('id and version are required');
  const c = p?.cutoffs;
  if (!c || !Number.isFinite(c.approveMinScore) || !Number.isFinite(c.referMinScore))
    problems.push('cutoffs.approveMinScore and cutoffs.referMinScore must be numbers');
  else if (c.referMinScore > c.approveMinScore)
    problems.push('cutoffs.referMinScore must not exceed approveMinScore');
  const b = p?.bureau;
  if (!b) problems.push('bureau rules are required');
  else {
    if (!['refer', 'decline', 'ignore'].includes(b.onUnavailable))
      problems.push('bureau.onUnavailable is invalid');
    if (!['refer', 'allow'].includes(b.onThinFile)) problems.push('bureau.onThinFile is invalid');
    if (!DECIMAL.test(b.thinFileLimitFactor ?? '') || new Decimal(b.thinFileLimitFactor).gt(1))
      problems.push('bureau.thinFileLimitFactor must be a decimal in [0, 1]');
    if (!(b.referAboveWorstDaysPastDue >= 0)) problems.push('bureau.referAboveWorstDaysPastDue must be ≥ 0');
  }
  if (!(typeof p?.minimumTenureMonths === 'number' && p.minimumTenureMonths >= 0))
    problems.push('minimumTenureMonths must be ≥ 0');
  for (const [tier, cap] of Object.entries(p?.kycTierCapsMinor ?? {}))
    if (!INTEGER.test(cap))
      problems.push(`kycTierCapsMinor.${tier} must be an integer string of minor units`);
  const l = p?.limits;
  if (!l) problems.push('limits are required');
  else {
    for (const [grade, m] of Object.entries(l.gradeMultiples ?? {}))
      if (!DECIMAL.test(m)) problems.push(`limits.gradeMultiples.${grade} must be a decimal string`);
    const a = l.affordability;
    if (!a || !DECIMAL.test(a.maxInstalmentShare) || new Decimal(a.maxInstalmentShare).gt(1))
      problems.push('limits.affordability.maxInstalmentShare must be a decimal in [0, 1]');
    if (!a || !DECIMAL.test(a.annualRate))
      problems.push('limits.affordability.annualRate must be a decimal string');
    if (!a || !Number.isInteger(a.termMonths) || a.termMonths < 1)
      problems.push('limits.affordability.termMonths must be a positive integer');
    if (!INTEGER.test(l.roundDownToMinor ?? '') || l.roundDownToMinor === '0')
      problems.push('limits.roundDownToMinor must be a positive integer string');
    if (!INTEGER.test(l.minimumLimitMinor ?? ''))
      problems.push('limits.minimumLimitMinor must be an integer string');
  }
  if (problems.length > 0) throw new PolicyValidationError(problems);
  return policy;
}

const SCALE = 10n ** 18n;
const ratios = new Map<string, readonly [bigint, bigint]>();
const annuityFactors = new Map<string, bigint>();

/** An exact decimal string as numerator / denominator (cached: policies reuse a few values). */
function ratio(text: string): readonly [bigint, bigint] {
  let r = ratios.get(text);
  if (!r) {
    const d = new Decimal(text);
    const places = d.decimalPlaces();
    r = [BigInt(d.mul(new Decimal(10).pow(places)).toFixed(0)), 10n ** BigInt(places)];
    if (ratios.size > 1000) ratios.clear();
    ratios.set(text, r);
  }
  return r;
}

/** floor(amount × d1 × d2 × …) for decimal strings, in exact integer arithmetic. */
export function mulFloor(amountMinor: bigint, ...decimals: string[]): bigint {
  let num = 1n;
  let den = 1n;
  for (const d of decimals) {
    const [n, m] = ratio(d);
    num *= n;
    den *= m;
  }
  const product = amountMinor * num;
  const q = product / den;
  return product < 0n && q * den !== product ? q - 1n : q;
}

/** (1 − (1 + r)^−n) / r with r = annualRate / 12, as a fixed-point bigint with 18 decimals. */
function annuityFactor(annualRate: string, termMonths: number): bigint {
  const key = `${annualRate}/${termMonths}`;
  let f = annuityFactors.get(key);
  if (f === undefined) {
    const r = new Decimal(annualRate).div(12);
    const factor = r.isZero()
      ? new Decimal(termMonths)
      : new Decimal(1).minus(r.plus(1).pow(-termMonths)).div(r);
    f = BigInt(factor.mul(SCALE.toString()).floor().toFixed(0));
    if (annuityFactors.size > 1000) annuityFactors.clear();
    annuityFactors.set(key, f);
  }
  return f;
}

/**
 * Largest principal whose level instalment over `termMonths` at `annualRate` stays within
 * `maxInstalmentMinor` (annuity formula P = I · (1 − (1 + r)^−n) / r, r = annualRate / 12),
 * floored to whole minor units. The factor is computed once per rate and term with decimal.js
 * (20 significant digits) and applied in exact bigint arithmetic at 18 decimal places.
 */
export function affordablePrincipalMinor(
  maxInstalmentMinor: bigint,
  annualRate: string,
  termMonths: number,
): bigint {
  if (maxInstalmentMinor <= 0n) return 0n;
  return (maxInstalmentMinor * annuityFactor(annualRate, termMonths)) / SCALE;
}

export interface LimitBreakdown {
  /** Grade multiple of average monthly inflow (after any thin-file factor). */
  incomeMultipleMinor: bigint;
  affordabilityMinor: bigint;
  tierCapMinor: bigint;
  /** Which cap is binding. */
  binding: 'incomeMultiple' | 'affordability' | 'tierCap';
  limitMinor: bigint;
}

/** The limit: the smallest of the income multiple, the affordability cap and the tier cap, rounded down. */
export function computeLimit(
  policy: Policy,
  input: { grade: string; averageMonthlyInflowMinor: bigint; tierCapMinor: bigint; thinFile: boolean },
): LimitBreakdown {
  const inflow = input.averageMonthlyInflowMinor > 0n ? input.averageMonthlyInflowMinor : 0n;
  const multiple = policy.limits.gradeMultiples[input.grade] ?? '0';
  const incomeMultipleMinor = input.thinFile
    ? mulFloor(inflow, multiple, policy.bureau.thinFileLimitFactor)
    : mulFloor(inflow, multiple);
  const a = policy.limits.affordability;
  const maxInstalment = mulFloor(inflow, a.maxInstalmentShare);
  const affordabilityMinor = affordablePrincipalMinor(maxInstalment, a.annualRate, a.termMonths);
  const tierCapMinor = input.tierCapMinor > 0n ? input.tierCapMinor : 0n;
  let limit = incomeMultipleMinor;
  let binding: LimitBreakdown['binding'] = 'incomeMultiple';
  if (affordabilityMinor < limit) {
    limit = affordabilityMinor;
    binding = 'affordability';
  }
  if (tierCapMinor < limit) {
    limit = tierCapMinor;
    binding = 'tierCap';
  }
  const step = BigInt(policy.limits.roundDownToMinor);
  return {
    incomeMultipleMinor,
    affordabilityMinor,
    tierCapMinor,
    binding,
    limitMinor: (limit / step) * step,
  };
}
