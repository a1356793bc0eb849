/**
 * The money path under attack and under load (issue 8): limits that hold when requests arrive
 * together, a raced duplicate after step-up, the receiver as a balance oracle, reversals that race.
 * Each test fired its requests at the same moment; on MariaDB they failed before the fixes.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import mysql from 'mysql2/promise';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { mysqlConnectionOptions, openDatabase } from '../src/db/database.ts';
import { isRetryableDbError, transaction } from '../src/db/transaction.ts';
import { reconcile } from '../src/modules/ledger/reconcile.ts';
import { startTestBank, type TestBank, TestClock, testDialects } from '../src/testing/index.ts';
import { fund, Http, login, newCustomer } from './support/http.ts';

/** Small limits: tier 0 may hold 500.00 and send 200.00 a day; tier 1 may hold and send plenty. */
const TIERS = JSON.stringify({
  KES: {
    0: { max_balance: '500.00', daily_outgoing: '200.00', loan_cap: '50.00' },
    1: { max_balance: '100000.00', daily_outgoing: '100000.00', loan_cap: '500.00' },
    2: { max_balance: '1000000.00', daily_outgoing: '500000.00', loan_cap: '100000.00' },
  },
});

const kes = (amount: string) => ({ amount, currency: 'KES' });

describe.each(testDialects())('the money path on %s', (dialect) => {
  let bank: TestBank;
  let admin: Http;
  const clock = new TestClock();
  beforeAll(async () => {
    // A configured signing key, so a second app on the same database accepts the same tokens.
    const signingKey = generateKeyPairSync('ed25519')
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    bank = await startTestBank(
      dialect,
      { WEKEZA_KYC_TIERS: TIERS, WEKEZA_SIGNING_KEY: signingKey },
      { clock },
    );
    admin = await login(bank, 'admin@sandbox.test');
  });
  afterAll(async () => {
    await bank?.stop();
  });

  it('when 32 transfers that together exceed the daily limit arrive at once, then exactly the ones that fit pass', async () => {
    const sender = await newCustomer(bank); // tier 0: 200.00 a day
    await fund(admin, sender.walletId, '500.00');
    const receivers = await Promise.all(
      Array.from({ length: 4 }, (_, i) => newCustomer(bank, { nationalId: `NID${dialect}${i}` })),
    );
    const replies = await Promise.all(
      Array.from({ length: 32 }, (_, i) =>
        sender.http.post('/v1/transfers', {
          from_account_id: sender.walletId,
          to_account_id: receivers[i % 4]!.walletId,
          amount: kes('10.00'),
        }),
      ),
    );
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(20);
    expect(statuses.filter((s) => s === 422)).toHaveLength(12);
    for (const r of replies.filter((r) => r.status === 422)) expect(r.body.code).toBe('limit_exceeded');
    const wallet = await sender.http.get<{ balance: { ledger: { amount: string } } }>(
      `/v1/accounts/${sender.walletId}`,
    );
    expect(wallet.body.balance.ledger.amount).toBe('300.00');
    // The day's total is one row, kept in step with the transfers it counts.
    const usage = await bank.db.prisma.dailyOutgoing.findMany({ where: { customerId: sender.id } });
    expect(usage.map((u) => u.sentMinor)).toEqual([20_000n]);
  });

  it("when 32 payers send at once into one wallet, then exactly the ones that fit under the receiver's maximum balance pass", async () => {
    const receiver = await newCustomer(bank); // tier 0: holds at most 500.00
    const payers = await Promise.all(
      Array.from({ length: 32 }, (_, i) => newCustomer(bank, { nationalId: `PAY${dialect}${i}` })),
    );
    await Promise.all(payers.map((p) => fund(admin, p.walletId, '100.00')));
    const replies = await Promise.all(
      payers.map((p) =>
        p.http.post('/v1/transfers', {
          from_account_id: p.walletId,
          to_account_id: receiver.walletId,
          amount: kes('20.00'),
        }),
      ),
    );
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(25);
    expect(statuses.filter((s) => s === 422)).toHaveLength(7);
    for (const r of replies.filter((r) => r.status === 422))
      expect(r.body.code).toBe('recipient_cannot_receive');
    const wallet = await receiver.http.get<{ balance: { ledger: { amount: string } } }>(
      `/v1/accounts/${receiver.walletId}`,
    );
    expect(wallet.body.balance.ledger.amount).toBe('500.00');
  });

  it('when two requests with one Idempotency-Key and one OTP race, then both answer the one 201 and the money moves once', async () => {
    const payer = await newCustomer(bank, { nationalId: `OTP${dialect}1` });
    const payee = await newCustomer(bank, { nationalId: `OTP${dialect}2` });
    await fund(admin, payer.walletId, '1000.00');
    const started = await payer.http.post<{ secret: string }>('/v1/mfa/totp', {
      password: 'correct horse battery',
    });
    expect(started.status).toBe(200);
    clock.advance(30_000);
    const epoch = () => Math.floor(clock.now().getTime() / 1000);
    const enabled = await payer.http.post('/v1/mfa/totp/verify', {
      code: await generate({ secret: started.body.secret, epoch: epoch() }),
    });
    expect(enabled.status).toBe(200);
    clock.advance(30_000);
    const otp = await generate({ secret: started.body.secret, epoch: epoch() });
    const body = {
      from_account_id: payer.walletId,
      to_account_id: payee.walletId,
      amount: kes('100.00'),
      otp,
    };
    const key = `raced-step-up-${dialect}`;
    const replies = await Promise.all(
      Array.from({ length: 4 }, () => payer.http.post('/v1/transfers', body, { key })),
    );
    for (const reply of replies) {
      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      expect(reply.body).toEqual(replies[0]!.body);
    }
    const moved = await payee.http.get<{ balance: { ledger: { amount: string } } }>(
      `/v1/accounts/${payee.walletId}`,
    );
    expect(moved.body.balance.ledger.amount).toBe('100.00');
  });

  it('when a stranger probes two receivers that cannot receive for different reasons, then both answers are identical and say nothing about them', async () => {
    const stranger = await newCustomer(bank, { nationalId: `STR${dialect}` });
    await fund(admin, stranger.walletId, '1000.00');
    const full = await newCustomer(bank); // tier 0, filled to its 500.00 cap
    await fund(admin, full.walletId, '500.00');
    const nearlyFull = await newCustomer(bank);
    await fund(admin, nearlyFull.walletId, '499.00');
    const usd = await newCustomer(bank, { nationalId: `USD${dialect}` });
    const usdWallet = await bank.services.accounts.openAccount(bank.db.prisma, usd.id, 'wallet', 'USD');
    const send = (to: string, amount: string) =>
      stranger.http.post('/v1/transfers', {
        from_account_id: stranger.walletId,
        to_account_id: to,
        amount: kes(amount),
      });
    const answers = [
      await send(full.walletId, '1.00'),
      await send(nearlyFull.walletId, '2.00'),
      await send(usdWallet.id, '1.00'),
    ];
    const strip = (b: Record<string, unknown>) => {
      const { request_id: _r, ...rest } = b;
      return rest;
    };
    for (const a of answers) {
      expect(a.status).toBe(422);
      expect(a.body.code).toBe('recipient_cannot_receive');
      expect(strip(a.body)).toEqual(strip(answers[0]!.body));
      expect(JSON.stringify(strip(a.body))).not.toMatch(/500|499|USD|balance|tier/i);
    }
    // A sender with no money learns nothing about the receiver: its own refusal comes first.
    const broke = await newCustomer(bank, { nationalId: `BRK${dialect}` });
    const probe = await broke.http.post('/v1/transfers', {
      from_account_id: broke.walletId,
      to_account_id: full.walletId,
      amount: kes('1.00'),
    });
    expect(probe.status).toBe(422);
    expect(probe.body.code).toBe('insufficient_funds');
  });

  it('when two reversals of one entry race, then exactly one posts', async () => {
    const a = await newCustomer(bank, { nationalId: `REVA${dialect}` });
    const b = await newCustomer(bank, { nationalId: `REVB${dialect}` });
    await fund(admin, a.walletId, '100.00');
    const sent = await a.http.post<{ journal_entry_id: string }>('/v1/transfers', {
      from_account_id: a.walletId,
      to_account_id: b.walletId,
      amount: kes('10.00'),
    });
    expect(sent.status).toBe(201);
    const reverse = () =>
      transaction(bank.db, (tx) =>
        bank.services.ledger.reverse(tx, sent.body.journal_entry_id, 'raced reversal'),
      ).then(
        () => 'posted',
        (error: Error) => error.message,
      );
    const outcomes = await Promise.all(Array.from({ length: 6 }, reverse));
    expect(outcomes.filter((o) => o === 'posted')).toHaveLength(1);
    const reversals = await bank.db.prisma.journalEntry.count({
      where: { reversesId: sent.body.journal_entry_id },
    });
    expect(reversals).toBe(1);
    expect((await reconcile(bank.db.prisma)).ok).toBe(true);
  });

  it('when an admin reverses a transfer, then a reversing entry undoes it once, the transfer says reversed, and it is audited', async () => {
    const a = await newCustomer(bank, { nationalId: `RVA${dialect}` });
    const b = await newCustomer(bank, { nationalId: `RVB${dialect}` });
    await fund(admin, a.walletId, '100.00');
    const sent = await a.http.post<{ id: string }>('/v1/transfers', {
      from_account_id: a.walletId,
      to_account_id: b.walletId,
      amount: kes('40.00'),
    });
    expect((await admin.post(`/v1/transfers/${sent.body.id}/reverse`, {})).status).toBe(422);
    expect((await a.http.post(`/v1/transfers/${sent.body.id}/reverse`, { reason: 'mine' })).status).toBe(403);
    const reversed = await admin.post(`/v1/transfers/${sent.body.id}/reverse`, {
      reason: 'sent to the wrong wallet',
    });
    expect(reversed.status).toBe(200);
    expect(reversed.body).toMatchObject({
      status: 'reversed',
      reversal_entry_id: expect.stringMatching(/^je_/),
    });
    expect((await admin.post(`/v1/transfers/${sent.body.id}/reverse`, { reason: 'again' })).status).toBe(409);
    const balance = async (c: typeof a) =>
      (await c.http.get<{ balance: { ledger: { amount: string } } }>(`/v1/accounts/${c.walletId}`)).body
        .balance.ledger.amount;
    expect([await balance(a), await balance(b)]).toEqual(['100.00', '0.00']);
    expect((await a.http.get(`/v1/transfers/${sent.body.id}`)).body.status).toBe('reversed');
    const log = await admin.get<{ data: { action: string; subject: { id: string }; reason: string }[] }>(
      '/v1/audit-events?limit=50',
    );
    expect(
      log.body.data.find((e) => e.action === 'transfer.reversed' && e.subject.id === sent.body.id)?.reason,
    ).toBe('sent to the wrong wallet');
    // The receiver spent it: the reversal cannot overdraw them.
    const c = await newCustomer(bank, { nationalId: `RVC${dialect}` });
    await fund(admin, a.walletId, '10.00');
    const spent = await a.http.post<{ id: string }>('/v1/transfers', {
      from_account_id: a.walletId,
      to_account_id: c.walletId,
      amount: kes('10.00'),
    });
    await c.http.post('/v1/transfers', {
      from_account_id: c.walletId,
      to_account_id: b.walletId,
      amount: kes('10.00'),
    });
    const overdraw = await admin.post(`/v1/transfers/${spent.body.id}/reverse`, { reason: 'too late' });
    expect(overdraw.status).toBe(422);
    expect(overdraw.body.code).toBe('insufficient_funds');
    expect((await reconcile(bank.db.prisma)).ok).toBe(true);
  });

  it('when a client sends its own X-Request-Id, then only a well-formed one is kept (it goes into the audit log)', async () => {
    const fine = await fetch(`${bank.url}/healthz`, { headers: { 'x-request-id': 'partner-req.42_a' } });
    expect(fine.headers.get('x-request-id')).toBe('partner-req.42_a');
    for (const bad of ['x'.repeat(65), 'has space', '<script>', "drop'table", '']) {
      const res = await fetch(`${bank.url}/healthz`, { headers: { 'x-request-id': bad } });
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it.runIf(dialect === 'mysql')(
    "when MariaDB's snapshot isolation refuses a locked read (error 1020), then the transaction is retried, never a 500",
    async () => {
      // The error itself, as MariaDB >= 11.6 raises it by default, is classed as retryable.
      const url = bank.db.url;
      const open = () => mysql.createConnection(mysqlConnectionOptions(url));
      const [a, b] = await Promise.all([open(), open()]);
      try {
        await a.query('CREATE TABLE snapshot_probe (id INT PRIMARY KEY, n INT) ENGINE=InnoDB');
        await a.query('INSERT INTO snapshot_probe VALUES (1, 0)');
        for (const c of [a, b]) await c.query('SET SESSION innodb_snapshot_isolation = ON');
        await a.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
        await a.beginTransaction();
        await a.query('SELECT n FROM snapshot_probe WHERE id = 1');
        await b.query('UPDATE snapshot_probe SET n = n + 1 WHERE id = 1');
        const error = await a
          .query('SELECT n FROM snapshot_probe WHERE id = 1 FOR UPDATE')
          .catch((e: unknown) => e);
        expect((error as { errno?: number }).errno).toBe(1020);
        expect(isRetryableDbError(error)).toBe(true);
        await a.rollback();
        await a.query('DROP TABLE snapshot_probe');
      } finally {
        await Promise.all([a.end(), b.end()]);
      }

      // Two servers with snapshot isolation on, as MariaDB >= 11.6 has it by default: one whose
      // connections kept REPEATABLE READ (so its locked reads of a hot wallet fail with 1020 and are
      // retried; under this much contention some run out of retries: 503 with Retry-After, never a
      // 500), and one in the bank's own READ COMMITTED, where every payment goes through.
      const hot = await newCustomer(bank, { nationalId: `HOT${dialect}` });
      const payers = await Promise.all(
        Array.from({ length: 32 }, (_, i) => newCustomer(bank, { nationalId: `SI${i}x` })),
      );
      await Promise.all(payers.map((p) => fund(admin, p.walletId, '50.00')));
      for (const [sessionSql, check] of [
        [
          [
            'SET SESSION innodb_snapshot_isolation = ON',
            'SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ',
          ],
          (statuses: number[]) => {
            expect(statuses.filter((s) => s !== 201 && s !== 503)).toEqual([]);
            expect(statuses).toContain(201);
          },
        ],
        [
          ['SET SESSION innodb_snapshot_isolation = ON'],
          (statuses: number[]) => expect(statuses).toEqual(Array(32).fill(201)),
        ],
      ] as const) {
        const db = await openDatabase(url, { sessionSql: [...sessionSql] });
        const { app } = await createApp({
          config: bank.config,
          db,
          clock,
          log: (m, f) => console.error(m, f),
        });
        const server = app.listen(0, '127.0.0.1');
        await new Promise((resolve) => server.once('listening', resolve));
        try {
          const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
          const replies = await Promise.all(
            payers.map((p) =>
              new Http(base, tokenOf(p.http)).post('/v1/transfers', {
                from_account_id: p.walletId,
                to_account_id: hot.walletId,
                amount: kes('1.00'),
              }),
            ),
          );
          const odd = replies.filter((r) => r.status !== 201 && r.status !== 503);
          if (odd.length > 0) console.error('unexpected answers', JSON.stringify(odd.map((r) => r.body)));
          check(replies.map((r) => r.status));
          for (const r of replies.filter((r) => r.status === 503))
            expect(r.headers.get('retry-after')).toBe('1');
          expect((await reconcile(bank.db.prisma)).ok).toBe(true);
        } finally {
          server.close();
          await db.close();
        }
      }
    },
  );
});

function tokenOf(http: Http): string {
  return String((http as unknown as { token: string }).token);
}
