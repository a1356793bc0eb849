import * as z from 'zod/mini';
import { CalendarDate, describe, idOf, ListQuery, page, Timestamp } from './common.ts';
import { CreditLifeQuote } from './insurance.ts';
import { Currency, Money, PositiveMoney } from './money.ts';

/** An annual rate or a share as a decimal string: `"0.18"` = 18 %. Never a JSON number. */
export const LoanRate = describe(
  z.string().check(z.regex(/^[0-9]{1,2}(\.[0-9]{1,10})?$/, 'must be a decimal string such as "0.18"')),
  'Decimal string: "0.18" = 18 %.',
  '0.18',
);

const Term = describe(z.number().check(z.int(), z.gte(1), z.lte(360)), 'Whole months, 1..360.', 12);
const Reason = describe(
  z.string().check(z.trim(), z.minLength(3), z.maxLength(500)),
  'Why; kept in the audit log.',
);

export const InterestMethod = z.enum(['declining_balance', 'flat']);
export const Amortization = z.enum(['equal_instalments', 'equal_principal']);

/** `POST /v1/loan-products` (admins). */
export const CreateLoanProductRequest = z.strictObject({
  name: describe(
    z.string().check(z.trim(), z.minLength(1), z.maxLength(120)),
    'Product name.',
    'Personal loan',
  ),
  currency: Currency,
  interest_method: InterestMethod,
  amortization: z.optional(describe(Amortization, 'Declining balance only (default equal instalments).')),
  annual_rate: LoanRate,
  min_amount: PositiveMoney,
  max_amount: PositiveMoney,
  min_term_months: Term,
  max_term_months: Term,
  processing_fee_rate: describe(LoanRate, 'Share of the principal deducted at disbursement.', '0.02'),
  penalty_rate: describe(LoanRate, 'Annual rate on overdue principal and interest (Actual/365).', '0.05'),
  grace_days: describe(
    z.number().check(z.int(), z.gte(0), z.lte(90)),
    'Days after a due date before penalties.',
  ),
  write_off_days: describe(
    z.number().check(z.int(), z.gte(1), z.lte(3650)),
    'Days past due at which a loan is written off automatically.',
  ),
});
export type CreateLoanProductRequest = z.infer<typeof CreateLoanProductRequest>;

export const LoanProduct = z.object({
  id: idOf('lprod'),
  name: z.string(),
  currency: z.string(),
  interest_method: InterestMethod,
  amortization: z.nullable(Amortization),
  annual_rate: z.string(),
  processing_fee_rate: z.string(),
  penalty_rate: z.string(),
  min_amount: Money,
  max_amount: Money,
  min_term_months: z.number(),
  max_term_months: z.number(),
  grace_days: z.number(),
  write_off_days: z.number(),
  status: z.enum(['active', 'retired']),
  created_at: Timestamp,
});
export type LoanProduct = z.infer<typeof LoanProduct>;
export const LoanProductList = page(LoanProduct);

/** One instalment of a quote or an offer. */
export const ScheduledInstalment = z.object({
  n: z.number(),
  due_date: CalendarDate,
  principal: Money,
  interest: Money,
  fees: Money,
  total: Money,
});
export type ScheduledInstalment = z.infer<typeof ScheduledInstalment>;

/** `POST /v1/loan-quotes`: what a loan of these terms costs; no side effect. */
export const CreateLoanQuoteRequest = z.strictObject({
  product_id: idOf('lprod'),
  amount: PositiveMoney,
  term_months: Term,
});
export type CreateLoanQuoteRequest = z.infer<typeof CreateLoanQuoteRequest>;

const quoteFields = {
  amount: Money,
  term_months: z.number(),
  disbursement_date: describe(CalendarDate, 'The schedule is for a loan disbursed on this bank date.'),
  fee: describe(Money, 'Processing fee, deducted at disbursement.'),
  net_disbursed: describe(Money, 'What reaches the wallet: amount − fee.'),
  total_interest: Money,
  total_repayable: Money,
  total_cost_of_credit: describe(Money, 'total_repayable − net_disbursed.'),
  apr: describe(z.string(), '12 × the monthly IRR of the cash flows, 4 decimals.', '0.2191'),
  schedule: z.array(ScheduledInstalment),
};

export const LoanQuote = z.object({
  product_id: idOf('lprod'),
  ...quoteFields,
  credit_life: z.optional(describe(CreditLifeQuote, 'The credit-life cover offered with the loan (Insure).')),
});
export type LoanQuote = z.infer<typeof LoanQuote>;

export const CreditReason = z.object({ code: z.string(), text: z.string() });
export type CreditReason = z.infer<typeof CreditReason>;

export const CreditOutcome = z.enum(['approved', 'declined', 'referred']);

/** `GET /v1/credit-limit?currency=`: what the caller may borrow now, scored in real time. */
export const CreditLimitQuery = z.strictObject({ currency: z.optional(Currency) });
export type CreditLimitQuery = z.infer<typeof CreditLimitQuery>;

export const CreditLimit = z.object({
  decision_id: idOf('dec'),
  decision: CreditOutcome,
  score: describe(z.number().check(z.int()), 'Credit score, 0..1000 (higher is safer).'),
  pd: describe(z.string(), 'Probability of default, a decimal string.', '0.043210'),
  grade: z.string(),
  limit: describe(Money, 'What may be borrowed now (a proposal when referred).'),
  exposure: describe(Money, 'Principal outstanding on your open loans.'),
  tier_cap: describe(Money, "Your KYC tier's loan cap."),
  thin_file: describe(z.boolean(), 'Too little history to score: a starter limit or a referral.'),
  model_version: z.string(),
  policy_version: z.string(),
  reasons: z.array(CreditReason),
  bank_date: CalendarDate,
});
export type CreditLimit = z.infer<typeof CreditLimit>;

/** `POST /v1/loan-applications`. */
export const CreateLoanApplicationRequest = z.strictObject({
  product_id: idOf('lprod'),
  amount: PositiveMoney,
  term_months: Term,
  purpose: z.optional(
    describe(z.string().check(z.trim(), z.minLength(1), z.maxLength(200)), 'What the loan is for.'),
  ),
});
export type CreateLoanApplicationRequest = z.infer<typeof CreateLoanApplicationRequest>;

export const ApplicationStatus = z.enum(['approved', 'declined', 'referred', 'pending_approval', 'accepted']);

export const LoanOffer = z.object({
  ...quoteFields,
  expires_on: describe(CalendarDate, 'The last bank day the offer can be accepted.'),
});
export type LoanOffer = z.infer<typeof LoanOffer>;

export const LoanApplication = z.object({
  id: idOf('app'),
  status: ApplicationStatus,
  decision: describe(CreditOutcome, "The bank's automated decision, kept whatever a banker decides later."),
  customer_id: z.string(),
  product_id: z.string(),
  amount: Money,
  term_months: z.number(),
  purpose: z.nullable(z.string()),
  decision_id: z.string(),
  score: z.number(),
  pd: z.string(),
  grade: z.string(),
  limit: Money,
  model_version: z.string(),
  policy_version: z.string(),
  reasons: z.array(CreditReason),
  offer: z.nullable(describe(LoanOffer, 'The loan on offer, with its full repayment schedule.')),
  override: z.nullable(
    z.object({
      decision: z.enum(['approve', 'decline']),
      reason: z.string(),
      by: z.string(),
      approved_by: z.nullable(z.string()),
      at: Timestamp,
    }),
  ),
  loan_id: z.nullable(z.string()),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type LoanApplication = z.infer<typeof LoanApplication>;
export const LoanApplicationList = page(LoanApplication);

export const LoanApplicationListQuery = z.strictObject({
  ...ListQuery.shape,
  status: z.optional(ApplicationStatus),
});
export type LoanApplicationListQuery = z.infer<typeof LoanApplicationListQuery>;

/** `POST /v1/loan-applications/{id}/override` (bankers). */
export const OverrideLoanApplicationRequest = z.strictObject({
  decision: z.enum(['approve', 'decline']),
  reason: Reason,
  amount: z.optional(describe(PositiveMoney, 'Approve a different amount.')),
  term_months: z.optional(Term),
});
export type OverrideLoanApplicationRequest = z.infer<typeof OverrideLoanApplicationRequest>;

/** A maker-checker request: asked for by one member of staff, decided by another. */
export const Approval = z.object({
  id: idOf('apr'),
  kind: describe(z.string(), '`loan_override`, …'),
  status: z.enum(['pending', 'approved', 'rejected']),
  subject: z.object({ type: z.string(), id: z.string() }),
  payload: z.record(z.string(), z.unknown()),
  maker_id: z.string(),
  maker_reason: z.string(),
  checker_id: z.nullable(z.string()),
  checker_reason: z.nullable(z.string()),
  created_at: Timestamp,
  decided_at: z.nullable(Timestamp),
});
export type Approval = z.infer<typeof Approval>;
export const ApprovalList = page(Approval);

/** What an override answers: the application (200), or the approval a second banker must decide (202). */
export const LoanApplicationOverride = z.union([LoanApplication, Approval]);
export type LoanApplicationOverride = z.infer<typeof LoanApplicationOverride>;

export const ApprovalListQuery = z.strictObject({
  ...ListQuery.shape,
  status: z.optional(z.enum(['pending', 'approved', 'rejected'])),
});
export type ApprovalListQuery = z.infer<typeof ApprovalListQuery>;

export const DecideApprovalRequest = z.strictObject({ reason: Reason });
export type DecideApprovalRequest = z.infer<typeof DecideApprovalRequest>;

export const LoanStatus = z.enum([
  'pending_disbursement',
  'disbursed',
  'active',
  'in_arrears',
  'closed',
  'written_off',
]);

const Components = { principal: Money, interest: Money, fees: Money, penalties: Money, total: Money };

export const Loan = z.object({
  id: idOf('loan'),
  loan_number: describe(
    z.string(),
    'Digits: the account number for M-Pesa paybill repayments.',
    '48213370925',
  ),
  status: LoanStatus,
  label: describe(
    z.string(),
    'What a customer is shown: WIP, Disbursed, Credited, In arrears, Closed, Written off.',
  ),
  customer_id: z.string(),
  product_id: z.string(),
  application_id: z.nullable(z.string()),
  currency: z.string(),
  principal: Money,
  term_months: z.number(),
  interest_method: InterestMethod,
  amortization: z.nullable(Amortization),
  annual_rate: z.string(),
  processing_fee: Money,
  disbursement_date: CalendarDate,
  outstanding: describe(
    z.object(Components),
    'What the loan accounts hold for this loan now (interest negative while paid ahead).',
  ),
  in_suspense: describe(Money, 'Interest and penalties accrued while non-performing, not yet income.'),
  days_past_due: z.number(),
  arrears_bucket: z.enum(['current', '1-30', '31-60', '61-90', '91+']),
  cbk_class: z.enum(['normal', 'watch', 'substandard', 'doubtful', 'loss']),
  written_off: Money,
  recovered: Money,
  closed_on: z.nullable(CalendarDate),
  schedule: z.array(
    z.object({
      n: z.number(),
      due_date: CalendarDate,
      principal: Money,
      interest: Money,
      fees: Money,
      penalties: Money,
      total: Money,
      paid: z.object(Components),
      due: describe(Money, 'Still to pay on this instalment.'),
      state: z.enum(['paid', 'overdue', 'due', 'upcoming']),
      settled_on: z.nullable(CalendarDate),
    }),
  ),
  status_history: z.array(
    z.object({
      status: LoanStatus,
      label: z.string(),
      bank_date: CalendarDate,
      reason: z.nullable(z.string()),
      at: Timestamp,
    }),
  ),
  created_at: Timestamp,
});
export type Loan = z.infer<typeof Loan>;
export const LoanList = page(Loan);

export const LoanPayoffQuery = z.strictObject({ date: z.optional(CalendarDate) });
export type LoanPayoffQuery = z.infer<typeof LoanPayoffQuery>;

export const LoanPayoff = z.object({ loan_id: z.string(), date: CalendarDate, ...Components });
export type LoanPayoff = z.infer<typeof LoanPayoff>;

/** `POST /v1/loans/{id}/repayments`: from one of your accounts. More than the payoff is refused. */
export const CreateLoanRepaymentRequest = z.strictObject({
  amount: PositiveMoney,
  from_account_id: idOf('acc'),
});
export type CreateLoanRepaymentRequest = z.infer<typeof CreateLoanRepaymentRequest>;

export const LoanRepayment = z.object({
  id: idOf('lrp'),
  loan_id: z.string(),
  kind: z.enum(['repayment', 'recovery']),
  channel: z.string(),
  amount: Money,
  principal: Money,
  interest: Money,
  fees: Money,
  penalties: Money,
  to_wallet: describe(Money, 'What went on to the wallet (rail payments above the payoff).'),
  journal_entry_id: z.string(),
  bank_date: CalendarDate,
  created_at: Timestamp,
  loan: Loan,
});
export type LoanRepayment = z.infer<typeof LoanRepayment>;

export const WriteOffLoanRequest = z.strictObject({ reason: Reason });
export type WriteOffLoanRequest = z.infer<typeof WriteOffLoanRequest>;

const Slice = z.object({ loans: z.number(), principal: Money });
const bucketsOf = <K extends string>(keys: readonly K[]) =>
  z.object(Object.fromEntries(keys.map((k) => [k, Slice])) as Record<K, typeof Slice>);
const BUCKETS = ['current', '1-30', '31-60', '61-90', '91+'] as const;
const CLASSES = ['normal', 'watch', 'substandard', 'doubtful', 'loss'] as const;

const portfolioFields = {
  loans: z.number(),
  outstanding_principal: Money,
  npl_principal: Money,
  par30_principal: Money,
  npl_ratio: describe(z.string(), 'Non-performing principal / outstanding principal, 4 decimals.', '0.0412'),
  par30: describe(
    z.string(),
    'Principal more than 30 days past due / outstanding principal, 4 decimals.',
    '0.0815',
  ),
  loans_by_bucket: bucketsOf(BUCKETS),
  loans_by_class: bucketsOf(CLASSES),
};

export const PortfolioQuery = z.strictObject({ currency: z.optional(Currency) });
export type PortfolioQuery = z.infer<typeof PortfolioQuery>;

export const Portfolio = z.object({
  currency: z.string(),
  as_of: describe(z.nullable(CalendarDate), 'The last closed bank day (days past due are as of then).'),
  ...portfolioFields,
  score_distribution: z.array(z.object({ band: z.string(), loans: z.number(), principal: Money })),
});
export type Portfolio = z.infer<typeof Portfolio>;

export const PortfolioHistoryQuery = z.strictObject({
  from: CalendarDate,
  to: CalendarDate,
  currency: z.optional(Currency),
});
export type PortfolioHistoryQuery = z.infer<typeof PortfolioHistoryQuery>;

export const PortfolioHistory = z.object({
  currency: z.string(),
  from: CalendarDate,
  to: CalendarDate,
  data: z.array(z.object({ bank_date: CalendarDate, ...portfolioFields })),
});
export type PortfolioHistory = z.infer<typeof PortfolioHistory>;
