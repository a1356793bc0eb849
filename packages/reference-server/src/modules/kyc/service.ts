import { formatAmount } from '@wekeza/sdk';
import { bankDate, type Clock, startOfBankDay } from '../../clock.ts';
import type { Db, Dialect, Sql } from '../../db/database.ts';
import { conflict, forbidden, limitExceeded, notFound } from '../../errors.ts';
import type { AuditLog } from '../audit/log.ts';
import type { Principal, User } from '../identity/service.ts';
import type { KycTier, TierLimits, TierTable } from './tiers.ts';

/** A customer row read under its lock. */
export interface LockedCustomer {
  id: string;
  kycTier: KycTier;
}

const show = (minor: bigint, currency: string) => `${currency} ${formatAmount(minor, currency)}`;

/**
 * KYC tiers and what they allow: the most a customer may hold, send in a bank-local day, and
 * borrow. Movements check them inside their own transaction, with the customers' rows locked, so
 * that two movements cannot both squeeze under one limit.
 */
export class KycService {
  constructor(
    private readonly db: Db,
    private readonly dialect: Dialect,
    private readonly clock: Clock,
    private readonly timeZone: string,
    private readonly tiers: TierTable,
    private readonly audit: AuditLog,
  ) {}

  limitsOf(tier: number, currency: string): TierLimits {
    const limits = this.tiers[currency]?.[tier as KycTier];
    if (!limits)
      throw limitExceeded(`No KYC limits are configured for ${currency}; movements in it are refused.`);
    return limits;
  }

  /** Locks customers' rows (in id order, after their accounts) for the rest of the transaction. */
  async lockCustomers(tx: Sql, ids: Iterable<string>): Promise<Map<string, LockedCustomer>> {
    const wanted = [...new Set(ids)].sort();
    const locked = new Map<string, LockedCustomer>();
    if (wanted.length === 0) return locked;
    const rows = await tx.$queryRawUnsafe<{ id: string; kyc_tier: number | bigint; role: string }[]>(
      `SELECT id, kyc_tier, role FROM users WHERE id IN (${wanted.map(() => '?').join(', ')}) ORDER BY id${this.dialect === 'mysql' ? ' FOR UPDATE' : ''}`,
      ...wanted,
    );
    for (const row of rows) {
      if (row.role === 'customer')
        locked.set(String(row.id), { id: String(row.id), kycTier: Number(row.kyc_tier) as KycTier });
    }
    return locked;
  }

  /** Refuses an outgoing movement that would take today's total to others beyond the daily limit. */
  async assertCanSend(
    tx: Sql,
    customer: LockedCustomer,
    currency: string,
    amountMinor: bigint,
  ): Promise<void> {
    const limits = this.limitsOf(customer.kycTier, currency);
    const now = this.clock.now();
    const [row] = await tx.$queryRawUnsafe<{ total: unknown }[]>(
      `SELECT COALESCE(SUM(t.amount_minor), 0) AS total
         FROM transfers t JOIN accounts a ON a.id = t.to_account_id
        WHERE t.initiated_by = ? AND t.currency = ? AND t.created_at >= ?
          AND (a.owner_id IS NULL OR a.owner_id <> ?)`,
      customer.id,
      currency,
      startOfBankDay(now, this.timeZone),
      customer.id,
    );
    const sent = BigInt(String(row?.total ?? 0));
    if (sent + amountMinor > limits.dailyOutgoingMinor) {
      throw limitExceeded(
        `KYC tier ${customer.kycTier} may send ${show(limits.dailyOutgoingMinor, currency)} a day; ${show(sent, currency)} already sent on ${bankDate(now, this.timeZone)}. Nothing was posted.`,
      );
    }
  }

  /** Refuses an incoming movement that would take the customer's holdings beyond the tier's maximum balance. */
  async assertCanHold(
    tx: Sql,
    customer: LockedCustomer,
    currency: string,
    incomingMinor: bigint,
  ): Promise<void> {
    const limits = this.limitsOf(customer.kycTier, currency);
    const [row] = await tx.$queryRawUnsafe<{ total: unknown }[]>(
      'SELECT COALESCE(SUM(balance_minor), 0) AS total FROM accounts WHERE owner_id = ? AND currency = ?',
      customer.id,
      currency,
    );
    const held = BigInt(String(row?.total ?? 0));
    if (held + incomingMinor > limits.maxBalanceMinor) {
      throw limitExceeded(
        `The receiving customer's KYC tier allows a balance of at most ${show(limits.maxBalanceMinor, currency)}. Nothing was posted.`,
      );
    }
  }

  /** A banker raises a customer's tier on evidence; the change and the evidence are audited. */
  async raiseTier(
    tx: Db,
    banker: Principal,
    customerId: string,
    tier: number,
    evidence: string,
  ): Promise<User> {
    if (banker.role !== 'banker') throw forbidden('Only bankers change KYC tiers.');
    const [customer] = (await this.lockCustomers(tx, [customerId])).values();
    if (!customer) throw notFound('customer');
    if (tier <= customer.kycTier) throw conflict(`The customer is already at KYC tier ${customer.kycTier}.`);
    const user = await tx.user.update({ where: { id: customerId }, data: { kycTier: tier } });
    await this.audit.record(tx, banker, {
      action: 'kyc.tier_raised',
      subject: { type: 'customer', id: customerId },
      before: { kyc_tier: customer.kycTier },
      after: { kyc_tier: tier },
      reason: evidence,
    });
    return user;
  }

  /** A customer's profile, for staff. */
  async customer(principal: Principal, id: string): Promise<User> {
    if (principal.role !== 'banker' && principal.role !== 'admin') throw forbidden();
    const user = await this.db.user.findUnique({ where: { id } });
    if (user?.role !== 'customer') throw notFound('customer');
    return user;
  }
}
