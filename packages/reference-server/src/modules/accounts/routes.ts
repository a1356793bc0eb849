import { Money, parseAmount } from '@wekeza/sdk';
import { Account, AccountList, ListQuery, OpenAccountRequest, TransactionList } from '@wekeza/sdk/contract';
import type { Sql } from '../../db/database.ts';
import { validationFailed } from '../../errors.ts';
import type { Api } from '../../http/api.ts';
import { pageRequest, toPage } from '../../http/pagination.ts';
import { money, timestamp } from '../../http/render.ts';
import { balanceDelta, type Side } from '../ledger/chart.ts';
import type { InterestDetails, SavingsService } from '../savings/service.ts';
import type { AccountRow, AccountsService } from './service.ts';

export function renderAccount(account: AccountRow, details?: InterestDetails) {
  const wire = (m: Money) => money(m.minor, m.currency);
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
    ...(details
      ? {
          product_id: details.productId,
          interest_rate: details.interestRate,
          opened_on: details.openedOn,
          accrued_interest: wire(details.accruedInterest),
          accrued_through: details.accruedThrough,
          ...(details.principal ? { principal: wire(details.principal) } : {}),
          ...(details.termMonths !== undefined ? { term_months: details.termMonths } : {}),
          ...(details.maturityDate ? { maturity_date: details.maturityDate } : {}),
          ...(details.atMaturity ? { at_maturity: details.atMaturity } : {}),
          ...(details.maturityAmount ? { maturity_amount: wire(details.maturityAmount) } : {}),
          ...(details.closedOn ? { closed_on: details.closedOn } : {}),
        }
      : {}),
  };
}

export function accountRoutes(api: Api, accounts: AccountsService, savings: SavingsService): void {
  const render = async (rows: AccountRow[], sql?: Sql) => {
    const details = await savings.details(rows, sql);
    return (row: AccountRow) => renderAccount(row, details.get(row.id));
  };

  api.route(
    {
      method: 'post',
      path: '/v1/accounts',
      operationId: 'openAccount',
      summary:
        'Open a wallet (one per currency), a savings account (optionally funded from your wallet) or a fixed deposit (funded from your wallet)',
      tag: 'Accounts',
      auth: ['customer'],
      scopes: ['accounts:write'],
      body: OpenAccountRequest,
      idempotency: 'optional',
      responses: {
        201: { description: 'The new account, with its opening amount if one was moved.', schema: Account },
        422: {
          description:
            '`validation_failed` (a product, term or amount it does not offer), `insufficient_funds` in the wallet, `currency_mismatch`; nothing opened.',
        },
      },
    },
    async ({ req, principal, body, idempotent }) => {
      // Money moves when an amount is given: then, as for every money movement, a key is required.
      if (body.amount && req.get('Idempotency-Key') === undefined)
        throw validationFailed([
          { path: 'headers.idempotency-key', message: 'is required when the opening moves money' },
        ]);
      return idempotent(async (tx) => {
        const account = await savings.open(tx, principal, {
          type: body.type,
          currency: body.currency,
          productId: body.product_id,
          termMonths: body.term_months,
          fundingAccountId: body.funding_account_id,
          amount: body.amount
            ? Money.of(parseAmount(body.amount.amount, body.amount.currency), body.amount.currency)
            : undefined,
          atMaturity: body.at_maturity,
        });
        const opened = (await tx.account.findUnique({ where: { id: account.id } })) ?? account;
        return { status: 201, body: (await render([opened], tx))(opened) };
      });
    },
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
      return { status: 200, body: toPage(rows, page.limit, (a) => a.id, await render(rows)) };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/v1/accounts/{id}',
      operationId: 'getAccount',
      summary:
        'One account with its ledger and available balance (and its interest, for savings and fixed deposits)',
      tag: 'Accounts',
      auth: 'any',
      scopes: ['accounts:read'],
      responses: { 200: { description: 'The account.', schema: Account } },
    },
    async ({ principal, params }) => {
      const account = await accounts.visible(principal, params.id as string);
      return { status: 200, body: (await render([account]))(account) };
    },
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
