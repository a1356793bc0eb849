/**
 * Behavioural features: pure functions over a customer's ledger lines and prior loans.
 * Nothing here reads a clock, a database or a random source; the same input gives the same output
 * and the input is never mutated.
 */
import type { FeatureSpec } from '../scorer.ts';
import { dayNumber } from './dates.ts';

/** One line of a customer's ledger, as the bank's ledger records it. */
export interface LedgerLine {
  /** Booking date, YYYY-MM-DD. */
  date: string;
  /** Minor units; positive is an inflow (credit to the customer), negative an outflow. */
  amountMinor: bigint;
  /** The account balance right after this line, when the ledger knows it. */
  balanceAfterMinor?: bigint;
}

/** A loan the customer had with us before. */
export interface PriorLoan {
  disbursedOn: string;
  closedOn?: string;
  instalmentsDue: number;
  instalmentsPaidOnTime: number;
  worstDaysPastDue: number;
}

/** The feature values the behavioural scorer reads. */
export interface BehaviourFeatureValues {
  [name: string]: number | null;
  avgMonthlyInflow: number;
  inflowVolatility: number;
  outflowInflowRatio: number;
  balanceTrend: number;
  tenureMonths: number;
  transactionsPerMonth: number;
  activeMonthShare: number;
  daysSinceLastInflow: number;
  priorLoanCount: number;
  priorOnTimeShare: number | null;
  priorWorstDaysPastDue: number;
}

export interface BehaviourFeatures {
  asOf: string;
  /** Feature values for scoring (ratios and counts as numbers). */
  values: BehaviourFeatureValues;
  /** Exact average monthly inflow over the observed window, in minor units (floored). */
  averageMonthlyInflowMinor: bigint;
  /** Exact average monthly outflow (as a positive amount) over the observed window. */
  averageMonthlyOutflowMinor: bigint;
  /** Number of 30-day periods the averages are taken over (1–12). */
  periodsObserved: number;
}

/** Length of one period, and the window the averages look back over. */
export const PERIOD_DAYS = 30;
export const WINDOW_PERIODS = 12;
const DAYS_PER_MONTH = 30.4375;

/** Every behavioural feature with its meaning, unit and expected range. */
export const behaviourFeatureSpecs: readonly FeatureSpec[] = Object.freeze([
  {
    name: 'avgMonthlyInflow',
    meaning: 'Average inflow per 30-day period over the last 12 periods (or since the first line)',
    unit: 'minor units',
    kind: 'numeric',
    range: [0, 1e10],
  },
  {
    name: 'inflowVolatility',
    meaning: 'Coefficient of variation (sd / mean) of inflow per period; 3 when there is no inflow',
    unit: 'ratio',
    kind: 'numeric',
    range: [0, 3],
  },
  {
    name: 'outflowInflowRatio',
    meaning: 'Total outflow divided by total inflow over the window; 5 when outflow exceeds zero inflow',
    unit: 'ratio',
    kind: 'numeric',
    range: [0, 5],
  },
  {
    name: 'balanceTrend',
    meaning: 'Least-squares slope of end-of-period balance per period, as a share of average monthly inflow',
    unit: 'ratio per period',
    kind: 'numeric',
    range: [-1, 1],
  },
  {
    name: 'tenureMonths',
    meaning: 'Months since the first ledger line',
    unit: 'months',
    kind: 'numeric',
    range: [0, 240],
  },
  {
    name: 'transactionsPerMonth',
    meaning: 'Ledger lines per period over the window',
    unit: 'count',
    kind: 'numeric',
    range: [0, 500],
  },
  {
    name: 'activeMonthShare',
    meaning: 'Share of periods in the window with at least one ledger line',
    unit: 'ratio',
    kind: 'numeric',
    range: [0, 1],
  },
  {
    name: 'daysSinceLastInflow',
    meaning: 'Days from the last inflow to the as-of date; 365 when there was none',
    unit: 'days',
    kind: 'numeric',
    range: [0, 365],
  },
  {
    name: 'priorLoanCount',
    meaning: 'Loans disbursed to the customer before the as-of date',
    unit: 'count',
    kind: 'numeric',
    range: [0, 100],
  },
  {
    name: 'priorOnTimeShare',
    meaning: 'Share of due instalments on prior loans paid on time; missing when nothing fell due',
    unit: 'ratio',
    kind: 'numeric',
    range: [0, 1],
  },
  {
    name: 'priorWorstDaysPastDue',
    meaning: 'Worst days past due on any prior loan; 0 when there was none',
    unit: 'days',
    kind: 'numeric',
    range: [0, 365],
  },
]);

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/**
 * Computes the behavioural features of one customer as of a date. Lines dated after `asOf`
 * and loans disbursed after it are ignored (no look-ahead).
 */
export function extractFeatures(
  lines: readonly LedgerLine[],
  asOf: string,
  priorLoans: readonly PriorLoan[] = [],
): BehaviourFeatures {
  const asOfDay = dayNumber(asOf);
  const dated: { day: number; line: LedgerLine; index: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const day = dayNumber(line.date);
    if (day <= asOfDay) dated.push({ day, line, index: i });
  }
  dated.sort((a, b) => a.day - b.day || a.index - b.index);

  const firstDay = dated[0]?.day ?? asOfDay;
  const tenureDays = asOfDay - firstDay;
  const periodsObserved =
    dated.length === 0 ? 1 : clamp(Math.ceil((tenureDays + 1) / PERIOD_DAYS), 1, WINDOW_PERIODS);

  const inflow = new Array<bigint>(periodsObserved).fill(0n);
  const outflow = new Array<bigint>(periodsObserved).fill(0n);
  const activity = new Array<number>(periodsObserved).fill(0);
  // End-of-period balance: from balanceAfterMinor when known, otherwise the running net flow.
  const endBalance = new Array<bigint | undefined>(periodsObserved).fill(undefined);
  let running = 0n;
  let lastInflowDay: number | undefined;
  let windowLines = 0;
  let balanceBeforeWindow = 0n;

  for (const { day, line } of dated) {
    const amount = line.amountMinor;
    running = line.balanceAfterMinor ?? running + amount;
    if (amount > 0n) lastInflowDay = day;
    const period = Math.floor((asOfDay - day) / PERIOD_DAYS);
    if (period >= periodsObserved) {
      balanceBeforeWindow = running;
      continue;
    }
    // Period 0 is the most recent; store chronologically so index 0 is the oldest.
    const slot = periodsObserved - 1 - period;
    windowLines++;
    activity[slot]! += 1;
    if (amount > 0n) inflow[slot]! += amount;
    else outflow[slot]! -= amount;
    endBalance[slot] = running;
  }

  let totalIn = 0n;
  let totalOut = 0n;
  for (let k = 0; k < periodsObserved; k++) {
    totalIn += inflow[k]!;
    totalOut += outflow[k]!;
  }
  const periods = BigInt(periodsObserved);
  const averageMonthlyInflowMinor = totalIn / periods;
  const averageMonthlyOutflowMinor = totalOut / periods;

  const meanIn = Number(totalIn) / periodsObserved;
  let volatility = 3;
  if (meanIn > 0) {
    let ss = 0;
    for (const v of inflow) ss += (Number(v) - meanIn) ** 2;
    volatility = clamp(Math.sqrt(ss / periodsObserved) / meanIn, 0, 3);
  }

  let ratio: number;
  if (totalIn > 0n) ratio = clamp(Number(totalOut) / Number(totalIn), 0, 5);
  else ratio = totalOut > 0n ? 5 : 1;

  // Carry balances forward through quiet periods, then fit a least-squares line.
  let trend = 0;
  if (periodsObserved >= 2) {
    const balances: number[] = [];
    let carry = balanceBeforeWindow;
    for (let k = 0; k < periodsObserved; k++) {
      carry = endBalance[k] ?? carry;
      balances.push(Number(carry));
    }
    const n = periodsObserved;
    const meanX = (n - 1) / 2;
    const meanY = balances.reduce((s, b) => s + b, 0) / n;
    let sxy = 0;
    let sxx = 0;
    for (let k = 0; k < n; k++) {
      sxy += (k - meanX) * (balances[k]! - meanY);
      sxx += (k - meanX) ** 2;
    }
    const slope = sxy / sxx;
    trend = clamp(slope / Math.max(meanIn, 1), -1, 1);
  }

  let loanCount = 0;
  let due = 0;
  let onTime = 0;
  let worst = 0;
  for (const loan of priorLoans) {
    if (dayNumber(loan.disbursedOn) > asOfDay) continue;
    loanCount++;
    due += Math.max(0, loan.instalmentsDue);
    onTime += clamp(loan.instalmentsPaidOnTime, 0, Math.max(0, loan.instalmentsDue));
    worst = Math.max(worst, loan.worstDaysPastDue);
  }

  const values: BehaviourFeatureValues = {
    avgMonthlyInflow: Number(averageMonthlyInflowMinor),
    inflowVolatility: volatility,
    outflowInflowRatio: ratio,
    balanceTrend: trend,
    tenureMonths: tenureDays / DAYS_PER_MONTH,
    transactionsPerMonth: windowLines / periodsObserved,
    activeMonthShare: activity.filter((a) => a > 0).length / periodsObserved,
    daysSinceLastInflow: lastInflowDay === undefined ? 365 : Math.min(365, asOfDay - lastInflowDay),
    priorLoanCount: loanCount,
    priorOnTimeShare: due > 0 ? onTime / due : null,
    priorWorstDaysPastDue: clamp(worst, 0, 365),
  };
  return { asOf, values, averageMonthlyInflowMinor, averageMonthlyOutflowMinor, periodsObserved };
}
