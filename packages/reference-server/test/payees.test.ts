/**
 * Pay by phone number (`GET /v1/payees/resolve`): a number resolves to the recipient's KES wallet and
 * masked name; every miss answers alike; lookups are limited and counted per caller, so the resolver
 * cannot be walked as a directory of customers.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PayeesService } from '../src/modules/payees/service.ts';
import { startTestBank, type TestBank, testDialects } from '../src/testing/index.ts';
import { Http, login, newCustomer, type Reply } from './support/http.ts';

const ORIGIN = 'https://shop.example';
const unknownPhone = () => `+2547${randomUUID().replace(/\D/g, '').padEnd(8, '3').slice(0, 8)}`;
const resolve = (http: Http, phone: string, headers: Record<string, string> = {}) =>
  http.request<Record<string, unknown>>('GET', `/v1/payees/resolve?phone=${encodeURIComponent(phone)}`, {
    headers,
  });
/** A problem without what differs per request. */
const shape = (reply: Reply) => {
  const { request_id: _id, ...rest } = reply.body;
  return { status: reply.status, type: reply.headers.get('content-type'), body: rest };
};

describe.each(testDialects())('pay by phone number on %s', (dialect) => {
  let bank: TestBank;
  let payer: Awaited<ReturnType<typeof newCustomer>>;
  let payee: Awaited<ReturnType<typeof newCustomer>>;

  beforeAll(async () => {
    bank = await startTestBank(dialect, {
      WEKEZA_PAYEE_LOOKUPS_PER_HOUR: '1000',
      WEKEZA_PAYEE_MISSES_PER_DAY: '1000',
    });
    payer = await newCustomer(bank);
    payee = await newCustomer(bank);
    await bank.db.prisma.user.update({ where: { id: payee.id }, data: { fullName: 'Wanjiru Njeri Kamau' } });
  }, 60_000);
  afterAll(async () => {
    await bank?.stop();
  });

  it('when a customer looks up a number, then it answers the KES wallet and the masked name, nothing more', async () => {
    const res = await resolve(payer.http, payee.phone);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ account_id: payee.walletId, display_name: 'Wanjiru K.' });
    const local = await resolve(payer.http, `0${payee.phone.slice(4)}`);
    expect(local.body).toEqual(res.body);
    const bare = await resolve(payer.http, payee.phone.slice(1));
    expect(bare.body).toEqual(res.body);
  });

  it('when a number pays nobody for whatever reason, then every miss is the same 404', async () => {
    const disabled = await newCustomer(bank);
    await bank.db.prisma.user.update({ where: { id: disabled.id }, data: { status: 'disabled' } });
    const closedWallet = await newCustomer(bank);
    await bank.db.prisma.account.update({ where: { id: closedWallet.walletId }, data: { status: 'closed' } });
    const staff = await newCustomer(bank);
    await bank.db.prisma.user.update({ where: { id: staff.id }, data: { role: 'banker' } });

    const misses = await Promise.all(
      [unknownPhone(), disabled.phone, closedWallet.phone, staff.phone].map((p) => resolve(payer.http, p)),
    );
    const first = shape(misses[0] as Reply);
    expect(first.status).toBe(404);
    expect(first.body).toMatchObject({ code: 'not_found' });
    for (const miss of misses) expect(shape(miss)).toEqual(first);
    // Nothing in the answer names the number or why.
    expect(JSON.stringify(misses.map((m) => m.body))).not.toMatch(/disabled|closed|wallet|banker|\+254/i);
  });

  it('when found and missed numbers are timed, then a miss takes about as long as a hit', async () => {
    const known = payee.phone;
    const hits: number[] = [];
    const misses: number[] = [];
    // Interleaved, so that load on the machine falls on both alike.
    for (let i = 0; i < 15; i++) {
      for (const [phone, into] of [
        [known, hits],
        [unknownPhone(), misses],
      ] as const) {
        const t = performance.now();
        await resolve(payer.http, phone);
        into.push(performance.now() - t);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const [hit, miss] = [median(hits), median(misses)];
    expect(Math.abs(hit - miss)).toBeLessThan(Math.max(15, 0.75 * Math.max(hit, miss)));
  });

  it('when bad input is sent, then 422 and nothing is looked up', async () => {
    for (const phone of [
      '',
      'abc',
      '+0712',
      '0712345',
      '+2547123456789012345',
      "0712345678' OR 1=1",
      '%2B254',
    ]) {
      const res = await resolve(payer.http, phone);
      expect(res.status, phone).toBe(422);
      expect(res.body.code).toBe('validation_failed');
    }
    const twice = await payer.http.get('/v1/payees/resolve?phone=0712345678&phone=0712345679');
    expect(twice.status).toBe(422);
    const extra = await payer.http.get('/v1/payees/resolve?phone=0712345678&name=x');
    expect(extra.status).toBe(422);
    const none = await payer.http.get('/v1/payees/resolve');
    expect(none.status).toBe(422);
  });

  it('when staff, a partner back end or a session without the scope ask, then they are refused', async () => {
    const banker = await login(bank, 'banker@sandbox.test');
    expect((await resolve(banker, payee.phone)).status).toBe(403);
    const token = await new Http(bank.url).post<{ access_token: string }>('/v1/auth/token', {
      grant_type: 'client_credentials',
      client_id: 'sandbox_partner',
      client_secret: 'sandbox-partner-secret',
    });
    const partner = new Http(bank.url, token.body.access_token);
    expect((await resolve(partner, payee.phone)).status).toBe(403);
    expect((await resolve(new Http(bank.url), payee.phone)).status).toBe(401);

    await payer.http.post('/v1/me/partner-consents', { client_id: 'sandbox_partner' });
    const session = async (scopes: string[]) =>
      new Http(
        bank.url,
        (
          await partner.post<{ token: string }>('/v1/widget-sessions', {
            customer_id: payer.id,
            scopes,
            origin: ORIGIN,
          })
        ).body.token,
      );
    const without = await session(['accounts:read', 'transfers:write']);
    expect((await resolve(without, payee.phone, { origin: ORIGIN })).status).toBe(403);
    const granted = await session(['payees:resolve', 'transfers:write']);
    const res = await resolve(granted, payee.phone, { origin: ORIGIN });
    expect(res.status).toBe(200);
    expect(res.body.display_name).toBe('Wanjiru K.');
  });

  it('when lookups are made, then the metric counts them by outcome', async () => {
    await resolve(payer.http, payee.phone);
    await resolve(payer.http, unknownPhone());
    const text = await (await fetch(`${bank.url}/metrics`)).text();
    const count = (outcome: string) =>
      Number(text.match(new RegExp(`wekeza_payee_lookups_total\\{outcome="${outcome}"\\} (\\d+)`))?.[1] ?? 0);
    expect(count('found')).toBeGreaterThan(0);
    expect(count('missed')).toBeGreaterThan(0);
  });

  describe('limits per caller', () => {
    const limited = () =>
      new PayeesService(
        bank.db,
        bank.services.limiter,
        { lookupsPerHour: 6, missesPerDay: 3 },
        bank.services.audit,
      );

    it('when a caller guesses numbers at once, then only the miss budget is looked up and the rest are refused', async () => {
      const service = limited();
      const caller = { id: `cus_guess${randomUUID().slice(0, 8)}`, role: 'customer' as const };
      const outcomes = await Promise.allSettled(
        Array.from({ length: 6 }, () => service.resolve(caller, unknownPhone())),
      );
      const codes = outcomes.map((o) =>
        o.status === 'rejected' ? (o.reason as { code: string }).code : 'ok',
      );
      expect(codes.filter((c) => c === 'not_found')).toHaveLength(3);
      expect(codes.filter((c) => c === 'rate_limited')).toHaveLength(3);
      // A known number is refused too once the misses are spent: the refusal says nothing about it.
      await expect(service.resolve(caller, payee.phone)).rejects.toMatchObject({ code: 'rate_limited' });
      // Exhausting the miss budget is written down for whoever watches for enumeration.
      const audited = await bank.db.prisma.auditEvent.findMany({
        where: { action: 'payee.lookups_exhausted', subjectId: caller.id },
      });
      expect(audited).toHaveLength(1);
      // Another caller is not affected.
      const other = { id: `cus_other${randomUUID().slice(0, 8)}`, role: 'customer' as const };
      await expect(service.resolve(other, payee.phone)).resolves.toMatchObject({ accountId: payee.walletId });
    });

    it('when a caller finds numbers, then hits do not spend the miss budget but count towards the hourly limit', async () => {
      const service = limited();
      const caller = { id: `cus_hits${randomUUID().slice(0, 8)}`, role: 'customer' as const };
      for (let i = 0; i < 4; i++) await service.resolve(caller, payee.phone);
      await expect(service.resolve(caller, unknownPhone())).rejects.toMatchObject({ code: 'not_found' });
      await expect(service.resolve(caller, payee.phone)).resolves.toBeTruthy();
      const refused = await service.resolve(caller, payee.phone).catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'rate_limited', status: 429 });
      expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
    });
  });

  describe('saved payees', () => {
    it('when a customer saves a number, then it is resolved first, listed with the masked name, once', async () => {
      const saver = await newCustomer(bank);
      const created = await saver.http.post<Record<string, unknown>>('/v1/payees', {
        phone: `0${payee.phone.slice(4)}`,
        label: 'Sister',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ phone: payee.phone, label: 'Sister', display_name: 'Wanjiru K.' });
      expect(JSON.stringify(created.body)).not.toContain('acc_');
      expect(String(created.body.id)).toMatch(/^pye_/);
      const again = await saver.http.post('/v1/payees', { phone: payee.phone });
      expect(again.status).toBe(409);
      const list = await saver.http.get<{ data: Record<string, unknown>[] }>('/v1/payees');
      expect(list.body.data).toHaveLength(1);
      expect(list.body.data[0]).toMatchObject({ id: created.body.id, display_name: 'Wanjiru K.' });
      // Another customer sees none of it, and cannot delete it.
      const other = await newCustomer(bank);
      expect((await other.http.get<{ data: unknown[] }>('/v1/payees')).body.data).toEqual([]);
      const foreign = await other.http.request('DELETE', `/v1/payees/${created.body.id}`);
      expect(foreign.status).toBe(404);
      const removed = await saver.http.request('DELETE', `/v1/payees/${created.body.id}`);
      expect(removed.status).toBe(200);
      expect((await saver.http.get<{ data: unknown[] }>('/v1/payees')).body.data).toEqual([]);
    });

    it('when the number pays nobody or the input is bad, then nothing is saved', async () => {
      const saver = await newCustomer(bank);
      const miss = await saver.http.post('/v1/payees', { phone: unknownPhone() });
      expect(miss.status).toBe(404);
      expect(miss.body.code).toBe('not_found');
      for (const body of [
        {},
        { phone: 'abc' },
        { phone: payee.phone, label: '' },
        { phone: payee.phone, extra: 1 },
      ]) {
        const res = await saver.http.post('/v1/payees', body);
        expect(res.status, JSON.stringify(body)).toBe(422);
      }
      expect(await bank.db.prisma.savedPayee.count({ where: { customerId: saver.id } })).toBe(0);
    });
  });
});
