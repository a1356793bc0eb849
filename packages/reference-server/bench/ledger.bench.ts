/**
 * `pnpm bench:ledger`: transfers per second and p50/p99 latency through the HTTP API on MariaDB
 * with 1, 8 and 32 concurrent clients, side by side with the same double-entry transfer done by
 * raw SQL through mysql2 on the same database (the limit), plus a hot-account run where every
 * transfer pays into one account. A script, not a test: it prints a table and the ratios.
 *
 *   BENCH_MYSQL_URL=mysql://root@127.0.0.1:3306  BENCH_TRANSFERS=2000  pnpm bench:ledger
 */
import { createHash, randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import mysql from 'mysql2/promise';
import { loadConfig } from '../src/config.ts';
import { transaction } from '../src/db/transaction.ts';
import { newId } from '../src/ids.ts';
import { hashSecret } from '../src/modules/identity/passwords.ts';
import { reconcile } from '../src/modules/ledger/reconcile.ts';
import { start } from '../src/server.ts';
import { createTestDatabase } from '../src/testing/index.ts';

const SERVER = process.env.BENCH_MYSQL_URL ?? process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const PER_RUN = Number(process.env.BENCH_TRANSFERS ?? 2000);
const ACCOUNTS = 200;
const CONCURRENCY = [1, 8, 32];

interface Result {
  label: string;
  clients: number;
  count: number;
  seconds: number;
  p50: number;
  p99: number;
  failures: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** Runs `count` operations with `clients` concurrent loops and times each one. */
async function drive(
  label: string,
  clients: number,
  count: number,
  op: (i: number) => Promise<boolean>,
): Promise<Result> {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        if (!(await op(i))) failures++;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    label,
    clients,
    count,
    seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failures,
  };
}

async function main() {
  process.env.TEST_MYSQL_URL = SERVER;
  const database = await createTestDatabase('mysql');
  const config = loadConfig({ WEKEZA_MODE: 'sandbox', DATABASE_URL: database.url });
  const bank = await start({ port: 0, config });
  const pool = mysql.createPool({ uri: database.url, connectionLimit: 32 });
  try {
    // Customers, wallets and money, straight through the services (sign-up's password hashing is not what we measure).
    const passwordHash = await hashSecret(randomUUID());
    const customers: { id: string; token: string; wallet: string }[] = [];
    for (let i = 0; i < ACCOUNTS; i++) {
      const customer = await transaction(bank.db, async (tx) => {
        const user = await tx.user.create({
          data: {
            id: newId('cus'),
            role: 'customer',
            email: `bench${i}@example.test`,
            phone: null,
            fullName: `Bench ${i}`,
            nationalId: null,
            kycTier: 2,
            passwordHash,
            status: 'active',
            createdAt: new Date(),
          },
        });
        const wallet = await bank.services.accounts.openAccount(tx, user.id, 'wallet', 'KES');
        await bank.services.sandbox.deposit(
          tx,
          { id: user.id, role: 'customer' },
          wallet.id,
          100_000_000n,
          'KES',
        );
        return { id: user.id, wallet: wallet.id };
      });
      const { token } = await bank.services.tokens.issue(customer.id, 'customer');
      customers.push({ id: customer.id, token, wallet: customer.wallet });
    }
    const pair = (i: number, hot: boolean) => {
      const from = customers[(i * 7919) % ACCOUNTS]!;
      const to = hot ? customers[0]! : customers[(i * 7919 + 1 + (i % (ACCOUNTS - 1))) % ACCOUNTS]!;
      return from === to ? { from: customers[1]!, to } : { from, to };
    };

    let reported = false;
    const viaHttp = (hot: boolean) => async (i: number) => {
      const { from, to } = pair(i, hot);
      const res = await fetch(`${bank.url}/v1/transfers`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${from.token}`,
          'content-type': 'application/json',
          'idempotency-key': randomUUID(),
        },
        body: JSON.stringify({
          from_account_id: from.wallet,
          to_account_id: to.wallet,
          amount: { amount: '1.00', currency: 'KES' },
        }),
      });
      const body = await res.text();
      if (res.status !== 201 && !reported) {
        reported = true;
        console.error(`first refused transfer: ${res.status} ${body}`);
      }
      return res.status === 201;
    };

    /**
     * The same transfer in raw SQL through mysql2: the floor under what any layer on top can do.
     * `bare` is the double-entry core alone (lock, entry, postings, balances, transfer row,
     * idempotency record); otherwise it also runs every statement the API's transfer runs:
     * the customers' KYC rows, the day's outgoing total and the receiver's cap, the second-factor
     * check, the audit chain and the two events.
     */
    const viaSql = (hot: boolean, bare: boolean) => async (i: number) => {
      const { from, to } = pair(i, hot);
      const connection = await pool.getConnection();
      try {
        await connection.beginTransaction();
        await connection.query(
          'SELECT response_status FROM idempotency_keys WHERE principal_id = ? AND idem_key = ?',
          [from.id, randomUUID()],
        );
        const ids = [from.wallet, to.wallet].sort();
        const rows: { id: string; balance_minor: string; held_minor: string; posting_count: string }[] = [];
        for (const id of ids) {
          const [found] = (await connection.query(
            'SELECT id, balance_minor, held_minor, posting_count FROM accounts WHERE id = ? FOR UPDATE',
            [id],
          )) as unknown as [typeof rows];
          rows.push(found[0]!);
        }
        const byId = new Map(rows.map((r) => [r.id, r]));
        const a = byId.get(from.wallet)!;
        const b = byId.get(to.wallet)!;
        if (BigInt(a.balance_minor) - BigInt(a.held_minor) < 100n) throw new Error('insufficient funds');
        if (!bare) {
          await connection.query(
            'SELECT id, kyc_tier, role, status FROM users WHERE id IN (?, ?) ORDER BY id FOR UPDATE',
            [from.id, to.id],
          );
          await connection.query(
            "SELECT sent_minor FROM daily_outgoing WHERE customer_id = ? AND currency = 'KES' AND bank_date = '2026-12-01'",
            [from.id],
          );
          await connection.query('SELECT status FROM totp_factors WHERE user_id = ?', [from.id]);
          await connection.query(
            `SELECT COALESCE(SUM(balance_minor), 0) AS total FROM accounts
              WHERE owner_id = ? AND currency = 'KES' AND type IN ('wallet', 'savings', 'fixed_deposit')`,
            [to.id],
          );
          await connection.query(
            `INSERT INTO daily_outgoing (customer_id, currency, bank_date, sent_minor) VALUES (?, 'KES', '2026-12-01', 100)
             ON DUPLICATE KEY UPDATE sent_minor = sent_minor + VALUES(sent_minor)`,
            [from.id],
          );
        }
        const entry = newId('je');
        await connection.query(
          "INSERT INTO journal_entries VALUES (?, 'transfer', 'bench', NULL, '2026-12-01', UTC_TIMESTAMP(3))",
          [entry],
        );
        await connection.query(
          "INSERT INTO postings VALUES (?, ?, ?, ?, 'debit', 100, 'KES', ?, UTC_TIMESTAMP(3)), (?, ?, ?, ?, 'credit', 100, 'KES', ?, UTC_TIMESTAMP(3))",
          [
            newId('txn'),
            entry,
            a.id,
            BigInt(a.posting_count) + 1n,
            BigInt(a.balance_minor) - 100n,
            newId('txn'),
            entry,
            b.id,
            BigInt(b.posting_count) + 1n,
            BigInt(b.balance_minor) + 100n,
          ],
        );
        await connection.query(
          'UPDATE accounts SET balance_minor = balance_minor - 100, posting_count = posting_count + 1 WHERE id = ?',
          [a.id],
        );
        await connection.query(
          'UPDATE accounts SET balance_minor = balance_minor + 100, posting_count = posting_count + 1 WHERE id = ?',
          [b.id],
        );
        await connection.query(
          `INSERT INTO transfers (id, initiated_by, from_account_id, to_account_id, amount_minor, currency, reference, status, entry_id, created_at)
           VALUES (?, 'bench', ?, ?, 100, 'KES', NULL, 'completed', ?, UTC_TIMESTAMP(3))`,
          [newId('trf'), a.id, b.id, entry],
        );
        if (!bare) {
          const [[head]] = (await connection.query(
            'SELECT seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE',
          )) as unknown as [{ seq: string; hash: string }[]];
          const seq = BigInt(head!.seq) + 1n;
          const hash = createHash('sha256').update(`${head!.hash}\n${seq}`).digest('hex');
          await connection.query(
            `INSERT INTO audit_events (seq, id, actor_id, actor_role, action, subject_type, subject_id, before_state, after_state,
                                       reason, request_id, created_at, prev_hash, hash)
             VALUES (?, ?, ?, 'customer', 'transfer.created', 'transfer', ?, ?, ?, NULL, NULL, UTC_TIMESTAMP(3), ?, ?)`,
            [seq, newId('aud'), from.id, entry, '{}', '{}', head!.hash, hash],
          );
          await connection.query('UPDATE audit_chain_head SET seq = ?, hash = ? WHERE id = 1', [seq, hash]);
          await connection.query(
            `INSERT INTO events (id, type, customer_id, data, created_at) VALUES
               (?, 'transfer.completed', ?, '{}', UTC_TIMESTAMP(3)), (?, 'transfer.completed', ?, '{}', UTC_TIMESTAMP(3))`,
            [newId('evt'), from.id, newId('evt'), to.id],
          );
        }
        await connection.query(
          'INSERT INTO idempotency_keys VALUES (?, ?, ?, 201, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3) + INTERVAL 1 DAY)',
          [from.id, randomUUID(), 'x'.repeat(64), '{"status":"completed"}'],
        );
        await connection.commit();
        return true;
      } catch {
        await connection.rollback();
        return false;
      } finally {
        connection.release();
      }
    };

    // Warm both paths up (JIT, pools, buffer pool) before measuring.
    await drive('warm-up', 8, 200, viaHttp(false));
    await drive('warm-up', 8, 200, viaSql(false, false));

    const results: Result[] = [];
    for (const clients of CONCURRENCY) {
      results.push(await drive('raw SQL, bare ledger', clients, PER_RUN, viaSql(false, true)));
      results.push(await drive('raw SQL (mysql2)', clients, PER_RUN, viaSql(false, false)));
      results.push(await drive('HTTP API', clients, PER_RUN, viaHttp(false)));
    }
    results.push(await drive('raw SQL, hot account', 32, PER_RUN, viaSql(true, false)));
    results.push(await drive('HTTP API, hot account', 32, PER_RUN, viaHttp(true)));

    const report = await reconcile(bank.db.prisma);
    const rows = results.map((r) => ({
      run: r.label,
      clients: r.clients,
      'transfers/s': (r.count / r.seconds).toFixed(0),
      'p50 ms': r.p50.toFixed(1),
      'p99 ms': r.p99.toFixed(1),
      failed: r.failures,
    }));
    console.table(rows);
    const rate = (label: string, clients: number) => {
      const r = results.find((x) => x.label === label && x.clients === clients)!;
      return r.count / r.seconds;
    };
    const percent = (a: number, b: number) => `${((a / b) * 100).toFixed(0)} %`;
    for (const clients of CONCURRENCY) {
      console.log(
        `HTTP / raw SQL at ${clients} client(s): ${percent(rate('HTTP API', clients), rate('raw SQL (mysql2)', clients))} of the same statements, ${percent(rate('HTTP API', clients), rate('raw SQL, bare ledger', clients))} of the bare ledger`,
      );
    }
    console.log(
      `hot account, HTTP / raw SQL at 32 clients: ${((rate('HTTP API, hot account', 32) / rate('raw SQL, hot account', 32)) * 100).toFixed(0)} %`,
    );
    console.log(`books reconcile after the run: ${report.ok}`);
    const [versionRows] = (await pool.query('SELECT VERSION() AS v')) as unknown as [{ v: string }[]];
    console.log(
      `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${versionRows[0]?.v}`,
    );
  } finally {
    await pool.end();
    await bank.close();
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
