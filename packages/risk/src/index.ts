/**
 * @wekeza/risk — pluggable credit scoring: behavioural features, a logistic scorecard on a
 * 0–1000 scale with reason codes, policy-as-data decisions and limits, governance metrics,
 * a sandbox credit bureau and synthetic behaviour data.
 */
export {
  type BureauLookupOptions,
  type BureauReport,
  type BureauStatus,
  BureauTimeoutError,
  type CreditBureau,
  fetchBureauReport,
  type NegativeListing,
  unavailableReport,
} from './bureau/bureau.ts';
export { type SandboxAnswer, SandboxBureau, sandboxAnswerFor } from './bureau/sandbox.ts';
export { runCli, toJson } from './commands.ts';
export { behaviouralModel, behaviouralWoeModel, createDefaultEngine, defaultRegistry } from './defaults.ts';
export {
  type Decision,
  DecisionEngine,
  type DecisionInput,
  type DecisionOutcome,
  type RuleResult,
} from './engine.ts';
export {
  type BehaviourFeatures,
  type BehaviourFeatureValues,
  behaviourFeatureSpecs,
  extractFeatures,
  type LedgerLine,
  PERIOD_DAYS,
  type PriorLoan,
  WINDOW_PERIODS,
} from './features/behaviour.ts';
export {
  type Calibration,
  type CalibrationBand,
  calibration,
  chiSquareSurvival,
} from './governance/calibration.ts';
export { auc, gini, ks } from './governance/discrimination.ts';
export { type EvaluationReport, evaluateModel, rowsForModel } from './governance/evaluate.ts';
export { type LoanOutcome, type PortfolioBand, portfolioQuality } from './governance/portfolio.ts';
export {
  binCounts,
  PSI_MONITOR,
  PSI_SHIFT,
  type PsiResult,
  psi,
  psiOfSamples,
  quantileEdges,
  type StabilityStatus,
  stabilityStatus,
} from './governance/psi.ts';
export {
  type CrossValidationResult,
  createLogisticScorer,
  loadModel,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  type ModelArtifact,
  ModelFormatError,
  type MonitoringBaseline,
  type TrainingSummary,
} from './model.ts';
export {
  affordablePrincipalMinor,
  computeLimit,
  defaultPolicy,
  type LimitBreakdown,
  type Policy,
  PolicyValidationError,
  validatePolicy,
} from './policy.ts';
export { createRandom, type Random } from './random.ts';
export {
  defaultGrades,
  defaultScaling,
  type GradeBand,
  gradeFor,
  pdFromScore,
  rawScoreFromPd,
  type ScoreScaling,
  scoreFromPd,
} from './scaling.ts';
export {
  checkScoreResult,
  type FeatureSpec,
  type FeatureValue,
  type FeatureVector,
  type Reason,
  type ScoreContext,
  type ScoreResult,
  type Scorer,
  ScorerRegistry,
  type ScorerRole,
  ScorerValidationError,
  type ShadowResult,
  validateScorer,
} from './scorer.ts';
export {
  type Segment,
  type SyntheticCustomer,
  syntheticCustomer,
  syntheticCustomers,
  syntheticDataset,
} from './synthetic.ts';
export {
  type ColumnInfo,
  type CsvTable,
  type Dataset,
  type DatasetOptions,
  isProtected,
  PROTECTED_PATTERN,
  parseCsv,
  toDataset,
} from './train/dataset.ts';
export { fitLogistic, type LogisticFit, type LogisticOptions, type Trainer } from './train/logistic.ts';
export {
  type Encoding,
  fitPreprocessing,
  type Preprocessing,
  type PreprocessingOptions,
} from './train/preprocessing.ts';
export { crossValidate, stratifiedFolds, type TrainModelOptions, trainModel } from './train/train.ts';
