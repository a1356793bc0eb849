import type { Wekeza } from '../client.ts';
import type { RequestOptions } from '../core/request-options.ts';

/** Whom a phone number pays. */
export interface ResolvedPayee {
  /** The recipient's KES wallet: pass it as `toAccountId` to `transfers.create`; never show it. */
  accountId: string;
  /** The recipient's name as the bank holds it, masked (`Wanjiru K.`): show it before confirming. */
  displayName: string;
}

/** `/v1/payees`: pay by phone number. */
export class Payees {
  constructor(private readonly client: Wekeza) {}

  /**
   * Resolves a phone number (E.164, or a Kenyan `07…`) to the recipient's KES wallet and masked
   * name. A number that pays nobody throws `NotFoundError`; lookups are limited per customer
   * (`RateLimitError` with `retryAfter`). Customers, and widget sessions granted `payees:resolve`.
   */
  resolve(phone: string, options?: RequestOptions): Promise<ResolvedPayee> {
    return this.client._request(
      { method: 'GET', path: '/v1/payees/resolve', query: { phone } },
      (c) => c.ResolvedPayee,
      options,
    );
  }
}
