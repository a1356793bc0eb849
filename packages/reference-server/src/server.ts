import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AppDeps, createApp, type Services } from './app.ts';
import { type Clock, systemClock } from './clock.ts';
import { type Config, loadConfig } from './config.ts';
import { type Database, openDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { DailyCloseScheduler } from './jobs/daily-close.ts';
import { assertNoSandboxData, ensurePublicWebClient, seedSandbox } from './modules/sandbox/seed.ts';
import { seedStaffTotp } from './modules/sandbox/staff-totp.ts';
import type { Logger } from './observability/logger.ts';
import { RailsSimulator } from './simulators/server.ts';

export interface StartOptions {
  port?: number;
  host?: string;
  config?: Config;
  clock?: Clock;
  /** A bank's own credit engine and bureau (see docs/loans.md, "Plugging in a scorer and a bureau"). */
  decisionEngine?: AppDeps['decisionEngine'];
  creditBureau?: AppDeps['creditBureau'];
  /** The JSON logger (default: pino on stdout at the configured level). */
  logger?: Logger;
}

export interface RunningServer {
  url: string;
  /** Sandbox with WEKEZA_SANDBOX_STAFF_TOTP=1: the seeded staff's TOTP secrets (printed at start-up). */
  staffTotp?: { email: string; secret: string }[];
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
  const host = options.host ?? config.host;
  if (config.migrateOnStart) await migrate(config.databaseUrl);
  const db = await openDatabase(config.databaseUrl);
  // The sandbox plays the rails that have no real endpoint configured, on a port of their own.
  const simulator =
    config.mode === 'sandbox' && (!config.rails.mpesa.baseUrl || !config.rails.rtgs.transport)
      ? new RailsSimulator(config.rails.mpesa, (message, fields) =>
          console.error(JSON.stringify({ level: 'info', message, ...fields })),
        )
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
      ...(options.logger ? { logger: options.logger } : {}),
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
    const staffTotp =
      config.mode === 'sandbox' && config.sandboxStaffTotp
        ? await seedStaffTotp(db, services.mfa, config)
        : undefined;
    if (config.mode !== 'sandbox') {
      await assertNoSandboxData(db);
      await ensurePublicWebClient(db);
    }
    const server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(s)));
    });
    // Longer than the usual load balancer's idle timeout, so an idle keep-alive connection is
    // closed by the client side first and a request is never sent into a closing socket.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    const { logger, lifecycle } = services;
    const log = (level: 'info' | 'error') => (message: string, fields?: Record<string, unknown>) =>
      logger[level](fields ?? {}, message);
    const scheduler =
      config.jobsIntervalSeconds > 0
        ? new DailyCloseScheduler(
            services.dailyClose,
            services.bankClock,
            config.jobsIntervalSeconds * 1000,
            log('info'),
          )
        : undefined;
    scheduler?.start();
    if (scheduler) lifecycle.scheduler = 'running';
    if (config.auditSealIntervalMs > 0) {
      services.sealer.start(config.auditSealIntervalMs, log('error'));
      lifecycle.sealer = 'running';
    }
    services.publisher?.start(log('error'));
    const { port: actual } = server.address() as AddressInfo;
    const url = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${actual}`;
    // Where the rails call back: configured, or (sandbox) where this server listens.
    if (!config.rails.callbackBaseUrl && config.mode === 'sandbox') services.railCallbacks.base = url;
    if (simulator)
      simulator.rtgs.callbackUrl = `${services.railCallbacks.base}/v1/rails/rtgs/status-report/${encodeURIComponent(config.rails.callbackToken)}`;
    for (const rail of services.rails.rails.list()) {
      await rail
        .start?.()
        .catch((error: unknown) =>
          log('error')('rail start failed', { rail: rail.name, error: String(error) }),
        );
    }
    services.railsWorker.start();
    services.webhookWorker.start();
    let closing: Promise<void> | undefined;
    /**
     * A graceful stop (SIGTERM): stop taking connections and say so on /readyz; let the requests in
     * flight finish (each with its transaction), closing their connections as they answer; stop the
     * daily close before its next job and the sealer and publisher after their batch (safe points:
     * each commits whole or not at all); then close the pools. Connections still busy after the
     * grace period are cut.
     */
    const close = () => {
      closing ??= (async () => {
        lifecycle.stopping = true;
        services.dailyClose.stop();
        services.eventStream.stop();
        const drained = new Promise<void>((resolve) => server.close(() => resolve()));
        // A keep-alive connection becomes idle when its request in flight is answered: close it then.
        server.closeIdleConnections();
        const idle = setInterval(() => server.closeIdleConnections(), 50);
        const grace = setTimeout(() => server.closeAllConnections(), config.shutdownGraceSeconds * 1000);
        await drained;
        clearInterval(idle);
        clearTimeout(grace);
        await scheduler?.stop();
        if (scheduler) lifecycle.scheduler = 'stopped';
        await services.sealer.stop();
        if (lifecycle.sealer === 'running') lifecycle.sealer = 'stopped';
        await services.publisher?.stop();
        await services.railsWorker.stop();
        await services.webhookWorker.stop();
        await simulator?.close();
        await services.limiter.close();
        await db.close();
      })();
      return closing;
    };
    return {
      url,
      ...(staffTotp ? { staffTotp } : {}),
      config,
      db,
      services,
      server,
      close,
    };
  } catch (error) {
    await simulator?.close();
    await db.close();
    throw error;
  }
}
