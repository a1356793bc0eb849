import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from './logger.ts';
import { redact, redactUrl } from './logger.ts';
import type { Metrics } from './metrics.ts';

/** The route template of a request (`/v1/accounts/{id}`), never its raw path, for logs and metrics. */
export function routeOf(req: Request, res: Response): string {
  const declared = res.locals.route as string | undefined;
  if (declared) return declared;
  if (req.route?.path) return `${req.baseUrl}${String(req.route.path)}`;
  return 'unmatched';
}

/**
 * One structured log line and one latency observation per request, when it finishes: request id,
 * principal id, method, route template, status, duration. At `debug` the line also carries the
 * request's headers, query and body, with every secret redacted (`redact`). A request whose client
 * went away before the answer is logged as `aborted`.
 */
export function observeRequests(logger: Logger, metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    metrics.httpInFlight.inc();
    let done = false;
    const finish = (aborted: boolean) => {
      if (done) return;
      done = true;
      metrics.httpInFlight.dec();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeOf(req, res);
      const status = aborted && !res.headersSent ? 499 : res.statusCode;
      metrics.httpDuration.observe({ method: req.method, route, status: String(status) }, seconds);
      const fields: Record<string, unknown> = {
        request_id: res.locals.requestId,
        principal_id: res.locals.principalId ?? null,
        method: req.method,
        route,
        url: redactUrl(req.originalUrl),
        status,
        duration_ms: Math.round(seconds * 1e4) / 10,
      };
      if (aborted) fields.aborted = true;
      if (logger.isLevelEnabled('debug')) {
        fields.headers = redact(req.headers);
        fields.query = redact(req.query);
        if (req.body !== undefined) fields.body = redact(req.body);
      }
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      // Probes and scrapes every few seconds would drown the log: they are logged at debug.
      const quiet = route === '/healthz' || route === '/readyz' || route === '/metrics';
      logger[quiet && status < 500 ? 'debug' : level](fields, 'request');
    };
    res.once('finish', () => finish(false));
    res.once('close', () => finish(!res.writableFinished));
    next();
  };
}
