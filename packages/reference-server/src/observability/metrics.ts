import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The bank's Prometheus metrics (`GET /metrics`, prom-client). One registry per server instance
 * (not prom-client's global one), so several banks in one test process keep their own figures.
 * docs/operations.md lists every metric and the alerts worth having on them.
 */
export class Metrics {
  readonly registry = new Registry();

  /** Every HTTP request, by route template (never the raw path: ids would explode the series). */
  readonly httpDuration = new Histogram({
    name: 'wekeza_http_request_duration_seconds',
    help: 'HTTP request latency by method, route template and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly httpInFlight = new Gauge({
    name: 'wekeza_http_requests_in_flight',
    help: 'HTTP requests being served now.',
    registers: [this.registry],
  });

  /** Money moved, counted when its transaction commits: the debit side of every entry, in minor units. */
  readonly moneyMoved = new Counter({
    name: 'wekeza_money_moved_minor_total',
    help: 'Money moved by committed journal entries (the sum of their debits), in minor units, by entry kind and currency.',
    labelNames: ['kind', 'currency'] as const,
    registers: [this.registry],
  });

  readonly journalEntries = new Counter({
    name: 'wekeza_journal_entries_total',
    help: 'Committed journal entries by kind.',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  /** A deadlock, lock-wait timeout or write conflict that made a transaction run again. */
  readonly transactionRetries = new Counter({
    name: 'wekeza_db_transaction_retries_total',
    help: 'Database transactions run again after a deadlock, lock-wait timeout or write conflict.',
    registers: [this.registry],
  });

  readonly transactionsGivenUp = new Counter({
    name: 'wekeza_db_transactions_exhausted_total',
    help: 'Transactions that stayed busy through every retry (answered 503).',
    registers: [this.registry],
  });

  readonly jobDuration = new Histogram({
    name: 'wekeza_job_duration_seconds',
    help: 'Duration of each daily-close job run, by job and outcome.',
    labelNames: ['job', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800],
    registers: [this.registry],
  });

  /** Bank days over but not yet closed (0 when the close is up to date). */
  readonly jobLagDays = new Gauge({
    name: 'wekeza_daily_close_lag_days',
    help: 'Bank days that are over but not yet closed.',
    registers: [this.registry],
  });

  readonly auditPending = new Gauge({
    name: 'wekeza_audit_pending',
    help: 'Committed audit events not yet sealed into the transparency log.',
    registers: [this.registry],
  });

  readonly auditSealLag = new Gauge({
    name: 'wekeza_audit_seal_lag_seconds',
    help: 'Age of the oldest audit event still waiting for its seal (0 when none waits).',
    registers: [this.registry],
  });

  readonly outboxBacklog = new Gauge({
    name: 'wekeza_outbox_backlog',
    help: 'Events in the outbox after a publisher’s acknowledged position, by publisher.',
    labelNames: ['publisher'] as const,
    registers: [this.registry],
  });

  readonly eventsPublished = new Counter({
    name: 'wekeza_events_published_total',
    help: 'Events published to NATS JetStream, by outcome (stored, or duplicate: JetStream already had it).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly publishFailures = new Counter({
    name: 'wekeza_events_publish_failures_total',
    help: 'Publishing passes to NATS JetStream that failed (NATS unreachable, no acknowledgement).',
    registers: [this.registry],
  });

  /** For the webhook worker: count a failed delivery attempt here (`reason`: http_status, timeout, …). */
  readonly webhookFailures = new Counter({
    name: 'wekeza_webhook_delivery_failures_total',
    help: 'Webhook delivery attempts that failed, by reason.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly sealerBatches = new Counter({
    name: 'wekeza_audit_sealed_events_total',
    help: 'Audit events sealed by this instance.',
    registers: [this.registry],
  });

  /** Pay-by-phone lookups by outcome (`found`, `missed`, `limited`); each caller's own count is its rate-limit bucket. */
  readonly payeeLookups = new Counter({
    name: 'wekeza_payee_lookups_total',
    help: 'Payee lookups by phone number, by outcome.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'wekeza_' });
  }

  /** Figures read from the database when Prometheus scrapes (`collect` runs them first). */
  onScrape(collect: () => Promise<void>): void {
    this.collectors.push(collect);
  }

  async render(): Promise<{ contentType: string; body: string }> {
    // A failing collector must not hide every other metric: its gauges keep their last value.
    await Promise.allSettled(this.collectors.map((collect) => collect()));
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private readonly collectors: (() => Promise<void>)[] = [];
}
