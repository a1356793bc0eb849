import { randomUUID } from 'node:crypto';
import { type CreditBureau, createDefaultEngine, type DecisionEngine, SandboxBureau } from '@wekeza/risk';
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
import { AuditLog } from './modules/audit/log.ts';
import { auditRoutes } from './modules/audit/routes.ts';
import { EventLog } from './modules/events/log.ts';
import { eventRoutes } from './modules/events/routes.ts';
import { Guesses } from './modules/identity/guesses.ts';
import { RefreshTokens } from './modules/identity/refresh.ts';
import { identityRoutes, OAUTH_PATHS } from './modules/identity/routes.ts';
import { IdentityService } from './modules/identity/service.ts';
import { TokenService } from './modules/identity/tokens.ts';
import { kycRoutes } from './modules/kyc/routes.ts';
import { KycService } from './modules/kyc/service.ts';
import { Ledger } from './modules/ledger/ledger.ts';
import { ApplicationsService } from './modules/loans/applications.ts';
import { CreditService } from './modules/loans/credit.ts';
import { LoanJobs } from './modules/loans/daily.ts';
import { LoanBook } from './modules/loans/loan-book.ts';
import { PortfolioService } from './modules/loans/portfolio.ts';
import { LoanProductsService } from './modules/loans/products.ts';
import { loanRoutes } from './modules/loans/routes.ts';
import { LoansService } from './modules/loans/service.ts';
import { mfaRoutes } from './modules/mfa/routes.ts';
import { MfaService } from './modules/mfa/service.ts';
import { partnerRoutes } from './modules/partners/routes.ts';
import { PartnersService } from './modules/partners/service.ts';
import { sandboxRoutes } from './modules/sandbox/routes.ts';
import { SandboxService } from './modules/sandbox/service.ts';
import { RateLimiter } from './modules/throttle/limiter.ts';
import { transferRoutes } from './modules/transfers/routes.ts';
import { TransfersService } from './modules/transfers/service.ts';
import { widgetRoutes } from './modules/widgets/routes.ts';
import { WidgetSessions } from './modules/widgets/service.ts';

export const VERSION = '0.1.0';

export interface AppDeps {
  config: Config;
  db: Database;
  clock?: Clock;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  /**
   * The credit engine: a bank's own scorers and policy (default: @wekeza/risk's shipped champion,
   * its shadow challenger and the default policy).
   */
  decisionEngine?: DecisionEngine;
  /** The credit bureau (default: the sandbox bureau in sandbox mode; none in production, which refers). */
  creditBureau?: CreditBureau;
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
  events: EventLog;
  partners: PartnersService;
  kyc: KycService;
  mfa: MfaService;
  limiter: RateLimiter;
  widgets: WidgetSessions;
  loanProducts: LoanProductsService;
  loans: LoansService;
  loanJobs: LoanJobs;
  credit: CreditService;
  applications: ApplicationsService;
  approvals: ApprovalsService;
  portfolio: PortfolioService;
}

export async function createServices(deps: AppDeps): Promise<Services> {
  const { config, db } = deps;
  const clock = deps.clock ?? systemClock;
  // The sandbox test clock may be moved by another instance: its copy is re-read every 2 s.
  const bankClock = new BankClock(db, clock, config.bankTimeZone, config.mode === 'sandbox' ? 2_000 : 0);
  await bankClock.load();
  const leases = new Leases(db, clock);
  const dailyClose = new DailyClose(db, bankClock, leases, clock);
  const ledger = new Ledger(db.dialect, clock, bankClock);
  await ledger.openBankAccounts(db.prisma);
  const tokens = await TokenService.create(config, clock);
  const accounts = new AccountsService(db.prisma, clock);
  const audit = new AuditLog(db.dialect, clock);
  const events = new EventLog(clock);
  const box = new SecretBox(config.dataKeys);
  const limiter = new RateLimiter(db, clock);
  const guesses = new Guesses(db, limiter, config.rateLimits, audit);
  const production = config.mode === 'production';
  const kyc = new KycService(db.prisma, db.dialect, bankClock, config.kycTiers, audit);
  const mfa = new MfaService(db.prisma, clock, config.issuer, audit, events, box, guesses, production);
  await mfa.resealSecrets();
  const refresh = new RefreshTokens(db, clock, config.refreshTokenTtlSeconds, audit);
  const identity = new IdentityService(db, tokens, accounts, clock, refresh, mfa, guesses, production);
  const partners = new PartnersService(db.prisma, identity, clock, audit, events);
  const loanBook = new LoanBook(db.dialect);
  const loanProducts = new LoanProductsService(db.prisma, clock, audit);
  const loans = new LoansService(db.prisma, ledger, bankClock, clock, audit, events, loanBook);
  const loanJobs = new LoanJobs(db, loans, loanBook, ledger);
  const portfolio = new PortfolioService(db, clock);
  // The daily close runs in API.md's order: interest accrual → due dates, DPD and penalties →
  // (premium sweeps, month-end interest, maturities) → automatic write-offs; then the day's
  // portfolio snapshot.
  dailyClose.register(loanJobs.accrual);
  dailyClose.register(loanJobs.arrears);
  dailyClose.register(loanJobs.writeOff);
  dailyClose.register(portfolio.snapshot);
  const credit = new CreditService(
    db.sql,
    deps.decisionEngine ?? createDefaultEngine(),
    deps.creditBureau ?? (config.mode === 'sandbox' ? new SandboxBureau() : NO_BUREAU),
    bankClock,
    kyc,
    clock,
    { starterLimits: config.loanStarterLimits, bureauTimeoutMs: config.bureauTimeoutMs },
  );
  const approvals = new ApprovalsService(db.prisma, db.dialect, clock, audit);
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
  return {
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
  };
}

/** Builds the HTTP application from its dependencies; `start()` listens, tests mount it in-process. */
export async function createApp(
  deps: AppDeps,
  services?: Services,
): Promise<{ app: Express; services: Services; api: Api }> {
  const { config, db } = deps;
  const log =
    deps.log ?? ((message, fields) => console.error(JSON.stringify({ level: 'error', message, ...fields })));
  const s = services ?? (await createServices(deps));

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.set('query parser', 'simple');
  app.use((req, res, next) => {
    const given = req.get('X-Request-Id');
    res.locals.requestId = given && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', res.locals.requestId as string);
    next();
  });
  app.use(helmet());
  app.use(widgetCors(s.tokens, s.widgets));
  app.use(requireJsonBody(OAUTH_PATHS));
  app.use(express.json({ limit: config.bodyLimit, strict: true }));
  // RFC 6749 clients send form-encoded bodies; requireJsonBody lets them through to OAuth paths only.
  app.use(express.urlencoded({ limit: config.bodyLimit, extended: false, parameterLimit: 20 }));

  app.get('/healthz', async (_req, res) => {
    await db.prisma.$queryRawUnsafe('SELECT 1');
    res.json({ status: 'ok' });
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
  auditRoutes(api, s.audit, db.prisma);
  eventRoutes(api, s.events, db.prisma);
  loanRoutes(api, { ...s });
  approvalRoutes(api, s.approvals);
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
