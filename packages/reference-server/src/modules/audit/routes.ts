import { AuditEventList, AuditVerification, ListQuery } from '@wekeza/sdk/contract';
import type { Db } from '../../db/database.ts';
import type { Api } from '../../http/api.ts';
import { pageRequest, toPage } from '../../http/pagination.ts';
import { timestamp } from '../../http/render.ts';
import type { AuditEventRow, AuditLog } from './log.ts';

const parsed = (state: string | null) => (state === null ? null : (JSON.parse(state) as unknown));

export function renderAuditEvent(event: AuditEventRow) {
  return {
    id: event.id,
    seq: Number(event.seq),
    actor: { id: event.actorId, role: event.actorRole },
    action: event.action,
    subject: { type: event.subjectType, id: event.subjectId },
    before: parsed(event.beforeState),
    after: parsed(event.afterState),
    reason: event.reason,
    request_id: event.requestId,
    created_at: timestamp(event.createdAt),
    prev_hash: event.prevHash,
    hash: event.hash,
  };
}

export function auditRoutes(api: Api, audit: AuditLog, db: Db): void {
  api.route(
    {
      method: 'get',
      path: '/v1/audit-events',
      operationId: 'listAuditEvents',
      summary: 'Admins: the audit log, newest first',
      tag: 'Administrator',
      auth: ['admin'],
      scopes: ['audit:read'],
      query: ListQuery,
      responses: { 200: { description: 'A page of audit events.', schema: AuditEventList } },
    },
    async ({ query }) => {
      const page = pageRequest(query);
      const rows = await audit.list(db, page);
      return { status: 200, body: toPage(rows, page.limit, (e) => e.id, renderAuditEvent) };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/v1/audit-events/verify',
      operationId: 'verifyAuditEvents',
      summary: "Admins: walk the audit log's hash chain and name the first broken link",
      tag: 'Administrator',
      auth: ['admin'],
      scopes: ['audit:read'],
      responses: { 200: { description: 'Whether the chain holds.', schema: AuditVerification } },
    },
    async () => {
      const result = await audit.verify(db);
      return {
        status: 200,
        body: { valid: result.valid, checked: result.checked, first_broken_id: result.firstBrokenId },
      };
    },
  );
}
