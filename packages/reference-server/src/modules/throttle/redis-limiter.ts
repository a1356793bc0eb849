import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Clock } from '../../clock.ts';
import { RetriesExhaustedError } from '../../db/transaction.ts';
import { RateLimitedError } from '../../errors.ts';
import type { RateLimiter, Reservation, WindowCount } from './limiter.ts';

/*
 * Sliding windows as sorted sets: one member per counted request (score = its time in ms). Every
 * script first drops the members older than the window, so "the window" is always the last
 * `windowSeconds` before now, never a calendar slot: a limit cannot be doubled across a boundary.
 * Each script runs atomically in Redis, so a check and its count can never interleave with
 * another instance's.
 */

/** Counts one request when the window holds fewer than the limit; else answers when a place frees. */
const CONSUME = `
local key, now, window, limit, member = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if count >= limit then
  local oldest = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
  return {0, tonumber(oldest[2]) + window - now}
end
redis.call('ZADD', key, now, member)
redis.call('PEXPIRE', key, window)
return {count + 1, 0}`;

/** Counts one request whatever the window holds. */
const HIT = `
local key, now, window, member = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
redis.call('ZADD', key, now, member)
redis.call('PEXPIRE', key, window)
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return {redis.call('ZCARD', key), tonumber(oldest[2]) + window - now}`;

/** The window's count without counting, and when its oldest member leaves it. */
const PEEK = `
local key, now, window = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])
local members = redis.call('ZRANGEBYSCORE', key, '(' .. (now - window), '+inf', 'WITHSCORES')
if #members == 0 then return {0, window} end
return {#members / 2, tonumber(members[2]) + window - now}`;

type Reply = [number, number];

interface LimiterCommands {
  wekezaConsume(key: string, now: number, windowMs: number, limit: number, member: string): Promise<Reply>;
  wekezaHit(key: string, now: number, windowMs: number, member: string): Promise<Reply>;
  wekezaPeek(key: string, now: number, windowMs: number): Promise<Reply>;
}

/**
 * Whole seconds until a place frees, never more than the window: each instance stamps requests with
 * its own clock when it sends them, so a member stamped a moment later by another instance (or
 * another request of this one still in flight) can lie slightly in "our" future.
 */
const seconds = (ms: number, windowSeconds: number) =>
  Math.min(windowSeconds, Math.max(1, Math.ceil(ms / 1000)));

/**
 * Rate limits and lockout counters in Redis (`REDIS_URL`), for banks that would rather not write a
 * row per request to the ledger's database. Same interface and promises as the database store:
 * `reserve` takes a failure slot atomically before a guess is evaluated, so at most `limit` guesses
 * are evaluated per window whichever instance they reach. If Redis cannot be reached the request
 * fails closed with 503, never unlimited.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis & LimiterCommands;

  constructor(
    url: string,
    private readonly clock: Clock,
    /** Prefixes every key, so several banks (or test runs) can share one Redis. */
    private readonly prefix = 'wekeza:rl:',
  ) {
    const redis = new Redis(url, {
      // Fail a command after one reconnection attempt instead of queueing it indefinitely: a request
      // waiting on an unreachable Redis is answered 503.
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      lazyConnect: false,
    });
    redis.defineCommand('wekezaConsume', { numberOfKeys: 1, lua: CONSUME });
    redis.defineCommand('wekezaHit', { numberOfKeys: 1, lua: HIT });
    redis.defineCommand('wekezaPeek', { numberOfKeys: 1, lua: PEEK });
    // Connection errors are reported per command; without a listener ioredis would print each one.
    redis.on('error', () => {});
    this.redis = redis as Redis & LimiterCommands;
  }

  async consume(bucket: string, limit: number, windowSeconds: number, detail?: string): Promise<void> {
    const [count, retryMs] = await this.call(() =>
      this.redis.wekezaConsume(this.key(bucket), this.now(), windowSeconds * 1000, limit, this.member()),
    );
    if (count === 0) throw new RateLimitedError(seconds(retryMs, windowSeconds), detail);
  }

  async hit(bucket: string, windowSeconds: number): Promise<WindowCount> {
    const [hits, retryMs] = await this.call(() =>
      this.redis.wekezaHit(this.key(bucket), this.now(), windowSeconds * 1000, this.member()),
    );
    return { hits, retryAfterSeconds: seconds(retryMs, windowSeconds) };
  }

  async peek(bucket: string, windowSeconds: number): Promise<WindowCount> {
    const [hits, retryMs] = await this.call(() =>
      this.redis.wekezaPeek(this.key(bucket), this.now(), windowSeconds * 1000),
    );
    return { hits, retryAfterSeconds: seconds(retryMs, windowSeconds) };
  }

  /**
   * A failure slot is a member of the window: taken (with its own name, so that exactly it can be
   * given back) only while fewer than `limit` are there, in one script.
   */
  async reserve(bucket: string, limit: number, windowSeconds: number, detail?: string): Promise<Reservation> {
    const member = this.member();
    const [slot, retryMs] = await this.call(() =>
      this.redis.wekezaConsume(this.key(bucket), this.now(), windowSeconds * 1000, limit, member),
    );
    if (slot === 0) throw new RateLimitedError(seconds(retryMs, windowSeconds), detail);
    return { bucket, slot, handle: member };
  }

  async release(reservation: Reservation): Promise<void> {
    await this.call(() => this.redis.zrem(this.key(reservation.bucket), reservation.handle));
  }

  /** Redis drops a window's key when its newest member expires (PEXPIRE), and old members on every use. */
  async purgeExpired(): Promise<number> {
    return 0;
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private key(bucket: string): string {
    return `${this.prefix}${bucket}`;
  }

  private now(): number {
    return this.clock.now().getTime();
  }

  /** Unique within the window even for requests in the same millisecond. */
  private member(): string {
    return `${this.now()}-${randomBytes(6).toString('base64url')}`;
  }

  private async call<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw new RetriesExhaustedError('the rate-limit store (Redis) cannot be reached', { cause: error });
    }
  }
}
