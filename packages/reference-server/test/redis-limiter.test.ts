/**
 * Rate limits and lockout counters in Redis (REDIS_URL), against the machine's real Redis: the same
 * promises as the database store (test/security.test.ts), and sliding windows.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetriesExhaustedError } from '../src/db/transaction.ts';
import { RateLimitedError } from '../src/errors.ts';
import { RedisRateLimiter } from '../src/modules/throttle/redis-limiter.ts';
import { startTestBank, type TestBank, TestClock, testDialects } from '../src/testing/index.ts';
import { Http, login, newCustomer } from './support/http.ts';
import { testService } from './support/services.ts';

const redisUrl = await testService('redis');
const prefix = () => `wekeza-test:${process.pid}:${randomUUID().slice(0, 8)}:`;

describe.skipIf(!redisUrl)('rate limits in Redis', () => {
  const clock = new TestClock();
  let a: RedisRateLimiter;
  let b: RedisRateLimiter;
  beforeAll(() => {
    // Two limiters, two connections: as two server instances would hold them.
    const shared = prefix();
    a = new RedisRateLimiter(redisUrl as string, clock, shared);
    b = new RedisRateLimiter(redisUrl as string, clock, shared);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('when 50 guesses reserve a slot at once on two instances, then exactly the limit get one, numbered 1…limit, and the rest are refused with Retry-After', async () => {
    const bucket = `signin-fail:user:${randomUUID()}`;
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).reserve(bucket, 10, 900)),
    );
    const slots = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.slot] : []));
    expect(slots.sort((x, y) => x - y)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(refused).toHaveLength(40);
    for (const error of refused) {
      expect(error).toBeInstanceOf(RateLimitedError);
      expect((error as RateLimitedError).retryAfterSeconds).toBeGreaterThan(0);
      expect((error as RateLimitedError).retryAfterSeconds).toBeLessThanOrEqual(900);
    }
    expect((await a.peek(bucket, 900)).hits).toBe(10);
  });

  it('when a slot is given back, then exactly one more guess can take it', async () => {
    const bucket = `otp-fail:user:${randomUUID()}`;
    const taken = [];
    for (let i = 0; i < 3; i++) taken.push(await a.reserve(bucket, 3, 60));
    await expect(b.reserve(bucket, 3, 60)).rejects.toBeInstanceOf(RateLimitedError);
    await b.release(taken[1]!);
    await b.release(taken[1]!); // giving the same slot back twice frees it once
    const again = await Promise.allSettled([a.reserve(bucket, 3, 60), b.reserve(bucket, 3, 60)]);
    expect(again.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await a.peek(bucket, 60)).hits).toBe(3);
  });

  it('when the window slides past the oldest request, then one place frees, and not before', async () => {
    const bucket = `signin:ip:${randomUUID()}`;
    for (let i = 0; i < 5; i++) {
      await a.consume(bucket, 5, 60);
      clock.advance(1_000);
    }
    // t0 … t0+4 s counted; now t0+5 s. The oldest leaves the window at t0+60 s.
    const refused = await b.consume(bucket, 5, 60).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfterSeconds).toBe(55);
    clock.advance(54_000); // t0+59 s
    await expect(a.consume(bucket, 5, 60)).rejects.toBeInstanceOf(RateLimitedError);
    clock.advance(1_001); // just past t0+60 s
    await a.consume(bucket, 5, 60);
    await expect(b.consume(bucket, 5, 60)).rejects.toBeInstanceOf(RateLimitedError);
  });

  it('when requests arrive at any times, then no window of the limit’s length ever holds more than the limit accepted (no doubling at a boundary)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 4_000 }), { minLength: 5, maxLength: 40 }),
        fc.integer({ min: 1, max: 5 }),
        async (gaps, limit) => {
          const bucket = `prop:${randomUUID()}`;
          const accepted: number[] = [];
          for (const gap of gaps) {
            clock.advance(gap);
            const ok = await (gap % 2 ? a : b).consume(bucket, limit, 10).then(
              () => true,
              () => false,
            );
            if (ok) accepted.push(clock.now().getTime());
          }
          for (let i = 0; i < accepted.length; i++) {
            const inWindow = accepted.filter((t) => t > accepted[i]! - 10_000 && t <= accepted[i]!);
            expect(inWindow.length).toBeLessThanOrEqual(limit);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('when Redis cannot be reached, then a limited request fails closed (503), never unlimited', async () => {
    const down = new RedisRateLimiter('redis://127.0.0.1:1', clock, prefix());
    try {
      await expect(down.reserve('signin-fail:user:x', 10, 900)).rejects.toBeInstanceOf(RetriesExhaustedError);
      await expect(down.consume('signin:ip:x', 10, 60)).rejects.toBeInstanceOf(RetriesExhaustedError);
    } finally {
      await down.close();
    }
  });
});

describe.skipIf(!redisUrl).each(testDialects())('a bank with REDIS_URL on %s', (dialect) => {
  let bank: TestBank;
  beforeAll(async () => {
    bank = await startTestBank(dialect, { REDIS_URL: redisUrl as string, REDIS_KEY_PREFIX: prefix() });
  });
  afterAll(async () => {
    await bank?.stop();
  });

  it('when 50 wrong guesses arrive at once, then at most the limit are evaluated, one lockout is audited, the counters live in Redis; and 50 right sign-ins in a row all work', async () => {
    const admin = await login(bank, 'admin@sandbox.test');
    const mo = await newCustomer(bank);
    const http = new Http(bank.url);
    const guesses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        http.post('/v1/auth/token', {
          grant_type: 'password',
          username: i % 2 ? mo.email : mo.phone,
          password: `wrong guess ${i}`,
        }),
      ),
    );
    const evaluated = guesses.filter((r) => r.status === 400);
    expect(evaluated.length).toBeGreaterThan(0);
    expect(evaluated.length).toBeLessThanOrEqual(10);
    expect(guesses.filter((r) => r.status === 429)).toHaveLength(50 - evaluated.length);
    const log = await admin.get<{ data: { action: string; subject: { id: string } }[] }>(
      '/v1/audit-events?limit=100',
    );
    expect(
      log.body.data.filter((e) => e.action === 'auth.locked_out' && e.subject.id === mo.id),
    ).toHaveLength(1);
    expect(await bank.db.prisma.rateLimit.count()).toBe(0); // nothing counted in the database

    const ok = await newCustomer(bank);
    for (let i = 0; i < 50; i++) {
      const res = await http.post('/v1/auth/token', {
        grant_type: 'password',
        username: ok.email,
        password: 'correct horse battery',
      });
      expect(res.status, `sign-in ${i + 1}`).toBe(200);
    }
  });
});
