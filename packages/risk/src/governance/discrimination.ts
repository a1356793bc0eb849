/**
 * Discrimination metrics. Every function takes a risk value per case (higher means riskier,
 * e.g. the PD, or the negated score) and the outcome (1 = bad, 0 = good).
 */

function check(risk: ArrayLike<number>, bad: ArrayLike<number>): void {
  if (risk.length !== bad.length) throw new Error('risk and outcome arrays differ in length');
}

/**
 * Area under the ROC curve: the probability that a random bad is riskier than a random good,
 * ties counting one half (Mann-Whitney). NaN when either class is absent.
 */
export function auc(risk: ArrayLike<number>, bad: ArrayLike<number>): number {
  check(risk, bad);
  const n = risk.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => risk[a]! - risk[b]!);
  let rankSumBad = 0;
  let bads = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && risk[order[j + 1]!] === risk[order[i]!]) j++;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++)
      if (bad[order[k]!] === 1) {
        rankSumBad += midRank;
        bads++;
      }
    i = j + 1;
  }
  const goods = n - bads;
  if (bads === 0 || goods === 0) return Number.NaN;
  return (rankSumBad - (bads * (bads + 1)) / 2) / (bads * goods);
}

/** Gini coefficient (accuracy ratio) = 2·AUC − 1. */
export function gini(risk: ArrayLike<number>, bad: ArrayLike<number>): number {
  return 2 * auc(risk, bad) - 1;
}

/** Kolmogorov-Smirnov statistic: the largest gap between the cumulative bad and good distributions. */
export function ks(risk: ArrayLike<number>, bad: ArrayLike<number>): number {
  check(risk, bad);
  const n = risk.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => risk[a]! - risk[b]!);
  let bads = 0;
  for (let i = 0; i < n; i++) bads += bad[i] === 1 ? 1 : 0;
  const goods = n - bads;
  if (bads === 0 || goods === 0) return Number.NaN;
  let cumBad = 0;
  let cumGood = 0;
  let best = 0;
  for (let i = 0; i < n; i++) {
    const idx = order[i]!;
    if (bad[idx] === 1) cumBad++;
    else cumGood++;
    // Only compare at the end of a run of tied values.
    const next = order[i + 1];
    if (next !== undefined && risk[next] === risk[idx]) continue;
    best = Math.max(best, Math.abs(cumBad / bads - cumGood / goods));
  }
  return best;
}
