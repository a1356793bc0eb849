/**
 * Population stability index: how far a distribution has moved from its baseline.
 *
 *   PSI = Σ (actual_i − expected_i) · ln(actual_i / expected_i)
 *
 * over bins, with empty bins floored at 0.0001 so the logarithm stays finite. Every term is
 * non-negative, so PSI ≥ 0. Usual reading: < 0.1 stable, 0.1–0.25 monitor, ≥ 0.25 shifted.
 */

export type StabilityStatus = 'stable' | 'monitor' | 'shifted';

export interface PsiResult {
  value: number;
  status: StabilityStatus;
}

export const PSI_MONITOR = 0.1;
export const PSI_SHIFT = 0.25;
const FLOOR = 1e-4;

export function stabilityStatus(psi: number): StabilityStatus {
  return psi >= PSI_SHIFT ? 'shifted' : psi >= PSI_MONITOR ? 'monitor' : 'stable';
}

function normalise(counts: readonly number[]): number[] {
  const total = counts.reduce((s, c) => s + c, 0);
  return counts.map((c) => Math.max(FLOOR, total > 0 ? c / total : 0));
}

/** PSI between two binned distributions (counts or shares, same bins). */
export function psi(expected: readonly number[], actual: readonly number[]): PsiResult {
  if (expected.length !== actual.length || expected.length === 0)
    throw new Error('expected and actual must have the same, non-zero number of bins');
  const e = normalise(expected);
  const a = normalise(actual);
  let value = 0;
  for (let i = 0; i < e.length; i++) value += (a[i]! - e[i]!) * Math.log(a[i]! / e[i]!);
  value = Math.max(0, value);
  return { value, status: stabilityStatus(value) };
}

/** Bin upper edges at the baseline's deciles (deduplicated); the last bin is open-ended. */
export function quantileEdges(values: ArrayLike<number>, bins = 10): number[] {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return [];
  const edges = new Set<number>();
  for (let i = 1; i < bins; i++)
    edges.add(sorted[Math.min(sorted.length - 1, Math.floor((i * sorted.length) / bins))]!);
  const max = sorted[sorted.length - 1]!;
  return [...edges].filter((e) => e < max).sort((a, b) => a - b);
}

/** Counts per bin for edges from quantileEdges (bin i holds x ≤ edges[i]; the last holds the rest). */
export function binCounts(values: ArrayLike<number>, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (let k = 0; k < values.length; k++) {
    const x = values[k]!;
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (x <= edges[mid]!) hi = mid;
      else lo = mid + 1;
    }
    counts[lo]!++;
  }
  return counts;
}

/** PSI of two samples, binned at the baseline's deciles. */
export function psiOfSamples(expected: ArrayLike<number>, actual: ArrayLike<number>, bins = 10): PsiResult {
  const edges = quantileEdges(expected, bins);
  return psi(binCounts(expected, edges), binCounts(actual, edges));
}
