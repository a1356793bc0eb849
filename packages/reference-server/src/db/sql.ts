import mysql from 'mysql2';
import type { Sql } from './database.ts';
import type { MultiSql } from './write-batch.ts';

/*
 * The MySQL hot path on mysql2's callback API. (Its promise wrapper captures a stack trace for
 * every statement, which cost more CPU here than the statement itself.)
 */

export type MysqlPool = mysql.Pool;
type Queryable = Pick<mysql.Pool | mysql.PoolConnection, 'query'>;

/**
 * A pool that stores what Prisma stores: timestamps in UTC with milliseconds, 64-bit integers exact
 * (as strings), and whose connections run `sessionSql` (the bank's session settings) before any use.
 */
export function createMysqlPool(url: string, size: number, sessionSql: string[]): MysqlPool {
  const pool = mysql.createPool({
    uri: url.replace(/^mariadb:/, 'mysql:'),
    connectionLimit: size,
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    connectTimeout: 10_000,
    // For WriteBatch: a money movement's last writes go in one round trip. Every statement this
    // server sends is parameterised (values are escaped by mysql2), never built from input.
    multipleStatements: true,
  });
  // Queued on the new connection, so they run before the statement that asked for it.
  pool.on('connection', (connection) => {
    for (const statement of sessionSql) connection.query(statement);
  });
  return pool;
}

function run(on: Queryable, sql: string, values: unknown[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    on.query(sql, values, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/** mysql2 as the raw-SQL methods the hot path uses, and several writes in one round trip. */
export function mysqlSql(on: Queryable): MultiSql {
  return {
    $queryRawUnsafe: (sql: string, ...values: unknown[]) => run(on, sql, values),
    $executeRawUnsafe: async (sql: string, ...values: unknown[]) =>
      ((await run(on, sql, values)) as mysql.ResultSetHeader).affectedRows,
    $executeMany: async (statements: { sql: string; params: unknown[] }[]) => {
      if (statements.length === 1) {
        const [only] = statements as [{ sql: string; params: unknown[] }];
        return [((await run(on, only.sql, only.params)) as mysql.ResultSetHeader).affectedRows];
      }
      const results = (await run(
        on,
        statements.map((s) => s.sql).join(';\n'),
        statements.flatMap((s) => s.params),
      )) as mysql.ResultSetHeader[];
      return results.map((r) => r.affectedRows);
    },
  } as MultiSql;
}

const callback = (fn: (done: (error: Error | null) => void) => void) =>
  new Promise<void>((resolve, reject) => fn((error) => (error ? reject(error) : resolve())));

/** One transaction on one pooled connection: committed if `work` resolves, rolled back if it throws. */
export async function mysqlTransaction<T>(pool: MysqlPool, work: (tx: Sql) => Promise<T>): Promise<T> {
  const connection = await new Promise<mysql.PoolConnection>((resolve, reject) =>
    pool.getConnection((error, c) => (error ? reject(error) : resolve(c))),
  );
  try {
    await callback((done) => connection.beginTransaction(done));
    try {
      const result = await work(mysqlSql(connection));
      await callback((done) => connection.commit(done));
      return result;
    } catch (error) {
      await callback((done) => connection.rollback(() => done(null))).catch(() => {});
      throw error;
    }
  } finally {
    connection.release();
  }
}

/** Read-only `work` on one consistent snapshot: REPEATABLE READ for this transaction only. */
export async function mysqlSnapshot<T>(pool: MysqlPool, work: (tx: Sql) => Promise<T>): Promise<T> {
  const connection = await new Promise<mysql.PoolConnection>((resolve, reject) =>
    pool.getConnection((error, c) => (error ? reject(error) : resolve(c))),
  );
  const sql = mysqlSql(connection);
  try {
    await sql.$executeRawUnsafe('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    await sql.$executeRawUnsafe('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
    try {
      return await work(sql);
    } finally {
      await sql.$executeRawUnsafe('COMMIT').catch(() => {});
    }
  } finally {
    connection.release();
  }
}

export function endPool(pool: MysqlPool): Promise<void> {
  return callback((done) => pool.end(done));
}
