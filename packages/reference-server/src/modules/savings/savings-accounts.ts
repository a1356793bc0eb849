/**
 * Savings accounts (DOMAIN.md "Save"), as the bank runs them: interest accrued every bank day on the
 * day's end-of-day balance (read from the ledger by effective date), posted on the last day of each
 * month from interest expense with withholding tax to tax payable, then compounding; withdrawals to
 * the wallet; and a close that pays the balance and the interest accrued so far to the wallet.
 *
 * The arithmetic is `interest.ts`'s; this file locks, reads, posts and records. Every change to an
 * account's interest state happens under the account's lock, and its UPDATE names the watermark it
 * read, so a day is never accrued twice and a month never posted twice, whoever runs at once.
 */
import { Money } from '@wekeza/sdk';
import { addDays, assertBankDate } from '../../bank-calendar.ts';
import type { Sql } from '../../db/database.ts';
import { conflict, currencyMismatch, insufficientFunds, notFound } from '../../errors.ts';
import { money } from '../../http/render.ts';
import type { Actor } from '../audit/log.ts';
import type { Principal } from '../identity/service.ts';
import type { LockedAccount, PostedEntry } from '../ledger/ledger.ts';
import { endOfDayBalancesFromLedger } from './balances.ts';
import {
  ENTRY_KIND,
  percent,
  readSavingsRows,
  type SavingsContext,
  type SavingsRow,
  updateOne,
} from './context.ts';
import {
  accrueSavingsDay,
  postSavingsInterest,
  type SavingsAccrualState,
  type SavingsInterestPosting,
  startSavingsAccrual,
} from './interest.ts';

/** What closing an account pays, as the quote shows it and the close posts it. */
export interface ClosePlan {
  accountId: string;
  closeDate: string;
  /** The balance before interest. */
  principal: Money;
  interestAccrued: Money;
  interestForfeited: Money;
  interestKept: Money;
  tax: Money;
  /** principal + kept − tax: paid to the wallet. */
  total: Money;
  paidToAccountId: string;
}

export class SavingsAccounts {
  constructor(private readonly s: SavingsContext) {}

  /** The interest state of a savings account opened today: nothing accrued, the first day to accrue is today. */
  async start(tx: Sql, accountId: string, productId: string, openedOn: string): Promise<void> {
    const { accruedThrough, accruedTimes365 } = startSavingsAccrual(openedOn);
    await tx.$executeRawUnsafe(
      `INSERT INTO savings_accounts (account_id, product_id, opened_on, accrued_through, accrued_times_365, posted_through, closed_on)
       VALUES (?, ?, ?, ?, ?, ?, NULL)`,
      accountId,
      productId,
      openedOn,
      accruedThrough,
      accruedTimes365,
      accruedThrough,
    );
  }

  /** The account's row; the caller holds the account's lock when it means to change it. */
  async row(tx: Sql, accountId: string): Promise<SavingsRow | undefined> {
    return (await readSavingsRows(tx, [accountId]))[0];
  }

  /**
   * The interest state accrued through `through`, not saved: every day after the watermark, each on
   * its end-of-day balance at the product's rate of that day. The same computation whether a job runs
   * every day or catches up a week (or a quote looks ahead to a close).
   */
  async accruedState(tx: Sql, row: SavingsRow, through: string): Promise<SavingsAccrualState> {
    let state: SavingsAccrualState = {
      accruedThrough: row.accruedThrough,
      accruedTimes365: row.accruedTimes365,
    };
    if (assertBankDate(through) <= row.accruedThrough) return state;
    const days = await endOfDayBalancesFromLedger(tx, row.accountId, addDays(row.accruedThrough, 1), through);
    for (const day of days) {
      const annualRate = await this.s.products.rateOn(tx, row.productId, day.date);
      state = accrueSavingsDay(state, { ...day, annualRate }).state;
    }
    return state;
  }

  /** Accrues through `through` and saves it (the daily job). The caller holds the account's lock. */
  async accrue(tx: Sql, row: SavingsRow, through: string): Promise<SavingsRow> {
    if (through <= row.accruedThrough || row.closedOn !== null) return row;
    return this.saveAccrued(tx, row, await this.accruedState(tx, row, through));
  }

  /** Saves an accrued state over the row it was computed from (refused if the watermark moved). */
  private async saveAccrued(tx: Sql, row: SavingsRow, state: SavingsAccrualState): Promise<SavingsRow> {
    if (state.accruedThrough === row.accruedThrough) return row;
    await updateOne(
      tx,
      'UPDATE savings_accounts SET accrued_through = ?, accrued_times_365 = ? WHERE account_id = ? AND accrued_through = ?',
      state.accruedThrough,
      state.accruedTimes365,
      row.accountId,
      row.accruedThrough,
    );
    return { ...row, ...state };
  }

  /**
   * Posts the interest accrued through `through` (= the state's last day): gross from interest
   * expense, then the tax withheld to tax payable, two entries dated `effectiveDate`, so a statement
   * shows both lines. Saves what rounding left for the next posting. The caller holds the locks of
   * the account and both bank accounts (`interestLocks`).
   */
  async postInterest(
    tx: Sql,
    actor: Actor,
    row: SavingsRow,
    state: SavingsAccrualState,
    locked: Map<string, LockedAccount>,
    options: { through: string; effectiveDate: string },
  ): Promise<{ posting: SavingsInterestPosting; entries: PostedEntry[] }> {
    const account = locked.get(row.accountId);
    if (!account) throw new Error('postInterest needs the account locked');
    const { currency } = account;
    const posting = postSavingsInterest(state, {
      date: options.through,
      currency,
      withholdingTaxRate: this.s.withholdingTaxRate,
    });
    const entries: PostedEntry[] = [];
    const period = `${maxDate(addDays(row.postedThrough, 1), row.openedOn)} to ${options.through}`;
    if (posting.gross.minor > 0n) {
      entries.push(
        await this.s.ledger.post(
          tx,
          {
            kind: ENTRY_KIND.interestPosting,
            description: `Interest ${period}`,
            effectiveDate: options.effectiveDate,
            postings: [
              {
                accountId: this.s.ledger.bankAccount('interest_expense', currency),
                side: 'debit',
                amountMinor: posting.gross.minor,
              },
              { accountId: account.id, side: 'credit', amountMinor: posting.gross.minor },
            ],
          },
          locked,
        ),
      );
    }
    if (posting.tax.minor > 0n) {
      entries.push(
        await this.s.ledger.post(
          tx,
          {
            kind: ENTRY_KIND.withholdingTax,
            description: `Withholding tax ${percent(this.s.withholdingTaxRate)} on interest ${period}`,
            effectiveDate: options.effectiveDate,
            postings: [
              { accountId: account.id, side: 'debit', amountMinor: posting.tax.minor },
              {
                accountId: this.s.ledger.bankAccount('withholding_tax_payable', currency),
                side: 'credit',
                amountMinor: posting.tax.minor,
              },
            ],
          },
          locked,
        ),
      );
    }
    await updateOne(
      tx,
      `UPDATE savings_accounts SET accrued_through = ?, accrued_times_365 = ?, posted_through = ?
        WHERE account_id = ? AND accrued_through = ? AND posted_through = ?`,
      posting.state.accruedThrough,
      posting.state.accruedTimes365,
      options.through,
      row.accountId,
      row.accruedThrough,
      row.postedThrough,
    );
    if (entries.length > 0 && account.ownerId) {
      const data = {
        account_id: account.id,
        period_from: maxDate(addDays(row.postedThrough, 1), row.openedOn),
        period_to: options.through,
        gross: money(posting.gross.minor, currency),
        tax: money(posting.tax.minor, currency),
        net: money(posting.net.minor, currency),
        journal_entry_ids: entries.map((e) => e.id),
      };
      await this.s.events.record(tx, { type: 'account.interest_posted', customerId: account.ownerId, data });
      await this.s.audit.record(tx, actor, {
        action: 'savings.interest_posted',
        subject: { type: 'account', id: account.id },
        after: data,
      });
    }
    return { posting, entries };
  }

  /** The bank accounts an interest posting touches. */
  interestLocks(currency: string): string[] {
    return [
      this.s.ledger.bankAccount('interest_expense', currency),
      this.s.ledger.bankAccount('withholding_tax_payable', currency),
    ];
  }

  /** Moves money from a savings account to the customer's wallet of its currency (an own-account move: no limits). */
  async withdrawToWallet(
    tx: Sql,
    principal: Principal,
    accountId: string,
    amountMinor: bigint,
    currency: string,
  ): Promise<{ entry: PostedEntry; walletId: string }> {
    const owned = await this.owned(tx, principal, accountId);
    if (owned.type === 'fixed_deposit')
      throw conflict('A fixed deposit pays out at maturity or when closed: see /close-quote.');
    if (owned.type !== 'savings') throw conflict('Only savings accounts withdraw to the wallet.');
    const walletId = await this.walletOf(tx, principal.id, owned.currency);
    const locked = await this.s.ledger.lock(tx, [accountId, walletId]);
    const account = locked.get(accountId) as LockedAccount;
    if (account.status !== 'open') throw conflict('The savings account is closed.');
    if (account.currency !== currency)
      throw currencyMismatch(`The amount is in ${currency}; the account holds ${account.currency}.`);
    if (account.balanceMinor - account.heldMinor < amountMinor) throw insufficientFunds();
    const entry = await this.s.ledger.post(
      tx,
      {
        kind: ENTRY_KIND.withdrawal,
        description: `Withdrawal from savings ${accountId} to wallet`,
        postings: [
          { accountId, side: 'debit', amountMinor },
          { accountId: walletId, side: 'credit', amountMinor },
        ],
      },
      locked,
    );
    await this.s.audit.record(tx, principal, {
      action: 'savings.withdrawal',
      subject: { type: 'account', id: accountId },
      before: { balance: money(account.balanceMinor + amountMinor, currency) },
      after: { amount: money(amountMinor, currency), to_account_id: walletId, journal_entry_id: entry.id },
    });
    return { entry, walletId };
  }

  /**
   * What closing the savings account today pays: its balance, plus the interest accrued through
   * yesterday (rounded once, as a posting would), less the tax on it. No forfeit.
   */
  async closePlan(
    tx: Sql,
    account: LockedAccount,
    walletId: string,
  ): Promise<{ plan: ClosePlan; row: SavingsRow | undefined; state: SavingsAccrualState | undefined }> {
    const row = await this.row(tx, account.id);
    const today = this.s.bankClock.today();
    const zero = Money.zero(account.currency);
    const balance = Money.of(account.balanceMinor, account.currency);
    // A savings account without a product (opened before products existed) earns nothing.
    if (!row)
      return {
        plan: makeClosePlan(account.id, today, balance, zero, zero, zero, walletId),
        row,
        state: undefined,
      };
    // A month end before yesterday whose interest the daily close has not posted yet would, posted
    // later, compound into the days after it; the close waits for it rather than post it differently.
    const yesterday = addDays(today, -1);
    const previousMonthEnd = addDays(`${yesterday.slice(0, 8)}01`, -1);
    if (previousMonthEnd >= row.openedOn && row.postedThrough < previousMonthEnd)
      throw conflict(
        `Interest up to ${previousMonthEnd} is still being posted by the daily close; close the account shortly.`,
      );
    const state = await this.accruedState(tx, row, yesterday);
    const posting = postSavingsInterest(state, {
      date: state.accruedThrough,
      currency: account.currency,
      withholdingTaxRate: this.s.withholdingTaxRate,
    });
    return {
      plan: makeClosePlan(account.id, today, balance, posting.gross, zero, posting.tax, walletId),
      row,
      state,
    };
  }

  /**
   * Closes a savings account: the interest accrued through yesterday is posted (gross, then tax), the
   * whole balance goes to the wallet, and the account is closed: what the close-quote said, by the same code.
   */
  async close(
    tx: Sql,
    principal: Principal,
    accountId: string,
  ): Promise<{ plan: ClosePlan; entries: PostedEntry[] }> {
    const owned = await this.owned(tx, principal, accountId);
    const walletId = await this.walletOf(tx, principal.id, owned.currency);
    const locked = await this.s.ledger.lock(tx, [accountId, walletId, ...this.interestLocks(owned.currency)]);
    const account = locked.get(accountId) as LockedAccount;
    if (account.status !== 'open') throw conflict('The account is already closed.');
    if (account.heldMinor > 0n)
      throw conflict('Money on the account is held for a pending movement; close it later.');
    const { plan: figures, row, state } = await this.closePlan(tx, account, walletId);
    const entries: PostedEntry[] = [];
    if (row && state) {
      const accrued = await this.saveAccrued(tx, row, state);
      const { posting, entries: posted } = await this.postInterest(tx, principal, accrued, state, locked, {
        through: state.accruedThrough,
        effectiveDate: figures.closeDate,
      });
      if (posting.gross.minor !== figures.interestAccrued.minor || posting.tax.minor !== figures.tax.minor)
        throw new Error(`closing ${accountId}: the posting differs from its quote`);
      entries.push(...posted);
      await updateOne(
        tx,
        'UPDATE savings_accounts SET closed_on = ? WHERE account_id = ? AND closed_on IS NULL',
        figures.closeDate,
        accountId,
      );
    }
    if (figures.total.minor > 0n) {
      entries.push(
        await this.s.ledger.post(
          tx,
          {
            kind: ENTRY_KIND.withdrawal,
            description: `Savings ${accountId} closed: balance paid to wallet`,
            postings: [
              { accountId, side: 'debit', amountMinor: figures.total.minor },
              { accountId: walletId, side: 'credit', amountMinor: figures.total.minor },
            ],
          },
          locked,
        ),
      );
    }
    if (account.balanceMinor !== 0n)
      throw new Error(`closing ${accountId} left ${account.balanceMinor} on it`);
    await closeAccountRow(tx, accountId);
    const after = { ...renderPlan(figures), journal_entry_ids: entries.map((e) => e.id) };
    await this.s.audit.record(tx, principal, {
      action: 'account.closed',
      subject: { type: 'account', id: accountId },
      after,
    });
    if (account.ownerId)
      await this.s.events.record(tx, {
        type: 'account.closed',
        customerId: account.ownerId,
        data: { ...after, type: 'savings' },
      });
    return { plan: figures, entries };
  }

  /** The caller's own account (404 for anyone else's, and for bank accounts). */
  async owned(tx: Sql, principal: Principal, accountId: string): Promise<{ type: string; currency: string }> {
    const [row] = await tx.$queryRawUnsafe<{ owner_id: string | null; type: string; currency: string }[]>(
      'SELECT owner_id, type, currency FROM accounts WHERE id = ?',
      accountId,
    );
    if (!row || row.owner_id === null || row.owner_id !== principal.id) throw notFound('account');
    return { type: String(row.type), currency: String(row.currency) };
  }

  /** The customer's wallet in the currency, where withdrawals and closes pay to. */
  async walletOf(tx: Sql, ownerId: string, currency: string): Promise<string> {
    const [row] = await tx.$queryRawUnsafe<{ id: string }[]>(
      'SELECT id FROM accounts WHERE wallet_key = ?',
      `${ownerId}:${currency}`,
    );
    if (!row) throw conflict(`You have no ${currency} wallet to pay into.`);
    return String(row.id);
  }
}

function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}

export function makeClosePlan(
  accountId: string,
  closeDate: string,
  principal: Money,
  interestAccrued: Money,
  interestForfeited: Money,
  tax: Money,
  paidToAccountId: string,
): ClosePlan {
  const interestKept = interestAccrued.subtract(interestForfeited);
  return {
    accountId,
    closeDate,
    principal,
    interestAccrued,
    interestForfeited,
    interestKept,
    tax,
    total: principal.add(interestKept).subtract(tax),
    paidToAccountId,
  };
}

/** A close plan on the wire (the close-quote and the close answer it). */
export function renderPlan(p: ClosePlan) {
  const m = (x: Money) => money(x.minor, x.currency);
  return {
    account_id: p.accountId,
    close_date: p.closeDate,
    principal: m(p.principal),
    interest_accrued: m(p.interestAccrued),
    interest_forfeited: m(p.interestForfeited),
    interest_kept: m(p.interestKept),
    tax: m(p.tax),
    total: m(p.total),
    paid_to_account_id: p.paidToAccountId,
  };
}

export async function closeAccountRow(tx: Sql, accountId: string): Promise<void> {
  await updateOne(tx, "UPDATE accounts SET status = 'closed' WHERE id = ? AND status = 'open'", accountId);
}
