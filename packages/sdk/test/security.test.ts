/** The SDK's identity, staff and audit methods against the real reference bank. */
import { createHmac } from 'node:crypto';
import {
  SANDBOX_PASSWORD,
  startTestBank,
  type TestBank,
  testDialects,
} from '@wekeza/reference-server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APIError,
  AuthenticationError,
  auditLeafFieldsOf,
  auditLeafHash,
  NotFoundError,
  verifyCheckpoint,
  verifyInclusion,
  Wekeza,
} from '../src/index.ts';
import { staff } from '../src/staff/index.ts';

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) of the step after now, so a test's code is fresh. */
function totp(secret: string, step = Math.floor(Date.now() / 30_000)): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => Number.parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

describe.each(testDialects())('security resources on %s', (dialect) => {
  let bank: TestBank;
  let n = 0;
  beforeAll(async () => {
    bank = await startTestBank(dialect);
  }, 60_000);
  afterAll(async () => {
    await bank?.stop();
  });

  async function signup() {
    n += 1;
    const tag = `${Date.now() % 1_000_000}${n}`.padStart(8, '0');
    const email = `sec-${dialect}-${tag}@example.test`;
    const customer = await new Wekeza({ baseUrl: bank.url }).signup({
      phone: `+2547${tag.slice(-8)}`,
      email,
      password: 'long-password-1',
      fullName: 'Sec',
    });
    return { customer, email };
  }

  it('when a refresh token is used, then auth.refresh rotates it and auth.logout revokes the family', async () => {
    const { email } = await signup();
    const anonymous = new Wekeza({ baseUrl: bank.url });
    const first = await anonymous.auth.token({
      grantType: 'password',
      username: email,
      password: 'long-password-1',
    });
    expect(first.refreshToken).toMatch(/^rt_/);
    const second = await anonymous.auth.refresh(first.refreshToken as string);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const client = new Wekeza({ baseUrl: bank.url, auth: { token: second.accessToken } });
    expect(await client.auth.logout(second.refreshToken as string)).toEqual({ revoked: true });
    await expect(anonymous.auth.refresh(second.refreshToken as string)).rejects.toMatchObject({
      status: 400,
      oauthError: 'invalid_grant',
    });
  });

  it('when a customer enrols TOTP through the SDK, then sign-in needs the code', async () => {
    const { email } = await signup();
    const client = new Wekeza({ baseUrl: bank.url, auth: { username: email, password: 'long-password-1' } });
    const enrolment = await client.mfa.totp.enrol({ password: 'long-password-1' });
    expect(enrolment.otpauthUrl).toContain('otpauth://totp/');
    const verified = await client.mfa.totp.verify(totp(enrolment.secret));
    expect(verified.recoveryCodes).toHaveLength(10);
    const error = await new Wekeza({ baseUrl: bank.url }).auth
      .token({ grantType: 'password', username: email, password: 'long-password-1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).code).toBe('mfa_required');
    const withCode = await new Wekeza({ baseUrl: bank.url }).auth.token({
      grantType: 'password',
      username: email,
      password: 'long-password-1',
      otp: totp(enrolment.secret, Math.floor(Date.now() / 30_000) + 1),
    });
    expect(withCode.accessToken).toBeTruthy();
  });

  it('when a customer consents and a partner mints a widget session, then the widget client reads the customer from that origin until consent is revoked', async () => {
    const { customer, email } = await signup();
    const partner = new Wekeza({
      baseUrl: bank.url,
      auth: { clientId: 'sandbox_partner', clientSecret: 'sandbox-partner-secret' },
    });
    const self = new Wekeza({ baseUrl: bank.url, auth: { username: email, password: 'long-password-1' } });
    await expect(
      partner.widgetSessions.create({
        customerId: customer.id,
        scopes: ['accounts:read'],
        origin: 'https://shop.example',
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await self.partnerConsents.grant('sandbox_partner')).toMatchObject({
      clientId: 'sandbox_partner',
      source: 'consent',
    });
    expect((await self.partnerConsents.list()).map((c) => c.clientId)).toEqual(['sandbox_partner']);
    const session = await partner.widgetSessions.create({
      customerId: customer.id,
      scopes: ['accounts:read'],
      origin: 'https://shop.example',
    });
    expect(session.scopes).toEqual(['accounts:read']);
    const widget = new Wekeza({
      baseUrl: bank.url,
      auth: { token: session.token },
      defaultHeaders: { origin: 'https://shop.example' },
    });
    const accounts = await widget.accounts.list();
    expect(accounts.data.map((a) => a.id)).toEqual([customer.walletAccountId]);
    expect(await self.partnerConsents.revoke('sandbox_partner')).toEqual({ revoked: true });
    await expect(widget.accounts.list()).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('when a partner onboards a customer through the SDK, then it may mint sessions for them at once', async () => {
    const partner = new Wekeza({
      baseUrl: bank.url,
      auth: { clientId: 'sandbox_partner', clientSecret: 'sandbox-partner-secret' },
    });
    const tag = `${Date.now() % 100_000_000}`.padStart(8, '1');
    const onboarded = await partner.customers.onboard({
      phone: `+2541${tag}`,
      email: `onboard-${dialect}-${tag}@example.test`,
      password: 'long-password-1',
      fullName: 'Onboarded',
    });
    expect(onboarded.walletAccountId).toMatch(/^acc_/);
    const session = await partner.widgetSessions.create({
      customerId: onboarded.id,
      scopes: ['me:read'],
      origin: 'https://shop.example',
    });
    expect(session.customerId).toBe(onboarded.id);
  });

  it('when staff use the customers and audit resources, then a KYC raise shows up in a verified audit log', async () => {
    const { customer } = await signup();
    const banker = new Wekeza({
      baseUrl: bank.url,
      auth: { username: 'banker@sandbox.test', password: SANDBOX_PASSWORD },
    });
    const raised = await staff(banker).customers.updateKyc(customer.id, {
      tier: 2,
      evidence: 'passport checked',
    });
    expect(raised.kycTier).toBe(2);
    expect((await staff(banker).customers.retrieve(customer.id)).kyc.tier).toBe(2);
    const admin = new Wekeza({
      baseUrl: bank.url,
      auth: { username: 'admin@sandbox.test', password: SANDBOX_PASSWORD },
    });
    const events = await admin.auditEvents.list({ limit: 50 });
    const raise = events.data.find((e) => e.action === 'kyc.tier_raised' && e.subject.id === customer.id);
    expect(raise).toBeDefined();
    // Outside the bank: the event's leaf, its inclusion proof and the signed checkpoint, checked
    // with the SDK's verifier alone against the bank's published keys.
    await bank.services.sealer.sealPending();
    const checkpoint = await admin.audit.latestCheckpoint();
    const keys = await new Wekeza({ baseUrl: bank.url }).audit.publicKeys();
    expect(await verifyCheckpoint(checkpoint, keys)).toMatchObject({ valid: true });
    const sealed = (await admin.auditEvents.list({ limit: 50 })).data.find((e) => e.id === raise?.id);
    const proof = await admin.auditEvents.proof(raise!.id, { treeSize: checkpoint.tree_size });
    const leafHash = await auditLeafHash(auditLeafFieldsOf(sealed!));
    expect(Buffer.from(leafHash).toString('base64')).toBe(sealed?.seal?.leafHash);
    expect(
      await verifyInclusion({
        leafHash,
        leafIndex: proof.leafIndex,
        treeSize: proof.treeSize,
        auditPath: proof.auditPath,
        rootHash: checkpoint.root_hash,
      }),
    ).toBe(true);
    expect(await admin.auditEvents.verify()).toMatchObject({ valid: true, firstBrokenId: null });
  });
});
