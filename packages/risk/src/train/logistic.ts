/**
 * Logistic regression trainers over a standardised design matrix (row-major Float64Array) with
 * an implicit intercept:
 *
 * - `newton` (default): Newton-Raphson / iteratively reweighted least squares with an L2 penalty
 *   (the intercept is not penalised), solved by Cholesky. Deterministic, converges in a handful
 *   of iterations; measured faster and at least as accurate as gradient descent (docs/risk.md).
 * - `ml`: ml-logistic-regression's batch gradient descent (one-vs-all; P(bad) read from its
 *   internal classifier as 1 − classifiers[1].testScores). It does not divide the gradient by n,
 *   so the learning rate given here is divided by n before it is passed on.
 *
 * Both return weights where index 0 is the intercept and index j + 1 belongs to term j, on the
 * log-odds of bad.
 */
/// <reference path="./ml-logistic-regression.d.ts" />
// (The reference makes the library's types reach packages that compile this file from source.)
import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';

export type Trainer = 'newton' | 'ml';

export interface LogisticOptions {
  trainer?: Trainer;
  /** L2 penalty for `newton` (default 1). */
  l2?: number;
  /** Newton iterations cap (default 50). */
  maxIterations?: number;
  /** Gradient steps for `ml` (default 200). */
  steps?: number;
  /** Per-row learning rate for `ml` (default 1; divided by n internally). */
  learningRate?: number;
}

export interface LogisticFit {
  trainer: Trainer;
  weights: Float64Array;
  iterations: number;
  converged: boolean;
  /** Final penalised negative log-likelihood per row. */
  loss: number;
}

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Linear predictor (log-odds of bad) for row i. */
export function linearPredictor(x: Float64Array, p: number, i: number, w: Float64Array): number {
  let eta = w[0]!;
  const base = i * p;
  for (let j = 0; j < p; j++) eta += w[j + 1]! * x[base + j]!;
  return eta;
}

function penalisedLoss(
  x: Float64Array,
  n: number,
  p: number,
  y: Uint8Array,
  w: Float64Array,
  l2: number,
): number {
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const eta = linearPredictor(x, p, i, w);
    // log(1 + e^eta) − y·eta, computed stably
    loss += (eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta))) - (y[i] === 1 ? eta : 0);
  }
  let penalty = 0;
  for (let j = 1; j <= p; j++) penalty += w[j]! * w[j]!;
  return (loss + 0.5 * l2 * penalty) / n;
}

/** Solves A·x = b in place for symmetric positive definite A (k × k, row-major) by Cholesky. */
export function choleskySolve(a: Float64Array, b: Float64Array, k: number): Float64Array {
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * k + j]!;
      for (let m = 0; m < j; m++) s -= l[i * k + m]! * l[j * k + m]!;
      if (i === j) {
        if (s <= 0) throw new Error('matrix is not positive definite; increase the L2 penalty');
        l[i * k + i] = Math.sqrt(s);
      } else l[i * k + j] = s / l[j * k + j]!;
    }
  }
  const z = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = b[i]!;
    for (let m = 0; m < i; m++) s -= l[i * k + m]! * z[m]!;
    z[i] = s / l[i * k + i]!;
  }
  const out = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let m = i + 1; m < k; m++) s -= l[m * k + i]! * out[m]!;
    out[i] = s / l[i * k + i]!;
  }
  return out;
}

function fitNewton(
  x: Float64Array,
  n: number,
  p: number,
  y: Uint8Array,
  options: LogisticOptions,
): LogisticFit {
  const l2 = options.l2 ?? 1;
  const maxIterations = options.maxIterations ?? 50;
  const k = p + 1;
  const w = new Float64Array(k);
  let bads = 0;
  for (let i = 0; i < n; i++) bads += y[i]!;
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, bads / n));
  w[0] = Math.log(rate / (1 - rate));
  let loss = penalisedLoss(x, n, p, y, w, l2);
  const h = new Float64Array(k * k);
  const g = new Float64Array(k);
  const row = new Float64Array(k);
  row[0] = 1;
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    h.fill(0);
    g.fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < p; j++) row[j + 1] = x[i * p + j]!;
      const mu = sigmoid(linearPredictor(x, p, i, w));
      const r = y[i]! - mu;
      const weight = Math.max(mu * (1 - mu), 1e-10);
      for (let a = 0; a < k; a++) {
        const ra = row[a]!;
        g[a]! += ra * r;
        const wa = weight * ra;
        const base = a * k;
        for (let b = 0; b <= a; b++) h[base + b]! += wa * row[b]!;
      }
    }
    for (let a = 1; a < k; a++) {
      g[a]! -= l2 * w[a]!;
      h[a * k + a]! += l2;
    }
    for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) h[a * k + b] = h[b * k + a]!;
    const step = choleskySolve(h, g, k);
    // Step halving keeps every iteration a descent step.
    let t = 1;
    let next = new Float64Array(k);
    let nextLoss = Number.POSITIVE_INFINITY;
    for (let half = 0; half < 30; half++) {
      for (let a = 0; a < k; a++) next[a] = w[a]! + t * step[a]!;
      nextLoss = penalisedLoss(x, n, p, y, next, l2);
      if (nextLoss <= loss + 1e-12) break;
      t /= 2;
    }
    if (!(nextLoss <= loss + 1e-12)) {
      next = w;
      nextLoss = loss;
    }
    let maxStep = 0;
    for (let a = 0; a < k; a++) maxStep = Math.max(maxStep, Math.abs(next[a]! - w[a]!));
    w.set(next);
    const improvement = loss - nextLoss;
    loss = nextLoss;
    if (maxStep < 1e-7 || improvement < 1e-12) {
      converged = true;
      break;
    }
  }
  return { trainer: 'newton', weights: w, iterations, converged, loss };
}

function fitMl(x: Float64Array, n: number, p: number, y: Uint8Array, options: LogisticOptions): LogisticFit {
  const steps = options.steps ?? 200;
  const learningRate = (options.learningRate ?? 1) / n;
  const data: number[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const r = new Array<number>(p + 1);
    r[0] = 1;
    for (let j = 0; j < p; j++) r[j + 1] = x[i * p + j]!;
    data[i] = r;
  }
  const model = new LogisticRegression({ numSteps: steps, learningRate });
  model.train(new Matrix(data), Matrix.columnVector(Array.from(y)));
  // classifiers[1] is trained on "not class 1", i.e. P(good); negate to get log-odds of bad.
  const good = model.classifiers[1]!.weights.to1DArray();
  const weights = Float64Array.from(good, (v) => -v);
  return {
    trainer: 'ml',
    weights,
    iterations: steps,
    converged: false,
    loss: penalisedLoss(x, n, p, y, weights, 0),
  };
}

/** Fits a logistic regression of y (1 = bad) on the standardised terms in x (n × p). */
export function fitLogistic(
  x: Float64Array,
  n: number,
  p: number,
  y: Uint8Array,
  options: LogisticOptions = {},
): LogisticFit {
  if (x.length !== n * p || y.length !== n) throw new Error('design matrix and labels disagree in size');
  return (options.trainer ?? 'newton') === 'ml' ? fitMl(x, n, p, y, options) : fitNewton(x, n, p, y, options);
}
