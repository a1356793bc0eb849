import { afterEach, describe, expect, it, vi } from 'vitest';
import { BACKOFF, isRetryableStatus, parseRetryAfter, retryDelay, sleep } from './retry.ts';

describe('isRetryableStatus', () => {
  it.each([
    [408, undefined],
    [429, 'rate_limited'],
    [500, 'internal_error'],
    [502, undefined],
    [503, 'service_unavailable'],
    [409, 'idempotency_key_in_use'],
  ])('when the answer is %i %s, then it is retried', (status, code) => {
    expect(isRetryableStatus(status, code)).toBe(true);
  });

  it.each([
    [400, 'malformed_request'],
    [401, 'unauthenticated'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [409, 'conflict'],
    [422, 'insufficient_funds'],
    [422, 'idempotency_key_reused'],
  ])('when the answer is %i %s, then it is not retried', (status, code) => {
    expect(isRetryableStatus(status, code)).toBe(false);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2025, 0, 1, 12, 0, 0);

  it('when it is delta-seconds, then it is that many milliseconds', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 2 ', now)).toBe(2000);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
  });

  it('when it is an HTTP-date, then it is the time until then (never negative)', () => {
    expect(parseRetryAfter('Wed, 01 Jan 2025 12:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 11:00:00 GMT', now)).toBe(0);
  });

  it('when it is absent or garbage, then it is undefined', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
  });
});

describe('retryDelay', () => {
  it('when there is no Retry-After, then the delay is full jitter under an exponential cap', () => {
    expect(retryDelay(0, null, () => 0)).toBe(0);
    expect(retryDelay(0, null, () => 0.999999)).toBe(BACKOFF.baseMs - 1);
    expect(retryDelay(1, null, () => 0.5)).toBe(BACKOFF.baseMs);
    expect(retryDelay(2, null, () => 0.5)).toBe(BACKOFF.baseMs * 2);
    expect(retryDelay(30, null, () => 0.999999)).toBeLessThan(BACKOFF.maxMs);
  });

  it('when the server sends Retry-After, then it is honoured exactly, without jitter', () => {
    expect(retryDelay(0, '2', () => 0)).toBe(2000);
    expect(retryDelay(5, '0', () => 0.9)).toBe(0);
  });

  it('when Retry-After is huge, then it is capped', () => {
    expect(retryDelay(0, '86400', () => 0)).toBe(BACKOFF.maxRetryAfterMs);
  });
});

describe('sleep', () => {
  afterEach(() => vi.useRealTimers());

  it('when the signal aborts, then it rejects at once with the reason', async () => {
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });

  it('when the time passes, then it resolves', async () => {
    vi.useFakeTimers();
    const pending = sleep(1000);
    await vi.advanceTimersByTimeAsync(1000);
    await expect(pending).resolves.toBeUndefined();
  });
});
