import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import mysql from 'mysql2/promise';
import { createServices } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { transaction } from '../src/db/transaction.ts';
import { newId } from '../src/ids.ts';
import { hashSecret } from '../src/modules/identity/passwords.ts';
import { createTestDatabase } from '../src/testing/index.ts';
import { serveInChild } from './serve.ts';

const SERVER = process.env.BENCH_MYSQL_URL ?? process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const TARGETS = (process.env.BENCH_POSTINGS ?? '1000000,10000000').split(',').map(Number);
const INSTANCES = (process.env.BENCH_INSTANCES ?? '1,2').split(',').map(Number);
const PER_RUN = Number(process.env.BENCH_TRANSFERS ?? 2000);
const CLIENTS = 32;
const CUSTOMERS = 100;
const SYNTHETIC_ACCOUNTS = 100_000; // even: accounts pair up (2k debited, 2k+1 credited)
const CHUNK = 250_000; // entries per INSERT … SELECT

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** Adds synthetic history until the ledger holds `target` postings; answers the seconds it took. */
async function fill(db: mysql.Connection, target: number): Promise<number> {
  const started = performance.now();
  const [[{ n: have }]] = (await db.query('SELECT COUNT(*) AS n FROM postings')) as unknown as [
    [{ n: number }],
  ];
  const [[{ n: done }]] = (await db.query(
    "SELECT COUNT(*) AS n FROM journal_entries WHERE id LIKE 'je_bench_%'",
  )) as unknown as [[{ n: number }]];
  let entries = Math.max(0, Math.ceil((target - Number(have)) / 2));
  let next = Number(done);
  const pairs = SYNTHETIC_ACCOUNTS / 2;
  const acc = (expr: string) => `CONCAT('acc_bench_', LPAD(${expr}, 6, '0'))`;
  while (entries > 0) {
    const size = Math.min(CHUNK, entries);
    const numbers = `(SELECT ${next} + a.d + 10 * b.d + 100 * c.d + 1000 * d.d + 10000 * e.d + 100000 * f.d AS e
        FROM bench_digits a, bench_digits b, bench_digits c, bench_digits d, bench_digits e, bench_digits f
       WHERE a.d + 10 * b.d + 100 * c.d + 1000 * d.d + 10000 * e.d + 100000 * f.d < ${size}) n`;
    await db.query('START TRANSACTION');
    await db.query(
      `INSERT INTO journal_entries (id, kind, description, reverses_id, effective_date, created_at)
       SELECT CONCAT('je_bench_', LPAD(n.e, 10, '0')), 'transfer', 'bench history', NULL, '2026-01-01', '2026-01-01 00:00:00.000' FROM ${numbers}`,
    );
    for (const [side, offset, sign] of [
      ['debit', 0, 1],
      ['credit', 1, -1],
    ] as const)
      await db.query(
        `INSERT INTO postings (id, entry_id, account_id, account_seq, side, amount_minor, currency, balance_after_minor, created_at, chain_hash)
         SELECT CONCAT('txn_bench_${side[0]}', LPAD(n.e, 10, '0')), CONCAT('je_bench_', LPAD(n.e, 10, '0')),
                ${acc(`2 * (n.e MOD ${pairs}) + ${offset}`)}, FLOOR(n.e / ${pairs}) + 1, '${side}', 100, 'KES',
                ${sign} * 100 * (FLOOR(n.e / ${pairs}) + 1), '2026-01-01 00:00:00.000', NULL
           FROM ${numbers}`,
      );
    await db.query('COMMIT');
    next += size;
    entries -= size;
    process.stderr.write(`  filled ${next.toLocaleString()} synthetic entries\r`);
  }
  // The cached balances and counts, from the same arithmetic: pair j was used by entries j, j + pairs, …
  await db.query(
    `UPDATE accounts SET
       posting_count = CASE WHEN FLOOR(CAST(SUBSTRING(id, 11) AS UNSIGNED) / 2) < ${next}
         THEN FLOOR((${next} - 1 - FLOOR(CAST(SUBSTRING(id, 11) AS UNSIGNED) / 2)) / ${pairs}) + 1 ELSE 0 END,
       balance_minor = posting_count * 100 * IF(CAST(SUBSTRING(id, 11) AS UNSIGNED) MOD 2 = 0, 1, -1)
     WHERE id LIKE 'acc_bench_%'`,
  );
  process.stderr.write('\n');
  return (performance.now() - started) / 1000;
}

async function main() {
  process.env.TEST_MYSQL_URL = SERVER;
  const database = await createTestDatabase('mysql');
  const env = {
    WEKEZA_MODE: 'sandbox',
    WEKEZA_JOBS_INTERVAL_SECONDS: '0',
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
  const seedDb = await openDatabase(database.url);
  const seed = await createServices({
    config: loadConfig({ ...env, DATABASE_URL: database.url, WEKEZA_AUDIT_SEAL_INTERVAL_MS: '0' }),
    db: seedDb,
  });
  const passwordHash = await hashSecret(randomUUID());
  const customers: { id: string; token: string; wallet: string }[] = [];
  for (let i = 0; i < CUSTOMERS; i++) {
    const customer = await transaction(seedDb, async (tx) => {
      const user = await tx.user.create({
        data: {
          id: newId('cus'),
          role: 'customer',
          email: `scale${i}@example.test`,
          phone: null,
          fullName: `Scale ${i}`,
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
    customers.push({ id: customer.id, token: '', wallet: customer.wallet });
  }
  await seedDb.close();

  const db = await mysql.createConnection({ uri: database.url, multipleStatements: true });
  await db.query('SET SESSION foreign_key_checks = 0, unique_checks = 0');
  await db.query('CREATE TABLE bench_digits (d INT NOT NULL PRIMARY KEY)');
  await db.query('INSERT INTO bench_digits VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)');
  await db.query(
    `INSERT INTO accounts (id, owner_id, code, type, category, normal_side, currency, status, allow_negative, balance_minor, held_minor, posting_count, created_at)
     SELECT CONCAT('acc_bench_', LPAD(n, 6, '0')), NULL, CONCAT('bench_', n), 'bank', 'asset', 'debit', 'KES', 'open', TRUE, 0, 0, 0, '2026-01-01'
       FROM (SELECT a.d + 10 * b.d + 100 * c.d + 1000 * d.d + 10000 * e.d AS n
               FROM bench_digits a, bench_digits b, bench_digits c, bench_digits d, bench_digits e) x
      WHERE n < ${SYNTHETIC_ACCOUNTS}`,
  );

  const rows: string[] = [];
  let port = 40_000 + Math.floor(Math.random() * 1000);
  for (const [t, target] of TARGETS.entries()) {
    const seconds = await fill(db, target);
    await db.query('ANALYZE TABLE postings, journal_entries, accounts');
    const [[sizes]] = (await db.query(
      `SELECT (SELECT COUNT(*) FROM accounts) AS accounts, (SELECT COUNT(*) FROM postings) AS postings,
              (SELECT ROUND(SUM(data_length + index_length) / 1048576) FROM information_schema.tables WHERE table_schema = DATABASE()) AS mb`,
    )) as unknown as [[{ accounts: number; postings: number; mb: number }]];
    console.error(
      `${Number(sizes.postings).toLocaleString()} postings in ${seconds.toFixed(0)} s of bulk loading`,
    );
    for (const instances of t === 0 ? INSTANCES : [1]) {
      // Fresh tokens for each run: loading 10M postings takes longer than a token lives.
      for (const c of customers) c.token = (await seed.tokens.issue(c.id, 'customer')).token;
      const servers = await Promise.all(
        Array.from({ length: instances }, () =>
          serveInChild(database.url, ++port, { ...env, WEKEZA_LOG_LEVEL: 'warn' }),
        ),
      );
      const urls = servers.map((_, i) => `http://127.0.0.1:${port - instances + 1 + i}`);
      try {
        const latencies: number[] = [];
        let next = 0;
        let failures = 0;
        const send = async (i: number, client: number) => {
          const from = customers[(i * 7919) % CUSTOMERS] as { token: string; wallet: string };
          let to = customers[(i * 7919 + 1 + (i % (CUSTOMERS - 1))) % CUSTOMERS] as { wallet: string };
          if (to.wallet === from.wallet) to = customers[(i + 1) % CUSTOMERS] as { wallet: string };
          const res = await fetch(`${urls[client % urls.length]}/v1/transfers`, {
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
          await res.text();
          return res.status === 201;
        };
        // Warm-up, then the measured run.
        await Promise.all(Array.from({ length: CLIENTS }, (_, c) => send(c, c)));
        const started = performance.now();
        await Promise.all(
          Array.from({ length: CLIENTS }, async (_, client) => {
            while (next < PER_RUN) {
              const i = next++;
              const t0 = performance.now();
              if (!(await send(i, client))) failures++;
              latencies.push(performance.now() - t0);
            }
          }),
        );
        const elapsed = (performance.now() - started) / 1000;
        latencies.sort((a, b) => a - b);
        rows.push(
          `| ${Number(sizes.postings).toLocaleString('en')} | ${Number(sizes.accounts).toLocaleString('en')} | ${sizes.mb} MB | ${instances} | ${CLIENTS} | **${(PER_RUN / elapsed).toFixed(0)}** | ${percentile(latencies, 50).toFixed(1)} | ${percentile(latencies, 99).toFixed(1)} | ${failures} |`,
        );
        console.error(rows.at(-1));
      } finally {
        for (const server of servers) server.kill('SIGTERM');
        await Promise.all(servers.map((s) => new Promise((resolve) => s.once('exit', resolve))));
      }
    }
  }
  await db.end();
  await database.drop();
  console.log(
    `\nScaling, ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; ${PER_RUN} transfers per run through the HTTP API\n`,
  );
  console.log(
    '| postings | accounts | database size | instances | clients | transfers/s | p50 ms | p99 ms | failed |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
