import { type LiveStatus, liveEventsFor } from './live-events.ts';
import type { Deposit, WidgetClient, Withdrawal } from './types.ts';

export type MovementKind = 'deposit' | 'withdrawal';
export type Movement = Deposit | Withdrawal;

export interface MovementWatchOptions {
  client: WidgetClient;
  kind: MovementKind;
  id: string;
  /** Called with the movement whenever its status is learnt, until it is final. */
  onUpdate: (movement: Movement, via: 'stream' | 'poll') => void;
  /** Poll interval while the stream is unavailable (ms, default 2000). */
  pollMs?: number;
  /** Check interval while the stream is open, in case an event was missed (ms, default 15000). */
  safetyMs?: number;
}

/**
 * Follows one deposit or withdrawal until it is `succeeded` or `failed`: it listens to the shared
 * event stream (`deposit.*` / `withdrawal.*` naming this id) and reads the movement when its event
 * arrives; when the stream is not open (refused, not offered by the client, or still connecting)
 * it polls `GET /v1/deposits/{id}` (or withdrawals) instead. It also reads the movement once the
 * stream opens, since an event that happened before that is not replayed to a fresh stream.
 */
export class MovementWatch {
  readonly #options: MovementWatchOptions;
  #unsubscribe: (() => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #status: LiveStatus = 'idle';
  #stopped = false;
  #reading = false;
  #again = false;

  constructor(options: MovementWatchOptions) {
    this.#options = options;
  }

  start(): void {
    const { client, kind, id } = this.#options;
    const idKey = kind === 'deposit' ? 'depositId' : 'withdrawalId';
    const wireKey = kind === 'deposit' ? 'deposit_id' : 'withdrawal_id';
    this.#unsubscribe = liveEventsFor(client).subscribe({
      event: (event) => {
        if (!event.type.startsWith(`${kind}.`)) return;
        const named = event.data[idKey] ?? event.data[wireKey];
        if (named === id) void this.#read('stream');
      },
      status: (status) => {
        const opened = status === 'open' && this.#status !== 'open';
        this.#status = status;
        if (opened) void this.#read('stream');
        this.#schedule();
      },
    });
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    if (this.#stopped) return;
    const wait =
      this.#status === 'open' ? (this.#options.safetyMs ?? 15_000) : (this.#options.pollMs ?? 2_000);
    this.#timer = setTimeout(() => {
      void this.#read('poll').finally(() => this.#schedule());
    }, wait);
  }

  async #read(via: 'stream' | 'poll'): Promise<void> {
    if (this.#stopped) return;
    if (this.#reading) {
      // An event while a read is in flight: read again after it, so the news is not lost.
      this.#again = true;
      return;
    }
    const { client, kind, id } = this.#options;
    const resource = kind === 'deposit' ? client.deposits : client.withdrawals;
    if (!resource) return;
    this.#reading = true;
    try {
      const movement = await resource.retrieve(id);
      if (this.#stopped) return;
      if (movement.status !== 'pending') this.stop();
      this.#options.onUpdate(movement, via);
    } catch {
      // A failed read is tried again at the next tick (or event).
    } finally {
      this.#reading = false;
      if (this.#again && !this.#stopped) {
        this.#again = false;
        void this.#read(via);
      }
    }
  }
}
