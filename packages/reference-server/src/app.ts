import { createPrivateKey, randomUUID } from 'node:crypto';
import {
  behaviouralModel,
  behaviouralWoeModel,
  type CreditBureau,
  createDefaultEngine,
  type DecisionEngine,
  type ModelArtifact,
  SandboxBureau,
} from '@wekeza/risk';
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
import { approvalRoutes } from './modules/approvals/routes.ts';
import { ApprovalsService } from './modules/approvals/service.ts';
import { auditPublicKeySet, checkpointSigner } from './modules/audit/checkpoint.ts';
import { keysFromPems, SANDBOX_AUDIT_KEY } from './modules/audit/keys.ts';
import { AuditLog } from './modules/audit/log.ts';
import { auditRoutes } from './modules/audit/routes.ts';
import { AuditSealer } from './modules/audit/sealer.ts';
import { AuditTransparency } from './modules/audit/transparency.ts';
import { EventLog } from './modules/events/log.ts';
import { NatsEventPublisher } from './modules/events/nats-publisher.ts';
import { eventRoutes } from './modules/events/routes.ts';
import { EventStream } from './modules/events/stream.ts';
import { Guesses } from './modules/identity/guesses.ts';
import { RefreshTokens } from './modules/identity/refresh.ts';
import { identityRoutes, OAUTH_PATHS } from './modules/identity/routes.ts';
import { HOME_CURRENCY, IdentityService } from './modules/identity/service.ts';
import { TokenService } from './modules/identity/tokens.ts';
import { kycRoutes } from './modules/kyc/routes.ts';
import { KycService } from './modules/kyc/service.ts';
import { LedgerDigests } from './modules/ledger/digest.ts';
import { Ledger } from './modules/ledger/ledger.ts';
import { ApplicationsService } from './modules/loans/applications.ts';
import { CreditService } from './modules/loans/credit.ts';
import { LoanJobs } from './modules/loans/daily.ts';
import { LoanBook } from './modules/loans/loan-book.ts';
import { loanPaybillTarget } from './modules/loans/paybill.ts';
import { PortfolioService } from './modules/loans/portfolio.ts';
import { LoanProductsService } from './modules/loans/products.ts';
import { loanRoutes } from './modules/loans/routes.ts';
import { LoansService } from './modules/loans/service.ts';
import { mfaRoutes } from './modules/mfa/routes.ts';
import { MfaService } from './modules/mfa/service.ts';
import { partnerRoutes } from './modules/partners/routes.ts';
import { PartnersService } from './modules/partners/service.ts';
import { CallbackGuard } from './modules/rails/callback-guard.ts';
import { DarajaClient } from './modules/rails/mpesa/daraja.ts';
import { MpesaRail } from './modules/rails/mpesa/rail.ts';
import { RailRegistry } from './modules/rails/rail.ts';
import { railRoutes, sandboxRailRoutes } from './modules/rails/routes.ts';
import { RtgsRail } from './modules/rails/rtgs/rail.ts';
import { transportFrom } from './modules/rails/rtgs/transport.ts';
import { RailsService } from './modules/rails/service.ts';
import { RailsWorker } from './modules/rails/worker.ts';
import { riskOpsRoutes } from './modules/risk-ops/routes.ts';
import { RiskOpsService } from './modules/risk-ops/service.ts';
import { sandboxRoutes } from './modules/sandbox/routes.ts';
import { SandboxService } from './modules/sandbox/service.ts';
import { savingsJobs } from './modules/savings/jobs.ts';
import { SavingsProducts } from './modules/savings/products.ts';
import { savingsRoutes } from './modules/savings/routes.ts';
import { SavingsService } from './modules/savings/service.ts';
import { CustomerQueries } from './modules/staff/customers.ts';
import { staffRoutes } from './modules/staff/routes.ts';
import { statementRoutes } from './modules/statements/routes.ts';
import { StatementService } from './modules/statements/service.ts';
import { DatabaseRateLimiter, type RateLimiter } from './modules/throttle/limiter.ts';
import { RedisRateLimiter } from './modules/throttle/redis-limiter.ts';
import { transferRoutes } from './modules/transfers/routes.ts';
import { TransfersService } from './modules/transfers/service.ts';
import { webhookRoutes } from './modules/webhooks/routes.ts';
import { WebhooksService, WebhookWorker } from './modules/webhooks/service.ts';
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
import type { RailsSimulator } from './simulators/server.ts';

export const VERSION = '0.1.0';

export interface AppDeps {
  config: Config;
  db: Database;
  clock?: Clock;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  /** The sandbox's rails simulator, already listening: rails without configured endpoints use it. */
  simulator?: RailsSimulator;
  /**
   * The credit engine: a bank's own scorers and policy (default: @wekeza/risk's shipped champion,
   * its shadow challenger and the default policy).
   */
  decisionEngine?: DecisionEngine;
  /**
   * The artifacts of the engine's models (their training populations, for PSI); default: the
   * shipped behavioural models. A model without one has no PSI.
   */
  modelArtifacts?: ModelArtifact[];
  /** The credit bureau (default: the sandbox bureau in sandbox mode; none in production, which refers). */
  creditBureau?: CreditBureau;
  /** The JSON logger (default: pino on stdout at `config.logLevel`). */
  logger?: Logger;
}

/** Production without a configured bureau: every lookup fails, so the policy refers the case. */
const NO_BUREAU: CreditBureau = {
  name: 'none',
  lookup: () => Promise.reject(new Error('no credit bureau is configured')),
};

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
  rails: RailsService;
  railsWorker: RailsWorker;
  /** Where the rails call back (the sandbox sets it once the server listens). */
  railCallbacks: { base: string };
  callbackGuard: CallbackGuard;
  webhooks: WebhooksService;
  webhookWorker: WebhookWorker;
  eventStream: EventStream;
  simulator: RailsSimulator | undefined;
  savings: SavingsService;
  statements: StatementService;
  loanProducts: LoanProductsService;
  loans: LoansService;
  loanJobs: LoanJobs;
  credit: CreditService;
  applications: ApplicationsService;
  approvals: ApprovalsService;
  portfolio: PortfolioService;
  /** Staff reads of customers: search and the Customer 360 (audited). */
  customers: CustomerQueries;
  /** Risk Ops: the credit policy as data, the models and their governance. */
  riskOps: RiskOpsService;
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
    clock,
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
  scrapeBacklogs(metrics, transparency, bankClock, dailyClose, publisher);
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
  const log =
    deps.log ?? ((message, fields) => console.error(JSON.stringify({ level: 'warn', message, ...fields })));

  // The rails: each configured one (or, in the sandbox, the simulator's), registered like any other.
  const railCallbacks = { base: config.rails.callbackBaseUrl ?? config.publicUrl };
  const callbackUrl = (rail: string) => (kind: string) =>
    `${railCallbacks.base}/v1/rails/${rail}/${kind}/${encodeURIComponent(config.rails.callbackToken)}`;
  const registry = new RailRegistry();
  const mpesaBase = config.rails.mpesa.baseUrl ?? deps.simulator?.url;
  if (mpesaBase)
    registry.register(
      new MpesaRail(
        new DarajaClient(
          { ...config.rails.mpesa, baseUrl: mpesaBase, timeoutMs: config.rails.requestTimeoutMs },
          clock,
        ),
        callbackUrl('mpesa'),
        { registerC2bUrls: config.rails.mpesa.registerC2bUrls },
      ),
    );
  const rtgsTransport =
    config.rails.rtgs.transport ?? (deps.simulator ? `${deps.simulator.url}/rtgs/messages` : undefined);
  if (rtgsTransport)
    registry.register(
      new RtgsRail(
        transportFrom(rtgsTransport, config.rails.requestTimeoutMs),
        {
          bic: config.rails.rtgs.bic,
          clearingSystem: config.rails.rtgs.clearingSystem,
          currencies: config.rails.rtgs.currencies,
        },
        clock,
      ),
    );
  const rails = new RailsService(
    db,
    registry,
    ledger,
    kyc,
    mfa,
    audit,
    events,
    clock,
    bankClock,
    config.rails,
    config.stepUpThresholds,
    log,
  );
  const webhooks = new WebhooksService(db, box, leases, audit, clock, config.webhooks, log);
  webhooks.onFailure = (reason) => metrics.webhookFailures.inc({ reason });
  const savings = new SavingsService(db, accounts, {
    ledger,
    products: new SavingsProducts(db.prisma, clock, bankClock, audit),
    kyc,
    audit,
    events,
    clock,
    bankClock,
    withholdingTaxRate: config.withholdingTaxRate,
  });
  // Each job names its phase of the daily close (JOB_PHASES, in API.md's order).
  const save = savingsJobs(savings, savings.context);
  dailyClose.register(save.accrueSavings);
  dailyClose.register(save.accrueFixedDeposits);
  dailyClose.register(save.postSavingsInterest);
  dailyClose.register(save.matureFixedDeposits);
  const loanBook = new LoanBook(db.dialect);
  const loanProducts = new LoanProductsService(db.prisma, clock, audit);
  const loans = new LoansService(db.prisma, ledger, bankClock, clock, audit, events, loanBook);
  const loanJobs = new LoanJobs(db, loans, loanBook, ledger);
  const portfolio = new PortfolioService(db, clock);
  dailyClose.register(loanJobs.accrual);
  dailyClose.register(loanJobs.arrears);
  dailyClose.register(loanJobs.writeOff);
  dailyClose.register(portfolio.snapshot);
  const engine = deps.decisionEngine ?? createDefaultEngine();
  const credit = new CreditService(
    db.sql,
    engine,
    deps.creditBureau ?? (config.mode === 'sandbox' ? new SandboxBureau() : NO_BUREAU),
    bankClock,
    kyc,
    clock,
    { starterLimits: config.loanStarterLimits, bureauTimeoutMs: config.bureauTimeoutMs },
  );
  const approvals = new ApprovalsService(db.prisma, db.dialect, clock, audit, config.approvalActions);
  const applications = new ApplicationsService(
    db.prisma,
    db.sql,
    db.dialect,
    loanProducts,
    credit,
    loans,
    approvals,
    kyc,
    ledger,
    bankClock,
    clock,
    audit,
    events,
    config.loanApprovalThresholds,
  );
  rails.paybillTarget = loanPaybillTarget(loans);
  const customers = new CustomerQueries(db, audit, bankClock, config.kycTiers, loans, savings);
  const artifacts = deps.modelArtifacts ?? [behaviouralModel(), behaviouralWoeModel()];
  const riskOps = new RiskOpsService(
    db,
    engine,
    new Map(artifacts.map((a) => [`${a.name}@${a.version}`, a])),
    approvals,
    audit,
    clock,
    bankClock,
    credit,
    HOME_CURRENCY,
  );
  return {
    customers,
    riskOps,
    rails,
    railsWorker: new RailsWorker(rails, config.rails.workerIntervalMs, log),
    railCallbacks,
    callbackGuard: new CallbackGuard(config.rails.callbackToken, config.rails.callbackAllow),
    webhooks,
    webhookWorker: new WebhookWorker(webhooks, config.webhooks.intervalMs, log),
    eventStream: new EventStream(db, webhooks.bus, clock, config.webhooks.streamMaxMs),
    simulator: deps.simulator,
    loanProducts,
    loans,
    loanJobs,
    credit,
    applications,
    approvals,
    portfolio,
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
    savings,
    statements: new StatementService(db, accounts, audit, bankClock, clock, {
      name: config.bankName,
      bic: config.bankBic,
      code: config.bankCode,
    }),
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
  // Rail callbacks arrive in the rail's own format (Daraja JSON, ISO 20022 XML): read as text here.
  app.use('/v1/rails', express.text({ type: () => true, limit: config.bodyLimit }), (_req, res, next) => {
    res.locals.bodyRead = true;
    next();
  });
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
  accountRoutes(api, s.accounts, s.savings);
  savingsRoutes(api, s.savings);
  statementRoutes(api, s.statements);
  transferRoutes(api, s.transfers);
  auditRoutes(api, s.audit, s.transparency, db.prisma);
  eventRoutes(api, s.events, db.prisma, s.eventStream);
  railRoutes(api, s.rails, s.callbackGuard);
  webhookRoutes(api, s.webhooks);
  loanRoutes(api, { ...s });
  staffRoutes(api, s.customers, s.approvals, config.loanApprovalThresholds);
  riskOpsRoutes(api, s.riskOps);
  approvalRoutes(api, s.approvals);
  if (config.mode === 'sandbox' && config.sandboxRoutes) {
    sandboxRoutes(api, s.sandbox);
    if (s.simulator) sandboxRailRoutes(api, s.simulator);
  }

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
