import { readFileSync } from 'node:fs';

export type Mode = 'sandbox' | 'production';

/** Everything the server reads from its environment (API.md "Running the server"). */
export interface Config {
  mode: Mode;
  port: number;
  databaseUrl: string;
  /** PKCS#8 PEM of the Ed25519 key that signs access tokens; generated per process in sandbox when absent. */
  signingKeyPem: string | undefined;
  issuer: string;
  audience: string;
  accessTokenTtlSeconds: number;
  sandboxPassword: string;
  sandboxPartnerSecret: string;
  bodyLimit: string;
  bankTimeZone: string;
  /** How long idempotency keys are kept (API.md: at least 24 h). */
  idempotencyTtlHours: number;
}

export const SANDBOX_DEFAULT_PASSWORD = 'sandbox-pass-123';
export const SANDBOX_DEFAULT_PARTNER_SECRET = 'sandbox-partner-secret';
export const DEFAULT_DATABASE_URL = 'file:./.data/wekeza.db';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

/** Reads `NAME`, or the contents of the file named by `NAME_FILE` (for secrets mounted as files). */
function secret(env: Env, name: string): string | undefined {
  const file = env[`${name}_FILE`];
  if (file) return readFileSync(file, 'utf8').trim();
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^[0-9]+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

export function loadConfig(env: Env = process.env): Config {
  const mode = (env.WEKEZA_MODE ?? 'sandbox') as Mode;
  if (mode !== 'sandbox' && mode !== 'production') {
    throw new ConfigError(`WEKEZA_MODE must be "sandbox" or "production", got "${mode}"`);
  }
  const config: Config = {
    mode,
    port: integer(env, 'PORT', 3000, 0, 65535),
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    signingKeyPem: secret(env, 'WEKEZA_SIGNING_KEY'),
    issuer: env.WEKEZA_ISSUER || (mode === 'sandbox' ? 'https://sandbox.wekeza.local' : ''),
    audience: env.WEKEZA_AUDIENCE || 'wekeza-api',
    accessTokenTtlSeconds: integer(env, 'WEKEZA_ACCESS_TOKEN_TTL', 900, 60, 900),
    sandboxPassword: secret(env, 'SANDBOX_PASSWORD') ?? SANDBOX_DEFAULT_PASSWORD,
    sandboxPartnerSecret: secret(env, 'SANDBOX_PARTNER_SECRET') ?? SANDBOX_DEFAULT_PARTNER_SECRET,
    bodyLimit: env.WEKEZA_BODY_LIMIT || '32kb',
    bankTimeZone: env.WEKEZA_TIME_ZONE || 'Africa/Nairobi',
    idempotencyTtlHours: integer(env, 'WEKEZA_IDEMPOTENCY_TTL_HOURS', 48, 24, 24 * 90),
  };
  if (mode === 'production') assertProductionReady(config, env);
  return config;
}

/** Production refuses to start on anything that only makes sense in the sandbox. */
function assertProductionReady(config: Config, env: Env): void {
  const problems: string[] = [];
  if (!config.signingKeyPem) problems.push('WEKEZA_SIGNING_KEY (or WEKEZA_SIGNING_KEY_FILE) is not set');
  if (!config.issuer) problems.push('WEKEZA_ISSUER is not set');
  if (!config.databaseUrl.startsWith('mysql://'))
    problems.push('DATABASE_URL must be a mysql:// URL (SQLite is for the sandbox)');
  if (secret(env, 'SANDBOX_PASSWORD') || secret(env, 'SANDBOX_PARTNER_SECRET')) {
    problems.push('SANDBOX_PASSWORD / SANDBOX_PARTNER_SECRET must not be set in production');
  }
  if (problems.length > 0)
    throw new ConfigError(`refusing to start in production:\n  - ${problems.join('\n  - ')}`);
}
