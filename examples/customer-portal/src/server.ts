/**
 * The Customer Portal's partner back end (Express 5):
 *
 * - serves the page (`src/page/`, bundled once with esbuild at start) under a strict CSP (helmet):
 *   scripts, styles and connections from this origin only, no inline code, no `eval`;
 * - signs the customer in THROUGH THE BANK: `<wk-login>` posts to `/bank/v1/auth/token`, and this
 *   back end makes the password grant itself (`POST {WEKEZA_API_URL}/v1/auth/token`). The bank's
 *   access token stays here, in a server-side session; the browser gets an HttpOnly cookie and, as
 *   `access_token`, an opaque per-session handle it sends back as its bearer token;
 * - forwards the widgets' API calls (`/bank/v1/...`, a small allowlist) to the bank with the
 *   session's real token, only when both the cookie and the handle match (so another site cannot
 *   ride on the cookie: it cannot set an Authorization header).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { build } from 'esbuild';
import express, { type Request, type Response } from 'express';
import helmet from 'helmet';

export interface PortalOptions {
  /** The Wekeza API, without `/v1` (WEKEZA_API_URL). */
  bankUrl: string;
  /** Minify the page bundle (default true). */
  minify?: boolean;
}

export interface RunningPortal {
  url: string;
  server: Server;
  close(): Promise<void>;
}

interface Session {
  /** The bank's access token: never leaves the back end. */
  bankToken: string;
  /** What the browser holds instead (its bearer token towards /bank). */
  handle: string;
  expiresAt: number;
}

const COOKIE = 'wk_portal_session';
const PAGE_DIR = join(import.meta.dirname, 'page');

/** The calls the widgets need; anything else is not forwarded. */
const FORWARDED = [
  /^\/v1\/me$/,
  /^\/v1\/accounts$/,
  /^\/v1\/accounts\/[^/]+$/,
  /^\/v1\/accounts\/[^/]+\/transactions$/,
  /^\/v1\/transfers$/,
  /^\/v1\/transfers\/[^/]+$/,
  // Borrow (issue 12): limit, products, quotes, applications and accepting, loans, payoff, repayments.
  /^\/v1\/credit-limit$/,
  /^\/v1\/loan-products$/,
  /^\/v1\/loan-quotes$/,
  /^\/v1\/loan-applications$/,
  /^\/v1\/loan-applications\/[^/]+$/,
  /^\/v1\/loan-applications\/[^/]+\/accept$/,
  /^\/v1\/loans$/,
  /^\/v1\/loans\/[^/]+$/,
  /^\/v1\/loans\/[^/]+\/payoff$/,
  /^\/v1\/loans\/[^/]+\/repayments$/,
  // Top up / Withdraw (issue 14): the rails and the live event stream.
  /^\/v1\/deposits$/,
  /^\/v1\/deposits\/[^/]+$/,
  /^\/v1\/withdrawals$/,
  /^\/v1\/withdrawals\/[^/]+$/,
  /^\/v1\/events\/stream$/,
  // Save, statements, pay by phone (issue 12).
  /^\/v1\/savings-products$/,
  /^\/v1\/deposit-quotes$/,
  /^\/v1\/accounts\/[^/]+\/close-quote$/,
  /^\/v1\/accounts\/[^/]+\/close$/,
  /^\/v1\/accounts\/[^/]+\/withdrawals-to-wallet$/,
  /^\/v1\/accounts\/[^/]+\/statement$/,
  /^\/v1\/payees\/resolve$/,
  /^\/v1\/payees$/,
  /^\/v1\/payees\/pye_[0-9A-Za-z]+$/,
];
const REQUEST_HEADERS = ['content-type', 'accept', 'idempotency-key', 'x-request-id', 'last-event-id'];
const RESPONSE_HEADERS = ['content-type', 'x-request-id', 'retry-after', 'content-disposition'];

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
    // The workspace packages' sources (no build step needed in this repository).
    conditions: ['@wekeza/source'],
    logLevel: 'silent',
  });
  const assets = new Map<string, { body: Uint8Array; type: string }>();
  for (const file of result.outputFiles) {
    assets.set(`/assets/${file.path.split('/').pop()}`, { body: file.contents, type: 'text/javascript' });
  }
  return assets;
}

export async function createPortal(options: PortalOptions): Promise<express.Express> {
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

  // Sign-in: the back end makes the password grant; the browser gets a cookie and a handle.
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
        // The bank's public first-party client: no secret, password and refresh grants only.
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
    const id = randomBytes(32).toString('base64url');
    const handle = `portal_${randomBytes(24).toString('base64url')}`;
    sessions.set(id, {
      bankToken: token.access_token,
      handle,
      expiresAt: Date.now() + token.expires_in * 1000,
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
  app.use('/bank', express.raw({ type: () => true, limit: '32kb' }), async (req, res) => {
    const path = req.path;
    if (!FORWARDED.some((pattern) => pattern.test(path))) {
      return problem(res, 404, 'not_found', 'Not found');
    }
    const current = sessionOf(req);
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!current || bearer === undefined || !sameSecret(bearer, current[1].handle)) {
      return problem(res, 401, 'unauthenticated', 'Authentication required');
    }
    const headers: Record<string, string> = { authorization: `Bearer ${current[1].bankToken}` };
    for (const name of REQUEST_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && Buffer.isBuffer(req.body);
    // The browser leaving (or a stream it aborts) ends the request to the bank too.
    const upstream = new AbortController();
    res.on('close', () => upstream.abort());
    const answer = await fetch(`${bankUrl}${path}${query}`, {
      method: req.method,
      headers,
      signal: upstream.signal,
      ...(hasBody ? { body: new Uint8Array(req.body as Buffer) } : {}),
    });
    res.status(answer.status);
    for (const name of RESPONSE_HEADERS) {
      const value = answer.headers.get(name);
      if (value !== null) res.setHeader(name, value);
    }
    res.setHeader('cache-control', 'no-store');
    if (
      answer.ok &&
      answer.body &&
      (answer.headers.get('content-type') ?? '').startsWith('text/event-stream')
    ) {
      // The live event stream: passed through as it comes (never buffered), until either side ends it.
      res.flushHeaders();
      Readable.fromWeb(answer.body as NodeReadableStream<Uint8Array>)
        .on('error', () => res.end())
        .pipe(res);
      return;
    }
    res.send(Buffer.from(await answer.arrayBuffer()));
  });

  // The bank being down is a 502 problem the widgets can show, not a crash.
  app.use((error: unknown, _req: Request, res: Response, _next: express.NextFunction) => {
    console.error(error);
    if (!res.headersSent) problem(res, 502, 'bad_gateway', 'The bank could not be reached');
  });
  return app;
}

/** Starts the portal; `port: 0` picks a free port. */
export async function startPortal(
  options: PortalOptions & { port?: number; host?: string },
): Promise<RunningPortal> {
  const app = await createPortal(options);
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(options.port ?? 3001, host, (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    server,
    async close() {
      // Open event streams never end by themselves: close every connection, or close() waits forever.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
