import type { Wekeza } from '../client.ts';
import type { RequestOptions } from '../core/request-options.ts';
import type { CurrencyCode } from '../money/currency.ts';
import type { Money } from '../money/money.ts';

/** Why a decision came out as it did: a failed rule or a model reason code. */
export interface CreditReason {
  code: string;
  text: string;
}

/** What you may borrow now, scored in real time. */
export interface CreditLimit {
  decisionId: string;
  decision: 'approved' | 'declined' | 'referred';
  /** 0..1000, higher is safer. */
  score: number;
  /** Probability of default, a decimal string. */
  pd: string;
  grade: string;
  /** A proposal when referred; zero when declined. */
  limit: Money;
  /** Principal outstanding on your open loans. */
  exposure: Money;
  tierCap: Money;
  /** Too little history to score: a starter limit, or a referral. */
  thinFile: boolean;
  modelVersion: string;
  policyVersion: string;
  reasons: CreditReason[];
  bankDate: string;
}

/** `/v1/credit-limit`. */
export class CreditLimitResource {
  constructor(private readonly client: Wekeza) {}

  /** Scores you now (each scoring is kept by the bank). */
  retrieve(params?: { currency?: CurrencyCode }, options?: RequestOptions): Promise<CreditLimit> {
    return this.client._request(
      { method: 'GET', path: '/v1/credit-limit', query: { currency: params?.currency } },
      (c) => c.CreditLimit,
      options,
    );
  }
}
