/**
 * The Admin Workbench's back end (Express 5), for the bank's own staff:
 *
 * - serves the page (`src/page/`, bundled once with esbuild at start; the charts library and the
 *   audit verifier are split into chunks the page loads when a screen needs them) under a strict
 *   CSP (helmet): scripts, styles and connections from this origin only, no inline code, no `eval`;
 * - signs staff in THROUGH THE BANK with their password and, when their account has one, a TOTP
 *   code (`<wk-login>` posts to `/bank/v1/auth/token`; the bank answers `mfa_required` until the
 *   code comes). Only bankers and administrators get a session: the back end asks the bank who
 *   signed in (`GET /v1/me`) and refuses anyone else. The bank's access token stays here; the
 *   browser gets an HttpOnly cookie and an opaque per-session handle as its bearer token;
 * - forwards the staff widgets' calls (`/bank/v1/...`, an allowlist) with the session's real token,
 *   only when both the cookie and the handle match. The bank decides what each role may do (a
 *   banker's call to an administrator's route is refused there, 403, and the answer comes back).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import express, { type Request, type Response } from 'express';
import helmet from 'helmet';

export interface WorkbenchOptions {
  /** The Wekeza API, without `/v1` (WEKEZA_API_URL). */
  bankUrl: string;
  /** Minify the page bundle (default true). */
  minify?: boolean;
}

export interface RunningWorkbench {
  url: string;
  server: Server;
  close(): Promise<void>;
}

type StaffRole = 'banker' | 'admin';

interface Session {
  /** The bank's access token: never leaves the back end. */
  bankToken: string;
  /** What the browser holds instead (its bearer token towards /bank). */
  handle: string;
  expiresAt: number;
  /** Who signed in, for the page's navigation (the bank enforces the roles itself). */
  staff: { id: string; roles: StaffRole[]; name: string };
}

const COOKIE = 'wk_workbench_session';
const PAGE_DIR = join(import.meta.dirname, 'page');

/** The calls the staff widgets make; anything else is not forwarded. */
const FORWARDED = [
  /^\/v1\/me$/,
  /^\/v1\/customers$/,
  /^\/v1\/customers\/[^/]+$/,
  /^\/v1\/loan-applications\/[^/]+$/,
  /^\/v1\/loan-applications\/[^/]+\/override$/,
  /^\/v1\/approvals$/,
  /^\/v1\/approvals\/[^/]+$/,
  /^\/v1\/approvals\/[^/]+\/(approve|reject)$/,
  /^\/v1\/risk\/portfolio$/,
  /^\/v1\/risk\/portfolio\/history$/,
  /^\/v1\/risk\/governance$/,
  /^\/v1\/risk\/models$/,
  /^\/v1\/risk\/models\/compare$/,
  /^\/v1\/risk\/models\/[^/]+\/activate$/,
  /^\/v1\/risk\/policy$/,
  /^\/v1\/risk\/policy\/dry-run$/,
  /^\/v1\/audit-events$/,
  /^\/v1\/audit-events\/verify$/,
  /^\/v1\/audit-events\/[^/]+\/proof$/,
  /^\/v1\/audit\/checkpoints\/(latest|[0-9]+)$/,
  /^\/v1\/audit\/sealing$/,
];
/** Public: the audit log's verifying keys (the SDK asks for them without a token). */
const PUBLIC = [/^\/v1\/audit\/public-keys$/];
const REQUEST_HEADERS = ['content-type', 'accept', 'idempotency-key', 'x-request-id'];
const RESPONSE_HEADERS = ['content-type', 'x-request-id', 'retry-after'];

/** The strict policy the page is served under (no 'unsafe-inline', no 'unsafe-eval'). */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  connectSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

function problem(res: Response, status: number, code: string, title: string): void {
  res
    .status(status)
    .type('application/problem+json')
    .send(JSON.stringify({ type: `https://docs.wekeza.dev/problems/${code}`, title, status, code }));
}

function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Bundles the page module (and the widgets' lazy chunks) into memory. */
async function bundlePage(minify: boolean): Promise<Map<string, { body: Uint8Array; type: string }>> {
  const result = await build({
    entryPoints: { app: join(PAGE_DIR, 'main.ts') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify,
    write: false,
    outdir: '/assets',
    conditions: ['@wekeza/source'],
    logLevel: 'silent',
  });
  const assets = new Map<string, { body: Uint8Array; type: string }>();
  for (const file of result.outputFiles) {
    assets.set(`/assets/${file.path.split('/').pop()}`, { body: file.contents, type: 'text/javascript' });
  }
  return assets;
}

export async function createWorkbench(options: WorkbenchOptions): Promise<express.Express> {
  const bankUrl = options.bankUrl.replace(/\/+$/, '');
  const assets = await bundlePage(options.minify ?? true);
  const sessions = new Map<string, Session>();

  const sessionOf = (req: Request): [string, Session] | undefined => {
    const id = cookieOf(req, COOKIE);
    const session = id === undefined ? undefined : sessions.get(id);
    if (id === undefined || session === undefined) return undefined;
    if (session.expiresAt <= Date.now()) {
      sessions.delete(id);
      return undefined;
    }
    return [id, session];
  };

  const app = express();
  app.disable('x-powered-by');
  app.use(
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
      crossOriginEmbedderPolicy: false,
    }),
  );

  app.get('/', (_req, res) => {
    res.sendFile(join(PAGE_DIR, 'index.html'));
  });
  app.get('/styles.css', (_req, res) => {
    res.sendFile(join(PAGE_DIR, 'styles.css'));
  });
  app.get('/assets/:file', (req, res) => {
    const asset = assets.get(req.path);
    if (!asset) return void res.sendStatus(404);
    res.type(asset.type).send(Buffer.from(asset.body));
  });
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // Who is signed in (for the page's navigation); 401 without a session.
  app.get('/session', (req, res) => {
    const current = sessionOf(req);
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!current || bearer === undefined || !sameSecret(bearer, current[1].handle)) {
      return problem(res, 401, 'unauthenticated', 'Authentication required');
    }
    res.setHeader('cache-control', 'no-store');
    res.json(current[1].staff);
  });

  // Sign-in: the back end makes the password grant (with the TOTP code when the bank asks for one).
  app.post('/bank/v1/auth/token', express.json({ limit: '8kb' }), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (body.grant_type !== 'password') {
      return problem(res, 400, 'validation_failed', 'Only the password grant is accepted here');
    }
    const answer = await fetch(`${bankUrl}/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        grant_type: 'password',
        client_id: 'wekeza-web',
        username: body.username,
        password: body.password,
        ...(body.otp !== undefined ? { otp: body.otp } : {}),
      }),
    });
    const text = await answer.text();
    if (!answer.ok) {
      res.status(answer.status).type(answer.headers.get('content-type') ?? 'application/problem+json');
      const requestId = answer.headers.get('x-request-id');
      if (requestId) res.setHeader('x-request-id', requestId);
      return void res.send(text);
    }
    const token = JSON.parse(text) as { access_token: string; expires_in: number };
    // Staff only: ask the bank who this is.
    const me = await fetch(`${bankUrl}/v1/me`, {
      headers: { authorization: `Bearer ${token.access_token}`, accept: 'application/json' },
    });
    const profile = me.ok
      ? ((await me.json()) as { id: string; roles?: string[]; full_name?: string; email?: string })
      : undefined;
    const roles = (profile?.roles ?? []).filter((r): r is StaffRole => r === 'banker' || r === 'admin');
    if (!profile || roles.length === 0) {
      return problem(res, 403, 'forbidden', 'The Admin Workbench is for the bank’s staff only');
    }
    const id = randomBytes(32).toString('base64url');
    const handle = `workbench_${randomBytes(24).toString('base64url')}`;
    sessions.set(id, {
      bankToken: token.access_token,
      handle,
      expiresAt: Date.now() + token.expires_in * 1000,
      staff: { id: profile.id, roles, name: profile.full_name ?? profile.email ?? profile.id },
    });
    res.cookie(COOKIE, id, {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: '/',
      maxAge: token.expires_in * 1000,
    });
    res.json({ access_token: handle, token_type: 'Bearer', expires_in: token.expires_in });
  });

  app.post('/logout', (req, res) => {
    const current = sessionOf(req);
    if (current) sessions.delete(current[0]);
    res.clearCookie(COOKIE, { path: '/' });
    res.redirect(303, '/');
  });

  // Everything else the widgets call: forwarded with the session's bank token.
  app.use('/bank', express.raw({ type: () => true, limit: '64kb' }), async (req, res) => {
    const path = req.path;
    const isPublic = req.method === 'GET' && PUBLIC.some((pattern) => pattern.test(path));
    if (!isPublic && !FORWARDED.some((pattern) => pattern.test(path))) {
      return problem(res, 404, 'not_found', 'Not found');
    }
    const headers: Record<string, string> = {};
    if (!isPublic) {
      const current = sessionOf(req);
      const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!current || bearer === undefined || !sameSecret(bearer, current[1].handle)) {
        return problem(res, 401, 'unauthenticated', 'Authentication required');
      }
      headers.authorization = `Bearer ${current[1].bankToken}`;
    }
    for (const name of REQUEST_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && Buffer.isBuffer(req.body);
    const answer = await fetch(`${bankUrl}${path}${query}`, {
      method: req.method,
      headers,
      ...(hasBody ? { body: new Uint8Array(req.body as Buffer) } : {}),
    });
    res.status(answer.status);
    for (const name of RESPONSE_HEADERS) {
      const value = answer.headers.get(name);
      if (value !== null) res.setHeader(name, value);
    }
    res.setHeader('cache-control', 'no-store');
    res.send(Buffer.from(await answer.arrayBuffer()));
  });

  // The bank being down is a 502 problem the widgets can show, not a crash.
  app.use((error: unknown, _req: Request, res: Response, _next: express.NextFunction) => {
    console.error(error);
    if (!res.headersSent) problem(res, 502, 'bad_gateway', 'The bank could not be reached');
  });
  return app;
}

/** Starts the workbench; `port: 0` picks a free port. */
export async function startWorkbench(
  options: WorkbenchOptions & { port?: number; host?: string },
): Promise<RunningWorkbench> {
  const app = await createWorkbench(options);
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(options.port ?? 3002, host, (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    server,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}
