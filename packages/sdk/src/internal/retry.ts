/** Backoff settings; exported for tests. */
export const BACKOFF = {
  /** First retry waits up to this long (full jitter: a random time in [0, cap)). */
  baseMs: 500,
  /** No computed backoff is longer than this. */
  maxMs: 8_000,
  /** A server's Retry-After is honoured up to this long. */
  maxRetryAfterMs: 60_000,
};

/** Whether an error response may be retried (with the same Idempotency-Key). */
export function isRetryableStatus(status: number, code: string | undefined): boolean {
  return (
    status === 408 || status === 429 || status >= 500 || (status === 409 && code === 'idempotency_key_in_use')
  );
}

/** Milliseconds asked for by a `Retry-After` header (delta-seconds or HTTP-date), or undefined. */
export function parseRetryAfter(
  header: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (header === null || header === undefined) return undefined;
  const text = header.trim();
  if (/^[0-9]+(\.[0-9]+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (!/^[A-Za-z]{3}, /.test(text)) return undefined; // an HTTP-date starts with the day name
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * How long to wait before retry number `retry` (0 for the first retry): the server's Retry-After
 * when it gave one (capped at maxRetryAfterMs), else exponential backoff with full jitter.
 */
export function retryDelay(
  retry: number,
  retryAfter: string | null | undefined,
  random: () => number = Math.random,
  now: number = Date.now(),
): number {
  const asked = parseRetryAfter(retryAfter, now);
  if (asked !== undefined) return Math.min(asked, BACKOFF.maxRetryAfterMs);
  const cap = Math.min(BACKOFF.maxMs, BACKOFF.baseMs * 2 ** retry);
  return Math.floor(random() * cap);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
