import { createHash } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { Database, Db } from '../db/database.ts';
import { isUniqueViolation, transaction } from '../db/transaction.ts';
import { DomainError } from '../errors.ts';
import { type ProblemBody, problemOf, StoredProblem } from './problem.ts';

/** What a handler answers: a status and a JSON body (already in wire form). */
export interface Reply {
  status: number;
  body: unknown;
}

export interface IdempotencyRequest {
  principalId: string;
  key: string;
  /** SHA-256 of the method, path and canonical body: "the same request". */
  requestHash: string;
}

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
 * Idempotency as API.md defines it. The key is claimed inside the same transaction as the effect
 * and filled in with the answer before commit, so the effect and its record commit together or not
 * at all. A racing request with the same key blocks on the claim (MySQL: the uncommitted unique
 * row; SQLite: the single writer) until the first commits, then replays its answer. A request
 * that failed with a 4xx is recorded too, and answered the same way on retry.
 */
export class IdempotencyStore {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ttlHours: number,
  ) {}

  async run(request: IdempotencyRequest | undefined, work: (tx: Db) => Promise<Reply>): Promise<Reply> {
    if (!request) return transaction(this.db, work);
    const earlier = await this.replay(this.db.prisma, request);
    if (earlier) return earlier;
    try {
      return await transaction(this.db, async (tx) => {
        await this.claim(tx, request);
        const reply = await work(tx);
        await tx.idempotencyKey.update({
          where: { principalId_key: { principalId: request.principalId, key: request.key } },
          data: { responseStatus: reply.status, responseBody: JSON.stringify(reply.body) },
        });
        return reply;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        const winner = await this.replay(this.db.prisma, request);
        if (winner) return winner;
      }
      if (
        error instanceof DomainError &&
        error.status < 500 &&
        error.status !== 401 &&
        error.status !== 429
      ) {
        return this.recordFailure(request, problemOf(error));
      }
      throw error;
    }
  }

  /** Deletes keys past their time; a later issue runs it daily. */
  async purgeExpired(): Promise<number> {
    const { count } = await this.db.prisma.idempotencyKey.deleteMany({
      where: { expiresAt: { lt: this.clock.now() } },
    });
    return count;
  }

  private async claim(tx: Db, request: IdempotencyRequest): Promise<void> {
    const now = this.clock.now();
    await tx.idempotencyKey.create({
      data: {
        principalId: request.principalId,
        key: request.key,
        requestHash: request.requestHash,
        responseStatus: 0,
        responseBody: '',
        createdAt: now,
        expiresAt: new Date(now.getTime() + this.ttlHours * 3_600_000),
      },
    });
  }

  private async replay(db: Db, request: IdempotencyRequest): Promise<Reply | undefined> {
    const stored = await db.idempotencyKey.findUnique({
      where: { principalId_key: { principalId: request.principalId, key: request.key } },
    });
    if (!stored) return undefined;
    if (stored.expiresAt <= this.clock.now()) {
      // Past its time the key is free again.
      await db.idempotencyKey.deleteMany({
        where: { principalId: request.principalId, key: request.key, expiresAt: { lte: this.clock.now() } },
      });
      return undefined;
    }
    if (stored.requestHash !== request.requestHash) throw reused();
    const body = JSON.parse(stored.responseBody) as unknown;
    if (stored.responseStatus >= 400) throw new StoredProblem(body as ProblemBody);
    return { status: stored.responseStatus, body };
  }

  private async recordFailure(request: IdempotencyRequest, problem: ProblemBody): Promise<Reply> {
    try {
      await transaction(this.db, async (tx) => {
        await this.claim(tx, request);
        await tx.idempotencyKey.update({
          where: { principalId_key: { principalId: request.principalId, key: request.key } },
          data: { responseStatus: problem.status, responseBody: JSON.stringify(problem) },
        });
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Another request with this key got there first: answer what it answered.
      const winner = await this.replay(this.db.prisma, request);
      if (winner) return winner;
    }
    throw new StoredProblem(problem);
  }
}
