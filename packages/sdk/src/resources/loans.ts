import type { Wekeza } from '../client.ts';
import type { ListParams, PagePromise } from '../core/pagination.ts';
import type { RequestOptions } from '../core/request-options.ts';
import { path } from '../internal/path.ts';
import type { Money } from '../money/money.ts';

export type LoanStatus =
  | 'pending_disbursement'
  | 'disbursed'
  | 'active'
  | 'in_arrears'
  | 'closed'
  | 'written_off';

/** Amounts per component, and their total. */
export interface LoanComponents {
  principal: Money;
  interest: Money;
  fees: Money;
  penalties: Money;
  total: Money;
}

/** One instalment of a loan: scheduled, paid, still due, and where it stands. */
export interface LoanInstalment {
  n: number;
  dueDate: string;
  principal: Money;
  interest: Money;
  fees: Money;
  penalties: Money;
  total: Money;
  paid: LoanComponents;
  due: Money;
  state: 'paid' | 'overdue' | 'due' | 'upcoming';
  settledOn: string | null;
}

/** A loan with what it owes by component, its arrears, schedule and status history. */
export interface Loan {
  id: string;
  /** Digits: the account number for M-Pesa paybill repayments. */
  loanNumber: string;
  status: LoanStatus;
  /** What a customer is shown: WIP, Disbursed, Credited, In arrears, Closed, Written off. */
  label: string;
  customerId: string;
  productId: string;
  applicationId: string | null;
  currency: string;
  principal: Money;
  termMonths: number;
  interestMethod: 'declining_balance' | 'flat';
  amortization: 'equal_instalments' | 'equal_principal' | null;
  annualRate: string;
  processingFee: Money;
  disbursementDate: string;
  /** What the loan accounts hold for this loan (interest negative while paid ahead). */
  outstanding: LoanComponents;
  /** Interest and penalties accrued while non-performing, not yet income. */
  inSuspense: Money;
  daysPastDue: number;
  arrearsBucket: 'current' | '1-30' | '31-60' | '61-90' | '91+';
  cbkClass: 'normal' | 'watch' | 'substandard' | 'doubtful' | 'loss';
  writtenOff: Money;
  recovered: Money;
  closedOn: string | null;
  schedule: LoanInstalment[];
  statusHistory: { status: LoanStatus; label: string; bankDate: string; reason: string | null; at: string }[];
  createdAt: string;
}

/** What closes a loan on a date. */
export interface LoanPayoff {
  loanId: string;
  date: string;
  principal: Money;
  interest: Money;
  fees: Money;
  penalties: Money;
  total: Money;
}

/** `POST /v1/loans/{id}/repayments`. */
export interface LoanRepaymentCreateParams {
  /** At most the payoff (more is refused with 422 `exceeds_payoff`). */
  amount: Money;
  fromAccountId: string;
}

/** A repayment (or a recovery after write-off), how it was split, and the loan after it. */
export interface LoanRepayment {
  id: string;
  loanId: string;
  kind: 'repayment' | 'recovery';
  channel: string;
  amount: Money;
  principal: Money;
  interest: Money;
  fees: Money;
  penalties: Money;
  toWallet: Money;
  journalEntryId: string;
  bankDate: string;
  createdAt: string;
  loan: Loan;
}

/** `/v1/loans`. */
export class Loans {
  constructor(private readonly client: Wekeza) {}

  /** Your loans (staff: every loan), newest first. */
  list(params?: ListParams, options?: RequestOptions): PagePromise<Loan> {
    return this.client._list<Loan>('/v1/loans', (c) => c.LoanList, params, options);
  }

  retrieve(id: string, options?: RequestOptions): Promise<Loan> {
    return this.client._request({ method: 'GET', path: path`/v1/loans/${id}` }, (c) => c.Loan, options);
  }

  /** What closes the loan on `date` (default today's bank date). */
  payoff(id: string, params?: { date?: string }, options?: RequestOptions): Promise<LoanPayoff> {
    return this.client._request(
      { method: 'GET', path: path`/v1/loans/${id}/payoff`, query: { date: params?.date } },
      (c) => c.LoanPayoff,
      options,
    );
  }

  /** Repays from one of your accounts; exactly once per Idempotency-Key. */
  repay(id: string, params: LoanRepaymentCreateParams, options?: RequestOptions): Promise<LoanRepayment> {
    return this.client._request(
      { method: 'POST', path: path`/v1/loans/${id}/repayments`, body: params },
      (c) => c.LoanRepayment,
      options,
    );
  }

  /** Admins: writes the loan off with a reason (audited). */
  writeOff(id: string, params: { reason: string }, options?: RequestOptions): Promise<Loan> {
    return this.client._request(
      { method: 'POST', path: path`/v1/loans/${id}/write-off`, body: params },
      (c) => c.Loan,
      options,
    );
  }
}
