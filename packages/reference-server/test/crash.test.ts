/**
 * Crash safety (issue 9): transfers through a real server process, killed with SIGKILL mid-load,
 * then restarted on the same database. Every acknowledged transfer is there, no entry is half
 * written, every balance is the sum of its postings, and the audit log seals what committed and
 * verifies.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.ts';
import { reconcile } from '../src/modules/ledger/reconcile.ts';
import { packageRoot } from '../src/package-root.ts';
import { createTestDatabase, testDialects } from '../src/testing/index.ts';
import { Http } from './support/http.ts';

const signingKey = generateKeyPairSync('ed25519')
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

/** `wekeza-server serve` as operators run it, in a process of its own. */
async function serve(databaseUrl: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@wekeza/source', join(packageRoot(), 'src/cli.ts'), 'serve'],
    {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        WEKEZA_MODE: 'sandbox',
        WEKEZA_SIGNING_KEY: signingKey, // tokens outlive the restart
        WEKEZA_JOBS_INTERVAL_SECONDS: '0',
        WEKEZA_AUDIT_SEAL_INTERVAL_MS: '100',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the server did not start: ${output}`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`the server exited (${code}): ${output}`)));
  });
  return child;
}

describe.each(testDialects())('a server killed mid-load on %s', (dialect) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await database?.drop();
  });

  it('when SIGKILL lands mid-load, then after a restart every acknowledged transfer is there and the books, the chains and the audit log hold', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    child = await serve(database.url, port);
    const admin = await loginAs(url, 'admin@sandbox.test', 'sandbox-pass-123');
    const customers = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const tag = `${Date.now() % 1_000_000}${i}`.padStart(8, '0');
        const email = `crash${dialect}${tag}@example.test`;
        const signed = await new Http(url).post<{ wallet_account_id: string }>(
          '/v1/signup',
          {
            phone: `+2547${tag.slice(-8)}`,
            email,
            password: 'crash password',
            full_name: 'Crash',
            national_id: `CR${tag}`,
          },
          { key: false },
        );
        await admin.post('/v1/sandbox/deposits', {
          account_id: signed.body.wallet_account_id,
          amount: { amount: '10000.00', currency: 'KES' },
        });
        return { http: await loginAs(url, email, 'crash password'), wallet: signed.body.wallet_account_id };
      }),
    );

    // Load: each client sends transfers until the server dies; a 201 is an acknowledgement.
    const acknowledged: string[] = [];
    let stop = false;
    const load = customers.map(async (c, i) => {
      const to = customers[(i + 1) % customers.length]!.wallet;
      while (!stop) {
        const reply = await c.http
          .post<{ id: string }>('/v1/transfers', {
            from_account_id: c.wallet,
            to_account_id: to,
            amount: { amount: '1.00', currency: 'KES' },
          })
          .catch(() => undefined);
        if (!reply) return; // the connection died with the server
        if (reply.status === 201) acknowledged.push(reply.body.id);
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    child.kill('SIGKILL');
    stop = true;
    await Promise.all(load);
    expect(acknowledged.length).toBeGreaterThan(10);

    // Restart on the same database: it migrates, seeds and seals what committed.
    child = await serve(database.url, port);
    const db = await openDatabase(database.url);
    try {
      const stored = new Set((await db.prisma.transfer.findMany({ select: { id: true } })).map((t) => t.id));
      for (const id of acknowledged) expect(stored.has(id), id).toBe(true);
      const report = await reconcile(db.prisma);
      expect(report.unbalancedEntries).toEqual([]);
      expect(report.balanceMismatches).toEqual([]);
      expect(report.chainBreaks).toEqual([]);
      expect(report.ok).toBe(true);
      // Every entry has its postings (none half written) and every transfer its entry.
      const orphans = await db.sql.$queryRawUnsafe<{ n: unknown }[]>(
        'SELECT COUNT(*) AS n FROM journal_entries e WHERE NOT EXISTS (SELECT 1 FROM postings p WHERE p.entry_id = e.id)',
      );
      expect(Number(orphans[0]?.n)).toBe(0);
      // The sealer (of the new process) seals everything that committed, and the log verifies.
      const adminAfter = await loginAs(url, 'admin@sandbox.test', 'sandbox-pass-123');
      let verified: { valid: boolean; unsealed: number; checked: number } | undefined;
      for (let i = 0; i < 100; i++) {
        verified = (
          await adminAfter.get<{ valid: boolean; unsealed: number; checked: number }>(
            '/v1/audit-events/verify',
          )
        ).body;
        if (verified.unsealed === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(verified).toMatchObject({ valid: true, unsealed: 0 });
      expect(verified?.checked).toBe(await db.prisma.auditEvent.count());
    } finally {
      await db.close();
    }
  });
});

async function loginAs(url: string, username: string, password: string): Promise<Http> {
  const res = await new Http(url).post<{ access_token: string }>(
    '/v1/auth/token',
    { grant_type: 'password', username, password },
    { key: randomUUID() },
  );
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return new Http(url, res.body.access_token);
}
