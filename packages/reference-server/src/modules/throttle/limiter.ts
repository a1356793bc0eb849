import type { Clock } from '../../clock.ts';
import type { Database, Sql } from '../../db/database.ts';
import { sqlTransaction } from '../../db/transaction.ts';
import { RateLimitedError } from '../../errors.ts';

export interface WindowCount {
  hits: number;
  /** Seconds until a hit would be counted in a fresh window (at least 1). */
  retryAfterSeconds: number;
}

/** A failure slot taken before a guess is evaluated: kept if the guess was wrong, given back if not. */
export interface Reservation {
  bucket: string;
  /** 1 for the first slot of the window … `limit` for the last one. */
  slot: number;
  /** What `release` needs to give this very slot back (the store's own handle). */
  handle: string;
}

/**
 * Counters shared by every server instance: request rates per address, and failure slots for
 * guesses (passwords, client secrets, one-time codes). Two stores keep them: the database
 * (`DatabaseRateLimiter`, fixed windows) and Redis when `REDIS_URL` is set (`RedisRateLimiter`,
 * sliding windows). Both keep the same promise: `reserve` takes a slot atomically BEFORE the guess
 * is evaluated, so however many guesses arrive at once, on however many instances, at most `limit`
 * are evaluated per window.
 */
export interface RateLimiter {
  /** Counts a request and refuses it with 429 (and Retry-After) past `limit` requests in the window. */
  consume(bucket: string, limit: number, windowSeconds: number, detail?: string): Promise<void>;
  /** Counts a hit unconditionally and answers the window's count. */
  hit(bucket: string, windowSeconds: number): Promise<WindowCount>;
  /** The window's count, without counting. */
  peek(bucket: string, windowSeconds: number): Promise<WindowCount>;
  /** Takes one of `limit` failure slots, or refuses with 429 when all are taken. */
  reserve(bucket: string, limit: number, windowSeconds: number, detail?: string): Promise<Reservation>;
  /** Gives a reserved slot back (the guess was right, or was never evaluated). */
  release(reservation: Reservation): Promise<void>;
  /** Drops what has expired (the database's windows; Redis expires keys itself). */
  purgeExpired(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Fixed-window counters in the database (table `rate_limits`), so that every server instance
 * counts the same requests. Each hit is one atomic upsert outside any business transaction: a
 * refused request still counts, and a rolled-back one does too.
 */
export class DatabaseRateLimiter implements RateLimiter {
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
    return { bucket, slot, handle: start.toString() };
  }

  async release(reservation: Reservation): Promise<void> {
    await this.db.sql.$executeRawUnsafe(
      'UPDATE rate_limits SET hits = hits - 1 WHERE bucket = ? AND window_start = ? AND hits > 0',
      reservation.bucket,
      BigInt(reservation.handle),
    );
  }

  /** Deletes windows past their end; a later issue runs it daily. */
  async purgeExpired(): Promise<number> {
    return this.db.prisma.$executeRawUnsafe('DELETE FROM rate_limits WHERE expires_at < ?', this.clock.now());
  }

  async close(): Promise<void> {}

  private window(windowSeconds: number): { start: bigint; end: number } {
    const size = windowSeconds * 1000;
    const start = Math.floor(this.clock.now().getTime() / size) * size;
    return { start: BigInt(start), end: start + size };
  }
}
