/**
 * The built-in scorers and a ready engine. Built-ins register through the same public API as
 * any third-party scorer: `registry.register(scorer, { role })`.
 */
import { DecisionEngine } from './engine.ts';
import { createLogisticScorer, loadModel, type ModelArtifact } from './model.ts';
import behaviouralV1 from './models/behavioural-v1.json';
import behaviouralWoeV1 from './models/behavioural-woe-v1.json';
import type { Policy } from './policy.ts';
import { ScorerRegistry } from './scorer.ts';

/** The shipped behavioural champion (standardised logistic scorecard on synthetic behaviour). */
export function behaviouralModel(): ModelArtifact {
  return loadModel(structuredClone(behaviouralV1));
}

/** The shipped challenger (weight-of-evidence scorecard on the same data). */
export function behaviouralWoeModel(): ModelArtifact {
  return loadModel(structuredClone(behaviouralWoeV1));
}

/** A registry with the behavioural champion and its weight-of-evidence challenger in shadow. */
export function defaultRegistry(): ScorerRegistry {
  return new ScorerRegistry()
    .register(createLogisticScorer(behaviouralModel()), { role: 'champion' })
    .register(createLogisticScorer(behaviouralWoeModel()), { role: 'challenger' });
}

/** The engine a bank server can start with: shipped models, default (or given) policy. */
export function createDefaultEngine(
  options: { policy?: Policy; registry?: ScorerRegistry } = {},
): DecisionEngine {
  return new DecisionEngine({
    registry: options.registry ?? defaultRegistry(),
    ...(options.policy ? { policy: options.policy } : {}),
  });
}
