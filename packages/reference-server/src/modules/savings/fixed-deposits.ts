/**
 * Fixed deposits (DOMAIN.md "Save"), as the bank runs them: funded from the wallet at opening at the
 * product's rate of that day, simple interest accrued every bank day (interest expense → interest
 * payable), at maturity the interest posted to the deposit with the tax withheld and everything paid
 * to the wallet or rolled over, and an early close that forfeits the product's share.
 *
 * The figures come from `fixed-deposit.ts` only: the quote before opening is `quoteFixedDeposit`,
 * maturity is `matureFixedDeposit` (which is that quote), the close-quote and the close are both
 * `quoteEarlyClose`. The daily accrual books round(P × rate × k / 365) minus what is booked already,
 * so a job that runs twice, late, or after a roll-over books each cent exactly once.
 */
import { Money } from '@wekeza/sdk';
import { addDays } from '../../bank-calendar.ts';
import type { Sql } from '../../db/database.ts';
import { conflict, currencyMismatch, notFound, validationFailed } from '../../errors.ts';
import { money } from '../../http/render.ts';
import type { Principal } from '../identity/service.ts';
import type { LockedAccount, PostedEntry } from '../ledger/ledger.ts';
import {
  ENTRY_KIND,
  type FixedDepositRow,
  percent,
  readFixedDepositRows,
  type SavingsContext,
  SYSTEM,
  updateOne,
} from './context.ts';
import {
  type FixedDepositQuote,
  type FixedDepositTerms,
  fixedDepositInterestAccrued,
  matureFixedDeposit,
  quoteEarlyClose,
  quoteFixedDeposit,
} from './fixed-deposit.ts';
import { productTerms, type SavingsProductRow } from './products.ts';
import { type ClosePlan, closeAccountRow, makeClosePlan, renderPlan } from './savings-accounts.ts';

export class FixedDeposits {
  constructor(private readonly s: SavingsContext) {}

  /** The terms of the current term of a deposit. */
  terms(row: FixedDepositRow, currency: string): FixedDepositTerms {
    return {
      principal: Money.of(row.principalMinor, currency),
      annualRate: row.annualRate,
      openingDate: row.openedOn,
      termMonths: row.termMonths,
    };
  }

  /** The current term's figures at maturity (interest, tax, maturity amount). */
  quoteOf(row: FixedDepositRow, currency: string): FixedDepositQuote {
    return quoteFixedDeposit(this.terms(row, currency), { withholdingTaxRate: this.s.withholdingTaxRate });
  }

  /**
   * The quote before opening (`POST /v1/deposit-quotes`), and the terms an opening today fixes: the
   * product's rate today, the maturity date, interest, tax and maturity amount. Refuses what the
   * product does not offer.
   */
  async quote(
    tx: Sql,
    product: SavingsProductRow,
    amount: Money,
    termMonths: number,
    path = 'body',
  ): Promise<{ terms: FixedDepositTerms; quote: FixedDepositQuote }> {
    checkFixedDepositProduct(product, amount, termMonths, path);
    const openingDate = this.s.bankClock.today();
    const terms: FixedDepositTerms = {
      principal: amount,
      annualRate: await this.s.products.rateOn(tx, product.id, openingDate),
      openingDate,
      termMonths,
    };
    return { terms, quote: quoteFixedDeposit(terms, { withholdingTaxRate: this.s.withholdingTaxRate }) };
  }

  /** Records the first term of a deposit that has just been funded. */
  async start(
    tx: Sql,
    accountId: string,
    product: SavingsProductRow,
    terms: FixedDepositTerms,
    options: { atMaturity: 'pay_out' | 'roll_over'; payoutAccountId: string; maturityDate: string },
  ): Promise<void> {
    await tx.$executeRawUnsafe(
      `INSERT INTO fixed_deposits (account_id, product_id, payout_account_id, term_number, principal_minor, annual_rate,
              term_months, opened_on, maturity_date, at_maturity, forfeit_share, accrued_through, accrued_minor, status, closed_on)
       VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, 0, 'active', NULL)`,
      accountId,
      product.id,
      options.payoutAccountId,
      terms.principal.minor,
      terms.annualRate,
      terms.termMonths,
      terms.openingDate,
      options.maturityDate,
      options.atMaturity,
      product.earlyCloseForfeitShare ?? '0',
      addDays(terms.openingDate, -1),
    );
  }

  async row(tx: Sql, accountId: string): Promise<FixedDepositRow | undefined> {
    return (await readFixedDepositRows(tx, [accountId]))[0];
  }

  /** The bank accounts a deposit's accrual, maturity or close touch. */
  bankLocks(currency: string): string[] {
    return [
      this.s.ledger.bankAccount('interest_expense', currency),
      this.s.ledger.bankAccount('interest_payable', currency),
      this.s.ledger.bankAccount('withholding_tax_payable', currency),
    ];
  }

  /**
   * Books the interest accrued by the end of `through` that is not booked yet: one entry from interest
   * expense to interest payable, dated `through`. The caller holds the deposit's lock.
   */
  async accrue(
    tx: Sql,
    row: FixedDepositRow,
    currency: string,
    through: string,
    locked = new Map<string, LockedAccount>(),
  ): Promise<FixedDepositRow> {
    if (through <= row.accruedThrough || row.status !== 'active') return row;
    const target = fixedDepositInterestAccrued(this.terms(row, currency), through).minor;
    const delta = target - row.accruedMinor;
    if (delta < 0n) throw new Error(`fixed deposit ${row.accountId}: booked more interest than accrued`);
    if (delta > 0n) {
      await this.s.ledger.post(
        tx,
        {
          kind: ENTRY_KIND.interestAccrual,
          description: `Interest accrued on fixed deposit ${row.accountId} through ${through}`,
          effectiveDate: through,
          postings: [
            {
              accountId: this.s.ledger.bankAccount('interest_expense', currency),
              side: 'debit',
              amountMinor: delta,
            },
            {
              accountId: this.s.ledger.bankAccount('interest_payable', currency),
              side: 'credit',
              amountMinor: delta,
            },
          ],
        },
        locked,
      );
    }
    await updateOne(
      tx,
      `UPDATE fixed_deposits SET accrued_through = ?, accrued_minor = ?
        WHERE account_id = ? AND accrued_through = ? AND term_number = ?`,
      through,
      target,
      row.accountId,
      row.accruedThrough,
      row.termNumber,
    );
    return { ...row, accruedThrough: through, accruedMinor: target };
  }

  /**
   * Matures a deposit whose maturity date has come (the daily job, on `date`): the term's interest is
   * credited from interest payable, the tax withheld, then principal + net interest go to the wallet
   * (the account closes) or roll over into a new term at the product's rate of the maturity day
   * (a retired product pays out instead). Returns false when there was nothing to do.
   */
  async mature(tx: Sql, accountId: string, date: string): Promise<boolean> {
    const before = await this.row(tx, accountId);
    if (before?.status !== 'active' || before.maturityDate > date) return false;
    const currency = await this.currencyOf(tx, accountId);
    const locked = await this.s.ledger.lock(tx, [
      accountId,
      before.payoutAccountId,
      ...this.bankLocks(currency),
    ]);
    let row = (await this.row(tx, accountId)) as FixedDepositRow;
    if (row.status !== 'active' || row.maturityDate > date) return false;
    row = await this.accrue(tx, row, currency, addDays(row.maturityDate, -1), locked);
    const product = await this.s.products.get(row.productId, tx);
    const rollOver = row.atMaturity === 'roll_over' && product.status === 'active';
    const terms = this.terms(row, currency);
    const withholdingTaxRate = this.s.withholdingTaxRate;
    const figures = rollOver
      ? matureFixedDeposit(terms, {
          atMaturity: 'roll_over',
          rolloverAnnualRate: await this.s.products.rateOn(tx, product.id, row.maturityDate),
          withholdingTaxRate,
        })
      : matureFixedDeposit(terms, { atMaturity: 'pay_out', withholdingTaxRate });
    if (figures.interest.minor !== row.accruedMinor)
      throw new Error(
        `fixed deposit ${accountId}: accrued ${row.accruedMinor}, but the term earns ${figures.interest.minor}`,
      );
    const entries = await this.payInterest(tx, row, locked, {
      gross: figures.interest,
      forfeited: Money.zero(currency),
      tax: figures.tax,
      description: `Interest on fixed deposit, ${row.openedOn} to ${row.maturityDate} at ${percent(row.annualRate)}`,
      effectiveDate: date,
    });
    const account = locked.get(accountId) as LockedAccount;
    let rolled: FixedDepositTerms | undefined;
    if (figures.atMaturity === 'roll_over') {
      rolled = figures.rollover;
      const maturityDate = quoteFixedDeposit(rolled, { withholdingTaxRate }).maturityDate;
      await updateOne(
        tx,
        `UPDATE fixed_deposits SET term_number = term_number + 1, principal_minor = ?, annual_rate = ?, opened_on = ?,
               maturity_date = ?, accrued_through = ?, accrued_minor = 0
          WHERE account_id = ? AND term_number = ? AND status = 'active'`,
        rolled.principal.minor,
        rolled.annualRate,
        rolled.openingDate,
        maturityDate,
        addDays(rolled.openingDate, -1),
        accountId,
        row.termNumber,
      );
      if (account.balanceMinor !== rolled.principal.minor)
        throw new Error(
          `fixed deposit ${accountId}: balance ${account.balanceMinor} is not the new principal`,
        );
    } else {
      entries.push(await this.payOut(tx, row, locked, figures.maturityAmount, date, 'matured'));
      await updateOne(
        tx,
        "UPDATE fixed_deposits SET status = 'matured', closed_on = ? WHERE account_id = ? AND status = 'active'",
        date,
        accountId,
      );
      await closeAccountRow(tx, accountId);
    }
    const data = {
      account_id: accountId,
      maturity_date: row.maturityDate,
      principal: money(row.principalMinor, currency),
      interest: money(figures.interest.minor, currency),
      tax: money(figures.tax.minor, currency),
      maturity_amount: money(figures.maturityAmount.minor, currency),
      at_maturity: rolled ? 'roll_over' : 'pay_out',
      ...(rolled
        ? {
            rollover: {
              principal: money(rolled.principal.minor, currency),
              annual_rate: rolled.annualRate,
              opened_on: rolled.openingDate,
              term_months: rolled.termMonths,
            },
          }
        : { paid_to_account_id: row.payoutAccountId }),
      journal_entry_ids: entries.map((e) => e.id),
    };
    if (account.ownerId)
      await this.s.events.record(tx, { type: 'fixed_deposit.matured', customerId: account.ownerId, data });
    await this.s.audit.record(tx, SYSTEM, {
      action: 'fixed_deposit.matured',
      subject: { type: 'account', id: accountId },
      after: data,
    });
    return true;
  }

  /** What closing the deposit early, today, would pay: `quoteEarlyClose` on the current term. */
  closePlan(row: FixedDepositRow, currency: string): ClosePlan {
    const today = this.s.bankClock.today();
    if (row.status !== 'active') throw conflict('The fixed deposit is already closed.');
    if (today >= row.maturityDate)
      throw conflict(
        `The fixed deposit matures on ${row.maturityDate}: it is paid out (or rolled over) at that day's close.`,
      );
    const quote = quoteEarlyClose(this.terms(row, currency), {
      closeDate: today,
      forfeitShare: row.forfeitShare,
      withholdingTaxRate: this.s.withholdingTaxRate,
    });
    return makeClosePlan(
      row.accountId,
      today,
      quote.principal,
      quote.interestAccrued,
      quote.interestForfeited,
      quote.tax,
      row.payoutAccountId,
    );
  }

  /**
   * Closes a deposit before maturity: the interest accrued through yesterday is credited, the
   * product's share of it goes back to the bank (it was an expense the bank no longer owes), the tax
   * on the rest is withheld, and everything left goes to the wallet — each its own line on the statement.
   */
  async close(
    tx: Sql,
    principal: Principal,
    accountId: string,
  ): Promise<{ plan: ClosePlan; entries: PostedEntry[] }> {
    const before = await this.row(tx, accountId);
    if (!before) throw notFound('account');
    const currency = await this.currencyOf(tx, accountId);
    const locked = await this.s.ledger.lock(tx, [
      accountId,
      before.payoutAccountId,
      ...this.bankLocks(currency),
    ]);
    const account = locked.get(accountId) as LockedAccount;
    if (account.ownerId !== principal.id) throw notFound('account');
    let row = (await this.row(tx, accountId)) as FixedDepositRow;
    const figures = this.closePlan(row, currency);
    row = await this.accrue(tx, row, currency, addDays(figures.closeDate, -1), locked);
    if (row.accruedMinor !== figures.interestAccrued.minor)
      throw new Error(
        `fixed deposit ${accountId}: booked ${row.accruedMinor}, the close-quote says ${figures.interestAccrued.minor}`,
      );
    const entries = await this.payInterest(tx, row, locked, {
      gross: figures.interestAccrued,
      forfeited: figures.interestForfeited,
      tax: figures.tax,
      description: `Interest on fixed deposit, ${row.openedOn} to ${addDays(figures.closeDate, -1)} at ${percent(row.annualRate)}`,
      effectiveDate: figures.closeDate,
    });
    entries.push(await this.payOut(tx, row, locked, figures.total, figures.closeDate, 'closed early'));
    await updateOne(
      tx,
      "UPDATE fixed_deposits SET status = 'closed', closed_on = ? WHERE account_id = ? AND status = 'active'",
      figures.closeDate,
      accountId,
    );
    await closeAccountRow(tx, accountId);
    const after = { ...renderPlan(figures), journal_entry_ids: entries.map((e) => e.id) };
    await this.s.audit.record(tx, principal, {
      action: 'account.closed',
      subject: { type: 'account', id: accountId },
      after,
    });
    await this.s.events.record(tx, {
      type: 'account.closed',
      customerId: principal.id,
      data: { ...after, type: 'fixed_deposit' },
    });
    return { plan: figures, entries };
  }

  /**
   * The interest lines of a maturity or close: gross from interest payable, the forfeited share back to
   * interest expense, the tax to tax payable — each a journal entry of its own, none for a zero amount.
   */
  private async payInterest(
    tx: Sql,
    row: FixedDepositRow,
    locked: Map<string, LockedAccount>,
    lines: { gross: Money; forfeited: Money; tax: Money; description: string; effectiveDate: string },
  ): Promise<PostedEntry[]> {
    const { currency } = lines.gross;
    const bank = (code: 'interest_payable' | 'interest_expense' | 'withholding_tax_payable') =>
      this.s.ledger.bankAccount(code, currency);
    const id = row.accountId;
    const entries: PostedEntry[] = [];
    const post = async (
      kind: string,
      description: string,
      debit: string,
      credit: string,
      amountMinor: bigint,
    ) => {
      if (amountMinor <= 0n) return;
      entries.push(
        await this.s.ledger.post(
          tx,
          {
            kind,
            description,
            effectiveDate: lines.effectiveDate,
            postings: [
              { accountId: debit, side: 'debit', amountMinor },
              { accountId: credit, side: 'credit', amountMinor },
            ],
          },
          locked,
        ),
      );
    };
    await post(
      ENTRY_KIND.interestPosting,
      lines.description,
      bank('interest_payable'),
      id,
      lines.gross.minor,
    );
    await post(
      ENTRY_KIND.interestForfeit,
      `Early close: ${percent(row.forfeitShare)} of the interest forfeited`,
      id,
      bank('interest_expense'),
      lines.forfeited.minor,
    );
    await post(
      ENTRY_KIND.withholdingTax,
      `Withholding tax ${percent(this.s.withholdingTaxRate)} on interest`,
      id,
      bank('withholding_tax_payable'),
      lines.tax.minor,
    );
    return entries;
  }

  private async payOut(
    tx: Sql,
    row: FixedDepositRow,
    locked: Map<string, LockedAccount>,
    amount: Money,
    effectiveDate: string,
    how: string,
  ): Promise<PostedEntry> {
    const entry = await this.s.ledger.post(
      tx,
      {
        kind: ENTRY_KIND.payout,
        description: `Fixed deposit ${row.accountId} ${how}: paid to wallet`,
        effectiveDate,
        postings: [
          { accountId: row.accountId, side: 'debit', amountMinor: amount.minor },
          { accountId: row.payoutAccountId, side: 'credit', amountMinor: amount.minor },
        ],
      },
      locked,
    );
    const account = locked.get(row.accountId) as LockedAccount;
    if (account.balanceMinor !== 0n)
      throw new Error(`fixed deposit ${row.accountId}: ${account.balanceMinor} left after paying out`);
    return entry;
  }

  private async currencyOf(tx: Sql, accountId: string): Promise<string> {
    const [row] = await tx.$queryRawUnsafe<{ currency: string }[]>(
      'SELECT currency FROM accounts WHERE id = ?',
      accountId,
    );
    if (!row) throw notFound('account');
    return String(row.currency);
  }
}

/** What a fixed-deposit opening or quote must satisfy, as 4xx answers naming the field. */
export function checkFixedDepositProduct(
  product: SavingsProductRow,
  amount: Money,
  termMonths: number,
  path = 'body',
): void {
  if (product.type !== 'fixed_deposit')
    throw validationFailed([{ path: `${path}.product_id`, message: 'is not a fixed-deposit product' }]);
  if (product.status !== 'active') throw conflict('The product is retired: it opens no new deposits.');
  if (amount.currency !== product.currency)
    throw currencyMismatch(`The product is in ${product.currency}; the amount is in ${amount.currency}.`);
  const terms = productTerms(product);
  if (!terms.includes(termMonths))
    throw validationFailed([
      { path: `${path}.term_months`, message: `must be one of the product's terms: ${terms.join(', ')}` },
    ]);
  if (amount.minor < product.minOpeningBalanceMinor)
    throw validationFailed([
      {
        path: `${path}.amount`,
        message: `is below the product's minimum of ${product.currency} ${money(product.minOpeningBalanceMinor, product.currency).amount}`,
      },
    ]);
}
