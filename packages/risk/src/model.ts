/**
 * The versioned model artifact (plain JSON) and the logistic scorecard scorer built from it.
 */

import {
  defaultGrades,
  type GradeBand,
  gradeFor,
  type ScoreScaling,
  scalingFactor,
  scoreFromPd,
  validateScaling,
} from './scaling.ts';
import type { FeatureSpec, FeatureValue, FeatureVector, Reason, ScoreResult, Scorer } from './scorer.ts';
import type { Preprocessing } from './train/preprocessing.ts';
import { candidateValues, encodeColumn, termNames } from './train/preprocessing.ts';

export const MODEL_FORMAT = 'wekeza-risk-model';
export const MODEL_FORMAT_VERSION = 1;

export interface CrossValidationResult {
  folds: number;
  seed: number;
  aucs: number[];
  meanAuc: number;
  sdAuc: number;
}

export interface TrainingSummary {
  rows: number;
  bads: number;
  badRate: number;
  trainer: 'newton' | 'ml';
  l2?: number;
  steps?: number;
  learningRate?: number;
  iterations: number;
  converged: boolean;
  seed: number;
  encoding: Preprocessing['encoding'];
  /** Columns left out of the model, and why (protected attributes are listed here). */
  excluded: { column: string; reason: string }[];
  /** sha256 of the training data (file bytes from the CLI, canonical rows otherwise). */
  dataHash: string;
  durationMs: number;
  /** Metrics on the training rows themselves (optimistic); see crossValidation for honest ones. */
  metrics: { auc: number; gini: number; ks: number };
  crossValidation?: CrossValidationResult;
}

/** Baseline distributions captured at training time, for PSI monitoring later. */
export interface MonitoringBaseline {
  score: { edges: number[]; counts: number[] };
  characteristics: {
    name: string;
    kind: 'numeric' | 'categorical';
    /** Numeric: bin upper edges; a final extra count holds missing values. */
    edges?: number[];
    /** Categorical: levels (NA for missing). */
    levels?: string[];
    counts: number[];
  }[];
}

export interface ModelArtifact {
  format: typeof MODEL_FORMAT;
  formatVersion: typeof MODEL_FORMAT_VERSION;
  name: string;
  version: string;
  description?: string;
  trainedAt?: string;
  target: { column: string; bad: string };
  features: FeatureSpec[];
  preprocessing: Preprocessing;
  /** On the log-odds of bad, for standardised terms. */
  coefficients: { intercept: number; terms: { term: string; weight: number }[] };
  scaling: ScoreScaling;
  grades: GradeBand[];
  training: TrainingSummary;
  monitoring: MonitoringBaseline;
}

export class ModelFormatError extends Error {
  readonly code = 'MODEL_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'ModelFormatError';
  }
}

/** Checks parsed JSON is a model artifact this version can score; returns it typed. */
export function loadModel(json: unknown): ModelArtifact {
  const m = json as Partial<ModelArtifact>;
  if (typeof m !== 'object' || m === null) throw new ModelFormatError('model must be a JSON object');
  if (m.format !== MODEL_FORMAT) throw new ModelFormatError(`not a ${MODEL_FORMAT} artifact`);
  if (m.formatVersion !== MODEL_FORMAT_VERSION)
    throw new ModelFormatError(`unsupported formatVersion ${String(m.formatVersion)}`);
  if (typeof m.name !== 'string' || typeof m.version !== 'string')
    throw new ModelFormatError('name and version required');
  if (
    !m.preprocessing ||
    !m.coefficients ||
    !m.scaling ||
    !Array.isArray(m.grades) ||
    !Array.isArray(m.features)
  )
    throw new ModelFormatError('preprocessing, coefficients, scaling, grades and features are required');
  const expected = m.preprocessing.columns.flatMap(termNames);
  const terms = m.coefficients.terms.map((t) => t.term);
  if (expected.length !== terms.length || expected.some((t, i) => t !== terms[i]))
    throw new ModelFormatError('coefficients do not match the preprocessing terms');
  if (m.preprocessing.terms.length !== terms.length)
    throw new ModelFormatError('term statistics are incomplete');
  validateScaling(m.scaling);
  return m as ModelArtifact;
}

function codeOf(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
    .toUpperCase();
}

function show(value: FeatureValue): string {
  if (value === null || value === undefined) return 'missing';
  if (typeof value === 'number')
    return Number.isInteger(value) || Math.abs(value) >= 100
      ? String(Math.round(value))
      : String(Number(value.toPrecision(3)));
  return JSON.stringify(value);
}

interface ColumnPlan {
  name: string;
  offset: number;
  width: number;
  numeric: boolean;
  /** Reason-code stem, e.g. AVG_MONTHLY_INFLOW. */
  code: string;
  /** Lowest contribution over the training range, and the value that earns it. */
  best: number;
  bestValue: FeatureValue;
}

/** A fast scorer over a model artifact: one pass over the terms, no allocation beyond the result. */
export function createLogisticScorer(
  artifact: ModelArtifact,
  overrides: { name?: string; version?: string } = {},
): Scorer {
  const model = loadModel(artifact);
  const prep = model.preprocessing;
  const p = prep.terms.length;
  // Fold standardisation into the coefficients: w·(raw − mean)/sd = a·raw − a·mean.
  const a = new Float64Array(p);
  let intercept = model.coefficients.intercept;
  model.coefficients.terms.forEach((t, j) => {
    const stats = prep.terms[j]!;
    a[j] = t.weight / stats.sd;
    intercept -= a[j]! * stats.mean;
  });
  const buffer = new Float64Array(p);
  const contribution = (plan: { offset: number; width: number }): number => {
    let c = 0;
    for (let j = plan.offset; j < plan.offset + plan.width; j++) c += a[j]! * buffer[j]!;
    return c;
  };
  const plans: ColumnPlan[] = [];
  let offset = 0;
  for (const column of prep.columns) {
    const width = termNames(column).length;
    const plan: ColumnPlan = {
      name: column.name,
      code: codeOf(column.name),
      offset,
      width,
      numeric: column.kind === 'numeric' || (column.kind === 'woe' && column.source === 'numeric'),
      best: Number.POSITIVE_INFINITY,
      bestValue: null,
    };
    for (const value of candidateValues(column)) {
      encodeColumn(column, value, buffer, offset, null);
      const c = contribution(plan);
      if (c < plan.best) {
        plan.best = c;
        plan.bestValue = value;
      }
    }
    plans.push(plan);
    offset += width;
  }
  const factor = scalingFactor(model.scaling);
  const modelVersion = `${overrides.name ?? model.name}@${overrides.version ?? model.version}`;
  const grades = model.grades.length > 0 ? model.grades : [...defaultGrades];

  return {
    name: overrides.name ?? model.name,
    version: overrides.version ?? model.version,
    features: model.features,
    score(features: FeatureVector): ScoreResult {
      const warnings: string[] = [];
      let logit = intercept;
      const lost: { plan: ColumnPlan; points: number; value: FeatureValue }[] = [];
      for (let c = 0; c < plans.length; c++) {
        const plan = plans[c]!;
        const value = features[plan.name];
        encodeColumn(prep.columns[c]!, value, buffer, plan.offset, warnings);
        const contrib = contribution(plan);
        logit += contrib;
        // Values beyond the typical range can score below the "best" one: they lose no points.
        const points = factor * (contrib - plan.best);
        if (points >= 0.5) lost.push({ plan, points, value });
      }
      const pd = logit >= 0 ? 1 / (1 + Math.exp(-logit)) : Math.exp(logit) / (1 + Math.exp(logit));
      const score = scoreFromPd(pd, model.scaling);
      lost.sort((x, y) => y.points - x.points || (x.plan.name < y.plan.name ? -1 : 1));
      const reasons: Reason[] = lost.slice(0, 4).map(({ plan, points, value }) => {
        const missing = value === null || value === undefined;
        let suffix: string;
        let text: string;
        if (missing) {
          suffix = 'MISSING';
          text = `${plan.name} is missing`;
        } else if (plan.numeric && typeof plan.bestValue === 'number' && typeof value === 'number') {
          suffix = value < plan.bestValue ? 'LOW' : 'HIGH';
          text = `${plan.name} is ${suffix === 'LOW' ? 'low' : 'high'} (${show(value)}; best-scoring ${show(plan.bestValue)})`;
        } else {
          suffix = 'CATEGORY';
          text = `${plan.name} is ${show(value)} (best-scoring ${show(plan.bestValue)})`;
        }
        return {
          code: `${plan.code}_${suffix}`,
          feature: plan.name,
          pointsLost: Math.round(points * 10) / 10,
          text,
        };
      });
      return { pd, score, grade: gradeFor(score, grades), reasons, modelVersion, warnings };
    },
  };
}
