import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.ts';
import type { Database, Db } from '../../db/database.ts';
import { transaction } from '../../db/transaction.ts';
import { unauthenticated } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { AuditLog } from '../audit/log.ts';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

type Outcome =
  | { kind: 'ok'; userId: string; refreshToken: string }
  | { kind: 'invalid' }
  | { kind: 'reused' };

/**
 * Opaque refresh tokens, stored as their SHA-256 only. One sign-in starts a family; every use
 * rotates the token (the old one is spent, a new one of the same family answered). A spent token
 * presented again means it was copied: the whole family is revoked, the thief's copy and the
 * owner's alike, and the event is audited.
 */
export class RefreshTokens {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ttlSeconds: number,
    private readonly audit: AuditLog,
  ) {}

  /** A new token for a user: of a new family (sign-in) or of the given one (rotation). */
  async issue(tx: Db, userId: string, familyId = newId('rtf')): Promise<string> {
    const token = `rt_${randomBytes(32).toString('base64url')}`;
    const now = this.clock.now();
    await tx.refreshToken.create({
      data: {
        id: newId('rt'),
        familyId,
        userId,
        tokenHash: sha256(token),
        expiresAt: new Date(now.getTime() + this.ttlSeconds * 1000),
        createdAt: now,
      },
    });
    return token;
  }

  /** Spends a refresh token for a new one of its family; whose it is comes back with it. */
  async rotate(token: string): Promise<{ userId: string; refreshToken: string }> {
    const outcome = await transaction(this.db, async (tx): Promise<Outcome> => {
      const now = this.clock.now();
      const row = await tx.refreshToken.findUnique({ where: { tokenHash: sha256(token) } });
      if (!row || row.revokedAt || row.expiresAt <= now) return { kind: 'invalid' };
      const spent = await tx.refreshToken.updateMany({
        where: { id: row.id, rotatedAt: null, revokedAt: null },
        data: { rotatedAt: now },
      });
      if (spent.count !== 1) {
        await this.revokeFamilyIn(tx, row.familyId);
        await this.audit.record(
          tx,
          { id: 'system', role: 'system' },
          {
            action: 'auth.refresh_token_reused',
            subject: { type: 'user', id: row.userId },
            after: { family_id: row.familyId, revoked: true },
            reason: 'A rotated refresh token was presented again; the family is revoked.',
          },
        );
        return { kind: 'reused' };
      }
      const user = await tx.user.findUnique({ where: { id: row.userId }, select: { status: true } });
      if (user?.status !== 'active') return { kind: 'invalid' };
      return { kind: 'ok', userId: row.userId, refreshToken: await this.issue(tx, row.userId, row.familyId) };
    });
    if (outcome.kind !== 'ok') throw unauthenticated('The refresh token is invalid, expired or revoked.');
    return outcome;
  }

  /** Logout: revokes the token's family if it is the caller's; answers whether anything was revoked. */
  async revoke(userId: string, token: string): Promise<boolean> {
    return transaction(this.db, async (tx) => {
      const row = await tx.refreshToken.findUnique({ where: { tokenHash: sha256(token) } });
      if (!row || row.userId !== userId) return false;
      return (await this.revokeFamilyIn(tx, row.familyId)) > 0;
    });
  }

  /** RFC 7009: whoever holds a refresh token may revoke it, and with it its family. */
  async revokeToken(token: string): Promise<void> {
    await transaction(this.db, async (tx) => {
      const row = await tx.refreshToken.findUnique({ where: { tokenHash: sha256(token) } });
      if (row) await this.revokeFamilyIn(tx, row.familyId);
    });
  }

  private async revokeFamilyIn(tx: Db, familyId: string): Promise<number> {
    const { count } = await tx.refreshToken.updateMany({
      where: { familyId, revokedAt: null },
      data: { revokedAt: this.clock.now() },
    });
    return count;
  }
}
