import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcile } from '../src/modules/ledger/reconcile.ts';
import { startTestBank, type TestBank, testDialects } from '../src/testing/index.ts';
import { fund, type Http, login, newCustomer, type Reply } from './support/http.ts';

const ACCOUNTS = 50;
const CLIENTS = 32;
const TRANSFERS = 2_000;
const OPENING = 1_000_00n; // KES 1,000.00 each

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Job {
  key: string;
  from: number;
  to: number;
  amountMinor: bigint;
  /** Sent twice at the same moment with the same key. */
  racing: boolean;
  /** Sent again after the first answer, with the same key. */
  resend: boolean;
}

describe.each(testDialects())('the ledger under concurrency on %s', (dialect) => {
  let bank: TestBank;
  const customers: { http: Http; walletId: string }[] = [];
  beforeAll(async () => {
    bank = await startTestBank(dialect);
    const admin = await login(bank, 'admin@sandbox.test');
    for (let i = 0; i < ACCOUNTS; i++) {
      const customer = await newCustomer(bank);
      await fund(admin, customer.walletId, '1000.00');
      customers.push(customer);
    }
  });
  afterAll(async () => {
    await bank?.stop();
  });

  it(`when ${CLIENTS} clients send ${TRANSFERS} random transfers among ${ACCOUNTS} accounts, with retries, races and overdrafts, then the books stay exact`, async () => {
    const prisma = bank.db.prisma;
    const sumBefore = await prisma.account.aggregate({
      _sum: { balanceMinor: true },
      where: { type: 'wallet' },
    });

    const next = random(20261201);
    const jobs: Job[] = Array.from({ length: TRANSFERS }, (_, i) => {
      const from = Math.floor(next() * ACCOUNTS);
      const to = (from + 1 + Math.floor(next() * (ACCOUNTS - 1))) % ACCOUNTS;
      // Mostly small amounts; one in eight far beyond any balance.
      const overdraw = next() < 0.125;
      const amountMinor = overdraw
        ? 5_000_00n + BigInt(Math.floor(next() * 100_000))
        : 1n + BigInt(Math.floor(next() * 200_00));
      const kind = next();
      return {
        key: `conc-${dialect}-${i}`,
        from,
        to,
        amountMinor,
        racing: kind < 0.08,
        resend: kind >= 0.08 && kind < 0.16,
      };
    });

    const answers = new Map<string, Reply[]>();
    const send = async (job: Job): Promise<Reply> => {
      const customer = customers[job.from]!;
      const amount = `${job.amountMinor / 100n}.${(job.amountMinor % 100n).toString().padStart(2, '0')}`;
      for (let attempt = 0; ; attempt++) {
        // A client retries a busy server (503) or a dropped connection with the same key; anything
        // else is the final answer.
        const reply = await customer.http
          .post(
            '/v1/transfers',
            {
              from_account_id: customer.walletId,
              to_account_id: customers[job.to]!.walletId,
              amount: { amount, currency: 'KES' },
            },
            { key: job.key },
          )
          .catch((error: unknown) => {
            if (attempt >= 10) throw error;
            return undefined;
          });
        if (reply && (reply.status !== 503 || attempt >= 10)) return reply;
      }
    };
    const record = (job: Job, reply: Reply) => {
      const list = answers.get(job.key) ?? [];
      list.push(reply);
      answers.set(job.key, list);
    };

    let cursor = 0;
    const worker = async () => {
      while (cursor < jobs.length) {
        const job = jobs[cursor++]!;
        if (job.racing) {
          const replies = await Promise.all([send(job), send(job)]);
          for (const reply of replies) record(job, reply);
        } else {
          record(job, await send(job));
          if (job.resend) record(job, await send(job));
        }
      }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: CLIENTS }, worker));
    const seconds = (Date.now() - started) / 1000;

    // Every answer is a completed transfer or an honest refusal, never a server error.
    const statuses = new Map<number, number>();
    for (const replies of answers.values())
      for (const r of replies) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([201, 422]));
    expect([...statuses.keys()].every((s) => s === 201 || s === 422)).toBe(true);

    // Each key was applied exactly once, and every repeat got the very same answer.
    const completed = new Set<string>();
    for (const [key, replies] of answers) {
      const first = replies[0]!;
      for (const r of replies) {
        expect(r.status, key).toBe(first.status);
        expect(r.body, key).toEqual(first.body);
      }
      if (first.status === 201) completed.add(String(first.body.id));
      else expect(first.body.code).toBe('insufficient_funds');
    }
    const stored = await prisma.transfer.findMany({
      where: { initiatedBy: { in: [] } },
      select: { id: true },
    });
    expect(stored).toEqual([]);
    const transfers = await prisma.transfer.findMany({ select: { id: true } });
    expect(transfers.length).toBe(completed.size);
    expect(new Set(transfers.map((t) => t.id))).toEqual(completed);
    expect(completed.size).toBeGreaterThan(TRANSFERS / 2);

    // Money is neither created nor lost, and no customer account went below zero.
    const sumAfter = await prisma.account.aggregate({
      _sum: { balanceMinor: true },
      where: { type: 'wallet' },
    });
    expect(sumAfter._sum.balanceMinor).toBe(sumBefore._sum.balanceMinor);
    expect(sumAfter._sum.balanceMinor).toBe(OPENING * BigInt(ACCOUNTS) + 2_500_000n);
    expect(await prisma.account.count({ where: { type: { not: 'bank' }, balanceMinor: { lt: 0n } } })).toBe(
      0,
    );

    // Every balance equals the sum of its postings; Σ debits = Σ credits.
    const report = await reconcile(prisma);
    expect(report.balanceMismatches).toEqual([]);
    expect(report.countMismatches).toEqual([]);
    expect(report.unbalancedEntries).toEqual([]);
    expect(report.totals.every((t) => t.debits === t.credits)).toBe(true);
    expect(report.ok).toBe(true);
    console.log(
      `[${dialect}] ${TRANSFERS} transfers by ${CLIENTS} clients in ${seconds.toFixed(1)} s: ${completed.size} completed, statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
  });
});
