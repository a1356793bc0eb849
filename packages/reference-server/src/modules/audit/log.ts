import type { Clock } from '../../clock.ts';
import type { Db, Sql } from '../../db/database.ts';
import { type Writes, write } from '../../db/write-batch.ts';
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

/** An event with its place in the log, once sealed. */
export type AuditEventWithSeal = AuditEventRow & { seq: bigint | null; leafHash: string | null };

/**
 * Stored JSON text of a state. `null` and `undefined` are both SQL NULL, so an outside verifier who
 * reads `null` in the API knows the leaf holds NULL (and re-serialises any other value to the text).
 */
const stateOf = (value: unknown) =>
  value === undefined || value === null
    ? null
    : JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));

/**
 * The audit log: every privileged or money-moving action appends one event in the transaction of
 * the action itself — one INSERT, no shared row, so audit adds no global lock to money movements.
 * An event rolled back with its action never existed. Events are never changed (triggers refuse
 * UPDATE and DELETE); the sealer (sealer.ts) gives committed events their order in a Merkle tree
 * and signs checkpoints, which is what makes the log tamper-evident against whoever owns the database.
 */
export class AuditLog {
  constructor(private readonly clock: Clock) {}

  async record(tx: Sql, actor: Actor, input: AuditInput): Promise<AuditEventRow> {
    const [row] = await this.recordAll(tx, actor, [input]);
    return row as AuditEventRow;
  }

  /** Several events of one actor in one statement (a batch of transfers); `to` may be a WriteBatch. */
  async recordAll(to: Writes, actor: Actor, inputs: AuditInput[]): Promise<AuditEventRow[]> {
    const now = this.clock.now();
    const rows: AuditEventRow[] = inputs.map((input) => ({
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
      createdAt: now,
    }));
    // A trigger queues each id for sealing (audit_pending) in this same transaction.
    await write(
      to,
      `INSERT INTO audit_events (id, actor_id, actor_role, action, subject_type, subject_id, before_state,
                                 after_state, reason, request_id, created_at)
       VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      rows.flatMap((row) => [
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
      ]),
    );
    return rows;
  }

  /** Newest first (by time, then id), each with its seal once sealed. */
  async list(db: Db, page: PageRequest): Promise<AuditEventWithSeal[]> {
    let cursor: { createdAt: Date; id: string } | undefined;
    if (page.startingAfter) {
      const found = await db.auditEvent.findUnique({
        where: { id: page.startingAfter },
        select: { id: true, createdAt: true },
      });
      if (!found)
        throw validationFailed([{ path: 'query.starting_after', message: 'is not an audit event' }]);
      cursor = found;
    }
    const rows = await db.auditEvent.findMany({
      where: cursor
        ? {
            OR: [
              { createdAt: { lt: cursor.createdAt } },
              { createdAt: cursor.createdAt, id: { lt: cursor.id } },
            ],
          }
        : {},
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: page.limit + 1,
    });
    return this.withSeals(db, rows);
  }

  async get(db: Db, id: string): Promise<AuditEventWithSeal | undefined> {
    const row = await db.auditEvent.findUnique({ where: { id } });
    return row ? (await this.withSeals(db, [row]))[0] : undefined;
  }

  private async withSeals(db: Db, rows: AuditEventRow[]): Promise<AuditEventWithSeal[]> {
    const seals = new Map(
      (
        await db.auditSeal.findMany({
          where: { eventId: { in: rows.map((r) => r.id) } },
          select: { eventId: true, seq: true, leafHash: true },
        })
      ).map((s) => [s.eventId, s]),
    );
    return rows.map((row) => ({
      ...row,
      seq: seals.get(row.id)?.seq ?? null,
      leafHash: seals.get(row.id)?.leafHash ?? null,
    }));
  }
}
