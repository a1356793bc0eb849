/** Per-call options every method accepts as its last argument. */
export interface RequestOptions {
  /** Idempotency-Key for this request (non-GET); generated when absent and reused across its retries. */
  idempotencyKey?: string;
  /** Abort the request (and any pending retry) at once; the call rejects with AbortError. */
  signal?: AbortSignal;
  /** Per-attempt timeout in milliseconds (client default: 30000). */
  timeoutMs?: number;
  /** Retries after the first attempt (client default: 2). */
  maxRetries?: number;
  /** Extra request headers. */
  headers?: Record<string, string>;
}
