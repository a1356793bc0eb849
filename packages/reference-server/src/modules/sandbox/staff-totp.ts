/**
 * Sandbox staff with a second factor (WEKEZA_SANDBOX_STAFF_TOTP=1): each seeded banker and admin
 * gets an enabled TOTP factor whose secret is derived from the sandbox password (so it is the same
 * on every start and every instance), and the secrets are printed at start-up — like the sandbox
 * passwords, they are public and only ever for the sandbox.
 */
import { createHmac } from 'node:crypto';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { transaction } from '../../db/transaction.ts';
import type { MfaService } from '../mfa/service.ts';
import { SANDBOX_USERS } from './seed.ts';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** The sandbox staff's TOTP secret (20 bytes, base32), fixed by the sandbox password and e-mail. */
export function sandboxTotpSecret(config: Config, email: string): string {
  return base32(
    createHmac('sha256', config.sandboxPassword).update(`totp:${email}`).digest().subarray(0, 20),
  );
}

/** Enables the seeded staff's factors (keeping any already enabled); answers each e-mail and secret. */
export async function seedStaffTotp(
  db: Database,
  mfa: MfaService,
  config: Config,
): Promise<{ email: string; secret: string }[]> {
  const out: { email: string; secret: string }[] = [];
  for (const seed of SANDBOX_USERS) {
    if (seed.role !== 'banker' && seed.role !== 'admin') continue;
    const user = await db.prisma.user.findUnique({ where: { email: seed.email } });
    if (!user) continue;
    await transaction(db, (tx) => mfa.seedEnabled(tx, user.id, sandboxTotpSecret(config, seed.email)));
    const secret = await mfa.secretFor(user.id);
    if (secret) out.push({ email: seed.email, secret });
  }
  return out;
}
