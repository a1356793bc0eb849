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

/**
 * mysql2 as the raw-SQL methods the hot path uses, plus several statements in one round trip. In a
 * transaction (`state`), `START TRANSACTION` is not sent on its own: it rides with the first
 * statement, one round trip fewer per transaction.
 */
export function mysqlSql(on: Queryable, state?: { begun: boolean }): MultiSql {
  const send = async (statements: { sql: string; params: unknown[] }[]): Promise<unknown[]> => {
    const begin = state !== undefined && !state.begun;
    const list = begin ? [{ sql: 'START TRANSACTION', params: [] }, ...statements] : statements;
    if (state) state.begun = true; // from here on, a rollback is due whatever happens
    const results =
      list.length === 1
        ? [await run(on, (list[0] as { sql: string }).sql, (list[0] as { params: unknown[] }).params)]
        : ((await run(
            on,
            list.map((s) => s.sql).join(';\n'),
            list.flatMap((s) => s.params),
          )) as unknown[]);
    return begin ? results.slice(1) : results;
  };
  const affected = (result: unknown) => (result as mysql.ResultSetHeader).affectedRows;
  return {
    $queryRawUnsafe: async (sql: string, ...values: unknown[]) => (await send([{ sql, params: values }]))[0],
    $executeRawUnsafe: async (sql: string, ...values: unknown[]) =>
      affected((await send([{ sql, params: values }]))[0]),
    $executeMany: async (statements: { sql: string; params: unknown[] }[]) =>
      (await send(statements)).map(affected),
    $queryMany: (statements: { sql: string; params: unknown[] }[]) => send(statements),
  } as MultiSql;
}

const callback = (fn: (done: (error: Error | null) => void) => void) =>
  new Promise<void>((resolve, reject) => fn((error) => (error ? reject(error) : resolve())));

/** One transaction on one pooled connection: committed if `work` resolves, rolled back if it throws. */
export async function mysqlTransaction<T>(pool: MysqlPool, work: (tx: Sql) => Promise<T>): Promise<T> {
  const connection = await new Promise<mysql.PoolConnection>((resolve, reject) =>
    pool.getConnection((error, c) => (error ? reject(error) : resolve(c))),
  );
  const state = { begun: false };
  try {
    const result = await work(mysqlSql(connection, state));
    if (state.begun) await callback((done) => connection.commit(done));
    return result;
  } catch (error) {
    if (state.begun) await callback((done) => connection.rollback(() => done(null))).catch(() => {});
    throw error;
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
