/**
 * Regenerates the shipped behavioural models from synthetic data (deterministic by seed):
 *   pnpm --filter @wekeza/risk train:behavioural
 * writes src/models/behavioural-v1.json (champion) and src/models/behavioural-woe-v1.json (challenger).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { behaviourFeatureSpecs } from '../src/features/behaviour.ts';
import { BEHAVIOURAL_TRAINING } from '../src/models/recipe.ts';
import { syntheticDataset } from '../src/synthetic.ts';
import { trainModel } from '../src/train/train.ts';

const dataset = syntheticDataset(BEHAVIOURAL_TRAINING.customers, { seed: BEHAVIOURAL_TRAINING.seed });
const common = {
  seed: BEHAVIOURAL_TRAINING.seed,
  featureSpecs: behaviourFeatureSpecs,
  crossValidate: { folds: 5 },
  trainedAt: BEHAVIOURAL_TRAINING.trainedAt,
};
const champion = trainModel(dataset, { ...common, ...BEHAVIOURAL_TRAINING.champion });
const challenger = trainModel(dataset, { ...common, ...BEHAVIOURAL_TRAINING.challenger });
for (const [file, model] of [
  ['behavioural-v1.json', champion],
  ['behavioural-woe-v1.json', challenger],
] as const) {
  const path = fileURLToPath(new URL(`../src/models/${file}`, import.meta.url));
  writeFileSync(path, `${JSON.stringify(model, null, 1)}\n`);
  const cv = model.training.crossValidation;
  console.log(
    `${file}: ${model.training.rows} rows, bad rate ${model.training.badRate.toFixed(3)}, CV AUC ${cv?.meanAuc.toFixed(4)}`,
  );
}
