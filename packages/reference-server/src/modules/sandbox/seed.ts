import { type Config, ConfigError } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { isUniqueViolation, sqlTransaction, transaction } from '../../db/transaction.ts';
import { newId } from '../../ids.ts';
import type { AccountsService } from '../accounts/service.ts';
import { hashSecret, verifySecret } from '../identity/passwords.ts';
import { HOME_CURRENCY } from '../identity/service.ts';
import type { InsuranceProductInput, InsuranceProducts } from '../insurance/products.ts';
import type { LoanProductInput, LoanProductsService } from '../loans/products.ts';
import type { NewSavingsProduct, SavingsProducts } from '../savings/products.ts';
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

const kes = (shillings: number) => BigInt(shillings) * 100n;

/** The sandbox's loan products (KES): fixed ids, so seeding again finds them. */
export const SANDBOX_LOAN_PRODUCTS: readonly (LoanProductInput & { id: string })[] = [
  {
    // A digital loan: small, short, priced per month, a processing fee up front.
    id: 'lprod_sandbox_digital',
    name: 'Haraka digital loan (1–3 months)',
    currency: 'KES',
    interestMethod: 'declining_balance',
    amortization: 'equal_instalments',
    annualRate: '0.36',
    processingFeeRate: '0.03',
    penaltyRate: '0.12',
    minAmountMinor: kes(500),
    maxAmountMinor: kes(50_000),
    minTermMonths: 1,
    maxTermMonths: 3,
    graceDays: 3,
    writeOffDays: 180,
  },
  {
    id: 'lprod_sandbox_personal',
    name: 'Personal loan (12 months, declining balance)',
    currency: 'KES',
    interestMethod: 'declining_balance',
    amortization: 'equal_instalments',
    annualRate: '0.16',
    processingFeeRate: '0.02',
    penaltyRate: '0.06',
    minAmountMinor: kes(10_000),
    maxAmountMinor: kes(1_000_000),
    minTermMonths: 12,
    maxTermMonths: 12,
    graceDays: 5,
    writeOffDays: 360,
  },
  {
    id: 'lprod_sandbox_flat',
    name: 'Biashara flat-rate loan (3–6 months)',
    currency: 'KES',
    interestMethod: 'flat',
    annualRate: '0.24',
    processingFeeRate: '0.025',
    penaltyRate: '0.08',
    minAmountMinor: kes(5_000),
    maxAmountMinor: kes(300_000),
    minTermMonths: 3,
    maxTermMonths: 6,
    graceDays: 3,
    writeOffDays: 270,
  },
];

/**
 * The sandbox's savings products (fixed ids, so seeding is idempotent): a savings account at 8 % and
 * fixed deposits for 3, 6 and 12 months — the rates of docs/savings.md's worked examples.
 */
export const SANDBOX_SAVINGS_PRODUCTS: readonly NewSavingsProduct[] = [
  {
    id: 'sprod_sandbox_savings',
    name: 'Wekeza Savings',
    type: 'savings',
    currency: HOME_CURRENCY,
    annualRate: '0.08',
    minOpeningBalanceMinor: 0n,
  },
  ...(
    [
      [3, '0.09'],
      [6, '0.10'],
      [12, '0.11'],
    ] as const
  ).map(([months, rate]) => ({
    id: `sprod_sandbox_fd_${months}m`,
    name: `Fixed deposit, ${months} months`,
    type: 'fixed_deposit' as const,
    currency: HOME_CURRENCY,
    annualRate: rate,
    minOpeningBalanceMinor: 100_000n, // KES 1,000.00
    termMonths: [months],
    earlyCloseForfeitShare: '0.5',
  })),
];

/**
 * The sandbox's insurance products (fixed ids): a monthly life cover, a phone (asset) cover paid once
 * for a year, and a credit-life cover that every sandbox loan product offers as an option.
 */
export const SANDBOX_INSURANCE_PRODUCTS: readonly (InsuranceProductInput & { id: string })[] = [
  {
    id: 'iprod_sandbox_life',
    name: 'Wekeza Life cover (monthly)',
    coverType: 'life',
    underwriter: 'Jubilee Life (sandbox)',
    currency: HOME_CURRENCY,
    premiumMinor: kes(250),
    premiumRate: null,
    frequency: 'monthly',
    termMonths: null,
    graceDays: 15,
    reinstatementDays: 60,
    commissionRate: '0.15',
    refundRule: 'pro_rata',
    minSumInsuredMinor: kes(250_000),
    maxSumInsuredMinor: kes(250_000),
    minAge: 18,
    maxAge: 65,
    minKycTier: 1,
    loanProducts: [],
  },
  {
    id: 'iprod_sandbox_phone',
    name: 'Simu phone cover (12 months)',
    coverType: 'asset',
    underwriter: 'APA Insurance (sandbox)',
    currency: HOME_CURRENCY,
    premiumMinor: null,
    premiumRate: '0.006',
    frequency: 'single',
    termMonths: 12,
    graceDays: 0,
    reinstatementDays: 0,
    commissionRate: '0.2',
    refundRule: 'pro_rata',
    minSumInsuredMinor: kes(5_000),
    maxSumInsuredMinor: kes(200_000),
    minAge: null,
    maxAge: null,
    minKycTier: 0,
    loanProducts: [],
  },
  {
    id: 'iprod_sandbox_credit_life',
    name: 'Credit life (loan protection)',
    coverType: 'credit_life',
    underwriter: 'Jubilee Life (sandbox)',
    currency: HOME_CURRENCY,
    premiumMinor: null,
    premiumRate: '0.001',
    frequency: 'single',
    termMonths: null,
    graceDays: 0,
    reinstatementDays: 0,
    commissionRate: '0.1',
    refundRule: 'none',
    minSumInsuredMinor: null,
    maxSumInsuredMinor: null,
    minAge: null,
    maxAge: null,
    minKycTier: 0,
    loanProducts: SANDBOX_LOAN_PRODUCTS.map((p) => ({ loanProductId: p.id, mandatory: false })),
  },
];

/**
 * Seeds the sandbox users, the partner client, a funded wallet for the customer and the savings
 * products. Idempotent: running it again (or on several servers at once) changes nothing but a
 * changed password; a product an administrator has changed keeps its changes.
 */
export async function seedSandbox(
  db: Database,
  config: Config,
  accounts: AccountsService,
  sandbox: SandboxService,
  products?: SavingsProducts,
  loanProducts?: LoanProductsService,
  insuranceProducts?: InsuranceProducts,
): Promise<void> {
  if (products) {
    for (const product of SANDBOX_SAVINGS_PRODUCTS) {
      if (await db.prisma.savingsProduct.findUnique({ where: { id: product.id }, select: { id: true } }))
        continue;
      try {
        await transaction(db, (tx) => products.insert(tx, product));
      } catch (error) {
        if (!isUniqueViolation(error)) throw error; // another server seeded it first
      }
    }
  }
  if (loanProducts) {
    for (const { id, ...product } of SANDBOX_LOAN_PRODUCTS) {
      await transaction(db, (tx) => loanProducts.ensure(tx, id, product));
    }
  }
  if (insuranceProducts) {
    for (const product of SANDBOX_INSURANCE_PRODUCTS) {
      const [found] = await db.sql.$queryRawUnsafe<{ id: string }[]>(
        'SELECT id FROM insurance_products WHERE id = ?',
        product.id,
      );
      if (found) continue;
      try {
        await sqlTransaction(db, (tx) => insuranceProducts.insert(tx, product));
      } catch (error) {
        if (!isUniqueViolation(error)) throw error; // another server seeded it first
      }
    }
  }
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
          // Ends in 1: the sandbox credit bureau answers it with a clean file (8 would never answer).
          nationalId: seed.role === 'customer' ? '12345671' : null,
          kycTier: seed.kycTier,
          // Age-banded cover (the sandbox life product) needs one.
          dateOfBirth: seed.role === 'customer' ? '1990-04-12' : null,
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
