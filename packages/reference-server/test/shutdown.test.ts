/**
 * Graceful shutdown (issue 15): SIGTERM to a real `wekeza-server serve` in the middle of a transfer
 * load. It stops taking connections, finishes the requests in flight (and so their transactions),
 * stops its workers at a safe point, closes its pools and exits 0. Every transfer it acknowledged is
 * in the database and nothing it did not acknowledge is; the books and the audit log hold.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../src/bank-calendar.ts';
import { systemClock } from '../src/clock.ts';
import { openDatabase } from '../src/db/database.ts';
import { DailyClose } from '../src/jobs/daily-close.ts';
import { reconcile } from '../src/modules/ledger/reconcile.ts';
import { createTestDatabase, startTestBank, type TestBank, testDialects } from '../src/testing/index.ts';
import { fund, login, newCustomer } from './support/http.ts';
import { type ServerProcess, serveProcess } from './support/server-process.ts';

describe.each(testDialects())('SIGTERM under load on %s', (dialect) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let server: ServerProcess | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await database?.drop();
  });

  it('when SIGTERM lands mid-load, then the requests in flight finish, the process exits 0, and the database holds exactly what was acknowledged', async () => {
    server = await serveProcess(database.url, { WEKEZA_JOBS_INTERVAL_SECONDS: '1' });
    const bank = { url: server.url } as TestBank;
    const admin = await login(bank, 'admin@sandbox.test');
    const customers = await Promise.all(Array.from({ length: 6 }, () => newCustomer(bank)));
    for (const c of customers) await fund(admin, c.walletId, '1000.00');

    const acknowledged: string[] = [];
    const statuses: number[] = [];
    const failures: string[] = [];
    let signalledAt = Number.POSITIVE_INFINITY;
    let finishedAfterSignal = 0;
    let stop = false;
    const load = customers.map(async (c, i) => {
      const to = customers[(i + 1) % customers.length]!.walletId;
      while (!stop) {
        try {
          const reply = await c.http.post<{ id: string }>(
            '/v1/transfers',
            { from_account_id: c.walletId, to_account_id: to, amount: { amount: '1.00', currency: 'KES' } },
            { key: randomUUID() },
          );
          statuses.push(reply.status);
          if (reply.status === 201) {
            acknowledged.push(reply.body.id);
            if (Date.now() > signalledAt) finishedAfterSignal += 1;
          }
        } catch (error) {
          // After the signal a new request finds the door closed; that is the only failure allowed.
          failures.push(String((error as { cause?: { code?: string } }).cause?.code ?? error));
          if (Date.now() > signalledAt) return;
        }
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    signalledAt = Date.now();
    server.child.kill('SIGTERM');
    const code = await Promise.race([
      server.exited,
      new Promise((resolve) => setTimeout(() => resolve('timeout'), 20_000)),
    ]);
    stop = true;
    await Promise.all(load);

    expect(code, server.output().slice(-3000)).toBe(0);
    expect(
      statuses.every((s) => s === 201),
      JSON.stringify(statuses.filter((s) => s !== 201)),
    ).toBe(true);
    expect(acknowledged.length).toBeGreaterThan(10);
    expect(finishedAfterSignal).toBeGreaterThan(0); // requests in flight at the signal were answered
    for (const failure of failures)
      expect(failure).toMatch(/ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET|other side closed/);
    expect(server.output()).toMatch(/"msg":"shutting down/);
    expect(server.output()).toMatch(/"msg":"stopped"/);

    const db = await openDatabase(database.url);
    try {
      const stored = await db.prisma.transfer.findMany({
        select: { id: true },
        where: { status: 'completed' },
      });
      // Exactly what was acknowledged: nothing lost, and nothing done that a client was not told of.
      expect(stored.map((t) => t.id).sort()).toEqual([...acknowledged].sort());
      expect((await reconcile(db.prisma)).ok).toBe(true);
      const [leases] = await db.sql.$queryRawUnsafe<{ n: unknown }[]>(
        'SELECT COUNT(*) AS n FROM leases WHERE expires_at > ?',
        new Date(),
      );
      expect(Number(leases?.n)).toBe(0); // the sealer and the daily close gave their leases back
    } finally {
      await db.close();
    }
  });
});

describe.each(testDialects())('the daily close stopped by a shutdown on %s', (dialect) => {
  let bank: Awaited<ReturnType<typeof startTestBank>>;
  beforeAll(async () => {
    bank = await startTestBank(dialect);
  });
  afterAll(async () => {
    await bank?.stop();
  });

  it('when the close is stopped during a job, then that job finishes, the next does not start, and the next close (another process) resumes the day without repeating it', async () => {
    const today = bank.services.bankClock.today();
    await bank.db.sql.$executeRawUnsafe(
      'UPDATE bank_state SET opened_on = ? WHERE id = 1',
      addDays(today, -3),
    );
    await bank.services.bankClock.refresh();
    const runs: string[] = [];
    const jobs = (close: DailyClose) => {
      close.register({
        name: 'test.first',
        run: async ({ bankDate }) => {
          runs.push(`first ${bankDate}`);
          if (runs.length === 1) close.stop(); // SIGTERM arrives while the first job of the first day runs
        },
      });
      close.register({
        name: 'test.second',
        run: async ({ bankDate }) => void runs.push(`second ${bankDate}`),
      });
    };
    const first = new DailyClose(bank.db, bank.services.bankClock, bank.services.leases, systemClock);
    jobs(first);
    const stopped = await first.closeThrough(addDays(today, -1));
    expect(stopped.closed).toEqual([]);
    expect(runs).toEqual([`first ${addDays(today, -3)}`]);
    expect((await first.closeThrough(addDays(today, -1))).busy).toBe(true); // a stopped close takes no more work

    const next = new DailyClose(bank.db, bank.services.bankClock, bank.services.leases, systemClock);
    jobs(next);
    const resumed = await next.closeThrough(addDays(today, -1));
    expect(resumed.closed).toEqual([addDays(today, -3), addDays(today, -2), addDays(today, -1)]);
    expect(runs).toEqual([
      `first ${addDays(today, -3)}`,
      `second ${addDays(today, -3)}`,
      `first ${addDays(today, -2)}`,
      `second ${addDays(today, -2)}`,
      `first ${addDays(today, -1)}`,
      `second ${addDays(today, -1)}`,
    ]);
  });
});
