import cors from 'cors';
import type { RequestHandler } from 'express';
import type { TokenService } from '../modules/identity/tokens.ts';
import type { WidgetSessions } from '../modules/widgets/service.ts';

/**
 * CORS for browser widgets, and for nothing else. A request is answered for its Origin only when it
 * carries a widget-session token bound to exactly that origin. A preflight carries no token, so it
 * is answered for an origin that some unexpired widget session is bound to; the request itself is
 * then checked against its own token (and refused by the API when the origins differ).
 */
export function widgetCors(tokens: TokenService, sessions: WidgetSessions): RequestHandler {
  return cors((req, callback) => {
    const origin = req.headers.origin;
    const deny = { origin: false };
    if (!origin) return callback(null, deny);
    const allow = {
      origin,
      methods: ['GET', 'POST'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id', 'Last-Event-ID'],
      exposedHeaders: ['X-Request-Id', 'Retry-After'],
      maxAge: 600,
    };
    const decide = async () => {
      if (req.method === 'OPTIONS') return (await sessions.originActive(origin)) ? allow : deny;
      const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
      const claims = match?.[1] ? await tokens.verify(match[1]) : undefined;
      return claims?.sid && claims.origin === origin ? allow : deny;
    };
    decide().then(
      (options) => callback(null, options),
      (error: unknown) => callback(error as Error, deny),
    );
  });
}
