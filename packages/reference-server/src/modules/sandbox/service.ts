import { formatAmount } from '@wekeza/sdk';
import type { Db } from '../../db/database.ts';
import { currencyMismatch, forbidden, notFound } from '../../errors.ts';
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
  ) {}

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
      select: { id: true, ownerId: true, currency: true },
    });
    if (!account || account.ownerId === null) throw notFound('account');
    if (principal.role === 'customer' && account.ownerId !== principal.id) throw notFound('account');
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
