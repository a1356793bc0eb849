import {
  Customer,
  OnboardCustomerRequest,
  PartnerConsent,
  PartnerConsentList,
  PartnerConsentRequest,
  PartnerConsentRevoked,
} from '@wekeza/sdk/contract';
import type { Api } from '../../http/api.ts';
import { timestamp } from '../../http/render.ts';
import { renderCustomer } from '../identity/routes.ts';
import type { IdentityService } from '../identity/service.ts';
import type { PartnerLink, PartnersService } from './service.ts';

const renderLink = (link: PartnerLink) => ({
  client_id: link.clientId,
  name: link.name,
  source: link.source,
  created_at: timestamp(link.createdAt),
});

export function partnerRoutes(api: Api, partners: PartnersService, identity: IdentityService): void {
  api.route(
    {
      method: 'post',
      path: '/v1/customers',
      operationId: 'onboardCustomer',
      summary: 'Partner back ends: onboard a customer (and their wallet), linked to the partner',
      tag: 'Identity',
      auth: ['partner'],
      scopes: ['customers:onboard'],
      rateLimit: 'signup',
      body: OnboardCustomerRequest,
      idempotency: 'optional',
      responses: { 201: { description: 'The new customer.', schema: Customer } },
    },
    async ({ principal, body, idempotent }) => {
      const passwordHash = await identity.hashPassword(body.password);
      return idempotent(async (tx) => {
        const { user, walletId } = await partners.onboard(
          tx,
          principal,
          {
            phone: body.phone,
            email: body.email,
            password: body.password,
            fullName: body.full_name,
            nationalId: body.national_id,
            dateOfBirth: body.date_of_birth,
          },
          passwordHash,
        );
        return { status: 201, body: renderCustomer(user, walletId) };
      });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/v1/me/partner-consents',
      operationId: 'listPartnerConsents',
      summary: 'The partners that may act for you (onboarded you, or you consented)',
      tag: 'Identity',
      auth: ['customer'],
      scopes: ['consents'],
      responses: { 200: { description: 'Active links.', schema: PartnerConsentList } },
    },
    async ({ principal }) => ({
      status: 200,
      body: { data: (await partners.links(principal)).map(renderLink) },
    }),
  );

  api.route(
    {
      method: 'post',
      path: '/v1/me/partner-consents',
      operationId: 'grantPartnerConsent',
      summary: 'Let a partner act for you (mint widget sessions, hear of your events)',
      tag: 'Identity',
      auth: ['customer'],
      scopes: ['consents'],
      body: PartnerConsentRequest,
      idempotency: 'optional',
      responses: { 201: { description: 'The consent.', schema: PartnerConsent } },
    },
    async ({ principal, body, idempotent }) =>
      idempotent(async (tx) => ({
        status: 201,
        body: renderLink(await partners.consent(tx, principal, body.client_id)),
      })),
  );

  api.route(
    {
      method: 'delete',
      path: '/v1/me/partner-consents/{client_id}',
      operationId: 'revokePartnerConsent',
      summary: "Withdraw a partner's access; its widget sessions for you end at once",
      tag: 'Identity',
      auth: ['customer'],
      scopes: ['consents'],
      responses: { 200: { description: 'Whether a link was active.', schema: PartnerConsentRevoked } },
    },
    async ({ principal, params, idempotent }) =>
      idempotent(async (tx) => ({
        status: 200,
        body: { revoked: await partners.revoke(tx, principal, params.client_id as string) },
      })),
  );
}
