/**
 * How harsh a simulated rail is (`PUT /v1/sandbox/rails/{rail}`): how long its callbacks take, how
 * often a payment fails, how often a callback comes twice or never, and whether callbacks overtake
 * each other. A lost callback is only lost: the rail still knows the truth and tells it to a status
 * query, as the real one does.
 */
export interface Knobs {
  delayMs: number;
  failureRate: number;
  duplicateRate: number;
  outOfOrder: boolean;
  lossRate: number;
}

export const DEFAULT_KNOBS: Knobs = {
  delayMs: 20,
  failureRate: 0,
  duplicateRate: 0,
  outOfOrder: false,
  lossRate: 0,
};

/**
 * Delivers a rail's callbacks later, as the knobs say, and keeps track of them so a test (or
 * `flush`) can wait until every callback scheduled so far has been delivered.
 */
export class CallbackScheduler {
  knobs: Knobs = { ...DEFAULT_KNOBS };
  readonly #timers = new Map<NodeJS.Timeout, () => Promise<void>>();
  readonly #inFlight = new Set<Promise<void>>();
  #closed = false;

  constructor(private readonly log: (message: string, fields?: Record<string, unknown>) => void) {}

  /**
   * Posts `body` to `url` later. `reliable` callbacks (a C2B validation the payment waits on) are
   * neither lost nor duplicated; the others suffer the knobs.
   */
  send(
    url: string,
    body: unknown,
    options: {
      reliable?: boolean;
      contentType?: string;
      onReply?: (status: number, reply: unknown) => Promise<void>;
    } = {},
  ): void {
    const { knobs } = this;
    if (!options.reliable && Math.random() < knobs.lossRate) return;
    const copies = !options.reliable && Math.random() < knobs.duplicateRate ? 2 : 1;
    for (let copy = 0; copy < copies; copy++) {
      const base = Math.max(knobs.delayMs, 0);
      const delay = knobs.outOfOrder
        ? Math.random() * Math.max(2 * base, 40)
        : base + copy * Math.max(5, base / 2);
      this.schedule(delay, () =>
        this.post(url, body, options.contentType, copy === 0 ? options.onReply : undefined),
      );
    }
  }

  /** Runs `work` after `delayMs` (tracked like a callback). */
  schedule(delayMs: number, work: () => Promise<void>): void {
    if (this.#closed) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.track(work());
    }, delayMs);
    timer.unref();
    this.#timers.set(timer, work);
  }

  private track(promise: Promise<void>): void {
    const tracked = promise.catch((error: unknown) =>
      this.log('simulator callback failed', { error: String(error) }),
    );
    this.#inFlight.add(tracked);
    void tracked.finally(() => this.#inFlight.delete(tracked));
  }

  private async post(
    url: string,
    body: unknown,
    contentType = 'application/json',
    onReply?: (status: number, reply: unknown) => Promise<void>,
  ): Promise<void> {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': contentType },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let reply: unknown = text;
    try {
      reply = JSON.parse(text);
    } catch {
      // an XML or empty acknowledgement
    }
    if (onReply) await onReply(res.status, reply);
  }

  /** Delivers everything scheduled now (in the order it would have come) and waits for all of it. */
  async flush(): Promise<void> {
    for (let round = 0; round < 20; round++) {
      const due = [...this.#timers.entries()];
      for (const [timer] of due) clearTimeout(timer);
      this.#timers.clear();
      for (const [, work] of due) this.track(work());
      if (this.#inFlight.size === 0 && this.#timers.size === 0) return;
      await Promise.all([...this.#inFlight]);
    }
  }

  /** Waits until nothing is scheduled or in flight. */
  async idle(): Promise<void> {
    while (this.#timers.size > 0 || this.#inFlight.size > 0) {
      await Promise.all([...this.#inFlight]);
      if (this.#timers.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  close(): void {
    this.#closed = true;
    for (const timer of this.#timers.keys()) clearTimeout(timer);
    this.#timers.clear();
  }
}

/** A receipt number as M-Pesa writes them: ten upper-case letters and digits. */
export function receiptNumber(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let text = 'S';
  for (let i = 0; i < 9; i++) text += alphabet[Math.floor(Math.random() * alphabet.length)];
  return text;
}
