/**
 * Starting a real Wekeza bank for tests: in-process, on a port of its own, on a fresh database that
 * is dropped afterwards. Used by this package's tests and by the SDK's and widgets' tests
 * (`@wekeza/reference-server/testing`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import type { Clock } from '../clock.ts';
import { type Config, loadConfig, SANDBOX_DEFAULT_PASSWORD } from '../config.ts';
import type { Dialect } from '../db/database.ts';
import { mysqlConnectionOptions } from '../db/database.ts';
import { type RunningServer, start } from '../server.ts';

export type { Dialect };

/**
 * The dialects this run tests: SQLite always, MySQL/MariaDB when TEST_MYSQL_URL is set.
 * Under CI=true a missing TEST_MYSQL_URL is an error, never a silent skip.
 */
export function testDialects(): Dialect[] {
  if (process.env.TEST_MYSQL_URL) return ['sqlite', 'mysql'];
  if (process.env.CI === 'true')
    throw new Error('CI=true but TEST_MYSQL_URL is not set: the MySQL suite is mandatory in CI');
  return ['sqlite'];
}

/** A fresh, empty database of the dialect; `drop()` removes it. */
export async function createTestDatabase(dialect: Dialect): Promise<{ url: string; drop(): Promise<void> }> {
  const suffix = `${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'wekeza-test-'));
    return {
      url: `file:${join(dir, 'bank.db')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const serverUrl = process.env.TEST_MYSQL_URL;
  if (!serverUrl) throw new Error('TEST_MYSQL_URL is not set');
  const name = `wekeza_test_${suffix}`;
  const admin = await mysql.createConnection({ ...mysqlConnectionOptions(serverUrl), database: undefined });
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  } finally {
    await admin.end();
  }
  const base = new URL(serverUrl);
  base.pathname = `/${name}`;
  return {
    url: base.toString(),
    async drop() {
      const connection = await mysql.createConnection({
        ...mysqlConnectionOptions(serverUrl),
        database: undefined,
      });
      try {
        await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await connection.end();
      }
    },
  };
}

export interface TestBank extends RunningServer {
  dialect: Dialect;
  /** Stops the server and drops its database. */
  stop(): Promise<void>;
}

/** A sandbox bank on a fresh database of the dialect, listening on a free port. */
export async function startTestBank(
  dialect: Dialect,
  env: Record<string, string> = {},
  options: { clock?: Clock } = {},
): Promise<TestBank> {
  const database = await createTestDatabase(dialect);
  // No background daily close: a test closes days itself (the sandbox clock or closeThrough).
  const config: Config = loadConfig({
    WEKEZA_MODE: 'sandbox',
    DATABASE_URL: database.url,
    WEKEZA_JOBS_INTERVAL_SECONDS: '0',
    ...env,
  });
  try {
    const running = await start({ port: 0, config, ...(options.clock ? { clock: options.clock } : {}) });
    return {
      ...running,
      dialect,
      async stop() {
        await running.close();
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

/** The seeded sandbox users' password when SANDBOX_PASSWORD is not set. */
export const SANDBOX_PASSWORD = SANDBOX_DEFAULT_PASSWORD;

/** A clock that runs with real time plus an offset the test moves forward (e.g. to the next TOTP step). */
export class TestClock implements Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
