/**
 * Quality bars on real credit data (issue 5): stratified 5-fold cross-validated AUC ≥ 0.76 on
 * German Credit and ≥ 0.82 on credit_data, with protected attributes excluded by default.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isProtected, parseCsv, toDataset } from '../src/train/dataset.ts';
import { crossValidate } from '../src/train/train.ts';

const read = (file: string) =>
  parseCsv(readFileSync(fileURLToPath(new URL(`../data/${file}`, import.meta.url)), 'utf8'));
const german = read('GermanCredit.csv');
const credit = read('credit_data.csv');
const germanOptions = { target: 'Class', bad: 'Bad' };
const creditOptions = { target: 'Status', bad: 'bad' };

describe('quality on real credit data', () => {
  it('when German Credit is cross-validated without protected attributes, then AUC ≥ 0.76', () => {
    const ds = toDataset(german, germanOptions);
    expect(ds.features.some((f) => isProtected(f.name))).toBe(false);
    expect(ds.excluded.filter((e) => e.reason === 'protected').map((e) => e.column)).toEqual([
      'Age',
      'Personal.Male.Divorced.Seperated',
      'Personal.Female.NotSingle',
      'Personal.Male.Single',
      'Personal.Male.Married.Widowed',
      'Personal.Female.Single',
    ]);
    const cv = crossValidate(ds, { folds: 5, seed: 42 });
    expect(cv.meanAuc).toBeGreaterThanOrEqual(0.76);
  });

  it('when credit_data is cross-validated without protected attributes, then AUC ≥ 0.82', () => {
    const ds = toDataset(credit, creditOptions);
    expect(ds.features.map((f) => f.name)).not.toContain('Age');
    expect(ds.features.map((f) => f.name)).not.toContain('Marital');
    expect(crossValidate(ds, { folds: 5, seed: 42 }).meanAuc).toBeGreaterThanOrEqual(0.82);
  });

  it('when protected attributes are included, then the AUC gained is small (the cost stated in the model card)', () => {
    for (const [table, options] of [
      [german, germanOptions],
      [credit, creditOptions],
    ] as const) {
      const without = crossValidate(toDataset(table, options), { seed: 42 }).meanAuc;
      const withProtected = crossValidate(toDataset(table, { ...options, includeProtected: true }), {
        seed: 42,
      }).meanAuc;
      expect(Math.abs(withProtected - without)).toBeLessThan(0.01);
    }
  });

  it('when weight-of-evidence binning is used, then both data sets still clear their bars', () => {
    expect(
      crossValidate(toDataset(german, germanOptions), { encoding: 'woe', seed: 42 }).meanAuc,
    ).toBeGreaterThanOrEqual(0.76);
    expect(
      crossValidate(toDataset(credit, creditOptions), { encoding: 'woe', seed: 42 }).meanAuc,
    ).toBeGreaterThanOrEqual(0.82);
  });

  it('when ml-logistic-regression trains German Credit with 100 well-conditioned steps, then AUC ≥ 0.76', () => {
    const cv = crossValidate(toDataset(german, germanOptions), { trainer: 'ml', steps: 100, seed: 42 });
    expect(cv.meanAuc).toBeGreaterThanOrEqual(0.76);
  });
});
