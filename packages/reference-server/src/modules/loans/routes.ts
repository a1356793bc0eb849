import { parseAmount } from '@wekeza/sdk';
import {
  AcceptLoanApplicationRequest,
  Approval,
  CreateLoanApplicationRequest,
  CreateLoanProductRequest,
  CreateLoanQuoteRequest,
  CreateLoanRepaymentRequest,
  CreditLimit,
  CreditLimitQuery,
  ListQuery,
  Loan,
  LoanApplication,
  LoanApplicationList,
  LoanApplicationListQuery,
  LoanList,
  LoanPayoff,
  LoanPayoffQuery,
  LoanProduct,
  LoanProductList,
  LoanQuote,
  LoanRepayment,
  OverrideLoanApplicationRequest,
  Portfolio,
  PortfolioHistory,
  PortfolioHistoryQuery,
  PortfolioQuery,
  WriteOffLoanRequest,
} from '@wekeza/sdk/contract';
import { daysBetween, isBankDate } from '../../bank-calendar.ts';
import type { BankClock } from '../../bank-clock.ts';
import { forbidden, validationFailed } from '../../errors.ts';
import type { Api } from '../../http/api.ts';
import { pageRequest, toPage } from '../../http/pagination.ts';
import { money } from '../../http/render.ts';
import type { DailyClose } from '../../jobs/daily-close.ts';
import { HOME_CURRENCY } from '../identity/service.ts';
import type { CreditLifeHook } from '../insurance/credit-life.ts';
import type { ApplicationsService } from './applications.ts';
import type { CreditService } from './credit.ts';
import type { PortfolioService } from './portfolio.ts';
import type { LoanProductsService } from './products.ts';
import {
  renderApplication,
  renderApproval,
  renderCreditLimit,
  renderHistory,
  renderLoan,
  renderPortfolio,
  renderProduct,
  renderRepayment,
  renderSchedule,
} from './render.ts';
import type { LoansService } from './service.ts';

export interface LoanRouteServices {
  loanProducts: LoanProductsService;
  loans: LoansService;
  credit: CreditService;
  applications: ApplicationsService;
  portfolio: PortfolioService;
  bankClock: BankClock;
  dailyClose: DailyClose;
  /** Insure's credit-life cover: shown on quotes, attached at acceptance (absent: no cover offered). */
  creditLife?: CreditLifeHook | undefined;
}

/** The longest portfolio history one request reads. */
const MAX_HISTORY_DAYS = 366;

export function loanRoutes(api: Api, s: LoanRouteServices): void {
  api.route(
    {
      method: 'get',
      path: '/v1/loan-products',
      operationId: 'listLoanProducts',
      summary: 'The loan products on offer',
      tag: 'Borrow',
      auth: 'any',
      scopes: ['loans:read'],
      query: ListQuery,
      responses: { 200: { description: 'Active products, oldest first.', schema: LoanProductList } },
    },
    async ({ query }) => {
      const page = pageRequest(query);
      const rows = await s.loanProducts.list(page);
      return { status: 200, body: toPage(rows, page.limit, (p) => p.id, renderProduct) };
    },
  );

  api.route(
    {
      method: 'post',
      path: '/v1/loan-products',
      operationId: 'createLoanProduct',
      summary: 'Admins: add a loan product (audited)',
      tag: 'Administrator',
      auth: ['admin'],
      scopes: ['loans:admin'],
      body: CreateLoanProductRequest,
      idempotency: 'required',
      responses: { 201: { description: 'The product.', schema: LoanProduct } },
    },
    async ({ principal, body, idempotent }) =>
      idempotent(async (tx) => {
        if (body.min_amount.currency !== body.currency || body.max_amount.currency !== body.currency)
          throw validationFailed([
            { path: 'body.min_amount', message: 'amounts must be in the product currency' },
          ]);
        const product = await s.loanProducts.create(tx, principal, {
          name: body.name,
          currency: body.currency,
          interestMethod: body.interest_method,
          amortization: body.amortization,
          annualRate: body.annual_rate,
          minAmountMinor: parseAmount(body.min_amount.amount, body.currency),
          maxAmountMinor: parseAmount(body.max_amount.amount, body.currency),
          minTermMonths: body.min_term_months,
          maxTermMonths: body.max_term_months,
          processingFeeRate: body.processing_fee_rate,
          penaltyRate: body.penalty_rate,
          graceDays: body.grace_days,
          writeOffDays: body.write_off_days,
        });
        return { status: 201, body: renderProduct(product) };
      }),
  );

  api.route(
    {
      method: 'post',
      path: '/v1/loan-quotes',
      operationId: 'createLoanQuote',
      summary: "A loan's schedule, fee, net disbursed, total cost and APR for any terms (no side effect)",
      tag: 'Borrow',
      auth: 'any',
      scopes: ['loans:read'],
      body: CreateLoanQuoteRequest,
      responses: {
        200: { description: 'The schedule an accepted loan of these terms gets today.', schema: LoanQuote },
        422: { description: 'The amount, currency or term does not fit the product.' },
      },
    },
    async ({ body }) => {
      const quote = await s.loanProducts.quote(
        body.product_id,
        parseAmount(body.amount.amount, body.amount.currency),
        body.amount.currency,
        body.term_months,
        s.bankClock.today(),
      );
      const creditLife = await s.creditLife?.quote(quote.product.id, quote.schedule);
      return {
        status: 200,
        body: {
          product_id: quote.product.id,
          ...renderSchedule(quote.schedule, quote.termMonths),
          ...(creditLife ? { credit_life: creditLife } : {}),
        },
      };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/v1/credit-limit',
      operationId: 'getCreditLimit',
      summary: 'What you may borrow now: scored in real time (each scoring is kept)',
      tag: 'Borrow',
      auth: ['customer'],
      scopes: ['loans:read'],
      query: CreditLimitQuery,
      responses: { 200: { description: 'The score, PD, limit and reasons.', schema: CreditLimit } },
    },
    async ({ principal, query, idempotentSql }) => {
      const assessment = await s.credit.assess(principal.id, query.currency ?? HOME_CURRENCY);
      return idempotentSql(async (tx) => ({
        status: 200,
        body: renderCreditLimit(assessment, await s.credit.record(tx, assessment, 'credit_limit')),
      }));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/v1/loan-applications',
      operationId: 'createLoanApplication',
      summary: 'Apply for a loan: decided in real time (approved, declined or referred to a banker)',
      tag: 'Borrow',
      auth: ['customer'],
      scopes: ['loans:write'],
      body: CreateLoanApplicationRequest,
      idempotency: 'required',
      responses: {
        201: {
          description: 'The decided application; an approval carries the offer.',
          schema: LoanApplication,
        },
        422: { description: 'The terms do not fit the product.' },
      },
    },
    async ({ principal, body, idempotentSql }) => {
      const input = {
        productId: body.product_id,
        amountMinor: parseAmount(body.amount.amount, body.amount.currency),
        currency: body.amount.currency,
        termMonths: body.term_months,
        purpose: body.purpose,
      };
      // Scoring reads (and may wait on the bureau) before the transaction opens.
      const prepared = await s.applications.prepare(principal, input);
      return idempotentSql(async (tx) => ({
        status: 201,
        body: renderApplication(await s.applications.apply(tx, principal, input, prepared)),
      }));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/v1/loan-applications',
      operationId: 'listLoanApplications',
      summary: 'Loan applications (customers: their own; staff: all)',
      tag: 'Borrow',
      auth: 'any',
      scopes: ['loans:read'],
      query: LoanApplicationListQuery,
      responses: { 200: { description: 'Newest first.', schema: LoanApplicationList } },
    },
    async ({ principal, query }) => {
      const page = pageRequest(query);
      const rows = await s.applications.list(principal, page, query.status);
      return { status: 200, body: toPage(rows, page.limit, (v) => v.application.id, renderApplication) };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/v1/loan-applications/{id}',
      operationId: 'getLoanApplication',
      summary: 'One loan application with its decision and offer',
      tag: 'Borrow',
      auth: 'any',
      scopes: ['loans:read'],
      responses: { 200: { description: 'The application.', schema: LoanApplication } },
    },
    async ({ principal, params }) => ({
      status: 200,
      body: renderApplication(await s.applications.view(principal, params.id as string)),
    }),
  );

  api.route(
    {
      method: 'post',
      path: '/v1/loan-applications/{id}/accept',
      operationId: 'acceptLoanApplication',
      summary: 'Accept an approved offer: the loan is disbursed to your wallet',
      tag: 'Borrow',
      auth: ['customer'],
      scopes: ['loans:write'],
      body: AcceptLoanApplicationRequest,
      idempotency: 'required',
      responses: {
        201: { description: 'The loan, `active` once in the wallet.', schema: Loan },
        409: { description: '`conflict`: not approved, already accepted, or the offer expired.' },
        422: { description: '`limit_exceeded`: the KYC tier cap over all open loans.' },
      },
    },
    async ({ principal, params, body, idempotentSql }) =>
      idempotentSql(async (tx) => {
        const loan = await s.applications.accept(tx, principal, params.id as string);
        // Credit life (Insure): attached in the same transaction, its single premium from the wallet.
        await s.creditLife?.attach(tx, principal, loan, body?.credit_life);
        return { status: 201, body: renderLoan(await s.loans.detailsOf(tx, loan)) };
      }),
  );

  api.route(
    {
      method: 'post',
      path: '/v1/loan-applications/{id}/override',
      operationId: 'overrideLoanApplication',
      summary: 'Bankers: approve or decline with a reason (above the threshold a second banker approves)',
      tag: 'Banker',
      auth: ['banker'],
      scopes: ['loans:override'],
      body: OverrideLoanApplicationRequest,
      idempotency: 'required',
      responses: {
        200: {
          description: 'The application, overridden (the original decision kept).',
          schema: LoanApplication,
        },
        202: {
          description: 'Above the threshold: the approval request a second banker decides.',
          schema: Approval,
        },
        409: { description: '`conflict`: accepted, or waiting for approval already.' },
      },
    },
    async ({ principal, params, body, idempotent }) =>
      idempotent(async (tx) => {
        const result = await s.applications.override(tx, principal, params.id as string, {
          decision: body.decision,
          reason: body.reason,
          amountMinor: body.amount ? parseAmount(body.amount.amount, body.amount.currency) : undefined,
          termMonths: body.term_months,
        });
        if ('approval' in result) return { status: 202, body: renderApproval(result.approval) };
        return { status: 200, body: renderApplication(await s.applications.viewOf(result.application, tx)) };
      }),
  );

  api.route(
    {
      method: 'get',
      path: '/v1/loans',
      operationId: 'listLoans',
      summary: 'Loans (customers: their own; staff: all)',
      tag: 'Borrow',
      auth: 'any',
      scopes: ['loans:read'],
      query: ListQuery,
      responses: { 200: { description: 'Newest first.', schema: LoanList } },
    },
    async ({ principal, query }) => {
      const page = pageRequest(query);
      const rows = await s.loans.list(principal, page);
      return { status: 200, body: toPage(rows, page.limit, (d) => d.loan.id, renderLoan) };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/v1/loans/{id}',
      operationId: 'getLoan',
      summary: 'One loan: outstanding by component, days past due, schedule, status history',
      tag: 'Borrow',
      auth: 'any',
      scopes: ['loans:read'],
      responses: { 200: { description: 'The loan.', schema: Loan } },
    },
    async ({ principal, params }) => ({
      status: 200,
      body: renderLoan(await s.loans.details(principal, params.id as string)),
    }),
  );

  api.route(
    {
      method: 'get',
      path: '/v1/loans/{id}/payoff',
      operationId: 'getLoanPayoff',
      summary: 'What closes the loan on a date (today or later)',
      tag: 'Borrow',
      auth: 'any',
      scopes: ['loans:read'],
      query: LoanPayoffQuery,
      responses: { 200: { description: 'The payoff by component.', schema: LoanPayoff } },
    },
    async ({ principal, params, query }) => {
      if (query.date !== undefined && !isBankDate(query.date))
        throw validationFailed([{ path: 'query.date', message: 'must be a calendar date' }]);
      const p = await s.loans.payoffOn(principal, params.id as string, query.date);
      return {
        status: 200,
        body: {
          loan_id: params.id as string,
          date: p.date,
          principal: money(p.principal, p.currency),
          interest: money(p.interest, p.currency),
          fees: money(p.fees, p.currency),
          penalties: money(p.penalties, p.currency),
          total: money(p.total, p.currency),
        },
      };
    },
  );

  api.route(
    {
      method: 'post',
      path: '/v1/loans/{id}/repayments',
      operationId: 'createLoanRepayment',
      summary: 'Repay from one of your accounts (not counted against the daily limit)',
      tag: 'Borrow',
      auth: ['customer'],
      scopes: ['loans:write'],
      body: CreateLoanRepaymentRequest,
      idempotency: 'required',
      responses: {
        201: {
          description: 'The repayment, how it was split, and the loan after it.',
          schema: LoanRepayment,
        },
        409: { description: '`conflict`: the loan is closed.' },
        422: { description: '`exceeds_payoff` (nothing posted), `insufficient_funds`, `currency_mismatch`.' },
      },
    },
    async ({ principal, params, body, idempotentSql }) =>
      idempotentSql(async (tx) => {
        const { repayment, loan } = await s.loans.repay(tx, principal, params.id as string, {
          amountMinor: parseAmount(body.amount.amount, body.amount.currency),
          currency: body.amount.currency,
          fromAccountId: body.from_account_id,
        });
        return { status: 201, body: renderRepayment(repayment, await s.loans.detailsOf(tx, loan)) };
      }),
  );

  api.route(
    {
      method: 'post',
      path: '/v1/loans/{id}/write-off',
      operationId: 'writeOffLoan',
      summary: 'Admins: write a loan off with a reason (audited); recoveries later are recovery income',
      tag: 'Administrator',
      auth: ['admin'],
      scopes: ['loans:admin'],
      body: WriteOffLoanRequest,
      idempotency: 'required',
      responses: {
        200: { description: 'The loan, `written_off`.', schema: Loan },
        409: { description: '`conflict`: the loan is not open.' },
      },
    },
    async ({ principal, params, body, idempotentSql }) =>
      idempotentSql(async (tx) => {
        const loan = await s.loans.writeOff(tx, principal, params.id as string, body.reason);
        return { status: 200, body: renderLoan(await s.loans.detailsOf(tx, loan)) };
      }),
  );

  api.route(
    {
      method: 'get',
      path: '/v1/risk/portfolio',
      operationId: 'getPortfolio',
      summary: 'Admins: NPL ratio, PAR30, loans by bucket and CBK class, score distribution',
      tag: 'Administrator',
      auth: ['admin'],
      scopes: ['risk:read'],
      query: PortfolioQuery,
      responses: { 200: { description: 'The portfolio now.', schema: Portfolio } },
    },
    async ({ principal, query }) => {
      if (principal.role !== 'admin') throw forbidden();
      const figures = await s.portfolio.currentFor(query.currency ?? HOME_CURRENCY);
      return { status: 200, body: renderPortfolio(figures, await s.dailyClose.closedThrough()) };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/v1/risk/portfolio/history',
      operationId: 'getPortfolioHistory',
      summary: 'Admins: the portfolio at the end of each bank day',
      tag: 'Administrator',
      auth: ['admin'],
      scopes: ['risk:read'],
      query: PortfolioHistoryQuery,
      responses: { 200: { description: 'One row per closed bank day.', schema: PortfolioHistory } },
    },
    async ({ query }) => {
      for (const key of ['from', 'to'] as const)
        if (!isBankDate(query[key]))
          throw validationFailed([{ path: `query.${key}`, message: 'must be a calendar date' }]);
      const days = daysBetween(query.from, query.to);
      if (days < 0) throw validationFailed([{ path: 'query.to', message: 'must not be before from' }]);
      if (days >= MAX_HISTORY_DAYS)
        throw validationFailed([
          { path: 'query.to', message: `at most ${MAX_HISTORY_DAYS} days after from` },
        ]);
      const currency = query.currency ?? HOME_CURRENCY;
      const rows = await s.portfolio.history(currency, query.from, query.to);
      return { status: 200, body: renderHistory(currency, query.from, query.to, rows) };
    },
  );
}
