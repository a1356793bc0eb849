import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PrismaLibSql } from '@prisma/adapter-libsql';
import { PrismaMariaDb } from '@prisma/adapter-mariadb';
import { PrismaClient as MySqlPrismaClient } from './generated/mysql/client/client.ts';
import { PrismaClient as SqlitePrismaClient } from './generated/sqlite/client/client.ts';
import { createMysqlPool, endPool, mysqlSnapshot, mysqlSql, mysqlTransaction } from './sql.ts';

export type Dialect = 'mysql' | 'sqlite';

/** Both generated clients expose the same model API; the MySQL one's type stands for both. */
export type PrismaClient = InstanceType<typeof MySqlPrismaClient>;
/** What a repository runs its queries on: the client itself or an interactive transaction. */
export type Db = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

/**
 * Plain SQL with `?` parameters: all the hot path needs. A Prisma client or transaction is one; on
 * MySQL the hot path runs on mysql2 instead (see db/sql.ts), which costs a fraction of Prisma's
 * per-statement overhead. BIGINT and SUM values may come back as strings: read them with BigInt().
 */
export type Sql = Pick<Db, '$queryRawUnsafe' | '$executeRawUnsafe'>;

/**
 * One scalar subquery and its parameters. Services that check a movement read many small figures
 * owned by other modules; each module says how to read its own, and the caller reads them all in one
 * `SELECT (…) AS a, (…) AS b` round trip (see `readFigures`).
 */
export interface Figure {
  sql: string;
  params: unknown[];
}

/** The one statement that reads several figures, as columns named as asked. */
export function figuresStatement(figures: Record<string, Figure>): Figure {
  const names = Object.keys(figures);
  return {
    sql: `SELECT ${names.map((name) => `(${(figures[name] as Figure).sql}) AS ${name}`).join(', ')}`,
    params: names.flatMap((name) => (figures[name] as Figure).params),
  };
}

/** Reads several figures in one statement; answers them by name as they came (numbers may be strings). */
export async function readFigures<K extends string>(
  tx: Sql,
  figures: Record<K, Figure>,
): Promise<Record<K, unknown>> {
  const { sql, params } = figuresStatement(figures);
  const [row] = await tx.$queryRawUnsafe<Record<K, unknown>[]>(sql, ...params);
  return row as Record<K, unknown>;
}

export interface Database {
  dialect: Dialect;
  url: string;
  prisma: PrismaClient;
  /** Statements outside a transaction: mysql2's pool on MySQL, the Prisma client on SQLite. */
  sql: Sql;
  /** Runs `work` in one transaction on the fast executor (mysql2 on MySQL, Prisma on SQLite). */
  sqlTransaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  /**
   * Runs read-only `work` on one consistent snapshot of the database, whatever commits meanwhile
   * (MySQL: a REPEATABLE READ transaction started WITH CONSISTENT SNAPSHOT; SQLite: a transaction).
   */
  readSnapshot<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** Told when a transaction is run again after a deadlock, or given up (the metrics count them). */
  hooks?: TransactionHooks;
}

export interface TransactionHooks {
  retried(): void;
  exhausted(): void;
}

/** One interactive Prisma transaction; generous waits, since under load a writer may queue a while. */
export function prismaTransaction<T>(prisma: PrismaClient, work: (tx: Db) => Promise<T>): Promise<T> {
  return prisma.$transaction((tx) => work(tx as Db), { maxWait: 15_000, timeout: 30_000 });
}

export function dialectOf(url: string): Dialect {
  if (url.startsWith('mysql://') || url.startsWith('mariadb://')) return 'mysql';
  if (url.startsWith('file:')) return 'sqlite';
  throw new Error(`DATABASE_URL must start with mysql:// or file:, got "${url.split(':')[0]}:…"`);
}

/** Connection settings for the mariadb driver from a `mysql://user:pass@host:port/db` URL. */
export function mysqlConnectionOptions(url: string) {
  const parsed = new URL(url.replace(/^mariadb:/, 'mysql:'));
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username || 'root'),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
  };
}

/** The absolute path of a `file:` URL's database, creating its directory. */
export function sqlitePath(url: string): string {
  const path = resolve(url.slice('file:'.length));
  mkdirSync(dirname(path), { recursive: true });
  return path;
}

export interface OpenOptions {
  /** MySQL connection pool size (default 24). */
  poolSize?: number;
  /** More session statements for every MySQL connection (tests use it to emulate newer servers). */
  sessionSql?: string[];
}

/**
 * Every MySQL connection, Prisma's and mysql2's alike, runs in the bank's own session settings:
 * UTC, strict SQL, and READ COMMITTED. The last is deliberate (docs/ledger.md, "Isolation"): a
 * money transaction locks the rows its checks depend on (accounts, then customers) and every
 * later read must see what committed before it got those locks. Under REPEATABLE READ the first
 * plain read fixes a snapshot, and a limit summed after waiting for a lock would read the past.
 */
export const MYSQL_SESSION_SQL = [
  "SET SESSION time_zone = '+00:00'",
  "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO'",
  'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED',
];

export async function openDatabase(url: string, options: OpenOptions = {}): Promise<Database> {
  const dialect = dialectOf(url);
  const sessionSql = [...MYSQL_SESSION_SQL, ...(options.sessionSql ?? [])];
  let prisma: PrismaClient;
  if (dialect === 'mysql') {
    const adapter = new PrismaMariaDb({
      ...mysqlConnectionOptions(url),
      connectionLimit: options.poolSize ?? 24,
      acquireTimeout: 20_000,
      connectTimeout: 10_000,
      // Open connections as load needs them rather than the whole pool at once.
      minimumIdle: 2,
      initSql: sessionSql,
    });
    prisma = new MySqlPrismaClient({ adapter });
  } else {
    // intMode 'bigint': 64-bit integers (minor units) come back exact instead of throwing beyond 2^53.
    const adapter = new PrismaLibSql({
      url: `file:${sqlitePath(url)}`,
      intMode: 'bigint',
    } as ConstructorParameters<typeof PrismaLibSql>[0]);
    prisma = new SqlitePrismaClient({ adapter }) as unknown as PrismaClient;
    await prisma.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await prisma.$queryRawUnsafe('PRAGMA busy_timeout = 10000');
    await prisma.$queryRawUnsafe('PRAGMA foreign_keys = ON');
  }
  await prisma.$connect();
  if (dialect === 'mysql') {
    const pool = createMysqlPool(url, options.poolSize ?? 24, sessionSql);
    return {
      dialect,
      url,
      prisma,
      sql: mysqlSql(pool),
      sqlTransaction: (work) => mysqlTransaction(pool, work),
      readSnapshot: (work) => mysqlSnapshot(pool, work),
      async close() {
        await endPool(pool);
        await prisma.$disconnect();
      },
    };
  }
  return {
    dialect,
    url,
    prisma,
    sql: prisma,
    sqlTransaction: (work) => prismaTransaction(prisma, work),
    readSnapshot: (work) => prismaTransaction(prisma, work),
    close: () => prisma.$disconnect(),
  };
}
