import {
  AuditCheckpoint,
  AuditConsistencyProof,
  AuditConsistencyQuery,
  AuditEventList,
  AuditInclusionProof,
  AuditProofQuery,
  AuditPublicKeys,
  AuditSealingStatus,
  AuditVerification,
  AuditVerifyQuery,
  ListQuery,
} from '@wekeza/sdk/contract';
import type { Db } from '../../db/database.ts';
import { notFound } from '../../errors.ts';
import type { Api } from '../../http/api.ts';
import { pageRequest, toPage } from '../../http/pagination.ts';
import { timestamp } from '../../http/render.ts';
import type { AuditEventWithSeal, AuditLog } from './log.ts';
import type { AuditTransparency } from './transparency.ts';

const parsed = (state: string | null) => (state === null ? null : (JSON.parse(state) as unknown));

export function renderAuditEvent(event: AuditEventWithSeal) {
  return {
    id: event.id,
    actor: { id: event.actorId, role: event.actorRole },
    action: event.action,
    subject: { type: event.subjectType, id: event.subjectId },
    before: parsed(event.beforeState),
    after: parsed(event.afterState),
    reason: event.reason,
    request_id: event.requestId,
    created_at: timestamp(event.createdAt),
    seal:
      event.seq === null || event.leafHash === null
        ? null
        : { leaf_index: Number(event.seq), leaf_hash: Buffer.from(event.leafHash, 'hex').toString('base64') },
  };
}

const ADMIN = { tag: 'Administrator', auth: ['admin'] as ['admin'], scopes: ['audit:read' as const] };

export function auditRoutes(api: Api, audit: AuditLog, transparency: AuditTransparency, db: Db): void {
  api.route(
    {
      method: 'get',
      path: '/v1/audit-events',
      operationId: 'listAuditEvents',
      summary: 'Admins: the audit log, newest first, each event with its seal once sealed',
      ...ADMIN,
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
      summary:
        'Admins: recompute the log up to a signed checkpoint from one consistent read and check the signature',
      ...ADMIN,
      query: AuditVerifyQuery,
      responses: { 200: { description: 'Whether the log holds.', schema: AuditVerification } },
    },
    async ({ query }) => {
      const r = await transparency.verify(
        query.tree_size === undefined ? undefined : Number(query.tree_size),
      );
      return {
        status: 200,
        body: {
          valid: r.valid,
          checked: r.checked,
          first_broken_id: r.firstBrokenId,
          tree_size: r.treeSize,
          root_hash: r.rootHash,
          unsealed: r.unsealed,
          reason: r.reason,
        },
      };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/v1/audit-events/{id}/proof',
      operationId: 'auditInclusionProof',
      summary: "Admins: an event's RFC 9162 inclusion proof in a signed tree (409 not_sealed until sealed)",
      ...ADMIN,
      query: AuditProofQuery,
      responses: {
        200: { description: 'The inclusion proof.', schema: AuditInclusionProof },
        409: { description: '`not_sealed`: not in a signed checkpoint yet (see Retry-After).' },
      },
    },
    async ({ params, query }) => {
      const proof = await transparency.proof(
        params.id as string,
        query.tree_size === undefined ? undefined : Number(query.tree_size),
      );
      return {
        status: 200,
        body: {
          leaf_index: proof.leafIndex,
          tree_size: proof.treeSize,
          leaf_hash: proof.leafHash,
          audit_path: proof.auditPath,
        },
      };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/v1/audit/checkpoints/latest',
      operationId: 'latestAuditCheckpoint',
      summary: 'Admins: the latest signed checkpoint of the audit log',
      ...ADMIN,
      responses: { 200: { description: 'The checkpoint.', schema: AuditCheckpoint } },
    },
    async () => {
      const checkpoint = await transparency.latestCheckpoint();
      if (!checkpoint) throw notFound('checkpoint');
      return { status: 200, body: checkpoint };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/v1/audit/checkpoints/{tree_size}',
      operationId: 'auditCheckpoint',
      summary: 'Admins: the signed checkpoint of a tree size',
      ...ADMIN,
      responses: { 200: { description: 'The checkpoint.', schema: AuditCheckpoint } },
    },
    async ({ params }) => {
      const size = /^[0-9]{1,15}$/.test(params.tree_size as string) ? Number(params.tree_size) : -1;
      const checkpoint = size >= 0 ? await transparency.checkpoint(size) : undefined;
      if (!checkpoint) throw notFound('checkpoint');
      return { status: 200, body: checkpoint };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/v1/audit/consistency',
      operationId: 'auditConsistencyProof',
      summary: 'Admins: the RFC 9162 consistency proof between two signed tree sizes',
      ...ADMIN,
      query: AuditConsistencyQuery,
      responses: { 200: { description: 'The consistency proof.', schema: AuditConsistencyProof } },
    },
    async ({ query }) => {
      const from = Number(query.from);
      const to = Number(query.to);
      return { status: 200, body: { from, to, proof: await transparency.consistency(from, to) } };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/v1/audit/sealing',
      operationId: 'auditSealingStatus',
      summary: 'Admins: how far the sealer is behind (events waiting, the oldest, the latest checkpoint)',
      ...ADMIN,
      responses: { 200: { description: 'The sealing status.', schema: AuditSealingStatus } },
    },
    async () => {
      const status = await transparency.sealing();
      return {
        status: 200,
        body: {
          pending_events: status.pendingEvents,
          oldest_pending_at: status.oldestPendingAt ? timestamp(status.oldestPendingAt) : null,
          lag_ms: status.lagMs,
          tree_size: status.treeSize,
          checkpointed_at: status.checkpointedAt ? timestamp(status.checkpointedAt) : null,
        },
      };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/v1/audit/public-keys',
      operationId: 'auditPublicKeys',
      summary: "The audit log's verifying keys (JWKS, OKP/Ed25519; `kid` = a checkpoint's `key_id`)",
      tag: 'Administrator',
      auth: 'public',
      scopes: [],
      responses: { 200: { description: 'JSON Web Key Set.', schema: AuditPublicKeys } },
    },
    async () => ({ status: 200, body: transparency.publicKeys }),
  );
}
