import { type Database, type Db, prismaTransaction, type Sql } from './database.ts';

/**
 * Work to do once a transaction attempt has committed (e.g. counting what it moved), by the
 * attempt's transaction handle. Keyed by the handle rather than kept in an AsyncLocalStorage: on
 * Node 20 an AsyncLocalStorage turns on promise hooks for every promise in the process, which cost
 * the transfer path about a third more CPU (measured with `pnpm bench:ledger`).
 */
const committing = new WeakMap<object, (() => void)[]>();

/**
 * Runs `fn` when the transaction `tx` commits; never if it rolls back or is run again after a
 * deadlock (each attempt has its own handle and list). For a handle that is not a transaction
 * opened by `transaction` / `sqlTransaction`, `fn` runs at once.
 */
export function afterCommit(tx: object, fn: () => void): void {
  const pending = committing.get(tx);
  if (pending) pending.push(fn);
  else fn();
}

export interface TransactionOptions {
  /** Attempts before a deadlock or serialisation failure is given up (default 8). */
  attempts?: number;
}

/**
 * Deadlocks (1213), lock-wait timeouts (1205), MariaDB's snapshot-isolation conflict (1020 "Record
 * has changed since last read", the default from MariaDB 11.6), write conflicts and a busy SQLite
 * file: safe to run the whole transaction again.
 */
export function isRetryableDbError(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const e = current as {
      code?: unknown;
      errno?: unknown;
      message?: unknown;
      cause?: unknown;
      meta?: unknown;
    };
    if (
      e.code === 'P2034' ||
      e.code === 'SQLITE_BUSY' ||
      e.errno === 1213 ||
      e.errno === 1205 ||
      e.errno === 1020
    )
      return true;
    // "Unable to start a transaction in the given time": the pool was exhausted under load.
    if (
      e.code === 'P2028' &&
      typeof e.message === 'string' &&
      e.message.includes('Unable to start a transaction')
    )
      return true;
    if (
      typeof e.message === 'string' &&
      /deadlock|lock wait timeout|record has changed since last read|database is locked|SQLITE_BUSY|TransactionWriteConflict/i.test(
        e.message,
      )
    ) {
      return true;
    }
    current = e.cause ?? (e.meta as { driverAdapterError?: unknown } | undefined)?.driverAdapterError;
  }
  return false;
}

/** A unique index refused the write: the thing already exists. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  return (
    e?.code === 'P2002' ||
    /unique constraint|Duplicate entry|UNIQUE constraint failed/i.test(e?.message ?? '')
  );
}

export class RetriesExhaustedError extends Error {
  override name = 'RetriesExhaustedError';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` in one database transaction, again from the start when the database reports a
 * deadlock or serialisation failure, so that such failures never reach a client as a 500.
 */
export async function transaction<T>(
  db: Database,
  work: (tx: Db) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  return retrying(
    db,
    (onCommit) => prismaTransaction(db.prisma, (tx) => work(tracked(tx, onCommit))),
    options,
  );
}

/** The same, on the hot-path executor (mysql2 on MySQL): for work written in plain SQL only. */
export function sqlTransaction<T>(
  db: Database,
  work: (tx: Sql) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  return retrying(db, (onCommit) => db.sqlTransaction((tx) => work(tracked(tx, onCommit))), options);
}

function tracked<T extends object>(tx: T, onCommit: (() => void)[]): T {
  committing.set(tx, onCommit);
  return tx;
}

async function retrying<T>(
  db: Database,
  run: (onCommit: (() => void)[]) => Promise<T>,
  options: TransactionOptions,
): Promise<T> {
  const attempts = options.attempts ?? 8;
  for (let attempt = 1; ; attempt++) {
    const onCommit: (() => void)[] = [];
    try {
      const result = await run(onCommit);
      for (const fn of onCommit) fn();
      return result;
    } catch (error) {
      if (!isRetryableDbError(error)) throw error;
      if (attempt >= attempts) {
        db.hooks?.exhausted();
        throw new RetriesExhaustedError('the database stayed busy; try again', { cause: error });
      }
      db.hooks?.retried();
      // Exponential backoff with full jitter: 5 ms, 10 ms, 20 ms … capped at 250 ms.
      await sleep(Math.random() * Math.min(250, 5 * 2 ** attempt));
    }
  }
}
