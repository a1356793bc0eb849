/**
 * From CSV text to a training data set: typed columns, missing values, a binary target, and
 * protected attributes left out unless asked for.
 */
import { parse } from 'csv-parse/sync';
import type { FeatureValue } from '../scorer.ts';

/** Cells that mean "missing". */
export const MISSING_TOKENS: ReadonlySet<string> = new Set([
  '',
  'NA',
  'N/A',
  'NaN',
  'nan',
  'null',
  'NULL',
  '?',
]);

/**
 * Column names treated as protected attributes (age, sex/gender, marital status) and excluded
 * from training by default. Matches e.g. `Age`, `Marital`, `Personal.Male.Single`, `sex`, `gender`.
 */
export const PROTECTED_PATTERN = /^(age|sex|gender|marital|marital[._ ]?status|personal)(?:$|[._ ])/i;

export function isProtected(column: string): boolean {
  return PROTECTED_PATTERN.test(column);
}

export interface CsvTable {
  columns: string[];
  rows: Record<string, string>[];
}

/** Parses CSV text with a header row. */
export function parseCsv(text: string): CsvTable {
  const rows = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<
    string,
    string
  >[];
  const header = parse(text.slice(0, text.indexOf('\n') + 1 || text.length), {
    bom: true,
    trim: true,
  }) as string[][];
  return { columns: header[0] ?? [], rows };
}

export interface ColumnInfo {
  name: string;
  kind: 'numeric' | 'categorical';
}

export interface Dataset {
  features: ColumnInfo[];
  rows: Record<string, FeatureValue>[];
  /** 1 = bad, 0 = good. */
  labels: Uint8Array;
  target: { column: string; bad: string };
  /** Columns left out, and why. */
  excluded: { column: string; reason: 'protected' | 'requested' | 'constant' | 'target' }[];
}

export interface DatasetOptions {
  target: string;
  /** The target value that marks a bad outcome (default). */
  bad: string;
  /** More columns to leave out. */
  exclude?: readonly string[];
  /** Keep protected attributes (age, sex, marital status). Off by default. */
  includeProtected?: boolean;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Types each column (numeric when every non-missing cell is a number) and builds the data set. */
export function toDataset(table: CsvTable, options: DatasetOptions): Dataset {
  if (!table.columns.includes(options.target)) throw new Error(`target column "${options.target}" not found`);
  const exclude = new Set(options.exclude ?? []);
  for (const name of exclude)
    if (!table.columns.includes(name)) throw new Error(`excluded column "${name}" not found`);
  const excluded: Dataset['excluded'] = [];
  const features: ColumnInfo[] = [];
  const kept = table.rows.filter((r) => !MISSING_TOKENS.has(r[options.target] ?? ''));
  for (const column of table.columns) {
    if (column === options.target) continue;
    if (exclude.has(column)) {
      excluded.push({ column, reason: 'requested' });
      continue;
    }
    if (!options.includeProtected && isProtected(column)) {
      excluded.push({ column, reason: 'protected' });
      continue;
    }
    const values = new Set<string>();
    let numeric = true;
    for (const row of kept) {
      const cell = row[column] ?? '';
      if (MISSING_TOKENS.has(cell)) continue;
      values.add(cell);
      if (numeric && !NUMBER.test(cell)) numeric = false;
    }
    if (values.size <= 1) {
      excluded.push({ column, reason: 'constant' });
      continue;
    }
    features.push({ name: column, kind: numeric ? 'numeric' : 'categorical' });
  }
  const labels = new Uint8Array(kept.length);
  let bads = 0;
  const rows = kept.map((row, i) => {
    const isBad = row[options.target] === options.bad;
    labels[i] = isBad ? 1 : 0;
    if (isBad) bads++;
    const out: Record<string, FeatureValue> = {};
    for (const f of features) {
      const cell = row[f.name] ?? '';
      out[f.name] = MISSING_TOKENS.has(cell) ? null : f.kind === 'numeric' ? Number(cell) : cell;
    }
    return out;
  });
  if (bads === 0 || bads === kept.length)
    throw new Error(`target "${options.target}" must have both "${options.bad}" and other values`);
  return { features, rows, labels, target: { column: options.target, bad: options.bad }, excluded };
}
