import type { Wekeza } from '../client.ts';
import type { PagePromise } from '../core/pagination.ts';
import type { RequestOptions } from '../core/request-options.ts';
import { path } from '../internal/path.ts';
import type {
  Customer,
  Customer360,
  CustomerListParams,
  CustomerSummary,
  KycUpdateParams,
} from './customers.ts';

/** `/v1/customers` for staff: search, the Customer 360, KYC changes (`@wekeza/sdk/staff`). */
export class StaffCustomers {
  constructor(private readonly client: Wekeza) {}

  /** Staff: finds customers by name, phone, e-mail, national ID, account or loan (paged; audited). */
  list(params?: CustomerListParams, options?: RequestOptions): PagePromise<CustomerSummary> {
    return this.client._list<CustomerSummary>(
      '/v1/customers',
      (c) => c.CustomerSearchResult,
      params,
      options,
      { query: params?.query },
    );
  }

  /**
   * Staff: the Customer 360 — profile, KYC tier and history, accounts, loans with DPD, every credit
   * decision, overrides and recent activity (bankers and admins; audited).
   */
  retrieve(id: string, options?: RequestOptions): Promise<Customer360> {
    return this.client._request(
      { method: 'GET', path: path`/v1/customers/${id}` },
      (c) => c.Customer360,
      options,
    );
  }

  /** Raises a customer's KYC tier on evidence (bankers; audited). */
  updateKyc(id: string, params: KycUpdateParams, options?: RequestOptions): Promise<Customer> {
    return this.client._request(
      { method: 'POST', path: path`/v1/customers/${id}/kyc`, body: params },
      (c) => c.Customer,
      options,
    );
  }
}
