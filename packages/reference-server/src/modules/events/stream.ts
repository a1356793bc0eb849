import type { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import type { Clock } from '../../clock.ts';
import type { Database } from '../../db/database.ts';
import { forbidden } from '../../errors.ts';
import type { Principal } from '../identity/service.ts';
import type { EventRow } from './log.ts';

const HEARTBEAT_MS = 15_000;
const POLL_MS = 1_000;
const BATCH = 100;

/**
 * `GET /v1/events/stream`: Server-Sent Events of the caller's events (a customer's own, a
 * partner's linked customers'), in commit order. The cursor is the event's commit number (`seq`,
 * given by the sequencer; see WebhooksService.sequence), not its id: ids are taken before commit,
 * so `id > last` could skip an event that committed late with a smaller id, while every event
 * numbered after the client's last one has a larger number. Each message's `id:` is the event id;
 * a reconnect's `Last-Event-ID` is looked up to its number and the stream resumes right after it.
 * Without one it starts with what happens next. The stream ends at the access token's expiry (or
 * `streamMaxMs`), and the client reconnects with a fresh token and its Last-Event-ID.
 */
export class EventStream {
  constructor(
    private readonly database: Database,
    private readonly bus: EventEmitter,
    private readonly clock: Clock,
    private readonly maxMs: number,
  ) {}

  private stopped = false;

  /** Ends every open stream now (a graceful shutdown): clients reconnect elsewhere with Last-Event-ID. */
  stop(): void {
    this.stopped = true;
    this.bus.emit('sequenced');
  }

  async serve(principal: Principal, req: Request, res: Response): Promise<void> {
    const audience = this.audience(principal);
    let cursor = await this.start(req.get('last-event-id'));
    const ends = Math.min(
      this.clock.now().getTime() + this.maxMs,
      principal.tokenExpiresAt ? principal.tokenExpiresAt * 1000 : Number.POSITIVE_INFINITY,
    );
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    let open = true;
    let wake: (() => void) | undefined;
    const onClose = () => {
      open = false;
      wake?.();
    };
    const onSequenced = () => wake?.();
    req.on('close', onClose);
    this.bus.on('sequenced', onSequenced);
    let lastWrite = Date.now();
    try {
      while (open && !this.stopped && this.clock.now().getTime() < ends) {
        const rows = await this.database.sql.$queryRawUnsafe<Record<string, unknown>[]>(
          `SELECT id, type, customer_id, data, created_at, seq FROM events
            WHERE seq > ? AND ${audience.where} ORDER BY seq LIMIT ${BATCH}`,
          cursor,
          ...audience.params,
        );
        for (const row of rows) {
          const event = {
            id: String(row.id),
            type: String(row.type),
            created_at: new Date(row.created_at as string).toISOString(),
            data: JSON.parse(String(row.data)) as Record<string, unknown>,
          };
          res.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
          cursor = BigInt(String(row.seq));
          lastWrite = Date.now();
        }
        if (rows.length === BATCH) continue;
        if (Date.now() - lastWrite >= HEARTBEAT_MS) {
          res.write(': keep-alive\n\n');
          lastWrite = Date.now();
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(
            resolve,
            Math.min(POLL_MS, Math.max(0, ends - this.clock.now().getTime())),
          );
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    } finally {
      req.off('close', onClose);
      this.bus.off('sequenced', onSequenced);
      res.end();
    }
  }

  /** Whose events the caller may read, as an SQL condition. */
  private audience(principal: Principal): { where: string; params: string[] } {
    if (principal.role === 'customer') return { where: 'customer_id = ?', params: [principal.id] };
    if (principal.role === 'partner' && !principal.scopes)
      return {
        where:
          'customer_id IN (SELECT customer_id FROM partner_customers WHERE partner_id = ? AND revoked_at IS NULL)',
        params: [principal.id],
      };
    throw forbidden('Only customers, their widgets and partner back ends read event streams.');
  }

  /** The number to resume after: the Last-Event-ID's, or (none, or unknown) the newest now. */
  private async start(lastEventId: string | undefined): Promise<bigint> {
    if (lastEventId && /^evt_[0-9A-Za-z]{10,60}$/.test(lastEventId)) {
      const [row] = await this.database.sql.$queryRawUnsafe<{ seq: unknown }[]>(
        'SELECT seq FROM events WHERE id = ? AND seq IS NOT NULL',
        lastEventId,
      );
      if (row) return BigInt(String(row.seq));
    }
    const [top] = await this.database.sql.$queryRawUnsafe<{ top: unknown }[]>(
      'SELECT COALESCE(MAX(seq), 0) AS top FROM events',
    );
    return BigInt(String(top?.top ?? 0));
  }
}

export type { EventRow };
