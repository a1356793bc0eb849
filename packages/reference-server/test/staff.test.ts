/**
 * The bank's staff (issue 13): finding a customer and reading the Customer 360, KYC history,
 * the maker-checker actions list; every staff read audited; non-staff find nothing (404).
 */
import { Customer360, CustomerSearchResult } from '@wekeza/sdk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBank, type TestBank, testDialects } from '../src/testing/index.ts';
import { fund, type Http, login, newCustomer } from './support/http.ts';

describe.each(testDialects())('staff reads on %s', (dialect) => {
  let bank: TestBank;
  let banker: Http;
  let admin: Http;
  let amina: Awaited<ReturnType<typeof newCustomer>>;
  let other: Awaited<ReturnType<typeof newCustomer>>;
  let applicationId: string;
  let loanId: string;

  beforeAll(async () => {
    bank = await startTestBank(dialect);
    banker = await login(bank, 'banker@sandbox.test');
    admin = await login(bank, 'admin@sandbox.test');
    amina = await newCustomer(bank, { nationalId: '24681352' });
    other = await newCustomer(bank);
    await fund(admin, amina.walletId, '5000.00');
    // A thin file: the starter limit approves 1,000; the banker approves 1,500 instead, with a reason.
    const app = await amina.http.post<{ id: string; status: string }>('/v1/loan-applications', {
      product_id: 'lprod_sandbox_digital',
      amount: { amount: '1500.00', currency: 'KES' },
      term_months: 1,
    });
    applicationId = app.body.id;
    const overridden = await banker.post(`/v1/loan-applications/${applicationId}/override`, {
      decision: 'approve',
      reason: 'salary slip seen',
    });
    expect(overridden.status).toBe(200);
    const loan = await amina.http.post<{ id: string }>(`/v1/loan-applications/${applicationId}/accept`, {});
    expect(loan.status).toBe(201);
    loanId = loan.body.id;
    const raised = await banker.post(`/v1/customers/${amina.id}/kyc`, {
      tier: 2,
      evidence: 'passport seen in branch',
    });
    expect(raised.status).toBe(200);
  });
  afterAll(async () => {
    await bank?.stop();
  });

  it('when a banker searches by name, phone, national id, account, loan id and loan number, then the customer is found', async () => {
    const loan = await banker.get<{ loan_number: string }>(`/v1/loans/${loanId}`);
    const signup = await banker.get<{ data: { full_name: string }[] }>(`/v1/customers?query=${amina.id}`);
    const name = signup.body.data[0]!.full_name;
    const queries = [
      name.toUpperCase(),
      name.toLowerCase().slice(2),
      amina.phone,
      `0${amina.phone.slice(4)}`,
      '24681352',
      amina.walletId,
      loanId,
      loan.body.loan_number,
      applicationId,
      amina.email,
    ];
    for (const query of queries) {
      const res = await banker.get(`/v1/customers?query=${encodeURIComponent(query)}`);
      expect(res.status, query).toBe(200);
      const page = CustomerSearchResult.parse(res.body);
      expect(
        page.data.map((c) => c.id),
        query,
      ).toEqual([amina.id]);
    }
    const none = await banker.get<{ data: unknown[] }>('/v1/customers?query=nobody-by-this-name');
    expect(none.body.data).toEqual([]);
    // LIKE wildcards are literal: "%" matches nobody.
    expect((await banker.get<{ data: unknown[] }>('/v1/customers?query=%25%25')).body.data).toEqual([]);
  });

  it('when customers are listed a page at a time, then the pages follow each other without overlap', async () => {
    const first = await admin.get<{ data: { id: string }[]; has_more: boolean; next_cursor: string }>(
      '/v1/customers?limit=1',
    );
    expect(first.body.data).toHaveLength(1);
    expect(first.body.has_more).toBe(true);
    const second = await admin.get<{ data: { id: string }[] }>(
      `/v1/customers?limit=1&starting_after=${first.body.next_cursor}`,
    );
    expect(second.body.data[0]!.id > first.body.data[0]!.id).toBe(true);
  });

  it('when a banker reads the Customer 360, then it holds profile, KYC history, accounts, loans with DPD, decisions, overrides and activity', async () => {
    const res = await banker.get(`/v1/customers/${amina.id}`);
    expect(res.status).toBe(200);
    const view = Customer360.parse(res.body);
    expect(view.customer).toMatchObject({ id: amina.id, kyc_tier: 2, national_id: '24681352' });
    expect(view.kyc.history).toMatchObject([
      { from_tier: 1, to_tier: 2, evidence: 'passport seen in branch' },
    ]);
    expect(view.kyc.limits.find((l) => l.currency === 'KES')?.loan_cap).toEqual({
      amount: '2000000.00',
      currency: 'KES',
    });
    const wallet = view.accounts.find((a) => a.id === amina.walletId);
    // 5,000 funded + 1,500 lent − 3 % fee (45).
    expect(wallet?.balance.ledger).toEqual({ amount: '6455.00', currency: 'KES' });
    expect(view.loans).toMatchObject([
      { id: loanId, status: 'active', days_past_due: 0, outstanding_principal: { amount: '1500.00' } },
    ]);
    expect(view.applications[0]).toMatchObject({ id: applicationId, status: 'accepted', loan_id: loanId });
    const decision = view.credit_decisions.find((d) => d.id === view.applications[0]!.decision_id);
    expect(decision).toBeDefined();
    expect(decision!.model_version).toMatch(/@/);
    expect(Number(decision!.pd)).toBeGreaterThan(0);
    expect(decision!.reasons.length).toBeGreaterThan(0);
    expect(view.overrides).toMatchObject([
      { application_id: applicationId, decision: 'approve', reason: 'salary slip seen', approved_by: null },
    ]);
    expect(view.recent_activity.map((e) => e.type)).toContain('loan.disbursed');
  });

  it('when staff search and read, then each read is in the audit log', async () => {
    await admin.get(`/v1/customers/${other.id}`);
    const events = await admin.get<{ data: { action: string; subject: { id: string | null } }[] }>(
      '/v1/audit-events?limit=100',
    );
    const actions = events.body.data.map((e) => `${e.action}:${e.subject.id}`);
    expect(actions).toContain(`customer.viewed:${other.id}`);
    expect(actions.some((a) => a.startsWith('customer.searched:'))).toBe(true);
  });

  it('when a customer, a partner or a stranger id is asked for, then staff routes are not there (404)', async () => {
    for (const path of ['/v1/customers', `/v1/customers/${amina.id}`, '/v1/approval-actions']) {
      const res = await amina.http.get(path);
      expect(res.status, path).toBe(404);
    }
    expect((await banker.get('/v1/customers/cus_NOSUCHCUSTOMER')).status).toBe(404);
    // Staff accounts are not customers.
    const staff = await bank.db.prisma.user.findUniqueOrThrow({ where: { email: 'admin@sandbox.test' } });
    expect((await banker.get(`/v1/customers/${staff.id}`)).status).toBe(404);
  });

  it('when bad search input arrives, then 422 and nothing else', async () => {
    for (const q of ['?query=a', '?limit=0', '?limit=101', '?query=' + 'x'.repeat(101), '?other=1']) {
      const res = await banker.get(`/v1/customers${q}`);
      expect(res.status, q).toBe(422);
      expect(res.body.code).toBe('validation_failed');
    }
  });

  it('when staff ask which actions need a second person, then the configured list answers', async () => {
    const res = await banker.get<{ data: { kind: string; requires_approval: boolean }[] }>(
      '/v1/approval-actions',
    );
    expect(res.status).toBe(200);
    expect(Object.fromEntries(res.body.data.map((a) => [a.kind, a.requires_approval]))).toMatchObject({
      loan_override: true,
    });
  });
});
