import { createHash } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { SecretBox } from '../crypto/secret-box.ts';
import type { Database, Db, Sql } from '../db/database.ts';
import { isUniqueViolation, sqlTransaction, transaction } from '../db/transaction.ts';
import { WriteBatch, type Writes, write } from '../db/write-batch.ts';
import { DomainError } from '../errors.ts';
import { type ProblemBody, problemOf, StoredProblem } from './problem.ts';

/** What a handler answers: a status and a JSON body (already in wire form). */
export interface Reply {
  status: number;
  body: unknown;
  /** The body holds a secret (a token, recovery codes): its stored copy for replays is sealed. */
  secret?: boolean;
}

export interface IdempotencyRequest {
  principalId: string;
  key: string;
  /** SHA-256 of the method, path and canonical body: "the same request". */
  requestHash: string;
  /** The request id of the first attempt, kept in a recorded problem so its replay is byte-for-byte the same. */
  requestId: string;
}

/** A sealed answer opens only for its own principal and key. */
const contextOf = (request: IdempotencyRequest) => `idempotency:${request.principalId}:${request.key}`;

/** JSON with object keys sorted, so that `{a,b}` and `{b,a}` are the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${canonical(body ?? null)}`)
    .digest('hex');
}

const reused = () =>
  new DomainError(
    422,
    'idempotency_key_reused',
    'Idempotency key reused',
    'This Idempotency-Key was already used with a different request; use a new key for a new request.',
  );

/**
 * Idempotency as API.md defines it. The key and its answer are written at the end of the same
 * transaction as the effect, so the two commit together or not at all; nothing is read first. A racing request with the
 * same key waits on the accounts the first one locked (SQLite: on the single writer), and then on
 * the key's unique index, which refuses its row: it rolls back whatever it did and replays the
 * first answer instead. A request that failed with a 4xx is recorded too, and answered the same
 * way on retry. Whenever a request fails, the key's stored answer is looked up before the failure
 * is answered: a request that lost a race to its twin (say it found the twin's one-time code
 * spent) answers what the twin answered, never an error that would make a client pay again.
 */
export class IdempotencyStore {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ttlHours: number,
    private readonly box: SecretBox,
  ) {}

  /** Runs `work` (which may use Prisma's model API) in a transaction guarded by the key. */
  run(request: IdempotencyRequest | undefined, work: (tx: Db) => Promise<Reply>): Promise<Reply> {
    return this.guard<Db>(
      request,
      (tx) => work(tx),
      (w) => transaction(this.db, w),
      (tx) => tx,
    );
  }

  /**
   * The same for work written in plain SQL only, on the hot-path executor (money movements). The
   * work may queue its closing writes on the WriteBatch it is given; they and the key's record go to
   * the database in one round trip before commit.
   */
  runSql(
    request: IdempotencyRequest | undefined,
    work: (tx: Sql, writes: WriteBatch) => Promise<Reply>,
  ): Promise<Reply> {
    return this.guard(
      request,
      (tx, writes) => work(tx, writes as WriteBatch),
      (w) => sqlTransaction(this.db, w),
      (tx) => new WriteBatch(tx),
    );
  }

  private async guard<Tx extends Sql>(
    request: IdempotencyRequest | undefined,
    work: (tx: Tx, writes: Writes) => Promise<Reply>,
    inTransaction: (work: (tx: Tx) => Promise<Reply>) => Promise<Reply>,
    writesOf: (tx: Tx) => Writes,
  ): Promise<Reply> {
    const flush = (writes: Writes) => (writes instanceof WriteBatch ? writes.flush() : undefined);
    if (!request)
      return inTransaction(async (tx) => {
        const writes = writesOf(tx);
        const reply = await work(tx, writes);
        await flush(writes);
        return reply;
      });
    for (let attempt = 1; ; attempt++) {
      try {
        // No look-up first: the key's unique index refuses a second answer, and then the first is
        // replayed (below). A retry does the work again inside a transaction that rolls back; a
        // first request — nearly every request — saves the round trip.
        return await inTransaction(async (tx) => {
          const writes = writesOf(tx);
          const reply = await work(tx, writes);
          await this.record(writes, request, reply.status, reply.body, reply.secret);
          await flush(writes);
          return reply;
        });
      } catch (error) {
        if (error instanceof DomainError && error.code === 'idempotency_key_reused') throw error;
        // Another request with this key may have committed while this one ran: its answer is the answer.
        const winner = await this.replay(this.db.sql, request);
        if (winner) return winner;
        // The index refused an expired record, which replay has just removed: go again, once.
        if (isUniqueViolation(error) && attempt === 1) continue;
        return this.failed(request, error);
      }
    }
  }

  /** A request that failed: a 4xx is recorded as the key's answer (and replayed byte for byte). */
  private async failed(request: IdempotencyRequest, error: unknown): Promise<Reply> {
    if (error instanceof DomainError && error.status < 500 && error.status !== 401 && error.status !== 429)
      return this.recordFailure(request, { ...problemOf(error), request_id: request.requestId });
    throw error;
  }

  /** Deletes keys past their time; a later issue runs it daily. */
  async purgeExpired(): Promise<number> {
    const { count } = await this.db.prisma.idempotencyKey.deleteMany({
      where: { expiresAt: { lt: this.clock.now() } },
    });
    return count;
  }

  /** Writes the key with its answer; a unique-index violation means another request with this key won. */
  private async record(
    to: Writes,
    request: IdempotencyRequest,
    status: number,
    body: unknown,
    secret = false,
  ): Promise<void> {
    const now = this.clock.now();
    const text = JSON.stringify(body);
    await write(
      to,
      `INSERT INTO idempotency_keys (principal_id, idem_key, request_hash, response_status, response_body, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [
        request.principalId,
        request.key,
        request.requestHash,
        status,
        secret ? this.box.seal(text, contextOf(request)) : text,
        now,
        new Date(now.getTime() + this.ttlHours * 3_600_000),
      ],
    );
  }

  private async replay(db: Sql, request: IdempotencyRequest): Promise<Reply | undefined> {
    const [stored] = await db.$queryRawUnsafe<Record<string, unknown>[]>(
      'SELECT request_hash, response_status, response_body, expires_at FROM idempotency_keys WHERE principal_id = ? AND idem_key = ?',
      request.principalId,
      request.key,
    );
    if (!stored) return undefined;
    if (new Date(stored.expires_at as string | Date) <= this.clock.now()) {
      // Past its time the key is free again.
      await db.$executeRawUnsafe(
        'DELETE FROM idempotency_keys WHERE principal_id = ? AND idem_key = ? AND expires_at <= ?',
        request.principalId,
        request.key,
        this.clock.now(),
      );
      return undefined;
    }
    if (stored.request_hash !== request.requestHash) throw reused();
    const text = String(stored.response_body);
    const body = JSON.parse(
      SecretBox.isSealed(text) ? this.box.open(text, contextOf(request)) : text,
    ) as unknown;
    const status = Number(stored.response_status);
    if (status >= 400) throw new StoredProblem(body as ProblemBody);
    return { status, body };
  }

  private async recordFailure(request: IdempotencyRequest, problem: ProblemBody): Promise<Reply> {
    try {
      await sqlTransaction(this.db, (tx) => this.record(tx, request, problem.status, problem));
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Another request with this key got there first: answer what it answered.
      const winner = await this.replay(this.db.sql, request);
      if (winner) return winner;
    }
    throw new StoredProblem(problem);
  }
}
