import { Money, parseAmount } from '@wekeza/sdk';
import {
  AccountClosure,
  CloseQuote,
  CreateSavingsProductRequest,
  DepositQuote,
  DepositQuoteRequest,
  ListQuery,
  SavingsProduct,
  SavingsProductList,
  UpdateSavingsProductRequest,
  WithdrawalToWallet,
  WithdrawToWalletRequest,
} from '@wekeza/sdk/contract';
import type { Api } from '../../http/api.ts';
import { pageRequest, toPage } from '../../http/pagination.ts';
import { money, timestamp } from '../../http/render.ts';
import { productTerms, type SavingsProductRow } from './products.ts';
import { renderPlan } from './savings-accounts.ts';
import type { SavingsService } from './service.ts';

export function renderSavingsProduct(product: SavingsProductRow) {
  return {
    id: product.id,
    name: product.name,
    type: product.type,
    currency: product.currency,
    annual_rate: product.annualRate,
    min_opening_balance: money(product.minOpeningBalanceMinor, product.currency),
    ...(product.type === 'fixed_deposit'
      ? {
          term_months: productTerms(product),
          early_close_forfeit_share: product.earlyCloseForfeitShare ?? '0',
        }
      : {}),
    status: product.status,
    created_at: timestamp(product.createdAt),
    updated_at: timestamp(product.updatedAt),
  };
}

const wireMoney = (value: { amount: string; currency: string }) =>
  Money.of(parseAmount(value.amount, value.currency), value.currency);

export function savingsRoutes(api: Api, service: SavingsService): void {
  api.route(
    {
      method: 'get',
      path: '/v1/savings-products',
      operationId: 'listSavingsProducts',
      summary: 'Savings and fixed-deposit products, oldest first',
      tag: 'Accounts',
      auth: 'any',
      scopes: ['accounts:read'],
      query: ListQuery,
      responses: { 200: { description: 'A page of products.', schema: SavingsProductList } },
    },
    async ({ query }) => {
      const page = pageRequest(query);
      const rows = await service.products.list(page);
      return { status: 200, body: toPage(rows, page.limit, (p) => p.id, renderSavingsProduct) };
    },
  );

  api.route(
    {
      method: 'post',
      path: '/v1/savings-products',
      operationId: 'createSavingsProduct',
      summary: 'Admins: create a savings or fixed-deposit product (audited)',
      tag: 'Administrator',
      auth: ['admin'],
      scopes: ['savings_products:write'],
      body: CreateSavingsProductRequest,
      idempotency: 'optional',
      responses: { 201: { description: 'The product, active from today.', schema: SavingsProduct } },
    },
    async ({ principal, body, idempotent }) =>
      idempotent(async (tx) => ({
        status: 201,
        body: renderSavingsProduct(
          await service.products.create(tx, principal, {
            name: body.name,
            type: body.type,
            currency: body.currency,
            annualRate: body.annual_rate,
            minOpeningBalanceMinor: parseAmount(
              body.min_opening_balance.amount,
              body.min_opening_balance.currency,
            ),
            termMonths: body.term_months,
            earlyCloseForfeitShare: body.early_close_forfeit_share,
          }),
        ),
      })),
  );

  api.route(
    {
      method: 'put',
      path: '/v1/savings-products/{id}',
      operationId: 'updateSavingsProduct',
      summary:
        "Admins: a product's rate from today's bank date on, and whether it still opens accounts (audited)",
      tag: 'Administrator',
      auth: ['admin'],
      scopes: ['savings_products:write'],
      body: UpdateSavingsProductRequest,
      responses: {
        200: {
          description:
            'The product. Days already accrued keep their rate; fixed deposits keep theirs until they roll over.',
          schema: SavingsProduct,
        },
      },
    },
    async ({ principal, params, body, idempotent }) =>
      idempotent(async (tx) => ({
        status: 200,
        body: renderSavingsProduct(
          await service.products.update(tx, principal, params.id as string, {
            annualRate: body.annual_rate,
            status: body.status,
            reason: body.reason,
          }),
        ),
      })),
  );

  api.route(
    {
      method: 'post',
      path: '/v1/deposit-quotes',
      operationId: 'quoteFixedDeposit',
      summary: 'What a fixed deposit opened today would pay at maturity (no side effect)',
      tag: 'Accounts',
      auth: 'any',
      scopes: ['accounts:read'],
      body: DepositQuoteRequest,
      responses: {
        200: {
          description: 'Maturity date, interest, tax and maturity amount: what an opening today fixes.',
          schema: DepositQuote,
        },
      },
    },
    async ({ body }) => {
      const amount = wireMoney(body.amount);
      const { product, terms, quote } = await service.depositQuote(body.product_id, amount, body.term_months);
      return {
        status: 200,
        body: {
          product_id: product.id,
          principal: money(amount.minor, amount.currency),
          annual_rate: terms.annualRate,
          opening_date: terms.openingDate,
          term_months: terms.termMonths,
          maturity_date: quote.maturityDate,
          interest: money(quote.interest.minor, amount.currency),
          tax: money(quote.tax.minor, amount.currency),
          maturity_amount: money(quote.maturityAmount.minor, amount.currency),
        },
      };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/v1/accounts/{id}/close-quote',
      operationId: 'quoteAccountClose',
      summary: 'What closing a savings account or fixed deposit today would pay',
      tag: 'Accounts',
      auth: 'any',
      scopes: ['accounts:read'],
      responses: {
        200: {
          description: 'The principal, interest kept and forfeited, tax and total.',
          schema: CloseQuote,
        },
        409: {
          description: '`conflict`: a wallet, a closed account, or a deposit on or after its maturity date.',
        },
      },
    },
    async ({ principal, params }) => ({
      status: 200,
      body: renderPlan(await service.closeQuote(principal, params.id as string)),
    }),
  );

  api.route(
    {
      method: 'post',
      path: '/v1/accounts/{id}/close',
      operationId: 'closeAccount',
      summary:
        'Close a savings account or a fixed deposit, paying everything to the wallet (a deposit before maturity forfeits the product’s share of its interest)',
      tag: 'Accounts',
      auth: ['customer'],
      scopes: ['accounts:write'],
      idempotency: 'required',
      responses: {
        200: { description: 'What was paid, and the journal entries.', schema: AccountClosure },
        409: {
          description:
            '`conflict`: a wallet, a closed account, held money, or a deposit on its maturity date.',
        },
      },
    },
    async ({ principal, params, idempotentSql }) =>
      idempotentSql(async (tx) => {
        const { plan, entries } = await service.close(tx, principal, params.id as string);
        return { status: 200, body: { ...renderPlan(plan), journal_entry_ids: entries.map((e) => e.id) } };
      }),
  );

  api.route(
    {
      method: 'post',
      path: '/v1/accounts/{id}/withdrawals-to-wallet',
      operationId: 'withdrawToWallet',
      summary: 'Move money from a savings account to your wallet',
      tag: 'Accounts',
      auth: ['customer'],
      scopes: ['transfers:write'],
      body: WithdrawToWalletRequest,
      idempotency: 'required',
      responses: {
        201: { description: 'The completed movement and its journal entry.', schema: WithdrawalToWallet },
        422: { description: '`insufficient_funds` or `currency_mismatch`; nothing posted.' },
      },
    },
    async ({ principal, params, body, idempotentSql }) =>
      idempotentSql(async (tx) => {
        const amount = wireMoney(body.amount);
        const { entry, walletId } = await service.withdrawToWallet(
          tx,
          principal,
          params.id as string,
          amount,
        );
        return {
          status: 201,
          body: {
            id: entry.id,
            status: 'completed',
            from_account_id: params.id,
            to_account_id: walletId,
            amount: money(amount.minor, amount.currency),
            journal_entry_id: entry.id,
            effective_date: entry.effectiveDate,
            created_at: timestamp(entry.createdAt),
          },
        };
      }),
  );
}
