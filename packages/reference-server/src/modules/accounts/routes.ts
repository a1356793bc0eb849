import { Account, AccountList, ListQuery, OpenAccountRequest, TransactionList } from '@wekeza/sdk/contract';
import type { Api } from '../../http/api.ts';
import { pageRequest, toPage } from '../../http/pagination.ts';
import { money, timestamp } from '../../http/render.ts';
import { balanceDelta, type Side } from '../ledger/chart.ts';
import type { AccountRow, AccountsService } from './service.ts';

export function renderAccount(account: AccountRow) {
  return {
    id: account.id,
    type: account.type,
    currency: account.currency,
    status: account.status,
    balance: {
      ledger: money(account.balanceMinor, account.currency),
      available: money(account.balanceMinor - account.heldMinor, account.currency),
    },
    created_at: timestamp(account.createdAt),
  };
}

export function accountRoutes(api: Api, accounts: AccountsService): void {
  api.route(
    {
      method: 'post',
      path: '/v1/accounts',
      operationId: 'openAccount',
      summary: 'Open a wallet (one per currency) or a savings account',
      tag: 'Accounts',
      auth: ['customer'],
      scopes: ['accounts:write'],
      body: OpenAccountRequest,
      idempotency: 'optional',
      responses: { 201: { description: 'The new account, empty.', schema: Account } },
    },
    async ({ principal, body, idempotent }) =>
      idempotent(async (tx) => ({
        status: 201,
        body: renderAccount(await accounts.open(tx, principal, body.type, body.currency)),
      })),
  );

  api.route(
    {
      method: 'get',
      path: '/v1/accounts',
      operationId: 'listAccounts',
      summary: "The caller's accounts, oldest first",
      tag: 'Accounts',
      auth: 'any',
      scopes: ['accounts:read'],
      query: ListQuery,
      responses: { 200: { description: 'A page of accounts.', schema: AccountList } },
    },
    async ({ principal, query }) => {
      const page = pageRequest(query);
      const rows = await accounts.list(principal, page);
      return { status: 200, body: toPage(rows, page.limit, (a) => a.id, renderAccount) };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/v1/accounts/{id}',
      operationId: 'getAccount',
      summary: 'One account with its ledger and available balance',
      tag: 'Accounts',
      auth: 'any',
      scopes: ['accounts:read'],
      responses: { 200: { description: 'The account.', schema: Account } },
    },
    async ({ principal, params }) => ({
      status: 200,
      body: renderAccount(await accounts.visible(principal, params.id as string)),
    }),
  );

  api.route(
    {
      method: 'get',
      path: '/v1/accounts/{id}/transactions',
      operationId: 'listTransactions',
      summary: "An account's history, newest first, with running balances",
      tag: 'Accounts',
      auth: 'any',
      scopes: ['transactions:read'],
      query: ListQuery,
      responses: { 200: { description: 'A page of transactions.', schema: TransactionList } },
    },
    async ({ principal, params, query }) => {
      const page = pageRequest(query);
      const { account, rows } = await accounts.transactions(principal, params.id as string, page);
      return {
        status: 200,
        body: toPage(
          rows,
          page.limit,
          (p) => p.id,
          (p) => ({
            id: p.id,
            account_id: p.accountId,
            journal_entry_id: p.entryId,
            kind: p.entry.kind,
            description: p.entry.description,
            direction: p.side,
            amount: money(
              balanceDelta(account.normalSide as Side, p.side as Side, p.amountMinor),
              p.currency,
            ),
            balance_after: money(p.balanceAfterMinor, p.currency),
            effective_date: p.entry.effectiveDate,
            created_at: timestamp(p.createdAt),
          }),
        ),
      };
    },
  );
}
