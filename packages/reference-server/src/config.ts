import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SANDBOX_SIGNING_KEY, SANDBOX_SIGNING_KEY_PEM } from './crypto/sandbox-keys.ts';
import { type DataKey, parseDataKeys, SANDBOX_DATA_KEY } from './crypto/secret-box.ts';
import { SANDBOX_AUDIT_KEY, sameKey } from './modules/audit/keys.ts';
import {
  DEFAULT_STEP_UP,
  DEFAULT_TIERS,
  parseStepUp,
  parseTierTable,
  type TierTable,
} from './modules/kyc/tiers.ts';

export type Mode = 'sandbox' | 'production';

/** Everything the server reads from its environment (API.md "Running the server"). */
export interface Config {
  mode: Mode;
  port: number;
  /** The interface to listen on (`HOST`, default 127.0.0.1; `0.0.0.0` in a container). */
  host: string;
  databaseUrl: string;
  /**
   * PKCS#8 PEM of the Ed25519 key that signs access tokens. The sandbox falls back to a public key
   * derived from a fixed phrase, so every instance and every restart accepts every token.
   */
  signingKeyPem: string | undefined;
  issuer: string;
  /** Where clients reach the API (OAuth metadata's endpoints); defaults to the issuer. */
  publicUrl: string;
  audience: string;
  accessTokenTtlSeconds: number;
  sandboxPassword: string;
  sandboxPartnerSecret: string;
  bodyLimit: string;
  bankTimeZone: string;
  /** How long idempotency keys are kept (API.md: at least 24 h). */
  idempotencyTtlHours: number;
  /**
   * Previous signing keys (PKCS#8 private or SPKI public PEM, several concatenated), published in the
   * JWKS and accepted for verification only, so tokens signed before a key rotation keep working.
   */
  previousSigningKeyPems: string[];
  /** Lifetime of a refresh-token family member (default 30 days). */
  refreshTokenTtlSeconds: number;
  /** Lifetime of a widget session (at most 15 minutes). */
  widgetSessionTtlSeconds: number;
  /** KYC tier limits per currency (WEKEZA_KYC_TIERS, JSON). */
  kycTiers: TierTable;
  /** Outgoing-transfer amount above which TOTP step-up is needed, per currency (WEKEZA_STEP_UP_THRESHOLDS, JSON). */
  stepUpThresholds: Record<string, bigint>;
  rateLimits: RateLimitConfig;
  /** How often `serve` checks whether a bank day is over and closes it (seconds; 0 = never, e.g. in tests). */
  jobsIntervalSeconds: number;
  /** `WEKEZA_SANDBOX_ROUTES=off` drops the sandbox routes in sandbox mode; production never has them. */
  sandboxRoutes: boolean;
  /**
   * Keys that encrypt stored secrets (TOTP secrets, idempotent answers holding tokens or recovery
   * codes): `WEKEZA_ENCRYPTION_KEYS`, current first. The sandbox falls back to a public key.
   */
  dataKeys: DataKey[];
  /**
   * The Ed25519 key that signs audit checkpoints (PKCS#8 PEM), never stored in the database;
   * previous keys (private or public PEM) stay published so older checkpoints still verify.
   */
  auditSigningKeyPem: string | undefined;
  auditPreviousKeyPems: string[];
  /** The audit log's name, the first line of every checkpoint (e.g. `bank.example/audit`). */
  auditOrigin: string;
  /** How often the sealer looks for events to seal (ms; 0 = never, e.g. a tool that only reads). */
  auditSealIntervalMs: number;
  /** Withholding tax on interest paid to customers (WEKEZA_WITHHOLDING_TAX_RATE, default "0.15", Kenya's resident rate). */
  withholdingTaxRate: string;
  /** The bank's name on statements (WEKEZA_BANK_NAME). */
  bankName: string;
  /** The bank's BIC (WEKEZA_BANK_BIC) and national bank code (WEKEZA_BANK_CODE), for camt.053 statements. */
  bankBic: string | undefined;
  bankCode: string | undefined;
  /** Banker overrides approving more than this (per currency) need a second banker (WEKEZA_LOAN_APPROVAL_THRESHOLDS). */
  loanApprovalThresholds: Record<string, bigint>;
  /** What a customer too new to score may borrow, per currency (WEKEZA_LOAN_STARTER_LIMITS; 0 refers them). */
  loanStarterLimits: Record<string, bigint>;
  /**
   * The actions a second member of staff must approve (maker-checker), from WEKEZA_APPROVAL_ACTIONS
   * (comma-separated; default `loan_override,risk_policy_change,model_activation`; `none` for none).
   * An action not listed applies at once and is audited.
   */
  approvalActions: string[];
  /**
   * Sandbox: seed the demo portfolio at start-up (WEKEZA_SANDBOX_PORTFOLIO=1; size from
   * WEKEZA_SANDBOX_PORTFOLIO_CUSTOMERS, _MONTHS, _SEED). Off by default so tests stay fast.
   */
  sandboxPortfolio: { customers: number; months: number; seed: number } | undefined;
  /** Sandbox: the seeded staff sign in with TOTP; their secrets are printed at start-up (WEKEZA_SANDBOX_STAFF_TOTP=1). */
  sandboxStaffTotp: boolean;
  /** How long the credit bureau may take before it counts as unavailable (WEKEZA_BUREAU_TIMEOUT_MS). */
  bureauTimeoutMs: number;
  /** `REDIS_URL`: rate limits and lockout counters live in Redis (sliding windows) instead of the database. */
  redisUrl: string | undefined;
  /** Prefixes every Redis key (`REDIS_KEY_PREFIX`, default `wekeza:`), so banks can share one Redis. */
  redisKeyPrefix: string;
  /** `NATS_URL`: the events outbox is also published to NATS JetStream. */
  nats: NatsConfig | undefined;
  /** pino's level for the JSON logs (`WEKEZA_LOG_LEVEL`, default `info`). */
  logLevel: LogLevel;
  /** When set, `/metrics` answers only requests with `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
  /** How long SIGTERM waits for requests in flight before closing their connections (seconds). */
  shutdownGraceSeconds: number;
  /**
   * `serve` applies pending migrations before it listens (`WEKEZA_MIGRATE_ON_START`, default on).
   * Off for a run-time database user without CREATE rights: `wekeza-server migrate` runs them.
   */
  migrateOnStart: boolean;
  /** Rails (M-Pesa, RTGS): endpoints, credentials, callbacks and timing (docs/rails.md). */
  rails: RailsConfig;
  /** Webhook delivery and the event stream (docs/events.md). */
  webhooks: WebhooksConfig;
}

/** WEKEZA_MPESA_*, WEKEZA_RTGS_*, WEKEZA_RAILS_* (docs/rails.md "Production configuration"). */
export interface RailsConfig {
  /** The secret path segment of every callback URL (`/v1/rails/{rail}/{kind}/{token}`). */
  callbackToken: string;
  /** Where the rails reach this bank (callback URLs); in the sandbox, where the server listens. */
  callbackBaseUrl: string | undefined;
  /** Source addresses (IPs or CIDRs) allowed to call back, per rail. */
  callbackAllow: Record<'mpesa' | 'rtgs', string[]>;
  /** Daraja; undefined in the sandbox until the simulator listens (its URL then fills `baseUrl`). */
  mpesa: {
    baseUrl: string | undefined;
    consumerKey: string;
    consumerSecret: string;
    shortcode: string;
    passkey: string;
    b2cShortcode: string;
    initiatorName: string;
    securityCredential: string;
    registerC2bUrls: boolean;
  };
  rtgs: { transport: string | undefined; bic: string; clearingSystem: string; currencies: string[] };
  /** How long an unanswered STK request stays pending before it is marked failed. */
  stkTimeoutMs: number;
  /** A payout without an answer is first asked about after this long, then at growing intervals up to `payoutCheckMaxMs`. */
  payoutFirstCheckMs: number;
  payoutCheckMaxMs: number;
  /** A payout still unknown after this long raises a staff alert (its money stays held). */
  payoutAlertAfterMs: number;
  /** A rail success that names no request we know is credited to suspense after this long. */
  orphanAfterMs: number;
  /** How often the rails worker runs (0: never, e.g. a CLI). */
  workerIntervalMs: number;
  requestTimeoutMs: number;
  /** Sandbox: start the rails simulator on this port (0: any free port). */
  simulatorPort: number;
}

export interface WebhooksConfig {
  /** How often the event sequencer and the delivery worker run (0: never). */
  intervalMs: number;
  /** Retry schedule: the first retry after `retryBaseMs`, then doubling (with jitter), `maxAttempts` in all. */
  retryBaseMs: number;
  retryMaxMs: number;
  maxAttempts: number;
  requestTimeoutMs: number;
  /** Sandbox only: also allow http://127.0.0.1 endpoints. */
  allowLoopbackHttp: boolean;
  /** How long one event stream stays open before the client reconnects. */
  streamMaxMs: number;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Where and how the outbox is published to NATS JetStream (docs/operations.md, "Events to NATS"). */
export interface NatsConfig {
  url: string;
  /** The JetStream stream the bank's events go to (created if missing), default `WEKEZA_EVENTS`. */
  stream: string;
  /** Subjects are `<prefix>.<event type>`, e.g. `wekeza.events.transfer.created`. */
  subjectPrefix: string;
  /** How often the publisher looks for new events (ms). */
  intervalMs: number;
  /**
   * How far back every pass looks again (ms). Transactions commit out of id order, so a pass
   * re-reads this much before its watermark; JetStream drops what it already has by message id.
   */
  safetyWindowMs: number;
}

/** Requests per address per minute, and the per-username sign-in lockout. */
export interface RateLimitConfig {
  signupPerMinute: number;
  signinPerMinute: number;
  otpPerMinute: number;
  /** Failed sign-ins per username before it is locked out for the rest of the window (default 10). */
  failedSigninMax: number;
  /** The lockout window in seconds (default 900 = 15 min). */
  failedSigninWindowSeconds: number;
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

/** A JSON setting parsed by `parse`, or its default. */
function json<T>(env: Env, name: string, fallback: T, parse: (raw: string) => T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  try {
    return parse(raw);
  } catch (error) {
    throw new ConfigError(`${name} is not valid: ${(error as Error).message}`);
  }
}

/** Splits concatenated PEM blocks. */
function pemBlocks(text: string | undefined): string[] {
  return text?.match(/-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----/g) ?? [];
}

export function loadConfig(env: Env = process.env): Config {
  const mode = (env.WEKEZA_MODE ?? 'sandbox') as Mode;
  if (mode !== 'sandbox' && mode !== 'production') {
    throw new ConfigError(`WEKEZA_MODE must be "sandbox" or "production", got "${mode}"`);
  }
  const sandbox = mode === 'sandbox';
  const issuer = env.WEKEZA_ISSUER || (mode === 'sandbox' ? 'https://sandbox.wekeza.local' : '');
  const config: Config = {
    mode,
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    signingKeyPem: secret(env, 'WEKEZA_SIGNING_KEY') ?? (sandbox ? SANDBOX_SIGNING_KEY_PEM : undefined),
    issuer,
    publicUrl: (env.WEKEZA_PUBLIC_URL || issuer).replace(/\/+$/, ''),
    audience: env.WEKEZA_AUDIENCE || 'wekeza-api',
    accessTokenTtlSeconds: integer(env, 'WEKEZA_ACCESS_TOKEN_TTL', 900, 60, 900),
    sandboxPassword: secret(env, 'SANDBOX_PASSWORD') ?? SANDBOX_DEFAULT_PASSWORD,
    sandboxPartnerSecret: secret(env, 'SANDBOX_PARTNER_SECRET') ?? SANDBOX_DEFAULT_PARTNER_SECRET,
    bodyLimit: env.WEKEZA_BODY_LIMIT || '32kb',
    bankTimeZone: env.WEKEZA_TIME_ZONE || 'Africa/Nairobi',
    idempotencyTtlHours: integer(env, 'WEKEZA_IDEMPOTENCY_TTL_HOURS', 48, 24, 24 * 90),
    previousSigningKeyPems: pemBlocks(secret(env, 'WEKEZA_SIGNING_KEY_PREVIOUS')),
    refreshTokenTtlSeconds: integer(env, 'WEKEZA_REFRESH_TOKEN_TTL', 30 * 86_400, 300, 90 * 86_400),
    widgetSessionTtlSeconds: integer(env, 'WEKEZA_WIDGET_SESSION_TTL', 900, 60, 900),
    kycTiers: json(env, 'WEKEZA_KYC_TIERS', DEFAULT_TIERS, parseTierTable),
    stepUpThresholds: json(env, 'WEKEZA_STEP_UP_THRESHOLDS', DEFAULT_STEP_UP, parseStepUp),
    rateLimits: {
      // Sandbox defaults let automated tests run; production defaults suit people.
      signupPerMinute: integer(env, 'WEKEZA_RATE_SIGNUP_PER_MINUTE', sandbox ? 600 : 20, 1, 1_000_000),
      signinPerMinute: integer(env, 'WEKEZA_RATE_SIGNIN_PER_MINUTE', sandbox ? 600 : 60, 1, 1_000_000),
      otpPerMinute: integer(env, 'WEKEZA_RATE_OTP_PER_MINUTE', sandbox ? 600 : 30, 1, 1_000_000),
      failedSigninMax: integer(env, 'WEKEZA_LOCKOUT_FAILURES', 10, 1, 1000),
      failedSigninWindowSeconds: integer(env, 'WEKEZA_LOCKOUT_WINDOW_SECONDS', 900, 60, 86_400),
    },
    sandboxRoutes: sandbox && env.WEKEZA_SANDBOX_ROUTES !== 'off',
    jobsIntervalSeconds: integer(env, 'WEKEZA_JOBS_INTERVAL_SECONDS', 60, 0, 86_400),
    dataKeys: dataKeys(env, sandbox),
    auditSigningKeyPem: secret(env, 'WEKEZA_AUDIT_SIGNING_KEY'),
    auditPreviousKeyPems: pemBlocks(secret(env, 'WEKEZA_AUDIT_SIGNING_KEY_PREVIOUS')),
    auditOrigin: env.WEKEZA_AUDIT_ORIGIN || `${issuerHost(issuer) ?? 'sandbox.wekeza.local'}/audit`,
    auditSealIntervalMs: integer(env, 'WEKEZA_AUDIT_SEAL_INTERVAL_MS', 200, 0, 60_000),
    rails: railsConfig(env, sandbox),
    webhooks: {
      intervalMs: integer(env, 'WEKEZA_WEBHOOK_INTERVAL_MS', 250, 0, 3_600_000),
      retryBaseMs: integer(env, 'WEKEZA_WEBHOOK_RETRY_BASE_MS', 5_000, 1, 86_400_000),
      retryMaxMs: integer(env, 'WEKEZA_WEBHOOK_RETRY_MAX_MS', 10 * 3_600_000, 1, 7 * 86_400_000),
      maxAttempts: integer(env, 'WEKEZA_WEBHOOK_MAX_ATTEMPTS', 8, 1, 50),
      requestTimeoutMs: integer(env, 'WEKEZA_WEBHOOK_TIMEOUT_MS', 15_000, 100, 120_000),
      allowLoopbackHttp: sandbox,
      streamMaxMs: integer(env, 'WEKEZA_EVENT_STREAM_MAX_MS', 300_000, 1_000, 3_600_000),
    },
    withholdingTaxRate: taxRate(env),
    bankName: env.WEKEZA_BANK_NAME || (sandbox ? 'Wekeza Sandbox Bank' : 'Wekeza Bank'),
    bankBic: bankIdentifier(env, 'WEKEZA_BANK_BIC', /^[A-Z0-9]{8}([A-Z0-9]{3})?$/),
    bankCode:
      bankIdentifier(env, 'WEKEZA_BANK_CODE', /^[A-Za-z0-9-]{1,35}$/) ?? (sandbox ? 'SANDBOX' : undefined),
    loanApprovalThresholds: json(env, 'WEKEZA_LOAN_APPROVAL_THRESHOLDS', { KES: 5_000_000n }, parseStepUp),
    loanStarterLimits: json(env, 'WEKEZA_LOAN_STARTER_LIMITS', { KES: 100_000n }, parseStepUp),
    approvalActions: approvalActions(env),
    sandboxPortfolio:
      env.WEKEZA_SANDBOX_PORTFOLIO === '1'
        ? {
            customers: integer(env, 'WEKEZA_SANDBOX_PORTFOLIO_CUSTOMERS', 300, 2, 5_000),
            months: integer(env, 'WEKEZA_SANDBOX_PORTFOLIO_MONTHS', 6, 2, 36),
            seed: integer(env, 'WEKEZA_SANDBOX_PORTFOLIO_SEED', 2026, 0, 2_147_483_647),
          }
        : undefined,
    sandboxStaffTotp: env.WEKEZA_SANDBOX_STAFF_TOTP === '1',
    bureauTimeoutMs: integer(env, 'WEKEZA_BUREAU_TIMEOUT_MS', 1500, 50, 60_000),
    redisUrl: secret(env, 'REDIS_URL'),
    redisKeyPrefix: env.REDIS_KEY_PREFIX || 'wekeza:',
    nats: natsConfig(env),
    logLevel: logLevel(env),
    metricsToken: secret(env, 'WEKEZA_METRICS_TOKEN'),
    shutdownGraceSeconds: integer(env, 'WEKEZA_SHUTDOWN_GRACE_SECONDS', 25, 0, 3_600),
    migrateOnStart: env.WEKEZA_MIGRATE_ON_START !== 'off',
  };
  if (mode === 'production') assertProductionReady(config, env);
  return config;
}

function isSandboxSigningKey(pem: string): boolean {
  try {
    return sameKey(createPrivateKey(pem), SANDBOX_SIGNING_KEY);
  } catch {
    return false; // not a key at all: TokenService refuses it at start-up
  }
}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function logLevel(env: Env): LogLevel {
  const raw = env.WEKEZA_LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(raw as LogLevel))
    throw new ConfigError(`WEKEZA_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  return raw as LogLevel;
}

function natsConfig(env: Env): NatsConfig | undefined {
  const url = secret(env, 'NATS_URL');
  if (!url) return undefined;
  const stream = env.WEKEZA_NATS_STREAM || 'WEKEZA_EVENTS';
  const subjectPrefix = env.WEKEZA_NATS_SUBJECT_PREFIX || 'wekeza.events';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(stream))
    throw new ConfigError(`WEKEZA_NATS_STREAM must be letters, digits, - or _, got "${stream}"`);
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(subjectPrefix))
    throw new ConfigError(`WEKEZA_NATS_SUBJECT_PREFIX must be dot-separated tokens, got "${subjectPrefix}"`);
  return {
    url,
    stream,
    subjectPrefix,
    intervalMs: integer(env, 'WEKEZA_NATS_PUBLISH_INTERVAL_MS', 500, 50, 60_000),
    safetyWindowMs: integer(env, 'WEKEZA_NATS_SAFETY_WINDOW_MS', 60_000, 1_000, 3_600_000),
  };
}

function issuerHost(issuer: string): string | undefined {
  try {
    return new URL(issuer).host || undefined;
  } catch {
    return undefined;
  }
}

/** The sandbox's public callback token and simulator credentials; production must set its own. */
export const SANDBOX_CALLBACK_TOKEN = 'sandbox-callback-token';

function list(env: Env, name: string, fallback: string[]): string[] {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function railsConfig(env: Env, sandbox: boolean): RailsConfig {
  const need = (name: string, sandboxValue: string) => secret(env, name) ?? (sandbox ? sandboxValue : '');
  const loopback = ['127.0.0.1/32', '::1/128'];
  return {
    callbackToken: need('WEKEZA_RAILS_CALLBACK_TOKEN', SANDBOX_CALLBACK_TOKEN),
    callbackBaseUrl: env.WEKEZA_RAILS_CALLBACK_URL?.replace(/\/+$/, '') || undefined,
    callbackAllow: {
      mpesa: list(env, 'WEKEZA_MPESA_CALLBACK_ALLOW', sandbox ? loopback : []),
      rtgs: list(env, 'WEKEZA_RTGS_CALLBACK_ALLOW', sandbox ? loopback : []),
    },
    mpesa: {
      baseUrl: env.WEKEZA_MPESA_BASE_URL?.replace(/\/+$/, '') || undefined,
      consumerKey: need('WEKEZA_MPESA_CONSUMER_KEY', 'sandbox-consumer-key'),
      consumerSecret: need('WEKEZA_MPESA_CONSUMER_SECRET', 'sandbox-consumer-secret'),
      shortcode: env.WEKEZA_MPESA_SHORTCODE || (sandbox ? '174379' : ''),
      passkey: need('WEKEZA_MPESA_PASSKEY', 'sandbox-passkey'),
      b2cShortcode: env.WEKEZA_MPESA_B2C_SHORTCODE || env.WEKEZA_MPESA_SHORTCODE || (sandbox ? '600000' : ''),
      initiatorName: env.WEKEZA_MPESA_INITIATOR_NAME || (sandbox ? 'wekeza-api' : ''),
      securityCredential: need('WEKEZA_MPESA_SECURITY_CREDENTIAL', 'sandbox-security-credential'),
      registerC2bUrls: (env.WEKEZA_MPESA_REGISTER_C2B ?? (sandbox ? 'on' : 'off')) === 'on',
    },
    rtgs: {
      transport: env.WEKEZA_RTGS_TRANSPORT || undefined,
      bic: env.WEKEZA_RTGS_BIC || (sandbox ? 'WEKZKENA' : ''),
      clearingSystem: env.WEKEZA_RTGS_CLEARING_SYSTEM || 'KEPSS',
      currencies: list(env, 'WEKEZA_RTGS_CURRENCIES', ['KES']),
    },
    stkTimeoutMs: integer(env, 'WEKEZA_STK_TIMEOUT_MS', 180_000, 100, 86_400_000),
    payoutFirstCheckMs: integer(env, 'WEKEZA_PAYOUT_FIRST_CHECK_MS', 120_000, 50, 86_400_000),
    payoutCheckMaxMs: integer(env, 'WEKEZA_PAYOUT_CHECK_MAX_MS', 3_600_000, 50, 86_400_000),
    payoutAlertAfterMs: integer(env, 'WEKEZA_PAYOUT_ALERT_AFTER_MS', 24 * 3_600_000, 100, 30 * 86_400_000),
    orphanAfterMs: integer(env, 'WEKEZA_RAIL_ORPHAN_AFTER_MS', 3_600_000, 100, 30 * 86_400_000),
    workerIntervalMs: integer(env, 'WEKEZA_RAILS_INTERVAL_MS', 1_000, 0, 3_600_000),
    requestTimeoutMs: integer(env, 'WEKEZA_RAILS_TIMEOUT_MS', 30_000, 100, 120_000),
    simulatorPort: integer(env, 'WEKEZA_RAILS_SIMULATOR_PORT', 0, 0, 65535),
  };
}

function bankIdentifier(env: Env, name: string, pattern: RegExp): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!pattern.test(raw)) throw new ConfigError(`${name} is not valid: "${raw}"`);
  return raw;
}

/** A rate from 0 to 1 as a plain decimal string ("0.15"); never a float. */
function taxRate(env: Env): string {
  const raw = env.WEKEZA_WITHHOLDING_TAX_RATE;
  if (raw === undefined || raw === '') return '0.15';
  if (!/^(0(\.[0-9]{1,8})?|1(\.0{1,8})?)$/.test(raw)) {
    throw new ConfigError(
      `WEKEZA_WITHHOLDING_TAX_RATE must be a decimal from 0 to 1 with at most 8 decimals, got "${raw}"`,
    );
  }
  return raw;
}

function dataKeys(env: Env, sandbox: boolean): DataKey[] {
  const text = secret(env, 'WEKEZA_ENCRYPTION_KEYS');
  if (text === undefined) return sandbox ? [SANDBOX_DATA_KEY] : [];
  try {
    return parseDataKeys(text);
  } catch (error) {
    throw new ConfigError(`WEKEZA_ENCRYPTION_KEYS is not valid: ${(error as Error).message}`);
  }
}

/** Production refuses to start on anything that only makes sense in the sandbox. */
function assertProductionReady(config: Config, env: Env): void {
  const problems: string[] = [];
  if (!config.signingKeyPem) problems.push('WEKEZA_SIGNING_KEY (or WEKEZA_SIGNING_KEY_FILE) is not set');
  else if (isSandboxSigningKey(config.signingKeyPem))
    problems.push('WEKEZA_SIGNING_KEY must not be the public sandbox signing key');
  if (!config.issuer) problems.push('WEKEZA_ISSUER is not set');
  if (!config.databaseUrl.startsWith('mysql://'))
    problems.push('DATABASE_URL must be a mysql:// URL (SQLite is for the sandbox)');
  if (secret(env, 'SANDBOX_PASSWORD') || secret(env, 'SANDBOX_PARTNER_SECRET')) {
    problems.push('SANDBOX_PASSWORD / SANDBOX_PARTNER_SECRET must not be set in production');
  }
  if (!config.auditSigningKeyPem)
    problems.push('WEKEZA_AUDIT_SIGNING_KEY (or WEKEZA_AUDIT_SIGNING_KEY_FILE) is not set');
  else if (sameKey(createPrivateKey(config.auditSigningKeyPem), SANDBOX_AUDIT_KEY))
    problems.push('WEKEZA_AUDIT_SIGNING_KEY must not be the public sandbox audit key');
  if (config.dataKeys.length === 0)
    problems.push('WEKEZA_ENCRYPTION_KEYS (or WEKEZA_ENCRYPTION_KEYS_FILE) is not set');
  if (config.dataKeys.some((k) => k.id === SANDBOX_DATA_KEY.id || k.key.equals(SANDBOX_DATA_KEY.key)))
    problems.push('WEKEZA_ENCRYPTION_KEYS must not hold the public sandbox key');
  if (env.WEKEZA_SANDBOX_ROUTES !== undefined && env.WEKEZA_SANDBOX_ROUTES !== 'off') {
    problems.push('WEKEZA_SANDBOX_ROUTES cannot be enabled in production');
  }
  // Production runs a rail only when it is configured; a configured rail needs all of its settings.
  const rails = config.rails;
  const mpesa = rails.mpesa.baseUrl !== undefined;
  if (mpesa || rails.rtgs.transport !== undefined) {
    if (rails.callbackToken === SANDBOX_CALLBACK_TOKEN || rails.callbackToken.length < 32)
      problems.push('WEKEZA_RAILS_CALLBACK_TOKEN must be a secret of at least 32 characters');
    if (!rails.callbackBaseUrl?.startsWith('https://'))
      problems.push('WEKEZA_RAILS_CALLBACK_URL must be the https URL where the rails reach this bank');
  }
  if (mpesa) {
    if (!rails.mpesa.baseUrl?.startsWith('https://')) problems.push('WEKEZA_MPESA_BASE_URL must be https');
    const missing = (
      [
        ['WEKEZA_MPESA_CONSUMER_KEY', rails.mpesa.consumerKey],
        ['WEKEZA_MPESA_CONSUMER_SECRET', rails.mpesa.consumerSecret],
        ['WEKEZA_MPESA_SHORTCODE', rails.mpesa.shortcode],
        ['WEKEZA_MPESA_PASSKEY', rails.mpesa.passkey],
        ['WEKEZA_MPESA_INITIATOR_NAME', rails.mpesa.initiatorName],
        ['WEKEZA_MPESA_SECURITY_CREDENTIAL', rails.mpesa.securityCredential],
      ] as const
    ).filter(([, value]) => !value);
    if (missing.length > 0) problems.push(`M-Pesa needs ${missing.map(([name]) => name).join(', ')}`);
    if (rails.callbackAllow.mpesa.length === 0)
      problems.push("WEKEZA_MPESA_CALLBACK_ALLOW must list Safaricom's callback addresses");
  }
  if (rails.rtgs.transport !== undefined) {
    if (!rails.rtgs.bic) problems.push('WEKEZA_RTGS_BIC is not set');
    if (rails.rtgs.transport.startsWith('http') && rails.callbackAllow.rtgs.length === 0)
      problems.push("WEKEZA_RTGS_CALLBACK_ALLOW must list the RTGS gateway's addresses");
  }
  if (problems.length > 0)
    throw new ConfigError(`refusing to start in production:\n  - ${problems.join('\n  - ')}`);
}

/** The maker-checker actions WEKEZA_APPROVAL_ACTIONS names (unknown names are a configuration error). */
export const APPROVAL_ACTIONS = ['loan_override', 'risk_policy_change', 'model_activation'] as const;
function approvalActions(env: Env): string[] {
  const raw = env.WEKEZA_APPROVAL_ACTIONS?.trim();
  if (raw === 'none') return [];
  const actions = list(env, 'WEKEZA_APPROVAL_ACTIONS', [...APPROVAL_ACTIONS]);
  for (const action of actions)
    if (!(APPROVAL_ACTIONS as readonly string[]).includes(action))
      throw new ConfigError(
        `WEKEZA_APPROVAL_ACTIONS: unknown action ${action} (known: ${APPROVAL_ACTIONS.join(', ')}, or none)`,
      );
  return actions;
}
