import { describe, expect, it } from 'vitest';
import { behaviouralModel } from './defaults.ts';
import { behaviourFeatureSpecs } from './features/behaviour.ts';
import { BEHAVIOURAL_TRAINING } from './models/recipe.ts';
import { syntheticCustomer, syntheticDataset } from './synthetic.ts';
import { trainModel } from './train/train.ts';

describe('synthetic behaviour', () => {
  it('when the same seed and index are asked twice, then the customer is identical; another seed differs', () => {
    expect(syntheticCustomer(5, { seed: 1 })).toEqual(syntheticCustomer(5, { seed: 1 }));
    expect(syntheticCustomer(5, { seed: 2 }).lines).not.toEqual(syntheticCustomer(5, { seed: 1 }).lines);
  });

  it('when customers are generated, then ledgers are ordered, never overdrawn, and amounts are bigint', () => {
    for (let i = 0; i < 50; i++) {
      const c = syntheticCustomer(i, { seed: 3 });
      const dates = c.lines.map((l) => l.date);
      expect(dates).toEqual([...dates].sort());
      for (const l of c.lines) {
        expect(typeof l.amountMinor).toBe('bigint');
        expect(l.balanceAfterMinor! >= 0n).toBe(true);
      }
      expect(c.lines.every((l) => l.date <= c.asOf)).toBe(true);
    }
  });

  it('when a population is generated, then its bad rate is near the documented 11 %', () => {
    const ds = syntheticDataset(3000, { seed: 9 });
    const rate = ds.labels.reduce((s, x) => s + x, 0) / ds.labels.length;
    expect(rate).toBeGreaterThan(0.08);
    expect(rate).toBeLessThan(0.14);
  });

  it('when the shipped behavioural model is retrained from its recipe, then the coefficients are reproduced', () => {
    const shipped = behaviouralModel();
    const dataset = syntheticDataset(BEHAVIOURAL_TRAINING.customers, { seed: BEHAVIOURAL_TRAINING.seed });
    const retrained = trainModel(dataset, {
      seed: BEHAVIOURAL_TRAINING.seed,
      featureSpecs: behaviourFeatureSpecs,
      ...BEHAVIOURAL_TRAINING.champion,
    });
    expect(retrained.training.dataHash).toBe(shipped.training.dataHash);
    expect(retrained.coefficients).toEqual(shipped.coefficients);
    expect(shipped.training.crossValidation?.meanAuc).toBeGreaterThan(0.74);
  });
});
