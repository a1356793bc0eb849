import type { Wekeza } from '../client.ts';
import type { ListParams, PagePromise } from '../core/pagination.ts';
import type { RequestOptions } from '../core/request-options.ts';
import { path } from '../internal/path.ts';

/** Whom a phone number pays. */
export interface ResolvedPayee {
  /** The recipient's KES wallet: pass it as `toAccountId` to `transfers.create`; never show it. */
  accountId: string;
  /** The recipient's name as the bank holds it, masked (`Wanjiru K.`): show it before confirming. */
  displayName: string;
}

/** A saved payee: a phone number to pick instead of typing (never an account id). */
export interface SavedPayee {
  /** `pye_…`. */
  id: string;
  /** E.164. */
  phone: string;
  /** The customer's own name for them ("Mum"). */
  label: string | null;
  /** The bank's masked name when the payee was saved. */
  displayName: string;
  createdAt: string;
}

export interface SavedPayeeCreateParams {
  /** E.164, or a Kenyan `07…`; resolved by the bank first (a number that pays nobody: NotFoundError). */
  phone: string;
  label?: string;
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

  /** Your saved payees, oldest first. */
  list(params?: ListParams, options?: RequestOptions): PagePromise<SavedPayee> {
    return this.client._list<SavedPayee>('/v1/payees', (c) => c.SavedPayeeList, params, options);
  }

  /** Saves a payee by phone number (resolved first, within the same limits as `resolve`). */
  create(params: SavedPayeeCreateParams, options?: RequestOptions): Promise<SavedPayee> {
    return this.client._request(
      { method: 'POST', path: '/v1/payees', body: params },
      (c) => c.SavedPayee,
      options,
    );
  }

  /** Forgets a saved payee. */
  delete(id: string, options?: RequestOptions): Promise<SavedPayee> {
    return this.client._request(
      { method: 'DELETE', path: path`/v1/payees/${id}` },
      (c) => c.SavedPayee,
      options,
    );
  }
}
