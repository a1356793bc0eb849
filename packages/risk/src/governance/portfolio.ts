/**
 * Portfolio quality from loan outcomes, by score band: PAR30 (portfolio at risk: outstanding
 * balance of loans more than 30 days past due, over all outstanding) and the NPL ratio
 * (outstanding of loans 90 or more days past due, over all outstanding). Balances are bigint
 * minor units; the ratios are divided exactly with decimal.js and returned as numbers.
 */
import Decimal from 'decimal.js';
import { defaultGrades, type GradeBand, gradeFor } from '../scaling.ts';

export interface LoanOutcome {
  /** The score the loan was granted at. */
  score: number;
  outstandingMinor: bigint;
  daysPastDue: number;
}

export interface PortfolioBand {
  grade: string;
  loans: number;
  outstandingMinor: bigint;
  par30Minor: bigint;
  nplMinor: bigint;
  /** PAR30 as a share of outstanding (0 when nothing is outstanding). */
  par30: number;
  nplRatio: number;
}

function ratio(part: bigint, whole: bigint): number {
  return whole === 0n ? 0 : new Decimal(part.toString()).div(whole.toString()).toDecimalPlaces(6).toNumber();
}

function band(grade: string, loans: readonly LoanOutcome[]): PortfolioBand {
  let outstandingMinor = 0n;
  let par30Minor = 0n;
  let nplMinor = 0n;
  for (const loan of loans) {
    if (loan.outstandingMinor < 0n) throw new RangeError('outstandingMinor must not be negative');
    outstandingMinor += loan.outstandingMinor;
    if (loan.daysPastDue > 30) par30Minor += loan.outstandingMinor;
    if (loan.daysPastDue >= 90) nplMinor += loan.outstandingMinor;
  }
  return {
    grade,
    loans: loans.length,
    outstandingMinor,
    par30Minor,
    nplMinor,
    par30: ratio(par30Minor, outstandingMinor),
    nplRatio: ratio(nplMinor, outstandingMinor),
  };
}

/** PAR30 and NPL ratio for the whole book and for each grade band. */
export function portfolioQuality(
  loans: readonly LoanOutcome[],
  grades: readonly GradeBand[] = defaultGrades,
): { total: PortfolioBand; byGrade: PortfolioBand[] } {
  const groups = new Map<string, LoanOutcome[]>(grades.map((g) => [g.grade, []]));
  for (const loan of loans) groups.get(gradeFor(loan.score, grades))?.push(loan);
  return { total: band('all', loans), byGrade: [...groups.entries()].map(([g, l]) => band(g, l)) };
}
