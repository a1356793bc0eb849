import { formatAmount } from '@wekeza/sdk';
import { addDays } from '../../bank-calendar.ts';
import type { BankClock } from '../../bank-clock.ts';
import type { Db } from '../../db/database.ts';
import { conflict, currencyMismatch, forbidden, notFound } from '../../errors.ts';
import type { DailyClose } from '../../jobs/daily-close.ts';
import type { AuditLog } from '../audit/log.ts';
import type { Principal } from '../identity/service.ts';
import type { KycService } from '../kyc/service.ts';
import type { Ledger, PostedEntry } from '../ledger/ledger.ts';

/** Sandbox-only conveniences: money that appears instantly, for demos and tests. */
export class SandboxService {
  constructor(
    private readonly ledger: Ledger,
    private readonly kyc: KycService,
    private readonly audit: AuditLog,
    private readonly bankClock: BankClock,
    private readonly dailyClose: DailyClose,
  ) {}

  /** The test clock: today's bank date, and how far the daily close has run. */
  async clock(): Promise<{ bankDate: string; closedThrough: string | null; offsetDays: number }> {
    await this.bankClock.refresh();
    return {
      bankDate: this.bankClock.today(),
      closedThrough: await this.dailyClose.closedThrough(),
      offsetDays: this.bankClock.offset,
    };
  }

  /**
   * Moves the bank date `days` forward one day at a time, closing each day passed (its interest,
   * due dates, sweeps, maturities…) before the next begins, so money that moves while the clock
   * runs lands on the right day. Wall time is untouched. When another instance is closing, waits
   * for it.
   */
  async advance(principal: Principal, days: number): Promise<{ closed: string[] }> {
    if (principal.role !== 'customer' && principal.role !== 'admin')
      throw forbidden('Only customers and admins move the sandbox clock.');
    const closed: string[] = [];
    for (let i = 0; i < days; i++) {
      const today = await this.bankClock.advance(1);
      const yesterday = addDays(today, -1);
      for (;;) {
        const result = await this.dailyClose.closeThrough(yesterday);
        closed.push(...result.closed);
        if (!result.busy && (result.closedThrough ?? '') >= yesterday) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    return { closed };
  }

  /**
   * Credits a customer account as an instantly settled deposit: debit the bank's sandbox funding
   * account (cash in transit), credit the customer. Customers fund their own accounts, admins any;
   * bankers do not move customers' money. The customer's KYC maximum balance applies.
   */
  async deposit(
    tx: Db,
    principal: Principal,
    accountId: string,
    amountMinor: bigint,
    currency: string,
    /** The seed's opening balance is the bank's own set-up, not a customer movement. */
    options: { enforceLimits?: boolean } = {},
  ): Promise<PostedEntry> {
    if (principal.role !== 'customer' && principal.role !== 'admin')
      throw forbidden('Only customers (their own accounts) and admins make sandbox deposits.');
    const account = await tx.account.findUnique({
      where: { id: accountId },
      select: { id: true, ownerId: true, currency: true, type: true, status: true },
    });
    if (!account || account.ownerId === null) throw notFound('account');
    if (principal.role === 'customer' && account.ownerId !== principal.id) throw notFound('account');
    if (account.type === 'fixed_deposit')
      throw conflict('A fixed deposit is funded from the wallet when it opens, never afterwards.');
    if (account.status !== 'open') throw conflict('The account is closed.');
    if (account.currency !== currency)
      throw currencyMismatch(`The account holds ${account.currency}, the amount is in ${currency}.`);
    const funding = this.ledger.bankAccount('sandbox_funding', currency);
    const locked = await this.ledger.lock(tx, [funding, account.id]);
    const [owner] = (await this.kyc.lockCustomers(tx, [account.ownerId])).values();
    if (!owner) throw notFound('account');
    if (options.enforceLimits !== false) await this.kyc.assertCanHold(tx, owner, currency, amountMinor);
    const entry = await this.ledger.post(
      tx,
      {
        kind: 'deposit',
        description: 'Sandbox deposit',
        postings: [
          { accountId: funding, side: 'debit', amountMinor },
          { accountId: account.id, side: 'credit', amountMinor },
        ],
      },
      locked,
    );
    await this.audit.record(tx, principal, {
      action: 'deposit.sandbox',
      subject: { type: 'account', id: account.id },
      after: { amount: formatAmount(amountMinor, currency), currency, journal_entry_id: entry.id },
    });
    return entry;
  }
}
