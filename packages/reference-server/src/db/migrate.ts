import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import mysql from 'mysql2/promise';
import { packageRoot } from '../package-root.ts';
import { type Dialect, dialectOf, mysqlConnectionOptions, sqlitePath } from './database.ts';

export interface Migration {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

/** The hand-written migrations of a dialect, in order: `migrations/<dialect>/NNNN_name.sql`. */
export function loadMigrations(dialect: Dialect): Migration[] {
  const dir = join(packageRoot(), 'migrations', dialect);
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const sql = readFileSync(join(dir, file), 'utf8');
      return {
        version: file.slice(0, 4),
        name: file.slice(5, -4),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

function plan(migrations: Migration[], applied: Map<string, string>): Migration[] {
  for (const migration of migrations) {
    const checksum = applied.get(migration.version);
    if (checksum !== undefined && checksum !== migration.checksum) {
      throw new Error(
        `migration ${migration.version}_${migration.name} was changed after it was applied; add a new migration instead`,
      );
    }
  }
  return migrations.filter((migration) => !applied.has(migration.version));
}

/**
 * Applies every migration not yet recorded in `schema_migrations`, in order, and records each.
 * Safe when several servers start at once: MySQL takes a named lock, SQLite an immediate transaction.
 */
export async function migrate(url: string): Promise<MigrationResult> {
  return dialectOf(url) === 'mysql' ? migrateMySql(url) : migrateSqlite(url);
}

async function migrateMySql(url: string): Promise<MigrationResult> {
  const connection = await mysql.createConnection({
    ...mysqlConnectionOptions(url),
    multipleStatements: true,
  });
  try {
    const [[lock]] = (await connection.query(
      "SELECT GET_LOCK('wekeza_migrations', 120) AS ok",
    )) as unknown as [[{ ok: number }]];
    if (lock?.ok !== 1) throw new Error('could not take the migration lock within 120 s');
    await connection.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version CHAR(4) NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL,
      checksum CHAR(64) NOT NULL, applied_at DATETIME(3) NOT NULL
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
    const [rows] = (await connection.query('SELECT version, checksum FROM schema_migrations')) as unknown as [
      { version: string; checksum: string }[],
    ];
    const all = loadMigrations('mysql');
    const pending = plan(all, new Map(rows.map((row) => [row.version, row.checksum])));
    for (const migration of pending) {
      // MySQL cannot roll DDL back: a migration that fails half-way is reported and must be repaired by hand.
      await connection.query(migration.sql);
      await connection.query(
        'INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, UTC_TIMESTAMP(3))',
        [migration.version, migration.name, migration.checksum],
      );
    }
    return {
      applied: pending.map((m) => `${m.version}_${m.name}`),
      alreadyApplied: rows.map((r) => r.version),
    };
  } finally {
    await connection.query("SELECT RELEASE_LOCK('wekeza_migrations')").catch(() => {});
    await connection.end();
  }
}

async function migrateSqlite(url: string): Promise<MigrationResult> {
  const client = createClient({ url: `file:${sqlitePath(url)}`, intMode: 'bigint' });
  try {
    await client.execute('PRAGMA busy_timeout = 10000');
    await client.execute(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version TEXT NOT NULL PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const applied: string[] = [];
    const all = loadMigrations('sqlite');
    // One immediate transaction per migration: DDL is transactional on SQLite, so a failure leaves nothing behind.
    for (;;) {
      const tx = await client.transaction('write');
      try {
        const rows = (await tx.execute('SELECT version, checksum FROM schema_migrations')).rows;
        const next = plan(all, new Map(rows.map((row) => [String(row.version), String(row.checksum)])))[0];
        if (!next) {
          await tx.rollback();
          return {
            applied,
            alreadyApplied: rows
              .map((r) => String(r.version))
              .filter((v) => !applied.some((a) => a.startsWith(v))),
          };
        }
        await tx.executeMultiple(next.sql);
        await tx.execute({
          sql: "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
          args: [next.version, next.name, next.checksum],
        });
        await tx.commit();
        applied.push(`${next.version}_${next.name}`);
      } finally {
        tx.close();
      }
    }
  } finally {
    client.close();
  }
}
