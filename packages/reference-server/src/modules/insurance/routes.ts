import { Money, parseAmount } from '@wekeza/sdk';
import {
  Claim,
  ClaimDecisionRequest,
  ClaimList,
  ClaimReviewRequest,
  CreateClaimRequest,
  CreateInsuranceProductRequest,
  CreatePolicyRequest,
  InsuranceProduct,
  InsuranceProductList,
  ListQuery,
  Policy,
  PolicyCancellation,
  PolicyList,
  PolicyQuote,
  PolicyQuoteRequest,
  RemittanceList,
} from '@wekeza/sdk/contract';
import * as z from 'zod/mini';
import type { Api } from '../../http/api.ts';
import { pageRequest, toPage } from '../../http/pagination.ts';
import { money, timestamp } from '../../http/render.ts';
import type { ClaimRow } from './claims.ts';
import type { PolicyView } from './policies.ts';
import type { InsuranceProduct as ProductRow } from './products.ts';
import type { RemittanceRow } from './remittances.ts';
import type { InsuranceService } from './service.ts';

const wireMoney = (value: { amount: string; currency: string }) =>
  Money.of(parseAmount(value.amount, value.currency), value.currency);

export function renderInsuranceProduct(p: ProductRow) {
  const m = (minor: bigint | null) => (minor === null ? null : money(minor, p.currency));
  return {
    id: p.id,
    name: p.name,
    cover_type: p.coverType,
    underwriter: p.underwriter,
    currency: p.currency,
    ...(p.premiumMinor !== null ? { premium: money(p.premiumMinor, p.currency) } : {}),
    ...(p.premiumRate !== null ? { premium_rate: p.premiumRate } : {}),
    frequency: p.frequency,
    term_months: p.termMonths,
    grace_days: p.graceDays,
    reinstatement_days: p.reinstatementDays,
    commission_rate: p.commissionRate,
    refund_rule: p.refundRule,
    min_sum_insured: m(p.minSumInsuredMinor),
    max_sum_insured: m(p.maxSumInsuredMinor),
    min_age: p.minAge,
    max_age: p.maxAge,
    min_kyc_tier: p.minKycTier,
    loan_products: p.loanProducts.map((l) => ({ loan_product_id: l.loanProductId, mandatory: l.mandatory })),
    status: p.status,
    created_at: timestamp(p.createdAt),
  };
}

export function renderPolicy(v: PolicyView) {
  const { policy: p, product } = v;
  return {
    id: p.id,
    customer_id: p.customerId,
    product_id: p.productId,
    product_name: product.name,
    cover_type: product.coverType,
    underwriter: product.underwriter,
    status: p.status,
    sum_insured: money(v.sumInsuredMinor, p.currency),
    premium: money(p.premiumMinor, p.currency),
    frequency: product.frequency,
    funding_account_id: p.fundingAccountId,
    start_date: p.startDate,
    end_date: p.endDate,
    next_premium_due: p.status === 'active' || p.status === 'in_grace' ? p.nextDueDate : null,
    next_premium: v.nextPremiumMinor === null ? null : money(v.nextPremiumMinor, p.currency),
    grace_until: v.graceUntil,
    arrears: money(v.arrearsMinor, p.currency),
    reinstate_until: v.reinstateUntil,
    lapsed_on: p.lapsedOn,
    closed_on: p.closedOn,
    loan_id: p.loanId,
    beneficiaries: p.beneficiaries,
    created_at: timestamp(p.createdAt),
  };
}

export function renderClaim(c: ClaimRow) {
  return {
    id: c.id,
    policy_id: c.policyId,
    customer_id: c.customerId,
    status: c.status,
    description: c.description,
    attachments: c.attachments,
    amount: c.amountMinor === null ? null : money(c.amountMinor, c.currency),
    reason: c.reason,
    payouts: c.payouts,
    paid_on: c.paidOn,
    created_at: timestamp(c.createdAt),
    updated_at: timestamp(c.updatedAt),
  };
}

function renderRemittance(r: RemittanceRow) {
  return {
    id: r.id,
    underwriter: r.underwriter,
    currency: r.currency,
    period: r.period,
    premiums: money(r.premiumsMinor, r.currency),
    commission: money(r.commissionMinor, r.currency),
    claims_offset: money(r.claimsOffsetMinor, r.currency),
    net: money(r.netMinor, r.currency),
    journal_entry_id: r.entryId,
    bordereau_csv: r.bordereau,
    created_at: timestamp(r.createdAt),
  };
}

const PolicyListQuery = z.strictObject({
  ...ListQuery.shape,
  customer_id: z.optional(
    z.string().check(z.regex(/^cus_[0-9A-Za-z_]{1,60}$/, 'must be a cus_… identifier')),
  ),
});
const ClaimListQuery = z.strictObject({
  ...ListQuery.shape,
  status: z.optional(z.enum(['submitted', 'under_review', 'approved', 'rejected', 'paid'])),
});

export function insuranceRoutes(api: Api, s: InsuranceService): void {
  api.route(
    {
      method: 'get',
      path: '/v1/insurance-products',
      operationId: 'listInsuranceProducts',
      summary: 'Insurance products the bank distributes, oldest first',
      tag: 'Insure',
      auth: ['customer', 'banker', 'admin', 'partner'],
      scopes: ['insurance:read'],
      query: ListQuery,
      responses: { 200: { description: 'A page of products.', schema: InsuranceProductList } },
    },
    async ({ query }) => {
      const page = pageRequest(query);
      const rows = await s.products.list(page);
      return { status: 200, body: toPage(rows, page.limit, (p) => p.id, renderInsuranceProduct) };
    },
  );

  api.route(
    {
      method: 'post',
      path: '/v1/insurance-products',
      operationId: 'createInsuranceProduct',
      summary: 'Admins: create an insurance product (audited)',
      tag: 'Administrator',
      auth: ['admin'],
      scopes: ['insurance:admin'],
      body: CreateInsuranceProductRequest,
      idempotency: 'optional',
      responses: { 201: { description: 'The product, on sale from today.', schema: InsuranceProduct } },
    },
    async ({ principal, body, idempotentSql }) =>
      idempotentSql(async (tx) => {
        const minor = (m: { amount: string; currency: string } | undefined) =>
          m === undefined ? null : parseAmount(m.amount, m.currency);
        const product = await s.products.create(tx, principal, {
          name: body.name,
          coverType: body.cover_type,
          underwriter: body.underwriter,
          currency: body.currency,
          premiumMinor: minor(body.premium),
          premiumRate: body.premium_rate ?? null,
          frequency: body.frequency,
          termMonths: body.term_months ?? null,
          graceDays: body.grace_days,
          reinstatementDays: body.reinstatement_days,
          commissionRate: body.commission_rate,
          refundRule: body.refund_rule,
          minSumInsuredMinor: minor(body.min_sum_insured),
          maxSumInsuredMinor: minor(body.max_sum_insured),
          minAge: body.min_age ?? null,
          maxAge: body.max_age ?? null,
          minKycTier: body.min_kyc_tier ?? 0,
          loanProducts: (body.loan_products ?? []).map((l) => ({
            loanProductId: l.loan_product_id,
            mandatory: l.mandatory,
          })),
        });
        return { status: 201, body: renderInsuranceProduct(product) };
      }),
  );

  api.route(
    {
      method: 'post',
      path: '/v1/policy-quotes',
      operationId: 'quotePolicy',
      summary: 'The premium and dates of a policy bought today (no side effect)',
      tag: 'Insure',
      auth: ['customer', 'banker', 'admin', 'partner'],
      scopes: ['insurance:read'],
      body: PolicyQuoteRequest,
      responses: {
        200: { description: 'The premium, start, end and next due date.', schema: PolicyQuote },
        422: { description: 'The sum insured does not fit the product, or the product is credit life.' },
      },
    },
    async ({ body }) => {
      const q = await s.policies.quote(
        s.context.db.sql,
        body.product_id,
        body.sum_insured ? wireMoney(body.sum_insured) : undefined,
      );
      return {
        status: 200,
        body: {
          product_id: q.product.id,
          sum_insured: money(q.sumInsuredMinor, q.product.currency),
          premium: money(q.premiumMinor, q.product.currency),
          frequency: q.product.frequency,
          start_date: q.startDate,
          end_date: q.endDate,
          next_premium_due: q.nextDueDate,
        },
      };
    },
  );

  api.route(
    {
      method: 'post',
      path: '/v1/policies',
      operationId: 'createPolicy',
      summary: 'Buy cover: the first premium is taken from the funding account at once',
      tag: 'Insure',
      auth: ['customer'],
      scopes: ['insurance:write'],
      body: CreatePolicyRequest,
      idempotency: 'required',
      responses: {
        201: { description: 'The policy, active, with its next premium.', schema: Policy },
        422: {
          description:
            '`insufficient_funds`, not eligible, or a sum insured outside the product; nothing posted.',
        },
      },
    },
    async ({ principal, body, idempotentSql }) =>
      idempotentSql(async (tx) => {
        const policy = await s.policies.buy(tx, principal, {
          productId: body.product_id,
          fundingAccountId: body.funding_account_id,
          sumInsured: body.sum_insured ? wireMoney(body.sum_insured) : undefined,
          beneficiaries: body.beneficiaries,
        });
        return { status: 201, body: renderPolicy(await s.policies.viewOf(tx, policy)) };
      }),
  );

  api.route(
    {
      method: 'get',
      path: '/v1/policies',
      operationId: 'listPolicies',
      summary: 'Policies: your own (customers), or all or one customer’s (staff)',
      tag: 'Insure',
      auth: ['customer', 'banker', 'admin'],
      scopes: ['insurance:read'],
      query: PolicyListQuery,
      responses: { 200: { description: 'A page of policies, oldest first.', schema: PolicyList } },
    },
    async ({ principal, query }) => {
      const page = pageRequest(query);
      const rows = await s.policies.list(principal, page, query.customer_id);
      return { status: 200, body: toPage(rows, page.limit, (v) => v.policy.id, renderPolicy) };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/v1/policies/{id}',
      operationId: 'getPolicy',
      summary: 'A policy: cover, status, next premium, arrears',
      tag: 'Insure',
      auth: ['customer', 'banker', 'admin'],
      scopes: ['insurance:read'],
      responses: { 200: { description: 'The policy.', schema: Policy } },
    },
    async ({ principal, params }) => ({
      status: 200,
      body: renderPolicy(await s.policies.view(principal, params.id as string)),
    }),
  );

  api.route(
    {
      method: 'post',
      path: '/v1/policies/{id}/cancel',
      operationId: 'cancelPolicy',
      summary: 'Cancel cover today; the unused premium is refunded per the product’s rule',
      tag: 'Insure',
      auth: ['customer'],
      scopes: ['insurance:write'],
      idempotency: 'required',
      responses: {
        200: { description: 'The cancelled policy and the refund.', schema: PolicyCancellation },
        409: { description: '`conflict`: not active, or credit life (it ends with its loan).' },
      },
    },
    async ({ principal, params, idempotentSql }) =>
      idempotentSql(async (tx) => {
        const { policy, refundMinor } = await s.policies.cancel(tx, principal, params.id as string);
        return {
          status: 200,
          body: {
            ...renderPolicy(await s.policies.viewOf(tx, policy)),
            refund: money(refundMinor, policy.currency),
          },
        };
      }),
  );

  api.route(
    {
      method: 'post',
      path: '/v1/policies/{id}/reinstate',
      operationId: 'reinstatePolicy',
      summary: 'Reinstate a lapsed policy within the product’s window by paying the arrears',
      tag: 'Insure',
      auth: ['customer'],
      scopes: ['insurance:write'],
      idempotency: 'required',
      responses: {
        200: { description: 'The policy, active again.', schema: Policy },
        409: { description: '`conflict`: not lapsed, or the window closed.' },
        422: { description: '`insufficient_funds`: the arrears are paid whole or not at all.' },
      },
    },
    async ({ principal, params, idempotentSql }) =>
      idempotentSql(async (tx) => {
        const policy = await s.policies.reinstate(tx, principal, params.id as string);
        return { status: 200, body: renderPolicy(await s.policies.viewOf(tx, policy)) };
      }),
  );

  api.route(
    {
      method: 'post',
      path: '/v1/claims',
      operationId: 'createClaim',
      summary: 'File a claim on a policy in force (customers; bankers for a customer)',
      tag: 'Insure',
      auth: ['customer', 'banker'],
      scopes: ['insurance:write'],
      body: CreateClaimRequest,
      idempotency: 'required',
      responses: {
        201: { description: 'The claim, submitted.', schema: Claim },
        409: { description: '`conflict`: the policy is not in force, or a claim on it is open.' },
      },
    },
    async ({ principal, body, idempotentSql }) =>
      idempotentSql(async (tx) => ({
        status: 201,
        body: renderClaim(
          await s.claims.file(tx, principal, {
            policyId: body.policy_id,
            description: body.description,
            attachments: body.attachments ?? [],
          }),
        ),
      })),
  );

  api.route(
    {
      method: 'get',
      path: '/v1/claims',
      operationId: 'listClaims',
      summary: 'Claims: your own (customers), or all (staff)',
      tag: 'Insure',
      auth: ['customer', 'banker', 'admin'],
      scopes: ['insurance:read'],
      query: ClaimListQuery,
      responses: { 200: { description: 'A page of claims, oldest first.', schema: ClaimList } },
    },
    async ({ principal, query }) => {
      const page = pageRequest(query);
      const rows = await s.claims.list(principal, page, query.status);
      return { status: 200, body: toPage(rows, page.limit, (c) => c.id, renderClaim) };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/v1/claims/{id}',
      operationId: 'getClaim',
      summary: 'A claim',
      tag: 'Insure',
      auth: ['customer', 'banker', 'admin'],
      scopes: ['insurance:read'],
      responses: { 200: { description: 'The claim.', schema: Claim } },
    },
    async ({ principal, params }) => ({
      status: 200,
      body: renderClaim(await s.claims.view(principal, params.id as string)),
    }),
  );

  api.route(
    {
      method: 'post',
      path: '/v1/claims/{id}/review',
      operationId: 'reviewClaim',
      summary: 'Bankers: take a submitted claim under review (audited)',
      tag: 'Banker',
      auth: ['banker'],
      scopes: ['claims:manage'],
      body: ClaimReviewRequest,
      idempotency: 'optional',
      responses: { 200: { description: 'The claim, under review.', schema: Claim } },
    },
    async ({ principal, params, body, idempotentSql }) =>
      idempotentSql(async (tx) => ({
        status: 200,
        body: renderClaim(await s.claims.review(tx, principal, params.id as string, body?.note)),
      })),
  );

  api.route(
    {
      method: 'post',
      path: '/v1/claims/{id}/decision',
      operationId: 'decideClaim',
      summary: 'Bankers: approve or reject a claim under review, with a reason (audited)',
      tag: 'Banker',
      auth: ['banker'],
      scopes: ['claims:manage'],
      body: ClaimDecisionRequest,
      idempotency: 'optional',
      responses: { 200: { description: 'The claim, approved or rejected.', schema: Claim } },
    },
    async ({ principal, params, body, idempotentSql }) =>
      idempotentSql(async (tx) => ({
        status: 200,
        body: renderClaim(
          await s.claims.decide(tx, principal, params.id as string, {
            decision: body.decision,
            reason: body.reason,
            ...(body.amount
              ? {
                  amountMinor: parseAmount(body.amount.amount, body.amount.currency),
                  currency: body.amount.currency,
                }
              : {}),
          }),
        ),
      })),
  );

  api.route(
    {
      method: 'post',
      path: '/v1/claims/{id}/pay',
      operationId: 'payClaim',
      summary:
        'Bankers: pay an approved claim (to the beneficiaries’ wallets, or to the loan for credit life)',
      tag: 'Banker',
      auth: ['banker'],
      scopes: ['claims:manage'],
      idempotency: 'required',
      responses: {
        200: { description: 'The claim, paid, with its payouts.', schema: Claim },
        409: { description: '`conflict`: not approved, or a beneficiary without a wallet.' },
      },
    },
    async ({ principal, params, idempotentSql }) =>
      idempotentSql(async (tx) => ({
        status: 200,
        body: renderClaim(await s.claims.pay(tx, principal, params.id as string)),
      })),
  );

  api.route(
    {
      method: 'get',
      path: '/v1/insurance/remittances',
      operationId: 'listInsuranceRemittances',
      summary: 'Admins: monthly remittances to underwriters, with their bordereaux',
      tag: 'Administrator',
      auth: ['admin'],
      scopes: ['insurance:admin'],
      query: ListQuery,
      responses: { 200: { description: 'A page of remittances, oldest first.', schema: RemittanceList } },
    },
    async ({ principal, query }) => {
      const page = pageRequest(query);
      const rows = await s.remittances.list(principal, page);
      return { status: 200, body: toPage(rows, page.limit, (r) => r.id, renderRemittance) };
    },
  );
}
