import type { RailsService } from './service.ts';

/**
 * The rails' schedule, every `intervalMs`: apply what the inbox still holds, hand stragglers to
 * their rail, fail STK requests past their timeout, ask about payouts without an answer (and
 * alert staff past the deadline), read folder transports, and expire holds that are not rail
 * payouts. Every step is exactly-once by its own conditional updates, so two instances (or a tick
 * beside a callback) never double an effect. Its timer never keeps the process alive.
 */
export class RailsWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly rails: RailsService,
    private readonly intervalMs: number,
    private readonly log: (message: string, fields?: Record<string, unknown>) => void,
  ) {}

  start(): void {
    if (this.intervalMs <= 0) return;
    this.timer = setInterval(() => {
      void this.tick();
    }, this.intervalMs);
    this.timer.unref();
  }

  /** One pass (tests call it to move on without waiting). Overlapping calls share the pass in progress. */
  tick(): Promise<void> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(): Promise<void> {
    const steps: [string, () => Promise<unknown>][] = [
      ['inbox', () => this.rails.processInbox()],
      ['stragglers', () => this.rails.submitStragglers()],
      ['deposit timeouts', () => this.rails.failTimedOutDeposits()],
      ['payout checks', () => this.rails.checkPayouts()],
      ['rail polls', () => this.rails.pollRails()],
      ['hold expiry', () => this.rails.expireOtherHolds()],
    ];
    for (const [name, step] of steps) {
      try {
        await step();
      } catch (error) {
        this.log('rails worker step failed', { step: name, error: String(error) });
      }
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
