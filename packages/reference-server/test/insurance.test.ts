/**
 * Insure end to end (issue 16, "Proof"), on SQLite and MariaDB: products (seeded, created, refused);
 * life cover bought from the wallet (idempotent), the clock advanced across three months with an
 * empty wallet in the second → in grace → lapsed → reinstated; a sweep run twice changes nothing;
 * a pro-rata cancellation; a loan with credit life and a death claim that settles it; a life claim
 * paid to a beneficiary's wallet; the month-end remittance with its bordereau; and the books balance.
 */
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonthsClamped, daysBetween } from '../src/bank-calendar.ts';
import { sqlTransaction } from '../src/db/transaction.ts';
import { proRataRefund } from '../src/modules/insurance/premium.ts';
import { reconcile } from '../src/modules/ledger/reconcile.ts';
import { startTestBank, type TestBank, TestClock, testDialects } from '../src/testing/index.ts';
import { fund, Http, login, newCustomer } from './support/http.ts';

type Money = { amount: string; currency: string };
type Policy = {
  id: string;
  status: string;
  premium: Money;
  sum_insured: Money;
  next_premium_due: string | null;
  next_premium: Money | null;
  grace_until: string | null;
  arrears: Money;
  reinstate_until: string | null;
  lapsed_on: string | null;
  loan_id: string | null;
  refund?: Money;
};
type Claim = { id: string; status: string; amount: Money | null; payouts: { to: string; amount: Money }[] };
const kes = (amount: string): Money => ({ amount, currency: 'KES' });
const cents = (m: Money) => BigInt(m.amount.replace('.', ''));

describe.each(testDialects())('Insure on %s', (dialect) => {
  let bank: TestBank;
  let admin: Http;
  let banker: Http;
  let banker2: Http;
  let life: { http: Http; id: string; walletId: string; phone: string };
  let lifePolicy: Policy;

  const today = () => bank.services.bankClock.today();
  /** Advances the clock until the close of `date` has run. */
  const closeThrough = async (date: string) => {
    const days = daysBetween(today(), date) + 1;
    if (days <= 0) return;
    const res = await admin.post('/v1/sandbox/clock/advance', { days });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const balance = async (accountId: string) =>
    (await bank.db.prisma.account.findUniqueOrThrow({ where: { id: accountId } })).balanceMinor;
  const gl = (code: string) => balance(`acc_bank_${code}_kes`);
  const policy = async (c: { http: Http }, id: string) =>
    (await c.http.get<Policy>(`/v1/policies/${id}`)).body;
  const booksBalance = async () => {
    const report = await reconcile(bank.db.prisma);
    expect(
      report.ok,
      JSON.stringify(report, (_k, v) => (typeof v === 'bigint' ? String(v) : v)),
    ).toBe(true);
  };

  beforeAll(async () => {
    // 2 June 2025, 10:00 in Nairobi: the month ends crossed are known.
    const clock = new TestClock();
    clock.offsetMs = Date.parse('2025-06-02T07:00:00Z') - Date.now();
    bank = await startTestBank(dialect, {}, { clock });
    admin = await login(bank, 'admin@sandbox.test');
    banker = await login(bank, 'banker@sandbox.test');
    banker2 = await login(bank, 'banker2@sandbox.test');
    const email = `life${randomUUID().slice(0, 8)}@example.test`;
    const phone = `+2547${String(Date.now()).slice(-8)}`;
    const signup = await new Http(bank.url).post<{
      id: string;
      wallet_account_id: string;
      date_of_birth: string;
    }>(
      '/v1/signup',
      {
        phone,
        email,
        password: 'correct horse battery',
        full_name: 'Wanjiru Life',
        national_id: `L${Date.now() % 10_000_000}1`,
        date_of_birth: '1985-03-14',
      },
      { key: false },
    );
    expect(signup.status, JSON.stringify(signup.body)).toBe(201);
    expect(signup.body.date_of_birth).toBe('1985-03-14');
    life = {
      http: await login(bank, email, 'correct horse battery'),
      id: signup.body.id,
      walletId: signup.body.wallet_account_id,
      phone,
    };
  }, 60_000);
  afterAll(async () => {
    await bank?.stop();
  });

  it('when anyone lists insurance products, then the three sandbox covers are offered; an admin creates one (audited) and a bad one is refused field by field', async () => {
    const list = await life.http.get<{ data: { id: string; cover_type: string }[] }>(
      '/v1/insurance-products',
    );
    expect(list.status).toBe(200);
    expect(list.body.data.map((p) => [p.id, p.cover_type])).toEqual(
      expect.arrayContaining([
        ['iprod_sandbox_life', 'life'],
        ['iprod_sandbox_phone', 'asset'],
        ['iprod_sandbox_credit_life', 'credit_life'],
      ]),
    );
    const created = await admin.post<{ id: string; premium_rate: string }>('/v1/insurance-products', {
      name: 'Bima ya Familia',
      cover_type: 'life',
      underwriter: 'Test Life',
      currency: 'KES',
      premium_rate: '0.002',
      frequency: 'monthly',
      grace_days: 10,
      reinstatement_days: 30,
      commission_rate: '0.1',
      refund_rule: 'none',
      min_sum_insured: kes('10000.00'),
      max_sum_insured: kes('500000.00'),
      min_age: 18,
      max_age: 60,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.premium_rate).toBe('0.002');
    const audit = await bank.db.prisma.auditEvent.findFirst({
      where: { action: 'insurance_product.created', subjectId: created.body.id },
    });
    expect(audit?.actorRole).toBe('admin');

    const bad = await admin.post<{ errors: { path: string }[] }>('/v1/insurance-products', {
      name: 'Broken',
      cover_type: 'asset',
      underwriter: 'X',
      currency: 'KES',
      premium: kes('100.00'),
      premium_rate: '0.01',
      frequency: 'single',
      grace_days: 0,
      reinstatement_days: 0,
      commission_rate: '1.5',
      refund_rule: 'pro_rata',
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e) => e.path).sort()).toEqual(
      expect.arrayContaining(['body.commission_rate', 'body.premium', 'body.term_months']),
    );
    expect((await life.http.post('/v1/insurance-products', {})).status).toBe(403);
    expect((await banker.post('/v1/insurance-products', {})).status).toBe(403);
  });

  it('when a customer outside the age band or the KYC tier asks for age-banded cover, then it is refused and nothing moves', async () => {
    const noDob = await newCustomer(bank, { nationalId: `N${Date.now() % 10_000_000}1` });
    await fund(admin, noDob.walletId, '1000.00');
    const refused = await noDob.http.post<{ code: string; errors: { message: string }[] }>('/v1/policies', {
      product_id: 'iprod_sandbox_life',
      funding_account_id: noDob.walletId,
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0]?.message).toMatch(/date of birth/);
    expect(await balance(noDob.walletId)).toBe(100_000n);
    // Credit life is sold with a loan only.
    const credit = await noDob.http.post('/v1/policies', {
      product_id: 'iprod_sandbox_credit_life',
      funding_account_id: noDob.walletId,
    });
    expect(credit.status).toBe(422);
  });

  it('when policy and claim input is bad, then 422 names the field and nothing moves', async () => {
    const c = await newCustomer(bank);
    await fund(admin, c.walletId, '1000.00');
    const policies = await bank.db.prisma.policy.count();
    const cases: [Record<string, unknown>, string][] = [
      [
        { product_id: 'iprod_sandbox_phone', funding_account_id: c.walletId, sum_insured: kes('10.001') },
        'body.sum_insured.amount',
      ],
      [
        { product_id: 'iprod_sandbox_phone', funding_account_id: c.walletId, sum_insured: kes('100.00') },
        'body.sum_insured',
      ],
      [
        { product_id: 'iprod_sandbox_phone', funding_account_id: c.walletId, sum_insured: kes('900000.00') },
        'body.sum_insured',
      ],
      [{ product_id: 'iprod_sandbox_phone', funding_account_id: c.walletId }, 'body.sum_insured'],
      [
        {
          product_id: 'iprod_sandbox_phone',
          funding_account_id: c.walletId,
          sum_insured: { amount: 5000, currency: 'KES' },
        },
        'body.sum_insured.amount',
      ],
      [{ product_id: 'nope', funding_account_id: c.walletId }, 'body.product_id'],
      [
        {
          product_id: 'iprod_sandbox_life',
          funding_account_id: c.walletId,
          beneficiaries: [
            { name: 'A', phone: '+254711000111', relationship: 'x', share: '0.5' },
            { name: 'B', phone: '+254711000112', relationship: 'y', share: '0.4' },
          ],
        },
        'body.beneficiaries',
      ],
      [
        {
          product_id: 'iprod_sandbox_phone',
          funding_account_id: c.walletId,
          sum_insured: kes('5000.00'),
          beneficiaries: [{ name: 'A', phone: '+254711000111', relationship: 'x', share: '1' }],
        },
        'body.beneficiaries',
      ],
      [
        {
          product_id: 'iprod_sandbox_phone',
          funding_account_id: c.walletId,
          sum_insured: kes('5000.00'),
          extra: 1,
        },
        'body',
      ],
    ];
    for (const [body, path] of cases) {
      const res = await c.http.post<{ code: string; errors?: { path: string }[] }>('/v1/policies', body);
      expect(res.status, JSON.stringify(body)).toBe(res.body.code === 'not_found' ? 404 : 422);
      if (res.status === 422)
        expect(res.body.errors?.map((e) => e.path).join(' '), JSON.stringify(body)).toContain(path);
    }
    // A foreign account is not found; no key is refused; too little money is insufficient_funds.
    const other = await newCustomer(bank);
    const foreign = await c.http.post('/v1/policies', {
      product_id: 'iprod_sandbox_phone',
      funding_account_id: other.walletId,
      sum_insured: kes('5000.00'),
    });
    expect(foreign.status).toBe(404);
    const noKey = await c.http.post('/v1/policies', { product_id: 'iprod_sandbox_phone' }, { key: false });
    expect(noKey.status).toBe(422);
    const poor = await c.http.post<{ code: string }>('/v1/policies', {
      product_id: 'iprod_sandbox_phone',
      funding_account_id: c.walletId,
      sum_insured: kes('200000.00'),
    });
    expect(poor.body.code).toBe('insufficient_funds');
    expect(await bank.db.prisma.policy.count()).toBe(policies);
    expect(await balance(c.walletId)).toBe(100_000n);
    const badClaim = await c.http.post<{ errors: { path: string }[] }>('/v1/claims', {
      policy_id: 'pol_NOPE',
      description: '',
      attachments: [{ file_name: 'x', content_type: 'not a type', size_bytes: -1 }],
    });
    expect(badClaim.status).toBe(422);
    expect(badClaim.body.errors.map((e) => e.path)).toEqual(
      expect.arrayContaining([
        'body.description',
        'body.attachments.0.content_type',
        'body.attachments.0.size_bytes',
      ]),
    );
  });

  it('when a customer buys life cover, then the first premium moves from the wallet to premiums payable at once, exactly once per key', async () => {
    await fund(admin, life.walletId, '500.00');
    const payableBefore = await gl('insurance_premiums_payable');
    const quote = await life.http.post<{ premium: Money; next_premium_due: string }>('/v1/policy-quotes', {
      product_id: 'iprod_sandbox_life',
    });
    expect(quote.status).toBe(200);
    expect(quote.body.premium).toEqual(kes('250.00'));
    const key = randomUUID();
    const body = {
      product_id: 'iprod_sandbox_life',
      funding_account_id: life.walletId,
      beneficiaries: [{ name: 'Otieno', phone: '+254711000111', relationship: 'spouse', share: '1' }],
    };
    const bought = await life.http.post<Policy>('/v1/policies', body, { key });
    expect(bought.status, JSON.stringify(bought.body)).toBe(201);
    lifePolicy = bought.body;
    expect(lifePolicy).toMatchObject({
      status: 'active',
      premium: kes('250.00'),
      sum_insured: kes('250000.00'),
      next_premium_due: addMonthsClamped(today(), 1),
    });
    const replay = await life.http.post<Policy>('/v1/policies', body, { key });
    expect(replay.body.id).toBe(lifePolicy.id);
    expect(await balance(life.walletId)).toBe(25_000n);
    expect(await gl('insurance_premiums_payable')).toBe(payableBefore + 25_000n);
    const events = await bank.db.prisma.event.findMany({ where: { customerId: life.id } });
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['policy.activated', 'policy.premium_collected']),
    );
    // Another customer cannot see it.
    const other = await newCustomer(bank);
    expect((await other.http.get(`/v1/policies/${lifePolicy.id}`)).status).toBe(404);
    expect((await other.http.post(`/v1/policies/${lifePolicy.id}/cancel`, {})).status).toBe(404);
    await booksBalance();
  });

  it('when the wallet is empty in the second month, then the policy goes in grace, lapses exactly when grace runs out, and is reinstated by paying the arrears', async () => {
    const due1 = lifePolicy.next_premium_due as string;
    await closeThrough(due1);
    let p = await policy(life, lifePolicy.id);
    expect(p.status).toBe('active');
    expect(await balance(life.walletId)).toBe(0n); // month 1 collected: the wallet is now empty
    const due2 = p.next_premium_due as string;
    expect(due2).toBe(addMonthsClamped(lifePolicy.next_premium_due as string, 1));

    await closeThrough(due2);
    p = await policy(life, lifePolicy.id);
    expect(p.status).toBe('in_grace');
    expect(p.grace_until).toBe(addDays(due2, 15));
    expect(p.arrears).toEqual(kes('250.00'));
    expect(await balance(life.walletId)).toBe(0n); // never an overdraft, never a partial premium

    // A sweep run again for a day already swept changes nothing.
    const postingsBefore = await bank.db.prisma.posting.count();
    await sqlTransaction(bank.db, (tx) => bank.services.insurance.policies.sweep(tx, lifePolicy.id, due2));
    expect(await bank.db.prisma.posting.count()).toBe(postingsBefore);
    expect((await policy(life, lifePolicy.id)).status).toBe('in_grace');

    await closeThrough(addDays(due2, 14));
    expect((await policy(life, lifePolicy.id)).status).toBe('in_grace');
    await closeThrough(addDays(due2, 15));
    p = await policy(life, lifePolicy.id);
    expect(p.status).toBe('lapsed');
    expect(p.lapsed_on).toBe(addDays(due2, 15));
    expect(p.reinstate_until).toBe(addDays(due2, 75));
    const lapsed = await bank.db.prisma.event.findFirst({
      where: { type: 'policy.lapsed', customerId: life.id },
    });
    expect(JSON.parse(lapsed?.data ?? '{}')).toMatchObject({
      policy_id: lifePolicy.id,
      lapsed_on: addDays(due2, 15),
    });
    // A lapsed policy is not swept.
    await closeThrough(addDays(due2, 16));
    expect((await policy(life, lifePolicy.id)).status).toBe('lapsed');

    // Reinstating without the money is refused whole; with it, the arrears are paid and cover resumes.
    const poor = await life.http.post<{ code: string }>(`/v1/policies/${lifePolicy.id}/reinstate`, {});
    expect(poor.status).toBe(422);
    expect(poor.body.code).toBe('insufficient_funds');
    await fund(admin, life.walletId, '1000.00');
    const back = await life.http.post<Policy>(`/v1/policies/${lifePolicy.id}/reinstate`, {});
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(back.body).toMatchObject({ status: 'active', next_premium_due: addMonthsClamped(due2, 1) });
    expect(await balance(life.walletId)).toBe(75_000n);

    // The third month is collected on its due date.
    await closeThrough(back.body.next_premium_due as string);
    expect(await balance(life.walletId)).toBe(50_000n);
    expect((await policy(life, lifePolicy.id)).status).toBe('active');
    const premiums = await bank.db.prisma.policyPremium.findMany({ where: { policyId: lifePolicy.id } });
    // The start, month 1, month 2 (paid at reinstatement) and month 3: one row per due date.
    expect(premiums.map((r) => r.dueDate).sort()).toEqual([
      addMonthsClamped(due1, -1),
      due1,
      due2,
      addMonthsClamped(due2, 1),
    ]);
    await booksBalance();
  });

  it('when phone cover paid once for a year is cancelled, then the unused days are refunded pro rata', async () => {
    const phone = await newCustomer(bank);
    await fund(admin, phone.walletId, '10000.00');
    const bought = await phone.http.post<Policy>('/v1/policies', {
      product_id: 'iprod_sandbox_phone',
      funding_account_id: phone.walletId,
      sum_insured: kes('50000.00'),
    });
    expect(bought.status, JSON.stringify(bought.body)).toBe(201);
    expect(bought.body.premium).toEqual(kes('3600.00')); // 12 × 0.6 % × 50,000
    expect(bought.body.next_premium_due).toBeNull();
    const start = today();
    const end = addMonthsClamped(start, 12);
    await closeThrough(addDays(start, 29)); // 30 days used
    const cancelled = await phone.http.post<Policy>(`/v1/policies/${bought.body.id}/cancel`, {});
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    const total = daysBetween(start, end);
    const expected = proRataRefund(360_000n, start, end, addDays(start, 30));
    // 3,600 × unused days / days of the year, to the cent.
    expect(Number(expected)).toBeCloseTo((360_000 * (total - 30)) / total, -1);
    expect(cents(cancelled.body.refund as Money)).toBe(expected);
    expect(cancelled.body.status).toBe('cancelled');
    expect(await balance(phone.walletId)).toBe(1_000_000n - 360_000n + expected);
    expect((await phone.http.post(`/v1/policies/${bought.body.id}/cancel`, {})).status).toBe(409);
    await booksBalance();
  });

  it('when a loan is accepted with credit life and the borrower dies, then the claim settles the loan against the claims receivable', async () => {
    const borrower = await newCustomer(bank, { nationalId: `3${Date.now() % 1_000_000}113` });
    const quote = await borrower.http.post<{
      credit_life: { premium: Money; mandatory: boolean; collected: string };
    }>('/v1/loan-quotes', { product_id: 'lprod_sandbox_digital', amount: kes('1000.00'), term_months: 3 });
    expect(quote.status).toBe(200);
    expect(quote.body.credit_life).toMatchObject({ mandatory: false, collected: 'at_disbursement' });
    let applied = await borrower.http.post<{ id: string; status: string }>('/v1/loan-applications', {
      product_id: 'lprod_sandbox_digital',
      amount: kes('1000.00'),
      term_months: 3,
    });
    expect(applied.status, JSON.stringify(applied.body)).toBe(201);
    if (applied.body.status !== 'approved') {
      const override = await banker.post<{ id: string; status: string }>(
        `/v1/loan-applications/${applied.body.id}/override`,
        { decision: 'approve', reason: 'credit-life test' },
      );
      expect(override.status, JSON.stringify(override.body)).toBe(200);
      applied = override;
    }
    const walletBefore = await balance(borrower.walletId);
    const accepted = await borrower.http.post<{ id: string; principal: Money; status: string }>(
      `/v1/loan-applications/${applied.body.id}/accept`,
      { credit_life: true },
    );
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    const premium = cents(quote.body.credit_life.premium);
    expect(premium).toBeGreaterThan(0n);
    // 1,000 less the 3 % processing fee, less the credit-life premium.
    expect(await balance(borrower.walletId)).toBe(walletBefore + 97_000n - premium);
    const policies = await borrower.http.get<{ data: Policy[] }>('/v1/policies');
    const cover = policies.body.data.find((p) => p.loan_id === accepted.body.id) as Policy;
    expect(cover).toMatchObject({ status: 'active', premium: quote.body.credit_life.premium });

    await closeThrough(addDays(today(), 10));
    const filed = await borrower.http.post<Claim>('/v1/claims', {
      policy_id: cover.id,
      description: 'The borrower died on 10 July; death certificate attached.',
      attachments: [
        { file_name: 'death-certificate.pdf', content_type: 'application/pdf', size_bytes: 120_000 },
      ],
    });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    expect(filed.body.status).toBe('submitted');
    // Customers do not decide claims; bankers review first.
    expect((await borrower.http.post(`/v1/claims/${filed.body.id}/decision`, {})).status).toBe(403);
    expect(
      (await banker.post(`/v1/claims/${filed.body.id}/decision`, { decision: 'approve', reason: 'x' }))
        .status,
    ).toBe(409);
    expect((await banker.post<Claim>(`/v1/claims/${filed.body.id}/review`, {})).body.status).toBe(
      'under_review',
    );
    const decided = await banker.post<Claim>(`/v1/claims/${filed.body.id}/decision`, {
      decision: 'approve',
      reason: 'Death certificate verified with the registry',
    });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    expect(decided.body.status).toBe('approved');
    const receivableBefore = await gl('insurance_claims_receivable');
    const paid = await banker2.post<Claim>(`/v1/claims/${filed.body.id}/pay`, {});
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    expect(paid.body.status).toBe('paid');
    expect(paid.body.payouts[0]?.to).toBe('loan');
    const loan = await borrower.http.get<{ status: string; outstanding: { total: Money } }>(
      `/v1/loans/${accepted.body.id}`,
    );
    expect(loan.body.status).toBe('closed');
    expect(await gl('insurance_claims_receivable')).toBe(receivableBefore + cents(paid.body.amount as Money));
    expect((await policy(borrower, cover.id)).status).toBe('expired');
    const decidedEvent = await bank.db.prisma.event.findFirst({
      where: { type: 'claim.decided', customerId: borrower.id },
    });
    expect(decidedEvent).not.toBeNull();
    const audits = await bank.db.prisma.auditEvent.findMany({ where: { subjectId: filed.body.id } });
    expect(audits.map((a) => a.action)).toEqual(
      expect.arrayContaining(['claim.submitted', 'claim.under_review', 'claim.approved', 'claim.paid']),
    );
    await booksBalance();
  });

  it('when a loan product makes credit life mandatory, then accepting without it is refused and nothing is disbursed', async () => {
    const loanProduct = await admin.post<{ id: string }>('/v1/loan-products', {
      name: 'Mandatory cover loan',
      currency: 'KES',
      interest_method: 'flat',
      annual_rate: '0.2',
      min_amount: kes('500.00'),
      max_amount: kes('50000.00'),
      min_term_months: 1,
      max_term_months: 6,
      processing_fee_rate: '0.01',
      penalty_rate: '0.05',
      grace_days: 3,
      write_off_days: 180,
    });
    expect(loanProduct.status, JSON.stringify(loanProduct.body)).toBe(201);
    const cover = await admin.post<{ id: string }>('/v1/insurance-products', {
      name: 'Mandatory credit life',
      cover_type: 'credit_life',
      underwriter: 'Jubilee Life (sandbox)',
      currency: 'KES',
      premium_rate: '0.002',
      frequency: 'single',
      grace_days: 0,
      reinstatement_days: 0,
      commission_rate: '0.1',
      refund_rule: 'none',
      loan_products: [{ loan_product_id: loanProduct.body.id, mandatory: true }],
    });
    expect(cover.status, JSON.stringify(cover.body)).toBe(201);
    const borrower = await newCustomer(bank, { nationalId: `3${Date.now() % 1_000_000}124` });
    let applied = await borrower.http.post<{ id: string; status: string }>('/v1/loan-applications', {
      product_id: loanProduct.body.id,
      amount: kes('800.00'),
      term_months: 2,
    });
    if (applied.body.status !== 'approved')
      applied = await banker.post(`/v1/loan-applications/${applied.body.id}/override`, {
        decision: 'approve',
        reason: 'mandatory cover test',
      });
    expect(applied.body.status).toBe('approved');
    const refused = await borrower.http.post<{ errors: { path: string }[] }>(
      `/v1/loan-applications/${applied.body.id}/accept`,
      { credit_life: false },
    );
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0]?.path).toBe('body.credit_life');
    expect(await bank.db.prisma.loan.count({ where: { customerId: borrower.id } })).toBe(0);
    const accepted = await borrower.http.post<{ id: string }>(
      `/v1/loan-applications/${applied.body.id}/accept`,
      {},
    );
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    expect(await bank.db.prisma.policy.count({ where: { loanId: accepted.body.id } })).toBe(1);
  });

  it('when credit life is paid monthly, then each premium is the rate on the principal then outstanding, swept from the wallet', async () => {
    const loanProduct = await admin.post<{ id: string }>('/v1/loan-products', {
      name: 'Monthly cover loan',
      currency: 'KES',
      interest_method: 'flat',
      annual_rate: '0.12',
      min_amount: kes('500.00'),
      max_amount: kes('50000.00'),
      min_term_months: 1,
      max_term_months: 6,
      processing_fee_rate: '0',
      penalty_rate: '0.05',
      grace_days: 3,
      write_off_days: 180,
    });
    expect(loanProduct.status, JSON.stringify(loanProduct.body)).toBe(201);
    const cover = await admin.post<{ id: string }>('/v1/insurance-products', {
      name: 'Monthly credit life',
      cover_type: 'credit_life',
      underwriter: 'Jubilee Life (sandbox)',
      currency: 'KES',
      premium_rate: '0.003',
      frequency: 'monthly',
      grace_days: 5,
      reinstatement_days: 0,
      commission_rate: '0.1',
      refund_rule: 'none',
      loan_products: [{ loan_product_id: loanProduct.body.id, mandatory: false }],
    });
    expect(cover.status, JSON.stringify(cover.body)).toBe(201);
    const borrower = await newCustomer(bank, { nationalId: `3${Date.now() % 1_000_000}135` });
    const quote = await borrower.http.post<{ credit_life: { premium: Money; collected: string } }>(
      '/v1/loan-quotes',
      {
        product_id: loanProduct.body.id,
        amount: kes('900.00'),
        term_months: 3,
      },
    );
    expect(quote.body.credit_life).toMatchObject({ premium: kes('2.70'), collected: 'monthly' });
    let applied = await borrower.http.post<{ id: string; status: string }>('/v1/loan-applications', {
      product_id: loanProduct.body.id,
      amount: kes('900.00'),
      term_months: 3,
    });
    if (applied.body.status !== 'approved')
      applied = await banker.post(`/v1/loan-applications/${applied.body.id}/override`, {
        decision: 'approve',
        reason: 'monthly credit life test',
      });
    const accepted = await borrower.http.post<{ id: string; schedule: { due_date: string; total: Money }[] }>(
      `/v1/loan-applications/${applied.body.id}/accept`,
      { credit_life: true },
    );
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    expect(await balance(borrower.walletId)).toBe(90_000n - 270n);
    const policyRow = await bank.db.prisma.policy.findFirstOrThrow({ where: { loanId: accepted.body.id } });
    // The first instalment is repaid before the next premium falls due: that premium is on what is left.
    const first = accepted.body.schedule[0] as { due_date: string; total: Money };
    await fund(admin, borrower.walletId, '1000.00');
    const repaid = await borrower.http.post(`/v1/loans/${accepted.body.id}/repayments`, {
      amount: first.total,
      from_account_id: borrower.walletId,
    });
    expect(repaid.status, JSON.stringify(repaid.body)).toBe(201);
    const outstanding = (await bank.db.prisma.loan.findUniqueOrThrow({ where: { id: accepted.body.id } }))
      .principalOutstandingMinor;
    expect(outstanding).toBe(60_000n);
    await closeThrough(policyRow.nextDueDate as string);
    const premiums = await bank.db.prisma.policyPremium.findMany({
      where: { policyId: policyRow.id },
      orderBy: { dueDate: 'asc' },
    });
    expect(premiums.map((r) => r.amountMinor)).toEqual([270n, 180n]); // 0.3 % of 900, then of 600
    await booksBalance();
  });

  it('when a life claim is paid, then the beneficiary who is a customer is credited from the claims receivable', async () => {
    const beneficiary = await newCustomer(bank);
    const holder = await newCustomer(bank, { nationalId: `H${Date.now() % 10_000_000}1` });
    await bank.db.prisma.user.update({ where: { id: holder.id }, data: { dateOfBirth: '1970-01-01' } });
    await fund(admin, holder.walletId, '300.00');
    const bought = await holder.http.post<Policy>('/v1/policies', {
      product_id: 'iprod_sandbox_life',
      funding_account_id: holder.walletId,
      beneficiaries: [{ name: 'Akinyi', phone: beneficiary.phone, relationship: 'daughter', share: '1' }],
    });
    expect(bought.status, JSON.stringify(bought.body)).toBe(201);
    const filed = await banker.post<Claim>('/v1/claims', {
      policy_id: bought.body.id,
      description: 'Death of the insured',
    });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    await banker.post(`/v1/claims/${filed.body.id}/review`, {});
    // Cancelling while the claim is open would refund the premium and still let the claim pay.
    expect((await holder.http.post(`/v1/policies/${bought.body.id}/cancel`, {})).status).toBe(409);
    const rejectedTooMuch = await banker.post(`/v1/claims/${filed.body.id}/decision`, {
      decision: 'approve',
      reason: 'ok',
      amount: kes('999999.00'),
    });
    expect(rejectedTooMuch.status).toBe(422);
    await banker.post(`/v1/claims/${filed.body.id}/decision`, { decision: 'approve', reason: 'Verified' });
    const before = await balance(beneficiary.walletId);
    const paid = await banker.post<Claim>(`/v1/claims/${filed.body.id}/pay`, {});
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    expect(await balance(beneficiary.walletId)).toBe(before + 25_000_000n);
    // Paying twice pays once.
    expect((await banker.post(`/v1/claims/${filed.body.id}/pay`, {})).status).toBe(409);
    const mine = await holder.http.get<{ data: Claim[] }>('/v1/claims');
    expect(mine.body.data.map((c) => c.id)).toEqual([filed.body.id]);
    expect((await beneficiary.http.get(`/v1/claims/${filed.body.id}`)).status).toBe(404);
    await booksBalance();
  });

  it('when a month ends, then each underwriter is remitted its premiums less commission and claims, with a bordereau, once', async () => {
    const monthEnd = `${today().slice(0, 7)}-${String(new Date(Date.UTC(Number(today().slice(0, 4)), Number(today().slice(5, 7)), 0)).getUTCDate()).padStart(2, '0')}`;
    const unremitted = await bank.db.prisma.policyPremium.findMany({ where: { remittanceId: null } });
    await closeThrough(monthEnd);
    expect((await life.http.get('/v1/insurance/remittances')).status).toBe(403);
    const list = await admin.get<{
      data: {
        underwriter: string;
        period: string;
        premiums: Money;
        commission: Money;
        claims_offset: Money;
        net: Money;
        bordereau_csv: string;
      }[];
    }>('/v1/insurance/remittances?limit=100');
    expect(list.status).toBe(200);
    const thisMonth = list.body.data.filter((r) => r.period === monthEnd.slice(0, 7));
    expect(thisMonth.length).toBeGreaterThan(0);
    for (const r of thisMonth)
      expect(cents(r.premiums) - cents(r.commission) - cents(r.claims_offset)).toBe(cents(r.net));
    const jubilee = list.body.data.filter((r) => r.underwriter === 'Jubilee Life (sandbox)');
    expect(jubilee.some((r) => cents(r.claims_offset) > 0n)).toBe(true);
    const rows = parse(thisMonth[0]?.bordereau_csv ?? '', { columns: true }) as { type: string }[];
    expect(rows.length).toBeGreaterThan(0);
    // The control account equals its sub-ledger: premiums payable holds exactly the rows not yet remitted.
    const open = await bank.db.prisma.policyPremium.findMany({ where: { remittanceId: null } });
    expect(await gl('insurance_premiums_payable')).toBe(open.reduce((sum, r) => sum + r.amountMinor, 0n));
    expect(unremitted.length).toBeGreaterThan(0);
    expect(open.filter((r) => r.collectedOn <= monthEnd)).toEqual([]);
    // A month end closed again remits nothing twice.
    const count = await bank.db.prisma.insuranceRemittance.count();
    await bank.services.insurance.remittances.runFor(monthEnd);
    expect(await bank.db.prisma.insuranceRemittance.count()).toBe(count);
    await booksBalance();
  });
});
