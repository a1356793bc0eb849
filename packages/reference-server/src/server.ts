import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type Services } from './app.ts';
import { type Clock, systemClock } from './clock.ts';
import { type Config, loadConfig } from './config.ts';
import { type Database, openDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { DailyCloseScheduler } from './jobs/daily-close.ts';
import { assertNoSandboxData, ensurePublicWebClient, seedSandbox } from './modules/sandbox/seed.ts';

export interface StartOptions {
  port?: number;
  host?: string;
  config?: Config;
  clock?: Clock;
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
  try {
    const { app, services } = await createApp({ config, db, clock: options.clock ?? systemClock });
    if (config.mode === 'sandbox') await seedSandbox(db, config, services.accounts, services.sandbox);
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
    return {
      url: `http://${options.host ?? '127.0.0.1'}:${actual}`,
      config,
      db,
      services,
      server,
      async close() {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await scheduler?.stop();
        await services.sealer.stop();
        await services.limiter.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
