import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Webhook } from 'standardwebhooks';
import type { Clock } from '../../clock.ts';
import type { WebhooksConfig } from '../../config.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import type { Database, Db, Sql } from '../../db/database.ts';
import { forbidden, notFound, validationFailed } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { Leases } from '../../jobs/lease.ts';
import type { AuditLog } from '../audit/log.ts';
import type { Principal } from '../identity/service.ts';
import { checkUrlForm, resolveSafely, UnsafeUrlError, type UrlPolicy } from './address-guard.ts';
import { postWebhook } from './deliver.ts';

export type EndpointRow = NonNullable<Awaited<ReturnType<Db['webhookEndpoint']['findUnique']>>>;

type Owner = { type: 'customer' | 'partner'; id: string };

const SEQUENCER_LEASE = 'events-sequencer';
const context = (endpointId: string) => `webhook:${endpointId}`;

/**
 * Events out (API.md "Events"). The outbox (`events`, written in each change's transaction) is
 * read by one sequencer, which numbers committed events in commit order (`seq`) and, in the same
 * transaction, queues one delivery per matching endpoint: the customer's own endpoints and those
 * of every partner linked to the customer. Deliveries follow Standard Webhooks: `webhook-id` (the
 * event id, the same on every retry), `webhook-timestamp`, `webhook-signature: v1,<HMAC-SHA256>`
 * made by the official `standardwebhooks` library, body `{ type, timestamp, data }`; any non-2xx
 * is retried with exponential backoff and jitter; 410 Gone disables the endpoint.
 */
export class WebhooksService {
  /** Emits `sequenced` after new events got their numbers (event streams wake up on it). */
  readonly bus = new EventEmitter().setMaxListeners(0);
  private readonly policy: UrlPolicy;

  constructor(
    private readonly database: Database,
    private readonly box: SecretBox,
    private readonly leases: Leases,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly config: WebhooksConfig,
    private readonly log: (message: string, fields?: Record<string, unknown>) => void = () => {},
  ) {
    this.policy = { allowLoopback: config.allowLoopbackHttp };
  }

  /** Told of every failed delivery attempt (`http_status` or `network`), e.g. to count it in /metrics. */
  onFailure: (reason: 'http_status' | 'network') => void = () => {};

  /** Customers (first-party tokens, not widget sessions) and partner back ends own endpoints. */
  private ownerOf(principal: Principal): Owner {
    if (principal.role === 'customer' && !principal.sessionId) return { type: 'customer', id: principal.id };
    if (principal.role === 'partner' && !principal.scopes) return { type: 'partner', id: principal.id };
    throw forbidden('Only customers and partner back ends have webhook endpoints.');
  }

  /**
   * Refuses a URL the bank may not call (checked before the creating transaction opens, since it
   * resolves the name; every delivery checks again).
   */
  async checkUrl(principal: Principal, url: string): Promise<void> {
    this.ownerOf(principal);
    try {
      await resolveSafely(checkUrlForm(url, this.policy), this.policy);
    } catch (error) {
      if (error instanceof UnsafeUrlError)
        throw validationFailed(
          [{ path: 'body.url', message: error.message }],
          `The webhook URL ${error.message}.`,
        );
      throw error;
    }
  }

  /** Registers an endpoint (after `checkUrl`); answers it with its secret, which is never shown again. */
  async create(
    tx: Db,
    principal: Principal,
    input: { url: string; events: string[] },
  ): Promise<{ endpoint: EndpointRow; secret: string }> {
    const owner = this.ownerOf(principal);
    const id = newId('whe');
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const endpoint = await tx.webhookEndpoint.create({
      data: {
        id,
        ownerType: owner.type,
        ownerId: owner.id,
        url: input.url,
        events: JSON.stringify([...new Set(input.events)].sort()),
        secret: this.box.seal(secret, context(id)),
        status: 'enabled',
        createdAt: this.clock.now(),
      },
    });
    await this.audit.record(tx, principal, {
      action: 'webhook_endpoint.created',
      subject: { type: 'webhook_endpoint', id },
      after: { url: input.url, events: input.events, owner_type: owner.type },
    });
    return { endpoint, secret };
  }

  list(
    principal: Principal,
    page: { limit: number; startingAfter: string | undefined },
  ): Promise<EndpointRow[]> {
    const owner = this.ownerOf(principal);
    return this.database.prisma.webhookEndpoint.findMany({
      where: {
        ownerType: owner.type,
        ownerId: owner.id,
        deletedAt: null,
        ...(page.startingAfter ? { id: { lt: page.startingAfter } } : {}),
      },
      orderBy: { id: 'desc' },
      take: page.limit + 1,
    });
  }

  private async owned(db: Db, principal: Principal, id: string): Promise<EndpointRow> {
    const owner = this.ownerOf(principal);
    const endpoint = await db.webhookEndpoint.findUnique({ where: { id } });
    if (!endpoint || endpoint.deletedAt || endpoint.ownerType !== owner.type || endpoint.ownerId !== owner.id)
      throw notFound('webhook endpoint');
    return endpoint;
  }

  get(principal: Principal, id: string): Promise<EndpointRow> {
    return this.owned(this.database.prisma, principal, id);
  }

  /** Deletes an endpoint: nothing more is sent to it (queued deliveries are dropped). */
  async remove(tx: Db, principal: Principal, id: string): Promise<EndpointRow> {
    const endpoint = await this.owned(tx, principal, id);
    const now = this.clock.now();
    await tx.webhookEndpoint.update({ where: { id: endpoint.id }, data: { deletedAt: now } });
    await tx.webhookDelivery.updateMany({
      where: { endpointId: endpoint.id, status: 'pending' },
      data: { status: 'failed', lastError: 'endpoint deleted', nextAttemptAt: null },
    });
    await this.audit.record(tx, principal, {
      action: 'webhook_endpoint.deleted',
      subject: { type: 'webhook_endpoint', id: endpoint.id },
      before: { url: endpoint.url },
    });
    return endpoint;
  }

  /**
   * Sends again every event for the endpoint since `since` (each with its own webhook-id, so a
   * receiver that already has it can tell). Events from before the endpoint existed count too.
   */
  async replay(tx: Db, principal: Principal, id: string, since: Date): Promise<number> {
    const endpoint = await this.owned(tx, principal, id);
    if (endpoint.status !== 'enabled')
      throw validationFailed([{ path: 'id', message: 'the endpoint is disabled' }]);
    const events = await tx.$queryRawUnsafe<{ id: string; type: string }[]>(
      `SELECT e.id, e.type FROM events e
        WHERE e.seq IS NOT NULL AND e.created_at >= ? AND e.customer_id IS NOT NULL AND ${this.visibleTo(endpoint)}
        ORDER BY e.seq LIMIT 10000`,
      since,
      endpoint.ownerId,
    );
    const wanted = new Set(JSON.parse(endpoint.events) as string[]);
    const now = this.clock.now();
    let replayed = 0;
    for (const event of events) {
      if (wanted.size > 0 && !wanted.has(event.type)) continue;
      replayed += 1;
      await tx.webhookDelivery.upsert({
        where: { endpointId_eventId: { endpointId: endpoint.id, eventId: event.id } },
        update: { status: 'pending', attempts: 0, nextAttemptAt: now, lastError: null },
        create: {
          endpointId: endpoint.id,
          eventId: event.id,
          status: 'pending',
          attempts: 0,
          nextAttemptAt: now,
          createdAt: now,
        },
      });
    }
    await this.audit.record(tx, principal, {
      action: 'webhook_endpoint.replayed',
      subject: { type: 'webhook_endpoint', id: endpoint.id },
      after: { since: since.toISOString(), replayed },
    });
    return replayed;
  }

  /** The SQL condition "event `e` concerns this endpoint's owner" (one `?`: the owner id). */
  private visibleTo(endpoint: { ownerType: string }): string {
    return endpoint.ownerType === 'customer'
      ? 'e.customer_id = ?'
      : 'e.customer_id IN (SELECT customer_id FROM partner_customers WHERE partner_id = ? AND revoked_at IS NULL)';
  }

  // ---- The sequencer ----------------------------------------------------------------------------

  /**
   * Numbers committed events in the order they are seen committed, and queues their deliveries, in
   * one transaction. Ids are ulids taken before commit, so a transaction that started earlier can
   * commit later with a smaller id; numbering at read time (one sequencer, under a lease) means an
   * event always gets a larger number than every event numbered before it was visible, so a reader
   * that resumes after a number never skips a committed event.
   */
  async sequence(): Promise<number> {
    // Most ticks find nothing new: a read, before the lease's write.
    const [waiting] = await this.database.sql.$queryRawUnsafe<unknown[]>(
      'SELECT id FROM events WHERE seq IS NULL LIMIT 1',
    );
    if (!waiting) return 0;
    if (!(await this.leases.acquire(SEQUENCER_LEASE, 30_000))) return 0;
    let total = 0;
    for (;;) {
      const count = await this.database.sqlTransaction(async (tx) => {
        const batch = await tx.$queryRawUnsafe<{ id: string; type: string; customer_id: string | null }[]>(
          'SELECT id, type, customer_id FROM events WHERE seq IS NULL ORDER BY id LIMIT 500',
        );
        if (batch.length === 0) return 0;
        const [top] = await tx.$queryRawUnsafe<{ top: unknown }[]>(
          'SELECT COALESCE(MAX(seq), 0) AS top FROM events',
        );
        let seq = BigInt(String(top?.top ?? 0));
        const now = this.clock.now();
        for (const event of batch) {
          seq += 1n;
          await tx.$executeRawUnsafe('UPDATE events SET seq = ? WHERE id = ? AND seq IS NULL', seq, event.id);
          if (event.customer_id)
            await this.queue(tx, String(event.id), String(event.type), String(event.customer_id), now);
        }
        return batch.length;
      });
      total += count;
      if (count < 500) break;
    }
    if (total > 0) this.bus.emit('sequenced');
    return total;
  }

  /** Gives the sequencer's lease back (at shutdown), so that another instance takes over at once. */
  async releaseSequencer(): Promise<void> {
    await this.leases.release(SEQUENCER_LEASE);
  }

  private async queue(tx: Sql, eventId: string, type: string, customerId: string, now: Date): Promise<void> {
    const endpoints = await tx.$queryRawUnsafe<{ id: string; events: string }[]>(
      `SELECT id, events FROM webhook_endpoints
        WHERE status = 'enabled' AND deleted_at IS NULL
          AND ((owner_type = 'customer' AND owner_id = ?)
            OR (owner_type = 'partner' AND owner_id IN
                 (SELECT partner_id FROM partner_customers WHERE customer_id = ? AND revoked_at IS NULL)))`,
      customerId,
      customerId,
    );
    for (const endpoint of endpoints) {
      const wanted = JSON.parse(String(endpoint.events)) as string[];
      if (wanted.length > 0 && !wanted.includes(type)) continue;
      const insert = this.database.dialect === 'mysql' ? 'INSERT IGNORE' : 'INSERT OR IGNORE';
      await tx.$executeRawUnsafe(
        `${insert} INTO webhook_deliveries (endpoint_id, event_id, status, attempts, next_attempt_at, created_at) VALUES (?, ?, 'pending', 0, ?, ?)`,
        String(endpoint.id),
        eventId,
        now,
        now,
      );
    }
  }

  // ---- Delivery ---------------------------------------------------------------------------------

  /** Sends what is due, a few at a time; answers how many attempts were made. */
  async deliverDue(): Promise<number> {
    const now = this.clock.now();
    const due = await this.database.prisma.webhookDelivery.findMany({
      where: { status: 'pending', nextAttemptAt: { lte: now } },
      orderBy: { nextAttemptAt: 'asc' },
      take: 50,
    });
    let attempted = 0;
    const queue = [...due];
    const workers = Array.from({ length: Math.min(8, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) if (await this.attempt(next)) attempted += 1;
    });
    await Promise.all(workers);
    return attempted;
  }

  /** One attempt, after claiming it (so two workers never send the same attempt). */
  private async attempt(delivery: {
    endpointId: string;
    eventId: string;
    nextAttemptAt: Date | null;
    attempts: number;
  }): Promise<boolean> {
    const now = this.clock.now();
    const claimed = await this.database.prisma.webhookDelivery.updateMany({
      where: {
        endpointId: delivery.endpointId,
        eventId: delivery.eventId,
        status: 'pending',
        nextAttemptAt: delivery.nextAttemptAt,
      },
      data: {
        attempts: { increment: 1 },
        lastAttemptAt: now,
        nextAttemptAt: new Date(now.getTime() + this.config.requestTimeoutMs + 5_000),
      },
    });
    if (claimed.count !== 1) return false;
    const key = { endpointId_eventId: { endpointId: delivery.endpointId, eventId: delivery.eventId } };
    const endpoint = await this.database.prisma.webhookEndpoint.findUnique({
      where: { id: delivery.endpointId },
    });
    const event = await this.database.prisma.event.findUnique({ where: { id: delivery.eventId } });
    if (!endpoint || !event || endpoint.status !== 'enabled' || endpoint.deletedAt) {
      await this.database.prisma.webhookDelivery.update({
        where: key,
        data: { status: 'failed', nextAttemptAt: null, lastError: 'the endpoint is disabled or deleted' },
      });
      return true;
    }
    const body = JSON.stringify({
      type: event.type,
      timestamp: event.createdAt.toISOString(),
      data: { customer_id: event.customerId, ...(JSON.parse(event.data) as Record<string, unknown>) },
    });
    const secret = this.box.open(endpoint.secret, context(endpoint.id));
    const sentAt = this.clock.now();
    const signature = new Webhook(secret).sign(event.id, sentAt, body);
    const result = await postWebhook(
      endpoint.url,
      body,
      {
        'Content-Type': 'application/json',
        'User-Agent': 'Wekeza-Webhooks/1',
        'webhook-id': event.id,
        'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
        'webhook-signature': signature,
      },
      this.policy,
      this.config.requestTimeoutMs,
    );
    const attempts = delivery.attempts + 1;
    if ('status' in result && result.status >= 200 && result.status < 300) {
      await this.database.prisma.webhookDelivery.update({
        where: key,
        data: {
          status: 'delivered',
          deliveredAt: this.clock.now(),
          nextAttemptAt: null,
          lastStatus: result.status,
          lastError: null,
        },
      });
      return true;
    }
    if ('status' in result && result.status === 410) {
      // Gone: the receiver asks us to stop. The endpoint is disabled, its queue dropped.
      await this.database.prisma.$transaction([
        this.database.prisma.webhookEndpoint.update({
          where: { id: endpoint.id },
          data: {
            status: 'disabled',
            disabledReason: 'The receiver answered 410 Gone.',
            disabledAt: this.clock.now(),
          },
        }),
        this.database.prisma.webhookDelivery.updateMany({
          where: { endpointId: endpoint.id, status: 'pending' },
          data: { status: 'failed', nextAttemptAt: null, lastError: 'endpoint disabled (410 Gone)' },
        }),
        this.database.prisma.webhookDelivery.update({
          where: key,
          data: { status: 'failed', lastStatus: 410, nextAttemptAt: null },
        }),
      ]);
      this.log('webhook endpoint disabled (410 Gone)', { endpoint: endpoint.id });
      return true;
    }
    this.onFailure('status' in result ? 'http_status' : 'network');
    const failedFinally = attempts >= this.config.maxAttempts;
    await this.database.prisma.webhookDelivery.update({
      where: key,
      data: {
        status: failedFinally ? 'failed' : 'pending',
        nextAttemptAt: failedFinally ? null : new Date(this.clock.now().getTime() + this.backoff(attempts)),
        lastStatus: 'status' in result ? result.status : null,
        lastError: 'error' in result ? result.error.slice(0, 500) : null,
      },
    });
    return true;
  }

  /** Exponential backoff with "equal jitter": half the step fixed, half random, capped. */
  backoff(attempts: number): number {
    const step = Math.min(this.config.retryMaxMs, this.config.retryBaseMs * 2 ** Math.max(0, attempts - 1));
    return Math.round(step / 2 + Math.random() * (step / 2));
  }
}

/**
 * Runs the sequencer and the deliveries every `intervalMs`, each on its own (a slow receiver never
 * holds up numbering, which event streams wait on). Its timer never keeps the process alive.
 */
export class WebhookWorker {
  private timer: NodeJS.Timeout | undefined;
  private sequencing: Promise<void> | undefined;
  private delivering: Promise<void> | undefined;

  constructor(
    private readonly webhooks: WebhooksService,
    private readonly intervalMs: number,
    private readonly log: (message: string, fields?: Record<string, unknown>) => void,
  ) {}

  start(): void {
    if (this.intervalMs <= 0) return;
    this.timer = setInterval(() => {
      void this.tick();
    }, this.intervalMs);
    this.timer.unref();
  }

  /** One pass of each (tests call it); overlapping calls share the pass in progress. */
  async tick(): Promise<void> {
    const guarded = (name: string, work: () => Promise<unknown>) => () =>
      work()
        .then(() => undefined)
        .catch((error: unknown) => this.log(`webhook ${name} failed`, { error: String(error) }));
    this.sequencing ??= guarded('sequencer', () => this.webhooks.sequence())().finally(() => {
      this.sequencing = undefined;
    });
    const sequenced = this.sequencing;
    await sequenced;
    this.delivering ??= guarded('delivery', () => this.webhooks.deliverDue())().finally(() => {
      this.delivering = undefined;
    });
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.sequencing;
    await this.delivering;
    await this.webhooks
      .releaseSequencer()
      .catch((error: unknown) => this.log('webhook sequencer lease not released', { error: String(error) }));
  }
}
