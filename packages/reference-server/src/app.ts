import { randomUUID } from 'node:crypto';
import { Problem } from '@wekeza/sdk/contract';
import express, { type Express } from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import { type Clock, systemClock } from './clock.ts';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { Api } from './http/api.ts';
import { IdempotencyStore } from './http/idempotency.ts';
import { openApiDocument } from './http/openapi.ts';
import { notFoundHandler, problemHandler, requireJsonBody } from './http/problem.ts';
import { accountRoutes } from './modules/accounts/routes.ts';
import { AccountsService } from './modules/accounts/service.ts';
import { identityRoutes } from './modules/identity/routes.ts';
import { IdentityService } from './modules/identity/service.ts';
import { TokenService } from './modules/identity/tokens.ts';
import { Ledger } from './modules/ledger/ledger.ts';
import { sandboxRoutes } from './modules/sandbox/routes.ts';
import { SandboxService } from './modules/sandbox/service.ts';
import { transferRoutes } from './modules/transfers/routes.ts';
import { TransfersService } from './modules/transfers/service.ts';

export const VERSION = '0.1.0';

export interface AppDeps {
  config: Config;
  db: Database;
  clock?: Clock;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/** The bank's services, wired once; the HTTP routes and the tests use the same instances. */
export interface Services {
  ledger: Ledger;
  identity: IdentityService;
  accounts: AccountsService;
  transfers: TransfersService;
  sandbox: SandboxService;
  idempotency: IdempotencyStore;
  tokens: TokenService;
}

export async function createServices(deps: AppDeps): Promise<Services> {
  const { config, db } = deps;
  const clock = deps.clock ?? systemClock;
  const ledger = new Ledger(db.dialect, clock, config.bankTimeZone);
  await ledger.openBankAccounts(db.prisma);
  const tokens = await TokenService.create(config, clock);
  const accounts = new AccountsService(db.prisma, clock);
  return {
    ledger,
    tokens,
    accounts,
    identity: new IdentityService(db.prisma, tokens, accounts, clock),
    transfers: new TransfersService(db.prisma, ledger, clock),
    sandbox: new SandboxService(ledger),
    idempotency: new IdempotencyStore(db, clock, config.idempotencyTtlHours),
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
  app.use(requireJsonBody);
  app.use(express.json({ limit: config.bodyLimit, strict: true }));

  app.get('/healthz', async (_req, res) => {
    await db.prisma.$queryRawUnsafe('SELECT 1');
    res.json({ status: 'ok' });
  });

  const router = express.Router();
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  const api = new Api(router, (authorization) => s.identity.authenticate(authorization), s.idempotency);
  identityRoutes(api, s.identity, s.accounts, s.tokens);
  accountRoutes(api, s.accounts);
  transferRoutes(api, s.transfers);
  if (config.mode === 'sandbox') sandboxRoutes(api, s.sandbox);

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
  app.use(problemHandler(log));
  return { app, services: s, api };
}
