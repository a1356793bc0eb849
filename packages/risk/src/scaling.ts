/**
 * Score scaling: the points-to-double-the-odds (PDO) mapping of a probability of default onto
 * a 0–1000 score, and grade bands over that score.
 *
 *   score = offset + factor × ln(odds),   odds = (1 − pd) / pd   (good : bad)
 *   factor = pdo / ln 2,                  offset = baseScore − factor × ln(baseOdds)
 *
 * With the defaults (500 points at 9 : 1 good:bad odds, i.e. PD 10 %, and 60 points to double
 * the odds) a PD of 2.7 % scores 620 and a PD of 30.8 % scores 380.
 */
export interface ScoreScaling {
  /** Score given at `baseOdds`. */
  baseScore: number;
  /** Good:bad odds that earn `baseScore` (9 means 9 goods per bad, PD 10 %). */
  baseOdds: number;
  /** Points to double the odds. */
  pdo: number;
  /** Lowest and highest score; results are clamped and rounded to integers. */
  min: number;
  max: number;
}

export const defaultScaling: ScoreScaling = Object.freeze({
  baseScore: 500,
  baseOdds: 9,
  pdo: 60,
  min: 0,
  max: 1000,
});

/** A grade band: every score at or above `minScore` (and below the previous band) gets `grade`. */
export interface GradeBand {
  grade: string;
  minScore: number;
  /** What the band means, for people reading a decision. */
  label: string;
}

/** Default grades, best first. PDs at the band floors under the default scaling in comments. */
export const defaultGrades: readonly GradeBand[] = Object.freeze([
  { grade: 'A', minScore: 700, label: 'very low risk' }, // PD ≤ 1.1 %
  { grade: 'B', minScore: 620, label: 'low risk' }, // PD ≤ 2.7 %
  { grade: 'C', minScore: 540, label: 'moderate risk' }, // PD ≤ 6.5 %
  { grade: 'D', minScore: 460, label: 'elevated risk' }, // PD ≤ 15 %
  { grade: 'E', minScore: 380, label: 'high risk' }, // PD ≤ 30.8 %
  { grade: 'F', minScore: 0, label: 'very high risk' },
]);

/** Points per unit of log-odds. */
export function scalingFactor(scaling: ScoreScaling): number {
  return scaling.pdo / Math.LN2;
}

const PD_FLOOR = 1e-9;

/** Maps a probability of default to an unrounded, unclamped score. */
export function rawScoreFromPd(pd: number, scaling: ScoreScaling = defaultScaling): number {
  const p = Math.min(1 - PD_FLOOR, Math.max(PD_FLOOR, pd));
  const factor = scalingFactor(scaling);
  const offset = scaling.baseScore - factor * Math.log(scaling.baseOdds);
  return offset + factor * Math.log((1 - p) / p);
}

/** Maps a probability of default to an integer score in [min, max]; non-increasing in pd. */
export function scoreFromPd(pd: number, scaling: ScoreScaling = defaultScaling): number {
  if (Number.isNaN(pd)) throw new RangeError('pd is NaN');
  const raw = rawScoreFromPd(pd, scaling);
  return Math.min(scaling.max, Math.max(scaling.min, Math.round(raw)));
}

/** The probability of default a score stands for (inverse of the scaling, before rounding). */
export function pdFromScore(score: number, scaling: ScoreScaling = defaultScaling): number {
  const factor = scalingFactor(scaling);
  const offset = scaling.baseScore - factor * Math.log(scaling.baseOdds);
  const logOdds = (score - offset) / factor;
  return 1 / (1 + Math.exp(logOdds));
}

/** The grade whose band contains `score`; bands must be sorted best (highest floor) first. */
export function gradeFor(score: number, grades: readonly GradeBand[] = defaultGrades): string {
  for (const band of grades) if (score >= band.minScore) return band.grade;
  const last = grades[grades.length - 1];
  if (!last) throw new RangeError('no grade bands');
  return last.grade;
}

/** Checks a scaling is usable; throws RangeError otherwise. */
export function validateScaling(scaling: ScoreScaling): void {
  if (!(scaling.pdo > 0)) throw new RangeError('scaling.pdo must be > 0');
  if (!(scaling.baseOdds > 0)) throw new RangeError('scaling.baseOdds must be > 0');
  if (!(scaling.max > scaling.min)) throw new RangeError('scaling.max must exceed scaling.min');
  if (!Number.isFinite(scaling.baseScore)) throw new RangeError('scaling.baseScore must be finite');
}
