/**
 * Several instances, one database (issue 15): two real `wekeza-server serve` processes on one
 * MariaDB, driven together as a load balancer would. Each accepts the other's tokens and publishes
 * the same JWKS; an Idempotency-Key raced across them has one effect; a lockout counts guesses from
 * both; each bank day is closed once and each audit event sealed once (leases), while both run
 * their scheduler and sealer; an event stream on either instance carries every event. Both start at
 * the same moment on a fresh database, so they also race to migrate and seed it. MySQL/MariaDB only:
 * SQLite serves one process.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../src/bank-calendar.ts';
import { bankDate } from '../src/clock.ts';
import { type Database, openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { reconcile } from '../src/modules/ledger/reconcile.ts';
import { createTestDatabase, type TestBank } from '../src/testing/index.ts';
import { fund, Http, login, newCustomer } from './support/http.ts';
import { type ServerProcess, serveProcess } from './support/server-process.ts';
import { readStream } from './support/sse.ts';

const mysqlUrl = process.env.TEST_MYSQL_URL;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const DAYS_BEHIND = 4;

describe.skipIf(!mysqlUrl)('two instances on one MariaDB', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Database;
  let a: ServerProcess;
  let b: ServerProcess;
  const bankOf = (server: ServerProcess) => ({ url: server.url }) as TestBank;

  beforeAll(async () => {
    database = await createTestDatabase('mysql');
    // A bank opened a few days ago: both instances' schedulers find days to close, at once.
    await migrate(database.url);
    db = await openDatabase(database.url);
    const today = bankDate(new Date(), 'Africa/Nairobi');
    await db.sql.$executeRawUnsafe(
      'INSERT INTO bank_state (id, clock_offset_days, opened_on) VALUES (1, 0, ?)',
      addDays(today, -DAYS_BEHIND),
    );
    const env = { WEKEZA_JOBS_INTERVAL_SECONDS: '1', WEKEZA_AUDIT_SEAL_INTERVAL_MS: '50' };
    [a, b] = await Promise.all([serveProcess(database.url, env), serveProcess(database.url, env)]);
  });
  afterAll(async () => {
    a?.child.kill('SIGKILL');
    b?.child.kill('SIGKILL');
    await db?.close();
    await database?.drop();
  });

  it('when a token comes from one instance, then the other accepts it, and both publish the same JWKS', async () => {
    const token = await new Http(a.url).post<{ access_token: string }>('/v1/auth/token', {
      grant_type: 'password',
      username: 'customer@sandbox.test',
      password: 'sandbox-pass-123',
    });
    expect(token.status).toBe(200);
    const onB = await new Http(b.url, token.body.access_token).get('/v1/me');
    expect(onB.status).toBe(200);
    const [jwksA, jwksB] = await Promise.all(
      [a, b].map(async (s) => (await new Http(s.url).get('/.well-known/jwks.json')).body),
    );
    expect(jwksA).toEqual(jwksB);
  });

  it('when the same Idempotency-Key reaches both instances at the same moment, then the transfer happens once and both answer the same', async () => {
    const admin = await login(bankOf(a), 'admin@sandbox.test');
    const payer = await newCustomer(bankOf(b));
    const payee = await newCustomer(bankOf(a));
    await fund(admin, payer.walletId, '500.00');
    const payerOnA = new Http(a.url, (payer.http as unknown as { token: string }).token);
    const payerOnB = new Http(b.url, (payer.http as unknown as { token: string }).token);
    const body = {
      from_account_id: payer.walletId,
      to_account_id: payee.walletId,
      amount: { amount: '3.00', currency: 'KES' },
    };
    const keys = Array.from({ length: 20 }, () => randomUUID());
    const answers = await Promise.all(
      keys.flatMap((key) => [
        payerOnA.post('/v1/transfers', body, { key }),
        payerOnB.post('/v1/transfers', body, { key }),
      ]),
    );
    for (let i = 0; i < keys.length; i++) {
      const [first, second] = [answers[2 * i]!, answers[2 * i + 1]!];
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(second.body).toEqual(first.body);
    }
    const transfers = await db.prisma.transfer.count({ where: { fromAccountId: payer.walletId } });
    expect(transfers).toBe(keys.length);
    const account = await payerOnA.get<{ balance: { ledger: { amount: string } } }>(
      `/v1/accounts/${payer.walletId}`,
    );
    expect(account.body.balance.ledger.amount).toBe('440.00');
  });

  it('when wrong passwords arrive at both instances at once, then at most the limit are evaluated in all, and the lockout holds on both', async () => {
    const victim = await newCustomer(bankOf(a));
    const guesses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        new Http((i % 2 ? a : b).url).post('/v1/auth/token', {
          grant_type: 'password',
          username: victim.email,
          password: `wrong ${i}`,
        }),
      ),
    );
    const evaluated = guesses.filter((r) => r.status === 400).length;
    expect(evaluated).toBeGreaterThan(0);
    expect(evaluated).toBeLessThanOrEqual(10);
    expect(guesses.filter((r) => r.status === 429)).toHaveLength(40 - evaluated);
    for (const server of [a, b]) {
      const right = await new Http(server.url).post('/v1/auth/token', {
        grant_type: 'password',
        username: victim.email,
        password: 'correct horse battery',
      });
      expect(right.status).toBe(429);
    }
    const lockouts = await db.prisma.auditEvent.count({
      where: { action: 'auth.locked_out', subjectId: victim.id },
    });
    expect(lockouts).toBe(1);
  });

  it('when both instances run the daily close and the sealer, then each bank day is closed once and each audit event is sealed once', async () => {
    const today = bankDate(new Date(), 'Africa/Nairobi');
    for (let i = 0; i < 150; i++) {
      const [row] = await db.sql.$queryRawUnsafe<{ n: unknown }[]>('SELECT COUNT(*) AS n FROM bank_days');
      if (Number(row?.n) >= DAYS_BEHIND) break;
      await sleep(200);
    }
    const days = await db.sql.$queryRawUnsafe<{ bank_date: string }[]>(
      'SELECT bank_date FROM bank_days ORDER BY bank_date',
    );
    expect(days.map((d) => String(d.bank_date))).toEqual(
      Array.from({ length: DAYS_BEHIND }, (_, i) => addDays(today, i - DAYS_BEHIND)),
    );
    const digests = await db.prisma.auditEvent.findMany({ where: { action: 'ledger.digest_recorded' } });
    expect(digests.map((d) => d.subjectId).sort()).toEqual(days.map((d) => String(d.bank_date)));

    // Both sealers race: wait until nothing waits, then every event has exactly one seal, in one tree.
    for (let i = 0; i < 150; i++) {
      const [row] = await db.sql.$queryRawUnsafe<{ n: unknown }[]>('SELECT COUNT(*) AS n FROM audit_pending');
      if (Number(row?.n) === 0) break;
      await sleep(100);
    }
    const [counts] = await db.sql.$queryRawUnsafe<
      { events: unknown; seals: unknown; sealed: unknown; top: unknown }[]
    >(
      `SELECT (SELECT COUNT(*) FROM audit_events) AS events, (SELECT COUNT(*) FROM audit_seals) AS seals,
              (SELECT COUNT(DISTINCT event_id) FROM audit_seals) AS sealed, (SELECT MAX(seq) FROM audit_seals) AS top`,
    );
    expect(Number(counts?.seals)).toBe(Number(counts?.events));
    expect(Number(counts?.sealed)).toBe(Number(counts?.events));
    expect(Number(counts?.top)).toBe(Number(counts?.events) - 1);
    const admin = await login(bankOf(b), 'admin@sandbox.test');
    let verified: { valid: boolean; unsealed: number } | undefined;
    for (let i = 0; i < 50; i++) {
      verified = (await admin.get<{ valid: boolean; unsealed: number }>('/v1/audit-events/verify')).body;
      if (verified.unsealed === 0) break;
      await sleep(100);
    }
    expect(verified).toMatchObject({ valid: true });
    expect((await reconcile(db.prisma)).ok).toBe(true);
  });

  it('when money moves through either instance, then SSE clients on both instances get every event, once, in the same order', async () => {
    const admin = await login(bankOf(b), 'admin@sandbox.test');
    const payer = await newCustomer(bankOf(a));
    const payee = await newCustomer(bankOf(b));
    await fund(admin, payer.walletId, '100.00');
    const token = (payer.http as unknown as { token: string }).token;
    const count = 6;
    // Both streams open before the money moves: each starts with what happens next.
    const onA = readStream(bankOf(a), token, count, {}, 20_000);
    const onB = readStream(bankOf(b), token, count, {}, 20_000);
    await sleep(500);
    for (let i = 0; i < count; i++) {
      const through = i % 2 === 0 ? a : b;
      const sent = await new Http(through.url, token).post('/v1/transfers', {
        from_account_id: payer.walletId,
        to_account_id: payee.walletId,
        amount: { amount: '1.00', currency: 'KES' },
      });
      expect(sent.status).toBe(201);
    }
    const [streamA, streamB] = await Promise.all([onA, onB]);
    expect(streamA.events.map((e) => e.type)).toEqual(Array(count).fill('transfer.completed'));
    expect(new Set(streamA.events.map((e) => e.id)).size).toBe(count);
    expect(streamB.events.map((e) => e.id)).toEqual(streamA.events.map((e) => e.id));
  });
});
