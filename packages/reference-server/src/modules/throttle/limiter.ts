import type { Clock } from '../../clock.ts';
import type { Database, Sql } from '../../db/database.ts';
import { sqlTransaction } from '../../db/transaction.ts';
import { RateLimitedError } from '../../errors.ts';

export interface WindowCount {
  hits: number;
  /** Seconds until the window ends. */
  retryAfterSeconds: number;
}

/** A failure slot taken before a guess is evaluated: kept if the guess was wrong, given back if not. */
export interface Reservation {
  bucket: string;
  windowStart: bigint;
  /** 1 for the first slot of the window … `limit` for the last one. */
  slot: number;
}

/**
 * Fixed-window counters in the database (table `rate_limits`), so that every server instance
 * counts the same requests. Each hit is one atomic upsert outside any business transaction: a
 * refused request still counts, and a rolled-back one does too.
 */
export class RateLimiter {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** Counts a hit and refuses with 429 once the window holds more than `limit`. */
  async consume(bucket: string, limit: number, windowSeconds: number, detail?: string): Promise<void> {
    const count = await this.hit(bucket, windowSeconds);
    if (count.hits > limit) throw new RateLimitedError(count.retryAfterSeconds, detail);
  }

  async hit(bucket: string, windowSeconds: number): Promise<WindowCount> {
    const { start, end } = this.window(windowSeconds);
    const upsert =
      this.db.dialect === 'mysql'
        ? 'INSERT INTO rate_limits (bucket, window_start, hits, expires_at) VALUES (?, ?, 1, ?) ON DUPLICATE KEY UPDATE hits = hits + 1'
        : 'INSERT INTO rate_limits (bucket, window_start, hits, expires_at) VALUES (?, ?, 1, ?) ON CONFLICT (bucket, window_start) DO UPDATE SET hits = hits + 1';
    await this.db.prisma.$executeRawUnsafe(upsert, bucket, start, new Date(end));
    return this.peek(bucket, windowSeconds);
  }

  async peek(bucket: string, windowSeconds: number, db: Sql = this.db.sql): Promise<WindowCount> {
    const { start, end } = this.window(windowSeconds);
    const [row] = await db.$queryRawUnsafe<{ hits: number | bigint }[]>(
      'SELECT hits FROM rate_limits WHERE bucket = ? AND window_start = ?',
      bucket,
      start,
    );
    const now = this.clock.now().getTime();
    return {
      hits: row ? Number(row.hits) : 0,
      retryAfterSeconds: Math.max(1, Math.ceil((end - now) / 1000)),
    };
  }

  /**
   * Takes one of `limit` failure slots of the bucket's current window before a guess (a password,
   * a one-time code) is checked, or refuses with 429 when all are taken. Taking a slot is one
   * conditional increment, so however many guesses arrive at once, at most `limit` are evaluated
   * per window. Runs in its own short transaction, outside any business transaction, so a guess
   * whose transaction rolls back is still counted.
   */
  async reserve(bucket: string, limit: number, windowSeconds: number, detail?: string): Promise<Reservation> {
    const { start, end } = this.window(windowSeconds);
    const ensure =
      this.db.dialect === 'mysql'
        ? 'INSERT INTO rate_limits (bucket, window_start, hits, expires_at) VALUES (?, ?, 0, ?) ON DUPLICATE KEY UPDATE hits = hits'
        : 'INSERT INTO rate_limits (bucket, window_start, hits, expires_at) VALUES (?, ?, 0, ?) ON CONFLICT (bucket, window_start) DO NOTHING';
    const slot = await sqlTransaction(this.db, async (tx) => {
      await tx.$executeRawUnsafe(ensure, bucket, start, new Date(end));
      const taken = await tx.$executeRawUnsafe(
        'UPDATE rate_limits SET hits = hits + 1 WHERE bucket = ? AND window_start = ? AND hits < ?',
        bucket,
        start,
        limit,
      );
      if (taken !== 1) return 0;
      // The row is ours until commit: this reads our own increment.
      const [row] = await tx.$queryRawUnsafe<{ hits: number | bigint }[]>(
        'SELECT hits FROM rate_limits WHERE bucket = ? AND window_start = ?',
        bucket,
        start,
      );
      return Number(row?.hits ?? 0);
    });
    if (slot === 0) {
      const retryAfterSeconds = Math.max(1, Math.ceil((end - this.clock.now().getTime()) / 1000));
      throw new RateLimitedError(retryAfterSeconds, detail);
    }
    return { bucket, windowStart: start, slot };
  }

  /** Gives a reserved slot back (the guess was right, or was never evaluated). */
  async release(reservation: Reservation): Promise<void> {
    await this.db.sql.$executeRawUnsafe(
      'UPDATE rate_limits SET hits = hits - 1 WHERE bucket = ? AND window_start = ? AND hits > 0',
      reservation.bucket,
      reservation.windowStart,
    );
  }

  /** Deletes windows past their end; a later issue runs it daily. */
  async purgeExpired(): Promise<number> {
    return this.db.prisma.$executeRawUnsafe('DELETE FROM rate_limits WHERE expires_at < ?', this.clock.now());
  }

  private window(windowSeconds: number): { start: bigint; end: number } {
    const size = windowSeconds * 1000;
    const start = Math.floor(this.clock.now().getTime() / size) * size;
    return { start: BigInt(start), end: start + size };
  }
}
