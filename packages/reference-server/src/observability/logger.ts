import type { DestinationStream, Logger } from 'pino';
import { pino } from 'pino';
import type { LogLevel } from '../config.ts';

/**
 * Names whose values never reach a log line, wherever they appear: a body field, a header, a query
 * parameter, at any depth. Matching ignores case, `-` and `_` (so `client_secret`, `Client-Secret`
 * and `clientSecret` are one name).
 */
const SECRET_NAMES = [
  'password',
  'newpassword',
  'currentpassword',
  'secret',
  'clientsecret',
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'otp',
  'code',
  'totp',
  'recoverycode',
  'recoverycodes',
  'nationalid',
  'apikey',
  'xapikey',
  'signingkey',
  'privatekey',
  'assertion',
];
const SECRET = new Set(SECRET_NAMES);
export const REDACTED = '[REDACTED]';

const normalise = (name: string) => name.toLowerCase().replace(/[-_]/g, '');
export const isSecretName = (name: string) => SECRET.has(normalise(name));

/** A copy of `value` with every secret-named field replaced, at any depth. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[…]';
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>))
      out[key] = isSecretName(key) ? REDACTED : redact(v, depth + 1);
    return out;
  }
  return value;
}

/** Query parameters that name a person (a pay-by-phone lookup): kept out of request logs too. */
const PERSONAL_QUERY = new Set(['phone']);

/** A URL path with the values of secret-named query parameters replaced (`?token=…` → `?token=[REDACTED]`). */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = decodeURIComponentSafe(eq < 0 ? pair : pair.slice(0, eq));
      return eq >= 0 && (isSecretName(name) || PERSONAL_QUERY.has(normalise(name)))
        ? `${pair.slice(0, eq)}=${REDACTED}`
        : pair;
    })
    .join('&');
  return `${url.slice(0, at)}?${query}`;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/**
 * The server's structured JSON logger (pino): one line per event, `time` in ISO 8601, `msg` the
 * message. Every object logged passes through `redact` first (pino's own `redact` option needs
 * fixed paths; bodies have any shape).
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'wekeza-reference-server' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => redact(object) as Record<string, unknown>,
      },
    },
    destination,
  );
}

export type { Logger };
