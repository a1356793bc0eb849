import type { Sql } from './database.ts';

/** A write and, when its caller must know, what to do with the number of rows it changed. */
interface Statement {
  sql: string;
  params: unknown[];
  check?: ((affected: number) => void) | undefined;
}

/** An executor that can send several statements in one round trip (mysql2 with multiple statements). */
export interface MultiSql extends Sql {
  $executeMany(statements: { sql: string; params: unknown[] }[]): Promise<number[]>;
  /** Each statement's result (rows for a SELECT), in order. */
  $queryMany(statements: { sql: string; params: unknown[] }[]): Promise<unknown[]>;
}

/**
 * Reads that depend only on each other's locks, in one round trip where the executor can (MySQL:
 * a multi-statement query, run in order), one after the other where it cannot (SQLite).
 */
export async function queryMany(
  tx: Sql,
  statements: { sql: string; params: unknown[] }[],
): Promise<unknown[]> {
  const many = (tx as Partial<MultiSql>).$queryMany;
  if (many) return many(statements);
  const results: unknown[] = [];
  for (const s of statements) results.push(await tx.$queryRawUnsafe(s.sql, ...s.params));
  return results;
}

/**
 * The writes at the end of a money movement — its entry and postings, the balances, the transfer,
 * the audit event, the events, the idempotency record — need no answer until commit. Collected here,
 * they go to MySQL as one multi-statement query: one round trip instead of seven, and the rows locked
 * at the start are held that much shorter. Statements run in the order added; a `check` sees each
 * one's affected-row count before the transaction commits (and may throw to roll it back). On SQLite,
 * where there is no network, they simply run one after the other.
 */
export class WriteBatch {
  private readonly statements: Statement[] = [];

  constructor(private readonly tx: Sql) {}

  add(sql: string, params: unknown[], check?: (affected: number) => void): void {
    this.statements.push({ sql, params, check });
  }

  /** Sends what was added; called inside the transaction, before it commits. */
  async flush(): Promise<void> {
    const statements = this.statements.splice(0);
    if (statements.length === 0) return;
    const many = (this.tx as Partial<MultiSql>).$executeMany;
    const affected = many ? await many(statements) : await sequentially(this.tx, statements);
    for (const [i, s] of statements.entries()) s.check?.(affected[i] as number);
  }
}

async function sequentially(tx: Sql, statements: Statement[]): Promise<number[]> {
  const affected: number[] = [];
  for (const s of statements) affected.push(await tx.$executeRawUnsafe(s.sql, ...s.params));
  return affected;
}

/** Where a write goes: now, on a transaction, or at the end of it, in a batch. */
export type Writes = Sql | WriteBatch;

/** Runs a write now or queues it; `check` sees how many rows it changed. */
export async function write(
  to: Writes,
  sql: string,
  params: unknown[],
  check?: (affected: number) => void,
): Promise<void> {
  if (to instanceof WriteBatch) return to.add(sql, params, check);
  const affected = await to.$executeRawUnsafe(sql, ...params);
  check?.(affected);
}
