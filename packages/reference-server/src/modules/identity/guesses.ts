import type { RateLimitConfig } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { transaction } from '../../db/transaction.ts';
import type { AuditLog } from '../audit/log.ts';
import type { RateLimiter } from '../throttle/limiter.ts';

/** Whose guesses a bucket counts: one user (whichever of e-mail or phone was typed), or an unknown name. */
export const signInBucket = (user: { id: string } | null | undefined, typedName: string) =>
  user ? `signin-fail:user:${user.id}` : `signin-fail:name:${typedName}`;
export const clientBucket = (clientId: string) => `signin-fail:client:${clientId}`;
export const otpBucket = (userId: string) => `otp-fail:user:${userId}`;

/**
 * Guessing a secret (a password, a client secret, a one-time code) is limited per user: a failure
 * slot is reserved BEFORE the guess is evaluated and kept only if the guess was wrong, so at most
 * the limit of guesses is ever evaluated in a window, however many arrive at once, while right
 * guesses give their slot back and never lock anyone out. The wrong guess that takes the last slot
 * locks the bucket until the window ends, and is audited.
 */
export class Guesses {
  constructor(
    private readonly database: Database,
    private readonly limiter: RateLimiter,
    private readonly limits: Pick<RateLimitConfig, 'failedSigninMax' | 'failedSigninWindowSeconds'>,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Runs `evaluate` under a reserved slot of `bucket`. When it throws an error `isWrong` accepts, the
   * slot is kept; on success or any other error it is given back.
   */
  async guard<T>(
    bucket: string,
    who: { username: string; userId?: string | undefined },
    evaluate: () => Promise<T>,
    isWrong: (error: unknown) => boolean,
  ): Promise<T> {
    const { failedSigninMax: max, failedSigninWindowSeconds: window } = this.limits;
    const reservation = await this.limiter.reserve(
      bucket,
      max,
      window,
      'Too many failed attempts; try again later.',
    );
    try {
      const value = await evaluate();
      await this.limiter.release(reservation);
      return value;
    } catch (error) {
      if (!isWrong(error)) {
        await this.limiter.release(reservation);
        throw error;
      }
      if (reservation.slot === max) await this.lockedOut(bucket, who);
      throw error;
    }
  }

  private async lockedOut(bucket: string, who: { username: string; userId?: string | undefined }) {
    const { failedSigninMax: max, failedSigninWindowSeconds: window } = this.limits;
    await transaction(this.database, (tx) =>
      this.audit.record(
        tx,
        { id: 'system', role: 'system' },
        {
          action: bucket.startsWith('otp-') ? 'auth.otp_locked_out' : 'auth.locked_out',
          subject: { type: 'user', id: who.userId ?? null },
          after: { username: who.username, failures: max, window_seconds: window },
          reason: `${max} failed attempts within ${window} s`,
        },
      ),
    );
  }
}
