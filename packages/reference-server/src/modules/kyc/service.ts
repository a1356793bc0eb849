import { formatAmount } from '@wekeza/sdk';
import type { BankClock } from '../../bank-clock.ts';
import { type Db, type Dialect, type Figure, readFigures, type Sql } from '../../db/database.ts';
import { type Writes, write } from '../../db/write-batch.ts';
import { conflict, forbidden, limitExceeded, notFound } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { AuditLog } from '../audit/log.ts';
import type { Principal, User } from '../identity/service.ts';
import type { KycTier, TierLimits, TierTable } from './tiers.ts';

/** A customer row read under its lock. */
export interface LockedCustomer {
  id: string;
  kycTier: KycTier;
  status: string;
}

const show = (minor: bigint, currency: string) => `${currency} ${formatAmount(minor, currency)}`;

/**
 * KYC tiers and what they allow: the most a customer may hold, send in a bank day, and borrow.
 * Movements check them inside their own transaction after locking the customers' rows, so two
 * movements cannot both squeeze under one limit: every movement that could change a figure a
 * check reads (the day's outgoing total, the sum held) holds the same customer's lock first, and
 * READ COMMITTED (db/database.ts) lets the check read what committed before the lock was granted.
 */
export class KycService {
  constructor(
    private readonly db: Db,
    private readonly dialect: Dialect,
    private readonly bankClock: BankClock,
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
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return new Map();
    const { sql, params } = this.lockStatement(wanted);
    return this.customersFrom(await tx.$queryRawUnsafe(sql, ...params));
  }

  /**
   * The statement that locks customers in id order: these, and the owners of these accounts (read
   * by subquery, so a movement can lock its accounts and then their owners in one round trip).
   */
  lockStatement(ids: string[], ownersOfAccounts: string[] = []): Figure {
    // Each owner as a scalar subquery: evaluated first, so the users are read (and locked) by
    // primary-key range in id order; `IN (SELECT …)` would scan or follow the accounts' order.
    const list = [
      ...ids.map(() => '?'),
      ...ownersOfAccounts.map(() => '(SELECT owner_id FROM accounts WHERE id = ?)'),
    ];
    return {
      sql: `SELECT id, kyc_tier, role, status FROM users WHERE id IN (${list.join(', ')}) ORDER BY id${this.dialect === 'mysql' ? ' FOR UPDATE' : ''}`,
      params: [...ids, ...ownersOfAccounts],
    };
  }

  /** The customers `lockStatement` answered (other roles are left out). */
  customersFrom(rows: unknown): Map<string, LockedCustomer> {
    const locked = new Map<string, LockedCustomer>();
    for (const row of rows as { id: string; kyc_tier: number | bigint; role: string; status: string }[]) {
      if (row.role === 'customer')
        locked.set(String(row.id), {
          id: String(row.id),
          kycTier: Number(row.kyc_tier) as KycTier,
          status: String(row.status),
        });
    }
    return locked;
  }

  /** How to read the customer's outgoing total for today's bank day (one row, under their lock). */
  sentToday(customerId: string, currency: string): Figure {
    return {
      sql: 'SELECT sent_minor FROM daily_outgoing WHERE customer_id = ? AND currency = ? AND bank_date = ?',
      params: [customerId, currency, this.today()],
    };
  }

  /**
   * Refuses an outgoing movement that would take the bank day's total to others beyond the daily
   * limit. The total is one row per customer, currency and day (`daily_outgoing`), so the check
   * costs the same whatever the customer's history; the caller holds the customer's lock, reads the
   * total with `sentToday` and records the movement with `recordSent` in the same transaction.
   */
  checkSend(customer: LockedCustomer, currency: string, amountMinor: bigint, sentToday: unknown): void {
    const limits = this.limitsOf(customer.kycTier, currency);
    const sent = BigInt(String(sentToday ?? 0));
    if (sent + amountMinor > limits.dailyOutgoingMinor) {
      throw limitExceeded(
        `KYC tier ${customer.kycTier} may send ${show(limits.dailyOutgoingMinor, currency)} a day; ${show(sent, currency)} already sent on ${this.today()}. Nothing was posted.`,
      );
    }
  }

  /** `checkSend`, reading the total itself. */
  async assertCanSend(
    tx: Sql,
    customer: LockedCustomer,
    currency: string,
    amountMinor: bigint,
  ): Promise<void> {
    const { sent } = await readFigures(tx, { sent: this.sentToday(customer.id, currency) });
    this.checkSend(customer, currency, amountMinor, sent);
  }

  /** Adds an outgoing movement to the customer's total for the bank day (after `assertCanSend`). */
  async recordSent(
    to: Writes,
    customer: LockedCustomer,
    currency: string,
    amountMinor: bigint,
  ): Promise<void> {
    const upsert =
      this.dialect === 'mysql'
        ? 'INSERT INTO daily_outgoing (customer_id, currency, bank_date, sent_minor) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE sent_minor = sent_minor + VALUES(sent_minor)'
        : 'INSERT INTO daily_outgoing (customer_id, currency, bank_date, sent_minor) VALUES (?, ?, ?, ?) ON CONFLICT (customer_id, currency, bank_date) DO UPDATE SET sent_minor = sent_minor + excluded.sent_minor';
    await write(to, upsert, [customer.id, currency, this.today(), amountMinor]);
  }

  /**
   * How to read what a customer holds in the currency: the sum over their deposit accounts. The
   * customer is given by id, or as the owner of an account (read by subquery).
   */
  holdings(customer: string | { ownerOf: string }, currency: string): Figure {
    const owner = typeof customer === 'string' ? '?' : '(SELECT owner_id FROM accounts WHERE id = ?)';
    return {
      sql: `SELECT COALESCE(SUM(balance_minor), 0) FROM accounts
             WHERE owner_id = ${owner} AND currency = ? AND type IN ('wallet', 'savings', 'fixed_deposit')`,
      params: [typeof customer === 'string' ? customer : customer.ownerOf, currency],
    };
  }

  /**
   * Gives back what an outgoing movement counted on `bankDate` when it definitely did not happen
   * (a rail payout that failed): the caller holds the customer's lock, as for `recordSent`.
   */
  async releaseSent(
    tx: Sql,
    customer: LockedCustomer,
    currency: string,
    bankDate: string,
    amountMinor: bigint,
  ): Promise<void> {
    await tx.$executeRawUnsafe(
      `UPDATE daily_outgoing SET sent_minor = CASE WHEN sent_minor > ? THEN sent_minor - ? ELSE 0 END
        WHERE customer_id = ? AND currency = ? AND bank_date = ?`,
      amountMinor,
      amountMinor,
      customer.id,
      currency,
      bankDate,
    );
  }

  /**
   * Whether the customer may receive `incomingMinor` more in the currency: an open customer under
   * the tier's maximum balance, summed over their deposit accounts (wallet, savings, fixed deposits),
   * as read with `holdings` under the customer's lock.
   */
  mayHold(customer: LockedCustomer, currency: string, incomingMinor: bigint, holdings: unknown): boolean {
    const limits = this.tiers[currency]?.[customer.kycTier];
    if (!limits || customer.status !== 'active') return false;
    return BigInt(String(holdings ?? 0)) + incomingMinor <= limits.maxBalanceMinor;
  }

  /** `mayHold`, reading the holdings itself. */
  async canHold(
    tx: Sql,
    customer: LockedCustomer,
    currency: string,
    incomingMinor: bigint,
  ): Promise<boolean> {
    const { held } = await readFigures(tx, { held: this.holdings(customer.id, currency) });
    return this.mayHold(customer, currency, incomingMinor, held);
  }

  /** The customer's own credit (e.g. a deposit they make): refused with the limit stated. */
  async assertCanHold(
    tx: Sql,
    customer: LockedCustomer,
    currency: string,
    incomingMinor: bigint,
  ): Promise<void> {
    const limits = this.limitsOf(customer.kycTier, currency);
    if (!(await this.canHold(tx, customer, currency, incomingMinor))) {
      throw limitExceeded(
        `KYC tier ${customer.kycTier} allows a balance of at most ${show(limits.maxBalanceMinor, currency)}. Nothing was posted.`,
      );
    }
  }

  /** The bank day limits are counted in. */
  private today(): string {
    return this.bankClock.today();
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
    // The history staff read in the Customer 360 (append-only, like the audit event beside it).
    await tx.kycTierChange.create({
      data: {
        id: newId('kyc'),
        customerId,
        fromTier: customer.kycTier,
        toTier: tier,
        evidence,
        changedBy: banker.id,
        createdAt: new Date(),
      },
    });
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
