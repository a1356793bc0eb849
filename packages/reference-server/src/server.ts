import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AppDeps, createApp, type Services } from './app.ts';
import { type Clock, systemClock } from './clock.ts';
import { type Config, loadConfig } from './config.ts';
import { type Database, openDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { DailyCloseScheduler } from './jobs/daily-close.ts';
import { assertNoSandboxData, ensurePublicWebClient, seedSandbox } from './modules/sandbox/seed.ts';
import { RailsSimulator } from './simulators/server.ts';

export interface StartOptions {
  port?: number;
  host?: string;
  config?: Config;
  clock?: Clock;
  /** A bank's own credit engine and bureau (see docs/loans.md, "Plugging in a scorer and a bureau"). */
  decisionEngine?: AppDeps['decisionEngine'];
  creditBureau?: AppDeps['creditBureau'];
}

export interface RunningServer {
  url: string;
  config: Config;
  db: Database;
  services: Services;
  server: Server;
  close(): Promise<void>;
}

/** Migrates, seeds the sandbox (in sandbox mode), and listens. `port: 0` picks a free port. */
export async function start(options: StartOptions = {}): Promise<RunningServer> {
  const config = options.config ?? loadConfig();
  const port = options.port ?? config.port;
  await migrate(config.databaseUrl);
  const db = await openDatabase(config.databaseUrl);
  const log = (message: string, fields?: Record<string, unknown>) =>
    console.error(JSON.stringify({ level: 'info', message, ...fields }));
  // The sandbox plays the rails that have no real endpoint configured, on a port of their own.
  const simulator =
    config.mode === 'sandbox' && (!config.rails.mpesa.baseUrl || !config.rails.rtgs.transport)
      ? new RailsSimulator(config.rails.mpesa, log)
      : undefined;
  try {
    await simulator?.listen(config.rails.simulatorPort);
    const { app, services } = await createApp({
      config,
      db,
      clock: options.clock ?? systemClock,
      ...(simulator ? { simulator } : {}),
      decisionEngine: options.decisionEngine,
      creditBureau: options.creditBureau,
    });
    if (config.mode === 'sandbox')
      await seedSandbox(
        db,
        config,
        services.accounts,
        services.sandbox,
        services.savings.products,
        services.loanProducts,
      );
    else {
      await assertNoSandboxData(db);
      await ensurePublicWebClient(db);
    }
    const server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(port, options.host ?? '127.0.0.1', (error?: Error) =>
        error ? reject(error) : resolve(s),
      );
    });
    // Longer than the usual load balancer's idle timeout, so an idle keep-alive connection is
    // closed by the client side first and a request is never sent into a closing socket.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    const scheduler =
      config.jobsIntervalSeconds > 0
        ? new DailyCloseScheduler(
            services.dailyClose,
            services.bankClock,
            config.jobsIntervalSeconds * 1000,
            (m, f) => console.error(JSON.stringify({ level: 'info', message: m, ...f })),
          )
        : undefined;
    scheduler?.start();
    if (config.auditSealIntervalMs > 0)
      services.sealer.start(config.auditSealIntervalMs, (m, f) =>
        console.error(JSON.stringify({ level: 'error', message: m, ...f })),
      );
    const { port: actual } = server.address() as AddressInfo;
    const url = `http://${options.host ?? '127.0.0.1'}:${actual}`;
    // Where the rails call back: configured, or (sandbox) where this server listens.
    if (!config.rails.callbackBaseUrl && config.mode === 'sandbox') services.railCallbacks.base = url;
    if (simulator)
      simulator.rtgs.callbackUrl = `${services.railCallbacks.base}/v1/rails/rtgs/status-report/${encodeURIComponent(config.rails.callbackToken)}`;
    for (const rail of services.rails.rails.list()) {
      await rail
        .start?.()
        .catch((error: unknown) => log('rail start failed', { rail: rail.name, error: String(error) }));
    }
    services.railsWorker.start();
    services.webhookWorker.start();
    return {
      url,
      config,
      db,
      services,
      server,
      async close() {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await scheduler?.stop();
        await services.sealer.stop();
        await services.railsWorker.stop();
        await services.webhookWorker.stop();
        await simulator?.close();
        await db.close();
      },
    };
  } catch (error) {
    await simulator?.close();
    await db.close();
    throw error;
  }
}
