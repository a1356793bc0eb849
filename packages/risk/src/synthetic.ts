/**
 * Synthetic customer behaviour: a documented stochastic model of income, spending, borrowing
 * and default, deterministic by seed. It trains the behavioural model the sandbox bank ships
 * with and seeds demo customers. No real person is described.
 *
 * Per customer (each customer has its own generator, seeded from (seed, index)):
 * - segment: salaried 45 %, informal trader 40 %, gig worker 15 %.
 * - typical monthly income (KES, as minor units ×100): log-normal with medians 45,000 / 25,000 /
 *   15,000 and log-sd 0.6 / 0.8 / 0.9; month-to-month noise log-sd 0.08 / 0.4 / 0.8.
 * - financial stress z ~ N(0, 1), unobserved: raises spending, late repayments and default.
 * - spending ratio: 0.6 + 0.35·Beta(4, 4) + 0.08·z, clipped to [0.4, 1.4] of income.
 * - income shock: with probability 6 % + 4 %·max(z, 0) income stops 1–3 months before as-of.
 * - tenure: 1 + Gamma(2, 12) months, at most 120. Older history is summarised by one opening
 *   line carrying the balance; lines are generated for the last 12 periods (or the tenure).
 * - activity: inflow lines per month Poisson(1 / 6 / 3) + 1; outflow lines Poisson(6 / 10 / 6) + 1,
 *   splitting the month's amounts with Gamma(2) weights; outflows never overdraw the balance.
 * - prior loans: Poisson(0.08 × tenure months, at most 8), each with 3–12 instalments paid on
 *   time with probability sigmoid(2.8 − 1.1·z); worst days past due grows with missed instalments.
 * - default within 12 months after as-of: Bernoulli(sigmoid(η)),
 *   η = −2.75 + 0.85·z − 0.55·ln(income / 30,000 KES) + 2.2·(spending − 0.9) + 1.6·shock
 *       + 0.5·(month noise log-sd) + 0.35·[tenure < 6 months] + 0.6·[a prior loan went > 30 days late];
 *   this gives a bad rate near 11 %.
 */

import {
  type BehaviourFeatures,
  extractFeatures,
  type LedgerLine,
  PERIOD_DAYS,
  type PriorLoan,
  WINDOW_PERIODS,
} from './features/behaviour.ts';
import { dayNumber, isoDate } from './features/dates.ts';
import { createRandom, type Random } from './random.ts';
import type { FeatureValue } from './scorer.ts';
import type { Dataset } from './train/dataset.ts';

export type Segment = 'salaried' | 'informal' | 'gig';

export interface SyntheticCustomer {
  id: string;
  /** Sandbox national ID; its last digit picks the sandbox bureau's answer (see SandboxBureau). */
  nationalId: string;
  kycTier: 'tier1' | 'tier2' | 'tier3';
  segment: Segment;
  asOf: string;
  lines: LedgerLine[];
  priorLoans: PriorLoan[];
  /** The true default probability the generator used (unknown to any scorer). */
  truePd: number;
  /** Whether the customer defaulted within 12 months after `asOf`. */
  defaulted: boolean;
}

export interface SyntheticOptions {
  seed: number;
  /** As-of date of every customer (default 2025-06-30). */
  asOf?: string;
}

const SEGMENTS: Record<
  Segment,
  { median: number; logSd: number; noise: number; inLines: number; outLines: number }
> = {
  salaried: { median: 45_000, logSd: 0.6, noise: 0.08, inLines: 1, outLines: 6 },
  informal: { median: 25_000, logSd: 0.8, noise: 0.4, inLines: 6, outLines: 10 },
  gig: { median: 15_000, logSd: 0.9, noise: 0.8, inLines: 3, outLines: 6 },
};

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

function customerSeed(seed: number, index: number): number {
  let h = (seed ^ 0x5bd1e995) >>> 0;
  h = Math.imul(h ^ index, 0x9e3779b1) >>> 0;
  return (h ^ (h >>> 15)) >>> 0;
}

function split(random: Random, total: number, parts: number): number[] {
  // Gamma(2, 1) as the sum of two unit exponentials: −ln(u1·u2).
  const weights = Array.from({ length: parts }, () => -Math.log((1 - random.next()) * (1 - random.next())));
  const sum = weights.reduce((s, w) => s + w, 0);
  return weights.map((w) => (total * w) / sum);
}

/** Generates customer `index` of the population fixed by `seed`. */
export function syntheticCustomer(index: number, options: SyntheticOptions): SyntheticCustomer {
  const random = createRandom(customerSeed(options.seed, index));
  const asOf = options.asOf ?? '2025-06-30';
  const asOfDay = dayNumber(asOf);
  const u = random.next();
  const segment: Segment = u < 0.45 ? 'salaried' : u < 0.85 ? 'informal' : 'gig';
  const seg = SEGMENTS[segment];
  const income = seg.median * Math.exp(random.normal(0, seg.logSd)); // KES per month
  const z = random.normal();
  const spending = Math.min(1.4, Math.max(0.4, 0.6 + 0.35 * random.beta(4, 4) + 0.08 * z));
  const shock = random.bernoulli(0.06 + 0.04 * Math.max(z, 0));
  const shockMonths = shock ? random.int(1, 3) : 0;
  const tenureMonths = Math.min(120, 1 + random.gamma(2, 12));
  const tenureDays = Math.max(1, Math.round(tenureMonths * 30.4375));
  const periods = Math.min(WINDOW_PERIODS, Math.ceil(tenureDays / PERIOD_DAYS));

  const lines: LedgerLine[] = [];
  let balance = BigInt(Math.round(income * 100 * random.gamma(1, 0.5)));
  const openingDay = asOfDay - tenureDays;
  lines.push({
    date: isoDate(openingDay),
    amountMinor: balance > 0n ? balance : 1n,
    balanceAfterMinor: balance > 0n ? balance : 1n,
  });
  if (balance <= 0n) balance = 1n;

  for (let period = periods - 1; period >= 0; period--) {
    // Period `period` covers days (asOf − 30·(period+1), asOf − 30·period].
    const end = asOfDay - PERIOD_DAYS * period;
    const start = Math.max(openingDay + 1, end - PERIOD_DAYS + 1);
    if (start > end) continue;
    const monthIncome =
      period < shockMonths ? 0 : income * Math.exp(random.normal(-0.5 * seg.noise ** 2, seg.noise));
    const monthSpend =
      (income * spending * Math.exp(random.normal(0, 0.15)) * (period < shockMonths ? 0.6 : 1)) | 0;
    const events: { day: number; amount: bigint }[] = [];
    if (monthIncome > 0)
      for (const part of split(random, monthIncome, random.poisson(seg.inLines) + 1))
        events.push({ day: random.int(start, end), amount: BigInt(Math.max(1, Math.round(part * 100))) });
    for (const part of split(random, monthSpend, random.poisson(seg.outLines) + 1))
      events.push({ day: random.int(start, end), amount: -BigInt(Math.max(1, Math.round(part * 100))) });
    events.sort((a, b) => a.day - b.day || (a.amount > b.amount ? -1 : 1));
    for (const e of events) {
      let amount = e.amount;
      if (amount < 0n && balance + amount < 0n) amount = -balance;
      if (amount === 0n) continue;
      balance += amount;
      lines.push({ date: isoDate(e.day), amountMinor: amount, balanceAfterMinor: balance });
    }
  }

  const priorLoans: PriorLoan[] = [];
  const loanCount = Math.min(8, random.poisson(0.08 * tenureMonths));
  let lateOver30 = false;
  for (let k = 0; k < loanCount; k++) {
    const disbursed = openingDay + random.int(0, Math.max(0, tenureDays - 30));
    const due = random.int(3, 12);
    const pOnTime = sigmoid(2.8 - 1.1 * z);
    let onTime = 0;
    for (let i = 0; i < due; i++) if (random.bernoulli(pOnTime)) onTime++;
    const missed = due - onTime;
    const worst = missed === 0 ? 0 : Math.min(365, Math.round(random.gamma(1 + missed, 6)));
    if (worst > 30) lateOver30 = true;
    const closed = disbursed + due * 30 + worst;
    priorLoans.push({
      disbursedOn: isoDate(disbursed),
      ...(closed <= asOfDay ? { closedOn: isoDate(closed) } : {}),
      instalmentsDue: due,
      instalmentsPaidOnTime: onTime,
      worstDaysPastDue: worst,
    });
  }

  const eta =
    -2.75 +
    0.85 * z -
    0.55 * Math.log(income / 30_000) +
    2.2 * (spending - 0.9) +
    1.6 * (shock ? 1 : 0) +
    0.5 * seg.noise +
    0.35 * (tenureMonths < 6 ? 1 : 0) +
    0.6 * (lateOver30 ? 1 : 0);
  const truePd = sigmoid(eta);
  const defaulted = random.bernoulli(truePd);
  const kycTier = tenureMonths < 3 ? 'tier1' : random.bernoulli(0.5) ? 'tier2' : 'tier3';
  return {
    id: `synthetic-${options.seed}-${index}`,
    nationalId: String(30_000_000 + index),
    kycTier,
    segment,
    asOf,
    lines,
    priorLoans,
    truePd,
    defaulted,
  };
}

/** Generates `count` customers (indices 0 … count − 1). */
export function* syntheticCustomers(count: number, options: SyntheticOptions): Generator<SyntheticCustomer> {
  for (let i = 0; i < count; i++) yield syntheticCustomer(i, options);
}

/** Features and outcomes of `count` synthetic customers, ready for trainModel (lines are not kept). */
export function syntheticDataset(
  count: number,
  options: SyntheticOptions,
): Dataset & { features: { name: string; kind: 'numeric' }[] } {
  const rows: Record<string, FeatureValue>[] = [];
  const labels = new Uint8Array(count);
  let names: string[] = [];
  for (let i = 0; i < count; i++) {
    const customer = syntheticCustomer(i, options);
    const features: BehaviourFeatures = extractFeatures(customer.lines, customer.asOf, customer.priorLoans);
    rows.push(features.values);
    labels[i] = customer.defaulted ? 1 : 0;
    if (i === 0) names = Object.keys(features.values);
  }
  return {
    features: names.map((name) => ({ name, kind: 'numeric' as const })),
    rows,
    labels,
    target: { column: 'defaulted', bad: '1' },
    excluded: [],
  };
}
