/**
 * Borrow's money path (DOMAIN.md, Borrow): disbursement, repayment (from a wallet or a rail such as
 * an M-Pesa paybill), payoff, write-off and recovery, and what a customer or banker reads of a loan.
 * Each method reads like the rule: lock the accounts, then the loan; bring the loan up to date;
 * let the calculators decide; post one journal entry with the loan's sub-ledger lines; store the
 * new state; record the status, the event and the audit, all in the caller's transaction.
 */
import { randomInt } from 'node:crypto';
import { formatAmount } from '@wekeza/sdk';
import { addDays, daysBetween } from '../../bank-calendar.ts';
import type { BankClock } from '../../bank-clock.ts';
import type { Clock } from '../../clock.ts';
import type { Db, Sql } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/transaction.ts';
import {
  conflict,
  currencyMismatch,
  DomainError,
  forbidden,
  insufficientFunds,
  notFound,
  validationFailed,
} from '../../errors.ts';
import type { PageRequest } from '../../http/pagination.ts';
import { newId } from '../../ids.ts';
import type { Actor, AuditLog } from '../audit/log.ts';
import type { EventLog } from '../events/log.ts';
import type { Principal } from '../identity/service.ts';
import type { Ledger, LockedAccount, PostingInput } from '../ledger/ledger.ts';
import { inDuplumOn } from './accrual.ts';
import { allocateRepayment, type Payoff, payoff } from './allocation.ts';
import { daysPastDue } from './arrears.ts';
import { type LoadedLoan, type LoanBook, type LoanRecord, OPEN_STATUSES } from './loan-book.ts';
import { arrearsStep, interestStep, type Progress, type StepPostings } from './loan-days.ts';
import { type Component, LoanJournal } from './loan-journal.ts';
import { type LoanState, type LoanStatus, openLoan, principalOutstanding } from './loan-state.ts';
import { type LoanProductRecord, scheduleFor, termsFor } from './products.ts';

/** The bank acting on its own (the daily close): who the audit log names for automatic changes. */
export const SYSTEM: Actor = { id: 'system', role: 'system' };

/** Customer-facing labels (DOMAIN.md). */
export const STATUS_LABELS: Record<LoanStatus, string> = {
  pending_disbursement: 'WIP',
  disbursed: 'Disbursed',
  active: 'Credited',
  in_arrears: 'In arrears',
  closed: 'Closed',
  written_off: 'Written off',
};

/**
 * How the net amount of a loan reaches the customer. The wallet is the one built in: the money is
 * there at once, so the loan passes `pending_disbursement` → `disbursed` → `active` in one
 * transaction. A rail (M-Pesa B2C) answers `credited: false`: the loan stays `disbursed` until the
 * rail confirms and calls `LoansService.confirmDisbursement`.
 */
export interface DisbursementChannel {
  readonly name: string;
  /** Accounts the payout posts to (locked with the loan control accounts, before the loan). */
  accounts(loan: LoanRecord): string[];
  /** The credit postings that pay `netMinor` out, and whether the customer has the money now. */
  payOut(
    loan: LoanRecord,
    netMinor: bigint,
    locked: Map<string, LockedAccount>,
  ): { postings: PostingInput[]; credited: boolean };
}

const walletChannel: DisbursementChannel = {
  name: 'wallet',
  accounts: (loan) => [loan.walletAccountId],
  payOut: (loan, netMinor, locked) => {
    const wallet = locked.get(loan.walletAccountId);
    if (!wallet || wallet.ownerId !== loan.customerId || wallet.type !== 'wallet') throw notFound('account');
    if (wallet.status !== 'open') throw conflict('The wallet to disburse to is not open.');
    if (wallet.currency !== loan.currency)
      throw currencyMismatch(`The loan is in ${loan.currency}; the wallet holds ${wallet.currency}.`);
    return {
      postings: [{ accountId: wallet.id, side: 'credit', amountMinor: netMinor }],
      credited: true,
    };
  },
};

export interface DisburseInput {
  customerId: string;
  walletAccountId: string;
  product: LoanProductRecord;
  principalMinor: bigint;
  termMonths: number;
  applicationId: string | null;
  /** The credit score the loan was granted on (portfolio score distribution). */
  score: number | null;
  /** Default `wallet`. */
  channel?: string;
}

/** Where money for a loan comes from. */
export interface RepaymentSource {
  /** The account debited: the customer's wallet, or a rail's settlement account. */
  accountId: string;
  /** `wallet`, `mpesa`, … */
  channel: string;
  /** The rail's receipt: a receipt is applied once, whatever the retries. */
  externalRef: string | null;
  /** Money beyond what the loan takes goes to the customer's wallet (rails); a wallet payment is refused instead. */
  excessToWallet: boolean;
}

export type RepaymentRow = NonNullable<Awaited<ReturnType<Db['loanRepayment']['findUnique']>>>;

export interface RepaymentResult {
  repayment: RepaymentRow;
  loan: LoanRecord;
}

/** A loan and everything a reader sees of it. */
export interface LoanDetails {
  loan: LoanRecord;
  state: LoanState;
  settledOn: Map<number, string | null>;
  /** The loan's sub-ledger balances: what the loan accounts hold for it. */
  balances: Record<Component, bigint>;
  history: { status: string; bankDate: string; reason: string | null; changedAt: Date }[];
  today: string;
}

const exceedsPayoff = (owed: bigint, currency: string) =>
  new DomainError(
    422,
    'exceeds_payoff',
    'Exceeds payoff',
    `The most this loan takes today is ${currency} ${formatAmount(owed, currency)}; nothing was posted.`,
  );

/** A 10-digit number (first digit not 0) and a Luhn check digit: what a customer types as the paybill account. */
export function newLoanNumber(): string {
  let digits = String(randomInt(1, 10));
  for (let i = 0; i < 9; i++) digits += String(randomInt(0, 10));
  return digits + luhnCheckDigit(digits);
}

export function luhnCheckDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

export class LoansService {
  readonly book: LoanBook;
  readonly journal: LoanJournal;
  private readonly channels = new Map<string, DisbursementChannel>([[walletChannel.name, walletChannel]]);

  constructor(
    private readonly db: Db,
    private readonly ledger: Ledger,
    private readonly bankClock: BankClock,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly events: EventLog,
    book: LoanBook,
  ) {
    this.book = book;
    this.journal = new LoanJournal(ledger);
  }

  /** Adds a way to pay loans out (a rail); the wallet is built in. */
  registerChannel(channel: DisbursementChannel): void {
    this.channels.set(channel.name, channel);
  }

  // ---- Disbursement ----

  /**
   * Opens a loan and pays it out in one journal entry: principal receivable debited with the whole
   * principal, the wallet (or rail) credited with principal − processing fee, fee income credited
   * with the fee. The schedule is the quote's for the same terms on today's bank date.
   */
  async disburse(tx: Sql, actor: Actor, input: DisburseInput): Promise<LoanRecord> {
    const today = this.bankClock.today();
    const { product } = input;
    const terms = termsFor(product, input.principalMinor, product.currency, input.termMonths, today);
    const schedule = scheduleFor(terms);
    const channel = this.channels.get(input.channel ?? 'wallet');
    if (!channel) throw new Error(`no disbursement channel ${input.channel}`);
    const now = this.clock.now();
    const loan: LoanRecord = {
      id: newId('loan'),
      loanNumber: newLoanNumber(),
      customerId: input.customerId,
      productId: product.id,
      applicationId: input.applicationId,
      walletAccountId: input.walletAccountId,
      currency: product.currency,
      principalMinor: input.principalMinor,
      termMonths: input.termMonths,
      interestMethod: terms.interestMethod,
      amortization: terms.amortization ?? null,
      annualRate: product.annualRate,
      processingFeeRate: product.processingFeeRate,
      processingFeeMinor: schedule.processingFee,
      penaltyRate: product.penaltyRate,
      graceDays: product.graceDays,
      writeOffDays: product.writeOffDays,
      disbursementDate: today,
      channel: channel.name,
      status: 'pending_disbursement',
      score: input.score,
      principalOutstandingMinor: input.principalMinor,
      daysPastDue: 0,
      worstDaysPastDue: 0,
      interestAccruedThrough: today,
      arrearsThrough: today,
      penaltyCarry: '0',
      inDuplum: null,
      writtenOffMinor: 0n,
      recoveredMinor: 0n,
      closedOn: null,
      createdAt: now,
    };
    const locked = await this.ledger.lock(tx, [
      ...channel.accounts(loan),
      this.journal.controlAccount('principal', loan.currency),
      this.ledger.bankAccount('fee_income', loan.currency),
    ]);
    const payout = channel.payOut(loan, schedule.netDisbursed, locked);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.book.insertLoan(tx, loan);
        break;
      } catch (error) {
        // A loan number is 10 random digits: a clash is rare, and the unique index catches it.
        if (!isUniqueViolation(error) || attempt >= 5) throw error;
        loan.loanNumber = newLoanNumber();
      }
    }
    await this.book.recordStatus(tx, loan.id, 'pending_disbursement', today, now);
    const loaded: LoadedLoan = {
      record: loan,
      state: { terms, instalments: [] },
      settledOn: new Map(),
    };
    await this.book.saveInstalments(tx, [{ loaded, after: openLoan(terms, schedule), day: today }]);
    const entry = await this.journal.post(
      tx,
      {
        kind: 'loan_disbursement',
        lineKind: 'disbursement',
        description: `Loan ${loan.loanNumber} disbursed`,
        currency: loan.currency,
        effectiveDate: today,
        lines: [{ loanId: loan.id, component: 'principal', amountMinor: loan.principalMinor }],
        others: [
          ...payout.postings,
          {
            accountId: this.ledger.bankAccount('fee_income', loan.currency),
            side: 'credit',
            amountMinor: schedule.processingFee,
          },
        ],
      },
      locked,
    );
    loan.status = 'disbursed';
    await this.book.recordStatus(tx, loan.id, 'disbursed', today, now);
    if (payout.credited) {
      loan.status = 'active';
      await this.book.recordStatus(tx, loan.id, 'active', today, now);
    }
    await this.book.updateLoan(tx, loan);
    const show = (minor: bigint) => formatAmount(minor, loan.currency);
    await this.events.record(tx, {
      type: 'loan.disbursed',
      customerId: loan.customerId,
      data: {
        loan_id: loan.id,
        loan_number: loan.loanNumber,
        status: loan.status,
        principal: { amount: show(loan.principalMinor), currency: loan.currency },
        net_disbursed: { amount: show(schedule.netDisbursed), currency: loan.currency },
        processing_fee: { amount: show(schedule.processingFee), currency: loan.currency },
      },
    });
    await this.audit.record(tx, actor, {
      action: 'loan.disbursed',
      subject: { type: 'loan', id: loan.id },
      after: {
        loan_number: loan.loanNumber,
        customer_id: loan.customerId,
        application_id: loan.applicationId,
        principal: show(loan.principalMinor),
        net_disbursed: show(schedule.netDisbursed),
        processing_fee: show(schedule.processingFee),
        currency: loan.currency,
        channel: loan.channel,
        status: loan.status,
        journal_entry_id: entry?.id ?? null,
      },
    });
    return loan;
  }

  /** A rail confirms that a loan's money reached the customer: `disbursed` → `active`. */
  async confirmDisbursement(tx: Sql, actor: Actor, loanId: string): Promise<LoanRecord> {
    const loan = await this.book.lock(tx, loanId);
    if (!loan) throw notFound('loan');
    if (loan.status !== 'disbursed') throw conflict(`The loan is ${loan.status}, not disbursed.`);
    await this.transition(tx, loan, 'active', this.bankClock.today(), actor, 'disbursement confirmed');
    await this.book.updateLoan(tx, loan);
    return loan;
  }

  // ---- Bringing one loan up to date ----

  /**
   * Runs the daily steps the daily close has not run yet for this loan: each day before `today`
   * in full (interest, then arrears), and today's interest (a payoff today includes it; the close
   * of today then finds it done). Posts one entry per day and writes the loan back.
   */
  async bringUpToDate(
    tx: Sql,
    loaded: LoadedLoan,
    today: string,
    locked?: Map<string, LockedAccount>,
  ): Promise<void> {
    const progress: Progress = { loan: loaded.record, state: loaded.state };
    const start = earlierOf(loaded.record.interestAccruedThrough, loaded.record.arrearsThrough);
    for (let day = addDays(start, 1); daysBetween(day, today) >= 0; day = addDays(day, 1)) {
      const lines: StepPostings[] = [];
      if (progress.loan.interestAccruedThrough < day) lines.push(interestStep(progress, day));
      if (day < today && progress.loan.arrearsThrough < day) {
        const step = arrearsStep(progress, day);
        lines.push(step);
        if (step.transition)
          await this.transition(tx, progress.loan, step.transition, day, SYSTEM, 'daily close (caught up)');
      }
      await this.postDay(tx, progress.loan, day, lines, locked);
    }
    await this.book.saveInstalments(tx, [{ loaded, after: progress.state, day: today }]);
    await this.book.updateLoan(tx, progress.loan);
  }

  /**
   * One day's interest and penalties of loans of one currency, as one entry: of one loan (named in
   * the description), or of a daily-close batch.
   */
  async postDay(
    tx: Sql,
    loan: { currency: string; loanNumber?: string | undefined },
    day: string,
    steps: readonly StepPostings[],
    locked?: Map<string, LockedAccount>,
  ): Promise<void> {
    const lines = steps.flatMap((s) => s.lines);
    if (lines.length === 0) return;
    const interest = steps.reduce((t, s) => t + s.interestIncome, 0n);
    const penalties = steps.reduce((t, s) => t + s.penaltyIncome, 0n);
    await this.journal.post(
      tx,
      {
        kind: 'loan_accrual',
        lineKind: 'accrual',
        description:
          loan.loanNumber === undefined
            ? `Loan interest and penalties of ${day}`
            : `Loan ${loan.loanNumber}: interest and penalties of ${day}`,
        currency: loan.currency,
        effectiveDate: day,
        lines,
        others: [
          {
            accountId: this.ledger.bankAccount('interest_income', loan.currency),
            side: 'credit',
            amountMinor: interest,
          },
          {
            accountId: this.ledger.bankAccount('penalty_income', loan.currency),
            side: 'credit',
            amountMinor: penalties,
          },
        ],
      },
      locked,
    );
  }

  /** Every account a loan's entries may touch in its currency, besides a wallet or rail. */
  bankAccountsFor(currency: string): string[] {
    return [
      ...this.journal.controlAccounts(currency),
      this.ledger.bankAccount('interest_income', currency),
      this.ledger.bankAccount('penalty_income', currency),
      this.ledger.bankAccount('fee_income', currency),
      this.ledger.bankAccount('recovery_income', currency),
      this.ledger.bankAccount('loan_loss_expense', currency),
    ];
  }

  /**
   * Moves a loan to a new status: the history row, the event a partner hears of, and the audit
   * event. The caller writes the loan row afterwards.
   */
  async transition(
    tx: Sql,
    loan: LoanRecord,
    to: LoanStatus,
    day: string,
    actor: Actor,
    reason: string | null,
  ): Promise<void> {
    const from = loan.status;
    loan.status = to;
    await this.book.recordStatus(tx, loan.id, to, day, this.clock.now(), reason);
    const type =
      to === 'in_arrears'
        ? 'loan.in_arrears'
        : to === 'closed'
          ? 'loan.closed'
          : to === 'written_off'
            ? 'loan.written_off'
            : null;
    if (type)
      await this.events.record(tx, {
        type,
        customerId: loan.customerId,
        data: {
          loan_id: loan.id,
          loan_number: loan.loanNumber,
          status: to,
          days_past_due: loan.daysPastDue,
          bank_date: day,
        },
      });
    await this.audit.record(tx, actor, {
      action: `loan.${to}`,
      subject: { type: 'loan', id: loan.id },
      before: { status: from },
      after: { status: to, days_past_due: loan.daysPastDue, bank_date: day },
      reason,
    });
  }

  // ---- Repayment ----

  /**
   * A customer repays from one of their own accounts. Not outgoing money for the daily limit
   * (DOMAIN.md): no KYC send limit applies. More than the payoff is refused (422 `exceeds_payoff`).
   */
  async repay(
    tx: Sql,
    principal: Principal,
    loanId: string,
    input: { amountMinor: bigint; currency: string; fromAccountId: string },
  ): Promise<RepaymentResult> {
    if (principal.role !== 'customer') throw forbidden('Customers repay their own loans.');
    const peek = await this.book.read(tx, loanId);
    if (!peek || peek.customerId !== principal.id) throw notFound('loan');
    if (input.currency !== peek.currency)
      throw currencyMismatch(`The loan is in ${peek.currency}; the amount is in ${input.currency}.`);
    const locked = await this.ledger.lock(tx, [input.fromAccountId, ...this.bankAccountsFor(peek.currency)]);
    const from = locked.get(input.fromAccountId);
    if (!from || from.ownerId !== principal.id || from.type === 'bank') throw notFound('account');
    if (from.status !== 'open') throw conflict('The account to pay from is not open.');
    if (from.currency !== peek.currency)
      throw currencyMismatch(`The loan is in ${peek.currency}; the account holds ${from.currency}.`);
    if (from.balanceMinor - from.heldMinor < input.amountMinor) throw insufficientFunds();
    const loan = await this.book.lock(tx, loanId);
    if (!loan) throw notFound('loan');
    return this.receive(
      tx,
      principal,
      loan,
      input.amountMinor,
      { accountId: from.id, channel: 'wallet', externalRef: null, excessToWallet: false },
      locked,
    );
  }

  /**
   * Money for the loan with this paybill number (the M-Pesa C2B rail calls this in its own
   * transaction, having posted nothing yet): the loan takes what it can (its payoff, or what is
   * left to recover after a write-off), and the rest goes to the customer's wallet. The same
   * receipt (`source.externalRef`) is applied once: a repeat answers the first result. Answers null
   * for an unknown number, which the rail books to its suspense account for staff to resolve.
   */
  async repayByLoanNumber(
    tx: Sql,
    loanNumber: string,
    amountMinor: bigint,
    source: Omit<RepaymentSource, 'excessToWallet'> & { actor?: Actor },
  ): Promise<RepaymentResult | null> {
    if (amountMinor <= 0n) throw validationFailed([{ path: 'amount', message: 'must be positive' }]);
    const peek = await tx.$queryRawUnsafe<{ id: string; currency: string; wallet_account_id: string }[]>(
      'SELECT id, currency, wallet_account_id FROM loans WHERE loan_number = ?',
      loanNumber,
    );
    const found = peek[0];
    if (!found) return null;
    if (source.externalRef !== null) {
      const earlier = await this.repaymentByRef(tx, source.channel, source.externalRef);
      if (earlier)
        return { repayment: earlier, loan: (await this.book.read(tx, earlier.loanId)) as LoanRecord };
    }
    const locked = await this.ledger.lock(tx, [
      source.accountId,
      found.wallet_account_id,
      ...this.bankAccountsFor(String(found.currency)),
    ]);
    const loan = await this.book.lock(tx, String(found.id));
    if (!loan) return null;
    if (source.externalRef !== null) {
      // A twin delivery of the same receipt may have committed while this one waited for the lock.
      const earlier = await this.repaymentByRef(tx, source.channel, source.externalRef);
      if (earlier) return { repayment: earlier, loan };
    }
    return this.receive(
      tx,
      source.actor ?? SYSTEM,
      loan,
      amountMinor,
      { ...source, excessToWallet: true },
      locked,
    );
  }

  private async repaymentByRef(tx: Sql, channel: string, ref: string): Promise<RepaymentRow | null> {
    const [row] = await tx.$queryRawUnsafe<Record<string, unknown>[]>(
      'SELECT * FROM loan_repayments WHERE channel = ? AND external_ref = ?',
      channel,
      ref,
    );
    return row ? repaymentFromRow(row) : null;
  }

  /** Applies money to a locked loan: a repayment, a recovery after write-off, or (rails) excess to the wallet. */
  private async receive(
    tx: Sql,
    actor: Actor,
    loan: LoanRecord,
    amountMinor: bigint,
    source: RepaymentSource,
    locked: Map<string, LockedAccount>,
  ): Promise<RepaymentResult> {
    const today = this.bankClock.today();
    if (amountMinor <= 0n) throw validationFailed([{ path: 'body.amount', message: 'must be positive' }]);
    if (loan.status === 'written_off')
      return this.recover(tx, actor, loan, amountMinor, source, locked, today);
    if (loan.status === 'closed') {
      if (!source.excessToWallet) throw conflict('The loan is closed; nothing is owed.');
      return this.postReceipt(tx, actor, loan, amountMinor, source, locked, today, {
        kind: 'repayment',
        lines: [],
        others: [],
        excess: amountMinor,
        split: { principal: 0n, interest: 0n, fees: 0n, penalties: 0n },
      });
    }
    if (!OPEN_STATUSES.includes(loan.status)) throw conflict(`The loan is ${loan.status}.`);

    const loaded = await this.book.load(tx, loan);
    await this.bringUpToDate(tx, loaded, today, locked);
    const owed = payoff(loaded.state, today).total;
    const applied = amountMinor > owed ? owed : amountMinor;
    if (applied < amountMinor && !source.excessToWallet) throw exceedsPayoff(owed, loan.currency);
    if (applied === 0n)
      return this.postReceipt(tx, actor, loan, amountMinor, source, locked, today, {
        kind: 'repayment',
        lines: [],
        others: [],
        excess: amountMinor,
        split: { principal: 0n, interest: 0n, fees: 0n, penalties: 0n },
      });
    const allocation = allocateRepayment(loaded.state, today, applied);
    if (!allocation.ok) throw exceedsPayoff(allocation.payoff, loan.currency);
    const { totals } = allocation;

    // Interest and penalties held in suspense become income as they are paid; what was booked to
    // income before the loan stopped performing is paid first (oldest first).
    const before = await this.journal.balances(tx, loan.id);
    const released = (paid: bigint, receivable: bigint, suspended: bigint) => {
      const fromSuspense = paid - (receivable - suspended);
      return fromSuspense <= 0n ? 0n : fromSuspense > suspended ? suspended : fromSuspense;
    };
    const interestReleased = released(totals.interest, before.interest, before.interest_suspense);
    const penaltiesReleased = released(totals.penalties, before.penalties, before.penalties_suspense);
    const id = loan.id;
    const lines = [
      { loanId: id, component: 'principal' as const, amountMinor: -totals.principal },
      { loanId: id, component: 'interest' as const, amountMinor: -totals.interest },
      { loanId: id, component: 'fees' as const, amountMinor: -totals.fees },
      { loanId: id, component: 'penalties' as const, amountMinor: -totals.penalties },
      { loanId: id, component: 'interest_suspense' as const, amountMinor: -interestReleased },
      { loanId: id, component: 'penalties_suspense' as const, amountMinor: -penaltiesReleased },
    ];
    const others: PostingInput[] = [
      {
        accountId: this.ledger.bankAccount('interest_income', loan.currency),
        side: 'credit',
        amountMinor: interestReleased,
      },
      {
        accountId: this.ledger.bankAccount('penalty_income', loan.currency),
        side: 'credit',
        amountMinor: penaltiesReleased,
      },
    ];

    await this.book.saveInstalments(tx, [{ loaded, after: allocation.loan, day: today }]);
    loan.principalOutstandingMinor = principalOutstanding(allocation.loan);
    loan.daysPastDue = daysPastDue(allocation.loan, today);
    loan.worstDaysPastDue = Math.max(loan.worstDaysPastDue, loan.daysPastDue);
    loan.inDuplum = inDuplumOn(allocation.loan, today, loan.inDuplum);
    const result = await this.postReceipt(tx, actor, loan, amountMinor, source, locked, today, {
      kind: 'repayment',
      lines,
      others,
      excess: amountMinor - applied,
      split: totals,
    });
    if (allocation.closes) {
      loan.closedOn = today;
      loan.daysPastDue = 0;
      loan.inDuplum = null;
      await this.transition(tx, loan, 'closed', today, actor, 'paid in full');
    } else if (loan.status === 'in_arrears' && loan.daysPastDue === 0) {
      await this.transition(tx, loan, 'active', today, actor, 'arrears cleared');
    }
    await this.book.updateLoan(tx, loan);
    return { ...result, loan };
  }

  /** Money received after a write-off: recovery income, up to what was written off. */
  private async recover(
    tx: Sql,
    actor: Actor,
    loan: LoanRecord,
    amountMinor: bigint,
    source: RepaymentSource,
    locked: Map<string, LockedAccount>,
    today: string,
  ): Promise<RepaymentResult> {
    const open = loan.writtenOffMinor - loan.recoveredMinor;
    const recovered = amountMinor > open ? open : amountMinor;
    if (recovered < amountMinor && !source.excessToWallet) throw exceedsPayoff(open, loan.currency);
    loan.recoveredMinor += recovered;
    const result = await this.postReceipt(tx, actor, loan, amountMinor, source, locked, today, {
      kind: 'recovery',
      lines: [],
      others: [
        {
          accountId: this.ledger.bankAccount('recovery_income', loan.currency),
          side: 'credit',
          amountMinor: recovered,
        },
      ],
      excess: amountMinor - recovered,
      split: { principal: 0n, interest: 0n, fees: 0n, penalties: 0n },
    });
    await this.book.updateLoan(tx, loan);
    return { ...result, loan };
  }

  /** Posts a receipt (source debited, the loan's lines, excess to the wallet), its row, event and audit. */
  private async postReceipt(
    tx: Sql,
    actor: Actor,
    loan: LoanRecord,
    amountMinor: bigint,
    source: RepaymentSource,
    locked: Map<string, LockedAccount>,
    today: string,
    what: {
      kind: 'repayment' | 'recovery';
      lines: { loanId: string; component: Component; amountMinor: bigint }[];
      others: PostingInput[];
      excess: bigint;
      split: { principal: bigint; interest: bigint; fees: bigint; penalties: bigint };
    },
  ): Promise<RepaymentResult> {
    const others: PostingInput[] = [
      { accountId: source.accountId, side: 'debit', amountMinor },
      ...what.others,
      { accountId: loan.walletAccountId, side: 'credit', amountMinor: what.excess },
    ];
    const entry = await this.journal.post(
      tx,
      {
        kind: what.kind === 'recovery' ? 'loan_recovery' : 'loan_repayment',
        lineKind: 'repayment',
        description:
          what.kind === 'recovery'
            ? `Recovery on written-off loan ${loan.loanNumber}`
            : `Repayment of loan ${loan.loanNumber}`,
        currency: loan.currency,
        effectiveDate: today,
        lines: what.lines,
        others,
      },
      locked,
    );
    if (!entry) throw new Error('a repayment must move money');
    const repayment: RepaymentRow = {
      id: newId('lrp'),
      loanId: loan.id,
      kind: what.kind,
      channel: source.channel,
      externalRef: source.externalRef,
      sourceAccountId: source.accountId,
      amountMinor,
      principalMinor: what.split.principal,
      interestMinor: what.split.interest,
      feesMinor: what.split.fees,
      penaltiesMinor: what.split.penalties,
      excessMinor: what.excess,
      entryId: entry.id,
      bankDate: today,
      initiatedBy: actor.id,
      createdAt: this.clock.now(),
    };
    await tx.$executeRawUnsafe(
      `INSERT INTO loan_repayments (id, loan_id, kind, channel, external_ref, source_account_id, amount_minor,
         principal_minor, interest_minor, fees_minor, penalties_minor, excess_minor, entry_id, bank_date, initiated_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      repayment.id,
      repayment.loanId,
      repayment.kind,
      repayment.channel,
      repayment.externalRef,
      repayment.sourceAccountId,
      repayment.amountMinor,
      repayment.principalMinor,
      repayment.interestMinor,
      repayment.feesMinor,
      repayment.penaltiesMinor,
      repayment.excessMinor,
      repayment.entryId,
      repayment.bankDate,
      repayment.initiatedBy,
      repayment.createdAt,
    );
    const money = (minor: bigint) => ({
      amount: formatAmount(minor, loan.currency),
      currency: loan.currency,
    });
    await this.events.record(tx, {
      type: 'loan.repayment_received',
      customerId: loan.customerId,
      data: {
        loan_id: loan.id,
        loan_number: loan.loanNumber,
        repayment_id: repayment.id,
        kind: repayment.kind,
        channel: repayment.channel,
        amount: money(amountMinor),
        principal: money(what.split.principal),
        interest: money(what.split.interest),
        fees: money(what.split.fees),
        penalties: money(what.split.penalties),
        to_wallet: money(what.excess),
      },
    });
    await this.audit.record(tx, actor, {
      action: what.kind === 'recovery' ? 'loan.recovery_received' : 'loan.repayment_received',
      subject: { type: 'loan', id: loan.id },
      after: {
        repayment_id: repayment.id,
        amount: formatAmount(amountMinor, loan.currency),
        currency: loan.currency,
        channel: repayment.channel,
        external_ref: repayment.externalRef,
        principal: formatAmount(what.split.principal, loan.currency),
        interest: formatAmount(what.split.interest, loan.currency),
        fees: formatAmount(what.split.fees, loan.currency),
        penalties: formatAmount(what.split.penalties, loan.currency),
        to_wallet: formatAmount(what.excess, loan.currency),
        journal_entry_id: entry.id,
      },
    });
    return { repayment, loan };
  }

  // ---- Write-off ----

  /**
   * Takes what is still owed off the loan accounts (DOMAIN.md): the principal, interest booked to
   * income, fees and penalties against loan-loss expense; interest and penalties held in suspense
   * are reversed against the suspense account (never expensed), and interest paid ahead is applied
   * to principal. The loan keeps its history; what is recovered later is recovery income.
   * An administrator writes off with a reason on today's bank date; the daily close on the day closed.
   */
  async writeOff(
    tx: Sql,
    actor: Actor,
    loanId: string,
    reason: string,
    day: string = this.bankClock.today(),
  ): Promise<LoanRecord> {
    if (actor.role !== 'admin' && actor.role !== 'system')
      throw forbidden('Only administrators write loans off.');
    const peek = await this.book.read(tx, loanId);
    if (!peek) throw notFound('loan');
    const locked = await this.ledger.lock(tx, this.bankAccountsFor(peek.currency));
    const loan = await this.book.lock(tx, loanId);
    if (!loan) throw notFound('loan');
    if (!OPEN_STATUSES.includes(loan.status))
      throw conflict(`The loan is ${loan.status}; only open loans are written off.`);
    const loaded = await this.book.load(tx, loan);
    await this.bringUpToDate(tx, loaded, day, locked);
    const b = await this.journal.balances(tx, loan.id);
    const suspense = b.interest_suspense + b.penalties_suspense;
    const owed = b.principal + b.interest + b.fees + b.penalties;
    const loss = owed - suspense;
    if (loss < 0n) throw new Error(`write-off of ${loan.id}: suspense exceeds what is owed`);
    const id = loan.id;
    const entry = await this.journal.post(
      tx,
      {
        kind: 'loan_write_off',
        lineKind: 'write_off',
        description: `Loan ${loan.loanNumber} written off`,
        currency: loan.currency,
        effectiveDate: day,
        lines: (Object.keys(b) as Component[]).map((component) => ({
          loanId: id,
          component,
          amountMinor: -b[component],
        })),
        others: [
          {
            accountId: this.ledger.bankAccount('loan_loss_expense', loan.currency),
            side: 'debit',
            amountMinor: loss,
          },
        ],
      },
      locked,
    );
    loan.writtenOffMinor = owed;
    loan.principalOutstandingMinor = 0n;
    await this.transition(tx, loan, 'written_off', day, actor, reason);
    await this.book.updateLoan(tx, loan);
    await this.audit.record(tx, actor, {
      action: 'loan.write_off_posted',
      subject: { type: 'loan', id: loan.id },
      after: {
        written_off: formatAmount(owed, loan.currency),
        loan_loss_expense: formatAmount(loss, loan.currency),
        suspense_reversed: formatAmount(suspense, loan.currency),
        currency: loan.currency,
        journal_entry_id: entry?.id ?? null,
      },
      reason,
    });
    return loan;
  }

  // ---- Reading ----

  /** A loan the principal may see: a customer their own, staff any; anyone else 404. */
  async details(principal: Principal, id: string, db: Sql = this.db): Promise<LoanDetails> {
    const loan = await this.book.read(db, id);
    if (!loan || !canSee(principal, loan.customerId)) throw notFound('loan');
    return this.detailsOf(db, loan);
  }

  async detailsOf(db: Sql, loan: LoanRecord): Promise<LoanDetails> {
    const loaded = await this.book.load(db, loan);
    const history = await db.$queryRawUnsafe<Record<string, unknown>[]>(
      'SELECT status, bank_date, reason, changed_at FROM loan_status_history WHERE loan_id = ? ORDER BY seq',
      loan.id,
    );
    return {
      loan,
      state: loaded.state,
      settledOn: loaded.settledOn,
      balances: await this.journal.balances(db, loan.id),
      history: history.map((row) => ({
        status: String(row.status),
        bankDate: String(row.bank_date),
        reason: row.reason === null ? null : String(row.reason),
        changedAt: row.changed_at instanceof Date ? row.changed_at : new Date(String(row.changed_at)),
      })),
      today: this.bankClock.today(),
    };
  }

  /** A customer's own loans; staff see every loan (newest first). */
  async list(principal: Principal, page: PageRequest, customerId?: string): Promise<LoanDetails[]> {
    if (principal.role !== 'customer' && principal.role !== 'banker' && principal.role !== 'admin') return [];
    const owner = principal.role === 'customer' ? principal.id : customerId;
    const rows = await this.db.loan.findMany({
      where: {
        ...(owner ? { customerId: owner } : {}),
        ...(page.startingAfter ? { id: { lt: page.startingAfter } } : {}),
      },
      orderBy: { id: 'desc' },
      take: page.limit + 1,
      select: { id: true },
    });
    const out: LoanDetails[] = [];
    for (const row of rows) {
      const loan = await this.book.read(this.db, row.id);
      if (loan) out.push(await this.detailsOf(this.db, loan));
    }
    return out;
  }

  /**
   * What closes the loan on `date` (today or later): the loan brought forward to that date as the
   * daily close would (interest, and penalties on what is overdue), then principal + interest
   * accrued through the date + fees + penalties. Nothing is written. A written-off loan answers what
   * is left to recover; a closed one nothing.
   */
  async payoffOn(
    principal: Principal,
    id: string,
    date?: string,
    /** Read inside this transaction (a credit-life claim settling the loan), else outside any. */
    db: Sql = this.db,
  ): Promise<Payoff & { date: string; currency: string }> {
    const details = await this.details(principal, id, db);
    const { loan } = details;
    const day = date ?? details.today;
    if (daysBetween(details.today, day) < 0)
      throw validationFailed([{ path: 'query.date', message: `must be today (${details.today}) or later` }]);
    if (daysBetween(details.today, day) > 3660)
      throw validationFailed([{ path: 'query.date', message: 'must be within ten years' }]);
    const zero = { principal: 0n, interest: 0n, fees: 0n, penalties: 0n };
    if (loan.status === 'closed') return { ...zero, total: 0n, date: day, currency: loan.currency };
    if (loan.status === 'written_off')
      return {
        ...zero,
        total: loan.writtenOffMinor - loan.recoveredMinor,
        date: day,
        currency: loan.currency,
      };
    const progress: Progress = { loan: { ...loan }, state: details.state };
    const start = earlierOf(loan.interestAccruedThrough, loan.arrearsThrough);
    for (let d = addDays(start, 1); daysBetween(d, day) >= 0; d = addDays(d, 1)) {
      if (progress.loan.interestAccruedThrough < d) interestStep(progress, d);
      if (d < day && progress.loan.arrearsThrough < d) arrearsStep(progress, d);
    }
    return { ...payoff(progress.state, day), date: day, currency: loan.currency };
  }
}

/** The earlier of two bank dates. */
function earlierOf(a: string, b: string): string {
  return daysBetween(a, b) >= 0 ? a : b;
}

function canSee(principal: Principal, customerId: string): boolean {
  if (principal.role === 'banker' || principal.role === 'admin') return true;
  return principal.role === 'customer' && principal.id === customerId;
}

export function repaymentFromRow(row: Record<string, unknown>): RepaymentRow {
  const big = (v: unknown) => BigInt(String(v));
  return {
    id: String(row.id),
    loanId: String(row.loan_id),
    kind: String(row.kind),
    channel: String(row.channel),
    externalRef: row.external_ref === null ? null : String(row.external_ref),
    sourceAccountId: String(row.source_account_id),
    amountMinor: big(row.amount_minor),
    principalMinor: big(row.principal_minor),
    interestMinor: big(row.interest_minor),
    feesMinor: big(row.fees_minor),
    penaltiesMinor: big(row.penalties_minor),
    excessMinor: big(row.excess_minor),
    entryId: String(row.entry_id),
    bankDate: String(row.bank_date),
    initiatedBy: String(row.initiated_by),
    createdAt: row.created_at instanceof Date ? row.created_at : new Date(String(row.created_at)),
  };
}
