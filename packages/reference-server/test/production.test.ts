import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { type Database, openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { hashSecret } from '../src/modules/identity/passwords.ts';
import { assertNoSandboxData } from '../src/modules/sandbox/seed.ts';
import { createTestDatabase } from '../src/testing/index.ts';

describe('a server in production mode', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Database;
  let url: string;
  let close: () => void;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    await migrate(database.url);
    db = await openDatabase(database.url);
    // The app itself, built with production settings (loadConfig would refuse SQLite, as it should).
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
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(async () => {
    close?.();
    await db?.close();
    await database?.drop();
  });

  it('when sandbox routes are called, then they do not exist', async () => {
    const res = await fetch(`${url}/v1/sandbox/deposits`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(404);
    const doc = (await (await fetch(`${url}/v1/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).some((p) => p.includes('sandbox'))).toBe(false);
  });

  it('when the database holds the sandbox users or partner, then production refuses to start', async () => {
    await expect(assertNoSandboxData(db)).resolves.toBeUndefined();
    await db.prisma.partnerClient.create({
      data: { id: 'sandbox_partner', name: 'Sandbox partner', secretHash: 'x', createdAt: new Date() },
    });
    await expect(assertNoSandboxData(db)).rejects.toThrow(/sandbox/);
    await db.prisma.partnerClient.delete({ where: { id: 'sandbox_partner' } });
  });

  it('when no sandbox users were seeded, then their credentials do not work', async () => {
    const res = await fetch(`${url}/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'password',
        username: 'admin@sandbox.test',
        password: 'sandbox-pass-123',
      }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('when a banker without a second factor signs in, then the token can only enrol one; with TOTP on, the full token comes with a code', async () => {
    await db.prisma.user.create({
      data: {
        id: 'usr_PRODBANKER',
        role: 'banker',
        email: 'teller@bank.example',
        fullName: 'Teller',
        kycTier: 0,
        passwordHash: await hashSecret('teller password 1'),
        status: 'active',
        createdAt: new Date(),
      },
    });
    const token = async (extra: Record<string, string> = {}) => {
      const res = await fetch(`${url}/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'password',
          username: 'teller@bank.example',
          password: 'teller password 1',
          ...extra,
        }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, string> };
    };
    const call = (bearer: string, method: string, path: string, body?: unknown) =>
      fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const narrow = await token();
    expect(narrow.status).toBe(200);
    expect(narrow.body.scope).toBe('mfa me:read');
    expect(narrow.body.refresh_token).toBeUndefined();
    expect((await call(narrow.body.access_token as string, 'GET', '/v1/me')).status).toBe(200);
    expect((await call(narrow.body.access_token as string, 'GET', '/v1/customers/cus_X')).status).toBe(403);
    const started = await call(narrow.body.access_token as string, 'POST', '/v1/mfa/totp', {
      password: 'teller password 1',
    });
    expect(started.status).toBe(200);
    const { secret } = (await started.json()) as { secret: string };
    const at = (offset: number) => Math.floor(Date.now() / 1000) + offset;
    const enabled = await call(narrow.body.access_token as string, 'POST', '/v1/mfa/totp/verify', {
      code: await generate({ secret, epoch: at(-30) }),
    });
    expect(enabled.status).toBe(200);
    expect((await token()).body).toMatchObject({ error: 'invalid_grant', code: 'mfa_required' });
    const full = await token({ otp: await generate({ secret, epoch: at(0) }) });
    expect(full.status).toBe(200);
    expect(full.body.scope).toBeUndefined();
    expect((await call(full.body.access_token as string, 'GET', '/v1/customers/cus_X')).status).toBe(404);
    // Staff keep their second factor in production.
    const off = await call(full.body.access_token as string, 'POST', '/v1/mfa/totp/disable', {
      password: 'teller password 1',
      code: await generate({ secret, epoch: at(30) }),
    });
    expect(off.status).toBe(403);
  });
});
