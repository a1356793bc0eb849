import type { Db } from '../../db/database.ts';

/** Where the money of a paybill payment comes from: the rail's settlement account, and its receipt. */
export interface PaybillSource {
  rail: string;
  /** The rail's receipt (M-Pesa TransID): the repayment's own reference. */
  receipt: string;
  /** The bank account to debit (the rail's settlement account in the payment's currency). */
  accountId: string;
  currency: string;
  phone?: string | undefined;
}

/** What a repayment by loan number came to. */
export interface PaybillRepayment {
  loanId: string;
  /** The loan's owner: any excess the target left goes to their wallet. */
  customerId: string;
  /**
   * What the target took of the payment: at least what the loan took, at most the payment (a target
   * that pays the excess to the owner itself, in its own entry, answers the whole payment).
   */
  appliedMinor: bigint;
}

/**
 * What a C2B payment to an account number can repay: the Borrow domain provides it. In the
 * caller's transaction it repays the open loan with that `loan_number` from `source` (posting its
 * own entry that debits `source.accountId` by `appliedMinor`), and answers how much it took; or
 * answers `undefined` when no loan has that number (the payment then goes to a wallet or to
 * suspense). Borrow's target (loans/paybill.ts) takes the whole payment: the loan its payoff, the
 * owner's wallet the rest.
 */
export interface PaybillTarget {
  repayByLoanNumber(
    tx: Db,
    loanNumber: string,
    amountMinor: bigint,
    source: PaybillSource,
  ): Promise<PaybillRepayment | undefined>;
}
