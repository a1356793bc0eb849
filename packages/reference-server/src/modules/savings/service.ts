/**
 * Save, as the routes see it: opening savings accounts and fixed deposits from the wallet, what an
 * account shows about its interest, quotes, withdrawals to the wallet and closes. The two stories
 * underneath are `savings-accounts.ts` and `fixed-deposits.ts`; the daily jobs are in `jobs.ts`.
 */
import { Money } from '@wekeza/sdk';
import { roundMinorHalfEven } from '@wekeza/sdk/rates';
import type { Database, Db, Sql } from '../../db/database.ts';
import {
  conflict,
  currencyMismatch,
  forbidden,
  insufficientFunds,
  notFound,
  validationFailed,
} from '../../errors.ts';
import { money } from '../../http/render.ts';
import type { AccountRow, AccountsService } from '../accounts/service.ts';
import type { Principal } from '../identity/service.ts';
import type { LockedAccount, PostedEntry } from '../ledger/ledger.ts';
import {
  ENTRY_KIND,
  percent,
  readFixedDepositRows,
  readSavingsRows,
  type SavingsContext,
} from './context.ts';
import { FixedDeposits } from './fixed-deposits.ts';
import { accruedSavingsInterest } from './interest.ts';
import type { SavingsProductRow } from './products.ts';
import { type ClosePlan, SavingsAccounts } from './savings-accounts.ts';

export interface OpenAccountInput {
  type: 'wallet' | 'savings' | 'fixed_deposit';
  currency: string;
  productId?: string | undefined;
  termMonths?: number | undefined;
  fundingAccountId?: string | undefined;
  amount?: Money | undefined;
  atMaturity?: 'pay_out' | 'roll_over' | undefined;
}

/** What `GET /v1/accounts/{id}` adds for a savings account or a fixed deposit. */
export interface InterestDetails {
  productId: string;
  interestRate: string;
  openedOn: string;
  accruedInterest: Money;
  accruedThrough: string;
  principal?: Money;
  termMonths?: number;
  maturityDate?: string;
  atMaturity?: 'pay_out' | 'roll_over';
  maturityAmount?: Money;
  closedOn?: string;
}

export class SavingsService {
  readonly savings: SavingsAccounts;
  readonly deposits: FixedDeposits;

  constructor(
    private readonly db: Database,
    private readonly accounts: AccountsService,
    private readonly s: SavingsContext,
  ) {
    this.savings = new SavingsAccounts(s);
    this.deposits = new FixedDeposits(s);
  }

  get products() {
    return this.s.products;
  }

  /** The collaborators, for the daily jobs. */
  get context(): SavingsContext {
    return this.s;
  }

  /**
   * Opens an account for the calling customer: a wallet (empty), a savings account (on the named or
   * the default savings product, optionally funded from the wallet), or a fixed deposit (funded from
   * the wallet now, at the product's rate today). The opening amount moves between the customer's own
   * accounts, so the sum the KYC tier caps does not change; the tier must still allow the currency.
   */
  async open(tx: Db, principal: Principal, input: OpenAccountInput): Promise<AccountRow> {
    if (principal.role !== 'customer') throw forbidden('Only customers open accounts for themselves.');
    if (input.type === 'wallet') return this.accounts.openAccount(tx, principal.id, 'wallet', input.currency);
    const product = await this.productFor(tx, input);
    if (product.currency !== input.currency)
      throw currencyMismatch(
        `The product is in ${product.currency}; the account would hold ${input.currency}.`,
      );
    const today = this.s.bankClock.today();
    let fixed: Awaited<ReturnType<FixedDeposits['quote']>> | undefined;
    if (input.type === 'fixed_deposit') {
      fixed = await this.deposits.quote(tx, product, input.amount as Money, input.termMonths as number);
    } else {
      if (product.type !== 'savings')
        throw validationFailed([{ path: 'body.product_id', message: 'is not a savings product' }]);
      if (product.status !== 'active') throw conflict('The product is retired: it opens no new accounts.');
      const amount = input.amount?.minor ?? 0n;
      if (amount < product.minOpeningBalanceMinor)
        throw validationFailed([
          {
            path: 'body.amount',
            message: `must be at least the product's minimum opening balance of ${product.currency} ${money(product.minOpeningBalanceMinor, product.currency).amount}`,
          },
        ]);
    }
    const fundingId = input.amount ? await this.fundingAccount(tx, principal, input) : undefined;
    const account = await this.accounts.openAccount(tx, principal.id, input.type, input.currency);
    const locked = await this.s.ledger.lock(tx, fundingId ? [fundingId, account.id] : [account.id]);
    const [customer] = (await this.s.kyc.lockCustomers(tx, [principal.id])).values();
    if (customer?.status !== 'active') throw forbidden('The customer is not active.');
    this.s.kyc.limitsOf(customer.kycTier, input.currency); // fails closed for a currency the tiers do not cover
    let funding: PostedEntry | undefined;
    if (input.amount && fundingId) {
      const wallet = locked.get(fundingId) as LockedAccount;
      if (wallet.balanceMinor - wallet.heldMinor < input.amount.minor) throw insufficientFunds();
      const what = fixed
        ? `Fixed deposit ${account.id} opened: ${fixed.terms.termMonths} months at ${percent(fixed.terms.annualRate)}`
        : `Savings ${account.id} opened`;
      funding = await this.s.ledger.post(
        tx,
        {
          kind: ENTRY_KIND.funding,
          description: what,
          postings: [
            { accountId: fundingId, side: 'debit', amountMinor: input.amount.minor },
            { accountId: account.id, side: 'credit', amountMinor: input.amount.minor },
          ],
        },
        locked,
      );
    }
    if (fixed) {
      await this.deposits.start(tx, account.id, product, fixed.terms, {
        atMaturity: input.atMaturity ?? 'pay_out',
        payoutAccountId: fundingId as string,
        maturityDate: fixed.quote.maturityDate,
      });
    } else {
      await this.savings.start(tx, account.id, product.id, today);
    }
    await this.s.audit.record(tx, principal, {
      action: 'account.opened',
      subject: { type: 'account', id: account.id },
      after: {
        type: input.type,
        currency: input.currency,
        product_id: product.id,
        ...(input.amount
          ? { amount: money(input.amount.minor, input.currency), funded_from: fundingId }
          : {}),
        ...(funding ? { journal_entry_id: funding.id } : {}),
        ...(fixed
          ? {
              annual_rate: fixed.terms.annualRate,
              term_months: fixed.terms.termMonths,
              maturity_date: fixed.quote.maturityDate,
              at_maturity: input.atMaturity ?? 'pay_out',
            }
          : {}),
      },
    });
    return account;
  }

  /** The interest details of the savings accounts and fixed deposits among `accounts`, by id. */
  async details(accounts: AccountRow[], sql: Sql = this.db.sql): Promise<Map<string, InterestDetails>> {
    const out = new Map<string, InterestDetails>();
    const currencyOf = new Map(accounts.map((a) => [a.id, a.currency]));
    const ids = (type: string) => accounts.filter((a) => a.type === type).map((a) => a.id);
    const today = this.s.bankClock.today();
    for (const row of await readSavingsRows(sql, ids('savings'))) {
      const currency = currencyOf.get(row.accountId) as string;
      out.set(row.accountId, {
        productId: row.productId,
        interestRate: await this.s.products.rateOn(sql, row.productId, today),
        openedOn: row.openedOn,
        accruedInterest: roundMinorHalfEven(accruedSavingsInterest(row), currency),
        accruedThrough: row.accruedThrough,
        ...(row.closedOn ? { closedOn: row.closedOn } : {}),
      });
    }
    for (const row of await readFixedDepositRows(sql, ids('fixed_deposit'))) {
      const currency = currencyOf.get(row.accountId) as string;
      out.set(row.accountId, {
        productId: row.productId,
        interestRate: row.annualRate,
        openedOn: row.openedOn,
        accruedInterest: Money.of(row.accruedMinor, currency),
        accruedThrough: row.accruedThrough,
        principal: Money.of(row.principalMinor, currency),
        termMonths: row.termMonths,
        maturityDate: row.maturityDate,
        atMaturity: row.atMaturity,
        maturityAmount: this.deposits.quoteOf(row, currency).maturityAmount,
        ...(row.closedOn ? { closedOn: row.closedOn } : {}),
      });
    }
    return out;
  }

  /** `POST /v1/deposit-quotes`: the same figures an opening today would fix. */
  async depositQuote(productId: string, amount: Money, termMonths: number) {
    const product = await this.s.products.get(productId, this.db.sql);
    const { terms, quote } = await this.deposits.quote(this.db.sql, product, amount, termMonths);
    return { product, terms, quote };
  }

  /** What closing the account today would pay (the close itself runs the same code). */
  async closeQuote(principal: Principal, accountId: string): Promise<ClosePlan> {
    const row = await this.accounts.visible(principal, accountId);
    if (row.status !== 'open') throw conflict('The account is already closed.');
    const sql = this.db.sql;
    if (row.type === 'fixed_deposit') {
      const deposit = await this.deposits.row(sql, accountId);
      if (!deposit) throw notFound('account');
      return this.deposits.closePlan(deposit, row.currency);
    }
    if (row.type !== 'savings') throw conflict('A wallet is not closed here.');
    const walletId = await this.savings.walletOf(sql, row.ownerId as string, row.currency);
    const { plan } = await this.savings.closePlan(sql, lockedView(row), walletId);
    return plan;
  }

  /** Closes a savings account or a fixed deposit, paying everything to the wallet. */
  async close(
    tx: Sql,
    principal: Principal,
    accountId: string,
  ): Promise<{ plan: ClosePlan; entries: PostedEntry[] }> {
    if (principal.role !== 'customer') throw forbidden('Only the account holder closes an account.');
    const owned = await this.savings.owned(tx, principal, accountId);
    if (owned.type === 'fixed_deposit') return this.deposits.close(tx, principal, accountId);
    if (owned.type !== 'savings') throw conflict('A wallet is not closed here.');
    return this.savings.close(tx, principal, accountId);
  }

  /** `POST /v1/accounts/{id}/withdrawals-to-wallet`. */
  async withdrawToWallet(tx: Sql, principal: Principal, accountId: string, amount: Money) {
    if (principal.role !== 'customer') throw forbidden('Only the account holder moves its money.');
    return this.savings.withdrawToWallet(tx, principal, accountId, amount.minor, amount.currency);
  }

  private async productFor(tx: Db, input: OpenAccountInput): Promise<SavingsProductRow> {
    if (input.productId) {
      try {
        return await this.s.products.get(input.productId, tx);
      } catch {
        throw validationFailed([{ path: 'body.product_id', message: 'is not a savings product' }]);
      }
    }
    const fallback = await this.s.products.defaultSavings(tx, input.currency);
    if (!fallback)
      throw validationFailed([
        {
          path: 'body.product_id',
          message: `is required: there is no active savings product in ${input.currency}`,
        },
      ]);
    return fallback;
  }

  /** The wallet an opening amount comes from: the one named, or the customer's wallet in the currency. */
  private async fundingAccount(tx: Db, principal: Principal, input: OpenAccountInput): Promise<string> {
    const id = input.fundingAccountId ?? (await this.savings.walletOf(tx, principal.id, input.currency));
    const account = await tx.account.findUnique({ where: { id } });
    if (!account || account.ownerId !== principal.id) throw notFound('account');
    if (account.type !== 'wallet')
      throw validationFailed([{ path: 'body.funding_account_id', message: 'must be your wallet' }]);
    if (account.currency !== input.currency)
      throw currencyMismatch(
        `The wallet holds ${account.currency}; the account would hold ${input.currency}.`,
      );
    if (account.status !== 'open') throw conflict('The wallet is not open.');
    return id;
  }
}

/** An account row as the close planner reads it, without taking its lock (a quote moves nothing). */
function lockedView(row: AccountRow): LockedAccount {
  return {
    id: row.id,
    ownerId: row.ownerId,
    type: row.type,
    currency: row.currency,
    status: row.status,
    normalSide: row.normalSide as LockedAccount['normalSide'],
    allowNegative: row.allowNegative,
    balanceMinor: row.balanceMinor,
    heldMinor: row.heldMinor,
    postingCount: row.postingCount,
    chainHead: row.chainHead,
  };
}
