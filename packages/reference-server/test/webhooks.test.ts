/**
 * Events out (issue 14): Standard Webhooks deliveries that survive a failing receiver (each event
 * exactly once after retries, deduplicated by webhook-id, signatures checked with the official
 * `standardwebhooks` package), 410 Gone, filters, replay, where endpoints may point, and the
 * Server-Sent Events stream, which resumes from Last-Event-ID without skipping an event that
 * committed late.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBank, type TestBank, testDialects } from '../src/testing/index.ts';
import { fund, Http, login, newCustomer } from './support/http.ts';
import { waitFor } from './support/rails.ts';
import { readStream } from './support/sse.ts';

interface Receiver {
  url: string;
  /** Every attempt, in order. */
  attempts: { id: string; headers: IncomingHttpHeaders; body: string }[];
  /** What the receiver kept: one body per webhook-id. */
  kept: Map<string, string>;
  close(): Promise<void>;
}

/** A receiver that answers `failFirst` non-2xx (or `status`) to each new webhook-id before it takes it. */
async function receiver(options: { failFirst?: number; status?: number } = {}): Promise<Receiver> {
  const attempts: Receiver['attempts'] = [];
  const kept = new Map<string, string>();
  const tries = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const id = String(req.headers['webhook-id']);
      attempts.push({ id, headers: req.headers, body });
      if (options.status) {
        res.writeHead(options.status).end();
        return;
      }
      const n = (tries.get(id) ?? 0) + 1;
      tries.set(id, n);
      if (n <= (options.failFirst ?? 0)) {
        res.writeHead(n % 2 === 0 ? 500 : 503).end('not now');
        return;
      }
      if (!kept.has(id)) kept.set(id, body); // dedupe by webhook-id
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    attempts,
    kept,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const tokenOf = (http: Http) => (http as unknown as { token: string }).token;

describe.each(testDialects())('events out on %s', (dialect) => {
  let bank: TestBank;
  let admin: Http;
  let partner: Http;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    bank = await startTestBank(dialect, {
      WEKEZA_WEBHOOK_INTERVAL_MS: '50',
      WEKEZA_WEBHOOK_RETRY_BASE_MS: '40',
      WEKEZA_WEBHOOK_RETRY_MAX_MS: '200',
      WEKEZA_RAILS_INTERVAL_MS: '100',
    });
    admin = await login(bank, 'admin@sandbox.test');
    const grant = await new Http(bank.url).post<{ access_token: string }>('/v1/auth/token', {
      grant_type: 'client_credentials',
      client_id: 'sandbox_partner',
      client_secret: 'sandbox-partner-secret',
    });
    partner = new Http(bank.url, grant.body.access_token);
  });
  afterAll(async () => {
    await bank?.stop();
    await Promise.all(receivers.map((r) => r.close()));
  });

  async function linkedCustomer() {
    const c = await newCustomer(bank, { nationalId: `W${Math.random().toString(36).slice(2, 10)}` });
    await c.http.post('/v1/me/partner-consents', { client_id: 'sandbox_partner' });
    await fund(admin, c.walletId, '1000.00');
    return c;
  }

  it('when the receiver fails the first tries, then each event arrives exactly once after retries, with the same webhook-id and a valid signature', async () => {
    const c = await linkedCustomer();
    const mine = await receiver({ failFirst: 2 });
    const theirs = await receiver({ failFirst: 1 });
    receivers.push(mine, theirs);
    const own = await c.http.post<{ id: string; secret: string }>('/v1/webhook-endpoints', { url: mine.url });
    expect(own.status).toBe(201);
    expect(own.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const partnerHook = await partner.post<{ id: string; secret: string }>('/v1/webhook-endpoints', {
      url: theirs.url,
      events: ['deposit.succeeded', 'transfer.completed'],
    });
    expect(partnerHook.status).toBe(201);

    const other = await newCustomer(bank);
    for (let i = 0; i < 3; i++)
      await c.http.post('/v1/deposits', {
        account_id: c.walletId,
        amount: { amount: '10', currency: 'KES' },
        rail: 'mpesa',
        phone: '0712345678',
      });
    await c.http.post('/v1/transfers', {
      from_account_id: c.walletId,
      to_account_id: other.walletId,
      amount: { amount: '1.00', currency: 'KES' },
    });
    await bank.services.simulator?.flush();
    const events = await waitFor(async () => {
      const list = await c.http.get<{ data: { id: string; type: string }[] }>('/v1/events?limit=100');
      return list.body.data.filter((e) => e.type === 'deposit.succeeded').length === 3
        ? list.body.data
        : undefined;
    });
    // What happened after the endpoints existed (the consent event came before them).
    const wanted = events
      .filter((e) => ['deposit.succeeded', 'transfer.completed'].includes(e.type))
      .map((e) => e.id)
      .sort();
    const all = new Set(events.map((e) => e.id));
    await waitFor(async () => wanted.every((id) => mine.kept.has(id)), 15_000, 'the customer receiver');
    await waitFor(async () => wanted.every((id) => theirs.kept.has(id)), 15_000, 'the partner receiver');
    // Nothing but this customer's events (the consent event too, when it was numbered after the endpoint existed).
    for (const id of [...mine.kept.keys(), ...theirs.kept.keys()]) expect(all.has(id)).toBe(true);
    expect([...theirs.kept.keys()].sort()).toEqual(wanted);

    // Three tries for each (two failures, then a 2xx), always under the same webhook-id.
    for (const id of wanted) expect(mine.attempts.filter((a) => a.id === id)).toHaveLength(3);
    // Every attempt is signed as Standard Webhooks says, and the official library accepts it.
    const verifier = new Webhook(own.body.secret);
    for (const attempt of mine.attempts) {
      const payload = verifier.verify(attempt.body, attempt.headers as Record<string, string>) as {
        type: string;
        timestamp: string;
        data: Record<string, unknown>;
      };
      expect(payload.data.customer_id).toBe(c.id);
      expect(events.find((e) => e.id === attempt.id)?.type).toBe(payload.type);
    }
    const partnerVerifier = new Webhook(partnerHook.body.secret);
    for (const attempt of theirs.attempts)
      expect(() =>
        partnerVerifier.verify(attempt.body, attempt.headers as Record<string, string>),
      ).not.toThrow();
    expect(() =>
      new Webhook(partnerHook.body.secret).verify(
        mine.attempts[0]?.body ?? '',
        mine.attempts[0]?.headers as Record<string, string>,
      ),
    ).toThrow();

    // The secret was shown once: lists never carry it, and it is sealed at rest.
    const listed = await c.http.get<{ data: Record<string, unknown>[] }>('/v1/webhook-endpoints');
    expect(listed.body.data[0]).not.toHaveProperty('secret');
    const row = await bank.db.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: own.body.id } });
    expect(row.secret.startsWith('enc:v1:')).toBe(true);
    expect(row.secret).not.toContain(own.body.secret.slice(6));

    // Replay: everything again, with the same webhook-ids.
    const before = mine.attempts.length;
    const replay = await c.http.post<{ replayed: number }>(`/v1/webhook-endpoints/${own.body.id}/replay`, {
      since: new Date(Date.now() - 3_600_000).toISOString(),
    });
    expect(replay.body.replayed).toBeGreaterThanOrEqual(wanted.length);
    await waitFor(async () => mine.attempts.length >= before + replay.body.replayed, 15_000, 'the replay');
    const again = new Set(mine.attempts.slice(before).map((a) => a.id));
    for (const id of wanted) expect(again.has(id)).toBe(true);
  });

  it('when the receiver answers 410 Gone, then the endpoint is disabled and gets nothing more', async () => {
    const c = await linkedCustomer();
    const gone = await receiver({ status: 410 });
    receivers.push(gone);
    const hook = await c.http.post<{ id: string }>('/v1/webhook-endpoints', { url: gone.url });
    const other = await newCustomer(bank);
    const send = () =>
      c.http.post('/v1/transfers', {
        from_account_id: c.walletId,
        to_account_id: other.walletId,
        amount: { amount: '1.00', currency: 'KES' },
      });
    await send();
    await waitFor(async () => {
      const list = await c.http.get<{ data: { id: string; status: string }[] }>('/v1/webhook-endpoints');
      return list.body.data.find((e) => e.id === hook.body.id)?.status === 'disabled';
    });
    const tried = gone.attempts.length;
    expect(tried).toBe(1);
    await send();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(gone.attempts.length).toBe(tried);
  });

  it('when an endpoint filters event types, then it receives only those', async () => {
    const c = await linkedCustomer();
    const only = await receiver();
    receivers.push(only);
    await c.http.post('/v1/webhook-endpoints', { url: only.url, events: ['deposit.failed'] });
    await c.http.post('/v1/deposits', {
      account_id: c.walletId,
      amount: { amount: '10', currency: 'KES' },
      rail: 'mpesa',
      phone: '0712001032',
    });
    await c.http.post('/v1/deposits', {
      account_id: c.walletId,
      amount: { amount: '10', currency: 'KES' },
      rail: 'mpesa',
      phone: '0712000000',
    });
    await bank.services.simulator?.flush();
    await waitFor(async () => only.kept.size === 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect([...only.kept.values()].map((b) => (JSON.parse(b) as { type: string }).type)).toEqual([
      'deposit.failed',
    ]);
  });

  it('when an endpoint points into a private network or over plain http, then it is refused (the sandbox allows http://127.0.0.1)', async () => {
    const c = await linkedCustomer();
    for (const url of [
      'https://10.0.0.1/x',
      'https://192.168.1.10/x',
      'https://[::1]/x',
      'http://localhost:8080/x',
      'https://169.254.169.254/latest',
      'https://user:pw@8.8.8.8/x',
      'ftp://8.8.8.8/x',
    ]) {
      const res = await c.http.post('/v1/webhook-endpoints', { url });
      expect(res.status, url).toBe(422);
    }
    expect((await c.http.post('/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/ok' })).status).toBe(201);
  });

  it('when a stream resumes from Last-Event-ID, then it continues right after it, skipping nothing that committed late with an older id', async () => {
    const c = await linkedCustomer();
    const token = tokenOf(c.http);
    const other = await newCustomer(bank);
    const transfer = () =>
      c.http.post('/v1/transfers', {
        from_account_id: c.walletId,
        to_account_id: other.walletId,
        amount: { amount: '1.00', currency: 'KES' },
      });
    const first = readStream(bank, token, 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await transfer();
    await transfer();
    const seen = await first;
    expect(seen.status).toBe(200);
    expect(seen.events.map((e) => e.type)).toEqual(['transfer.completed', 'transfer.completed']);

    // An event that committed late with an id older than everything already streamed.
    const late = 'evt_00000000000000000000000001';
    await bank.db.sql.$executeRawUnsafe(
      'INSERT INTO events (id, type, customer_id, data, created_at) VALUES (?, ?, ?, ?, ?)',
      late,
      'test.late_commit',
      c.id,
      '{}',
      new Date(),
    );
    await transfer();
    const resumed = await readStream(bank, token, 2, { 'last-event-id': seen.events[1]?.id ?? '' });
    expect(resumed.events.map((e) => e.id)).toContain(late);
    expect(resumed.events.map((e) => e.id)).not.toContain(seen.events[0]?.id);
    expect(resumed.events.map((e) => e.id)).not.toContain(seen.events[1]?.id);
  });

  it("when a partner or a widget session streams, then it sees its customers' events (widgets from their origin only); staff may not", async () => {
    const c = await linkedCustomer();
    const session = await partner.post<{ token: string }>('/v1/widget-sessions', {
      customer_id: c.id,
      scopes: ['events:read'],
      origin: 'https://shop.example',
    });
    const other = await newCustomer(bank);
    const partnerStream = readStream(bank, tokenOf(partner), 1);
    const widgetStream = readStream(bank, session.body.token, 1, { origin: 'https://shop.example' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await c.http.post('/v1/transfers', {
      from_account_id: c.walletId,
      to_account_id: other.walletId,
      amount: { amount: '1.00', currency: 'KES' },
    });
    expect((await partnerStream).events[0]?.type).toBe('transfer.completed');
    expect((await widgetStream).events[0]?.type).toBe('transfer.completed');
    expect((await readStream(bank, session.body.token, 1, { origin: 'https://evil.example' })).status).toBe(
      403,
    );
    expect((await readStream(bank, tokenOf(admin), 1)).status).toBe(403);
  });
});
