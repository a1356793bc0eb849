import { isWellFormed, utf8, utf8Into } from './bytes.ts';
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

const TAG = utf8(AUDIT_LEAF_TAG);

function checked(name: string, value: string | null, nullable: boolean): string | null {
  if (value === null && nullable) return null;
  if (typeof value !== 'string') throw new TypeError(`audit leaf field ${name} must be a string`);
  if (!isWellFormed(value)) throw new TypeError(`audit leaf field ${name} has an unpaired surrogate`);
  return value;
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
  const fields = [
    checked('id', event.id, false),
    checked('actorId', event.actorId, false),
    checked('actorRole', event.actorRole, false),
    checked('action', event.action, false),
    checked('subjectType', event.subjectType, false),
    checked('subjectId', event.subjectId, true),
    checked('before', event.before, true),
    checked('after', event.after, true),
    checked('reason', event.reason, true),
    checked('requestId', event.requestId, true),
  ];
  const ms = millisecondsOf(event.createdAt);
  // One buffer, written in place: UTF-8 takes at most 3 bytes per UTF-16 unit. (The sealer encodes
  // every event, so this avoids an allocation per field.)
  let room = TAG.length + 8;
  for (const value of fields) room += value === null ? 1 : 5 + 3 * value.length;
  const out = new Uint8Array(room);
  const view = new DataView(out.buffer);
  out.set(TAG);
  let at = TAG.length;
  for (const value of fields) {
    if (value === null) {
      out[at] = 0x00;
      at += 1;
      continue;
    }
    out[at] = 0x01;
    const written = utf8Into(value, out.subarray(at + 5));
    view.setUint32(at + 1, written, false);
    at += 5 + written;
  }
  view.setBigInt64(at, BigInt(ms), false);
  return out.slice(0, at + 8);
}

/** The RFC 9162 leaf hash of an audit event: SHA-256(0x00 || encodeAuditLeaf(event)). */
export async function auditLeafHash(
  event: AuditLeafFields,
  hasher: MerkleHasher = webCryptoHasher,
): Promise<Uint8Array> {
  return hasher.hashLeaf(encodeAuditLeaf(event));
}

/** An audit event as the API (or the SDK) answers it: the fields its leaf is made of. */
export interface AuditEventLike {
  id: string;
  actor: { id: string; role: string };
  action: string;
  subject: { type: string; id: string | null };
  before: unknown;
  after: unknown;
  reason: string | null;
  requestId?: string | null;
  request_id?: string | null;
  createdAt?: string;
  created_at?: string;
}

/**
 * The leaf fields of an audit event as the API serves it (snake_case or the SDK's camelCase): the
 * states are re-serialised with JSON.stringify, which gives back the text the bank stored.
 */
export function auditLeafFieldsOf(event: AuditEventLike): AuditLeafFields {
  const text = (state: unknown) => (state === null || state === undefined ? null : JSON.stringify(state));
  return {
    id: event.id,
    actorId: event.actor.id,
    actorRole: event.actor.role,
    action: event.action,
    subjectType: event.subject.type,
    subjectId: event.subject.id,
    before: text(event.before),
    after: text(event.after),
    reason: event.reason,
    requestId: event.requestId ?? event.request_id ?? null,
    createdAt: (event.createdAt ?? event.created_at) as string,
  };
}
