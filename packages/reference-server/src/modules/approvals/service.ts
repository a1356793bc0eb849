/**
 * Maker-checker (four eyes): an action one member of staff asks for, which a second one decides.
 * Generic: an approval has a kind, a subject, a JSON payload, its maker and (once decided) its
 * checker; each kind registers who may check it and what approving or rejecting does. Loan
 * overrides above the configured amount use it now; policy changes and model activation will.
 * The maker can never check their own request (403), and a subject has at most one pending
 * request of a kind (a unique key the database keeps, whatever races).
 */
import type { Clock } from '../../clock.ts';
import type { Db, Dialect, Sql } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/transaction.ts';
import { conflict, forbidden, notFound } from '../../errors.ts';
import type { PageRequest } from '../../http/pagination.ts';
import { newId } from '../../ids.ts';
import type { AuditLog } from '../audit/log.ts';
import type { Principal } from '../identity/service.ts';
import type { PrincipalRole } from '../identity/tokens.ts';

export type ApprovalRow = NonNullable<Awaited<ReturnType<Db['approval']['findUnique']>>>;
export type ApprovalStatus = 'pending' | 'approved' | 'rejected';

/** What a kind of approval does. */
export interface ApprovalKind {
  readonly kind: string;
  /** Roles that may ask for it and that may decide it (never the same person). */
  readonly makerRoles: readonly PrincipalRole[];
  readonly checkerRoles: readonly PrincipalRole[];
  /** What the action is, for staff (`GET /v1/approval-actions`). */
  readonly description?: string;
  /** Carries the action out, in the checker's transaction. */
  approve(tx: Db, approval: ApprovalRow, checker: Principal, reason: string): Promise<void>;
  /** Undoes whatever asking put on hold (e.g. a status), in the checker's transaction. */
  reject(tx: Db, approval: ApprovalRow, checker: Principal, reason: string): Promise<void>;
}

const STAFF: readonly PrincipalRole[] = ['banker', 'admin'];

export class ApprovalsService {
  private readonly kinds = new Map<string, ApprovalKind>();

  constructor(
    private readonly db: Db,
    private readonly dialect: Dialect,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    /** The kinds that need a second member of staff (config `approvalActions`); others apply at once. */
    private readonly requiredKinds: readonly string[] = [
      'loan_override',
      'risk_policy_change',
      'model_activation',
    ],
  ) {}

  /** Whether this kind of action must wait for a second member of staff (as configured). */
  required(kind: string): boolean {
    return this.requiredKinds.includes(kind);
  }

  /** The registered kinds, in registration order. */
  kindsList(): ApprovalKind[] {
    return [...this.kinds.values()];
  }

  register(kind: ApprovalKind): void {
    if (this.kinds.has(kind.kind)) throw new Error(`approval kind ${kind.kind} is registered twice`);
    this.kinds.set(kind.kind, kind);
  }

  /** Asks for an action (audited); answers the pending approval. */
  async request(
    tx: Sql,
    maker: Principal,
    input: { kind: string; subject: { type: string; id: string }; payload: unknown; reason: string },
  ): Promise<ApprovalRow> {
    const kind = this.kindOf(input.kind);
    if (!kind.makerRoles.includes(maker.role)) throw forbidden();
    const approval: ApprovalRow = {
      id: newId('apr'),
      kind: input.kind,
      subjectType: input.subject.type,
      subjectId: input.subject.id,
      payload: JSON.stringify(input.payload),
      status: 'pending',
      pendingKey: `${input.kind}:${input.subject.id}`,
      makerId: maker.id,
      makerRole: maker.role,
      makerReason: input.reason,
      checkerId: null,
      checkerReason: null,
      createdAt: this.clock.now(),
      decidedAt: null,
    };
    try {
      await tx.$executeRawUnsafe(
        `INSERT INTO approvals (id, kind, subject_type, subject_id, payload, status, pending_key, maker_id, maker_role,
           maker_reason, checker_id, checker_reason, created_at, decided_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, NULL)`,
        approval.id,
        approval.kind,
        approval.subjectType,
        approval.subjectId,
        approval.payload,
        approval.status,
        approval.pendingKey,
        approval.makerId,
        approval.makerRole,
        approval.makerReason,
        approval.createdAt,
      );
    } catch (error) {
      if (isUniqueViolation(error))
        throw conflict('A request for this is already waiting for a second approver.');
      throw error;
    }
    await this.audit.record(tx, maker, {
      action: 'approval.requested',
      subject: { type: 'approval', id: approval.id },
      after: {
        kind: approval.kind,
        subject_type: approval.subjectType,
        subject_id: approval.subjectId,
        payload: input.payload,
      },
      reason: input.reason,
    });
    return approval;
  }

  /** A second member of staff approves: the kind carries the action out in the same transaction. */
  approve(tx: Db, checker: Principal, id: string, reason: string): Promise<ApprovalRow> {
    return this.decide(tx, checker, id, reason, 'approved');
  }

  reject(tx: Db, checker: Principal, id: string, reason: string): Promise<ApprovalRow> {
    return this.decide(tx, checker, id, reason, 'rejected');
  }

  private async decide(
    tx: Db,
    checker: Principal,
    id: string,
    reason: string,
    status: 'approved' | 'rejected',
  ): Promise<ApprovalRow> {
    if (!STAFF.includes(checker.role)) throw forbidden();
    const [row] = await tx.$queryRawUnsafe<{ id: string }[]>(
      `SELECT id FROM approvals WHERE id = ?${this.dialect === 'mysql' ? ' FOR UPDATE' : ''}`,
      id,
    );
    const approval = row ? await tx.approval.findUnique({ where: { id } }) : null;
    if (!approval) throw notFound('approval');
    const kind = this.kindOf(approval.kind);
    if (approval.makerId === checker.id) throw forbidden('The maker of a request cannot also check it.');
    if (!kind.checkerRoles.includes(checker.role)) throw forbidden('Your role may not decide this request.');
    if (approval.status !== 'pending') throw conflict(`The request is already ${approval.status}.`);
    const decided: ApprovalRow = {
      ...approval,
      status,
      pendingKey: null,
      checkerId: checker.id,
      checkerReason: reason,
      decidedAt: this.clock.now(),
    };
    const { count } = await tx.approval.updateMany({
      where: { id, status: 'pending' },
      data: {
        status,
        pendingKey: null,
        checkerId: checker.id,
        checkerReason: reason,
        decidedAt: decided.decidedAt,
      },
    });
    if (count !== 1) throw conflict('The request was decided meanwhile.');
    if (status === 'approved') await kind.approve(tx, decided, checker, reason);
    else await kind.reject(tx, decided, checker, reason);
    await this.audit.record(tx, checker, {
      action: `approval.${status}`,
      subject: { type: 'approval', id },
      before: { status: 'pending', maker_id: approval.makerId },
      after: {
        status,
        kind: approval.kind,
        subject_type: approval.subjectType,
        subject_id: approval.subjectId,
      },
      reason,
    });
    return decided;
  }

  /** Staff read every request; others none (404). */
  async get(principal: Principal, id: string): Promise<ApprovalRow> {
    if (!STAFF.includes(principal.role)) throw notFound('approval');
    const approval = await this.db.approval.findUnique({ where: { id } });
    if (!approval) throw notFound('approval');
    return approval;
  }

  async list(
    principal: Principal,
    status: ApprovalStatus | undefined,
    page: PageRequest,
  ): Promise<ApprovalRow[]> {
    if (!STAFF.includes(principal.role)) return [];
    return this.db.approval.findMany({
      where: {
        ...(status ? { status } : {}),
        ...(page.startingAfter ? { id: { gt: page.startingAfter } } : {}),
      },
      orderBy: { id: 'asc' },
      take: page.limit + 1,
    });
  }

  private kindOf(name: string): ApprovalKind {
    const kind = this.kinds.get(name);
    if (!kind) throw new Error(`no approval kind ${name}`);
    return kind;
  }
}
