import type { Database } from '../../db/database.ts';
import { forbidden, notFound } from '../../errors.ts';
import type { AuditLog } from '../audit/log.ts';
import type { Principal } from '../identity/service.ts';
import type { RateLimiter } from '../throttle/limiter.ts';
import { maskName, normalisePhone } from './mask.ts';

/** The only currency a phone number pays into: the recipient's KES wallet. */
export const PAYEE_CURRENCY = 'KES';

export interface PayeeLimits {
  /** Lookups per caller per hour, found or not (WEKEZA_PAYEE_LOOKUPS_PER_HOUR). */
  lookupsPerHour: number;
  /** Lookups that found nobody, per caller per day (WEKEZA_PAYEE_MISSES_PER_DAY). */
  missesPerDay: number;
}

export interface ResolvedPayee {
  accountId: string;
  displayName: string;
}

export type LookupOutcome = 'found' | 'missed' | 'limited';

const LIMITED = 'Too many payee lookups; retry later.';
/** Every miss is this one answer, whatever the reason: nobody, staff, disabled, no open KES wallet. */
const MISS = () => notFound('payee');

/**
 * Pay by phone number: whom a number pays, as a customer about to send money sees it — the
 * recipient's KES wallet and their masked name. It must not become a directory of customers, so:
 * - only a customer (or the customer's widget session granted `payees:resolve`) may ask, never a
 *   partner back end or staff (they have other, audited ways to find a customer);
 * - every reason a number does not resolve answers the same 404 after the same two reads, so a
 *   miss cannot tell "not a customer" from "no wallet" or "disabled", nor by its timing;
 * - each caller's lookups are counted (the rate limiter's buckets are the per-caller counters):
 *   `lookupsPerHour` in all, and `missesPerDay` that found nobody — a miss slot is taken before the
 *   lookup and given back when it finds someone, so guesses cannot race past the limit. The caller
 *   who exhausts the miss budget is written to the audit log.
 */
export class PayeesService {
  /** Told of each lookup's outcome (the `wekeza_payee_lookups_total` metric). */
  onLookup: (outcome: LookupOutcome) => void = () => {};

  constructor(
    private readonly db: Database,
    private readonly limiter: RateLimiter,
    private readonly limits: PayeeLimits,
    private readonly audit: AuditLog,
  ) {}

  async resolve(principal: Principal, phone: string): Promise<ResolvedPayee> {
    if (principal.role !== 'customer') throw forbidden('Only customers look up payees.');
    const caller = principal.id;
    let slot: Awaited<ReturnType<RateLimiter['reserve']>>;
    try {
      await this.limiter.consume(`payee:lookup:${caller}`, this.limits.lookupsPerHour, 3600, LIMITED);
      slot = await this.limiter.reserve(`payee:miss:${caller}`, this.limits.missesPerDay, 86_400, LIMITED);
    } catch (error) {
      this.onLookup('limited');
      throw error;
    }
    let found: ResolvedPayee | undefined;
    try {
      found = await this.find(normalisePhone(phone));
    } catch (error) {
      await this.limiter.release(slot);
      throw error;
    }
    if (found) {
      await this.limiter.release(slot);
      this.onLookup('found');
      return found;
    }
    this.onLookup('missed');
    if (slot.slot >= this.limits.missesPerDay) {
      // The last miss of the day's budget: worth a look by whoever watches for enumeration.
      await this.db.sqlTransaction((tx) =>
        this.audit.record(tx, principal, {
          action: 'payee.lookups_exhausted',
          subject: { type: 'customer', id: caller },
          after: { misses: slot.slot, window_seconds: 86_400 },
        }),
      );
    } else {
      // The same one round trip a found number spends giving its slot back.
      await this.limiter.peek(`payee:miss:${caller}`, 86_400);
    }
    throw MISS();
  }

  /** The same two indexed reads whether or not the number is known. */
  private async find(phone: string): Promise<ResolvedPayee | undefined> {
    const user = await this.db.prisma.user.findUnique({
      where: { phone },
      select: { id: true, role: true, status: true, fullName: true },
    });
    const wallet = await this.db.prisma.account.findUnique({
      where: { walletKey: `${user?.id ?? '-'}:${PAYEE_CURRENCY}` },
      select: { id: true, type: true, status: true, currency: true },
    });
    if (
      user?.role !== 'customer' ||
      user.status !== 'active' ||
      !wallet ||
      wallet.type !== 'wallet' ||
      wallet.status !== 'open' ||
      wallet.currency !== PAYEE_CURRENCY
    )
      return undefined;
    return { accountId: wallet.id, displayName: maskName(user.fullName) };
  }
}
