/**
 * Issue 8's identity fixes: a second factor changes only with the password (and a code to turn it
 * off), secrets are sealed at rest, and partners reach only the customers linked to them.
 */
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../src/crypto/secret-box.ts';
import { startTestBank, type TestBank, TestClock, testDialects } from '../src/testing/index.ts';
import { Http, login, newCustomer } from './support/http.ts';

const PASSWORD = 'correct horse battery';
const ORIGIN = 'https://shop.example';

describe.each(testDialects())('second factors, sealed secrets and partner links on %s', (dialect) => {
  let bank: TestBank;
  let admin: Http;
  let partner: Http;
  const clock = new TestClock();
  beforeAll(async () => {
    bank = await startTestBank(dialect, {}, { clock });
    admin = await login(bank, 'admin@sandbox.test');
    const token = await new Http(bank.url).post<{ access_token: string }>('/v1/auth/token', {
      grant_type: 'client_credentials',
      client_id: 'sandbox_partner',
      client_secret: 'sandbox-partner-secret',
    });
    partner = new Http(bank.url, token.body.access_token);
  });
  afterAll(async () => {
    await bank?.stop();
  });

  async function code(secret: string): Promise<string> {
    clock.advance(30_000);
    return generate({ secret, epoch: Math.floor(clock.now().getTime() / 1000) });
  }

  async function auditActions(subject: string): Promise<string[]> {
    const page = await admin.get<{ data: { action: string; subject: { id: string } }[] }>(
      '/v1/audit-events?limit=100',
    );
    return page.body.data.filter((e) => e.subject.id === subject).map((e) => e.action);
  }

  it('when a stolen token tries to enrol TOTP without the password, then it is refused; with it, every change is an event and an audit entry', async () => {
    const c = await newCustomer(bank);
    expect((await c.http.post('/v1/mfa/totp', {})).status).toBe(422);
    expect((await c.http.post('/v1/mfa/totp', { password: 'a thief guesses' })).status).toBe(403);
    const started = await c.http.post<{ secret: string }>('/v1/mfa/totp', { password: PASSWORD });
    expect(started.status).toBe(200);
    const enabled = await c.http.post<{ recovery_codes: string[] }>('/v1/mfa/totp/verify', {
      code: await code(started.body.secret),
    });
    expect(enabled.status).toBe(200);
    // Regenerating needs the password and a current code; the old recovery codes stop working.
    expect((await c.http.post('/v1/mfa/recovery-codes', { password: PASSWORD, code: '000000' })).status).toBe(
      401,
    );
    const renewed = await c.http.post<{ recovery_codes: string[] }>('/v1/mfa/recovery-codes', {
      password: PASSWORD,
      code: await code(started.body.secret),
    });
    expect(renewed.status).toBe(200);
    expect(renewed.body.recovery_codes).toHaveLength(10);
    const signIn = (otp: string) =>
      new Http(bank.url).post('/v1/auth/token', {
        grant_type: 'password',
        username: c.email,
        password: PASSWORD,
        otp,
      });
    expect((await signIn(enabled.body.recovery_codes[0] as string)).status).toBe(400);
    expect((await signIn(renewed.body.recovery_codes[0] as string)).status).toBe(200);
    // Turning it off needs both too.
    expect(
      (
        await c.http.post('/v1/mfa/totp/disable', {
          password: 'wrong one',
          code: await code(started.body.secret),
        })
      ).status,
    ).toBe(403);
    const off = await c.http.post('/v1/mfa/totp/disable', {
      password: PASSWORD,
      code: await code(started.body.secret),
    });
    expect(off.status).toBe(200);
    expect(off.body).toEqual({ enabled: false });
    expect(
      (
        await new Http(bank.url).post('/v1/auth/token', {
          grant_type: 'password',
          username: c.email,
          password: PASSWORD,
        })
      ).status,
    ).toBe(200);
    const events = await c.http.get<{ data: { type: string }[] }>('/v1/events?limit=100');
    expect(events.body.data.map((e) => e.type).reverse()).toEqual([
      'mfa.totp_enrolment_started',
      'mfa.totp_enabled',
      'mfa.recovery_codes_regenerated',
      'mfa.totp_disabled',
    ]);
    expect(await auditActions(c.id)).toEqual(
      expect.arrayContaining([
        'mfa.totp_enrolment_started',
        'mfa.totp_enabled',
        'mfa.recovery_codes_regenerated',
        'mfa.totp_disabled',
      ]),
    );
  });

  it('when TOTP secrets and secret-bearing answers are stored, then they are sealed, and a replay answers byte for byte', async () => {
    const c = await newCustomer(bank);
    const started = await c.http.post<{ secret: string }>('/v1/mfa/totp', { password: PASSWORD });
    const row = await bank.db.prisma.totpFactor.findUniqueOrThrow({ where: { userId: c.id } });
    expect(SecretBox.isSealed(row.secret)).toBe(true);
    expect(row.secret).not.toContain(started.body.secret);
    const key = `seal-${dialect}-verify`;
    const body = { code: await code(started.body.secret) };
    const first = await fetch(`${bank.url}/v1/mfa/totp/verify`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokenOf(c.http)}`,
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body: JSON.stringify(body),
    });
    const again = await fetch(`${bank.url}/v1/mfa/totp/verify`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokenOf(c.http)}`,
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body: JSON.stringify(body),
    });
    const firstText = await first.text();
    expect(first.status).toBe(200);
    expect(await again.text()).toBe(firstText);
    const stored = await bank.db.prisma.idempotencyKey.findUniqueOrThrow({
      where: { principalId_key: { principalId: c.id, key } },
    });
    expect(SecretBox.isSealed(stored.responseBody)).toBe(true);
    for (const recoveryCode of (JSON.parse(firstText) as { recovery_codes: string[] }).recovery_codes)
      expect(stored.responseBody).not.toContain(recoveryCode);
    // A sealed value copied onto another row does not open there.
    const other = await newCustomer(bank);
    await other.http.post('/v1/mfa/totp', { password: PASSWORD });
    await bank.db.prisma.totpFactor.update({ where: { userId: other.id }, data: { secret: row.secret } });
    const stolen = await other.http.post('/v1/mfa/totp/verify', { code: await code(started.body.secret) });
    expect(stolen.status).toBeGreaterThanOrEqual(400);
    expect((await bank.db.prisma.totpFactor.findUniqueOrThrow({ where: { userId: other.id } })).status).toBe(
      'pending',
    );
  });

  it('when a partner asks for a widget session of a customer not linked to it, then 404; after consent it works, and revoking ends the session at once', async () => {
    const c = await newCustomer(bank);
    const mint = () =>
      partner.post<{ token: string }>('/v1/widget-sessions', {
        customer_id: c.id,
        scopes: ['me:read'],
        origin: ORIGIN,
      });
    expect((await mint()).status).toBe(404);
    const granted = await c.http.post('/v1/me/partner-consents', { client_id: 'sandbox_partner' });
    expect(granted.status).toBe(201);
    expect(granted.body).toMatchObject({ client_id: 'sandbox_partner', source: 'consent' });
    expect((await c.http.post('/v1/me/partner-consents', { client_id: 'no_such_partner' })).status).toBe(404);
    expect((await c.http.post('/v1/me/partner-consents', { client_id: 'wekeza-web' })).status).toBe(404);
    const session = await mint();
    expect(session.status).toBe(201);
    const widget = new Http(bank.url, session.body.token);
    expect((await widget.request('GET', '/v1/me', { headers: { origin: ORIGIN } })).status).toBe(200);
    // The widget session itself may not manage consents.
    expect(
      (await widget.request('GET', '/v1/me/partner-consents', { headers: { origin: ORIGIN } })).status,
    ).toBe(403);
    const revoked = await c.http.request('DELETE', '/v1/me/partner-consents/sandbox_partner');
    expect(revoked.body).toEqual({ revoked: true });
    expect((await widget.request('GET', '/v1/me', { headers: { origin: ORIGIN } })).status).toBe(401);
    expect((await mint()).status).toBe(404);
    expect((await c.http.get<{ data: unknown[] }>('/v1/me/partner-consents')).body.data).toEqual([]);
    expect(await auditActions(c.id)).toEqual(
      expect.arrayContaining([
        'partner.consent_granted',
        'partner.consent_revoked',
        'widget_session.created',
      ]),
    );
  });

  it('when a partner onboards a customer, then that customer is linked to it and only to it', async () => {
    const n = `${Date.now()}`.slice(-8);
    const onboarded = await partner.post<{ id: string; wallet_account_id: string }>('/v1/customers', {
      phone: `+2547${n}`,
      email: `onboarded${n}${dialect}@example.test`,
      password: 'onboarded password',
      full_name: 'Onboarded Customer',
    });
    expect(onboarded.status).toBe(201);
    expect(onboarded.body.wallet_account_id).toMatch(/^acc_/);
    const session = await partner.post('/v1/widget-sessions', {
      customer_id: onboarded.body.id,
      scopes: ['accounts:read'],
      origin: ORIGIN,
    });
    expect(session.status).toBe(201);
    const customer = await login(bank, `onboarded${n}${dialect}@example.test`, 'onboarded password');
    expect(
      (await customer.get<{ data: { source: string }[] }>('/v1/me/partner-consents')).body.data,
    ).toMatchObject([{ source: 'onboarded' }]);
    // Customers and staff cannot onboard through the partner route.
    expect((await customer.post('/v1/customers', {})).status).toBe(403);
  });
});

function tokenOf(http: Http): string {
  return String((http as unknown as { token: string }).token);
}
