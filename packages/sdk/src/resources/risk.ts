import type { Wekeza } from '../client.ts';
import type * as wire from '../contract/index.ts';
import type { RequestOptions } from '../core/request-options.ts';
import type { FromWire } from '../internal/case.ts';
import { path } from '../internal/path.ts';
import type { CurrencyCode } from '../money/currency.ts';
import type { Money } from '../money/money.ts';
import type { Approval } from './approvals.ts';

/** Loans and their outstanding principal. */
export interface PortfolioSlice {
  loans: number;
  principal: Money;
}

/** Portfolio quality figures (ratios are decimal strings with 4 places). */
export interface PortfolioFigures {
  loans: number;
  outstandingPrincipal: Money;
  nplPrincipal: Money;
  par30Principal: Money;
  nplRatio: string;
  par30: string;
  loansByBucket: Record<'current' | '1-30' | '31-60' | '61-90' | '91+', PortfolioSlice>;
  loansByClass: Record<'normal' | 'watch' | 'substandard' | 'doubtful' | 'loss', PortfolioSlice>;
}

export interface Portfolio extends PortfolioFigures {
  currency: string;
  /** The last closed bank day. */
  asOf: string | null;
  scoreDistribution: { band: string; loans: number; principal: Money }[];
}

/** The portfolio at the end of one bank day. */
export interface PortfolioDay extends PortfolioFigures {
  bankDate: string;
}

export interface PortfolioHistory {
  currency: string;
  from: string;
  to: string;
  data: PortfolioDay[];
}

/** `/v1/risk/portfolio` (admins). */
export class PortfolioResource {
  constructor(private readonly client: Wekeza) {}

  /** NPL ratio, PAR30, loans by bucket and CBK class, score distribution. */
  retrieve(params?: { currency?: CurrencyCode }, options?: RequestOptions): Promise<Portfolio> {
    return this.client._request(
      { method: 'GET', path: '/v1/risk/portfolio', query: { currency: params?.currency } },
      (c) => c.Portfolio,
      options,
    );
  }

  /** One row per closed bank day from `from` to `to` (at most 366 days). */
  history(
    params: { from: string; to: string; currency?: CurrencyCode },
    options?: RequestOptions,
  ): Promise<PortfolioHistory> {
    return this.client._request(
      { method: 'GET', path: '/v1/risk/portfolio/history', query: params },
      (c) => c.PortfolioHistory,
      options,
    );
  }
}

/** Governance figures of a model on the bank's own loans: AUC, KS, PSI, calibration (decimal strings). */
export type ModelGovernance = FromWire<wire.ModelGovernance>;
export type CalibrationBand = FromWire<wire.CalibrationBand>;
/** A registered scoring model: champion or challenger, with its governance numbers. */
export type RiskModel = FromWire<wire.RiskModel>;
export type RiskModelComparison = FromWire<wire.RiskModelComparison>;
/** A challenger made champion, with the governance numbers at that moment. */
export type RiskModelActivation = FromWire<wire.RiskModelActivation>;
/** The credit policy's rules (cut-offs, bureau rules, limits) in SDK form. */
export type RiskPolicyRules = FromWire<wire.RiskPolicyRules>;
/** The policy every credit decision uses now. */
export type RiskPolicy = FromWire<wire.RiskPolicy>;
/** What a proposed policy would have done to the last N applications. */
export type RiskPolicyDryRun = FromWire<wire.RiskPolicyDryRun>;
export type RiskGovernance = FromWire<wire.RiskGovernance>;

/** An action that went to the maker-checker queue instead of applying at once (HTTP 202). */
function isApproval(value: object): value is Approval {
  return 'makerId' in value && 'status' in value && 'kind' in value;
}

/** `/v1/risk/models` (admins). */
export class RiskModels {
  constructor(private readonly client: Wekeza) {}

  /** Every registered model (champion first), with governance numbers on the bank's own loans. */
  list(options?: RequestOptions): Promise<{ data: RiskModel[] }> {
    return this.client._request({ method: 'GET', path: '/v1/risk/models' }, (c) => c.RiskModelList, options);
  }

  /** Models side by side on the same matured loans and recent applicants (default: all of them). */
  compare(params?: { versions?: string[] }, options?: RequestOptions): Promise<RiskModelComparison> {
    return this.client._request(
      {
        method: 'GET',
        path: '/v1/risk/models/compare',
        query: { versions: params?.versions?.join(',') },
      },
      (c) => c.RiskModelComparison,
      options,
    );
  }

  /**
   * Makes a challenger the champion (audited, governance numbers stored). When model activation
   * needs a second admin, answers `{ approval }` (HTTP 202) instead of `{ activation }`.
   */
  async activate(
    version: string,
    params: { reason: string },
    options?: RequestOptions,
  ): Promise<{ activation: RiskModelActivation } | { approval: Approval }> {
    const result = await this.client._request(
      { method: 'POST', path: path`/v1/risk/models/${version}/activate`, body: params },
      (c) => c.RiskModelActivationResult,
      options,
    );
    return isApproval(result) ? { approval: result } : { activation: result as RiskModelActivation };
  }
}

/** `/v1/risk/policy` (admins). */
export class RiskPolicyResource {
  constructor(private readonly client: Wekeza) {}

  /** The policy in force (every credit decision uses it). */
  retrieve(options?: RequestOptions): Promise<RiskPolicy> {
    return this.client._request({ method: 'GET', path: '/v1/risk/policy' }, (c) => c.RiskPolicy, options);
  }

  /**
   * Replaces the policy (validated; audited). When policy changes need a second admin, answers
   * `{ approval }` (HTTP 202) and the policy changes once someone else approves.
   */
  async update(
    params: { rules: RiskPolicyRules; reason: string },
    options?: RequestOptions,
  ): Promise<{ policy: RiskPolicy } | { approval: Approval }> {
    const result = await this.client._request(
      { method: 'PUT', path: '/v1/risk/policy', body: params },
      (c) => c.RiskPolicyUpdate,
      options,
    );
    return isApproval(result) ? { approval: result } : { policy: result as RiskPolicy };
  }

  /** What the proposed rules would have decided on the last `lastN` applications; saves nothing. */
  dryRun(
    params: { rules: RiskPolicyRules; lastN?: number },
    options?: RequestOptions,
  ): Promise<RiskPolicyDryRun> {
    return this.client._request(
      { method: 'POST', path: '/v1/risk/policy/dry-run', body: params },
      (c) => c.RiskPolicyDryRun,
      options,
    );
  }
}

/** Admins: risk figures (`/v1/risk/*`). */
export class Risk {
  readonly portfolio: PortfolioResource;
  /** Scoring models: list, compare, activate a challenger. */
  readonly models: RiskModels;
  /** The credit policy as data, with a dry run. */
  readonly policy: RiskPolicyResource;

  constructor(private readonly client: Wekeza) {
    this.portfolio = new PortfolioResource(client);
    this.models = new RiskModels(client);
    this.policy = new RiskPolicyResource(client);
  }

  /** AUC, KS, PSI and calibration of the champion (or `version`) on the bank's own matured loans. */
  governance(
    params?: { currency?: CurrencyCode; version?: string },
    options?: RequestOptions,
  ): Promise<RiskGovernance> {
    return this.client._request(
      { method: 'GET', path: '/v1/risk/governance', query: params },
      (c) => c.RiskGovernance,
      options,
    );
  }
}
