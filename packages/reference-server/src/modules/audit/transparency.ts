import { type JsonWebKeySet, type SignedCheckpoint, verifyCheckpoint } from '@wekeza/sdk/audit';
import type { Clock } from '../../clock.ts';
import type { Database, Sql } from '../../db/database.ts';
import { DomainError, notFound, validationFailed } from '../../errors.ts';
import {
  auditEventLeafHash,
  consistencyProof,
  inclusionProof,
  MerkleFrontier,
  nodeHasher,
} from './merkle.ts';
import { readNodes } from './sealer.ts';

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const hexToBase64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

export interface InclusionProof {
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  auditPath: string[];
}

export interface Verification {
  valid: boolean;
  /** Sealed events recomputed (the checkpoint's tree size when valid). */
  checked: number;
  /** The first event found altered, missing or out of place; null when valid or not pinned down. */
  firstBrokenId: string | null;
  /** The checkpoint verified against. */
  treeSize: number;
  rootHash: string | null;
  /** Events written but not sealed yet (they are verified once sealed). */
  unsealed: number;
  reason: string | null;
}

export interface SealingStatus {
  pendingEvents: number;
  oldestPendingAt: Date | null;
  lagMs: number;
  treeSize: number;
  checkpointedAt: Date | null;
}

/** SQLite answers datetimes as milliseconds or text; MySQL as Date. */
const toDate = (value: unknown) =>
  value instanceof Date
    ? value
    : new Date(
        typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : (value as string | number),
      );

/** Not sealed yet: retry in a moment (the sealer runs within about a second). */
export const notSealed = () =>
  new DomainError(
    409,
    'not_sealed',
    'Not sealed',
    'The event is not in a signed checkpoint yet; retry shortly.',
    undefined,
    1,
  );

/**
 * Reading the transparency log: signed checkpoints, inclusion and consistency proofs (RFC 9162),
 * and `verify`, which recomputes every sealed event's leaf hash and the tree from one consistent
 * read of the database and checks the result against a checkpoint whose signature it checks with
 * the bank's public keys (from the configuration, never from the database). Whoever rewrites the
 * database cannot re-sign: an edited, deleted or reordered event no longer yields the signed root.
 */
export class AuditTransparency {
  constructor(
    private readonly db: Database,
    /** The verifying keys (current and retired), as served at /v1/audit/public-keys. */
    readonly publicKeys: JsonWebKeySet,
    private readonly clock: Clock,
  ) {}

  /** How far sealing is behind: what waits, since when, and the latest checkpoint (one round trip). */
  async sealing(): Promise<SealingStatus> {
    const [row] = await this.db.sql.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT (SELECT COUNT(*) FROM audit_pending) AS pending,
              (SELECT MIN(e.created_at) FROM audit_pending p JOIN audit_events e ON e.id = p.event_id) AS oldest,
              (SELECT MAX(tree_size) FROM audit_checkpoints) AS tree_size,
              (SELECT MAX(created_at) FROM audit_checkpoints) AS checkpointed_at`,
    );
    const oldest = row?.oldest ? toDate(row.oldest) : null;
    return {
      pendingEvents: Number(row?.pending ?? 0),
      oldestPendingAt: oldest,
      lagMs: oldest ? Math.max(0, this.clock.now().getTime() - oldest.getTime()) : 0,
      treeSize: Number(row?.tree_size ?? 0),
      checkpointedAt: row?.checkpointed_at ? toDate(row.checkpointed_at) : null,
    };
  }

  async latestCheckpoint(db: Sql = this.db.sql): Promise<SignedCheckpoint | undefined> {
    const [row] = await db.$queryRawUnsafe<Record<string, unknown>[]>(
      'SELECT tree_size, root_hash, body, signature, key_id FROM audit_checkpoints ORDER BY tree_size DESC LIMIT 1',
    );
    return row ? renderCheckpoint(row) : undefined;
  }

  async checkpoint(treeSize: number, db: Sql = this.db.sql): Promise<SignedCheckpoint | undefined> {
    const [row] = await db.$queryRawUnsafe<Record<string, unknown>[]>(
      'SELECT tree_size, root_hash, body, signature, key_id FROM audit_checkpoints WHERE tree_size = ?',
      treeSize,
    );
    return row ? renderCheckpoint(row) : undefined;
  }

  /** The inclusion proof of an event in the tree of `treeSize` leaves (default: the latest checkpoint's). */
  async proof(eventId: string, treeSize?: number): Promise<InclusionProof> {
    return this.db.readSnapshot(async (tx) => {
      const [event] = await tx.$queryRawUnsafe<{ id: string }[]>(
        'SELECT id FROM audit_events WHERE id = ?',
        eventId,
      );
      if (!event) throw notFound('audit event');
      const latest = await this.latestCheckpoint(tx);
      const [seal] = await tx.$queryRawUnsafe<{ seq: unknown; leaf_hash: string }[]>(
        'SELECT seq, leaf_hash FROM audit_seals WHERE event_id = ?',
        eventId,
      );
      const size = treeSize ?? latest?.tree_size;
      if (!seal || !latest || size === undefined || Number(seal.seq) >= latest.tree_size) throw notSealed();
      if (size > latest.tree_size || size <= Number(seal.seq))
        throw validationFailed([
          {
            path: 'query.tree_size',
            message: `must be a signed tree size that holds the event: ${Number(seal.seq) + 1}..${latest.tree_size}`,
          },
        ]);
      const path = await inclusionProof(Number(seal.seq), size, (ids) => readNodes(tx, ids));
      return {
        leafIndex: Number(seal.seq),
        treeSize: size,
        leafHash: hexToBase64(seal.leaf_hash),
        auditPath: path.map(base64),
      };
    });
  }

  /** The consistency proof from the tree of `from` leaves to that of `to` leaves. */
  async consistency(from: number, to: number): Promise<string[]> {
    return this.db.readSnapshot(async (tx) => {
      const latest = await this.latestCheckpoint(tx);
      if (from > to || to > (latest?.tree_size ?? 0))
        throw validationFailed([
          {
            path: 'query',
            message: `need 0 <= from <= to <= ${latest?.tree_size ?? 0} (the latest signed tree size)`,
          },
        ]);
      return (await consistencyProof(from, to, (ids) => readNodes(tx, ids))).map(base64);
    });
  }

  /**
   * Recomputes the log up to a signed checkpoint (`treeSize`, default the latest) from one
   * consistent read: each sealed event's leaf hash from its fields, the tree from those, the root
   * against the checkpoint, the checkpoint's signature against the bank's keys. Never a false alarm
   * under load: events committed during the walk are outside the snapshot.
   */
  async verify(treeSize?: number): Promise<Verification> {
    return this.db.readSnapshot(async (tx) => {
      const checkpoint =
        treeSize === undefined ? await this.latestCheckpoint(tx) : await this.checkpoint(treeSize, tx);
      const [pending] = await tx.$queryRawUnsafe<{ n: unknown }[]>('SELECT COUNT(*) AS n FROM audit_pending');
      const unsealed = Number(pending?.n ?? 0);
      const result = (
        valid: boolean,
        checked: number,
        firstBrokenId: string | null,
        reason: string | null,
      ) => ({
        valid,
        checked,
        firstBrokenId,
        treeSize: checkpoint?.tree_size ?? 0,
        rootHash: checkpoint?.root_hash ?? null,
        unsealed,
        reason,
      });
      if (!checkpoint) {
        if (treeSize !== undefined) return result(false, 0, null, `no checkpoint of size ${treeSize}`);
        const [sealed] = await tx.$queryRawUnsafe<{ n: unknown }[]>('SELECT COUNT(*) AS n FROM audit_seals');
        return Number(sealed?.n ?? 0) === 0
          ? result(true, 0, null, null)
          : result(false, 0, null, 'events are sealed but no checkpoint exists');
      }
      const signature = await verifyCheckpoint(checkpoint, this.publicKeys);
      if (!signature.valid)
        return result(false, 0, null, `the checkpoint does not verify: ${signature.reason}`);
      // Every signed checkpoint at or below this size is a place to compare the recomputed tree.
      const signedRoots = new Map(
        (
          await tx.$queryRawUnsafe<{ tree_size: unknown; root_hash: string }[]>(
            'SELECT tree_size, root_hash FROM audit_checkpoints WHERE tree_size <= ? ORDER BY tree_size',
            checkpoint.tree_size,
          )
        ).map((r) => [Number(r.tree_size), r.root_hash]),
      );
      const tree = MerkleFrontier.empty();
      let lastGood = 0;
      /** The first event after the last checkpoint that matched: where an alteration is looked for. */
      let firstUnconfirmedId: string | null = null;
      for (let from = 0; from < checkpoint.tree_size; ) {
        const rows = await tx.$queryRawUnsafe<Record<string, unknown>[]>(
          `SELECT s.seq, s.event_id, s.leaf_hash, e.id, e.actor_id, e.actor_role, e.action, e.subject_type,
                  e.subject_id, e.before_state, e.after_state, e.reason, e.request_id, e.created_at
             FROM audit_seals s LEFT JOIN audit_events e ON e.id = s.event_id
            WHERE s.seq >= ? AND s.seq < ? ORDER BY s.seq`,
          from,
          Math.min(from + 5_000, checkpoint.tree_size),
        );
        if (rows.length === 0)
          return result(
            false,
            tree.size,
            null,
            `the log ends at ${tree.size}, the checkpoint says ${checkpoint.tree_size}`,
          );
        for (const row of rows) {
          const seq = Number(row.seq);
          const eventId = String(row.event_id);
          if (seq !== tree.size) return result(false, tree.size, eventId, `leaf ${tree.size} is missing`);
          if (row.id === null || row.id === undefined)
            return result(false, tree.size, eventId, 'a sealed event is missing');
          const leafHash = auditEventLeafHash(
            {
              id: String(row.id),
              actorId: String(row.actor_id),
              actorRole: String(row.actor_role),
              action: String(row.action),
              subjectType: String(row.subject_type),
              subjectId: nullable(row.subject_id),
              beforeState: nullable(row.before_state),
              afterState: nullable(row.after_state),
              reason: nullable(row.reason),
              requestId: nullable(row.request_id),
              createdAt: new Date(row.created_at as string | Date),
            },
            nodeHasher,
          );
          if (Buffer.from(leafHash).toString('hex') !== row.leaf_hash)
            return result(false, tree.size, eventId, 'an event differs from what was sealed');
          tree.appendOnly(leafHash);
          firstUnconfirmedId ??= eventId;
          const signedRoot = signedRoots.get(tree.size);
          if (signedRoot !== undefined) {
            if (Buffer.from(tree.root()).toString('hex') !== signedRoot)
              // The altered leaf lies after the last checkpoint that still matched.
              return result(
                false,
                tree.size,
                firstUnconfirmedId,
                `the tree of ${tree.size} events differs from its signed root (it matched up to ${lastGood})`,
              );
            lastGood = tree.size;
            firstUnconfirmedId = null;
          }
        }
        from += rows.length;
      }
      // signedRoots holds the checkpoint itself, so reaching here means every root matched.
      return result(true, tree.size, null, null);
    });
  }
}

const nullable = (value: unknown) => (value === null || value === undefined ? null : String(value));

function renderCheckpoint(row: Record<string, unknown>): SignedCheckpoint {
  return {
    origin: String(row.body).split('\n')[0] as string,
    tree_size: Number(row.tree_size),
    root_hash: hexToBase64(String(row.root_hash)),
    body: String(row.body),
    signature: String(row.signature),
    key_id: String(row.key_id),
  };
}
