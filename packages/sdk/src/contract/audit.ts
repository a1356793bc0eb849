import * as z from 'zod/mini';
import { describe, idOf, page, Timestamp } from './common.ts';

/** One event of the audit log, with its place in the transparency log once sealed. */
export const AuditEvent = z.object({
  id: idOf('aud'),
  actor: z.object({ id: z.string(), role: z.string() }),
  action: describe(z.string(), 'What happened, e.g. `transfer.created`, `kyc.tier_raised`.'),
  subject: z.object({ type: z.string(), id: z.nullable(z.string()) }),
  before: describe(
    z.nullable(z.unknown()),
    'The state before, as JSON; the leaf commits to its JSON.stringify text (null: none).',
  ),
  after: describe(z.nullable(z.unknown()), 'The state after, as JSON (as `before`).'),
  reason: z.nullable(z.string()),
  request_id: z.nullable(z.string()),
  created_at: Timestamp,
  seal: describe(
    z.nullable(z.object({ leaf_index: z.number().check(z.int()), leaf_hash: z.string() })),
    'Its leaf in the Merkle tree (RFC 9162 leaf hash, base64), once the sealer has sealed it.',
  ),
});
export type AuditEvent = z.infer<typeof AuditEvent>;
export const AuditEventList = page(AuditEvent);

/** `GET /v1/audit-events/verify`. */
export const AuditVerification = z.object({
  valid: z.boolean(),
  checked: describe(z.number().check(z.int()), 'How many sealed events were recomputed.'),
  first_broken_id: describe(
    z.nullable(z.string()),
    'The first event found altered, missing or out of place (or the first of the range that holds it).',
  ),
  tree_size: describe(z.number().check(z.int()), 'The signed checkpoint verified against.'),
  root_hash: z.nullable(z.string()),
  unsealed: describe(z.number().check(z.int()), 'Events written but not sealed yet.'),
  reason: z.nullable(z.string()),
});
export type AuditVerification = z.infer<typeof AuditVerification>;

export const AuditVerifyQuery = z.strictObject({
  tree_size: z.optional(
    describe(
      z.string().check(z.regex(/^[0-9]{1,15}$/, 'must be a whole number')),
      'Verify against this checkpoint.',
    ),
  ),
});

/** A signed checkpoint: C2SP tlog-checkpoint `body`, Ed25519 `signature` over it (base64), `key_id`. */
export const AuditCheckpoint = z.object({
  origin: z.string(),
  tree_size: z.number().check(z.int()),
  root_hash: describe(z.string(), 'RFC 9162 Merkle tree head, base64.'),
  body: describe(z.string(), '"<origin>\\n<tree_size>\\n<base64 root hash>\\n"'),
  signature: z.string(),
  key_id: z.string(),
});
export type AuditCheckpoint = z.infer<typeof AuditCheckpoint>;

/** `GET /v1/audit/sealing`: how far the sealer is behind (admins; for monitoring). */
export const AuditSealingStatus = z.object({
  pending_events: describe(z.number().check(z.int()), 'Events committed and not sealed yet.'),
  oldest_pending_at: z.nullable(Timestamp),
  lag_ms: describe(z.number().check(z.int()), 'Now minus the oldest pending event (0 when none).'),
  tree_size: describe(z.number().check(z.int()), 'Events in the latest signed checkpoint.'),
  checkpointed_at: z.nullable(Timestamp),
});
export type AuditSealingStatus = z.infer<typeof AuditSealingStatus>;

/** The audit log's verifying keys (JWKS of OKP/Ed25519 keys, `kid` = a checkpoint's `key_id`). */
export const AuditPublicKeys = z.object({ keys: z.array(z.record(z.string(), z.unknown())) });

export const AuditProofQuery = z.strictObject({
  tree_size: z.optional(z.string().check(z.regex(/^[0-9]{1,15}$/, 'must be a whole number'))),
});

/** `GET /v1/audit-events/{id}/proof`: RFC 9162 inclusion proof. */
export const AuditInclusionProof = z.object({
  leaf_index: z.number().check(z.int()),
  tree_size: z.number().check(z.int()),
  leaf_hash: z.string(),
  audit_path: z.array(z.string()),
});
export type AuditInclusionProof = z.infer<typeof AuditInclusionProof>;

export const AuditConsistencyQuery = z.strictObject({
  from: z.string().check(z.regex(/^[0-9]{1,15}$/, 'must be a whole number')),
  to: z.string().check(z.regex(/^[0-9]{1,15}$/, 'must be a whole number')),
});

/** `GET /v1/audit/consistency`: RFC 9162 consistency proof between two tree sizes. */
export const AuditConsistencyProof = z.object({
  from: z.number().check(z.int()),
  to: z.number().check(z.int()),
  proof: z.array(z.string()),
});
export type AuditConsistencyProof = z.infer<typeof AuditConsistencyProof>;
