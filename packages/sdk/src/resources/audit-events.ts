import type { JsonWebKeySet } from '../audit/index.ts';
import type { Wekeza } from '../client.ts';
import type { ListParams, PagePromise } from '../core/pagination.ts';
import type { RequestOptions } from '../core/request-options.ts';
import { path } from '../internal/path.ts';

/** One event of the audit log, with its leaf in the transparency log once sealed. */
export interface AuditEvent {
  id: string;
  actor: { id: string; role: string };
  action: string;
  subject: { type: string; id: string | null };
  /** The state before, exactly as stored (its JSON text is what the leaf commits to). */
  before: unknown;
  after: unknown;
  reason: string | null;
  requestId: string | null;
  createdAt: string;
  /** Its leaf index and RFC 9162 leaf hash (base64), once the sealer has sealed it. */
  seal: { leafIndex: number; leafHash: string } | null;
}

/** The log recomputed up to a signed checkpoint. */
export interface AuditVerification {
  valid: boolean;
  checked: number;
  firstBrokenId: string | null;
  treeSize: number;
  rootHash: string | null;
  unsealed: number;
  reason: string | null;
}

/** How far the sealer is behind (timestamps ISO 8601). */
export interface AuditSealingStatus {
  pendingEvents: number;
  oldestPendingAt: string | null;
  lagMs: number;
  treeSize: number;
  checkpointedAt: string | null;
}

/** An RFC 9162 inclusion proof (hashes base64). */
export interface AuditInclusionProof {
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  auditPath: string[];
}

/** `/v1/audit-events` (admins). */
export class AuditEvents {
  constructor(private readonly client: Wekeza) {}

  /** The audit log, newest first. */
  list(params?: ListParams, options?: RequestOptions): PagePromise<AuditEvent> {
    return this.client._list<AuditEvent>('/v1/audit-events', (c) => c.AuditEventList, params, options);
  }

  /** Recomputes the log up to a signed checkpoint (default the latest) and checks its signature. */
  verify(params: { treeSize?: number } = {}, options?: RequestOptions): Promise<AuditVerification> {
    return this.client._request(
      { method: 'GET', path: '/v1/audit-events/verify', query: { tree_size: params.treeSize } },
      (c) => c.AuditVerification,
      options,
    );
  }

  /** The event's inclusion proof in the tree of `treeSize` leaves (default the latest checkpoint's); 409 `not_sealed` before sealing. */
  proof(
    id: string,
    params: { treeSize?: number } = {},
    options?: RequestOptions,
  ): Promise<AuditInclusionProof> {
    return this.client._request(
      { method: 'GET', path: path`/v1/audit-events/${id}/proof`, query: { tree_size: params.treeSize } },
      (c) => c.AuditInclusionProof,
      options,
    );
  }
}

/** A signed checkpoint exactly as served (verify it with `verifyCheckpoint` from `@wekeza/sdk/audit`). */
export interface AuditCheckpoint {
  origin: string;
  tree_size: number;
  root_hash: string;
  body: string;
  signature: string;
  key_id: string;
}

/** `/v1/audit/*`: checkpoints, consistency proofs and the verifying keys of the transparency log. */
export class Audit {
  constructor(private readonly client: Wekeza) {}

  /** The latest signed checkpoint (admins), in the wire form the verifiers take. */
  async latestCheckpoint(options?: RequestOptions): Promise<AuditCheckpoint> {
    return toWireCheckpoint(
      await this.client._request(
        { method: 'GET', path: '/v1/audit/checkpoints/latest' },
        (c) => c.AuditCheckpoint,
        options,
      ),
    );
  }

  /** The signed checkpoint of a tree size (admins). */
  async checkpoint(treeSize: number, options?: RequestOptions): Promise<AuditCheckpoint> {
    return toWireCheckpoint(
      await this.client._request(
        { method: 'GET', path: path`/v1/audit/checkpoints/${String(treeSize)}` },
        (c) => c.AuditCheckpoint,
        options,
      ),
    );
  }

  /** The consistency proof from one tree size to a later one (admins; hashes base64). */
  async consistency(from: number, to: number, options?: RequestOptions): Promise<string[]> {
    const answer = await this.client._request(
      { method: 'GET', path: '/v1/audit/consistency', query: { from, to } },
      (c) => c.AuditConsistencyProof,
      options,
    );
    return answer.proof;
  }

  /** How far the sealer is behind (admins): events waiting, the oldest's age, the latest checkpoint. */
  async sealing(options?: RequestOptions): Promise<AuditSealingStatus> {
    return this.client._request(
      { method: 'GET', path: '/v1/audit/sealing' },
      (c) => c.AuditSealingStatus,
      options,
    );
  }

  /** The verifying keys (public): a JWKS of Ed25519 keys whose `kid` is a checkpoint's `key_id`. */
  async publicKeys(options?: RequestOptions): Promise<JsonWebKeySet> {
    // Kept as served (no camelCasing of JWK members), for verifyCheckpoint.
    return (await this.client._request(
      { method: 'GET', path: '/v1/audit/public-keys', auth: false },
      (c) => c.AuditPublicKeys,
      options,
    )) as unknown as JsonWebKeySet;
  }
}

/** Checkpoints stay in their signed wire form: `verifyCheckpoint` checks exactly what the bank signed. */
function toWireCheckpoint(c: {
  origin: string;
  treeSize: number;
  rootHash: string;
  body: string;
  signature: string;
  keyId: string;
}): AuditCheckpoint {
  return {
    origin: c.origin,
    tree_size: c.treeSize,
    root_hash: c.rootHash,
    body: c.body,
    signature: c.signature,
    key_id: c.keyId,
  };
}
