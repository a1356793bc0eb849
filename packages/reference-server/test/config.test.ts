import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_DATABASE_URL, loadConfig } from '../src/config.ts';
import { SANDBOX_SIGNING_KEY_PEM } from '../src/crypto/sandbox-keys.ts';
import { SANDBOX_DATA_KEY } from '../src/crypto/secret-box.ts';
import { SANDBOX_AUDIT_KEY } from '../src/modules/audit/keys.ts';

const key = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const dataKey = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
const production = {
  WEKEZA_MODE: 'production',
  DATABASE_URL: 'mysql://bank:secret@db.internal:3306/wekeza',
  WEKEZA_SIGNING_KEY: key,
  WEKEZA_ISSUER: 'https://bank.example',
  WEKEZA_ENCRYPTION_KEYS: `${dataKey('k2')},${dataKey('k1')}`,
  WEKEZA_AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519')
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString(),
};

describe('configuration from the environment', () => {
  it('when nothing is set, then the sandbox runs on the embedded database on port 3000', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      mode: 'sandbox',
      port: 3000,
      databaseUrl: DEFAULT_DATABASE_URL,
      sandboxPassword: 'sandbox-pass-123',
    });
    expect(config.accessTokenTtlSeconds).toBeLessThanOrEqual(900);
  });

  it('when two sandbox processes start without a signing key, then both sign with the same public sandbox key', () => {
    expect(loadConfig({}).signingKeyPem).toBe(SANDBOX_SIGNING_KEY_PEM);
    expect(loadConfig({ PORT: '3001' }).signingKeyPem).toBe(loadConfig({}).signingKeyPem);
    expect(loadConfig({ WEKEZA_SIGNING_KEY: key }).signingKeyPem).toBe(key);
  });

  it('when production is fully configured, then it starts, with the first encryption key current', () => {
    const config = loadConfig(production);
    expect(config.mode).toBe('production');
    expect(config.dataKeys.map((k) => k.id)).toEqual(['k2', 'k1']);
  });

  it.each([
    ['no signing key', { WEKEZA_SIGNING_KEY: undefined }, /WEKEZA_SIGNING_KEY/],
    [
      'the public sandbox signing key',
      { WEKEZA_SIGNING_KEY: SANDBOX_SIGNING_KEY_PEM },
      /sandbox signing key/,
    ],
    ['the SQLite store', { DATABASE_URL: 'file:./bank.db' }, /mysql/],
    ['no database at all', { DATABASE_URL: undefined }, /mysql/],
    ['a sandbox password', { SANDBOX_PASSWORD: 'sandbox-pass-123' }, /SANDBOX_PASSWORD/],
    ['a sandbox partner secret', { SANDBOX_PARTNER_SECRET: 'x' }, /SANDBOX_PARTNER_SECRET/],
    ['no issuer', { WEKEZA_ISSUER: undefined }, /WEKEZA_ISSUER/],
    ['sandbox routes switched on', { WEKEZA_SANDBOX_ROUTES: 'on' }, /WEKEZA_SANDBOX_ROUTES/],
    ['no encryption key for stored secrets', { WEKEZA_ENCRYPTION_KEYS: undefined }, /WEKEZA_ENCRYPTION_KEYS/],
    [
      'the public sandbox encryption key',
      { WEKEZA_ENCRYPTION_KEYS: `sandbox:${SANDBOX_DATA_KEY.key.toString('base64')}` },
      /sandbox key/,
    ],
    ['a malformed encryption key', { WEKEZA_ENCRYPTION_KEYS: 'k1:c2hvcnQ=' }, /32 bytes/],
    ['no audit signing key', { WEKEZA_AUDIT_SIGNING_KEY: undefined }, /WEKEZA_AUDIT_SIGNING_KEY/],
    [
      'the public sandbox audit key',
      { WEKEZA_AUDIT_SIGNING_KEY: SANDBOX_AUDIT_KEY.export({ type: 'pkcs8', format: 'pem' }).toString() },
      /sandbox audit key/,
    ],
  ])('when production has %s, then it refuses to start', (_name, change, message) => {
    expect(() => loadConfig({ ...production, ...change })).toThrow(ConfigError);
    expect(() => loadConfig({ ...production, ...change })).toThrow(message);
  });

  const mpesa = {
    WEKEZA_MPESA_BASE_URL: 'https://api.safaricom.co.ke',
    WEKEZA_MPESA_CONSUMER_KEY: 'key',
    WEKEZA_MPESA_CONSUMER_SECRET: 'secret',
    WEKEZA_MPESA_SHORTCODE: '600100',
    WEKEZA_MPESA_PASSKEY: 'passkey',
    WEKEZA_MPESA_INITIATOR_NAME: 'wekeza-api',
    WEKEZA_MPESA_SECURITY_CREDENTIAL: 'c2VjdXJpdHk=',
    WEKEZA_MPESA_CALLBACK_ALLOW: '196.201.214.200,196.201.212.0/24',
    WEKEZA_RAILS_CALLBACK_TOKEN: 'x'.repeat(40),
    WEKEZA_RAILS_CALLBACK_URL: 'https://bank.example',
  };

  it('when production configures M-Pesa completely, then it starts with the real endpoints and no sandbox defaults', () => {
    const config = loadConfig({ ...production, ...mpesa });
    expect(config.rails.mpesa).toMatchObject({
      baseUrl: 'https://api.safaricom.co.ke',
      shortcode: '600100',
      registerC2bUrls: false,
    });
    expect(config.rails.callbackAllow.mpesa).toEqual(['196.201.214.200', '196.201.212.0/24']);
    expect(loadConfig(production).rails.mpesa.baseUrl).toBeUndefined();
  });

  it.each([
    ['no callback token', { WEKEZA_RAILS_CALLBACK_TOKEN: undefined }, /WEKEZA_RAILS_CALLBACK_TOKEN/],
    [
      'the sandbox callback token',
      { WEKEZA_RAILS_CALLBACK_TOKEN: 'sandbox-callback-token' },
      /WEKEZA_RAILS_CALLBACK_TOKEN/,
    ],
    [
      'an http callback URL',
      { WEKEZA_RAILS_CALLBACK_URL: 'http://bank.example' },
      /WEKEZA_RAILS_CALLBACK_URL/,
    ],
    ['no passkey', { WEKEZA_MPESA_PASSKEY: undefined }, /WEKEZA_MPESA_PASSKEY/],
    ['no allow-list', { WEKEZA_MPESA_CALLBACK_ALLOW: undefined }, /WEKEZA_MPESA_CALLBACK_ALLOW/],
    ['an http Daraja', { WEKEZA_MPESA_BASE_URL: 'http://api.safaricom.co.ke' }, /WEKEZA_MPESA_BASE_URL/],
  ])('when production M-Pesa has %s, then it refuses to start', (_name, change, message) => {
    expect(() => loadConfig({ ...production, ...mpesa, ...change })).toThrow(message);
  });

  it('when REDIS_URL and NATS_URL are set, then Redis keeps the limits and the outbox goes to NATS, with checked names', () => {
    const config = loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', NATS_URL: 'nats://127.0.0.1:4222' });
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.redisKeyPrefix).toBe('wekeza:');
    expect(config.nats).toEqual({
      url: 'nats://127.0.0.1:4222',
      stream: 'WEKEZA_EVENTS',
      subjectPrefix: 'wekeza.events',
      intervalMs: 500,
      safetyWindowMs: 60_000,
    });
    expect(loadConfig({}).nats).toBeUndefined();
    expect(() => loadConfig({ NATS_URL: 'nats://x:4222', WEKEZA_NATS_STREAM: 'has space' })).toThrow(
      /WEKEZA_NATS_STREAM/,
    );
    expect(() => loadConfig({ NATS_URL: 'nats://x:4222', WEKEZA_NATS_SUBJECT_PREFIX: 'a..b' })).toThrow(
      /WEKEZA_NATS_SUBJECT_PREFIX/,
    );
  });

  it('when a secret comes from a file, then the file is read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wekeza-config-'));
    writeFileSync(join(dir, 'key.pem'), key);
    const config = loadConfig({
      ...production,
      WEKEZA_SIGNING_KEY: undefined,
      WEKEZA_SIGNING_KEY_FILE: join(dir, 'key.pem'),
    });
    expect(config.signingKeyPem?.trim()).toBe(key.trim());
  });

  it.each([
    ['WEKEZA_MODE', 'staging'],
    ['PORT', '70000'],
    ['PORT', 'eighty'],
    ['WEKEZA_ACCESS_TOKEN_TTL', '3600'],
    ['WEKEZA_WIDGET_SESSION_TTL', '3600'],
    ['WEKEZA_KYC_TIERS', '{"KES":{"0":{"max_balance":"1.005"}}}'],
    ['WEKEZA_KYC_TIERS', 'not json'],
    ['WEKEZA_STEP_UP_THRESHOLDS', '{"XXX":"10"}'],
    ['WEKEZA_LOCKOUT_FAILURES', '0'],
    ['WEKEZA_LOG_LEVEL', 'loud'],
    ['WEKEZA_SHUTDOWN_GRACE_SECONDS', '-1'],
  ])('when %s is %s, then configuration fails with a clear message', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
  });
});

describe('security settings', () => {
  it('when nothing is set, then the DOMAIN.md tiers, a KES 10,000 step-up, a 10-in-15-minutes lockout and sandbox-friendly address limits apply', () => {
    const config = loadConfig({});
    expect(config.kycTiers.KES?.[0]).toEqual({
      maxBalanceMinor: 5_000_000n,
      dailyOutgoingMinor: 2_000_000n,
      loanCapMinor: 500_000n,
    });
    expect(config.kycTiers.KES?.[2].maxBalanceMinor).toBe(1_000_000_000n);
    expect(config.stepUpThresholds.KES).toBe(1_000_000n);
    expect(config.rateLimits).toMatchObject({ failedSigninMax: 10, failedSigninWindowSeconds: 900 });
    expect(config.rateLimits.signupPerMinute).toBeGreaterThanOrEqual(120);
    expect(config.rateLimits.signinPerMinute).toBeGreaterThanOrEqual(120);
    expect(config.widgetSessionTtlSeconds).toBeLessThanOrEqual(900);
  });

  it('when tiers and thresholds are given as JSON, then they are parsed exactly into minor units', () => {
    const tiers = { max_balance: '100.50', daily_outgoing: '10', loan_cap: '1' };
    const config = loadConfig({
      WEKEZA_KYC_TIERS: JSON.stringify({ USD: { 0: tiers, 1: tiers, 2: tiers } }),
      WEKEZA_STEP_UP_THRESHOLDS: '{"USD":"75.25"}',
    });
    expect(config.kycTiers.USD?.[1].maxBalanceMinor).toBe(10_050n);
    expect(config.kycTiers.KES).toBeUndefined();
    expect(config.stepUpThresholds).toEqual({ USD: 7_525n });
  });
});
