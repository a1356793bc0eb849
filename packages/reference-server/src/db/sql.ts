import mysql from 'mysql2/promise';
import type { Sql } from './database.ts';

type Queryable = Pick<mysql.Pool, 'query'>;

/**
 * The MySQL hot path on mysql2. Its pool is set up to store what Prisma stores: timestamps in
 * UTC with milliseconds, 64-bit integers exact (as strings, read with BigInt()).
 */
export function createMysqlPool(url: string, size: number): mysql.Pool {
  return mysql.createPool({
    uri: url.replace(/^mariadb:/, 'mysql:'),
    connectionLimit: size,
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    connectTimeout: 10_000,
  });
}

/** mysql2 as the two raw-SQL methods the ledger and its neighbours use. */
export function mysqlSql(on: Queryable): Sql {
  return {
    async $queryRawUnsafe<T = unknown>(sql: string, ...values: unknown[]) {
      const [rows] = await on.query(sql, values);
      return rows as T;
    },
    async $executeRawUnsafe(sql: string, ...values: unknown[]) {
      const [result] = await on.query(sql, values);
      return (result as mysql.ResultSetHeader).affectedRows;
    },
  } as Sql;
}

/** One transaction on one pooled connection: committed if `work` resolves, rolled back if it throws. */
export async function mysqlTransaction<T>(pool: mysql.Pool, work: (tx: Sql) => Promise<T>): Promise<T> {
  const connection = await pool.getConnection();
  try {
    await connection.beginTransaction();
    try {
      const result = await work(mysqlSql(connection));
      await connection.commit();
      return result;
    } catch (error) {
      await connection.rollback().catch(() => {});
      throw error;
    }
  } finally {
    connection.release();
  }
}
