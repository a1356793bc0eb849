import { createHash } from 'node:crypto';

/** The fields of a posting its chain hash commits to. */
export interface ChainedPosting {
  id: string;
  entryId: string;
  accountId: string;
  accountSeq: bigint;
  side: string;
  amountMinor: bigint;
  currency: string;
  balanceAfterMinor: bigint;
  createdAt: Date;
  /** The entry's bank day (statements and end-of-day balances read it). */
  effectiveDate: string;
}

/** The hash before an account's first chained posting. */
export const GENESIS = '0'.repeat(64);

/**
 * A posting's link in its account's chain: SHA-256 over the previous posting's hash and the
 * posting's own fields, unambiguously encoded. The account row is locked when a posting is written,
 * so the chain costs no contention; editing, removing or reordering a posting breaks every later
 * link — and rewriting the chain from there changes the head, which the daily ledger digest (sealed
 * into the signed audit log) still holds.
 */
export function chainHash(previous: string | null, p: ChainedPosting): string {
  const fields = [
    p.id,
    p.entryId,
    p.accountId,
    p.accountSeq.toString(),
    p.side,
    p.amountMinor.toString(),
    p.currency,
    p.balanceAfterMinor.toString(),
    p.createdAt.toISOString(),
    p.effectiveDate,
  ];
  return createHash('sha256')
    .update(`wekeza/posting/v1\n${previous ?? GENESIS}\n${JSON.stringify(fields)}`)
    .digest('hex');
}
