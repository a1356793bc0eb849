/**
 * The SDK's staff resources (`@wekeza/sdk/staff` and the client) against the real reference bank:
 * customer search and the Customer 360, the maker-checker actions, Risk Ops (policy with a dry run
 * and a second admin, models, governance), with typed errors for the roles that may not.
 */
import {
  SANDBOX_PASSWORD,
  startTestBank,
  type TestBank,
  testDialects,
} from '@wekeza/reference-server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Money, NotFoundError, PermissionDeniedError, ValidationError, Wekeza } from '../src/index.ts';
import { staff } from '../src/staff/index.ts';

let signups = 0;

describe.each(testDialects())('staff through the SDK on %s', (dialect) => {
  let bank: TestBank;
  let admin: Wekeza;
  let admin2: Wekeza;
  let banker: Wekeza;
  let customer: Wekeza;
  let customerId: string;
  let walletId: string;

  beforeAll(async () => {
    bank = await startTestBank(dialect);
    const signIn = (email: string) =>
      new Wekeza({ baseUrl: bank.url, auth: { username: email, password: SANDBOX_PASSWORD } });
    admin = signIn('admin@sandbox.test');
    admin2 = signIn('admin2@sandbox.test');
    banker = signIn('banker@sandbox.test');
    signups += 1;
    const n = `${Date.now() % 1_000_000}${signups}`.padStart(8, '0');
    const email = `sdk-staff-${dialect}-${n}@example.test`;
    const created = await new Wekeza({ baseUrl: bank.url }).signup({
      phone: `+2547${n.slice(-8)}`,
      email,
      password: 'long-password-1',
      fullName: 'Wanjiru Staffread',
    });
    customerId = created.id;
    walletId = created.walletAccountId as string;
    customer = new Wekeza({ baseUrl: bank.url, auth: { username: email, password: 'long-password-1' } });
    await admin.sandbox.deposits.create({ accountId: walletId, amount: Money.of(100_000n, 'KES') });
    // A thin file without a national ID: referred.
    await customer.loanApplications.create({
      productId: 'lprod_sandbox_digital',
      amount: Money.of(100_000n, 'KES'),
      termMonths: 1,
    });
  }, 120_000);
  afterAll(async () => {
    await bank?.stop();
  });

  it('when a banker searches and opens a customer, then the 360 arrives typed, money as Money', async () => {
    const found = [];
    for await (const c of staff(banker).customers.list({ query: 'staffread' })) found.push(c);
    expect(found.map((c) => c.id)).toEqual([customerId]);
    const view = await staff(banker).customers.retrieve(customerId);
    expect(view.customer.fullName).toBe('Wanjiru Staffread');
    expect(view.accounts.find((a) => a.id === walletId)?.balance.ledger.toString()).toBe('KES 1000.00');
    expect(view.creditDecisions[0]).toMatchObject({ decision: 'referred', kind: 'application' });
    expect(view.creditDecisions[0]?.limit).toBeInstanceOf(Money);
    await expect(staff(customer).customers.retrieve(customerId)).rejects.toBeInstanceOf(NotFoundError);
    await staff(banker).customers.updateKyc(customerId, { tier: 1, evidence: 'national ID card seen' });
    expect((await staff(banker).customers.retrieve(customerId)).kyc.history[0]).toMatchObject({
      fromTier: 0,
      toTier: 1,
      evidence: 'national ID card seen',
    });
  });

  it('when staff ask for the approval actions, then the configured list answers', async () => {
    const actions = await staff(banker).approvalActions.list();
    expect(actions.map((a) => [a.kind, a.requiresApproval])).toEqual([
      ['loan_override', true],
      ['risk_policy_change', true],
      ['model_activation', true],
    ]);
    expect(actions[0]?.thresholds?.[0]).toBeInstanceOf(Money);
  });

  it('when an admin dry-runs and changes the policy, then a second admin approves it and it is in force', async () => {
    const policy = await staff(admin).risk.policy.retrieve();
    expect(policy.policyVersion).toBe('sandbox-consumer@1.0.0');
    const looser = { ...policy.rules, bureau: { ...policy.rules.bureau, onUnavailable: 'ignore' as const } };
    const run = await staff(admin).risk.policy.dryRun({ rules: looser, lastN: 50 });
    expect(run.newlyApproved).toBe(1);
    expect(run.summary).toContain('1 more');
    await expect(
      staff(banker).risk.policy.update({ rules: looser, reason: 'not a banker job' }),
    ).rejects.toBeInstanceOf(PermissionDeniedError);
    await expect(
      staff(admin).risk.policy.update({
        rules: { ...looser, cutoffs: { approveMinScore: 100, referMinScore: 200 } },
        reason: 'inverted',
      }),
    ).rejects.toBeInstanceOf(ValidationError);
    const asked = await staff(admin).risk.policy.update({
      rules: looser,
      reason: 'starters during bureau outages',
    });
    if (!('approval' in asked)) throw new Error('expected an approval');
    await expect(admin.approvals.approve(asked.approval.id, { reason: 'mine' })).rejects.toBeInstanceOf(
      PermissionDeniedError,
    );
    await admin2.approvals.approve(asked.approval.id, { reason: 'agreed' });
    const now = await staff(admin).risk.policy.retrieve();
    expect(now.policyVersion).toBe('sandbox-consumer@2');
    expect(now.rules.bureau.onUnavailable).toBe('ignore');
    // The grade keys survive the round trip (no camel/snake casing of "A").
    expect(now.rules.limits.gradeMultiples.map((g) => g.grade)).toEqual(['A', 'B', 'C', 'D', 'E']);
  });

  it('when an admin lists, compares and activates models, then governance numbers come with them', async () => {
    const { data } = await staff(admin).risk.models.list();
    expect(data.map((m) => m.role)).toEqual(['champion', 'challenger']);
    const challenger = data[1]!.version;
    const compared = await staff(admin).risk.models.compare({ versions: data.map((m) => m.version) });
    expect(compared.models).toHaveLength(2);
    const asked = await staff(admin).risk.models.activate(challenger, { reason: 'better on our book' });
    if (!('approval' in asked)) throw new Error('expected an approval');
    await admin2.approvals.approve(asked.approval.id, { reason: 'agreed' });
    const governance = await staff(admin).risk.governance();
    expect(governance).toMatchObject({ modelVersion: challenger, role: 'champion', currency: 'KES' });
    expect(governance.recentApplicants).toBeGreaterThan(0);
    await expect(staff(admin).risk.models.activate(challenger, { reason: 'again' })).rejects.toMatchObject({
      status: 409,
    });
  });
});
