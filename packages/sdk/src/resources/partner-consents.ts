import type { Wekeza } from '../client.ts';
import type { RequestOptions } from '../core/request-options.ts';
import { path } from '../internal/path.ts';

/** A partner that may act for the customer: it onboarded them, or they consented. */
export interface PartnerConsent {
  clientId: string;
  name: string;
  source: 'onboarded' | 'consent';
  createdAt: string;
}

/** `/v1/me/partner-consents` (customers). */
export class PartnerConsents {
  constructor(private readonly client: Wekeza) {}

  /** The partners that may act for you. */
  async list(options?: RequestOptions): Promise<PartnerConsent[]> {
    const page = await this.client._request(
      { method: 'GET', path: '/v1/me/partner-consents' },
      (c) => c.PartnerConsentList,
      options,
    );
    return page.data as PartnerConsent[];
  }

  /** Lets a partner act for you (mint widget sessions for you, hear of your events). */
  grant(clientId: string, options?: RequestOptions): Promise<PartnerConsent> {
    return this.client._request(
      { method: 'POST', path: '/v1/me/partner-consents', body: { clientId } },
      (c) => c.PartnerConsent,
      options,
    );
  }

  /** Withdraws a partner's access; its widget sessions for you end at once. */
  revoke(clientId: string, options?: RequestOptions): Promise<{ revoked: boolean }> {
    return this.client._request(
      { method: 'DELETE', path: path`/v1/me/partner-consents/${clientId}` },
      (c) => c.PartnerConsentRevoked,
      options,
    );
  }
}
