import {
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
  StorageType,
} from '@nats-io/jetstream';
import { connect, type NatsConnection, nanos } from '@nats-io/transport-node';
import { encodeTime } from 'ulid';
import type { Clock } from '../../clock.ts';
import type { NatsConfig } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/transaction.ts';
import type { Leases } from '../../jobs/lease.ts';

const LEASE = 'nats-publisher';
const CONSUMER = 'nats';

/** What the publisher tells the metrics (src/observability/metrics.ts). */
export interface PublisherObserver {
  published(stored: number, duplicates: number): void;
  failed(error: unknown): void;
}

interface EventRow {
  id: string;
  type: string;
  customer_id: string | null;
  data: string;
  created_at: string | Date;
}

/** A subject token per event type: `transfer.created` → `<prefix>.transfer.created`. */
export function subjectOf(prefix: string, type: string): string {
  const tokens = type.split('.').map((t) => t.replace(/[^A-Za-z0-9_-]/g, '_') || '_');
  return `${prefix}.${tokens.join('.')}`;
}

/** The smallest event id that can have been made at or after `ms` (ids are `evt_` + a ulid). */
export function firstIdAt(ms: number): string {
  return `evt_${encodeTime(Math.max(0, ms), 10)}`;
}

/**
 * Publishes the events outbox (`events`, written in the transaction of each change) to NATS
 * JetStream: one subject per event type, message id = event id, at least once. The outbox stays
 * the source of truth: NATS being down delays publishing, never loses or blocks an event.
 *
 * Out-of-order commits. Event ids are time-ordered (ulids), but transactions commit in any order:
 * when a pass has read up to id X, an event with a smaller id may still commit later. A cursor on
 * ids alone would skip it. So each pass (1) publishes everything after the acknowledged cursor, and
 * (2) looks again at the last `safetyWindowMs` of ids before it, publishing any it has not published
 * yet (found by counting first, so a quiet window costs one indexed COUNT). A transaction that
 * commits more than the safety window after its event was made would be missed, so the window
 * (default 60 s) is set well above the longest transaction. What this process published is kept
 * in memory for the window; after a restart or a change of publisher the whole window is published
 * again, and JetStream drops the copies by message id: the stream's `duplicate_window` is kept
 * longer than the safety window for exactly that.
 *
 * One publisher per bank (a database lease), like the audit sealer; others stand by.
 */
export class NatsEventPublisher {
  private connection: NatsConnection | undefined;
  private connecting: Promise<NatsConnection> | undefined;
  private js: JetStreamClient | undefined;
  private streamReady = false;
  private cursor: string | undefined;
  /** Ids published by this process within the safety window, with nothing older. */
  private readonly published = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;
  /** When the last pass finished without error (for /readyz), and whether it held the lease. */
  lastSuccessAt: Date | undefined;
  leader = false;

  constructor(
    private readonly db: Database,
    private readonly leases: Leases,
    private readonly clock: Clock,
    private readonly config: NatsConfig,
    private readonly observer: PublisherObserver = { published: () => {}, failed: () => {} },
    private readonly options: { batch?: number; leaseMs?: number; publishTimeoutMs?: number } = {},
  ) {}

  get connected(): boolean {
    return this.connection !== undefined && !this.connection.isClosed();
  }

  /** Publishes every pending event now (when this process is the publisher); answers how many. */
  async publishPending(): Promise<number> {
    if (!(await this.leases.acquire(LEASE, this.options.leaseMs ?? 15_000))) {
      this.leader = false;
      this.published.clear(); // another instance publishes; what we remember may be stale
      this.cursor = undefined;
      return 0;
    }
    this.leader = true;
    const js = await this.client();
    this.cursor ??= await this.readCursor();
    const late = await this.publishLateCommits(js);
    let fresh = 0;
    for (;;) {
      const rows: EventRow[] = await this.db.sql.$queryRawUnsafe<EventRow[]>(
        `SELECT id, type, customer_id, data, created_at FROM events WHERE id > ? ORDER BY id LIMIT ${this.batch}`,
        this.cursor,
      );
      if (rows.length === 0) break;
      await this.publish(js, rows);
      this.cursor = (rows.at(-1) as EventRow).id;
      await this.saveCursor(this.cursor);
      fresh += rows.length;
      if (rows.length < this.batch) break;
      await this.leases.acquire(LEASE, this.options.leaseMs ?? 15_000);
    }
    this.forgetBefore(firstIdAt(Date.now() - this.config.safetyWindowMs));
    this.lastSuccessAt = this.clock.now();
    return late + fresh;
  }

  /** Runs `publishPending` every `intervalMs` until `stop()`; the timer never keeps the process alive. */
  start(log: (message: string, fields?: Record<string, unknown>) => void): void {
    let failing = false;
    const tick = () => {
      if (this.running || this.stopped) return;
      this.running = this.publishPending()
        .then(() => {
          if (failing) log('publishing events to NATS again', {});
          failing = false;
        })
        .catch((error: unknown) => {
          this.observer.failed(error);
          this.streamReady = false; // a restarted server may have lost it: check again
          if (!failing) log('publishing events to NATS failed; will retry', { error: String(error) });
          failing = true;
        })
        .finally(() => {
          this.running = undefined;
        });
    };
    this.timer = setInterval(tick, this.config.intervalMs);
    this.timer.unref();
    tick();
  }

  /** Stops after the pass in progress (a safe point: the cursor only moves past acknowledged events). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.leases.release(LEASE).catch(() => {});
    const connection = this.connection ?? (await this.connecting?.catch(() => undefined));
    await connection?.drain().catch(() => connection.close());
  }

  /** Events after the cursor that have not been acknowledged yet (the backlog metric). */
  async backlog(): Promise<number> {
    const position = this.cursor ?? (await this.readCursor());
    const [row] = await this.db.sql.$queryRawUnsafe<{ n: unknown }[]>(
      'SELECT COUNT(*) AS n FROM events WHERE id > ?',
      position,
    );
    return Number(row?.n ?? 0);
  }

  private get batch(): number {
    return this.options.batch ?? 500;
  }

  /** Step (2): ids in the safety window before the cursor that this process has not published. */
  private async publishLateCommits(js: JetStreamClient): Promise<number> {
    const cursor = this.cursor as string;
    const from = firstIdAt(Date.now() - this.config.safetyWindowMs);
    if (cursor <= from) return 0;
    const [count] = await this.db.sql.$queryRawUnsafe<{ n: unknown }[]>(
      'SELECT COUNT(*) AS n FROM events WHERE id > ? AND id <= ?',
      from,
      cursor,
    );
    const known = [...this.published].filter((id) => id > from && id <= cursor).length;
    if (Number(count?.n ?? 0) === known) return 0;
    const ids = await this.db.sql.$queryRawUnsafe<{ id: string }[]>(
      'SELECT id FROM events WHERE id > ? AND id <= ? ORDER BY id',
      from,
      cursor,
    );
    const missing = ids.map((r) => String(r.id)).filter((id) => !this.published.has(id));
    for (let i = 0; i < missing.length; i += this.batch) {
      const chunk = missing.slice(i, i + this.batch);
      const rows = await this.db.sql.$queryRawUnsafe<EventRow[]>(
        `SELECT id, type, customer_id, data, created_at FROM events WHERE id IN (${chunk.map(() => '?').join(', ')}) ORDER BY id`,
        ...chunk,
      );
      await this.publish(js, rows);
    }
    return missing.length;
  }

  /** Publishes a batch (in order, without waiting for each acknowledgement before the next). */
  private async publish(js: JetStreamClient, rows: EventRow[]): Promise<void> {
    const timeout = this.options.publishTimeoutMs ?? 5_000;
    const acks = await Promise.all(
      rows.map((row) =>
        js.publish(
          subjectOf(this.config.subjectPrefix, String(row.type)),
          JSON.stringify({
            id: String(row.id),
            type: String(row.type),
            created_at: new Date(row.created_at).toISOString(),
            customer_id: row.customer_id === null ? null : String(row.customer_id),
            data: JSON.parse(String(row.data)) as unknown,
          }),
          { msgID: String(row.id), timeout },
        ),
      ),
    );
    for (const row of rows) this.published.add(String(row.id));
    const duplicates = acks.filter((ack) => ack.duplicate).length;
    this.observer.published(acks.length - duplicates, duplicates);
  }

  private forgetBefore(from: string): void {
    for (const id of this.published) if (id <= from) this.published.delete(id);
  }

  private async client(): Promise<JetStreamClient> {
    if (!this.connection || this.connection.isClosed()) {
      this.connecting ??= connect({
        servers: this.config.url,
        name: 'wekeza-outbox',
        maxReconnectAttempts: -1,
        reconnectTimeWait: 500,
        timeout: 2_000,
      });
      try {
        this.connection = await this.connecting;
      } finally {
        this.connecting = undefined;
      }
      this.js = jetstream(this.connection);
      this.streamReady = false;
    }
    if (!this.streamReady) {
      await this.ensureStream(await jetstreamManager(this.connection));
      this.streamReady = true;
    }
    return this.js as JetStreamClient;
  }

  /**
   * The stream: every `<prefix>.>` subject, on disk, with a duplicate window longer than the safety
   * window (so a re-published event is recognised). An existing stream's window is widened if short.
   */
  private async ensureStream(jsm: JetStreamManager): Promise<void> {
    const duplicateWindow = nanos(Math.max(120_000, this.config.safetyWindowMs * 2));
    const subjects = [`${this.config.subjectPrefix}.>`];
    try {
      const info = await jsm.streams.info(this.config.stream);
      if (info.config.duplicate_window < duplicateWindow)
        await jsm.streams.update(this.config.stream, { duplicate_window: duplicateWindow });
    } catch (error) {
      if ((error as { code?: unknown }).code !== 10059 && !/stream not found/i.test(String(error)))
        throw error;
      await jsm.streams.add({
        name: this.config.stream,
        subjects,
        storage: StorageType.File,
        duplicate_window: duplicateWindow,
      });
    }
  }

  private async readCursor(): Promise<string> {
    const [row] = await this.db.sql.$queryRawUnsafe<{ position: string }[]>(
      'SELECT position FROM outbox_cursors WHERE consumer = ?',
      CONSUMER,
    );
    // No cursor yet: the whole outbox is published, from its first event.
    return row ? String(row.position) : '';
  }

  private async saveCursor(position: string): Promise<void> {
    const now = this.clock.now();
    const updated = await this.db.sql.$executeRawUnsafe(
      'UPDATE outbox_cursors SET position = ?, updated_at = ? WHERE consumer = ? AND position < ?',
      position,
      now,
      CONSUMER,
      position,
    );
    if (updated > 0) return;
    try {
      await this.db.sql.$executeRawUnsafe(
        'INSERT INTO outbox_cursors (consumer, position, updated_at) VALUES (?, ?, ?)',
        CONSUMER,
        position,
        now,
      );
    } catch (error) {
      if (!isUniqueViolation(error)) throw error; // else the row is already at this position or later
    }
  }
}
