import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { type Database, openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
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
    const config = { ...loadConfig({ DATABASE_URL: database.url }), mode: 'production' as const };
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
    expect(res.status).toBe(401);
  });
});
