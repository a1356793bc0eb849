/**
 * The SDK's Insure resources against the real reference bank (SQLite, and MySQL/MariaDB when
 * TEST_MYSQL_URL is set): products, quotes, buying cover idempotently, reading and cancelling it,
 * claims through review and decision, remittances, and the typed errors on refusals.
 */
import {
  SANDBOX_PASSWORD,
  startTestBank,
  type TestBank,
  testDialects,
} from '@wekeza/reference-server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, Money, PermissionDeniedError, ValidationError, Wekeza } from '../src/index.ts';
import { insurance } from '../src/insurance/index.ts';

const kes = (shillings: number) => Money.of(BigInt(shillings) * 100n, 'KES');

describe.each(testDialects())('Insure through the SDK on %s', (dialect) => {
  let bank: TestBank;
  let admin: Wekeza;
  let banker: Wekeza;
  let customer: Wekeza;
  let walletId: string;

  beforeAll(async () => {
    bank = await startTestBank(dialect);
    const staff = (email: string) =>
      new Wekeza({ baseUrl: bank.url, auth: { username: email, password: SANDBOX_PASSWORD } });
    admin = staff('admin@sandbox.test');
    banker = staff('banker@sandbox.test');
    const n = `${Date.now() % 100_000_000}`.padStart(8, '0');
    const email = `sdk-insure-${dialect}-${n}@example.test`;
    const created = await new Wekeza({ baseUrl: bank.url }).signup({
      phone: `+2547${n}`,
      email,
      password: 'long-password-1',
      fullName: 'SDK Insured',
      nationalId: `5${n.slice(-6)}1`,
      dateOfBirth: '1988-08-08',
    });
    expect(created.dateOfBirth).toBe('1988-08-08');
    walletId = created.walletAccountId as string;
    customer = new Wekeza({ baseUrl: bank.url, auth: { username: email, password: 'long-password-1' } });
    await admin.sandbox.deposits.create({ accountId: walletId, amount: kes(5_000) });
  }, 60_000);
  afterAll(async () => {
    await bank?.stop();
  });

  it('when a customer quotes and buys cover, then the policy and its premium come back typed, once per key', async () => {
    const products = [];
    for await (const p of insurance(customer).products.list()) products.push(p);
    expect(products.map((p) => p.id)).toEqual(
      expect.arrayContaining(['iprod_sandbox_life', 'iprod_sandbox_phone', 'iprod_sandbox_credit_life']),
    );
    const life = products.find((p) => p.id === 'iprod_sandbox_life');
    expect(life?.premium?.equals(kes(250))).toBe(true);
    const quote = await insurance(customer).policies.quote({
      productId: 'iprod_sandbox_phone',
      sumInsured: kes(20_000),
    });
    expect(quote.premium.equals(kes(1_440))).toBe(true);
    const params = {
      productId: 'iprod_sandbox_life',
      fundingAccountId: walletId,
      beneficiaries: [{ name: 'Baraka', phone: '+254711222333', relationship: 'son', share: '1' }],
    };
    const policy = await insurance(customer).policies.create(params, {
      idempotencyKey: `sdk-life-${dialect}-${Date.now()}`,
    });
    expect(policy.status).toBe('active');
    expect(policy.premium.equals(kes(250))).toBe(true);
    expect(policy.beneficiaries[0]?.name).toBe('Baraka');
    const again = await insurance(customer).policies.retrieve(policy.id);
    expect(again.nextPremiumDue).toBe(policy.nextPremiumDue);
    const mine = [];
    for await (const p of insurance(customer).policies.list()) mine.push(p.id);
    expect(mine).toEqual([policy.id]);

    await expect(
      insurance(customer).policies.create({ productId: 'iprod_sandbox_phone', fundingAccountId: walletId }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      insurance(customer).products.create({
        name: 'x',
        coverType: 'life',
        underwriter: 'x',
        currency: 'KES',
        premium: kes(1),
        frequency: 'monthly',
        graceDays: 1,
        reinstatementDays: 1,
        commissionRate: '0.1',
        refundRule: 'none',
      }),
    ).rejects.toBeInstanceOf(PermissionDeniedError);

    const claim = await insurance(customer).claims.create({
      policyId: policy.id,
      description: 'Claim through the SDK',
      attachments: [{ fileName: 'report.pdf', contentType: 'application/pdf', sizeBytes: 1024 }],
    });
    expect(claim.status).toBe('submitted');
    expect(claim.attachments[0]?.fileName).toBe('report.pdf');
    expect((await insurance(banker).claims.review(claim.id)).status).toBe('under_review');
    const decided = await insurance(banker).claims.decide(claim.id, {
      decision: 'reject',
      reason: 'Not covered',
    });
    expect(decided.status).toBe('rejected');
    await expect(insurance(banker).claims.pay(claim.id)).rejects.toBeInstanceOf(ConflictError);

    const cancelled = await insurance(customer).policies.cancel(policy.id);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.refund.equals(kes(250))).toBe(true); // cancelled on its first day: all of it
    const remittances = [];
    for await (const r of insurance(admin).remittances.list()) remittances.push(r);
    expect(Array.isArray(remittances)).toBe(true);
  }, 60_000);
});
