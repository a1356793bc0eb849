import { concat, isWellFormed, utf8 } from './bytes.ts';
import { type MerkleHasher, webCryptoHasher } from './hash.ts';

/** The fields of an audit event that its leaf commits to. */
export interface AuditLeafFields {
  id: string;
  actorId: string;
  actorRole: string;
  action: string;
  subjectType: string;
  subjectId: string | null;
  /** The state before the action as the JSON text the bank stored, or null. */
  before: string | null;
  /** The state after the action as the JSON text the bank stored, or null. */
  after: string | null;
  reason: string | null;
  requestId: string | null;
  /** When the event was written: a Date, or an RFC 3339 timestamp with at most millisecond digits. */
  createdAt: Date | string;
}

/** The first bytes of every version-1 audit leaf: names the format, so a later one cannot be confused. */
export const AUDIT_LEAF_TAG = 'wekeza/audit-event/v1\n';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:\d{2})$/;

function millisecondsOf(createdAt: Date | string): number {
  const ms =
    createdAt instanceof Date
      ? createdAt.getTime()
      : typeof createdAt === 'string' && RFC3339.test(createdAt)
        ? Date.parse(createdAt)
        : Number.NaN;
  if (!Number.isSafeInteger(ms)) throw new TypeError(`createdAt is not a timestamp: ${String(createdAt)}`);
  return ms;
}

function field(name: string, value: string | null, nullable: boolean): Uint8Array {
  if (value === null && nullable) return Uint8Array.of(0x00);
  if (typeof value !== 'string') throw new TypeError(`audit leaf field ${name} must be a string`);
  if (!isWellFormed(value)) throw new TypeError(`audit leaf field ${name} has an unpaired surrogate`);
  const bytes = utf8(value);
  const header = new Uint8Array(5);
  header[0] = 0x01;
  new DataView(header.buffer).setUint32(1, bytes.length, false);
  return concat(header, bytes);
}

/**
 * The leaf of an audit event: the bytes its leaf hash is taken over. Version 1:
 *
 *     leaf    = "wekeza/audit-event/v1\n"
 *               field(id) field(actor_id) field(actor_role) field(action) field(subject_type)
 *               field(subject_id) field(before) field(after) field(reason) field(request_id)
 *               int64(created_at)
 *     field   = 0x00                                   (null)
 *             | 0x01 uint32(n) <n bytes of UTF-8>     (a string, n bytes long)
 *     int64   = milliseconds since 1970-01-01T00:00:00Z, two's complement
 *
 * Integers are big-endian. Every field has a fixed place and carries its own length, so two
 * different events never share a leaf (no separator can be forged inside a value), and null differs
 * from the empty string. The leaf holds no position: the log's order is the tree's. Throws when a
 * required field is not a string, a string has an unpaired surrogate, or the time is not one.
 */
export function encodeAuditLeaf(event: AuditLeafFields): Uint8Array {
  const time = new Uint8Array(8);
  new DataView(time.buffer).setBigInt64(0, BigInt(millisecondsOf(event.createdAt)), false);
  return concat(
    utf8(AUDIT_LEAF_TAG),
    field('id', event.id, false),
    field('actorId', event.actorId, false),
    field('actorRole', event.actorRole, false),
    field('action', event.action, false),
    field('subjectType', event.subjectType, false),
    field('subjectId', event.subjectId, true),
    field('before', event.before, true),
    field('after', event.after, true),
    field('reason', event.reason, true),
    field('requestId', event.requestId, true),
    time,
  );
}

/** The RFC 9162 leaf hash of an audit event: SHA-256(0x00 || encodeAuditLeaf(event)). */
export async function auditLeafHash(
  event: AuditLeafFields,
  hasher: MerkleHasher = webCryptoHasher,
): Promise<Uint8Array> {
  return hasher.hashLeaf(encodeAuditLeaf(event));
}
