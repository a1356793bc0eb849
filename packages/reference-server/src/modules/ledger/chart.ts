/**
 * The bank's own accounts (DOMAIN.md "Chart of accounts"). Customer accounts are liabilities of
 * the bank and are opened per customer; these exist once per currency and are created on first use.
 */
export type Category = 'asset' | 'liability' | 'equity' | 'income' | 'expense';
export type Side = 'debit' | 'credit';

export interface BankAccountDefinition {
  code: string;
  name: string;
  category: Category;
}

export const BANK_ACCOUNTS = {
  sandbox_funding: { code: 'sandbox_funding', name: 'Sandbox funding (cash in transit)', category: 'asset' },
  settlement_mpesa: { code: 'settlement_mpesa', name: 'M-Pesa settlement', category: 'asset' },
  settlement_rtgs: { code: 'settlement_rtgs', name: 'RTGS settlement', category: 'asset' },
  settlement_card: { code: 'settlement_card', name: 'Card settlement', category: 'asset' },
  /** Money a rail brought in for nobody we could name (a C2B payment to an unknown account number): staff resolve it. */
  rail_suspense: {
    code: 'rail_suspense',
    name: 'Unidentified rail receipts (suspense)',
    category: 'liability',
  },
  interest_income: { code: 'interest_income', name: 'Interest income', category: 'income' },
  interest_expense: { code: 'interest_expense', name: 'Interest expense', category: 'expense' },
  // Save: fixed-deposit interest accrued daily and owed at maturity; tax withheld from interest paid.
  interest_payable: {
    code: 'interest_payable',
    name: 'Interest payable (fixed deposits, accrued)',
    category: 'liability',
  },
  withholding_tax_payable: {
    code: 'withholding_tax_payable',
    name: 'Withholding tax payable',
    category: 'liability',
  },
  fee_income: { code: 'fee_income', name: 'Fee income', category: 'income' },
  penalty_income: { code: 'penalty_income', name: 'Penalty income', category: 'income' },
  loan_loss_expense: {
    code: 'loan_loss_expense',
    name: 'Loan loss / write-off expense',
    category: 'expense',
  },
  // Borrow: the loan control accounts (each loan's share is in the loans' sub-ledger, `loan_postings`).
  loan_principal_receivable: {
    code: 'loan_principal_receivable',
    name: 'Loans: principal receivable',
    category: 'asset',
  },
  loan_interest_receivable: {
    code: 'loan_interest_receivable',
    name: 'Loans: interest receivable',
    category: 'asset',
  },
  loan_fees_receivable: {
    code: 'loan_fees_receivable',
    name: 'Loans: fees and penalties receivable',
    category: 'asset',
  },
  /** Interest and penalties accrued on non-performing loans: not income until paid (a contra-asset). */
  interest_in_suspense: { code: 'interest_in_suspense', name: 'Interest in suspense', category: 'liability' },
  recovery_income: {
    code: 'recovery_income',
    name: 'Recoveries on written-off loans',
    category: 'income',
  },
  insurance_premiums_payable: {
    code: 'insurance_premiums_payable',
    name: 'Insurance premiums payable',
    category: 'liability',
  },
  // Insure: what underwriters owe the bank for claims it paid on their behalf, and the bank's commission.
  insurance_claims_receivable: {
    code: 'insurance_claims_receivable',
    name: 'Insurance claims receivable (from underwriters)',
    category: 'asset',
  },
  insurance_commission_income: {
    code: 'insurance_commission_income',
    name: 'Insurance commission income',
    category: 'income',
  },
} as const satisfies Record<string, BankAccountDefinition>;

export type BankAccountCode = keyof typeof BANK_ACCOUNTS;

/** Assets and expenses grow with debits; liabilities, equity and income with credits. */
export function normalSideOf(category: Category): Side {
  return category === 'asset' || category === 'expense' ? 'debit' : 'credit';
}

export function bankAccountId(code: BankAccountCode, currency: string): string {
  return `acc_bank_${code}_${currency.toLowerCase()}`;
}

/** How a posting changes an account's balance on its normal side. */
export function balanceDelta(normalSide: Side, side: Side, amount: bigint): bigint {
  return side === normalSide ? amount : -amount;
}
