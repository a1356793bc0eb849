import { addDays, daysBetween } from '../bank-calendar.ts';
import type { BankClock } from '../bank-clock.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/database.ts';
import type { Leases } from './lease.ts';

/** What a job is given for one bank day. */
export interface JobContext {
  db: Database;
  /** The bank day being closed (YYYY-MM-DD): the job acts as at its end. */
  bankDate: string;
  /** Call during long work (every few thousand items) to keep the daily-close lease. */
  heartbeat(): Promise<void>;
}

/**
 * One job of the daily close. `run` must be idempotent for its day: the engine never runs a job
 * twice for a day once it has finished, but a job interrupted half-way (a crash, a lost lease) is
 * run again from the start, so each item it touches keeps its own watermark (e.g. "accrued
 * through"). Jobs of a day run in registration order, and day D+1 only after day D is closed.
 */
export interface DailyJob {
  /** Stable name, recorded per day in `job_runs` (e.g. `loans.accrue_interest`). */
  name: string;
  /** Where in the day's order it runs (JOB_PHASES; default `other`); registration order within a phase. */
  phase?: number;
  run(context: JobContext): Promise<void>;
}

/**
 * The close of a day runs in this order (API.md, Sandbox): interest accrual on the day's end-of-day
 * balances → due dates, days past due and penalties → premium sweeps → month-end interest posting →
 * fixed-deposit maturities → automatic write-offs; then the day's records of what happened
 * (portfolio snapshots), and last the ledger digest, which must see everything the day posted.
 */
export const JOB_PHASES = {
  accrual: 10,
  dueDates: 20,
  premiumSweeps: 30,
  interestPosting: 40,
  maturities: 50,
  writeOffs: 60,
  other: 70,
  snapshots: 80,
  digest: 90,
} as const;

export interface CloseResult {
  /** Days closed by this call, in order. */
  closed: string[];
  /** The last closed day afterwards (null when none yet). */
  closedThrough: string | null;
  /** Another instance holds the lease: it is closing, this call did nothing. */
  busy: boolean;
}

const LEASE = 'daily-close';

/**
 * The daily-jobs engine (ARCHITECTURE.md "How the next domains fit"): one registry of jobs, and one
 * runner that closes bank days in order, catching up every missed day, under a database lease so
 * that two server instances never close at once. The scheduler in `serve`, `wekeza-server jobs run`
 * and the sandbox test clock all call `closeThrough`.
 */
export class DailyClose {
  private readonly jobs: DailyJob[] = [];
  /** A close in progress in this process (the lease covers other processes; this, our own callers). */
  private closing = false;
  /** Set by `stop()`: the close in progress ends before its next job (a safe point: see DailyJob). */
  private stopping = false;
  private observer: (job: string, seconds: number, outcome: 'ok' | 'failed') => void = () => {};

  constructor(
    private readonly db: Database,
    private readonly bankClock: BankClock,
    private readonly leases: Leases,
    private readonly clock: Clock,
    private readonly leaseMs = 120_000,
  ) {}

  /** Adds a job to the day's order (by phase, then registration). Names are unique. */
  register(job: DailyJob): void {
    if (this.jobs.some((j) => j.name === job.name)) throw new Error(`job ${job.name} is registered twice`);
    this.jobs.push(job);
    // A stable sort: registration order stays within a phase.
    this.jobs.sort((a, b) => (a.phase ?? JOB_PHASES.other) - (b.phase ?? JOB_PHASES.other));
  }

  /** Told how long each job run took (the metrics' job durations). */
  observe(observer: (job: string, seconds: number, outcome: 'ok' | 'failed') => void): void {
    this.observer = observer;
  }

  /**
   * Stops closing days (SIGTERM): a job that is running finishes, then the close ends before the next
   * job. A job half done for its day is run again from the start by the next close, as after a crash.
   */
  stop(): void {
    this.stopping = true;
  }

  get stopped(): boolean {
    return this.stopping;
  }

  get registered(): readonly string[] {
    return this.jobs.map((j) => j.name);
  }

  /** The last closed bank day, or null. */
  async closedThrough(): Promise<string | null> {
    const [row] = await this.db.sql.$queryRawUnsafe<{ last: string | null }[]>(
      'SELECT MAX(bank_date) AS last FROM bank_days',
    );
    return row?.last ? String(row.last) : null;
  }

  /** Closes every day after the last closed one through `through` (never a day not yet over). */
  async closeThrough(through: string): Promise<CloseResult> {
    const yesterday = addDays(this.bankClock.today(), -1);
    const target = daysBetween(through, yesterday) < 0 ? yesterday : through;
    if (this.closing || this.stopping)
      return { closed: [], closedThrough: await this.closedThrough(), busy: true };
    this.closing = true; // before any await: a second caller in this process sees it
    if (!(await this.leases.acquire(LEASE, this.leaseMs))) {
      this.closing = false;
      return { closed: [], closedThrough: await this.closedThrough(), busy: true };
    }
    const closed: string[] = [];
    try {
      const last = await this.closedThrough();
      let day = last ? addDays(last, 1) : this.bankClock.firstDay;
      while (daysBetween(day, target) >= 0 && !this.stopping) {
        if (!(await this.closeDay(day))) break;
        closed.push(day);
        day = addDays(day, 1);
      }
    } finally {
      this.closing = false;
      await this.leases.release(LEASE);
    }
    return { closed, closedThrough: await this.closedThrough(), busy: false };
  }

  /** Runs the day's jobs not yet finished; answers false when stopped before the day was closed. */
  private async closeDay(bankDate: string): Promise<boolean> {
    const heartbeat = async () => {
      if (!(await this.leases.acquire(LEASE, this.leaseMs)))
        throw new Error('the daily-close lease was lost; another instance took over');
    };
    for (const job of this.jobs) {
      if (this.stopping) return false;
      const [done] = await this.db.sql.$queryRawUnsafe<{ finished_at: unknown }[]>(
        'SELECT finished_at FROM job_runs WHERE job = ? AND bank_date = ?',
        job.name,
        bankDate,
      );
      if (done?.finished_at) continue;
      if (!done)
        await this.db.sql.$executeRawUnsafe(
          'INSERT INTO job_runs (job, bank_date, started_at) VALUES (?, ?, ?)',
          job.name,
          bankDate,
          this.clock.now(),
        );
      await heartbeat();
      const started = performance.now();
      try {
        await job.run({ db: this.db, bankDate, heartbeat });
      } catch (error) {
        this.observer(job.name, (performance.now() - started) / 1000, 'failed');
        throw error;
      }
      this.observer(job.name, (performance.now() - started) / 1000, 'ok');
      await this.db.sql.$executeRawUnsafe(
        'UPDATE job_runs SET finished_at = ? WHERE job = ? AND bank_date = ?',
        this.clock.now(),
        job.name,
        bankDate,
      );
    }
    await this.db.sql.$executeRawUnsafe(
      'INSERT INTO bank_days (bank_date, closed_at) VALUES (?, ?)',
      bankDate,
      this.clock.now(),
    );
    return true;
  }
}

/**
 * Runs the daily close in `serve`: every `intervalMs`, closes through yesterday's bank date. Its
 * timer never keeps the process alive; `stop()` waits for a close in progress to finish.
 */
export class DailyCloseScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly close: DailyClose,
    private readonly bankClock: BankClock,
    private readonly intervalMs: number,
    private readonly log: (message: string, fields?: Record<string, unknown>) => void,
  ) {}

  start(): void {
    const tick = () => {
      if (this.running) return;
      this.running = this.close
        .closeThrough(addDays(this.bankClock.today(), -1))
        .then((result) => {
          if (result.closed.length > 0) this.log('daily close', { closed: result.closed });
        })
        .catch((error: unknown) => this.log('daily close failed', { error: String(error) }))
        .finally(() => {
          this.running = undefined;
        });
    };
    tick();
    this.timer = setInterval(tick, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
