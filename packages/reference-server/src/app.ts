import { createPrivateKey, randomUUID } from 'node:crypto';
import { Problem } from '@wekeza/sdk/contract';
import express, { type Express } from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import { BankClock } from './bank-clock.ts';
import { type Clock, systemClock } from './clock.ts';
import type { Config } from './config.ts';
import { SecretBox } from './crypto/secret-box.ts';
import type { Database } from './db/database.ts';
import { Api } from './http/api.ts';
import { widgetCors } from './http/cors.ts';
import { IdempotencyStore } from './http/idempotency.ts';
import { openApiDocument } from './http/openapi.ts';
import { notFoundHandler, problemHandler, requireJsonBody } from './http/problem.ts';
import { DailyClose } from './jobs/daily-close.ts';
import { Leases } from './jobs/lease.ts';
import { accountRoutes } from './modules/accounts/routes.ts';
import { AccountsService } from './modules/accounts/service.ts';
import { auditPublicKeySet, checkpointSigner } from './modules/audit/checkpoint.ts';
import { keysFromPems, SANDBOX_AUDIT_KEY } from './modules/audit/keys.ts';
import { AuditLog } from './modules/audit/log.ts';
import { auditRoutes } from './modules/audit/routes.ts';
import { AuditSealer } from './modules/audit/sealer.ts';
import { AuditTransparency } from './modules/audit/transparency.ts';
import { EventLog } from './modules/events/log.ts';
import { NatsEventPublisher } from './modules/events/nats-publisher.ts';
import { eventRoutes } from './modules/events/routes.ts';
import { Guesses } from './modules/identity/guesses.ts';
import { RefreshTokens } from './modules/identity/refresh.ts';
import { identityRoutes, OAUTH_PATHS } from './modules/identity/routes.ts';
import { IdentityService } from './modules/identity/service.ts';
import { TokenService } from './modules/identity/tokens.ts';
import { kycRoutes } from './modules/kyc/routes.ts';
import { KycService } from './modules/kyc/service.ts';
import { LedgerDigests } from './modules/ledger/digest.ts';
import { Ledger } from './modules/ledger/ledger.ts';
import { mfaRoutes } from './modules/mfa/routes.ts';
import { MfaService } from './modules/mfa/service.ts';
import { partnerRoutes } from './modules/partners/routes.ts';
import { PartnersService } from './modules/partners/service.ts';
import { sandboxRoutes } from './modules/sandbox/routes.ts';
import { SandboxService } from './modules/sandbox/service.ts';
import { DatabaseRateLimiter, type RateLimiter } from './modules/throttle/limiter.ts';
import { RedisRateLimiter } from './modules/throttle/redis-limiter.ts';
import { transferRoutes } from './modules/transfers/routes.ts';
import { TransfersService } from './modules/transfers/service.ts';
import { widgetRoutes } from './modules/widgets/routes.ts';
import { WidgetSessions } from './modules/widgets/service.ts';
import { observeRequests } from './observability/http.ts';
import {
  countJobs,
  countMoneyMoved,
  countSealed,
  countTransactions,
  scrapeBacklogs,
} from './observability/instrument.ts';
import { Lifecycle } from './observability/lifecycle.ts';
import { createLogger, type Logger } from './observability/logger.ts';
import { Metrics } from './observability/metrics.ts';

export const VERSION = '0.1.0';

export interface AppDeps {
  config: Config;
  db: Database;
  clock?: Clock;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  /** The JSON logger (default: pino on stdout at `config.logLevel`). */
  logger?: Logger;
}

/** The bank's services, wired once; the HTTP routes and the tests use the same instances. */
export interface Services {
  bankClock: BankClock;
  dailyClose: DailyClose;
  leases: Leases;
  ledger: Ledger;
  identity: IdentityService;
  accounts: AccountsService;
  transfers: TransfersService;
  sandbox: SandboxService;
  idempotency: IdempotencyStore;
  tokens: TokenService;
  audit: AuditLog;
  sealer: AuditSealer;
  transparency: AuditTransparency;
  digests: LedgerDigests;
  events: EventLog;
  partners: PartnersService;
  kyc: KycService;
  mfa: MfaService;
  limiter: RateLimiter;
  widgets: WidgetSessions;
  /** Publishes the events outbox to NATS JetStream (only when NATS_URL is set). */
  publisher: NatsEventPublisher | undefined;
  metrics: Metrics;
  logger: Logger;
  lifecycle: Lifecycle;
}

export async function createServices(deps: AppDeps): Promise<Services> {
  const { config, db } = deps;
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? createLogger(config.logLevel);
  const metrics = new Metrics();
  countTransactions(db, metrics);
  // The sandbox test clock may be moved by another instance: its copy is re-read every 2 s.
  const bankClock = new BankClock(db, clock, config.bankTimeZone, config.mode === 'sandbox' ? 2_000 : 0);
  await bankClock.load();
  const leases = new Leases(db, clock);
  const dailyClose = new DailyClose(db, bankClock, leases, clock);
  countJobs(dailyClose, metrics);
  const ledger = new Ledger(db.dialect, clock, bankClock);
  countMoneyMoved(ledger, metrics);
  await ledger.openBankAccounts(db.prisma);
  const tokens = await TokenService.create(config, clock);
  const accounts = new AccountsService(db.prisma, clock);
  const audit = new AuditLog(clock);
  // The checkpoint key comes from the environment (production refuses to start without one); the
  // sandbox signs with a public, fixed key so its checkpoints verify across restarts.
  const auditKey = config.auditSigningKeyPem
    ? createPrivateKey(config.auditSigningKeyPem)
    : config.mode === 'sandbox'
      ? SANDBOX_AUDIT_KEY
      : undefined;
  if (!auditKey) throw new Error('no audit signing key configured');
  const signer = await checkpointSigner(config.auditOrigin, auditKey);
  const sealer = new AuditSealer(db, leases, clock, signer);
  countSealed(sealer, metrics);
  const digests = new LedgerDigests(db, audit, clock);
  dailyClose.register(digests.job());
  const transparency = new AuditTransparency(
    db,
    await auditPublicKeySet([auditKey, ...keysFromPems(config.auditPreviousKeyPems)]),
  );
  const events = new EventLog(clock);
  const publisher = config.nats
    ? new NatsEventPublisher(db, leases, clock, config.nats, {
        published: (stored, duplicates) => {
          metrics.eventsPublished.inc({ outcome: 'stored' }, stored);
          metrics.eventsPublished.inc({ outcome: 'duplicate' }, duplicates);
        },
        failed: () => metrics.publishFailures.inc(),
      })
    : undefined;
  scrapeBacklogs(metrics, db, bankClock, dailyClose, publisher);
  const box = new SecretBox(config.dataKeys);
  // Several instances share these counters either way: in Redis when configured, else in the database.
  const limiter: RateLimiter = config.redisUrl
    ? new RedisRateLimiter(config.redisUrl, clock, `${config.redisKeyPrefix}rl:`)
    : new DatabaseRateLimiter(db, clock);
  const guesses = new Guesses(db, limiter, config.rateLimits, audit);
  const production = config.mode === 'production';
  const kyc = new KycService(db.prisma, db.dialect, bankClock, config.kycTiers, audit);
  const mfa = new MfaService(db.prisma, clock, config.issuer, audit, events, box, guesses, production);
  await mfa.resealSecrets();
  const refresh = new RefreshTokens(db, clock, config.refreshTokenTtlSeconds, audit);
  const identity = new IdentityService(db, tokens, accounts, clock, refresh, mfa, guesses, production);
  const partners = new PartnersService(db.prisma, identity, clock, audit, events);
  return {
    bankClock,
    dailyClose,
    leases,
    ledger,
    tokens,
    accounts,
    audit,
    sealer,
    transparency,
    digests,
    events,
    partners,
    kyc,
    mfa,
    limiter,
    identity,
    transfers: new TransfersService(
      db.prisma,
      ledger,
      clock,
      kyc,
      mfa,
      audit,
      events,
      config.stepUpThresholds,
    ),
    sandbox: new SandboxService(ledger, kyc, audit, bankClock, dailyClose),
    idempotency: new IdempotencyStore(db, clock, config.idempotencyTtlHours, box),
    widgets: new WidgetSessions(db.prisma, tokens, clock, config.widgetSessionTtlSeconds, audit, partners),
    publisher,
    metrics,
    logger,
    lifecycle: new Lifecycle(db, publisher),
  };
}

/** Builds the HTTP application from its dependencies; `start()` listens, tests mount it in-process. */
export async function createApp(
  deps: AppDeps,
  services?: Services,
): Promise<{ app: Express; services: Services; api: Api }> {
  const { config, db } = deps;
  const s = services ?? (await createServices(deps));
  const log = deps.log ?? ((message, fields) => s.logger.error(fields ?? {}, message));

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.set('query parser', 'simple');
  app.use((req, res, next) => {
    const given = req.get('X-Request-Id');
    res.locals.requestId = given && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', res.locals.requestId as string);
    // Shutting down: finish this request, then close its connection so the client goes elsewhere.
    if (s.lifecycle.stopping) res.setHeader('Connection', 'close');
    next();
  });
  app.use(observeRequests(s.logger, s.metrics));
  app.use(helmet());
  app.use(widgetCors(s.tokens, s.widgets));
  app.use(requireJsonBody(OAUTH_PATHS));
  app.use(express.json({ limit: config.bodyLimit, strict: true }));
  // RFC 6749 clients send form-encoded bodies; requireJsonBody lets them through to OAuth paths only.
  app.use(express.urlencoded({ limit: config.bodyLimit, extended: false, parameterLimit: 20 }));

  // Liveness: the process answers and reaches its database. Readiness (below) is stricter.
  app.get('/healthz', async (_req, res) => {
    await db.prisma.$queryRawUnsafe('SELECT 1');
    res.json({ status: 'ok' });
  });
  // Readiness: take traffic only when migrations are done and the instance is not shutting down.
  app.get('/readyz', async (_req, res) => {
    const { ready, checks } = await s.lifecycle.readiness();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks });
  });
  app.get('/metrics', async (req, res) => {
    if (config.metricsToken && req.get('authorization') !== `Bearer ${config.metricsToken}`) {
      res.status(401).setHeader('WWW-Authenticate', 'Bearer').end();
      return;
    }
    const { contentType, body } = await s.metrics.render();
    res.setHeader('Cache-Control', 'no-store');
    res.type(contentType).send(body);
  });

  const router = express.Router();
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  const api = new Api(router, (authorization) => s.identity.authenticate(authorization), s.idempotency, {
    limiter: s.limiter,
    limits: config.rateLimits,
    otpGuard: (userId, work) => s.mfa.guard(userId, work),
  });
  identityRoutes(api, s.identity, s.accounts, s.tokens, config);
  partnerRoutes(api, s.partners, s.identity);
  mfaRoutes(api, s.mfa, s.identity, db);
  widgetRoutes(api, s.widgets);
  kycRoutes(api, s.kyc);
  accountRoutes(api, s.accounts);
  transferRoutes(api, s.transfers);
  auditRoutes(api, s.audit, s.transparency, db.prisma);
  eventRoutes(api, s.events, db.prisma);
  if (config.mode === 'sandbox' && config.sandboxRoutes) sandboxRoutes(api, s.sandbox);

  const document = openApiDocument(api.routes, Problem, { version: VERSION });
  router.get('/v1/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.use(router);
  app.use(
    '/docs',
    swaggerUi.serve,
    swaggerUi.setup(undefined, {
      swaggerOptions: { url: '/v1/openapi.json' },
      customSiteTitle: 'Wekeza API',
    }),
  );

  app.use(notFoundHandler);
  app.use(problemHandler(log, OAUTH_PATHS));
  return { app, services: s, api };
}
