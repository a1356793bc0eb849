/**
 * `wekeza-server staff create`: production's first administrator (and bankers), from the command
 * line, with an audit event; the new admin signs in to a production server and must enrol TOTP first.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { type Database, openDatabase } from '../src/db/database.ts';
import { createStaff } from '../src/modules/staff/create.ts';
import { packageRoot } from '../src/package-root.ts';
import { createTestDatabase, testDialects } from '../src/testing/index.ts';

function cli(args: string[], env: Record<string, string>, input?: string) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', '--conditions=@wekeza/source', join(packageRoot(), 'src/cli.ts'), ...args],
      { env: { ...process.env, ...env }, encoding: 'utf8' },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(input ?? '');
  });
}

describe.each(testDialects())('wekeza-server staff create on %s', (dialect) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let env: Record<string, string>;
  let db: Database | undefined;
  let close: (() => void) | undefined;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    env = { DATABASE_URL: database.url, WEKEZA_MODE: 'sandbox', WEKEZA_LOG_LEVEL: 'silent' };
  });
  afterAll(async () => {
    close?.();
    await db?.close();
    await database?.drop();
  });

  it('when an operator creates the first admin, then they exist with an audit event; a duplicate or bad input is refused', async () => {
    const created = await cli(
      [
        'staff',
        'create',
        '--role',
        'admin',
        '--email',
        'First.Admin@Bank.example',
        '--name',
        'First Admin',
        '--password-stdin',
      ],
      env,
      'a long enough password\n',
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/created admin first\.admin@bank\.example \(usr_/);
    expect(created.stdout).not.toContain('a long enough password');

    const banker = await cli(
      ['staff', 'create', '--role', 'banker', '--email', 'teller@bank.example', '--name', 'Teller One'],
      env,
    );
    expect(banker.code, banker.stderr).toBe(0);
    expect(banker.stdout).toMatch(/password \(shown once\): \S{20,}/);

    db = await openDatabase(database.url);
    const users = await db.prisma.user.findMany({ where: { role: { in: ['admin', 'banker'] } } });
    expect(users.map((u) => [u.email, u.role]).sort()).toEqual([
      ['first.admin@bank.example', 'admin'],
      ['teller@bank.example', 'banker'],
    ]);
    const audit = await db.prisma.auditEvent.findMany({ where: { action: 'staff.created' } });
    expect(audit).toHaveLength(2);
    // What the command refuses (in-process: the same function, without another process start).
    await expect(
      createStaff(db, { role: 'admin', email: 'FIRST.admin@bank.example', fullName: 'Again' }),
    ).rejects.toThrow(/already exists/);
    await expect(
      createStaff(db, { role: 'customer' as 'admin', email: 'c@bank.example', fullName: 'C' }),
    ).rejects.toThrow(/--role must be admin or banker/);
    await expect(createStaff(db, { role: 'banker', email: 'not-an-email', fullName: 'C' })).rejects.toThrow(
      /--email/,
    );
    await expect(
      createStaff(db, { role: 'banker', email: 'b@bank.example', fullName: 'B', password: 'short' }),
    ).rejects.toThrow(/12 characters/);
    expect(await db.prisma.user.count({ where: { role: { in: ['admin', 'banker'] } } })).toBe(2);
  });

  it('when the new admin signs in to a production server, then the token can only enrol a second factor', async () => {
    if (!db) db = await openDatabase(database.url);
    const config = {
      ...loadConfig({ DATABASE_URL: database.url }),
      mode: 'production' as const,
      auditSigningKeyPem: generateKeyPairSync('ed25519')
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString(),
    };
    const { app } = await createApp({ config, db });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    close = () => server.close();
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const res = await fetch(`${url}/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'password',
        username: 'first.admin@bank.example',
        password: 'a long enough password',
      }),
    });
    expect(res.status).toBe(200);
    const grant = (await res.json()) as { access_token: string; scope: string };
    expect(grant.scope).toBe('mfa me:read');
    const policy = await fetch(`${url}/v1/risk/policy`, {
      headers: { authorization: `Bearer ${grant.access_token}` },
    });
    expect(policy.status).toBe(403);
  });
});
