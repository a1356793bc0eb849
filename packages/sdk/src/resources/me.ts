import type { Wekeza } from '../client.ts';
import type { Role } from '../contract/identity.ts';
import type { RequestOptions } from '../core/request-options.ts';

/** The caller. Staff and partner principals carry only `id` and `roles`. */
export interface Me {
  id: string;
  roles: Role[];
  email?: string | undefined;
  phone?: string | null | undefined;
  fullName?: string | undefined;
  kycTier?: number | undefined;
  /** The customer's home-currency wallet. */
  walletAccountId?: string | null | undefined;
  createdAt?: string | undefined;
}

/** `/v1/me`. */
export class MeResource {
  constructor(private readonly client: Wekeza) {}

  /** The authenticated caller's profile, KYC tier and roles. */
  retrieve(options?: RequestOptions): Promise<Me> {
    return this.client._request({ method: 'GET', path: '/v1/me' }, (c) => c.Me, options);
  }
}
