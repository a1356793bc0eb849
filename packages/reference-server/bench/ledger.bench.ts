import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import mysql from 'mysql2/promise';
import { createServices } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { transaction } from '../src/db/transaction.ts';
import { newId } from '../src/ids.ts';
import { hashSecret } from '../src/modules/identity/passwords.ts';
import { reconcile } from '../src/modules/ledger/reconcile.ts';
import { createTestDatabase } from '../src/testing/index.ts';
import { serveInChild } from './serve.ts';

const SERVER = process.env.BENCH_MYSQL_URL ?? process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const PER_RUN = Number(process.env.BENCH_TRANSFERS ?? 2000);
const VERIFY_EVENTS = Number(process.env.BENCH_VERIFY_EVENTS ?? 100_000);
const ACCOUNTS = 200;
const CONCURRENCY = [1, 8, 32];
const PORT = 39_000 + Math.floor(Math.random() * 1000);

interface Result {
  label: string;
  clients: number;
  count: number;
  seconds: number;
  p50: number;
  p99: number;
  failures: number;
  /** The server process's CPU time per transfer (ms), HTTP runs only: steady on a shared machine. */
  cpuPerTransfer?: number;
}

/** CPU time (user + system, ms) a process has used, from /proc (Linux); undefined elsewhere. */
function cpuMs(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms
  } catch {
    return undefined;
  }
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** Runs `count` operations (each worth `weight` transfers) with `clients` concurrent loops, timing each. */
async function drive(
  label: string,
  clients: number,
  count: number,
  op: (i: number) => Promise<boolean>,
  weight = 1,
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
    count: count * weight,
    seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failures,
  };
}

async function main() {
  process.env.TEST_MYSQL_URL = SERVER;
  const database = await createTestDatabase('mysql');
  const signingKey = generateKeyPairSync('ed25519')
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
  const env = {
    WEKEZA_MODE: 'sandbox',
    WEKEZA_SIGNING_KEY: signingKey,
    WEKEZA_JOBS_INTERVAL_SECONDS: '0',
    // Tier 2 with room: the benchmark measures the path, not the limits refusing it.
    WEKEZA_KYC_TIERS: JSON.stringify({
      KES: Object.fromEntries(
        [0, 1, 2].map((t) => [
          t,
          { max_balance: '9000000000.00', daily_outgoing: '9000000000.00', loan_cap: '1.00' },
        ]),
      ),
    }),
    WEKEZA_STEP_UP_THRESHOLDS: JSON.stringify({ KES: '9000000000.00' }),
  };
  await migrate(database.url);
  // Customers, wallets and money straight through the services (sign-up's password hashing is not measured).
  const seedDb = await openDatabase(database.url);
  const seed = await createServices({
    config: loadConfig({ ...env, DATABASE_URL: database.url, WEKEZA_AUDIT_SEAL_INTERVAL_MS: '0' }),
    db: seedDb,
  });
  const passwordHash = await hashSecret(randomUUID());
  const customers: { id: string; token: string; wallet: string }[] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const customer = await transaction(seedDb, async (tx) => {
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
      const wallet = await seed.accounts.openAccount(tx, user.id, 'wallet', 'KES');
      await seed.sandbox.deposit(tx, { id: user.id, role: 'customer' }, wallet.id, 100_000_000n, 'KES', {
        enforceLimits: false,
      });
      return { id: user.id, wallet: wallet.id };
    });
    const { token } = await seed.tokens.issue(customer.id, 'customer');
    customers.push({ id: customer.id, token, wallet: customer.wallet });
  }
  await seedDb.close();

  const server = await serveInChild(database.url, PORT, env);
  const base = `http://127.0.0.1:${PORT}`;
  const pool = mysql.createPool({ uri: database.url, connectionLimit: 32, timezone: 'Z' });
  try {
    const pair = (i: number, hot: boolean) => {
      const from = customers[(i * 7919) % ACCOUNTS]!;
      const to = hot ? customers[0]! : customers[(i * 7919 + 1 + (i % (ACCOUNTS - 1))) % ACCOUNTS]!;
      return from === to ? { from: customers[1]!, to } : { from, to };
    };
    /** When the client had each answer: the sealing lag counts from there (the transfer committed). */
    const acknowledged: { at: Date; transfers: string[] }[] = [];
    const transferIdsIn = (body: { id?: string; transfers?: { id: string }[] }) =>
      body.transfers ? body.transfers.map((t) => t.id) : [body.id as string];
    let reported = false;
    const report = (status: number, body: string) => {
      if (!reported) {
        reported = true;
        console.error(`first refused request: ${status} ${body.slice(0, 300)}`);
      }
    };
    const post = async (token: string, path: string, body: unknown, expect: number) => {
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': randomUUID(),
        },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      if (res.status !== expect) report(res.status, text);
      else acknowledged.push({ at: new Date(), transfers: transferIdsIn(JSON.parse(text)) });
      return res.status === expect;
    };
    const viaHttp = (hot: boolean) => (i: number) => {
      const { from, to } = pair(i, hot);
      return post(
        from.token,
        '/v1/transfers',
        {
          from_account_id: from.wallet,
          to_account_id: to.wallet,
          amount: { amount: '1.00', currency: 'KES' },
        },
        201,
      );
    };
    // A payroll: one payer, 100 different payees (offsets 1..100 never wrap onto the payer).
    const viaBatch = (i: number) => {
      const start = (i * 7919) % ACCOUNTS;
      return post(
        customers[start]!.token,
        '/v1/transfers/batch',
        {
          atomic: true,
          transfers: Array.from({ length: 100 }, (_, k) => ({
            from_account_id: customers[start]!.wallet,
            to_account_id: customers[(start + 1 + k) % ACCOUNTS]!.wallet,
            amount: { amount: '0.01', currency: 'KES' },
          })),
        },
        201,
      );
    };

    /**
     * The bare double-entry transfer in raw SQL (issue 9's yardstick): lock the two account rows,
     * update both, insert the entry and its two postings, commit. Nothing an API needs besides.
     */
    const viaSql = (hot: boolean) => async (i: number) => {
      const { from, to } = pair(i, hot);
      const connection = await pool.getConnection();
      try {
        await connection.beginTransaction();
        const ids = [from.wallet, to.wallet].sort();
        const [rows] = (await connection.query(
          'SELECT id, balance_minor, posting_count FROM accounts WHERE id IN (?, ?) ORDER BY id FOR UPDATE',
          ids,
        )) as unknown as [{ id: string; balance_minor: string; posting_count: string }[]];
        const byId = new Map(rows.map((r) => [r.id, r]));
        const a = byId.get(from.wallet)!;
        const b = byId.get(to.wallet)!;
        if (BigInt(a.balance_minor) < 100n) throw new Error('insufficient funds');
        await connection.query(
          'UPDATE accounts SET balance_minor = balance_minor - 100, posting_count = posting_count + 1 WHERE id = ?',
          [a.id],
        );
        await connection.query(
          'UPDATE accounts SET balance_minor = balance_minor + 100, posting_count = posting_count + 1 WHERE id = ?',
          [b.id],
        );
        const entry = newId('je');
        await connection.query(
          "INSERT INTO journal_entries (id, kind, description, reverses_id, effective_date, created_at) VALUES (?, 'transfer', 'bench', NULL, '2026-12-01', UTC_TIMESTAMP(3))",
          [entry],
        );
        await connection.query(
          `INSERT INTO postings (id, entry_id, account_id, account_seq, side, amount_minor, currency, balance_after_minor, created_at)
           VALUES (?, ?, ?, ?, 'debit', 100, 'KES', ?, UTC_TIMESTAMP(3)), (?, ?, ?, ?, 'credit', 100, 'KES', ?, UTC_TIMESTAMP(3))`,
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
    await drive('warm-up', 8, 200, viaSql(false));

    const results: Result[] = [];
    const onServer = async (run: Promise<Result>) => {
      const before = cpuMs(server.pid);
      const result = await run;
      const after = cpuMs(server.pid);
      if (before !== undefined && after !== undefined)
        result.cpuPerTransfer = (after - before) / result.count;
      return result;
    };
    const runStart = new Date();
    for (const clients of CONCURRENCY) {
      results.push(await drive('raw SQL, bare double entry', clients, PER_RUN, viaSql(false)));
      results.push(await onServer(drive('HTTP API', clients, PER_RUN, viaHttp(false))));
    }
    results.push(await drive('raw SQL, hot account', 32, PER_RUN, viaSql(true)));
    results.push(await onServer(drive('HTTP API, hot account', 32, PER_RUN, viaHttp(true))));
    results.push(
      await onServer(
        drive('HTTP API, batches of 100', 32, Math.max(32, Math.floor(PER_RUN / 50)), viaBatch, 100),
      ),
    );

    // Sealing lag: from the client's acknowledgement (the transfer had committed) to the first signed
    // checkpoint holding its audit event. Counting from the event's creation would add the request's
    // own time (seconds for a batch of 100 under this load), which is not the sealer's.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const ackOf = new Map(
      acknowledged.flatMap((a) => a.transfers.map((id) => [id, a.at.getTime()] as const)),
    );
    const [sealRows] = (await pool.query(
      `SELECT e.subject_id AS transfer_id,
              (SELECT MIN(c.created_at) FROM audit_checkpoints c WHERE c.tree_size > s.seq) AS checkpointed_at
         FROM audit_events e JOIN audit_seals s ON s.event_id = e.id
        WHERE e.action = 'transfer.created' AND e.created_at >= ?`,
      [runStart],
    )) as unknown as [{ transfer_id: string; checkpointed_at: Date | null }[]];
    const lags = sealRows
      .filter((r) => ackOf.has(r.transfer_id) && r.checkpointed_at)
      .map((r) => Math.max(0, (r.checkpointed_at as Date).getTime() - (ackOf.get(r.transfer_id) as number)))
      .sort((a, b) => a - b);

    // Verify: `VERIFY_EVENTS` more events, sealed by the server's sealer, then the whole log recomputed.
    const [[countRow]] = (await pool.query('SELECT COUNT(*) AS n FROM audit_events')) as unknown as [
      [{ n: number }],
    ];
    const extra = Math.max(0, VERIFY_EVENTS - Number(countRow.n));
    for (let i = 0; i < extra; i += 1000) {
      const n = Math.min(1000, extra - i);
      await pool.query(
        `INSERT INTO audit_events (id, actor_id, actor_role, action, subject_type, subject_id, before_state, after_state, reason, request_id, created_at)
         VALUES ${Array(n).fill("(?, 'system', 'system', 'bench.event', 'bench', NULL, NULL, '{\"n\":1}', NULL, NULL, UTC_TIMESTAMP(3))").join(', ')}`,
        Array.from({ length: n }, () => newId('aud')),
      );
    }
    const sealStart = performance.now();
    for (;;) {
      const [[pending]] = (await pool.query('SELECT COUNT(*) AS n FROM audit_pending')) as unknown as [
        [{ n: number }],
      ];
      if (Number(pending.n) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const sealSeconds = (performance.now() - sealStart) / 1000;
    const adminToken = await (async () => {
      const res = await fetch(`${base}/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          grant_type: 'password',
          username: 'admin@sandbox.test',
          password: 'sandbox-pass-123',
        }),
      });
      return ((await res.json()) as { access_token: string }).access_token;
    })();
    const verifyStart = performance.now();
    const verify = (await (
      await fetch(`${base}/v1/audit-events/verify`, { headers: { authorization: `Bearer ${adminToken}` } })
    ).json()) as {
      valid: boolean;
      checked: number;
    };
    const verifySeconds = (performance.now() - verifyStart) / 1000;

    const reportDb = await openDatabase(database.url);
    const books = await reconcile(reportDb.prisma);
    await reportDb.close();
    console.table(
      results.map((r) => ({
        run: r.label,
        clients: r.clients,
        'transfers/s': (r.count / r.seconds).toFixed(0),
        'p50 ms': r.p50.toFixed(1),
        'p99 ms': r.p99.toFixed(1),
        'server CPU ms/transfer': r.cpuPerTransfer?.toFixed(2) ?? '',
        failed: r.failures,
      })),
    );
    const rate = (label: string, clients: number) => {
      const r = results.find((x) => x.label === label && x.clients === clients)!;
      return r.count / r.seconds;
    };
    const percent = (a: number, b: number) => `${((a / b) * 100).toFixed(0)} %`;
    for (const clients of CONCURRENCY)
      console.log(
        `HTTP / bare raw SQL at ${clients} client(s): ${percent(rate('HTTP API', clients), rate('raw SQL, bare double entry', clients))}`,
      );
    console.log(
      `hot account, HTTP / raw SQL at 32 clients: ${percent(rate('HTTP API, hot account', 32), rate('raw SQL, hot account', 32))}`,
    );
    console.log(
      `batches, per transfer / bare raw SQL at 32 clients: ${percent(rate('HTTP API, batches of 100', 32), rate('raw SQL, bare double entry', 32))}`,
    );
    console.log(
      `audit sealing lag (acknowledged → in a signed checkpoint) under the load above: p50 ${percentile(lags, 50).toFixed(0)} ms, p99 ${percentile(lags, 99).toFixed(0)} ms, max ${(lags.at(-1) ?? 0).toFixed(0)} ms (${lags.length} transfers)`,
    );
    console.log(
      `sealing ${extra} queued events: ${sealSeconds.toFixed(1)} s (${(extra / sealSeconds).toFixed(0)} events/s)`,
    );
    console.log(
      `verify over ${verify.checked} events: ${verifySeconds.toFixed(1)} s, valid ${verify.valid}; 1,000,000 events ≈ ${((verifySeconds / verify.checked) * 1_000_000).toFixed(0)} s`,
    );
    console.log(`books reconcile (balances, entries, chains) after the run: ${books.ok}`);
    const [versionRows] = (await pool.query('SELECT VERSION() AS v')) as unknown as [{ v: string }[]];
    console.log(
      `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${versionRows[0]?.v}`,
    );
  } finally {
    server.kill('SIGTERM');
    await pool.end();
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
