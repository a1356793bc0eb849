/**
 * The scorer contract and the registry that holds one champion and any number of shadow
 * challengers. Built-in scorers register through exactly this API, like third-party ones.
 */

/** A feature's value: a number, a category, or missing. */
export type FeatureValue = number | string | null | undefined;
/** Named feature values, as a scorer reads them. */
export type FeatureVector = Readonly<Record<string, FeatureValue>>;

/** What a feature is, so people and validators can read a scorer's inputs. */
export interface FeatureSpec {
  name: string;
  /** One sentence: what the value measures. */
  meaning: string;
  /** Unit, e.g. "minor units", "ratio", "days", "count", "category". */
  unit: string;
  kind: 'numeric' | 'categorical';
  /** Expected range of numeric values (inclusive); values outside it raise a warning. */
  range?: readonly [number, number];
  /** Categories seen in training, for categorical features. */
  levels?: readonly string[];
}

/** One reason code: a feature that cost points against its best value. */
export interface Reason {
  code: string;
  feature: string;
  /** Points the applicant lost on this feature compared with the best value seen in training. */
  pointsLost: number;
  text: string;
}

export interface ScoreResult {
  /** Probability of default in [0, 1]. */
  pd: number;
  /** Integer score in [0, 1000]; higher is safer. */
  score: number;
  grade: string;
  /** At most four, the largest loss first. */
  reasons: Reason[];
  modelVersion: string;
  /** Inputs outside the training range, imputed values, unseen categories. */
  warnings: string[];
}

/** Extra facts a scorer may use; built-in scorers ignore it. */
export interface ScoreContext {
  asOf?: string;
  [key: string]: unknown;
}

export interface Scorer {
  /** Stable identifier, e.g. "behavioural". Letters, digits, '.', '_' and '-'. */
  readonly name: string;
  /** Semantic version, e.g. "1.0.0". */
  readonly version: string;
  readonly features: readonly FeatureSpec[];
  score(features: FeatureVector, context?: ScoreContext): ScoreResult;
}

export class ScorerValidationError extends Error {
  readonly code = 'SCORER_INVALID';
  constructor(
    readonly scorerName: string,
    readonly problems: string[],
  ) {
    super(`scorer "${scorerName}" is invalid: ${problems.join('; ')}`);
    this.name = 'ScorerValidationError';
  }
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const SEMVER = /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/;

/** Checks a score result's shape and ranges; returns the problems found (empty when valid). */
export function checkScoreResult(result: unknown): string[] {
  const problems: string[] = [];
  if (typeof result !== 'object' || result === null) return ['score() must return an object'];
  const r = result as Partial<ScoreResult>;
  if (typeof r.pd !== 'number' || !(r.pd >= 0 && r.pd <= 1)) problems.push('pd must be a number in [0, 1]');
  if (typeof r.score !== 'number' || !Number.isInteger(r.score) || r.score < 0 || r.score > 1000)
    problems.push('score must be an integer in [0, 1000]');
  if (typeof r.grade !== 'string' || r.grade === '') problems.push('grade must be a non-empty string');
  if (typeof r.modelVersion !== 'string' || r.modelVersion === '')
    problems.push('modelVersion must be a string');
  if (!Array.isArray(r.reasons) || r.reasons.length > 4)
    problems.push('reasons must be an array of at most 4');
  else
    for (const reason of r.reasons)
      if (
        typeof reason?.code !== 'string' ||
        typeof reason.pointsLost !== 'number' ||
        typeof reason.text !== 'string'
      )
        problems.push('each reason needs code, feature, pointsLost and text');
  if (!Array.isArray(r.warnings)) problems.push('warnings must be an array');
  return problems;
}

/** A probe vector in the middle of every feature's expected range, used to smoke-test a scorer. */
export function probeFeatures(specs: readonly FeatureSpec[]): Record<string, FeatureValue> {
  const probe: Record<string, FeatureValue> = {};
  for (const spec of specs) {
    if (spec.kind === 'numeric') probe[spec.name] = spec.range ? (spec.range[0] + spec.range[1]) / 2 : 0;
    else probe[spec.name] = spec.levels?.[0] ?? null;
  }
  return probe;
}

/**
 * Validates a scorer: identity, feature specs, and one smoke-test call on a probe vector.
 * Throws ScorerValidationError listing every problem.
 */
export function validateScorer(scorer: Scorer): void {
  const name = typeof scorer?.name === 'string' ? scorer.name : '(unnamed)';
  const problems: string[] = [];
  if (typeof scorer !== 'object' || scorer === null) throw new ScorerValidationError(name, ['not an object']);
  if (typeof scorer.name !== 'string' || !NAME.test(scorer.name)) problems.push('name must match ' + NAME);
  if (typeof scorer.version !== 'string' || !SEMVER.test(scorer.version))
    problems.push('version must be semantic (e.g. 1.0.0)');
  if (typeof scorer.score !== 'function') problems.push('score must be a function');
  if (!Array.isArray(scorer.features) || scorer.features.length === 0)
    problems.push('features must be non-empty');
  else {
    const seen = new Set<string>();
    for (const spec of scorer.features) {
      if (typeof spec?.name !== 'string' || spec.name === '') {
        problems.push('every feature needs a name');
        continue;
      }
      if (seen.has(spec.name)) problems.push(`feature "${spec.name}" is declared twice`);
      seen.add(spec.name);
      if (spec.kind !== 'numeric' && spec.kind !== 'categorical')
        problems.push(`feature "${spec.name}" kind must be numeric or categorical`);
      if (typeof spec.meaning !== 'string' || typeof spec.unit !== 'string')
        problems.push(`feature "${spec.name}" needs meaning and unit`);
      if (spec.range && !(spec.range[0] <= spec.range[1]))
        problems.push(`feature "${spec.name}" range is inverted`);
    }
  }
  if (problems.length === 0) {
    try {
      problems.push(
        ...checkScoreResult(scorer.score(probeFeatures(scorer.features))).map((p) => `probe: ${p}`),
      );
    } catch (error) {
      problems.push(`probe: score() threw ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) throw new ScorerValidationError(name, problems);
}

/** A challenger's outcome: scored and recorded, never deciding. */
export interface ShadowResult {
  name: string;
  version: string;
  result?: ScoreResult;
  error?: string;
}

export type ScorerRole = 'champion' | 'challenger';

/** Holds scorers by name; exactly one champion decides, challengers run in shadow. */
export class ScorerRegistry {
  readonly #scorers = new Map<string, Scorer>();
  #champion: string | undefined;

  /** Validates and adds a scorer. The first one registered becomes champion unless told otherwise. */
  register(scorer: Scorer, options: { role?: ScorerRole } = {}): this {
    validateScorer(scorer);
    if (this.#scorers.has(scorer.name)) throw new Error(`scorer "${scorer.name}" is already registered`);
    this.#scorers.set(scorer.name, scorer);
    if (options.role === 'champion' || (options.role === undefined && this.#champion === undefined))
      this.#champion = scorer.name;
    return this;
  }

  unregister(name: string): boolean {
    if (this.#champion === name) this.#champion = undefined;
    return this.#scorers.delete(name);
  }

  /** Promotes a registered scorer to champion; the former champion becomes a challenger. */
  promote(name: string): void {
    if (!this.#scorers.has(name)) throw new Error(`no scorer named "${name}"`);
    this.#champion = name;
  }

  get(name: string): Scorer | undefined {
    return this.#scorers.get(name);
  }

  list(): { name: string; version: string; role: ScorerRole }[] {
    return [...this.#scorers.values()].map((s) => ({
      name: s.name,
      version: s.version,
      role: s.name === this.#champion ? 'champion' : 'challenger',
    }));
  }

  champion(): Scorer {
    const scorer = this.#champion === undefined ? undefined : this.#scorers.get(this.#champion);
    if (!scorer) throw new Error('no champion scorer registered');
    return scorer;
  }

  challengers(): Scorer[] {
    return [...this.#scorers.values()].filter((s) => s.name !== this.#champion);
  }

  /** Scores with the champion (errors propagate) and every challenger (errors are recorded). */
  scoreAll(
    features: FeatureVector,
    context?: ScoreContext,
  ): { champion: ScoreResult; shadow: ShadowResult[] } {
    const champion = this.champion().score(features, context);
    const shadow: ShadowResult[] = this.challengers().map((s) => {
      try {
        return { name: s.name, version: s.version, result: s.score(features, context) };
      } catch (error) {
        return { name: s.name, version: s.version, error: (error as Error).message };
      }
    });
    return { champion, shadow };
  }
}
