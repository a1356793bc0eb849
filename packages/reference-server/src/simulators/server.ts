import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Knobs } from './chaos.ts';
import { DarajaSimulator, type DarajaSimulatorConfig } from './daraja.ts';
import { RtgsSimulator } from './rtgs.ts';

/**
 * The sandbox's rails: one small HTTP app of its own, on its own port, playing Safaricom's Daraja
 * (at Daraja's own paths) and an RTGS gateway. The bank reaches it over HTTP exactly as it reaches
 * the real ones, so the adapter code under test is the production code.
 */
export class RailsSimulator {
  readonly mpesa: DarajaSimulator;
  readonly rtgs: RtgsSimulator;
  #server: Server | undefined;
  url = '';

  constructor(
    config: DarajaSimulatorConfig,
    log: (message: string, fields?: Record<string, unknown>) => void,
  ) {
    this.mpesa = new DarajaSimulator(config, log);
    this.rtgs = new RtgsSimulator(log);
  }

  async listen(port: number): Promise<string> {
    const app = express();
    app.disable('x-powered-by');
    app.use(this.mpesa.router());
    app.use(this.rtgs.router());
    app.use((_req, res) => {
      res.status(404).json({ errorCode: '404.001.01', errorMessage: 'Resource not found' });
    });
    this.#server = await new Promise<Server>((resolve, reject) => {
      const server = app.listen(port, '127.0.0.1', (error?: Error) =>
        error ? reject(error) : resolve(server),
      );
    });
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** The knobs of one rail (`mpesa` or `rtgs`); undefined for a rail the simulator does not play. */
  knobs(rail: string): Knobs | undefined {
    return this.schedulerOf(rail)?.knobs;
  }

  configure(rail: string, knobs: Partial<Knobs>): Knobs | undefined {
    const scheduler = this.schedulerOf(rail);
    if (!scheduler) return undefined;
    scheduler.knobs = { ...scheduler.knobs, ...knobs };
    return scheduler.knobs;
  }

  private schedulerOf(rail: string) {
    return rail === 'mpesa' ? this.mpesa.scheduler : rail === 'rtgs' ? this.rtgs.scheduler : undefined;
  }

  /** Delivers every callback scheduled so far, now, and waits for them (tests). */
  async flush(): Promise<void> {
    await Promise.all([this.mpesa.scheduler.flush(), this.rtgs.scheduler.flush()]);
  }

  async idle(): Promise<void> {
    await Promise.all([this.mpesa.scheduler.idle(), this.rtgs.scheduler.idle()]);
  }

  async close(): Promise<void> {
    this.mpesa.scheduler.close();
    this.rtgs.scheduler.close();
    const server = this.#server;
    if (!server) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
  }
}
