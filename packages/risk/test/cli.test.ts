import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/commands.ts';

const data = (file: string) => fileURLToPath(new URL(`../data/${file}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'wekeza-risk-'));

function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('wekeza-risk CLI', () => {
  it('when German Credit is trained and evaluated, then a versioned model and a governance report come out', () => {
    const out = join(dir, 'german.json');
    const trained = run([
      'train',
      '--data',
      data('GermanCredit.csv'),
      '--target',
      'Class',
      '--bad',
      'Bad',
      '--out',
      out,
    ]);
    expect(trained.code).toBe(0);
    const summary = JSON.parse(trained.stdout);
    expect(summary.crossValidation.meanAuc).toBeGreaterThanOrEqual(0.76);
    const model = JSON.parse(readFileSync(out, 'utf8'));
    expect(model).toMatchObject({
      format: 'wekeza-risk-model',
      formatVersion: 1,
      target: { column: 'Class', bad: 'Bad' },
    });
    const evaluated = run([
      'evaluate',
      '--model',
      out,
      '--data',
      data('GermanCredit.csv'),
      '--target',
      'Class',
      '--bad',
      'Bad',
    ]);
    expect(evaluated.code).toBe(0);
    const report = JSON.parse(evaluated.stdout);
    for (const key of ['auc', 'gini', 'ks', 'psi', 'calibration', 'byGrade'])
      expect(report).toHaveProperty(key);
    expect(report.psi.score.status).toBe('stable');
    expect(report.calibration.hosmerLemeshow.degreesOfFreedom).toBe(8);
  });

  it('when credit_data with NA values is trained with WoE and an exclusion, then the exclusion is recorded', () => {
    const out = join(dir, 'credit.json');
    const trained = run([
      'train',
      '--data',
      data('credit_data.csv'),
      '--target',
      'Status',
      '--bad',
      'bad',
      '--exclude',
      'Price',
      '--encoding',
      'woe',
      '--cv',
      '0',
      '--out',
      out,
    ]);
    expect(trained.code).toBe(0);
    const summary = JSON.parse(trained.stdout);
    expect(summary.excluded).toContainEqual({ column: 'Price', reason: 'requested' });
    expect(summary.crossValidation).toBeUndefined();
    const evaluated = run([
      'evaluate',
      '--model',
      out,
      '--data',
      data('credit_data.csv'),
      '--target',
      'Status',
      '--bad',
      'bad',
    ]);
    expect(JSON.parse(evaluated.stdout).auc).toBeGreaterThan(0.82);
  });

  it('when synthetic customers are written to CSV, then the behavioural model trains from that CSV', () => {
    const csv = join(dir, 'synthetic.csv');
    expect(run(['synthesize', '--customers', '400', '--seed', '5', '--out', csv]).code).toBe(0);
    const out = join(dir, 'synthetic.json');
    const trained = run([
      'train',
      '--data',
      csv,
      '--target',
      'defaulted',
      '--bad',
      '1',
      '--exclude',
      'customerId,nationalId,kycTier,segment',
      '--log',
      'avgMonthlyInflow',
      '--cv',
      '0',
      '--out',
      out,
    ]);
    expect(trained.stderr).toBe('');
    expect(trained.code).toBe(0);
    const scored = run([
      'score',
      '--model',
      out,
      '--features',
      '{"avgMonthlyInflow": 2000000, "daysSinceLastInflow": 3}',
    ]);
    expect(JSON.parse(scored.stdout).score).toBeGreaterThan(0);
  });

  it('when an option is missing or the command unknown, then the exit code is 2 with usage', () => {
    expect(run(['train', '--data', 'x.csv']).code).toBe(2);
    const unknown = run(['fly']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Usage/);
  });
});
