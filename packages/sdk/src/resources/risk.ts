import type { Wekeza } from '../client.ts';
import type { RequestOptions } from '../core/request-options.ts';
import type { CurrencyCode } from '../money/currency.ts';
import type { Money } from '../money/money.ts';

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

/** Admins: risk figures (`/v1/risk/*`). */
export class Risk {
  readonly portfolio: PortfolioResource;

  constructor(client: Wekeza) {
    this.portfolio = new PortfolioResource(client);
  }
}
