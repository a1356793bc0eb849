import type { Clock } from '../../clock.ts';
import type { Database, Sql } from '../../db/database.ts';
import { RateLimitedError } from '../../errors.ts';

export interface WindowCount {
  hits: number;
  /** Seconds until the window ends. */
  retryAfterSeconds: number;
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

  /**
   * Refuses with 429 when the window already holds `limit` hits (does not count this one). Inside
   * a transaction pass it as `db`, so that the read goes through the transaction's own connection.
   */
  async check(
    bucket: string,
    limit: number,
    windowSeconds: number,
    detail?: string,
    db?: Sql,
  ): Promise<void> {
    const count = await this.peek(bucket, windowSeconds, db);
    if (count.hits >= limit) throw new RateLimitedError(count.retryAfterSeconds, detail);
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

  /** Forgets a bucket's current window (e.g. failed sign-ins after a successful one). */
  async reset(bucket: string, windowSeconds: number): Promise<void> {
    await this.db.prisma.$executeRawUnsafe(
      'DELETE FROM rate_limits WHERE bucket = ? AND window_start = ?',
      bucket,
      this.window(windowSeconds).start,
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
