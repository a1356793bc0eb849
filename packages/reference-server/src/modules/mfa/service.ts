import { createHash, randomBytes } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import type { Clock } from '../../clock.ts';
import type { Db, Sql } from '../../db/database.ts';
import { conflict, DomainError, forbidden, mfaRequired } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { AuditLog } from '../audit/log.ts';
import type { Principal } from '../identity/service.ts';
import type { RateLimiter } from '../throttle/limiter.ts';

/** A wrong second-factor code. Counted (outside the refused transaction) towards the user's OTP lockout. */
export class OtpRejectedError extends DomainError {
  constructor(readonly userId: string) {
    super(401, 'mfa_required', 'MFA required', 'The one-time code is wrong, expired or already used.');
  }
}

export interface OtpLimits {
  /** Wrong codes per user and window before codes are refused with 429. */
  failures: number;
  windowSeconds: number;
}

const RECOVERY_CODES = 10;
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** `xxxxx-xxxxx` from a 31-letter alphabet: about 49 bits, one use each. */
function recoveryCode(): string {
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]);
  return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
}

export const otpFailureBucket = (userId: string) => `otp-fail:user:${userId}`;

/**
 * TOTP second factor (RFC 6238: SHA-1, 6 digits, 30-second steps, one step of drift either way).
 * A code is accepted at most once: the last accepted time step is stored and only later steps
 * pass, through a conditional update that two racing requests cannot both win.
 */
export class MfaService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly issuer: string,
    private readonly audit: AuditLog,
    private readonly limiter: RateLimiter,
    private readonly limits: OtpLimits,
  ) {}

  /** Starts (or restarts) enrolment: a new pending secret. An enabled factor must stay as it is. */
  async enrol(principal: Principal): Promise<{ secret: string; otpauthUrl: string }> {
    if (principal.role === 'partner') throw forbidden('Partners have no second factor.');
    const user = await this.db.user.findUnique({ where: { id: principal.id }, select: { email: true } });
    if (!user) throw forbidden();
    const existing = await this.db.totpFactor.findUnique({ where: { userId: principal.id } });
    if (existing?.status === 'enabled') throw conflict('TOTP is already enabled for this user.');
    const secret = generateSecret();
    const now = this.clock.now();
    await this.db.totpFactor.upsert({
      where: { userId: principal.id },
      create: { userId: principal.id, secret, status: 'pending', createdAt: now },
      update: { secret, status: 'pending', lastStep: null, createdAt: now, enabledAt: null },
    });
    const issuer = new URL(this.issuer || 'https://wekeza.local').hostname;
    return { secret, otpauthUrl: generateURI({ issuer, label: user.email, secret }) };
  }

  /** Confirms enrolment with a first code; answers the one-time recovery codes (stored hashed). */
  async confirm(tx: Db, principal: Principal, code: string): Promise<{ recoveryCodes: string[] }> {
    const factor = await tx.totpFactor.findUnique({ where: { userId: principal.id } });
    if (!factor) throw conflict('Start enrolment with POST /v1/mfa/totp first.');
    if (factor.status === 'enabled') throw conflict('TOTP is already enabled for this user.');
    await this.assertNotLocked(tx, principal.id);
    if (!(await this.acceptTotp(tx, factor.userId, factor.secret, factor.lastStep, code)))
      throw new OtpRejectedError(principal.id);
    const now = this.clock.now();
    await tx.totpFactor.update({
      where: { userId: principal.id },
      data: { status: 'enabled', enabledAt: now },
    });
    const recoveryCodes = Array.from({ length: RECOVERY_CODES }, recoveryCode);
    await tx.recoveryCode.createMany({
      data: recoveryCodes.map((c) => ({
        id: newId('rc'),
        userId: principal.id,
        codeHash: sha256(c),
        createdAt: now,
      })),
    });
    await this.audit.record(tx, principal, {
      action: 'mfa.totp_enabled',
      subject: { type: 'user', id: principal.id },
      before: { totp: 'off' },
      after: { totp: 'on', recovery_codes: RECOVERY_CODES },
    });
    return { recoveryCodes };
  }

  async isEnabled(db: Sql, userId: string): Promise<boolean> {
    const [factor] = await db.$queryRawUnsafe<{ status: string }[]>(
      'SELECT status FROM totp_factors WHERE user_id = ?',
      userId,
    );
    return factor?.status === 'enabled';
  }

  /**
   * Checks a code for a user with TOTP enabled, inside the caller's transaction, and spends it.
   * `recovery` also accepts one of the user's recovery codes (sign-in only).
   */
  async check(tx: Sql, userId: string, code: string, options: { recovery?: boolean } = {}): Promise<boolean> {
    await this.assertNotLocked(tx, userId);
    if (options.recovery && /^[a-z0-9]{5}-[a-z0-9]{5}$/.test(code)) {
      const spent = await tx.$executeRawUnsafe(
        'UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL',
        this.clock.now(),
        userId,
        sha256(code),
      );
      return spent === 1;
    }
    const [factor] = await tx.$queryRawUnsafe<{ status: string; secret: string; last_step: unknown }[]>(
      'SELECT status, secret, last_step FROM totp_factors WHERE user_id = ?',
      userId,
    );
    if (factor?.status !== 'enabled') return false;
    const lastStep = factor.last_step === null ? null : BigInt(String(factor.last_step));
    return this.acceptTotp(tx, userId, String(factor.secret), lastStep, code);
  }

  /** 429 while the user has too many wrong codes in the window (read-only, safe inside a transaction). */
  async assertNotLocked(tx: Sql, userId: string): Promise<void> {
    await this.limiter.check(
      otpFailureBucket(userId),
      this.limits.failures,
      this.limits.windowSeconds,
      'Too many wrong one-time codes; wait before trying again.',
      tx,
    );
  }

  /** Counts a wrong code (called after the refused transaction has rolled back). */
  async recordFailure(userId: string): Promise<void> {
    await this.limiter.hit(otpFailureBucket(userId), this.limits.windowSeconds);
  }

  private async acceptTotp(
    tx: Sql,
    userId: string,
    secret: string,
    lastStep: bigint | null,
    code: string,
  ): Promise<boolean> {
    if (!/^[0-9]{6}$/.test(code)) return false;
    const result = await verify({
      secret,
      token: code,
      epoch: Math.floor(this.clock.now().getTime() / 1000),
      epochTolerance: 30,
      ...(lastStep !== null ? { afterTimeStep: Number(lastStep) } : {}),
    });
    if (!result.valid || !('timeStep' in result)) return false;
    const step = BigInt(result.timeStep);
    // Spend the step: only a later step than the last accepted one may pass, even when two race.
    const spent = await tx.$executeRawUnsafe(
      'UPDATE totp_factors SET last_step = ? WHERE user_id = ? AND (last_step IS NULL OR last_step < ?)',
      step,
      userId,
      step,
    );
    return spent === 1;
  }
}

/** Raised where a customer without a second factor tries what needs one. */
export const enrolFirst = (detail: string) =>
  mfaRequired(`${detail} Enrol a second factor with POST /v1/mfa/totp, then POST /v1/mfa/totp/verify.`);
