import {
  CreateSavedPayeeRequest,
  ListQuery,
  ResolvedPayee,
  ResolvePayeeQuery,
  SavedPayee,
  SavedPayeeList,
} from '@wekeza/sdk/contract';
import type { Api } from '../../http/api.ts';
import { pageRequest, toPage } from '../../http/pagination.ts';
import { timestamp } from '../../http/render.ts';
import type { SavedPayeeRow, SavedPayees } from './saved.ts';
import type { PayeesService } from './service.ts';

function renderSaved(row: SavedPayeeRow) {
  return {
    id: row.id,
    phone: row.phone,
    label: row.label,
    display_name: row.displayName,
    created_at: timestamp(row.createdAt),
  };
}

export function payeeRoutes(api: Api, payees: PayeesService, saved: SavedPayees): void {
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

  api.route(
    {
      method: 'get',
      path: '/v1/payees',
      operationId: 'listSavedPayees',
      summary: 'Your saved payees (phone numbers you send to)',
      tag: 'Move',
      auth: ['customer'],
      scopes: ['payees:resolve'],
      query: ListQuery,
      responses: { 200: { description: 'A page of saved payees, oldest first.', schema: SavedPayeeList } },
    },
    async ({ principal, query }) => {
      const page = pageRequest(query);
      const rows = await saved.list(principal, page);
      return { status: 200, body: toPage(rows, page.limit, (row) => row.id, renderSaved) };
    },
  );

  api.route(
    {
      method: 'post',
      path: '/v1/payees',
      operationId: 'createSavedPayee',
      summary: 'Save a payee by phone number (resolved first, like a send)',
      tag: 'Move',
      auth: ['customer'],
      scopes: ['payees:resolve'],
      body: CreateSavedPayeeRequest,
      idempotency: 'optional',
      responses: {
        201: { description: 'The saved payee, with the bank’s masked name.', schema: SavedPayee },
        404: { description: '`not_found`: the number pays nobody (the resolver’s miss).' },
        409: { description: '`conflict`: the number is already saved.' },
        429: { description: '`rate_limited`: the lookup limits of the resolver.' },
      },
    },
    async ({ principal, body, idempotent }) => {
      const resolved = await saved.resolve(principal, body.phone);
      return idempotent(async (tx) => ({
        status: 201,
        body: renderSaved(
          await saved.save(tx, principal, { phone: body.phone, label: body.label }, resolved),
        ),
      }));
    },
  );

  api.route(
    {
      method: 'delete',
      path: '/v1/payees/{id}',
      operationId: 'deleteSavedPayee',
      summary: 'Forget a saved payee',
      tag: 'Move',
      auth: ['customer'],
      scopes: ['payees:resolve'],
      responses: { 200: { description: 'The saved payee as it was.', schema: SavedPayee } },
    },
    async ({ principal, params, idempotent }) =>
      idempotent(async (tx) => ({
        status: 200,
        body: renderSaved(await saved.remove(tx, principal, params.id as string)),
      })),
  );
}
