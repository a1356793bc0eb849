/**
 * Model evaluation on labelled data: discrimination (AUC, Gini, KS), stability against the
 * training baseline (PSI on scores and per characteristic), calibration with Hosmer-Lemeshow,
 * and bad rate by grade.
 */
import { createLogisticScorer, type ModelArtifact } from '../model.ts';
import type { FeatureValue } from '../scorer.ts';
import { type CsvTable, MISSING_TOKENS } from '../train/dataset.ts';
import { characteristicCounts } from '../train/train.ts';
import { type Calibration, calibration } from './calibration.ts';
import { auc, gini, ks } from './discrimination.ts';
import { binCounts, type PsiResult, psi } from './psi.ts';

export interface EvaluationReport {
  model: string;
  rows: number;
  bads: number;
  badRate: number;
  auc: number;
  gini: number;
  ks: number;
  psi: { score: PsiResult; characteristics: ({ name: string } & PsiResult)[] };
  calibration: Calibration;
  byGrade: { grade: string; count: number; bads: number; badRate: number; meanPd: number }[];
  /** Rows with at least one scoring warning (out of range, unseen category, unexpected missing). */
  rowsWithWarnings: number;
}

/** Reads the model's features from a CSV table, typed as the model expects them. */
export function rowsForModel(table: CsvTable, model: ModelArtifact): Record<string, FeatureValue>[] {
  for (const f of model.features)
    if (!table.columns.includes(f.name))
      throw new Error(`column "${f.name}" required by the model is missing`);
  return table.rows.map((row) => {
    const out: Record<string, FeatureValue> = {};
    for (const f of model.features) {
      const cell = row[f.name] ?? '';
      out[f.name] = MISSING_TOKENS.has(cell) ? null : f.kind === 'numeric' ? Number(cell) : cell;
    }
    return out;
  });
}

/** Evaluates a model on rows with known outcomes (1 = bad). */
export function evaluateModel(
  model: ModelArtifact,
  rows: readonly Record<string, FeatureValue>[],
  labels: Uint8Array,
): EvaluationReport {
  const scorer = createLogisticScorer(model);
  const pds = new Float64Array(rows.length);
  const scores = new Float64Array(rows.length);
  const grades: string[] = [];
  let rowsWithWarnings = 0;
  rows.forEach((row, i) => {
    const r = scorer.score(row);
    pds[i] = r.pd;
    scores[i] = r.score;
    grades.push(r.grade);
    if (r.warnings.length > 0) rowsWithWarnings++;
  });
  let bads = 0;
  for (const l of labels) bads += l;
  const baseline = model.monitoring;
  const characteristics = baseline.characteristics.map((b) => {
    const actual = characteristicCounts({ name: b.name, kind: b.kind }, rows, b);
    const expected = b.kind === 'categorical' ? [...b.counts, 0] : b.counts;
    return { name: b.name, ...psi(expected, actual.counts) };
  });
  const byGrade = model.grades.map((g) => {
    let count = 0;
    let gb = 0;
    let pdSum = 0;
    grades.forEach((grade, i) => {
      if (grade !== g.grade) return;
      count++;
      gb += labels[i]!;
      pdSum += pds[i]!;
    });
    return {
      grade: g.grade,
      count,
      bads: gb,
      badRate: count ? gb / count : 0,
      meanPd: count ? pdSum / count : 0,
    };
  });
  return {
    model: `${model.name}@${model.version}`,
    rows: rows.length,
    bads,
    badRate: bads / rows.length,
    auc: auc(pds, labels),
    gini: gini(pds, labels),
    ks: ks(pds, labels),
    psi: {
      score: psi(baseline.score.counts, binCounts(scores, baseline.score.edges)),
      characteristics,
    },
    calibration: calibration(pds, labels),
    byGrade,
    rowsWithWarnings,
  };
}
