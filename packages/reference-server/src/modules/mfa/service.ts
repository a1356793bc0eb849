import { createHash, randomBytes } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import type { Clock } from '../../clock.ts';
import { SecretBox } from '../../crypto/secret-box.ts';
import type { Db, Figure, Sql } from '../../db/database.ts';
import { conflict, DomainError, forbidden, mfaRequired } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { AuditLog } from '../audit/log.ts';
import type { EventLog } from '../events/log.ts';
import { type Guesses, otpBucket } from '../identity/guesses.ts';
import type { Principal } from '../identity/service.ts';

/** A wrong second-factor code: a wrong guess (see Guesses), answered 401 `mfa_required`. */
export class OtpRejectedError extends DomainError {
  constructor(readonly userId: string) {
    super(401, 'mfa_required', 'MFA required', 'The one-time code is wrong, expired or already used.');
  }
}

const RECOVERY_CODES = 10;
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
/** The associated data of a user's sealed TOTP secret: it opens on that user's row only. */
const secretContext = (userId: string) => `totp:${userId}`;

/** `xxxxx-xxxxx` from a 31-letter alphabet: about 49 bits, one use each. */
function recoveryCode(): string {
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]);
  return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
}

/**
 * TOTP second factor (RFC 6238: SHA-1, 6 digits, 30-second steps, one step of drift either way).
 * A code is accepted at most once: the last accepted time step is stored and only later steps
 * pass, through a conditional update that two racing requests cannot both win. Secrets are stored
 * sealed (AES-256-GCM, see SecretBox). Changing one's second factor needs the password (checked by
 * the route before these run) and, to turn it off or renew recovery codes, a current code; each
 * change is an event and an audit entry.
 */
export class MfaService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly issuer: string,
    private readonly audit: AuditLog,
    private readonly events: EventLog,
    private readonly box: SecretBox,
    private readonly guesses: Guesses,
    /** Production: bankers and admins must keep a second factor. */
    private readonly staffMustKeep: boolean,
  ) {}

  /** Starts (or restarts) enrolment: a new pending secret. An enabled factor must stay as it is. */
  async enrol(tx: Db, principal: Principal): Promise<{ secret: string; otpauthUrl: string }> {
    if (principal.role === 'partner') throw forbidden('Partners have no second factor.');
    const user = await tx.user.findUnique({ where: { id: principal.id }, select: { email: true } });
    if (!user) throw forbidden();
    const existing = await tx.totpFactor.findUnique({ where: { userId: principal.id } });
    if (existing?.status === 'enabled') throw conflict('TOTP is already enabled for this user.');
    const secret = generateSecret();
    const sealed = this.box.seal(secret, secretContext(principal.id));
    const now = this.clock.now();
    await tx.totpFactor.upsert({
      where: { userId: principal.id },
      create: { userId: principal.id, secret: sealed, status: 'pending', createdAt: now },
      update: { secret: sealed, status: 'pending', lastStep: null, createdAt: now, enabledAt: null },
    });
    await this.changed(tx, principal, 'mfa.totp_enrolment_started', { totp: 'off' }, { totp: 'pending' });
    const issuer = new URL(this.issuer || 'https://wekeza.local').hostname;
    return { secret, otpauthUrl: generateURI({ issuer, label: user.email, secret }) };
  }

  /**
   * Sandbox only (WEKEZA_SANDBOX_STAFF_TOTP): gives a seeded member of staff an enabled factor with
   * a known secret, printed at start-up, so a workbench can sign staff in with a second factor.
   * A factor already enabled is kept. Answers whether it was set.
   */
  async seedEnabled(tx: Db, userId: string, secret: string): Promise<boolean> {
    const existing = await tx.totpFactor.findUnique({ where: { userId } });
    if (existing?.status === 'enabled') return false;
    const now = this.clock.now();
    const sealed = this.box.seal(secret, secretContext(userId));
    await tx.totpFactor.upsert({
      where: { userId },
      create: { userId, secret: sealed, status: 'enabled', createdAt: now, enabledAt: now },
      update: { secret: sealed, status: 'enabled', lastStep: null, createdAt: now, enabledAt: now },
    });
    return true;
  }

  /** The secret of an enabled factor (sandbox start-up prints the seeded staff's). */
  async secretFor(userId: string): Promise<string | null> {
    const factor = await this.db.totpFactor.findUnique({ where: { userId } });
    return factor?.status === 'enabled' ? this.secretOf(factor) : null;
  }

  /** Confirms enrolment with a first code; answers the one-time recovery codes (stored hashed). */
  async confirm(tx: Db, principal: Principal, code: string): Promise<{ recoveryCodes: string[] }> {
    const factor = await tx.totpFactor.findUnique({ where: { userId: principal.id } });
    if (!factor) throw conflict('Start enrolment with POST /v1/mfa/totp first.');
    if (factor.status === 'enabled') throw conflict('TOTP is already enabled for this user.');
    if (!(await this.acceptTotp(tx, factor.userId, this.secretOf(factor), factor.lastStep, code)))
      throw new OtpRejectedError(principal.id);
    await tx.totpFactor.update({
      where: { userId: principal.id },
      data: { status: 'enabled', enabledAt: this.clock.now() },
    });
    const recoveryCodes = await this.newRecoveryCodes(tx, principal.id);
    await this.changed(
      tx,
      principal,
      'mfa.totp_enabled',
      { totp: 'pending' },
      {
        totp: 'on',
        recovery_codes: RECOVERY_CODES,
      },
    );
    return { recoveryCodes };
  }

  /** Turns TOTP off (with a current code); staff must keep theirs in production. */
  async disable(tx: Db, principal: Principal, code: string): Promise<void> {
    if (this.staffMustKeep && (principal.role === 'banker' || principal.role === 'admin'))
      throw forbidden('Staff must keep a second factor in production.');
    await this.requireCode(tx, principal.id, code);
    await tx.recoveryCode.deleteMany({ where: { userId: principal.id } });
    await tx.totpFactor.delete({ where: { userId: principal.id } });
    await this.changed(tx, principal, 'mfa.totp_disabled', { totp: 'on' }, { totp: 'off' });
  }

  /** Replaces every recovery code (with a current code); the new ones are answered once. */
  async regenerateRecoveryCodes(
    tx: Db,
    principal: Principal,
    code: string,
  ): Promise<{ recoveryCodes: string[] }> {
    await this.requireCode(tx, principal.id, code);
    const old = await tx.recoveryCode.deleteMany({ where: { userId: principal.id } });
    const recoveryCodes = await this.newRecoveryCodes(tx, principal.id);
    await this.changed(
      tx,
      principal,
      'mfa.recovery_codes_regenerated',
      { recovery_codes: old.count },
      {
        recovery_codes: RECOVERY_CODES,
      },
    );
    return { recoveryCodes };
  }

  /** How to read whether the user has TOTP on (the column is 'enabled' when on). */
  status(userId: string): Figure {
    return { sql: 'SELECT status FROM totp_factors WHERE user_id = ?', params: [userId] };
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
   * `recovery` also accepts one of the user's recovery codes (sign-in only). The caller limits
   * the guesses (see `guard`).
   */
  async check(tx: Sql, userId: string, code: string, options: { recovery?: boolean } = {}): Promise<boolean> {
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
    return this.acceptTotp(
      tx,
      userId,
      this.secretOf({ userId, secret: String(factor.secret) }),
      lastStep,
      code,
    );
  }

  /**
   * Runs `work`, which checks a one-time code of `userId`, under one of the user's code-guess
   * slots: a wrong code keeps the slot, so at most the limit of codes is ever tried per window.
   */
  guard<T>(userId: string, work: () => Promise<T>): Promise<T> {
    return this.guesses.guard(
      otpBucket(userId),
      { username: userId, userId },
      work,
      (error) => error instanceof OtpRejectedError,
    );
  }

  /**
   * Seals secrets stored in plain text (before encryption existed) or under a key that is no
   * longer the current one. Runs at start-up; each row is rewritten only if it changed.
   */
  async resealSecrets(): Promise<number> {
    const rows = await this.db.totpFactor.findMany({ select: { userId: true, secret: true } });
    let resealed = 0;
    for (const row of rows) {
      if (SecretBox.keyIdOf(row.secret) === this.box.currentKeyId) continue;
      const sealed = this.box.seal(this.secretOf(row), secretContext(row.userId));
      const { count } = await this.db.totpFactor.updateMany({
        where: { userId: row.userId, secret: row.secret },
        data: { secret: sealed },
      });
      resealed += count;
    }
    return resealed;
  }

  private secretOf(factor: { userId: string; secret: string }): string {
    return SecretBox.isSealed(factor.secret)
      ? this.box.open(factor.secret, secretContext(factor.userId))
      : factor.secret; // written before secrets were sealed; resealSecrets() seals it at start-up
  }

  private async requireCode(tx: Db, userId: string, code: string): Promise<void> {
    if (!(await this.isEnabled(tx, userId))) throw conflict('TOTP is not enabled for this user.');
    if (!(await this.check(tx, userId, code))) throw new OtpRejectedError(userId);
  }

  private async newRecoveryCodes(tx: Db, userId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODES }, recoveryCode);
    const now = this.clock.now();
    await tx.recoveryCode.createMany({
      data: codes.map((c) => ({ id: newId('rc'), userId, codeHash: sha256(c), createdAt: now })),
    });
    return codes;
  }

  private async changed(tx: Db, principal: Principal, action: string, before: unknown, after: unknown) {
    await this.audit.record(tx, principal, {
      action,
      subject: { type: 'user', id: principal.id },
      before,
      after,
    });
    await this.events.record(tx, {
      type: action,
      customerId: principal.role === 'customer' ? principal.id : null,
      data: { user_id: principal.id, ...(after as Record<string, unknown>) },
    });
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
