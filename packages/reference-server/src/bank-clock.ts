import { addDays } from './bank-calendar.ts';
import { bankDate, type Clock } from './clock.ts';
import type { Database } from './db/database.ts';

/**
 * The bank date (business date, ARCHITECTURE.md "Time"): what interest, due dates, days past due,
 * maturities, sweeps, statements and daily limits count in. It is the bank-local calendar date of
 * wall time, plus the sandbox test clock's offset in days — always 0 in production. Moving the
 * test clock moves the bank date only: token expiry, idempotency retention, rate-limit windows and
 * TOTP keep wall time, so a customer stays signed in while months of bank days pass.
 *
 * The offset lives in `bank_state`, so every instance on the database shares it; an instance keeps
 * a copy and re-reads it every few seconds (the test clock moves rarely, and only in the sandbox).
 */
export class BankClock {
  private offsetDays = 0;
  private openedOn: string | undefined;
  private refreshedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly timeZone: string,
    /** How long a copy of the offset is trusted before it is read again (sandbox only; ms). */
    private readonly refreshMs: number,
  ) {}

  /** Reads (on a fresh database, writes) the bank's state: the offset and the first bank day. */
  async load(): Promise<void> {
    const today = bankDate(this.clock.now(), this.timeZone);
    const insert =
      this.db.dialect === 'mysql'
        ? 'INSERT IGNORE INTO bank_state (id, clock_offset_days, opened_on) VALUES (1, 0, ?)'
        : 'INSERT OR IGNORE INTO bank_state (id, clock_offset_days, opened_on) VALUES (1, 0, ?)';
    await this.db.sql.$executeRawUnsafe(insert, today);
    await this.refresh();
  }

  /** Re-reads the offset (another instance may have moved the test clock). */
  async refresh(): Promise<void> {
    const [row] = await this.db.sql.$queryRawUnsafe<{ clock_offset_days: unknown; opened_on: string }[]>(
      'SELECT clock_offset_days, opened_on FROM bank_state WHERE id = 1',
    );
    if (!row) throw new Error('bank_state is missing: call load() first');
    this.offsetDays = Number(row.clock_offset_days);
    this.openedOn = String(row.opened_on);
    this.refreshedAt = this.clock.now().getTime();
  }

  /** Today's bank date. */
  today(): string {
    if (this.refreshMs > 0 && this.clock.now().getTime() - this.refreshedAt > this.refreshMs) {
      // A stale copy is still today's date for a few seconds; the refresh catches up in the background.
      this.refreshedAt = this.clock.now().getTime();
      this.refresh().catch(() => {});
    }
    const wall = bankDate(this.clock.now(), this.timeZone);
    return this.offsetDays === 0 ? wall : addDays(wall, this.offsetDays);
  }

  /** The first bank day: nothing before it has to be closed. */
  get firstDay(): string {
    if (!this.openedOn) throw new Error('BankClock.load() has not run');
    return this.openedOn;
  }

  get offset(): number {
    return this.offsetDays;
  }

  /** Sandbox only: moves the bank date `days` forward (never wall time). */
  async advance(days: number): Promise<string> {
    await this.db.sql.$executeRawUnsafe(
      'UPDATE bank_state SET clock_offset_days = clock_offset_days + ? WHERE id = 1',
      days,
    );
    await this.refresh();
    return this.today();
  }
}
