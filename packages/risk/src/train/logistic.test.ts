import { describe, expect, it } from 'vitest';
import { createRandom } from '../random.ts';
import { choleskySolve, fitLogistic } from './logistic.ts';
import { stratifiedFolds } from './train.ts';

function simulated(n: number, seed: number) {
  const random = createRandom(seed);
  const p = 3;
  const truth = [-1, 1.2, -0.8, 0.5];
  const x = new Float64Array(n * p);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let eta = truth[0]!;
    for (let j = 0; j < p; j++) {
      const v = random.normal();
      x[i * p + j] = v;
      eta += truth[j + 1]! * v;
    }
    y[i] = random.bernoulli(1 / (1 + Math.exp(-eta))) ? 1 : 0;
  }
  return { x, y, p, truth };
}

describe('logistic trainers', () => {
  it('when Newton fits simulated data, then it recovers the true coefficients', () => {
    const { x, y, p, truth } = simulated(20_000, 7);
    const fit = fitLogistic(x, 20_000, p, y, { l2: 0.01 });
    expect(fit.converged).toBe(true);
    for (const [j, w] of fit.weights.entries()) expect(w).toBeCloseTo(truth[j]!, 1);
  });

  it('when ml-logistic-regression fits the same data, then it agrees with Newton', () => {
    const { x, y, p } = simulated(2_000, 11);
    const newton = fitLogistic(x, 2_000, p, y, { l2: 1e-6 });
    const ml = fitLogistic(x, 2_000, p, y, { trainer: 'ml', steps: 150, learningRate: 3 });
    for (const [j, w] of ml.weights.entries()) expect(w).toBeCloseTo(newton.weights[j]!, 1);
  });

  it('when a symmetric positive definite system is solved, then A·x = b', () => {
    const a = Float64Array.from([4, 2, 0.6, 2, 5, 1, 0.6, 1, 3]);
    const b = Float64Array.from([1, 2, 3]);
    const x = choleskySolve(a, b, 3);
    for (let i = 0; i < 3; i++)
      expect(a[i * 3]! * x[0]! + a[i * 3 + 1]! * x[1]! + a[i * 3 + 2]! * x[2]!).toBeCloseTo(b[i]!, 12);
  });

  it('when folds are drawn, then they are stratified and reproducible by seed', () => {
    const labels = Uint8Array.from({ length: 1000 }, (_, i) => (i % 10 < 3 ? 1 : 0));
    const a = stratifiedFolds(labels, 5, 42);
    expect(Array.from(stratifiedFolds(labels, 5, 42))).toEqual(Array.from(a));
    expect(Array.from(stratifiedFolds(labels, 5, 43))).not.toEqual(Array.from(a));
    for (let k = 0; k < 5; k++) {
      const inFold = [...labels.keys()].filter((i) => a[i] === k);
      expect(inFold.length).toBe(200);
      expect(inFold.filter((i) => labels[i] === 1).length).toBe(60);
    }
  });
});
