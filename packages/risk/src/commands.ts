/**
 * The `wekeza-risk` commands (train, evaluate, synthesize, score), callable in-process for tests.
 * src/cli.ts is the thin executable around `runCli`.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { behaviourFeatureSpecs, extractFeatures } from './features/behaviour.ts';
import { evaluateModel, rowsForModel } from './governance/evaluate.ts';
import { portfolioQuality } from './governance/portfolio.ts';
import { createLogisticScorer, loadModel } from './model.ts';
import { syntheticCustomers } from './synthetic.ts';
import { MISSING_TOKENS, parseCsv, toDataset } from './train/dataset.ts';
import type { Trainer } from './train/logistic.ts';
import type { Encoding } from './train/preprocessing.ts';
import { trainModel } from './train/train.ts';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const USAGE = `Usage:
  wekeza-risk train --data FILE.csv --target COL --bad VALUE --out model.json
      [--exclude a,b] [--include-protected] [--encoding standardise|woe] [--log a,b]
      [--trainer newton|ml] [--l2 1] [--steps 200] [--learning-rate 1]
      [--cv 5] [--seed 42] [--name model] [--model-version 1.0.0]
  wekeza-risk evaluate --model model.json --data FILE.csv --target COL --bad VALUE
      [--outstanding COL --dpd COL]
  wekeza-risk synthesize --customers N [--seed 2025] [--as-of 2025-06-30] --out features.csv
  wekeza-risk score --model model.json --features '{"name": value, ...}'
`;

/** JSON with bigint written as decimal strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v), 2);
}

function list(text: string | undefined): string[] {
  return text
    ? text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
}

function required(values: Record<string, unknown>, names: string[]): void {
  const missing = names.filter((n) => values[n] === undefined);
  if (missing.length > 0) throw new UsageError(`missing ${missing.map((m) => `--${m}`).join(', ')}`);
}

class UsageError extends Error {}

function number(text: string | undefined, fallback: number, name: string): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number`);
  return n;
}

function train(args: string[], io: CliIo): void {
  const { values } = parseArgs({
    args,
    options: {
      data: { type: 'string' },
      target: { type: 'string' },
      bad: { type: 'string' },
      out: { type: 'string' },
      exclude: { type: 'string' },
      'include-protected': { type: 'boolean' },
      encoding: { type: 'string' },
      log: { type: 'string' },
      trainer: { type: 'string' },
      l2: { type: 'string' },
      steps: { type: 'string' },
      'learning-rate': { type: 'string' },
      cv: { type: 'string' },
      seed: { type: 'string' },
      name: { type: 'string' },
      'model-version': { type: 'string' },
    },
  });
  required(values, ['data', 'target', 'bad', 'out']);
  const encoding = (values.encoding ?? 'standardise') as Encoding;
  if (encoding !== 'standardise' && encoding !== 'woe')
    throw new UsageError('--encoding must be standardise or woe');
  const trainer = (values.trainer ?? 'newton') as Trainer;
  if (trainer !== 'newton' && trainer !== 'ml') throw new UsageError('--trainer must be newton or ml');
  const bytes = readFileSync(values.data!);
  const dataset = toDataset(parseCsv(bytes.toString('utf8')), {
    target: values.target!,
    bad: values.bad!,
    exclude: list(values.exclude),
    includeProtected: values['include-protected'] ?? false,
  });
  const folds = number(values.cv, 5, 'cv');
  const seed = number(values.seed, 42, 'seed');
  const model = trainModel(dataset, {
    name: values.name ?? 'model',
    version: values['model-version'] ?? '1.0.0',
    encoding,
    log: list(values.log),
    trainer,
    l2: number(values.l2, 1, 'l2'),
    steps: number(values.steps, 200, 'steps'),
    learningRate: number(values['learning-rate'], 1, 'learning-rate'),
    seed,
    trainedAt: new Date().toISOString(),
    dataHash: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
    ...(folds >= 2 ? { crossValidate: { folds, seed } } : {}),
  });
  writeFileSync(values.out!, `${JSON.stringify(model, null, 1)}\n`);
  io.stdout(
    toJson({
      out: values.out,
      model: `${model.name}@${model.version}`,
      rows: model.training.rows,
      bads: model.training.bads,
      features: model.features.length,
      terms: model.coefficients.terms.length,
      trainer: model.training.trainer,
      encoding: model.training.encoding,
      excluded: model.training.excluded,
      trainingMetrics: model.training.metrics,
      crossValidation: model.training.crossValidation,
      durationMs: model.training.durationMs,
      dataHash: model.training.dataHash,
    }),
  );
}

function evaluate(args: string[], io: CliIo): void {
  const { values } = parseArgs({
    args,
    options: {
      model: { type: 'string' },
      data: { type: 'string' },
      target: { type: 'string' },
      bad: { type: 'string' },
      outstanding: { type: 'string' },
      dpd: { type: 'string' },
    },
  });
  required(values, ['model', 'data', 'target', 'bad']);
  const model = loadModel(JSON.parse(readFileSync(values.model!, 'utf8')));
  const table = parseCsv(readFileSync(values.data!, 'utf8'));
  if (!table.columns.includes(values.target!))
    throw new UsageError(`target column "${values.target}" not found`);
  const kept = table.rows.filter((r) => !MISSING_TOKENS.has(r[values.target!] ?? ''));
  const filtered = { columns: table.columns, rows: kept };
  const rows = rowsForModel(filtered, model);
  const labels = Uint8Array.from(kept, (r) => (r[values.target!] === values.bad ? 1 : 0));
  const report: Record<string, unknown> = { ...evaluateModel(model, rows, labels) };
  if (values.outstanding || values.dpd) {
    required(values, ['outstanding', 'dpd']);
    const scorer = createLogisticScorer(model);
    report.portfolio = portfolioQuality(
      kept.map((r, i) => ({
        score: scorer.score(rows[i]!).score,
        outstandingMinor: BigInt(r[values.outstanding!] ?? '0'),
        daysPastDue: Number(r[values.dpd!] ?? 0),
      })),
      model.grades,
    );
  }
  io.stdout(toJson(report));
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return 'NA';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function synthesize(args: string[], io: CliIo): void {
  const { values } = parseArgs({
    args,
    options: {
      customers: { type: 'string' },
      seed: { type: 'string' },
      'as-of': { type: 'string' },
      out: { type: 'string' },
    },
  });
  required(values, ['customers', 'out']);
  const count = number(values.customers, 0, 'customers');
  const names = behaviourFeatureSpecs.map((s) => s.name);
  const header = ['customerId', 'nationalId', 'kycTier', 'segment', ...names, 'defaulted'];
  const out: string[] = [header.join(',')];
  let bads = 0;
  const options = {
    seed: number(values.seed, 2025, 'seed'),
    ...(values['as-of'] ? { asOf: values['as-of'] } : {}),
  };
  for (const c of syntheticCustomers(count, options)) {
    const f = extractFeatures(c.lines, c.asOf, c.priorLoans).values;
    if (c.defaulted) bads++;
    out.push(
      [c.id, c.nationalId, c.kycTier, c.segment, ...names.map((n) => f[n]), c.defaulted ? 1 : 0]
        .map(csvCell)
        .join(','),
    );
  }
  writeFileSync(values.out!, `${out.join('\n')}\n`);
  io.stdout(
    toJson({ out: values.out, customers: count, bads, badRate: count ? bads / count : 0, ...options }),
  );
}

function score(args: string[], io: CliIo): void {
  const { values } = parseArgs({
    args,
    options: { model: { type: 'string' }, features: { type: 'string' } },
  });
  required(values, ['model', 'features']);
  const scorer = createLogisticScorer(loadModel(JSON.parse(readFileSync(values.model!, 'utf8'))));
  io.stdout(toJson(scorer.score(JSON.parse(values.features!))));
}

/** Runs one command; returns the process exit code (0 ok, 1 failure, 2 usage error). */
export function runCli(argv: readonly string[], io: CliIo): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'train':
        train(rest, io);
        return 0;
      case 'evaluate':
        evaluate(rest, io);
        return 0;
      case 'synthesize':
        synthesize(rest, io);
        return 0;
      case 'score':
        score(rest, io);
        return 0;
      case undefined:
      case '--help':
      case 'help':
        io.stdout(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    const usage =
      error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    io.stderr(`wekeza-risk: ${(error as Error).message}\n${usage ? USAGE : ''}`);
    return usage ? 2 : 1;
  }
}
