import { ResolvedPayee, ResolvePayeeQuery } from '@wekeza/sdk/contract';
import type { Api } from '../../http/api.ts';
import type { PayeesService } from './service.ts';

export function payeeRoutes(api: Api, payees: PayeesService): void {
  api.route(
    {
      method: 'get',
      path: '/v1/payees/resolve',
      operationId: 'resolvePayee',
      summary: "Whom a phone number pays: the recipient's KES wallet and masked name, before sending",
      tag: 'Move',
      auth: ['customer'],
      scopes: ['payees:resolve'],
      query: ResolvePayeeQuery,
      responses: {
        200: { description: 'The recipient’s KES wallet and masked name.', schema: ResolvedPayee },
        404: {
          description:
            '`not_found`: the number pays nobody. Every reason (no customer, no open KES wallet) answers alike.',
        },
        429: {
          description:
            '`rate_limited` with `Retry-After`: too many lookups by this caller (per hour), or too many that found nobody (per day).',
        },
      },
    },
    async ({ principal, query }) => {
      const payee = await payees.resolve(principal, query.phone);
      return { status: 200, body: { account_id: payee.accountId, display_name: payee.displayName } };
    },
  );
}
