import type { Db } from '../../db/database.ts';
import { currencyMismatch, forbidden, notFound } from '../../errors.ts';
import type { Principal } from '../identity/service.ts';
import type { Ledger, PostedEntry } from '../ledger/ledger.ts';

/** Sandbox-only conveniences: money that appears instantly, for demos and tests. */
export class SandboxService {
  constructor(private readonly ledger: Ledger) {}

  /**
   * Credits a customer account as an instantly settled deposit: debit the bank's sandbox funding
   * account (cash in transit), credit the customer. Customers fund their own accounts; staff any.
   */
  async deposit(
    tx: Db,
    principal: Principal,
    accountId: string,
    amountMinor: bigint,
    currency: string,
  ): Promise<PostedEntry> {
    if (principal.role === 'partner') throw forbidden('Partners cannot make sandbox deposits.');
    const account = await tx.account.findUnique({
      where: { id: accountId },
      select: { id: true, ownerId: true, currency: true },
    });
    if (!account || account.ownerId === null) throw notFound('account');
    if (principal.role === 'customer' && account.ownerId !== principal.id) throw notFound('account');
    if (account.currency !== currency)
      throw currencyMismatch(`The account holds ${account.currency}, the amount is in ${currency}.`);
    const funding = this.ledger.bankAccount('sandbox_funding', currency);
    return this.ledger.post(tx, {
      kind: 'deposit',
      description: 'Sandbox deposit',
      postings: [
        { accountId: funding, side: 'debit', amountMinor },
        { accountId: account.id, side: 'credit', amountMinor },
      ],
    });
  }
}
