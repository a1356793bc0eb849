/**
 * Training and cross-validation: preprocessing fitted on the training rows, a logistic
 * regression, score scaling, metrics and the monitoring baseline, all in one versioned artifact.
 */
import { createHash } from 'node:crypto';
import { auc, gini, ks } from '../governance/discrimination.ts';
import { binCounts, quantileEdges } from '../governance/psi.ts';
import {
  type CrossValidationResult,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  type ModelArtifact,
  type MonitoringBaseline,
} from '../model.ts';
import { createRandom } from '../random.ts';
import { defaultGrades, defaultScaling, type GradeBand, type ScoreScaling, scoreFromPd } from '../scaling.ts';
import type { FeatureSpec, FeatureValue } from '../scorer.ts';
import type { ColumnInfo, Dataset } from './dataset.ts';
import { fitLogistic, type LogisticOptions, linearPredictor } from './logistic.ts';
import {
  designMatrix,
  fitPreprocessing,
  NA_LEVEL,
  type Preprocessing,
  type PreprocessingOptions,
} from './preprocessing.ts';

export interface TrainModelOptions extends PreprocessingOptions, LogisticOptions {
  name?: string;
  version?: string;
  description?: string;
  /** Seed for fold assignment (recorded in the artifact; the trainers themselves are deterministic). */
  seed?: number;
  scaling?: ScoreScaling;
  grades?: GradeBand[];
  /** Meaning and unit per feature, when known (ranges and levels come from the data). */
  featureSpecs?: readonly FeatureSpec[];
  trainedAt?: string;
  /** Hash of the source data; computed from the rows when absent. */
  dataHash?: string;
  /** Also run stratified k-fold cross-validation and record it (e.g. { folds: 5 }). */
  crossValidate?: { folds?: number; seed?: number };
}

/** Fold index per row, stratified by outcome and shuffled reproducibly by seed. */
export function stratifiedFolds(labels: Uint8Array, folds: number, seed: number): Uint8Array {
  if (folds < 2 || folds > 255) throw new RangeError('folds must be between 2 and 255');
  const random = createRandom(seed);
  const assignment = new Uint8Array(labels.length);
  for (const cls of [0, 1]) {
    const idx: number[] = [];
    for (let i = 0; i < labels.length; i++) if (labels[i] === cls) idx.push(i);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(random.next() * (i + 1));
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    idx.forEach((row, k) => {
      assignment[row] = k % folds;
    });
  }
  return assignment;
}

/** sha256 over the rows in a canonical form (column order as given). */
export function hashRows(
  features: readonly ColumnInfo[],
  rows: readonly Record<string, FeatureValue>[],
  labels: Uint8Array,
): string {
  const hash = createHash('sha256');
  hash.update(features.map((f) => f.name).join(',') + '\n');
  rows.forEach((row, i) => {
    hash.update(features.map((f) => String(row[f.name] ?? '')).join(',') + `,${labels[i]}\n`);
  });
  return `sha256:${hash.digest('hex')}`;
}

function predictLogits(
  prep: Preprocessing,
  weights: Float64Array,
  rows: readonly Record<string, FeatureValue>[],
) {
  const x = designMatrix(prep, rows);
  const p = prep.terms.length;
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = linearPredictor(x, p, i, weights);
  return out;
}

function subset<T>(items: readonly T[], keep: (i: number) => boolean): T[] {
  const out: T[] = [];
  for (let i = 0; i < items.length; i++) if (keep(i)) out.push(items[i]!);
  return out;
}

function subsetLabels(labels: Uint8Array, keep: (i: number) => boolean): Uint8Array {
  return Uint8Array.from(subset(Array.from(labels), keep));
}

function fitOn(
  dataset: Pick<Dataset, 'features'>,
  rows: readonly Record<string, FeatureValue>[],
  labels: Uint8Array,
  options: TrainModelOptions,
) {
  const prep = fitPreprocessing(dataset.features, rows, labels, options);
  const x = designMatrix(prep, rows);
  const fit = fitLogistic(x, rows.length, prep.terms.length, labels, options);
  return { prep, fit, x };
}

/** Stratified k-fold cross-validated AUC; preprocessing is refitted inside every fold. */
export function crossValidate(
  dataset: Dataset,
  options: TrainModelOptions & { folds?: number } = {},
): CrossValidationResult {
  const folds = options.folds ?? options.crossValidate?.folds ?? 5;
  const seed = options.crossValidate?.seed ?? options.seed ?? 42;
  const assignment = stratifiedFolds(dataset.labels, folds, seed);
  const aucs: number[] = [];
  for (let k = 0; k < folds; k++) {
    const inTrain = (i: number) => assignment[i] !== k;
    const inTest = (i: number) => assignment[i] === k;
    const { prep, fit } = fitOn(
      dataset,
      subset(dataset.rows, inTrain),
      subsetLabels(dataset.labels, inTrain),
      options,
    );
    const logits = predictLogits(prep, fit.weights, subset(dataset.rows, inTest));
    aucs.push(auc(logits, subsetLabels(dataset.labels, inTest)));
  }
  const meanAuc = aucs.reduce((s, a) => s + a, 0) / aucs.length;
  const sdAuc = Math.sqrt(aucs.reduce((s, a) => s + (a - meanAuc) ** 2, 0) / Math.max(1, aucs.length - 1));
  return { folds, seed, aucs, meanAuc, sdAuc };
}

function monitoringBaseline(
  features: readonly ColumnInfo[],
  rows: readonly Record<string, FeatureValue>[],
  scores: ArrayLike<number>,
): MonitoringBaseline {
  const scoreEdges = quantileEdges(scores);
  return {
    score: { edges: scoreEdges, counts: binCounts(scores, scoreEdges) },
    characteristics: features.map((f) => characteristicCounts(f, rows)),
  };
}

/** Binned distribution of one characteristic; reuses the baseline's bins when given. */
export function characteristicCounts(
  feature: ColumnInfo,
  rows: readonly Record<string, FeatureValue>[],
  baseline?: MonitoringBaseline['characteristics'][number],
): MonitoringBaseline['characteristics'][number] {
  if (feature.kind === 'numeric') {
    const present: number[] = [];
    let missing = 0;
    for (const r of rows) {
      const v = r[feature.name];
      if (typeof v === 'number' && Number.isFinite(v)) present.push(v);
      else missing++;
    }
    const edges = baseline?.edges ?? quantileEdges(present);
    return { name: feature.name, kind: 'numeric', edges, counts: [...binCounts(present, edges), missing] };
  }
  const counts = new Map<string, number>();
  for (const r of rows) {
    const v = r[feature.name];
    const level = v === null || v === undefined ? NA_LEVEL : String(v);
    counts.set(level, (counts.get(level) ?? 0) + 1);
  }
  const levels = baseline?.levels ?? [...counts.keys()].sort();
  const seen = new Set(levels);
  const unseen = [...counts.entries()].filter(([l]) => !seen.has(l)).reduce((s, [, c]) => s + c, 0);
  const out = levels.map((l) => counts.get(l) ?? 0);
  // Unseen levels pool into an extra bin so shifts towards new categories still show.
  return { name: feature.name, kind: 'categorical', levels, counts: baseline ? [...out, unseen] : out };
}

function featureSpecsFor(
  dataset: Pick<Dataset, 'features' | 'rows'>,
  prep: Preprocessing,
  known: readonly FeatureSpec[],
) {
  return dataset.features.map((f): FeatureSpec => {
    const spec = known.find((k) => k.name === f.name);
    const encoder = prep.columns.find((c) => c.name === f.name);
    if (f.kind === 'numeric') {
      const min = encoder && 'min' in encoder ? (encoder.min ?? 0) : 0;
      const max = encoder && 'max' in encoder ? (encoder.max ?? 0) : 0;
      return {
        name: f.name,
        meaning: spec?.meaning ?? `Column ${f.name} of the training data`,
        unit: spec?.unit ?? 'as in the data',
        kind: 'numeric',
        range: [min, max],
      };
    }
    const levels =
      encoder?.kind === 'categorical'
        ? encoder.levels
        : encoder?.kind === 'woe'
          ? (encoder.levels ?? [])
          : [];
    return {
      name: f.name,
      meaning: spec?.meaning ?? `Column ${f.name} of the training data`,
      unit: 'category',
      kind: 'categorical',
      levels,
    };
  });
}

/** Trains a logistic scorecard on the whole data set and returns its artifact. */
export function trainModel(dataset: Dataset, options: TrainModelOptions = {}): ModelArtifact {
  const started = performance.now();
  const seed = options.seed ?? 42;
  const { prep, fit, x } = fitOn(dataset, dataset.rows, dataset.labels, options);
  const n = dataset.rows.length;
  const p = prep.terms.length;
  const logits = new Float64Array(n);
  const scores = new Float64Array(n);
  const scaling = options.scaling ?? defaultScaling;
  for (let i = 0; i < n; i++) {
    logits[i] = linearPredictor(x, p, i, fit.weights);
    scores[i] = scoreFromPd(1 / (1 + Math.exp(-logits[i]!)), scaling);
  }
  let bads = 0;
  for (const l of dataset.labels) bads += l;
  const crossValidation = options.crossValidate
    ? crossValidate(dataset, {
        ...options,
        folds: options.crossValidate.folds ?? 5,
        seed: options.crossValidate.seed ?? seed,
      })
    : undefined;
  const trainer = fit.trainer;
  const artifact: ModelArtifact = {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    name: options.name ?? 'model',
    version: options.version ?? '1.0.0',
    ...(options.description ? { description: options.description } : {}),
    ...(options.trainedAt ? { trainedAt: options.trainedAt } : {}),
    target: dataset.target,
    features: featureSpecsFor(dataset, prep, options.featureSpecs ?? []),
    preprocessing: prep,
    coefficients: {
      intercept: fit.weights[0]!,
      terms: prep.terms.map((t, j) => ({ term: t.name, weight: fit.weights[j + 1]! })),
    },
    scaling,
    grades: options.grades ?? defaultGrades.map((g) => ({ ...g })),
    training: {
      rows: n,
      bads,
      badRate: bads / n,
      trainer,
      ...(trainer === 'newton'
        ? { l2: options.l2 ?? 1 }
        : { steps: options.steps ?? 200, learningRate: options.learningRate ?? 1 }),
      iterations: fit.iterations,
      converged: fit.converged,
      seed,
      encoding: prep.encoding,
      excluded: dataset.excluded,
      dataHash: options.dataHash ?? hashRows(dataset.features, dataset.rows, dataset.labels),
      durationMs: 0,
      metrics: {
        auc: auc(logits, dataset.labels),
        gini: gini(logits, dataset.labels),
        ks: ks(logits, dataset.labels),
      },
      ...(crossValidation ? { crossValidation } : {}),
    },
    monitoring: monitoringBaseline(dataset.features, dataset.rows, scores),
  };
  artifact.training.durationMs = Math.round(performance.now() - started);
  return artifact;
}
