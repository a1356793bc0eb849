import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLogisticScorer, loadModel, type ModelArtifact, ModelFormatError } from './model.ts';
import { ScorerRegistry } from './scorer.ts';
import { parseCsv, toDataset } from './train/dataset.ts';
import { trainModel } from './train/train.ts';

const csv = readFileSync(fileURLToPath(new URL('../data/credit_data.csv', import.meta.url)), 'utf8');
let model: ModelArtifact;

beforeAll(() => {
  model = trainModel(toDataset(parseCsv(csv), { target: 'Status', bad: 'bad' }), { name: 'credit', seed: 1 });
});

const applicant = {
  Seniority: 1,
  Home: 'rent',
  Time: 60,
  Records: 'yes',
  Job: 'partime',
  Expenses: 90,
  Income: 80,
  Assets: 0,
  Debt: 0,
  Amount: 1500,
  Price: 1600,
};

describe('model artifact and logistic scorer', () => {
  it('when an artifact goes through JSON and back, then it scores identically', () => {
    const again = loadModel(JSON.parse(JSON.stringify(model)));
    expect(createLogisticScorer(again).score(applicant)).toEqual(
      createLogisticScorer(model).score(applicant),
    );
  });

  it('when the artifact is built-in style, then it registers through the public registry API', () => {
    const registry = new ScorerRegistry().register(createLogisticScorer(model));
    expect(registry.champion().version).toBe('1.0.0');
  });

  it('when a weak applicant is scored, then at most four reasons come back, largest loss first', () => {
    const r = createLogisticScorer(model).score(applicant);
    expect(r.pd).toBeGreaterThan(0.3);
    expect(r.reasons.length).toBeGreaterThan(0);
    expect(r.reasons.length).toBeLessThanOrEqual(4);
    const points = r.reasons.map((x) => x.pointsLost);
    expect(points).toEqual([...points].sort((a, b) => b - a));
    expect(r.reasons.map((x) => x.code)).toContain('INCOME_LOW');
    expect(r.warnings).toEqual([]);
  });

  it('when inputs fall outside training, then the score still comes back with warnings', () => {
    const r = createLogisticScorer(model).score({ ...applicant, Income: 1e9, Home: 'castle', Amount: null });
    expect(r.warnings.join('\n')).toMatch(/Income=1000000000 is outside the training range/);
    expect(r.warnings.join('\n')).toMatch(/Home="?castle"? was not seen in training/);
    expect(r.warnings.join('\n')).toMatch(/Amount is missing/);
    expect(r.score).toBeGreaterThanOrEqual(0);
  });

  it('when an artifact is tampered with, then loading refuses it', () => {
    expect(() => loadModel({ ...model, format: 'other' })).toThrow(ModelFormatError);
    const broken = structuredClone(model);
    broken.coefficients.terms.pop();
    expect(() => loadModel(broken)).toThrow(/do not match/);
  });

  it('when the model is trained, then it records data hash, training metrics and a monitoring baseline', () => {
    expect(model.training.dataHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(model.training.metrics.auc).toBeGreaterThan(0.8);
    expect(model.monitoring.score.counts.reduce((s, c) => s + c, 0)).toBe(model.training.rows);
    expect(model.training.excluded.map((e) => e.column)).toEqual(['Age', 'Marital']);
  });
});
