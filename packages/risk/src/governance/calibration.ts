/**
 * Calibration: does the predicted PD match the observed bad rate? A table by PD band (equal-count
 * groups of predicted PD, deciles by default) and the Hosmer-Lemeshow statistic over those groups,
 *
 *   HL = Σ_g (O_g − E_g)² / (E_g · (1 − E_g / n_g)),   df = groups − 2,
 *
 * with its chi-square p-value (small p-values mean the PDs are miscalibrated).
 */

export interface CalibrationBand {
  pdFrom: number;
  pdTo: number;
  count: number;
  /** Mean predicted PD in the band. */
  expectedBadRate: number;
  observedBadRate: number;
  expectedBads: number;
  observedBads: number;
}

export interface Calibration {
  bands: CalibrationBand[];
  hosmerLemeshow: { statistic: number; degreesOfFreedom: number; pValue: number };
}

/** ln Γ(x) by the Lanczos approximation. */
function logGamma(x: number): number {
  const c = [
    76.18009172947146, -86.50532032941678, 24.01409824083091, -1.231739572450155, 0.1208650973866179e-2,
    -0.5395239384953e-5,
  ];
  let y = x;
  const tmp = x + 5.5 - (x + 0.5) * Math.log(x + 5.5);
  let ser = 1.000000000190015;
  for (const ci of c) ser += ci / ++y;
  return -tmp + Math.log((2.5066282746310007 * ser) / x);
}

/** Regularised upper incomplete gamma Q(a, x) (series or continued fraction). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const gln = logGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let del = sum;
    let ap = a;
    for (let n = 0; n < 500; n++) {
      ap++;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * 1e-14) break;
    }
    return 1 - sum * Math.exp(-x + a * Math.log(x) - gln);
  }
  let b = x + 1 - a;
  let c = 1 / 1e-300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-14) break;
  }
  return Math.exp(-x + a * Math.log(x) - gln) * h;
}

/** P(χ²_df ≥ statistic). */
export function chiSquareSurvival(statistic: number, df: number): number {
  if (df <= 0) return Number.NaN;
  return gammaQ(df / 2, statistic / 2);
}

/** Calibration table and Hosmer-Lemeshow test over `groups` equal-count PD bands. */
export function calibration(pd: ArrayLike<number>, bad: ArrayLike<number>, groups = 10): Calibration {
  if (pd.length !== bad.length) throw new Error('pd and outcome arrays differ in length');
  const n = pd.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => pd[a]! - pd[b]!);
  const bands: CalibrationBand[] = [];
  const g = Math.max(1, Math.min(groups, n));
  for (let k = 0; k < g; k++) {
    const from = Math.floor((k * n) / g);
    const to = Math.floor(((k + 1) * n) / g);
    if (to <= from) continue;
    let expected = 0;
    let observed = 0;
    for (let i = from; i < to; i++) {
      expected += pd[order[i]!]!;
      observed += bad[order[i]!] === 1 ? 1 : 0;
    }
    const count = to - from;
    bands.push({
      pdFrom: pd[order[from]!]!,
      pdTo: pd[order[to - 1]!]!,
      count,
      expectedBadRate: expected / count,
      observedBadRate: observed / count,
      expectedBads: expected,
      observedBads: observed,
    });
  }
  let statistic = 0;
  for (const b of bands) {
    const denominator = b.expectedBads * (1 - b.expectedBads / b.count);
    if (denominator > 1e-12) statistic += (b.observedBads - b.expectedBads) ** 2 / denominator;
  }
  const degreesOfFreedom = bands.length - 2;
  return {
    bands,
    hosmerLemeshow: { statistic, degreesOfFreedom, pValue: chiSquareSurvival(statistic, degreesOfFreedom) },
  };
}
