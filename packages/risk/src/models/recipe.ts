/** How the shipped behavioural models are trained (scripts/train-behavioural.ts; checked by tests). */
export const BEHAVIOURAL_TRAINING = {
  customers: 20_000,
  seed: 2025,
  trainedAt: '2025-07-01T00:00:00.000Z',
  champion: {
    name: 'behavioural',
    version: '1.0.0',
    description: 'Logistic scorecard on synthetic ledger behaviour (standardised, L2 Newton)',
    encoding: 'standardise',
    log: ['avgMonthlyInflow'],
    trainer: 'newton',
    l2: 1,
  },
  challenger: {
    name: 'behavioural-woe',
    version: '1.0.0',
    description: 'Weight-of-evidence scorecard on synthetic ledger behaviour (challenger, shadow only)',
    encoding: 'woe',
    trainer: 'newton',
    l2: 1,
  },
} as const;
