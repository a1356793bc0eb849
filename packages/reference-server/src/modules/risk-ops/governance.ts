/**
 * Model governance on the bank's own book (pure, given the rows): each model re-scores the features
 * stored with every decision, so champion and challengers are judged on the same loans. AUC, Gini
 * and KS on matured loans; PSI of recent applicants' scores against the model's training
 * population (the artifact's monitoring baseline); calibration by score band. The statistics come
 * from @wekeza/risk; ratios leave as decimal strings with four places.
 */
import {
  auc,
  binCounts,
  type FeatureVector,
  gini,
  ks,
  type MonitoringBaseline,
  psi,
  type Scorer,
  stabilityStatus,
} from '@wekeza/risk';

/** A matured loan and the features its decision was made on. */
export interface MaturedLoan {
  features: FeatureVector;
  asOf: string;
  bad: boolean;
}

/** A recent application's features. */
export interface Applicant {
  features: FeatureVector;
  asOf: string;
}

export interface GovernanceFigures {
  as_of: string;
  matured_loans: number;
  bad_loans: number;
  auc: string | null;
  gini: string | null;
  ks: string | null;
  psi: string | null;
  psi_status: 'stable' | 'monitor' | 'shifted' | null;
  recent_applicants: number;
  calibration: {
    band: string;
    loans: number;
    bads: number;
    expected_bad_rate: string;
    observed_bad_rate: string;
  }[];
}

export const BAD_DEFINITION =
  'Ever more than 90 days past due (non-performing), or written off, among loans past their last due date, closed or written off.';

const fixed = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : null);

function bandOf(score: number): string {
  const lower = Math.min(9, Math.max(0, Math.floor(score / 100))) * 100;
  return lower === 900 ? '900-1000' : `${lower}-${lower + 99}`;
}

/** Scores features with a model, skipping rows it cannot score (a feature it needs is missing). */
function scoreAll<T extends { features: FeatureVector; asOf: string }>(
  scorer: Scorer,
  rows: T[],
): { row: T; pd: number; score: number }[] {
  const out: { row: T; pd: number; score: number }[] = [];
  for (const row of rows) {
    try {
      const result = scorer.score(row.features, { asOf: row.asOf });
      out.push({ row, pd: result.pd, score: result.score });
    } catch {
      // A row this model cannot read is left out of its figures.
    }
  }
  return out;
}

export function governanceOf(
  scorer: Scorer,
  baseline: MonitoringBaseline | undefined,
  loans: MaturedLoan[],
  applicants: Applicant[],
  asOf: string,
): GovernanceFigures {
  const scored = scoreAll(scorer, loans);
  const bad = scored.map((s) => (s.row.bad ? 1 : 0));
  const pds = scored.map((s) => s.pd);
  const bads = bad.reduce<number>((n, b) => n + b, 0);
  const discriminates = bads > 0 && bads < scored.length;
  const recent = scoreAll(scorer, applicants);
  let psiValue: number | null = null;
  if (baseline && recent.length > 0 && baseline.score.counts.length === baseline.score.edges.length + 1) {
    psiValue = psi(
      baseline.score.counts,
      binCounts(
        recent.map((r) => r.score),
        baseline.score.edges,
      ),
    ).value;
  }
  const bands = new Map<string, { loans: number; bads: number; pd: number }>();
  for (const s of scored) {
    const band = bandOf(s.score);
    const slot = bands.get(band) ?? { loans: 0, bads: 0, pd: 0 };
    slot.loans += 1;
    slot.bads += s.row.bad ? 1 : 0;
    slot.pd += s.pd;
    bands.set(band, slot);
  }
  return {
    as_of: asOf,
    matured_loans: scored.length,
    bad_loans: bads,
    auc: discriminates ? fixed(auc(pds, bad)) : null,
    gini: discriminates ? fixed(gini(pds, bad)) : null,
    ks: discriminates ? fixed(ks(pds, bad)) : null,
    psi: psiValue === null ? null : fixed(psiValue),
    psi_status: psiValue === null ? null : stabilityStatus(psiValue),
    recent_applicants: recent.length,
    calibration: [...bands.entries()]
      .sort(([a], [b]) => Number.parseInt(a, 10) - Number.parseInt(b, 10))
      .map(([band, slot]) => ({
        band,
        loans: slot.loans,
        bads: slot.bads,
        expected_bad_rate: (slot.pd / slot.loans).toFixed(4),
        observed_bad_rate: (slot.bads / slot.loans).toFixed(4),
      })),
  };
}

/** The share of applicants each model would approve at the cut-off, its mean PD, and how often all agree. */
export function compareOn(
  scorers: Scorer[],
  applicants: Applicant[],
  approveMinScore: number,
): { approval: Map<string, { rate: string; meanPd: string | null }>; agreement: string | null } {
  const approval = new Map<string, { rate: string; meanPd: string | null }>();
  const sides: boolean[][] = [];
  for (const scorer of scorers) {
    const scored = scoreAll(scorer, applicants);
    const approved = scored.filter((s) => s.score >= approveMinScore).length;
    approval.set(`${scorer.name}@${scorer.version}`, {
      rate: scored.length ? (approved / scored.length).toFixed(4) : '0.0000',
      meanPd: scored.length ? (scored.reduce((t, s) => t + s.pd, 0) / scored.length).toFixed(4) : null,
    });
    sides.push(scored.length === applicants.length ? scored.map((s) => s.score >= approveMinScore) : []);
  }
  const complete = sides.every((s) => s.length === applicants.length) && applicants.length > 0;
  let agreement: string | null = null;
  if (complete) {
    let same = 0;
    for (let i = 0; i < applicants.length; i++) if (sides.every((s) => s[i] === sides[0]![i])) same += 1;
    agreement = (same / applicants.length).toFixed(4);
  }
  return { approval, agreement };
}
