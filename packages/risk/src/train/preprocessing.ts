/**
 * Preprocessing: how each column becomes model terms, fitted on training rows only.
 *
 * - `standardise`: numeric columns are clipped to the training range, optionally log-transformed,
 *   imputed with the training median (plus a missing indicator when training had gaps);
 *   categorical columns are one-hot encoded against their most frequent level, with `NA` as a
 *   level of its own and rare levels pooled into `__other__`.
 * - `woe`: every column is binned (numeric: up to 10 quantile bins; categorical: its levels) and
 *   replaced by the bin's weight of evidence, oriented so that higher means riskier:
 *   ln(share of bads in the bin / share of goods in the bin), with 0.5 added to every count.
 *
 * Every term is then standardised with its training mean and standard deviation, so the
 * logistic coefficients are comparable and gradient steps are well-conditioned.
 */
import type { FeatureValue } from '../scorer.ts';
import type { ColumnInfo } from './dataset.ts';

export type Encoding = 'standardise' | 'woe';

export interface NumericEncoder {
  name: string;
  kind: 'numeric';
  log: boolean;
  min: number;
  max: number;
  impute: number;
  missingIndicator: boolean;
  /** 1st and 99th percentiles: the typical range reason codes compare against. */
  p01: number;
  p99: number;
}

export interface CategoricalEncoder {
  name: string;
  kind: 'categorical';
  /** Levels in frequency order; the first is the reference and gets no term. */
  levels: string[];
}

export interface WoeEncoder {
  name: string;
  kind: 'woe';
  source: 'numeric' | 'categorical';
  /** Numeric: upper bounds of every bin but the last (bin i holds x ≤ cuts[i]). */
  cuts?: number[];
  /** Categorical: the level of each bin. */
  levels?: string[];
  woe: number[];
  /** WoE of missing values, when training had any. */
  missingWoe: number | null;
  min?: number;
  max?: number;
}

export type ColumnEncoder = NumericEncoder | CategoricalEncoder | WoeEncoder;

export interface Term {
  name: string;
  column: string;
  mean: number;
  sd: number;
}

export interface Preprocessing {
  encoding: Encoding;
  columns: ColumnEncoder[];
  terms: Term[];
}

export interface PreprocessingOptions {
  encoding?: Encoding;
  /** Numeric columns to transform with ln(1 + x) before standardising. */
  log?: readonly string[];
  /** Categorical levels kept before pooling the rest into `__other__` (default 20). */
  maxLevels?: number;
  /** Quantile bins for numeric WoE (default 10). */
  bins?: number;
}

export const NA_LEVEL = 'NA';
export const OTHER_LEVEL = '__other__';

function isMissing(value: FeatureValue): boolean {
  return value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value));
}

function asNumber(value: FeatureValue): number | null {
  if (isMissing(value)) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const n = Number(value);
  return value !== '' && Number.isFinite(n) ? n : null;
}

function quantileSorted(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

function rankedLevels(values: string[], maxLevels: number): string[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([l]) => l);
  return ranked.length > maxLevels ? [...ranked.slice(0, maxLevels), OTHER_LEVEL] : ranked;
}

function categoryOf(value: FeatureValue): string {
  return isMissing(value) ? NA_LEVEL : String(value);
}

function woeValues(bads: number[], goods: number[]): number[] {
  const totalBad = bads.reduce((s, x) => s + x, 0) + 0.5 * bads.length;
  const totalGood = goods.reduce((s, x) => s + x, 0) + 0.5 * goods.length;
  return bads.map((b, i) => Math.log((b + 0.5) / totalBad / ((goods[i]! + 0.5) / totalGood)));
}

function fitColumn(
  info: ColumnInfo,
  rows: readonly Record<string, FeatureValue>[],
  labels: Uint8Array,
  options: Required<PreprocessingOptions>,
): ColumnEncoder {
  const raw = rows.map((r) => r[info.name]);
  if (info.kind === 'numeric') {
    const present: number[] = [];
    let missing = 0;
    for (const v of raw) {
      const n = asNumber(v);
      if (n === null) missing++;
      else present.push(n);
    }
    if (present.length === 0) throw new Error(`column "${info.name}" has no values`);
    const sorted = Float64Array.from(present).sort();
    const sortedArr = Array.from(sorted);
    const min = sortedArr[0]!;
    const max = sortedArr[sortedArr.length - 1]!;
    if (options.encoding === 'standardise') {
      return {
        name: info.name,
        kind: 'numeric',
        log: options.log.includes(info.name),
        min,
        max,
        impute: quantileSorted(sortedArr, 0.5),
        missingIndicator: missing > 0,
        p01: quantileSorted(sortedArr, 0.01),
        p99: quantileSorted(sortedArr, 0.99),
      };
    }
    const cuts = [
      ...new Set(
        Array.from({ length: options.bins - 1 }, (_, i) => quantileSorted(sortedArr, (i + 1) / options.bins)),
      ),
    ]
      .filter((c) => c < max)
      .sort((a, b) => a - b);
    const nb = cuts.length + 1;
    const bads = new Array<number>(nb).fill(0);
    const goods = new Array<number>(nb).fill(0);
    let missBad = 0;
    let missGood = 0;
    raw.forEach((v, i) => {
      const n = asNumber(v);
      const bad = labels[i] === 1;
      if (n === null) {
        if (bad) missBad++;
        else missGood++;
        return;
      }
      const bin = numericBin(cuts, n);
      if (bad) bads[bin]!++;
      else goods[bin]!++;
    });
    const all = woeValues(
      missing > 0 ? [...bads, missBad] : bads,
      missing > 0 ? [...goods, missGood] : goods,
    );
    return {
      name: info.name,
      kind: 'woe',
      source: 'numeric',
      cuts,
      woe: all.slice(0, nb),
      missingWoe: missing > 0 ? all[nb]! : null,
      min,
      max,
    };
  }
  const categories = raw.map(categoryOf);
  const levels = rankedLevels(categories, options.maxLevels);
  if (options.encoding === 'standardise') return { name: info.name, kind: 'categorical', levels };
  const index = new Map(levels.map((l, i) => [l, i]));
  const bads = new Array<number>(levels.length).fill(0);
  const goods = new Array<number>(levels.length).fill(0);
  categories.forEach((c, i) => {
    const bin = index.get(c) ?? index.get(OTHER_LEVEL)!;
    if (labels[i] === 1) bads[bin]!++;
    else goods[bin]!++;
  });
  return {
    name: info.name,
    kind: 'woe',
    source: 'categorical',
    levels,
    woe: woeValues(bads, goods),
    missingWoe: null,
  };
}

function numericBin(cuts: readonly number[], x: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x <= cuts[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Names of the raw terms a column produces. */
export function termNames(encoder: ColumnEncoder): string[] {
  switch (encoder.kind) {
    case 'numeric':
      return encoder.missingIndicator ? [encoder.name, `${encoder.name}:missing`] : [encoder.name];
    case 'categorical':
      return encoder.levels.slice(1).map((l) => `${encoder.name}=${l}`);
    case 'woe':
      return [`${encoder.name}:woe`];
  }
}

/**
 * Writes a column's raw (unstandardised) terms for one value into `out` at `offset`.
 * Pushes a warning when the value lies outside what training saw.
 */
export function encodeColumn(
  encoder: ColumnEncoder,
  value: FeatureValue,
  out: Float64Array,
  offset: number,
  warnings: string[] | null,
): void {
  switch (encoder.kind) {
    case 'numeric': {
      let x = asNumber(value);
      if (x === null) {
        if (!encoder.missingIndicator)
          warnings?.push(`${encoder.name} is missing; imputed with the training median ${encoder.impute}`);
        x = encoder.impute;
        if (encoder.missingIndicator) out[offset + 1] = 1;
      } else {
        if (encoder.missingIndicator) out[offset + 1] = 0;
        if (x < encoder.min || x > encoder.max) {
          warnings?.push(
            `${encoder.name}=${x} is outside the training range [${encoder.min}, ${encoder.max}]; clipped`,
          );
          x = Math.min(encoder.max, Math.max(encoder.min, x));
        }
      }
      out[offset] = encoder.log ? Math.log1p(Math.max(0, x)) : x;
      return;
    }
    case 'categorical': {
      let level = categoryOf(value);
      if (!encoder.levels.includes(level)) {
        const fallback = encoder.levels.includes(OTHER_LEVEL) ? OTHER_LEVEL : encoder.levels[0]!;
        warnings?.push(`${encoder.name}=${level} was not seen in training; treated as ${fallback}`);
        level = fallback;
      }
      for (let i = 1; i < encoder.levels.length; i++)
        out[offset + i - 1] = encoder.levels[i] === level ? 1 : 0;
      return;
    }
    case 'woe': {
      out[offset] = woeFor(encoder, value, warnings);
      return;
    }
  }
}

function woeFor(encoder: WoeEncoder, value: FeatureValue, warnings: string[] | null): number {
  if (encoder.source === 'numeric') {
    const x = asNumber(value);
    if (x === null) {
      if (encoder.missingWoe !== null) return encoder.missingWoe;
      warnings?.push(`${encoder.name} is missing and training had no missing values; weight of evidence 0`);
      return 0;
    }
    if (encoder.min !== undefined && encoder.max !== undefined && (x < encoder.min || x > encoder.max))
      warnings?.push(`${encoder.name}=${x} is outside the training range [${encoder.min}, ${encoder.max}]`);
    return encoder.woe[numericBin(encoder.cuts ?? [], x)]!;
  }
  const levels = encoder.levels ?? [];
  const level = categoryOf(value);
  let i = levels.indexOf(level);
  if (i < 0) {
    i = levels.indexOf(OTHER_LEVEL);
    warnings?.push(
      `${encoder.name}=${level} was not seen in training; weight of evidence ${i < 0 ? 0 : 'of other'}`,
    );
    if (i < 0) return 0;
  }
  return encoder.woe[i]!;
}

/**
 * The values a column can take that matter for "best value" comparisons (reason codes):
 * numeric columns their 1st and 99th percentiles (and missing), categories every level, WoE every bin.
 */
export function candidateValues(encoder: ColumnEncoder): FeatureValue[] {
  switch (encoder.kind) {
    case 'numeric': {
      // Compare against the typical range (1st–99th percentile), so rare extremes do not inflate reasons.
      const ends = [encoder.p01 ?? encoder.min, encoder.p99 ?? encoder.max];
      return encoder.missingIndicator ? [...ends, null] : ends;
    }
    case 'categorical':
      return encoder.levels.map((l) => (l === NA_LEVEL ? null : l));
    case 'woe':
      if (encoder.source === 'categorical')
        return (encoder.levels ?? []).map((l) => (l === NA_LEVEL ? null : l));
      {
        // One representative value per bin: the minimum, the midpoints between cuts, the maximum.
        const cuts = encoder.cuts ?? [];
        const inner = cuts.slice(1).map((c, i) => (cuts[i]! + c) / 2);
        const ends =
          cuts.length === 0 ? [encoder.min ?? 0] : [encoder.min ?? cuts[0]!, ...inner, encoder.max ?? 0];
        return encoder.missingWoe !== null ? [...ends, null] : ends;
      }
  }
}

/** Fits the preprocessing on training rows (never on validation rows). */
export function fitPreprocessing(
  features: readonly ColumnInfo[],
  rows: readonly Record<string, FeatureValue>[],
  labels: Uint8Array,
  options: PreprocessingOptions = {},
): Preprocessing {
  const opts: Required<PreprocessingOptions> = {
    encoding: options.encoding ?? 'standardise',
    log: options.log ?? [],
    maxLevels: options.maxLevels ?? 20,
    bins: options.bins ?? 10,
  };
  for (const name of opts.log)
    if (!features.some((f) => f.name === name && f.kind === 'numeric'))
      throw new Error(`--log column "${name}" is not a numeric feature`);
  const columns = features.map((f) => fitColumn(f, rows, labels, opts));
  const terms: Term[] = [];
  for (const c of columns)
    for (const name of termNames(c)) terms.push({ name, column: c.name, mean: 0, sd: 1 });
  const p = terms.length;
  const sum = new Float64Array(p);
  const sumSq = new Float64Array(p);
  const buffer = new Float64Array(p);
  for (const row of rows) {
    encodeRaw(columns, row, buffer, null);
    for (let j = 0; j < p; j++) {
      sum[j]! += buffer[j]!;
      sumSq[j]! += buffer[j]! * buffer[j]!;
    }
  }
  const n = rows.length;
  terms.forEach((t, j) => {
    t.mean = sum[j]! / n;
    const variance = Math.max(0, sumSq[j]! / n - t.mean * t.mean);
    t.sd = variance > 1e-12 ? Math.sqrt(variance) : 1;
  });
  return { encoding: opts.encoding, columns, terms };
}

/** Writes every column's raw terms for one row. */
export function encodeRaw(
  columns: readonly ColumnEncoder[],
  row: Readonly<Record<string, FeatureValue>>,
  out: Float64Array,
  warnings: string[] | null,
): void {
  let offset = 0;
  for (const c of columns) {
    encodeColumn(c, row[c.name], out, offset, warnings);
    offset +=
      c.kind === 'numeric'
        ? c.missingIndicator
          ? 2
          : 1
        : c.kind === 'categorical'
          ? c.levels.length - 1
          : 1;
  }
}

/** Standardised design matrix (row-major, n × terms) for rows. */
export function designMatrix(
  prep: Preprocessing,
  rows: readonly Record<string, FeatureValue>[],
): Float64Array {
  const p = prep.terms.length;
  const x = new Float64Array(rows.length * p);
  const buffer = new Float64Array(p);
  rows.forEach((row, i) => {
    encodeRaw(prep.columns, row, buffer, null);
    for (let j = 0; j < p; j++) x[i * p + j] = (buffer[j]! - prep.terms[j]!.mean) / prep.terms[j]!.sd;
  });
  return x;
}
