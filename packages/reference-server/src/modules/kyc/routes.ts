import { Customer, KycUpdateRequest } from '@wekeza/sdk/contract';
import type { Api } from '../../http/api.ts';
import { renderCustomer } from '../identity/routes.ts';
import type { KycService } from './service.ts';

export function kycRoutes(api: Api, kyc: KycService): void {
  api.route(
    {
      method: 'post',
      path: '/v1/customers/{id}/kyc',
      operationId: 'raiseKycTier',
      summary: "Bankers: raise a customer's KYC tier on evidence (audited)",
      tag: 'Banker',
      auth: ['banker'],
      hidden: true,
      scopes: ['kyc:write'],
      body: KycUpdateRequest,
      idempotency: 'optional',
      responses: { 200: { description: 'The customer at the new tier.', schema: Customer } },
    },
    async ({ principal, params, body, idempotent }) =>
      idempotent(async (tx) => ({
        status: 200,
        body: renderCustomer(
          await kyc.raiseTier(tx, principal, params.id as string, body.tier, body.evidence),
        ),
      })),
  );
}
