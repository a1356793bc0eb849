import { type Config, ConfigError } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { isUniqueViolation, transaction } from '../../db/transaction.ts';
import { newId } from '../../ids.ts';
import type { AccountsService } from '../accounts/service.ts';
import { hashSecret, verifySecret } from '../identity/passwords.ts';
import { HOME_CURRENCY } from '../identity/service.ts';
import type { SandboxService } from './service.ts';

export const SANDBOX_USERS = [
  {
    email: 'customer@sandbox.test',
    role: 'customer',
    fullName: 'Amina Customer',
    phone: '+254700000001',
    kycTier: 1,
  },
  { email: 'banker@sandbox.test', role: 'banker', fullName: 'Baraka Banker', phone: null, kycTier: 0 },
  { email: 'admin@sandbox.test', role: 'admin', fullName: 'Achieng Admin', phone: null, kycTier: 0 },
  // Maker-checker needs a second of each.
  { email: 'banker2@sandbox.test', role: 'banker', fullName: 'Bahati Banker', phone: null, kycTier: 0 },
  { email: 'admin2@sandbox.test', role: 'admin', fullName: 'Akinyi Admin', phone: null, kycTier: 0 },
] as const;
export const SANDBOX_PARTNER_ID = 'sandbox_partner';
/** The bank's own web app: a public OAuth client (password and refresh grants, no secret). */
export const PUBLIC_WEB_CLIENT_ID = 'wekeza-web';
/** What the sandbox customer's wallet holds when it is first opened (KES 25,000.00). */
export const SANDBOX_OPENING_BALANCE_MINOR = 2_500_000n;

/**
 * Seeds the sandbox users, the partner client and a funded wallet for the customer. Idempotent:
 * running it again (or on several servers at once) changes nothing but a changed password.
 */
export async function seedSandbox(
  db: Database,
  config: Config,
  accounts: AccountsService,
  sandbox: SandboxService,
): Promise<void> {
  const passwordHash = await hashSecret(config.sandboxPassword);
  for (const seed of SANDBOX_USERS) {
    const existing = await db.prisma.user.findUnique({ where: { email: seed.email } });
    if (existing) {
      if (!(await verifySecret(existing.passwordHash, config.sandboxPassword))) {
        await db.prisma.user.update({ where: { id: existing.id }, data: { passwordHash } });
      }
      continue;
    }
    await transaction(db, async (tx) => {
      if (await tx.user.findUnique({ where: { email: seed.email }, select: { id: true } })) return;
      const user = await tx.user.create({
        data: {
          id: newId(seed.role === 'customer' ? 'cus' : 'usr'),
          role: seed.role,
          email: seed.email,
          phone: seed.phone,
          fullName: seed.fullName,
          nationalId: seed.role === 'customer' ? '12345678' : null,
          kycTier: seed.kycTier,
          passwordHash,
          status: 'active',
          createdAt: new Date(),
        },
      });
      if (seed.role === 'customer') {
        const wallet = await accounts.openAccount(tx, user.id, 'wallet', HOME_CURRENCY);
        await sandbox.deposit(
          tx,
          { id: user.id, role: 'customer' },
          wallet.id,
          SANDBOX_OPENING_BALANCE_MINOR,
          HOME_CURRENCY,
          { enforceLimits: false },
        );
      }
    }).catch(ignoreRace);
  }
  const partner = await db.prisma.partnerClient.findUnique({ where: { id: SANDBOX_PARTNER_ID } });
  if (!partner || !(await verifySecret(partner.secretHash, config.sandboxPartnerSecret))) {
    const secretHash = await hashSecret(config.sandboxPartnerSecret);
    await db.prisma.partnerClient
      .upsert({
        where: { id: SANDBOX_PARTNER_ID },
        update: { secretHash },
        create: { id: SANDBOX_PARTNER_ID, name: 'Sandbox partner', secretHash, createdAt: new Date() },
      })
      .catch(ignoreRace);
  }
  await ensurePublicWebClient(db);
  // The sandbox customer has consented to the sandbox partner, so widget sessions work out of the box.
  const customer = await db.prisma.user.findUnique({ where: { email: SANDBOX_USERS[0].email } });
  if (customer) {
    await db.prisma.partnerCustomer
      .upsert({
        where: { partnerId_customerId: { partnerId: SANDBOX_PARTNER_ID, customerId: customer.id } },
        update: {},
        create: {
          partnerId: SANDBOX_PARTNER_ID,
          customerId: customer.id,
          source: 'consent',
          createdAt: new Date(),
        },
      })
      .catch(ignoreRace);
  }
}

/** A unique index refused a seed row: another instance starting at the same moment wrote it first. */
function ignoreRace(error: unknown): void {
  if (!isUniqueViolation(error)) throw error;
}

/** The public first-party client every mode has (its id is no secret). */
export async function ensurePublicWebClient(db: Database): Promise<void> {
  await db.prisma.partnerClient
    .upsert({
      where: { id: PUBLIC_WEB_CLIENT_ID },
      update: {},
      create: {
        id: PUBLIC_WEB_CLIENT_ID,
        name: 'Wekeza web',
        secretHash: '',
        type: 'public',
        createdAt: new Date(),
      },
    })
    .catch(ignoreRace);
}

/** Production refuses to start on a database that holds the sandbox's well-known users or partner. */
export async function assertNoSandboxData(db: Database): Promise<void> {
  const users = await db.prisma.user.count({ where: { email: { in: SANDBOX_USERS.map((u) => u.email) } } });
  const partner = await db.prisma.partnerClient.count({ where: { id: SANDBOX_PARTNER_ID } });
  if (users > 0 || partner > 0) {
    throw new ConfigError(
      'refusing to start in production: the database holds sandbox users or the sandbox partner (their credentials are public)',
    );
  }
}
