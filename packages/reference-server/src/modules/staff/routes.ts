import {
  ApprovalActionList,
  Customer360,
  CustomerSearchQuery,
  CustomerSearchResult,
} from '@wekeza/sdk/contract';
import type { Api } from '../../http/api.ts';
import { pageRequest, toPage } from '../../http/pagination.ts';
import { money, timestamp } from '../../http/render.ts';
import { renderAccount } from '../accounts/routes.ts';
import type { ApprovalsService } from '../approvals/service.ts';
import { renderEvent } from '../events/routes.ts';
import type { User } from '../identity/service.ts';
import type { DecisionRow } from '../loans/credit.ts';
import { renderLoan } from '../loans/render.ts';
import type { Customer360View, CustomerQueries } from './customers.ts';

export function renderCustomerSummary(user: User) {
  return {
    id: user.id,
    full_name: user.fullName,
    email: user.email,
    phone: user.phone,
    national_id: user.nationalId,
    kyc_tier: user.kycTier,
    status: user.status,
    created_at: timestamp(user.createdAt),
  };
}

const parse = <T>(text: string, fallback: T): T => {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

export function renderDecisionRecord(decision: DecisionRow) {
  const features = parse<{ values?: Record<string, unknown> }>(decision.features, {});
  return {
    id: decision.id,
    kind: decision.kind as 'credit_limit' | 'application',
    bank_date: decision.bankDate,
    decision: decision.decision as 'approved' | 'declined' | 'referred',
    score: decision.score,
    pd: decision.pd,
    grade: decision.grade,
    limit: money(decision.limitMinor, decision.currency),
    model_version: decision.modelVersion,
    policy_version: decision.policyVersion,
    reasons: parse<{ code: string; text: string }[]>(decision.reasons, []),
    features: features.values ?? {},
    shadow: parse<Record<string, unknown>[]>(decision.shadow, []),
    created_at: timestamp(decision.createdAt),
  };
}

export function renderCustomer360(view: Customer360View) {
  const { user } = view;
  return {
    customer: {
      ...renderCustomerSummary(user),
      roles: [user.role as 'customer'],
      wallet_account_id: view.walletId,
    },
    kyc: {
      tier: user.kycTier,
      limits: view.limits.map((l) => ({
        currency: l.currency,
        max_balance: money(l.maxBalanceMinor, l.currency),
        daily_outgoing: money(l.dailyOutgoingMinor, l.currency),
        loan_cap: money(l.loanCapMinor, l.currency),
      })),
      history: view.kycHistory.map((c) => ({
        id: c.id,
        from_tier: c.fromTier,
        to_tier: c.toTier,
        evidence: c.evidence,
        changed_by: c.changedBy,
        at: timestamp(c.createdAt),
      })),
    },
    accounts: view.accounts.map(({ account, details }) => renderAccount(account, details)),
    loans: view.loans.map((details) => {
      const loan = renderLoan(details);
      return {
        id: loan.id,
        loan_number: loan.loan_number,
        status: loan.status as 'active',
        label: loan.label,
        currency: loan.currency,
        product_id: loan.product_id,
        application_id: loan.application_id,
        principal: loan.principal,
        outstanding_principal: loan.outstanding.principal,
        outstanding_total: loan.outstanding.total,
        days_past_due: loan.days_past_due,
        worst_days_past_due: details.loan.worstDaysPastDue,
        arrears_bucket: loan.arrears_bucket,
        cbk_class: loan.cbk_class,
        disbursement_date: loan.disbursement_date,
        closed_on: loan.closed_on,
      };
    }),
    applications: view.applications.map((a) => ({
      id: a.id,
      status: a.status,
      decision: a.decision as 'approved' | 'declined' | 'referred',
      decision_id: a.decisionId,
      product_id: a.productId,
      amount: money(a.amountMinor, a.currency),
      term_months: a.termMonths,
      loan_id: a.loanId,
      created_at: timestamp(a.createdAt),
    })),
    credit_decisions: view.decisions.map(renderDecisionRecord),
    overrides: view.applications
      .filter((a) => a.overrideDecision && a.overriddenBy && a.overriddenAt)
      .map((a) => ({
        application_id: a.id,
        decision: a.overrideDecision as 'approve' | 'decline',
        reason: a.overrideReason ?? '',
        by: a.overriddenBy as string,
        approved_by: a.overrideApprovedBy,
        at: timestamp(a.overriddenAt as Date),
      })),
    recent_activity: view.events.map(renderEvent),
    as_of: view.asOf,
  };
}

/** Staff reads of customers (bankers and admins); everyone else finds nothing here (404). */
export function staffRoutes(
  api: Api,
  customers: CustomerQueries,
  approvals: ApprovalsService,
  loanApprovalThresholds: Record<string, bigint>,
): void {
  api.route(
    {
      method: 'get',
      path: '/v1/customers',
      operationId: 'searchCustomers',
      summary:
        'Staff: find customers by name, phone, e-mail, national ID, account id, loan id or loan number (audited)',
      tag: 'Banker',
      auth: ['banker', 'admin'],
      hidden: true,
      scopes: ['customers:read'],
      query: CustomerSearchQuery,
      responses: { 200: { description: 'Matching customers, in id order.', schema: CustomerSearchResult } },
    },
    async ({ principal, query }) => {
      const page = pageRequest(query);
      const rows = await customers.search(principal, query.query, page);
      return { status: 200, body: toPage(rows, page.limit, (u) => u.id, renderCustomerSummary) };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/v1/customers/{id}',
      operationId: 'getCustomer',
      summary:
        'Staff: the Customer 360 — profile, KYC tier and history, accounts, loans with DPD, credit decisions, overrides, recent activity (audited)',
      tag: 'Banker',
      auth: ['banker', 'admin'],
      hidden: true,
      scopes: ['customers:read'],
      responses: { 200: { description: 'The customer, in full.', schema: Customer360 } },
    },
    async ({ principal, params }) => ({
      status: 200,
      body: renderCustomer360(await customers.view(principal, params.id as string)),
    }),
  );

  api.route(
    {
      method: 'get',
      path: '/v1/approval-actions',
      operationId: 'listApprovalActions',
      summary: 'Staff: the actions the maker-checker queue knows, and which need a second person',
      tag: 'Banker',
      auth: ['banker', 'admin'],
      hidden: true,
      scopes: ['approvals'],
      responses: { 200: { description: 'Every action.', schema: ApprovalActionList } },
    },
    async () => ({
      status: 200,
      body: {
        data: approvals.kindsList().map((kind) => ({
          kind: kind.kind as 'loan_override',
          requires_approval: approvals.required(kind.kind),
          maker_roles: [...kind.makerRoles] as ('banker' | 'admin')[],
          checker_roles: [...kind.checkerRoles] as ('banker' | 'admin')[],
          description: kind.description ?? kind.kind,
          ...(kind.kind === 'loan_override'
            ? {
                thresholds: Object.entries(loanApprovalThresholds).map(([currency, minor]) =>
                  money(minor, currency),
                ),
              }
            : {}),
        })),
      },
    }),
  );
}
