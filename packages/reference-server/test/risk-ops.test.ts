/**
 * Risk Ops (issue 13): the credit policy as data — read, change through a second admin, dry run —
 * and the models — list with governance numbers, compare, activate a challenger; credit decisions
 * follow the policy and champion in force; governance on the bank's own matured loans.
 */
import {
  Approval,
  RiskGovernance,
  RiskModelActivation,
  RiskModelComparison,
  RiskModelList,
  RiskPolicy,
  RiskPolicyDryRun,
  type RiskPolicyRules,
} from '@wekeza/sdk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBank, type TestBank, testDialects } from '../src/testing/index.ts';
import { fund, type Http, login, newCustomer } from './support/http.ts';

const WOE = 'behavioural-woe@1.0.0';

async function apply(customer: { http: Http }, amount = '1000.00') {
  const res = await customer.http.post<{
    id: string;
    status: string;
    policy_version: string;
    model_version: string;
  }>('/v1/loan-applications', {
    product_id: 'lprod_sandbox_digital',
    amount: { amount, currency: 'KES' },
    term_months: 1,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

describe.each(testDialects())('risk ops on %s', (dialect) => {
  let bank: TestBank;
  let admin: Http;
  let admin2: Http;
  let banker: Http;
  let rules: RiskPolicyRules;

  beforeAll(async () => {
    bank = await startTestBank(dialect);
    admin = await login(bank, 'admin@sandbox.test');
    admin2 = await login(bank, 'admin2@sandbox.test');
    banker = await login(bank, 'banker@sandbox.test');
    // Three applicants without a national ID: the bureau cannot be asked, so the policy refers them.
    for (let i = 0; i < 3; i++) expect((await apply(await newCustomer(bank))).status).toBe('referred');
  });
  afterAll(async () => {
    await bank?.stop();
  });

  it('when an admin reads the policy, then the rules in force answer with their version', async () => {
    const res = await admin.get('/v1/risk/policy');
    expect(res.status).toBe(200);
    const policy = RiskPolicy.parse(res.body);
    expect(policy.policy_version).toBe('sandbox-consumer@1.0.0');
    expect(policy.rules.cutoffs).toEqual({ approve_min_score: 540, refer_min_score: 460 });
    rules = policy.rules;
  });

  it('when a proposed change is dry-run, then it says how many more it would approve and at what expected bad rate, and saves nothing', async () => {
    const looser = { ...rules, bureau: { ...rules.bureau, on_unavailable: 'ignore' as const } };
    const res = await admin.post('/v1/risk/policy/dry-run', { rules: looser, last_n: 100 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const run = RiskPolicyDryRun.parse(res.body);
    expect(run.applications).toBe(3);
    expect(run.current).toMatchObject({ approved: 0, referred: 3 });
    expect(run.proposed).toMatchObject({ approved: 3, referred: 0 });
    expect(run.newly_approved).toBe(3);
    expect(Number(run.expected_bad_rate_of_newly_approved)).toBeGreaterThan(0);
    expect(run.summary).toContain('would have approved 3 more');
    // The same rules as now change nothing.
    const same = RiskPolicyDryRun.parse((await admin.post('/v1/risk/policy/dry-run', { rules })).body);
    expect(same.changed).toBe(0);
    expect((await admin.get<{ policy_version: string }>('/v1/risk/policy')).body.policy_version).toBe(
      'sandbox-consumer@1.0.0',
    );
  });

  it('when rules are invalid, then 422 names them and nothing is saved', async () => {
    const bad = [
      { ...rules, cutoffs: { approve_min_score: 400, refer_min_score: 500 } },
      { ...rules, cutoffs: { approve_min_score: 1001, refer_min_score: 500 } },
      { ...rules, bureau: { ...rules.bureau, thin_file_limit_factor: '1.5' } },
      { ...rules, limits: { ...rules.limits, round_down_to_minor: '0' } },
      {
        ...rules,
        limits: { ...rules.limits, affordability: { ...rules.limits.affordability, term_months: 0 } },
      },
      { ...rules, kyc_tier_caps: [{ tier: 'gold', cap_minor: '1' }] },
      { ...rules, extra: true },
      { ...rules, cutoffs: { approve_min_score: '540', refer_min_score: 460 } },
    ];
    for (const candidate of bad) {
      const res = await admin.request('PUT', '/v1/risk/policy', {
        body: { rules: candidate, reason: 'a bad idea' },
      });
      expect(res.status, JSON.stringify(candidate)).toBe(422);
      expect(res.body.code).toBe('validation_failed');
      expect((await admin.post('/v1/risk/policy/dry-run', { rules: candidate })).status).toBe(422);
    }
    expect((await admin.request('PUT', '/v1/risk/policy', { body: { rules } })).status).toBe(422);
    expect((await admin.get<{ policy_version: string }>('/v1/risk/policy')).body.policy_version).toBe(
      'sandbox-consumer@1.0.0',
    );
  });

  it('when an admin changes the policy, then a second admin must approve (never the maker); then decisions use it', async () => {
    expect(
      (await banker.request('PUT', '/v1/risk/policy', { body: { rules, reason: 'banker tries' } })).status,
    ).toBe(403);
    const looser = { ...rules, bureau: { ...rules.bureau, on_unavailable: 'ignore' as const } };
    const asked = await admin.request('PUT', '/v1/risk/policy', {
      body: { rules: looser, reason: 'bureau outages should not block starters' },
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    const approval = Approval.parse(asked.body);
    expect(approval).toMatchObject({ kind: 'risk_policy_change', status: 'pending' });
    // Only one change waits at a time.
    expect(
      (await admin2.request('PUT', '/v1/risk/policy', { body: { rules, reason: 'another' } })).status,
    ).toBe(409);
    const own = await admin.post(`/v1/approvals/${approval.id}/approve`, { reason: 'looks right to me' });
    expect(own.status).toBe(403);
    expect((await banker.post(`/v1/approvals/${approval.id}/approve`, { reason: 'not mine' })).status).toBe(
      403,
    );
    expect((await apply(await newCustomer(bank))).policy_version).toBe('sandbox-consumer@1.0.0');
    const approved = await admin2.post(`/v1/approvals/${approval.id}/approve`, { reason: 'agreed' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    const policy = RiskPolicy.parse((await admin.get('/v1/risk/policy')).body);
    expect(policy).toMatchObject({
      policy_version: 'sandbox-consumer@2',
      created_by: approval.maker_id,
      reason: 'bureau outages should not block starters',
    });
    expect(policy.rules.bureau.on_unavailable).toBe('ignore');
    // The next decision uses it: the thin file without a national ID is now approved a starter limit.
    const decided = await apply(await newCustomer(bank));
    expect(decided).toMatchObject({ status: 'approved', policy_version: 'sandbox-consumer@2' });
    const events = await admin.get<{ data: { action: string; after: Record<string, unknown> }[] }>(
      '/v1/audit-events?limit=100',
    );
    expect(events.body.data.map((e) => e.action)).toEqual(
      expect.arrayContaining(['approval.requested', 'approval.approved', 'risk.policy_changed']),
    );
  });

  it('when an admin lists and compares the models, then the champion and the challenger answer with governance numbers', async () => {
    const list = RiskModelList.parse((await admin.get('/v1/risk/models')).body);
    expect(list.data.map((m) => [m.version, m.role])).toEqual([
      ['behavioural@1.0.0', 'champion'],
      [WOE, 'challenger'],
    ]);
    const champion = list.data[0]!;
    expect(champion.training?.rows).toBe(20000);
    expect(champion.governance.recent_applicants).toBeGreaterThan(0);
    expect(champion.governance.psi).toMatch(/^\d+\.\d{4}$/);
    const compared = RiskModelComparison.parse(
      (await admin.get(`/v1/risk/models/compare?versions=behavioural@1.0.0,${WOE}`)).body,
    );
    expect(compared.models.map((m) => m.version)).toEqual(['behavioural@1.0.0', WOE]);
    expect(compared.agreement).toMatch(/^[01]\.\d{4}$/);
    expect((await admin.get('/v1/risk/models/compare?versions=nope@1')).status).toBe(422);
    expect((await banker.get('/v1/risk/models')).status).toBe(403);
  });

  it('when a challenger is activated and a second admin approves, then it is champion, its numbers are stored, and decisions use it', async () => {
    expect(
      (await banker.post(`/v1/risk/models/${encodeURIComponent(WOE)}/activate`, { reason: 'banker' })).status,
    ).toBe(403);
    expect((await admin.post('/v1/risk/models/nope@1/activate', { reason: 'no such model' })).status).toBe(
      404,
    );
    expect(
      (await admin.post('/v1/risk/models/behavioural@1.0.0/activate', { reason: 'already' })).status,
    ).toBe(409);
    const asked = await admin.post(`/v1/risk/models/${encodeURIComponent(WOE)}/activate`, {
      reason: 'better calibrated on our book',
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    const approval = Approval.parse(asked.body);
    expect(approval.kind).toBe('model_activation');
    expect((await admin.post(`/v1/approvals/${approval.id}/approve`, { reason: 'mine' })).status).toBe(403);
    expect((await admin2.post(`/v1/approvals/${approval.id}/approve`, { reason: 'agreed' })).status).toBe(
      200,
    );
    const list = RiskModelList.parse((await admin.get('/v1/risk/models')).body);
    expect(list.data.find((m) => m.version === WOE)).toMatchObject({ role: 'champion' });
    const stored = await bank.db.prisma.riskModelActivation.findFirstOrThrow();
    expect(stored).toMatchObject({ modelVersion: WOE, previousVersion: 'behavioural@1.0.0' });
    const activation = RiskModelActivation.shape.governance.parse(JSON.parse(stored.governance));
    expect(activation.recent_applicants).toBeGreaterThan(0);
    expect((await apply(await newCustomer(bank))).model_version).toBe(WOE);
  });

  it('when loans mature good and bad, then governance reports AUC, KS, PSI and calibration on them', async () => {
    const good = await newCustomer(bank);
    const bad = await newCustomer(bank);
    await fund(admin, good.walletId, '2000.00');
    const loans: string[] = [];
    for (const customer of [good, bad]) {
      const app = await apply(customer);
      expect(app.status).toBe('approved');
      const loan = await customer.http.post<{ id: string }>(`/v1/loan-applications/${app.id}/accept`, {});
      loans.push(loan.body.id);
    }
    const payoff = await good.http.get<{ total: { amount: string } }>(`/v1/loans/${loans[0]}/payoff`);
    const paid = await good.http.post(`/v1/loans/${loans[0]}/repayments`, {
      amount: { amount: payoff.body.total.amount, currency: 'KES' },
      from_account_id: good.walletId,
    });
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    const written = await admin.post(`/v1/loans/${loans[1]}/write-off`, { reason: 'fraud confirmed' });
    expect(written.status, JSON.stringify(written.body)).toBe(200);
    const res = await admin.get('/v1/risk/governance');
    expect(res.status).toBe(200);
    const g = RiskGovernance.parse(res.body);
    expect(g).toMatchObject({ model_version: WOE, role: 'champion', matured_loans: 2, bad_loans: 1 });
    expect(g.auc).toMatch(/^[01]\.\d{4}$/);
    expect(g.ks).toMatch(/^[01]\.\d{4}$/);
    expect(g.calibration.reduce((n, b) => n + b.loans, 0)).toBe(2);
    const previous = RiskGovernance.parse(
      (await admin.get('/v1/risk/governance?version=behavioural@1.0.0')).body,
    );
    expect(previous).toMatchObject({ role: 'challenger', matured_loans: 2 });
    expect((await admin.get('/v1/risk/governance?version=nope@1')).status).toBe(404);
    expect((await admin.get('/v1/risk/governance?currency=kes')).status).toBe(422);
  });

  it('when customers, partners or widget sessions call risk ops, then the routes are not there (404)', async () => {
    const customer = await newCustomer(bank);
    for (const [method, path] of [
      ['GET', '/v1/risk/models'],
      ['GET', '/v1/risk/policy'],
      ['GET', '/v1/risk/governance'],
      ['POST', '/v1/risk/policy/dry-run'],
      ['PUT', '/v1/risk/policy'],
      ['POST', `/v1/risk/models/${WOE}/activate`],
    ] as const) {
      const res = await customer.http.request(method, path, { body: method === 'GET' ? undefined : {} });
      expect(res.status, path).toBe(404);
    }
  });
});

describe.each(testDialects())('risk ops without maker-checker on %s', (dialect) => {
  let bank: TestBank;

  beforeAll(async () => {
    bank = await startTestBank(dialect, { WEKEZA_APPROVAL_ACTIONS: 'loan_override' });
  });
  afterAll(async () => {
    await bank?.stop();
  });

  it('when policy changes and activation are not in the approval list, then they apply at once (audited)', async () => {
    const admin = await login(bank, 'admin@sandbox.test');
    const actions = await admin.get<{ data: { kind: string; requires_approval: boolean }[] }>(
      '/v1/approval-actions',
    );
    expect(Object.fromEntries(actions.body.data.map((a) => [a.kind, a.requires_approval]))).toEqual({
      loan_override: true,
      risk_policy_change: false,
      model_activation: false,
    });
    const { rules } = RiskPolicy.parse((await admin.get('/v1/risk/policy')).body);
    const stricter = { ...rules, cutoffs: { approve_min_score: 600, refer_min_score: 500 } };
    const changed = await admin.request('PUT', '/v1/risk/policy', {
      body: { rules: stricter, reason: 'tighten after NPL rise' },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(RiskPolicy.parse(changed.body)).toMatchObject({
      policy_version: 'sandbox-consumer@2',
      rules: { cutoffs: { approve_min_score: 600 } },
      approved_by: null,
    });
    const activated = await admin.post(`/v1/risk/models/${WOE}/activate`, { reason: 'try the challenger' });
    expect(activated.status, JSON.stringify(activated.body)).toBe(200);
    expect(RiskModelActivation.parse(activated.body)).toMatchObject({
      version: WOE,
      previous_version: 'behavioural@1.0.0',
      approved_by: null,
    });
  });
});
