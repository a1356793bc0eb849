import { type BorrowFixtures, defaultBorrowFixtures } from './loans.ts';

/**
 * The built-in fixtures of mock mode, on the wire (snake_case, money as decimal strings), so the
 * fake answers exactly what the server would: one customer, a KES wallet and a KES savings account,
 * 30 transactions, and two accounts of other customers (one KES, one USD) to send money to.
 */
export interface WireMoney {
  amount: string;
  currency: string;
}

export interface WireAccount {
  id: string;
  type: 'wallet' | 'savings' | 'fixed_deposit';
  currency: string;
  status: 'open' | 'closed';
  /** Minor units; the fake keeps balances as bigint and renders them on the way out. */
  ledgerMinor: bigint;
  /** Pending holds in minor units (available = ledger − holds). */
  holdsMinor: bigint;
  /** The owner: the fixture customer's id, or another customer's. */
  ownerId: string;
  created_at: string;
}

export interface WireTransaction {
  id: string;
  account_id: string;
  journal_entry_id: string;
  kind: string;
  description: string;
  direction: 'credit' | 'debit';
  amount: WireMoney;
  balance_after: WireMoney;
  effective_date: string;
  created_at: string;
}

export interface MockFixtures {
  customer: {
    id: string;
    email: string;
    phone: string;
    full_name: string;
    kyc_tier: number;
    roles: ('customer' | 'banker' | 'admin' | 'partner')[];
    created_at: string;
  };
  /** Sign-in credentials the fake accepts (any other pair answers 401 unauthenticated). */
  credentials: { usernames: string[]; password: string };
  accounts: WireAccount[];
  /** Newest first, per account. */
  transactions: WireTransaction[];
  /** Borrow: credit limit, loan products, applications and loans (see `mock/loans.ts`). */
  borrow: BorrowFixtures;
}

export const MOCK_CUSTOMER_ID = 'cus_01HZAMINA0DHIAMB0';
export const MOCK_WALLET_ID = 'acc_01HZWALLETAMINA';
export const MOCK_SAVINGS_ID = 'acc_01HZSAVINGSAMINA';
/** Another customer's KES wallet: a valid destination that is not listed among the customer's accounts. */
export const MOCK_OTHER_KES_ID = 'acc_01HZWALLETBRIAN';
/** Another customer's USD wallet: sending KES to it answers `currency_mismatch`. */
export const MOCK_OTHER_USD_ID = 'acc_01HZUSDWALLETCHEN';
/** The one-time code the fake accepts for step-up. */
export const MOCK_OTP = '123456';
/** Transfers above this many KES minor units need step-up (`mfa_required`) in the fake. */
export const MOCK_STEP_UP_MINOR = 10_000_000n;

export function formatMinor(minor: bigint, exponent = 2): string {
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(exponent + 1, '0');
  const body = exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
  return negative ? `-${body}` : body;
}

const WALLET_HISTORY: [string, string, bigint][] = [
  // [kind, description, signed minor units], oldest first
  ['deposit', 'M-Pesa deposit', 2_500_000n],
  ['transfer', 'Kenya Power token', -250_000n],
  ['transfer', 'Naivas Supermarket', -432_550n],
  ['deposit', 'Salary — Acme Ltd', 8_500_000n],
  ['transfer', 'Rent — Mwangi Properties', -3_500_000n],
  ['transfer', 'To savings', -1_000_000n],
  ['transfer', 'Safaricom airtime', -50_000n],
  ['transfer', 'Java House', -87_000n],
  ['deposit', 'M-Pesa deposit', 300_000n],
  ['transfer', 'Nairobi Water', -180_025n],
  ['transfer', 'Matatu fare pool', -12_000n],
  ['transfer', 'Chama contribution', -500_000n],
  ['transfer', 'Carrefour Two Rivers', -615_075n],
  ['deposit', 'Refund — Jumia', 149_900n],
  ['transfer', 'School fees — St. Mary’s', -1_200_000n],
  ['transfer', 'Zuku internet', -299_900n],
  ['deposit', 'Transfer from Brian', 250_000n],
  ['transfer', 'Uber trip', -64_300n],
  ['transfer', 'Pharmacy — Goodlife', -35_050n],
  ['transfer', 'Quickmart', -210_000n],
  ['deposit', 'Freelance — design work', 1_800_000n],
  ['transfer', 'Kenya Power token', -200_000n],
  ['transfer', 'Artcaffe', -96_000n],
  ['transfer', 'Netflix', -110_000n],
];

const SAVINGS_HISTORY: [string, string, bigint][] = [
  ['transfer', 'Opening deposit', 5_000_000n],
  ['transfer', 'From wallet', 1_000_000n],
  ['interest_posting', 'Interest for the month', 37_500n],
  ['transfer', 'From wallet', 2_000_000n],
  ['interest_posting', 'Interest for the month', 62_500n],
  ['transfer', 'From wallet', 4_400_000n],
];

function history(
  accountId: string,
  prefix: string,
  lines: [string, string, bigint][],
  startDay: number,
  /** Days between two lines (savings: about monthly, so its growth spans months). */
  stepDays = 3,
): { transactions: WireTransaction[]; balance: bigint } {
  let balance = 0n;
  const transactions: WireTransaction[] = [];
  lines.forEach(([kind, description, minor], index) => {
    balance += minor;
    const day = new Date(Date.UTC(2025, 0, startDay + index * stepDays));
    const date = day.toISOString().slice(0, 10);
    const n = String(index + 1).padStart(3, '0');
    transactions.push({
      id: `txn_${prefix}${n}`,
      account_id: accountId,
      journal_entry_id: `je_${prefix}${n}`,
      kind,
      description,
      direction: minor < 0n ? 'debit' : 'credit',
      amount: { amount: formatMinor(minor), currency: 'KES' },
      balance_after: { amount: formatMinor(balance), currency: 'KES' },
      effective_date: date,
      created_at: `${date}T09:${String(10 + index).padStart(2, '0')}:00.000Z`,
    });
  });
  return { transactions: transactions.reverse(), balance };
}

/** A fresh, independent copy of the built-in fixtures. */
export function defaultFixtures(): MockFixtures {
  const wallet = history(MOCK_WALLET_ID, 'W', WALLET_HISTORY, 2);
  const savings = history(MOCK_SAVINGS_ID, 'S', SAVINGS_HISTORY, 5, 20);
  return {
    customer: {
      id: MOCK_CUSTOMER_ID,
      email: 'customer@sandbox.test',
      phone: '+254712345678',
      full_name: 'Amina Odhiambo',
      kyc_tier: 1,
      roles: ['customer'],
      created_at: '2024-12-30T08:00:00.000Z',
    },
    credentials: { usernames: ['customer@sandbox.test', '+254712345678'], password: 'sandbox-pass-123' },
    accounts: [
      {
        id: MOCK_WALLET_ID,
        type: 'wallet',
        currency: 'KES',
        status: 'open',
        ledgerMinor: wallet.balance,
        holdsMinor: 50_000n,
        ownerId: MOCK_CUSTOMER_ID,
        created_at: '2024-12-30T08:00:00.000Z',
      },
      {
        id: MOCK_SAVINGS_ID,
        type: 'savings',
        currency: 'KES',
        status: 'open',
        ledgerMinor: savings.balance,
        holdsMinor: 0n,
        ownerId: MOCK_CUSTOMER_ID,
        created_at: '2025-01-04T08:00:00.000Z',
      },
      {
        id: MOCK_OTHER_KES_ID,
        type: 'wallet',
        currency: 'KES',
        status: 'open',
        ledgerMinor: 1_000_000n,
        holdsMinor: 0n,
        ownerId: 'cus_01HZBRIANKAMAU',
        created_at: '2024-11-02T08:00:00.000Z',
      },
      {
        id: MOCK_OTHER_USD_ID,
        type: 'wallet',
        currency: 'USD',
        status: 'open',
        ledgerMinor: 50_000n,
        holdsMinor: 0n,
        ownerId: 'cus_01HZCHENWEI',
        created_at: '2024-10-12T08:00:00.000Z',
      },
    ],
    transactions: [...wallet.transactions, ...savings.transactions],
    borrow: defaultBorrowFixtures(),
  };
}
