import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBank, type TestBank, TestClock, testDialects } from '../src/testing/index.ts';
import { fund, Http, login, newCustomer } from './support/http.ts';

type Account = { balance: { ledger: { amount: string } } };

/** Small tiers so limits are reached with small sums; the step-up threshold stays at its default KES 10,000. */
const TIERS = JSON.stringify({
  KES: {
    0: { max_balance: '500.00', daily_outgoing: '200.00', loan_cap: '50.00' },
    1: { max_balance: '5000.00', daily_outgoing: '2000.00', loan_cap: '500.00' },
    2: { max_balance: '1000000.00', daily_outgoing: '500000.00', loan_cap: '100000.00' },
  },
});

async function snapshot(bank: TestBank) {
  const p = bank.db.prisma;
  const [entries, transfers, accounts] = await Promise.all([
    p.journalEntry.count(),
    p.transfer.count(),
    p.account.findMany({ select: { id: true, balanceMinor: true }, orderBy: { id: 'asc' } }),
  ]);
  return JSON.stringify({ entries, transfers, accounts }, (_k, v) =>
    typeof v === 'bigint' ? v.toString() : v,
  );
}

describe.each(testDialects())('identity, limits and audit on %s', (dialect) => {
  let bank: TestBank;
  let admin: Http;
  let banker: Http;
  const clock = new TestClock();
  beforeAll(async () => {
    bank = await startTestBank(dialect, { WEKEZA_KYC_TIERS: TIERS }, { clock });
    admin = await login(bank, 'admin@sandbox.test');
    banker = await login(bank, 'banker@sandbox.test');
  });
  afterAll(async () => {
    await bank?.stop();
  });

  /** The TOTP code of the next unused time step (the test clock moves on 30 s each time). */
  async function nextCode(secret: string): Promise<string> {
    clock.advance(30_000);
    return generate({ secret, epoch: Math.floor(clock.now().getTime() / 1000) });
  }

  async function raise(customerId: string, tier: number) {
    const res = await banker.post(`/v1/customers/${customerId}/kyc`, {
      tier,
      evidence: 'passport AB123 seen in branch',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res;
  }

  async function enrol(http: Http): Promise<{ secret: string; recovery: string[] }> {
    const started = await http.post<{ secret: string; otpauth_url: string }>('/v1/mfa/totp', {
      password: 'correct horse battery',
    });
    expect(started.status).toBe(200);
    expect(started.body.otpauth_url).toMatch(/^otpauth:\/\/totp\//);
    const verified = await http.post<{ enabled: boolean; recovery_codes: string[] }>('/v1/mfa/totp/verify', {
      code: await nextCode(started.body.secret),
    });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(verified.body.recovery_codes).toHaveLength(10);
    return { secret: started.body.secret, recovery: verified.body.recovery_codes };
  }

  describe('KYC tiers', () => {
    it('when a deposit would take a tier-0 customer past the maximum balance, then 422 limit_exceeded and nothing changes', async () => {
      const alice = await newCustomer(bank);
      await fund(admin, alice.walletId, '400.00');
      const before = await snapshot(bank);
      const res = await admin.post('/v1/sandbox/deposits', {
        account_id: alice.walletId,
        amount: { amount: '100.01', currency: 'KES' },
      });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('limit_exceeded');
      expect(await snapshot(bank)).toBe(before);
      await fund(admin, alice.walletId, '100.00'); // exactly the maximum is fine
    });

    it('when transfers to others pass the daily outgoing limit, then 422 limit_exceeded; own-account moves do not count', async () => {
      const alice = await newCustomer(bank);
      const bob = await newCustomer(bank, { nationalId: '11223344' });
      await fund(admin, alice.walletId, '450.00');
      const savings = await alice.http.post<{ id: string }>('/v1/accounts', {
        type: 'savings',
        currency: 'KES',
      });
      const send = (to: string, amount: string) =>
        alice.http.post('/v1/transfers', {
          from_account_id: alice.walletId,
          to_account_id: to,
          amount: { amount, currency: 'KES' },
        });
      expect((await send(savings.body.id, '150.00')).status).toBe(201);
      expect((await send(bob.walletId, '150.00')).status).toBe(201);
      const before = await snapshot(bank);
      const over = await send(bob.walletId, '50.01');
      expect(over.status).toBe(422);
      expect(over.body.code).toBe('limit_exceeded');
      expect(await snapshot(bank)).toBe(before);
      expect((await send(bob.walletId, '50.00')).status).toBe(201);
    });

    it('when a transfer would take the receiver past their maximum balance, then 422 recipient_cannot_receive', async () => {
      const rich = await newCustomer(bank, { nationalId: '55667788' });
      const poor = await newCustomer(bank);
      await fund(admin, rich.walletId, '1000.00');
      await fund(admin, poor.walletId, '450.00');
      const res = await rich.http.post('/v1/transfers', {
        from_account_id: rich.walletId,
        to_account_id: poor.walletId,
        amount: { amount: '60.00', currency: 'KES' },
      });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('recipient_cannot_receive');
    });

    it('when a banker raises a tier with evidence, then the limits follow and the change is audited; others may not', async () => {
      const carol = await newCustomer(bank);
      expect(
        (await carol.http.post(`/v1/customers/${carol.id}/kyc`, { tier: 2, evidence: 'self-declared' }))
          .status,
      ).toBe(404);
      expect(
        (await admin.post(`/v1/customers/${carol.id}/kyc`, { tier: 2, evidence: 'admin says so' })).status,
      ).toBe(403);
      expect(
        (await banker.post('/v1/customers/cus_NOSUCHCUSTOMER/kyc', { tier: 2, evidence: 'passport' })).status,
      ).toBe(404);
      expect((await banker.post(`/v1/customers/${carol.id}/kyc`, { tier: 2 })).status).toBe(422);
      const res = await raise(carol.id, 2);
      expect(res.body).toMatchObject({ id: carol.id, kyc_tier: 2 });
      expect(
        (await banker.post(`/v1/customers/${carol.id}/kyc`, { tier: 1, evidence: 'lower it' })).status,
      ).toBe(409);
      expect((await banker.get(`/v1/customers/${carol.id}`)).body).toMatchObject({
        kyc: { tier: 2, history: [{ from_tier: 0, to_tier: 2, evidence: 'passport AB123 seen in branch' }] },
      });
      await fund(admin, carol.walletId, '9000.00');
      const events = await admin.get<{
        data: {
          action: string;
          subject: { id: string };
          before: unknown;
          after: unknown;
          reason: string;
          actor: { role: string };
        }[];
      }>('/v1/audit-events?limit=100');
      const raised = events.body.data.find(
        (e) => e.action === 'kyc.tier_raised' && e.subject.id === carol.id,
      );
      expect(raised).toMatchObject({
        before: { kyc_tier: 0 },
        after: { kyc_tier: 2 },
        reason: 'passport AB123 seen in branch',
        actor: { role: 'banker' },
      });
    });
  });

  describe('refresh tokens', () => {
    it('when a refresh token is used, then it rotates; when a rotated one is used again, then the whole family is revoked', async () => {
      const dave = await newCustomer(bank);
      const http = new Http(bank.url);
      const first = await http.post<{ refresh_token: string }>('/v1/auth/token', {
        grant_type: 'password',
        username: dave.email,
        password: 'correct horse battery',
      });
      expect(first.body.refresh_token).toMatch(/^rt_/);
      const second = await http.post<{ access_token: string; refresh_token: string }>('/v1/auth/token', {
        grant_type: 'refresh_token',
        refresh_token: first.body.refresh_token,
      });
      expect(second.status).toBe(200);
      expect(second.body.refresh_token).not.toBe(first.body.refresh_token);
      expect((await http.as(second.body.access_token).get('/v1/me')).status).toBe(200);
      // The thief replays the first token: refused, and the owner's current token dies with it.
      const replay = await http.post('/v1/auth/token', {
        grant_type: 'refresh_token',
        refresh_token: first.body.refresh_token,
      });
      expect(replay.status).toBe(400);
      expect(replay.body).toMatchObject({ error: 'invalid_grant', code: 'unauthenticated' });
      const owner = await http.post('/v1/auth/token', {
        grant_type: 'refresh_token',
        refresh_token: second.body.refresh_token,
      });
      expect(owner.status).toBe(400);
      const events = await admin.get<{ data: { action: string; subject: { id: string } }[] }>(
        '/v1/audit-events?limit=100',
      );
      expect(
        events.body.data.some((e) => e.action === 'auth.refresh_token_reused' && e.subject.id === dave.id),
      ).toBe(true);
    });

    it('when a user logs out, then the refresh token no longer works', async () => {
      const erin = await newCustomer(bank);
      const http = new Http(bank.url);
      const grant = await http.post<{ access_token: string; refresh_token: string }>('/v1/auth/token', {
        grant_type: 'password',
        username: erin.email,
        password: 'correct horse battery',
      });
      const out = await http
        .as(grant.body.access_token)
        .post('/v1/auth/logout', { refresh_token: grant.body.refresh_token });
      expect(out.body).toEqual({ revoked: true });
      expect(
        (
          await http.post('/v1/auth/token', {
            grant_type: 'refresh_token',
            refresh_token: grant.body.refresh_token,
          })
        ).status,
      ).toBe(400);
      // The access token used to log out is revoked too, not left to live out its minutes.
      expect((await http.as(grant.body.access_token).get('/v1/me')).status).toBe(401);
      // Someone else's refresh token is not the caller's to revoke.
      const other = await http.post<{ refresh_token: string }>('/v1/auth/token', {
        grant_type: 'password',
        username: 'customer@sandbox.test',
        password: 'sandbox-pass-123',
      });
      expect(
        (await erin.http.post('/v1/auth/logout', { refresh_token: other.body.refresh_token })).body,
      ).toEqual({ revoked: false });
    });
  });

  describe('TOTP and step-up', () => {
    it('when a user enrols, then sign-in needs a code, a code works once, and a recovery code works once', async () => {
      const fred = await newCustomer(bank);
      const { secret, recovery } = await enrol(fred.http);
      const http = new Http(bank.url);
      const password = { grant_type: 'password', username: fred.email, password: 'correct horse battery' };
      const missing = await http.post('/v1/auth/token', password);
      expect(missing.status).toBe(400);
      expect(missing.body).toMatchObject({ error: 'invalid_grant', code: 'mfa_required' });
      const code = await nextCode(secret);
      expect((await http.post('/v1/auth/token', { ...password, otp: code })).status).toBe(200);
      const replay = await http.post('/v1/auth/token', { ...password, otp: code });
      expect(replay.status).toBe(400);
      expect(replay.body.code).toBe('mfa_required');
      expect((await http.post('/v1/auth/token', { ...password, otp: recovery[0] })).status).toBe(200);
      expect((await http.post('/v1/auth/token', { ...password, otp: recovery[0] })).status).toBe(400);
      // Enrolling again while enabled is refused.
      expect((await fred.http.post('/v1/mfa/totp', { password: 'correct horse battery' })).status).toBe(409);
    });

    it('when a customer without TOTP sends above the threshold, then mfa_required with a hint to enrol; below it, the transfer goes', async () => {
      const gina = await newCustomer(bank);
      const hank = await newCustomer(bank);
      await raise(gina.id, 2);
      await raise(hank.id, 2);
      await fund(admin, gina.walletId, '20000.00');
      const before = await snapshot(bank);
      const big = await gina.http.post('/v1/transfers', {
        from_account_id: gina.walletId,
        to_account_id: hank.walletId,
        amount: { amount: '10000.01', currency: 'KES' },
      });
      expect(big.status).toBe(401);
      expect(big.body.code).toBe('mfa_required');
      expect(String(big.body.detail)).toContain('/v1/mfa/totp');
      expect(await snapshot(bank)).toBe(before);
      const small = await gina.http.post('/v1/transfers', {
        from_account_id: gina.walletId,
        to_account_id: hank.walletId,
        amount: { amount: '10000.00', currency: 'KES' },
      });
      expect(small.status).toBe(201);
    });

    it('when an enrolled customer pays a new payee or a large amount, then a fresh code is needed; a retry with a new code is the same request', async () => {
      const ivy = await newCustomer(bank);
      const jack = await newCustomer(bank);
      await raise(ivy.id, 2);
      await raise(jack.id, 2);
      await fund(admin, ivy.walletId, '50000.00');
      const { secret } = await enrol(ivy.http);
      const body = {
        from_account_id: ivy.walletId,
        to_account_id: jack.walletId,
        amount: { amount: '10.00', currency: 'KES' },
      };
      const key = `step-up-${dialect}-1`;
      const newPayee = await ivy.http.post('/v1/transfers', body, { key });
      expect(newPayee.status).toBe(401);
      expect(newPayee.body.code).toBe('mfa_required');
      const wrong = await ivy.http.post('/v1/transfers', { ...body, otp: '000000' }, { key });
      expect(wrong.status).toBe(401);
      const ok = await ivy.http.post('/v1/transfers', { ...body, otp: await nextCode(secret) }, { key });
      expect(ok.status).toBe(201);
      const again = await ivy.http.post('/v1/transfers', { ...body, otp: '123456' }, { key });
      expect(again.body).toEqual(ok.body);
      // A known payee, a small amount: no code.
      expect((await ivy.http.post('/v1/transfers', body)).status).toBe(201);
      // A large amount: a code, and the same code cannot be used twice.
      const large = { ...body, amount: { amount: '15000.00', currency: 'KES' } };
      expect((await ivy.http.post('/v1/transfers', large)).body.code).toBe('mfa_required');
      const code = await nextCode(secret);
      expect((await ivy.http.post('/v1/transfers', { ...large, otp: code })).status).toBe(201);
      const replayed = await ivy.http.post('/v1/transfers', { ...large, otp: code });
      expect(replayed.status).toBe(401);
      expect((await jack.http.get<Account>(`/v1/accounts/${jack.walletId}`)).body.balance.ledger.amount).toBe(
        '15020.00',
      );
    });
  });

  describe('widget sessions and CORS', () => {
    let partner: Http;
    beforeAll(async () => {
      const token = await new Http(bank.url).post<{ access_token: string }>('/v1/auth/token', {
        grant_type: 'client_credentials',
        client_id: 'sandbox_partner',
        client_secret: 'sandbox-partner-secret',
      });
      partner = new Http(bank.url, token.body.access_token);
    });

    it('when a partner mints a session, then the token works for that customer, scopes and origin only', async () => {
      const kim = await newCustomer(bank);
      const other = await newCustomer(bank);
      expect((await kim.http.post('/v1/me/partner-consents', { client_id: 'sandbox_partner' })).status).toBe(
        201,
      );
      const origin = 'https://shop.example';
      const minted = await partner.post<{ token: string; expires_at: string; scopes: string[] }>(
        '/v1/widget-sessions',
        {
          customer_id: kim.id,
          scopes: ['accounts:read', 'me:read'],
          origin,
        },
      );
      expect(minted.status).toBe(201);
      expect(Date.parse(minted.body.expires_at) - clock.now().getTime()).toBeLessThanOrEqual(900_000);
      const widget = new Http(bank.url, minted.body.token);
      const fromShop = { headers: { origin } };
      const accounts = await widget.request<{ data: { id: string }[] }>('GET', '/v1/accounts', fromShop);
      expect(accounts.status).toBe(200);
      expect(accounts.body.data.map((a) => a.id)).toEqual([kim.walletId]);
      expect(accounts.headers.get('access-control-allow-origin')).toBe(origin);
      expect((await widget.request('GET', `/v1/accounts/${other.walletId}`, fromShop)).status).toBe(404);
      // Without the scope, from another origin, or with no origin at all: refused, and no CORS grant.
      const transfer = await widget.request('POST', '/v1/transfers', {
        ...fromShop,
        body: {
          from_account_id: kim.walletId,
          to_account_id: other.walletId,
          amount: { amount: '1.00', currency: 'KES' },
        },
      });
      expect(transfer.status).toBe(403);
      const evil = await widget.request('GET', '/v1/accounts', {
        headers: { origin: 'https://evil.example' },
      });
      expect(evil.status).toBe(403);
      expect(evil.headers.get('access-control-allow-origin')).toBeNull();
      expect((await widget.get('/v1/accounts')).status).toBe(403);
      expect(
        (
          await widget.request('POST', '/v1/mfa/totp', {
            ...fromShop,
            body: { password: 'correct horse battery' },
          })
        ).status,
      ).toBe(403);
      // Preflights: the session's origin is answered, another is not.
      const preflight = (o: string) =>
        fetch(`${bank.url}/v1/accounts`, {
          method: 'OPTIONS',
          headers: {
            origin: o,
            'access-control-request-method': 'GET',
            'access-control-request-headers': 'authorization',
          },
        });
      expect((await preflight(origin)).headers.get('access-control-allow-origin')).toBe(origin);
      expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
      // A first-party token gets no CORS grant either.
      const own = await kim.http.request('GET', '/v1/accounts', fromShop);
      expect(own.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('when anyone but a partner mints, or for an unknown customer, or with bad scopes, then it is refused', async () => {
      const kim = await newCustomer(bank);
      const body = { customer_id: kim.id, scopes: ['accounts:read'], origin: 'https://shop.example' };
      expect((await kim.http.post('/v1/widget-sessions', body)).status).toBe(403);
      expect((await admin.post('/v1/widget-sessions', body)).status).toBe(403);
      expect((await partner.post('/v1/widget-sessions', { ...body, customer_id: 'cus_NOBODY' })).status).toBe(
        404,
      );
      expect((await partner.post('/v1/widget-sessions', { ...body, scopes: ['audit:read'] })).status).toBe(
        422,
      );
      expect(
        (await partner.post('/v1/widget-sessions', { ...body, origin: 'https://shop.example/path' })).status,
      ).toBe(422);
    });
  });

  describe('lockout', () => {
    it('when a username fails 10 times, then it is locked out with 429 and Retry-After, even with the right password, and audited', async () => {
      const lou = await newCustomer(bank);
      const http = new Http(bank.url);
      for (let i = 0; i < 10; i++) {
        const res = await http.post('/v1/auth/token', {
          grant_type: 'password',
          username: i % 2 ? lou.email : lou.phone, // e-mail and phone count as one user
          password: 'wrong password!',
        });
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ error: 'invalid_grant', code: 'unauthenticated' });
      }
      const locked = await http.post('/v1/auth/token', {
        grant_type: 'password',
        username: lou.email,
        password: 'correct horse battery',
      });
      expect(locked.status).toBe(429);
      expect(locked.body.code).toBe('rate_limited');
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
      const events = await admin.get<{ data: { action: string; subject: { id: string } }[] }>(
        '/v1/audit-events?limit=100',
      );
      expect(events.body.data.some((e) => e.action === 'auth.locked_out' && e.subject.id === lou.id)).toBe(
        true,
      );
    });

    it('when 50 wrong guesses arrive at once, then at most the limit are evaluated; and 50 right sign-ins in a row all work', async () => {
      const max = 10;
      const mo = await newCustomer(bank);
      const http = new Http(bank.url);
      const guesses = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          http.post('/v1/auth/token', {
            grant_type: 'password',
            username: i % 2 ? mo.email : mo.phone,
            password: `wrong guess ${i}`,
          }),
        ),
      );
      const evaluated = guesses.filter((r) => r.status === 400);
      expect(evaluated.length).toBeLessThanOrEqual(max);
      expect(guesses.filter((r) => r.status === 429)).toHaveLength(50 - evaluated.length);
      const log = await admin.get<{ data: { action: string; subject: { id: string } }[] }>(
        '/v1/audit-events?limit=100',
      );
      expect(
        log.body.data.filter((e) => e.action === 'auth.locked_out' && e.subject.id === mo.id),
      ).toHaveLength(1);

      const ok = await newCustomer(bank);
      for (let i = 0; i < 50; i++) {
        const res = await http.post('/v1/auth/token', {
          grant_type: 'password',
          username: ok.email,
          password: 'correct horse battery',
        });
        expect(res.status, `sign-in ${i + 1}`).toBe(200);
      }
    });
  });

  describe('the audit log', () => {
    it('when money moves, then an event records it; only admins read the log, and it verifies once sealed', async () => {
      const a = await newCustomer(bank, { nationalId: '99887766' });
      const b = await newCustomer(bank, { nationalId: '99887755' });
      await fund(admin, a.walletId, '1000.00');
      const sends = await Promise.all(
        Array.from({ length: 12 }, () =>
          a.http.post('/v1/transfers', {
            from_account_id: a.walletId,
            to_account_id: b.walletId,
            amount: { amount: '1.00', currency: 'KES' },
          }),
        ),
      );
      expect(sends.map((r) => r.status)).toEqual(Array(12).fill(201));
      const events = await admin.get<{
        data: { action: string; subject: { id: string }; after: { amount: string } }[];
        has_more: boolean;
      }>('/v1/audit-events?limit=100');
      const ids = new Set(sends.map((r) => String(r.body.id)));
      expect(
        events.body.data.filter((e) => e.action === 'transfer.created' && ids.has(e.subject.id)),
      ).toHaveLength(12);
      expect((await a.http.get('/v1/audit-events')).status).toBe(403);
      expect((await banker.get('/v1/audit-events/verify')).status).toBe(403);
      await bank.services.sealer.sealPending();
      const verify = await admin.get<{ valid: boolean; checked: number; first_broken_id: string | null }>(
        '/v1/audit-events/verify',
      );
      expect(verify.body).toMatchObject({ valid: true, first_broken_id: null });
      expect(verify.body.checked).toBeGreaterThan(12);
    });

    it('when an event is updated or deleted, then the database refuses', async () => {
      const p = bank.db.prisma;
      const [one] = await p.auditEvent.findMany({ take: 1 });
      await expect(
        p.$executeRawUnsafe("UPDATE audit_events SET reason = 'x' WHERE id = ?", one!.id),
      ).rejects.toThrow(/immutable/);
      await expect(p.$executeRawUnsafe('DELETE FROM audit_events WHERE id = ?', one!.id)).rejects.toThrow(
        /immutable/,
      );
    });
  });
});

describe.each(testDialects())('per-address rate limits on %s', (dialect) => {
  let bank: TestBank;
  beforeAll(async () => {
    bank = await startTestBank(dialect, {
      WEKEZA_RATE_SIGNUP_PER_MINUTE: '2',
      WEKEZA_RATE_SIGNIN_PER_MINUTE: '3',
    });
  });
  afterAll(async () => {
    await bank?.stop();
  });

  it('when an address signs up or signs in past its limit, then 429 rate_limited with Retry-After, and nothing is created', async () => {
    const http = new Http(bank.url);
    const signup = (n: number) =>
      http.post(
        '/v1/signup',
        {
          phone: `+25479000000${n}`,
          email: `rl${n}@example.test`,
          password: 'rate limited pw',
          full_name: 'R',
        },
        { key: false },
      );
    expect((await signup(1)).status).toBe(201);
    expect((await signup(2)).status).toBe(201);
    const users = await bank.db.prisma.user.count();
    const third = await signup(3);
    expect(third.status).toBe(429);
    expect(third.body.code).toBe('rate_limited');
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await bank.db.prisma.user.count()).toBe(users);
    const token = () =>
      http.post('/v1/auth/token', {
        grant_type: 'password',
        username: 'customer@sandbox.test',
        password: 'sandbox-pass-123',
      });
    for (let i = 0; i < 3; i++) expect((await token()).status).toBe(200);
    const fourth = await token();
    expect(fourth.status).toBe(429);
    expect(fourth.headers.get('retry-after')).toBeTruthy();
  });
});
