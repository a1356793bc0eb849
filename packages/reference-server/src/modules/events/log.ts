import type { Clock } from '../../clock.ts';
import type { Db, Sql } from '../../db/database.ts';
import { type Writes, write } from '../../db/write-batch.ts';
import type { PageRequest } from '../../http/pagination.ts';
import { newId } from '../../ids.ts';

export interface EventInput {
  type: string;
  /** The customer the event is about (who may read it, and whose partners hear of it); null for the bank's own. */
  customerId: string | null;
  data: Record<string, unknown>;
}

export type EventRow = NonNullable<Awaited<ReturnType<Db['event']['findUnique']>>>;

const json = (value: unknown) => JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));

/**
 * Domain events (`{ id: "evt_…", type, created_at, data }`), written by a service in the
 * transaction of the change they describe: a transactional outbox. If the change rolls back, so
 * does the event; delivering events (webhooks, streams) is another worker's concern.
 */
export class EventLog {
  constructor(private readonly clock: Clock) {}

  async record(tx: Sql, input: EventInput): Promise<string> {
    const [id] = await this.recordAll(tx, [input]);
    return id as string;
  }

  /** Several events in one statement; `to` may be a WriteBatch. */
  async recordAll(to: Writes, inputs: EventInput[]): Promise<string[]> {
    if (inputs.length === 0) return [];
    const now = this.clock.now();
    const rows = inputs.map((input) => ({ id: newId('evt'), ...input }));
    await write(
      to,
      `INSERT INTO events (id, type, customer_id, data, created_at) VALUES ${rows.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
      rows.flatMap((row) => [row.id, row.type, row.customerId, json(row.data), now]),
    );
    return rows.map((row) => row.id);
  }

  /** A customer's own events, newest first. */
  list(db: Db, customerId: string, page: PageRequest): Promise<EventRow[]> {
    return db.event.findMany({
      where: { customerId, ...(page.startingAfter ? { id: { lt: page.startingAfter } } : {}) },
      orderBy: { id: 'desc' },
      take: page.limit + 1,
    });
  }
}
