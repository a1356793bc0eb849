import type { Clock } from '../../clock.ts';
import type { Database, Sql } from '../../db/database.ts';
import { sqlTransaction } from '../../db/transaction.ts';
import { WriteBatch } from '../../db/write-batch.ts';
import type { Leases } from '../../jobs/lease.ts';
import type { CheckpointSigner } from './checkpoint.ts';
import { auditEventLeafHash, frontierNodeIds, MerkleFrontier, type TreeNode } from './merkle.ts';

const LEASE = 'audit-sealer';
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fromHex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));

export interface SealerOptions {
  /** Events sealed per transaction. */
  batch?: number;
  /** A checkpoint is signed at most this often while events keep arriving (ms). */
  checkpointEveryMs?: number;
  leaseMs?: number;
}

/**
 * The audit log's single sealer (one per bank, elected through a database lease, so two server
 * instances never both seal). It takes events waiting in `audit_pending` — committed events without
 * a seal, whatever order their transactions committed in — gives each the next leaf index in a row
 * of its own (`audit_seals`: seq, event id, RFC 9162 leaf hash), appends them to the Merkle tree
 * (`audit_tree_nodes` keeps every completed subtree, enough for any proof), and signs a C2SP
 * checkpoint of the new tree (`audit_checkpoints`) with a key the database never holds. All of a
 * batch commits in one transaction. Sealing is off the request path, typically well under a second
 * behind.
 */
export class AuditSealer {
  private frontier: MerkleFrontier | undefined;
  private passes: Promise<unknown> = Promise.resolve();
  private lastCheckpointAt = 0;
  private checkpointedSize = -1;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  /** Until when this process surely holds the lease (renewed once half of it has gone). */
  private leaseUntil = 0;
  private readonly batch: number;
  private readonly checkpointEveryMs: number;
  private readonly leaseMs: number;

  constructor(
    private readonly db: Database,
    private readonly leases: Leases,
    private readonly clock: Clock,
    private readonly signer: CheckpointSigner,
    options: SealerOptions = {},
  ) {
    this.batch = options.batch ?? 2_000;
    this.checkpointEveryMs = options.checkpointEveryMs ?? 500;
    this.leaseMs = options.leaseMs ?? 10_000;
  }

  /**
   * Seals every event waiting now (when this process holds the lease) and signs a checkpoint of the
   * result. Answers how many events it sealed; 0 when another instance is the sealer.
   */
  async sealPending(): Promise<number> {
    // One pass at a time; a call that finds one running waits for it and then makes its own, so
    // whatever had committed when it was called is sealed when it returns.
    const pass = this.passes.then(() => this.sealPass());
    this.passes = pass.then(
      () => undefined,
      () => undefined,
    );
    return pass;
  }

  private async sealPass(): Promise<number> {
    try {
      if (!(await this.holdLease())) {
        this.frontier = undefined; // another instance seals; our view of the tree is stale
        return 0;
      }
      let sealed = 0;
      for (;;) {
        const done = await this.sealBatch();
        sealed += done;
        if (done < this.batch || !(await this.holdLease())) break;
      }
      await this.checkpointIfBehind();
      return sealed;
    } catch (error) {
      this.frontier = undefined; // reload from the database before trying again
      this.leaseUntil = 0;
      throw error;
    }
  }

  /** Runs `sealPending` every `intervalMs` until `stop()`; the timer never keeps the process alive. */
  start(intervalMs: number, log: (message: string, fields?: Record<string, unknown>) => void): void {
    const tick = () => {
      if (this.running) return;
      this.running = this.sealPending()
        .catch((error: unknown) => log('audit sealing failed', { error: String(error) }))
        .finally(() => {
          this.running = undefined;
        });
    };
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
  }

  /**
   * Takes or renews the lease, but only once half of it has gone: a tick under load costs no write
   * of its own. The margin (half the lease) is far more than one batch takes.
   */
  private async holdLease(): Promise<boolean> {
    const now = this.clock.now().getTime();
    if (now < this.leaseUntil - this.leaseMs / 2) return true;
    if (!(await this.leases.acquire(LEASE, this.leaseMs))) {
      this.leaseUntil = 0;
      return false;
    }
    this.leaseUntil = now + this.leaseMs;
    return true;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
    this.leaseUntil = 0;
    await this.leases.release(LEASE);
  }

  /** The tree as the database has it: its size and right edge (after a restart or a change of sealer). */
  private async loadFrontier(): Promise<MerkleFrontier> {
    const [row] = await this.db.sql.$queryRawUnsafe<{ size: unknown }[]>(
      'SELECT COALESCE(MAX(seq) + 1, 0) AS size FROM audit_seals',
    );
    const size = Number(row?.size ?? 0);
    const ids = frontierNodeIds(size);
    const hashes = await readNodes(this.db.sql, ids);
    const [checkpoint] = await this.db.sql.$queryRawUnsafe<{ size: unknown }[]>(
      'SELECT COALESCE(MAX(tree_size), -1) AS size FROM audit_checkpoints',
    );
    this.checkpointedSize = Number(checkpoint?.size ?? -1);
    return MerkleFrontier.restore(size, hashes);
  }

  private async sealBatch(): Promise<number> {
    this.frontier ??= await this.loadFrontier();
    const events = await this.db.sql.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT e.id, e.actor_id, e.actor_role, e.action, e.subject_type, e.subject_id, e.before_state,
              e.after_state, e.reason, e.request_id, e.created_at
         FROM audit_pending p JOIN audit_events e ON e.id = p.event_id
        ORDER BY p.event_id LIMIT ${this.batch}`,
    );
    if (events.length === 0) return 0;
    const tree = this.frontier;
    const seals: { seq: number; id: string; leafHash: string }[] = [];
    const nodes: TreeNode[] = [];
    // Appending changes the in-memory tree; if the transaction fails, it is reloaded from the database.
    for (const event of events) {
      const leafHash = auditEventLeafHash({
        id: String(event.id),
        actorId: String(event.actor_id),
        actorRole: String(event.actor_role),
        action: String(event.action),
        subjectType: String(event.subject_type),
        subjectId: nullable(event.subject_id),
        beforeState: nullable(event.before_state),
        afterState: nullable(event.after_state),
        reason: nullable(event.reason),
        requestId: nullable(event.request_id),
        createdAt: new Date(event.created_at as string | Date),
      });
      seals.push({ seq: tree.size, id: String(event.id), leafHash: hex(leafHash) });
      nodes.push(...tree.append(leafHash));
    }
    const now = this.clock.now();
    const checkpoint = this.dueCheckpoint(events.length < this.batch);
    // Every write of the batch in one round trip (MySQL; START TRANSACTION rides along), then commit.
    await sqlTransaction(
      this.db,
      async (tx) => {
        const writes = new WriteBatch(tx);
        insertMany(
          writes,
          'audit_seals (seq, event_id, leaf_hash, sealed_at)',
          seals.map((s) => [s.seq, s.id, s.leafHash, now]),
        );
        insertMany(
          writes,
          'audit_tree_nodes (level, idx, hash)',
          nodes.map((n) => [n.level, n.index, hex(n.hash)]),
        );
        writes.add(
          `DELETE FROM audit_pending WHERE event_id IN (${seals.map(() => '?').join(', ')})`,
          seals.map((s) => s.id),
        );
        if (checkpoint) this.writeCheckpoint(writes, tree, now);
        await writes.flush();
      },
      { attempts: 1 },
    );
    if (checkpoint) this.markCheckpointed(tree.size, now);
    return seals.length;
  }

  /** A checkpoint is signed when the queue is drained or none was signed for `checkpointEveryMs`. */
  private dueCheckpoint(drained: boolean): boolean {
    const elapsed = this.clock.now().getTime() - this.lastCheckpointAt;
    return drained || elapsed >= this.checkpointEveryMs;
  }

  /** Signs a checkpoint of the tree if the last one is of a smaller tree. */
  private async checkpointIfBehind(): Promise<void> {
    const tree = this.frontier;
    if (!tree || tree.size === 0 || tree.size === this.checkpointedSize) return;
    const now = this.clock.now();
    await sqlTransaction(
      this.db,
      async (tx) => {
        const writes = new WriteBatch(tx);
        this.writeCheckpoint(writes, tree, now);
        await writes.flush();
      },
      { attempts: 1 },
    );
    this.markCheckpointed(tree.size, now);
  }

  private writeCheckpoint(writes: WriteBatch, tree: MerkleFrontier, now: Date): void {
    const signed = this.signer.sign(tree.size, tree.root());
    writes.add(
      'INSERT INTO audit_checkpoints (tree_size, root_hash, body, signature, key_id, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      [
        signed.tree_size,
        Buffer.from(signed.root_hash, 'base64').toString('hex'),
        signed.body,
        signed.signature,
        signed.key_id,
        now,
      ],
    );
  }

  private markCheckpointed(size: number, at: Date): void {
    this.checkpointedSize = size;
    this.lastCheckpointAt = at.getTime();
  }
}

const nullable = (value: unknown) => (value === null || value === undefined ? null : String(value));

/** Multi-row INSERTs (in chunks, to stay under the databases' parameter limits). */
function insertMany(writes: WriteBatch, into: string, rows: unknown[][]): void {
  const width = rows[0]?.length ?? 0;
  const perStatement = Math.max(1, Math.floor(30_000 / Math.max(1, width)));
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    writes.add(
      `INSERT INTO ${into} VALUES ${chunk.map(() => `(${Array(width).fill('?').join(', ')})`).join(', ')}`,
      chunk.flat(),
    );
  }
}

/** Stored node hashes, in the order asked (a missing node is a broken store). */
export async function readNodes(
  db: Sql,
  ids: readonly { level: number; index: number }[],
): Promise<Uint8Array[]> {
  if (ids.length === 0) return [];
  const rows = await db.$queryRawUnsafe<{ level: unknown; idx: unknown; hash: string }[]>(
    `SELECT level, idx, hash FROM audit_tree_nodes WHERE ${ids.map(() => '(level = ? AND idx = ?)').join(' OR ')}`,
    ...ids.flatMap((id) => [id.level, id.index]),
  );
  const byId = new Map(rows.map((r) => [`${Number(r.level)}/${Number(r.idx)}`, r.hash]));
  return ids.map((id) => {
    const found = byId.get(`${id.level}/${id.index}`);
    if (!found) throw new Error(`audit tree node ${id.level}/${id.index} is missing`);
    return fromHex(found);
  });
}
