import { addDays, daysBetween } from '../bank-calendar.ts';
import type { BankClock } from '../bank-clock.ts';
import type { Database } from '../db/database.ts';
import { afterCommit } from '../db/transaction.ts';
import type { DailyClose } from '../jobs/daily-close.ts';
import type { AuditSealer } from '../modules/audit/sealer.ts';
import type { AuditTransparency } from '../modules/audit/transparency.ts';
import type { NatsEventPublisher } from '../modules/events/nats-publisher.ts';
import type { LockedAccount } from '../modules/ledger/ledger.ts';
import { Ledger } from '../modules/ledger/ledger.ts';
import type { Metrics } from './metrics.ts';

/*
 * Metrics wrap the services rather than clutter them (STYLE.md): each function here hooks one
 * service's results into the metrics without the service knowing.
 */

/** Counts money moved (the debits of each entry, by kind and currency) when its transaction commits. */
export function countMoneyMoved(ledger: Ledger, metrics: Metrics): void {
  const postMany = Ledger.prototype.postMany.bind(ledger);
  ledger.postMany = async (tx, entries, locked = new Map<string, LockedAccount>()) => {
    const posted = await postMany(tx, entries, locked);
    const moved = new Map<string, { kind: string; currency: string; minor: bigint }>();
    for (const entry of entries) {
      for (const posting of entry.postings) {
        if (posting.side !== 'debit') continue;
        const currency = locked.get(posting.accountId)?.currency ?? 'unknown';
        const key = `${entry.kind}\u0000${currency}`;
        const sum = moved.get(key) ?? { kind: entry.kind, currency, minor: 0n };
        sum.minor += posting.amountMinor;
        moved.set(key, sum);
      }
    }
    afterCommit(tx, () => {
      for (const { kind, currency, minor } of moved.values())
        metrics.moneyMoved.inc({ kind, currency }, Number(minor));
      for (const entry of entries) metrics.journalEntries.inc({ kind: entry.kind });
    });
    return posted;
  };
}

export function countTransactions(db: Database, metrics: Metrics): void {
  db.hooks = {
    retried: () => metrics.transactionRetries.inc(),
    exhausted: () => metrics.transactionsGivenUp.inc(),
  };
}

export function countJobs(dailyClose: DailyClose, metrics: Metrics): void {
  dailyClose.observe((job, seconds, outcome) => metrics.jobDuration.observe({ job, outcome }, seconds));
}

export function countSealed(sealer: AuditSealer, metrics: Metrics): void {
  const sealPending = sealer.sealPending.bind(sealer);
  sealer.sealPending = async () => {
    const sealed = await sealPending();
    metrics.sealerBatches.inc(sealed);
    return sealed;
  };
}

/** Figures read from the database at each scrape: close lag, the audit queue, the outbox backlog. */
export function scrapeBacklogs(
  metrics: Metrics,
  transparency: AuditTransparency,
  bankClock: BankClock,
  dailyClose: DailyClose,
  publisher: NatsEventPublisher | undefined,
): void {
  metrics.onScrape(async () => {
    const yesterday = addDays(bankClock.today(), -1);
    const closed = await dailyClose.closedThrough();
    const lastClosed = closed ?? addDays(bankClock.firstDay, -1);
    metrics.jobLagDays.set(Math.max(0, daysBetween(lastClosed, yesterday)));
  });
  metrics.onScrape(async () => {
    const sealing = await transparency.sealing();
    metrics.auditPending.set(sealing.pendingEvents);
    metrics.auditSealLag.set(sealing.lagMs / 1000);
  });
  if (publisher)
    metrics.onScrape(async () => {
      metrics.outboxBacklog.set({ publisher: 'nats' }, await publisher.backlog());
    });
}
