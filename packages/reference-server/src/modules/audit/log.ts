import { createHash } from 'node:crypto';
import type { Clock } from '../../clock.ts';
import type { Db, Dialect, Sql } from '../../db/database.ts';
import { validationFailed } from '../../errors.ts';
import type { PageRequest } from '../../http/pagination.ts';
import { newId } from '../../ids.ts';

/** Who did it: a principal, or the bank itself (`system`) for automatic actions such as a lockout. */
export interface Actor {
  id: string;
  role: string;
  requestId?: string | undefined;
}

export interface AuditInput {
  action: string;
  subject: { type: string; id?: string | null };
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

export type AuditEventRow = NonNullable<Awaited<ReturnType<Db['auditEvent']['findUnique']>>>;

export const GENESIS_HASH = '0'.repeat(64);

/** The SHA-256 of an event: the previous hash, then every field in a fixed order. */
export function eventHash(prevHash: string, e: Omit<AuditEventRow, 'hash' | 'prevHash'>): string {
  const fields = [
    e.seq.toString(),
    e.id,
    e.actorId,
    e.actorRole,
    e.action,
    e.subjectType,
    e.subjectId,
    e.beforeState,
    e.afterState,
    e.reason,
    e.requestId,
    e.createdAt.toISOString(),
  ];
  return createHash('sha256')
    .update(`${prevHash}\n${JSON.stringify(fields)}`)
    .digest('hex');
}

const stateOf = (value: unknown) =>
  value === undefined ? null : JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));

/**
 * The audit log: every privileged or money-moving action appends one event in the transaction of
 * the action itself. Events form a SHA-256 hash chain; appends lock the one chain-head row, so two
 * transactions can never chain onto the same predecessor.
 */
export class AuditLog {
  constructor(
    private readonly dialect: Dialect,
    private readonly clock: Clock,
  ) {}

  async record(tx: Sql, actor: Actor, input: AuditInput): Promise<AuditEventRow> {
    const [head] = await tx.$queryRawUnsafe<{ seq: bigint | number; hash: string }[]>(
      `SELECT seq, hash FROM audit_chain_head WHERE id = 1${this.dialect === 'mysql' ? ' FOR UPDATE' : ''}`,
    );
    if (!head) throw new Error('the audit chain head is missing');
    const previousSeq = BigInt(head.seq);
    const event = {
      seq: previousSeq + 1n,
      id: newId('aud'),
      actorId: actor.id,
      actorRole: actor.role,
      action: input.action,
      subjectType: input.subject.type,
      subjectId: input.subject.id ?? null,
      beforeState: stateOf(input.before),
      afterState: stateOf(input.after),
      reason: input.reason ?? null,
      requestId: actor.requestId || null,
      createdAt: this.clock.now(),
      prevHash: String(head.hash),
    };
    const row = { ...event, hash: eventHash(event.prevHash, event) };
    await tx.$executeRawUnsafe(
      `INSERT INTO audit_events (seq, id, actor_id, actor_role, action, subject_type, subject_id, before_state,
                                 after_state, reason, request_id, created_at, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      row.seq,
      row.id,
      row.actorId,
      row.actorRole,
      row.action,
      row.subjectType,
      row.subjectId,
      row.beforeState,
      row.afterState,
      row.reason,
      row.requestId,
      row.createdAt,
      row.prevHash,
      row.hash,
    );
    const moved = await tx.$executeRawUnsafe(
      'UPDATE audit_chain_head SET seq = ?, hash = ? WHERE id = 1 AND seq = ?',
      row.seq,
      row.hash,
      previousSeq,
    );
    if (moved !== 1) throw new Error('the audit chain head moved under its lock');
    return row;
  }

  /** Newest first. */
  async list(db: Db, page: PageRequest): Promise<AuditEventRow[]> {
    let before: bigint | undefined;
    if (page.startingAfter) {
      const cursor = await db.auditEvent.findUnique({
        where: { id: page.startingAfter },
        select: { seq: true },
      });
      if (!cursor)
        throw validationFailed([{ path: 'query.starting_after', message: 'is not an audit event' }]);
      before = cursor.seq;
    }
    return db.auditEvent.findMany({
      where: before !== undefined ? { seq: { lt: before } } : {},
      orderBy: { seq: 'desc' },
      take: page.limit + 1,
    });
  }

  /**
   * Walks the chain from the first event: each event must follow its predecessor (seq + 1), hold
   * its hash, and hash to what it stores; the head must name the last event. Reports the first
   * event where that fails (for a truncated tail: the last event still there).
   */
  async verify(db: Db): Promise<{ valid: boolean; checked: number; firstBrokenId: string | null }> {
    let prevHash = GENESIS_HASH;
    let prevSeq = 0n;
    let checked = 0;
    let lastId: string | null = null;
    for (;;) {
      const batch = await db.auditEvent.findMany({
        where: { seq: { gt: prevSeq } },
        orderBy: { seq: 'asc' },
        take: 500,
      });
      for (const event of batch) {
        checked += 1;
        const { hash, prevHash: stored, ...fields } = event;
        if (event.seq !== prevSeq + 1n || stored !== prevHash || eventHash(stored, { ...fields }) !== hash) {
          return { valid: false, checked, firstBrokenId: event.id };
        }
        prevHash = hash;
        prevSeq = event.seq;
        lastId = event.id;
      }
      if (batch.length < 500) break;
    }
    const [head] = await db.$queryRawUnsafe<{ seq: bigint | number; hash: string }[]>(
      'SELECT seq, hash FROM audit_chain_head WHERE id = 1',
    );
    if (!head || BigInt(head.seq) !== prevSeq || String(head.hash) !== prevHash) {
      return { valid: false, checked, firstBrokenId: lastId };
    }
    return { valid: true, checked, firstBrokenId: null };
  }
}
