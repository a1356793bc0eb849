/**
 * `wekeza-server staff create`: how production gets its first administrator (and its bankers).
 * Run on the server's host with DATABASE_URL; it writes the user and an audit event in one
 * transaction. In production staff must enrol a second factor before anything else: their first
 * sign-in answers a token that can only enrol TOTP (docs/security.md).
 */
import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/database.ts';
import { transaction } from '../../db/transaction.ts';
import { newId } from '../../ids.ts';
import { AuditLog } from '../audit/log.ts';
import { hashSecret } from '../identity/passwords.ts';

export type StaffRole = 'admin' | 'banker';

export interface NewStaff {
  role: StaffRole;
  email: string;
  fullName: string;
  /** At least 12 characters; absent: a random one is made and answered once. */
  password?: string | undefined;
}

export class StaffCreateError extends Error {
  override name = 'StaffCreateError';
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,189}\.[^\s@]{2,}$/;

/** Creates a member of staff; answers their id and the password (generated when none was given). */
export async function createStaff(
  db: Database,
  input: NewStaff,
): Promise<{ id: string; password: string; generated: boolean }> {
  const email = input.email.trim().toLowerCase();
  const fullName = input.fullName.trim();
  if (input.role !== 'admin' && input.role !== 'banker')
    throw new StaffCreateError('--role must be admin or banker');
  if (!EMAIL.test(email) || email.length > 254)
    throw new StaffCreateError('--email must be an e-mail address');
  if (fullName.length < 1 || fullName.length > 200)
    throw new StaffCreateError('--name must be 1 to 200 characters');
  if (input.password !== undefined && input.password.length < 12)
    throw new StaffCreateError('the password must be at least 12 characters');
  const generated = input.password === undefined;
  const password = input.password ?? randomBytes(18).toString('base64url');
  const passwordHash = await hashSecret(password);
  const id = newId('usr');
  const audit = new AuditLog({ now: () => new Date() });
  await transaction(db, async (tx) => {
    if (await tx.user.findUnique({ where: { email }, select: { id: true } }))
      throw new StaffCreateError(`a user with e-mail ${email} already exists`);
    await tx.user.create({
      data: {
        id,
        role: input.role,
        email,
        phone: null,
        fullName,
        nationalId: null,
        kycTier: 0,
        passwordHash,
        status: 'active',
        createdAt: new Date(),
      },
    });
    await audit.record(
      tx,
      { id: 'cli', role: 'system' },
      {
        action: 'staff.created',
        subject: { type: 'user', id },
        after: { role: input.role, email, full_name: fullName },
        reason: 'wekeza-server staff create',
      },
    );
  });
  return { id, password, generated };
}
