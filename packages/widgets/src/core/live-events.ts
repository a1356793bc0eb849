import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { isAnonymous } from './anonymous.ts';
import type { WidgetClient } from './types.ts';

/** An event from `GET /v1/events/stream` (camelCase, as the SDK yields it). */
export interface LiveEvent {
  id: string;
  type: string;
  createdAt: string;
  data: Record<string, unknown>;
}

/**
 * `connecting`: opening; `open`: events arrive live; `unavailable`: the stream was refused or the
 * client cannot stream (widgets poll instead). The stream reconnects by itself after drops.
 */
export type LiveStatus = 'idle' | 'connecting' | 'open' | 'unavailable';

export interface LiveListener {
  /** Called for every event, in order. */
  event?: (event: LiveEvent) => void;
  /** Called when the status changes (and once at subscription with the current one). */
  status?: (status: LiveStatus) => void;
}

/** What the hub needs from a client: the SDK's stream reader over `fetch` (Authorization header, Last-Event-ID). */
type Streaming = {
  events: {
    stream(options?: { lastEventId?: string; signal?: AbortSignal }): AsyncIterable<LiveEvent>;
  };
};

/** How long an open request counts as "connected" before the server's first byte (the stream is silent until something happens). */
const CONNECTED_AFTER_MS = 300;

/**
 * One shared event stream per SDK client, however many widgets listen: it opens with the first
 * subscriber and closes (aborting the `fetch`) with the last. The SDK reader reconnects after a
 * dropped connection with `Last-Event-ID`; after a refusal (401/403) the hub reports `unavailable`
 * and tries again, resuming after the last event it saw, every `retryMs`.
 */
export class LiveEvents {
  readonly #client: Partial<Streaming>;
  readonly #listeners = new Set<LiveListener>();
  #status: LiveStatus = 'idle';
  #abort: AbortController | undefined;
  #lastEventId: string | undefined;
  /** Wait before opening again after a refusal or a failure (ms). */
  retryMs = 5_000;

  constructor(client: unknown) {
    this.#client = client as Partial<Streaming>;
  }

  get status(): LiveStatus {
    return this.#status;
  }

  /** The id of the last event received (where a new connection resumes). */
  get lastEventId(): string | undefined {
    return this.#lastEventId;
  }

  /** Listens; answers the function that stops listening (the last one out closes the stream). */
  subscribe(listener: LiveListener): () => void {
    this.#listeners.add(listener);
    listener.status?.(this.#status);
    if (this.#abort === undefined) this.#start();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.#stop();
    };
  }

  #setStatus(status: LiveStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    for (const listener of [...this.#listeners]) listener.status?.(status);
  }

  #stop(): void {
    this.#abort?.abort();
    this.#abort = undefined;
    this.#setStatus('idle');
  }

  #start(): void {
    const abort = new AbortController();
    this.#abort = abort;
    void this.#run(abort.signal);
  }

  async #run(signal: AbortSignal): Promise<void> {
    const stream = this.#client.events?.stream;
    if (typeof stream !== 'function') {
      this.#setStatus('unavailable');
      return;
    }
    while (!signal.aborted) {
      this.#setStatus('connecting');
      // The server sends nothing until an event happens: count the request as open once it has
      // not failed for a moment (a refusal answers at once).
      const opened = setTimeout(() => {
        if (!signal.aborted) this.#setStatus('open');
      }, CONNECTED_AFTER_MS);
      try {
        const options = this.#lastEventId ? { signal, lastEventId: this.#lastEventId } : { signal };
        for await (const event of stream.call(this.#client.events, options)) {
          clearTimeout(opened);
          this.#lastEventId = event.id;
          this.#setStatus('open');
          for (const listener of [...this.#listeners]) listener.event?.(event);
        }
      } catch {
        // Refused (401/403) or not a stream: the widgets poll meanwhile.
      } finally {
        clearTimeout(opened);
      }
      if (signal.aborted) return;
      this.#setStatus('unavailable');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.retryMs);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

const hubs = new WeakMap<object, LiveEvents>();

/** The shared event stream of `client` (one per client object, so every widget of a provider shares it). */
export function liveEventsFor(client: WidgetClient | object): LiveEvents {
  let hub = hubs.get(client);
  if (hub === undefined) {
    hub = new LiveEvents(client);
    hubs.set(client, hub);
  }
  return hub;
}

/** Does `type` match one of `patterns` (`deposit.succeeded`, or a prefix ending in `.` such as `transfer.`)? */
export function matchesEventType(type: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => (pattern.endsWith('.') ? type.startsWith(pattern) : type === pattern));
}

/** The events after which balances and account histories change. */
export const BALANCE_EVENTS: readonly string[] = [
  'deposit.succeeded',
  'withdrawal.',
  'transfer.',
  'loan.disbursed',
  'loan.repayment_received',
  'account.interest_posted',
];

export interface LiveEventsOptions {
  /** Event types to hear (`deposit.succeeded`, or prefixes such as `withdrawal.`); all when omitted. */
  types?: readonly string[];
  /** Called for each matching event. */
  onEvent?: (event: LiveEvent) => void;
  /** Called when the stream's status changes. */
  onStatus?: (status: LiveStatus) => void;
}

/**
 * A Lit reactive controller that listens to the shared event stream of the host widget's client
 * while the host is connected, and moves to the new client when it changes (a new sign-in):
 *
 * ```ts
 * class WkLoanStatus extends WekezaElement {
 *   #live = new LiveEventsController(this, { types: ['loan.'], onEvent: () => this.refresh() });
 * }
 * ```
 *
 * The host must have an `activeClient` (every `WekezaElement` has). `status` tells whether events
 * arrive live (`open`); when it is `unavailable`, poll.
 */
export class LiveEventsController implements ReactiveController {
  readonly #host: ReactiveControllerHost & { activeClient?: WidgetClient | undefined };
  readonly #options: LiveEventsOptions;
  #client: object | undefined;
  #unsubscribe: (() => void) | undefined;
  #connected = false;
  status: LiveStatus = 'idle';

  constructor(
    host: ReactiveControllerHost & { activeClient?: WidgetClient | undefined },
    options: LiveEventsOptions,
  ) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostConnected(): void {
    this.#connected = true;
    this.#sync();
  }

  hostUpdate(): void {
    this.#sync();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#sync();
  }

  #sync(): void {
    const active = this.#connected ? this.#host.activeClient : undefined;
    const client = active !== undefined && !isAnonymous(active) ? active : undefined;
    if (client === this.#client) return;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#client = client;
    this.status = 'idle';
    if (client === undefined) return;
    const types = this.#options.types;
    this.#unsubscribe = liveEventsFor(client).subscribe({
      event: (event) => {
        if (types === undefined || matchesEventType(event.type, types)) this.#options.onEvent?.(event);
      },
      status: (status) => {
        this.status = status;
        this.#options.onStatus?.(status);
      },
    });
  }
}
