/**
 * The bank date and the daily-jobs engine: days close in order, once, catching up what was missed,
 * one instance at a time; the sandbox test clock moves the bank date and never wall time.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../src/bank-calendar.ts';
import { packageRoot } from '../src/package-root.ts';
import { startTestBank, type TestBank, testDialects } from '../src/testing/index.ts';
import { fund, type Http, login, newCustomer } from './support/http.ts';

describe.each(testDialects())('the daily close on %s', (dialect) => {
  let bank: TestBank;
  let admin: Http;
  /** What the test job saw: `day` per run, in order. */
  const runs: string[] = [];
  let failOn: string | undefined;

  beforeAll(async () => {
    bank = await startTestBank(dialect);
    admin = await login(bank, 'admin@sandbox.test');
    bank.services.dailyClose.register({
      name: 'test.first',
      run: async ({ bankDate }) => {
        runs.push(`first ${bankDate}`);
      },
    });
    bank.services.dailyClose.register({
      name: 'test.second',
      run: async ({ bankDate }) => {
        if (bankDate === failOn) {
          failOn = undefined;
          throw new Error('the job broke half-way');
        }
        runs.push(`second ${bankDate}`);
      },
    });
  });
  afterAll(async () => {
    await bank?.stop();
  });

  it('when the sandbox clock moves 3 days, then each day closes once, its jobs in order, and wall time stands still', async () => {
    const customer = await newCustomer(bank);
    const before = (await admin.get<{ bank_date: string }>('/v1/sandbox/clock')).body.bank_date;
    const moved = await admin.post<{ bank_date: string; closed: string[]; closed_through: string }>(
      '/v1/sandbox/clock/advance',
      { days: 3 },
    );
    expect(moved.status).toBe(200);
    const days = [before, addDays(before, 1), addDays(before, 2)];
    expect(moved.body).toMatchObject({
      bank_date: addDays(before, 3),
      closed: days,
      closed_through: days[2],
    });
    expect(runs).toEqual(days.flatMap((d) => [`first ${d}`, `second ${d}`]));
    // Months of bank days later, the customer is still signed in: tokens keep wall time.
    await admin.post('/v1/sandbox/clock/advance', { days: 60 });
    expect((await customer.http.get('/v1/me')).status).toBe(200);
    // Money that moves now belongs to the new bank day.
    await fund(admin, customer.walletId, '10.00');
    const [entry] = await bank.db.prisma.journalEntry.findMany({ orderBy: { createdAt: 'desc' }, take: 1 });
    expect(entry?.effectiveDate).toBe(addDays(before, 63));
  });

  it('when a job fails half-way through a day, then the day stays open, and the next run resumes there without repeating what finished', async () => {
    runs.length = 0;
    const today = bank.services.bankClock.today();
    failOn = addDays(today, 1);
    await bank.services.bankClock.advance(3);
    await expect(bank.services.dailyClose.closeThrough(addDays(today, 2))).rejects.toThrow(/half-way/);
    expect(await bank.services.dailyClose.closedThrough()).toBe(today);
    const resumed = await bank.services.dailyClose.closeThrough(addDays(today, 2));
    expect(resumed.closed).toEqual([addDays(today, 1), addDays(today, 2)]);
    expect(runs).toEqual([
      `first ${today}`,
      `second ${today}`,
      `first ${addDays(today, 1)}`, // ran before the failure, and not again
      `second ${addDays(today, 1)}`,
      `first ${addDays(today, 2)}`,
      `second ${addDays(today, 2)}`,
    ]);
  });

  it('when two closes start at once, then one does the work and the other says busy; no day runs twice', async () => {
    runs.length = 0;
    await bank.services.bankClock.advance(2);
    const target = addDays(bank.services.bankClock.today(), -1);
    const results = await Promise.all([
      bank.services.dailyClose.closeThrough(target),
      bank.services.dailyClose.closeThrough(target),
    ]);
    const closed = results.flatMap((r) => r.closed);
    expect(closed).toEqual([addDays(target, -1), target]);
    expect(results.filter((r) => r.busy).length).toBeLessThanOrEqual(1);
    expect(runs).toHaveLength(4);
    // A day not over yet is never closed, whatever is asked.
    const tomorrow = addDays(bank.services.bankClock.today(), 1);
    expect((await bank.services.dailyClose.closeThrough(tomorrow)).closed).toEqual([]);
  });

  it('when a customer sends up to the daily limit, then the limit starts afresh on the next bank day', async () => {
    const sender = await newCustomer(bank); // tier 0: KES 20,000 a day
    const receiver = await newCustomer(bank, { nationalId: `DL${dialect}${Date.now() % 100000}` });
    await fund(admin, sender.walletId, '30000.00');
    const send = () =>
      sender.http.post('/v1/transfers', {
        from_account_id: sender.walletId,
        to_account_id: receiver.walletId,
        amount: { amount: '10000.00', currency: 'KES' },
      });
    expect((await send()).status).toBe(201);
    expect((await send()).status).toBe(201);
    expect((await send()).body.code).toBe('limit_exceeded');
    await admin.post('/v1/sandbox/clock/advance', { days: 1 });
    expect((await send()).status).toBe(201);
  });

  it.runIf(dialect === 'sqlite')(
    'when `wekeza-server jobs run` is started by hand, then it closes the missed days and exits',
    async () => {
      // Pretend the bank opened three days ago and nothing has been closed since.
      const { url } = bank.db;
      const today = bank.services.bankClock.today();
      await bank.db.sql.$executeRawUnsafe('DELETE FROM bank_days');
      await bank.db.sql.$executeRawUnsafe('DELETE FROM job_runs');
      await bank.db.sql.$executeRawUnsafe(
        'UPDATE bank_state SET opened_on = ? WHERE id = 1',
        addDays(today, -3),
      );
      const out = execFileSync(
        process.execPath,
        ['--import', 'tsx', '--conditions=@wekeza/source', join(packageRoot(), 'src/cli.ts'), 'jobs', 'run'],
        { env: { ...process.env, DATABASE_URL: url, WEKEZA_MODE: 'sandbox' }, encoding: 'utf8' },
      );
      expect(out).toContain(`closed 3 bank day(s): ${addDays(today, -3)} … ${addDays(today, -1)}`);
      expect(await bank.services.dailyClose.closedThrough()).toBe(addDays(today, -1));
    },
  );
});
