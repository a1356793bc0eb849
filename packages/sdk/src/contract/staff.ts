/**
 * The bank's own staff (API.md, Banker and Administrator): customer search and the Customer 360,
 * the maker-checker actions list, and Risk Ops — models, policy as data with a dry run, governance.
 * Ratios, rates and probabilities are decimal strings; money is `Money`; minor-unit amounts inside a
 * policy (which is currency-free) are integer strings named `*_minor`.
 */
import * as z from 'zod/mini';
import { Account } from './accounts.ts';
import { CalendarDate, describe, idOf, ListQuery, page, Timestamp } from './common.ts';
import { Event } from './events.ts';
import { Role } from './identity.ts';
import { Approval, CreditOutcome, CreditReason, LoanStatus } from './loans.ts';
import { Currency, Money } from './money.ts';

const Reason = describe(
  z.string().check(z.trim(), z.minLength(3), z.maxLength(500)),
  'Why; kept in the audit log.',
);
/** A ratio or probability as a decimal string (`"0.0412"`). */
const Ratio = describe(
  z.string().check(z.regex(/^-?[0-9]+(\.[0-9]+)?$/)),
  'Decimal string, e.g. "0.7721".',
  '0.7721',
);

// ---- Customers (bankers and admins) ----

/** `GET /v1/customers?query=`: by name, phone, e-mail, national ID, account id, loan id or loan number. */
export const CustomerSearchQuery = z.strictObject({
  ...ListQuery.shape,
  query: z.optional(
    describe(
      z.string().check(z.trim(), z.minLength(2), z.maxLength(100)),
      'Part of a name (2+ characters), or a phone, e-mail, national ID, `acc_…`, `loan_…`, `cus_…` or loan number.',
      'Wanjiru',
    ),
  ),
});
export type CustomerSearchQuery = z.infer<typeof CustomerSearchQuery>;

export const CustomerStatus = z.enum(['active', 'disabled']);

/** One customer in a search result. */
export const CustomerSummary = z.object({
  id: idOf('cus'),
  full_name: z.string(),
  email: z.string(),
  phone: z.nullable(z.string()),
  national_id: z.nullable(z.string()),
  kyc_tier: z.number().check(z.int()),
  status: z.string(),
  created_at: Timestamp,
});
export type CustomerSummary = z.infer<typeof CustomerSummary>;
export const CustomerSearchResult = page(CustomerSummary);

/** One KYC tier change, with the evidence the banker recorded. History is never rewritten. */
export const KycTierChange = z.object({
  id: idOf('kyc'),
  from_tier: z.number(),
  to_tier: z.number(),
  evidence: z.string(),
  changed_by: z.string(),
  at: Timestamp,
});
export type KycTierChange = z.infer<typeof KycTierChange>;

/** A loan as the Customer 360 lists it (the full loan is `GET /v1/loans/{id}`). */
export const CustomerLoan = z.object({
  id: idOf('loan'),
  loan_number: z.string(),
  status: LoanStatus,
  label: z.string(),
  currency: z.string(),
  product_id: z.string(),
  application_id: z.nullable(z.string()),
  principal: Money,
  outstanding_principal: Money,
  outstanding_total: describe(Money, 'Principal, interest, fees and penalties outstanding.'),
  days_past_due: z.number(),
  worst_days_past_due: z.number(),
  arrears_bucket: z.enum(['current', '1-30', '31-60', '61-90', '91+']),
  cbk_class: z.enum(['normal', 'watch', 'substandard', 'doubtful', 'loss']),
  disbursement_date: CalendarDate,
  closed_on: z.nullable(CalendarDate),
});
export type CustomerLoan = z.infer<typeof CustomerLoan>;

/** A stored credit scoring (a limit check or an application's decision), immutable. */
export const CreditDecisionRecord = z.object({
  id: idOf('dec'),
  kind: z.enum(['credit_limit', 'application']),
  bank_date: CalendarDate,
  decision: CreditOutcome,
  score: z.number(),
  pd: Ratio,
  grade: z.string(),
  limit: Money,
  model_version: z.string(),
  policy_version: z.string(),
  reasons: z.array(CreditReason),
  /** The features the model saw (name → value) and the challengers' scores in shadow. */
  features: z.record(z.string(), z.unknown()),
  shadow: z.array(z.record(z.string(), z.unknown())),
  created_at: Timestamp,
});
export type CreditDecisionRecord = z.infer<typeof CreditDecisionRecord>;

/** A banker's override of an application's decision. */
export const CreditOverride = z.object({
  application_id: idOf('app'),
  decision: z.enum(['approve', 'decline']),
  reason: z.string(),
  by: z.string(),
  approved_by: z.nullable(z.string()),
  at: Timestamp,
});
export type CreditOverride = z.infer<typeof CreditOverride>;

export const CustomerApplication = z.object({
  id: idOf('app'),
  status: z.string(),
  decision: CreditOutcome,
  decision_id: z.string(),
  product_id: z.string(),
  amount: Money,
  term_months: z.number(),
  loan_id: z.nullable(z.string()),
  created_at: Timestamp,
});
export type CustomerApplication = z.infer<typeof CustomerApplication>;

/** `GET /v1/customers/{id}`: everything a banker needs about one customer, in one read (audited). */
export const Customer360 = z.object({
  customer: z.object({
    ...CustomerSummary.shape,
    roles: z.array(Role),
    wallet_account_id: z.nullable(z.string()),
  }),
  kyc: z.object({
    tier: z.number(),
    limits: z.array(
      z.object({ currency: z.string(), max_balance: Money, daily_outgoing: Money, loan_cap: Money }),
    ),
    history: describe(z.array(KycTierChange), 'Newest first.'),
  }),
  accounts: z.array(Account),
  loans: describe(z.array(CustomerLoan), 'Newest first.'),
  applications: describe(z.array(CustomerApplication), 'Newest first (the last 50).'),
  credit_decisions: describe(z.array(CreditDecisionRecord), 'Newest first (the last 50).'),
  overrides: z.array(CreditOverride),
  recent_activity: describe(z.array(Event), "The customer's latest events, newest first (20)."),
  as_of: describe(CalendarDate, 'The bank date of the read.'),
});
export type Customer360 = z.infer<typeof Customer360>;

// ---- Maker-checker actions ----

export const ApprovalKind = z.enum(['loan_override', 'risk_policy_change', 'model_activation']);
export type ApprovalKind = z.infer<typeof ApprovalKind>;

/** `GET /v1/approval-actions`: which actions need a second member of staff, and who may decide them. */
export const ApprovalAction = z.object({
  kind: ApprovalKind,
  requires_approval: describe(
    z.boolean(),
    'Configured with WEKEZA_APPROVAL_ACTIONS; when false the action applies at once (audited).',
  ),
  maker_roles: z.array(Role),
  checker_roles: z.array(Role),
  description: z.string(),
  /** Loan overrides: amounts above these need approval (per currency). */
  thresholds: z.optional(z.array(Money)),
});
export type ApprovalAction = z.infer<typeof ApprovalAction>;
export const ApprovalActionList = z.object({ data: z.array(ApprovalAction) });
export type ApprovalActionList = z.infer<typeof ApprovalActionList>;

// ---- Risk Ops (admins) ----

const Score = z.number().check(z.int(), z.gte(0), z.lte(1000));
const Share = describe(
  z.string().check(z.regex(/^(0(\.[0-9]{1,6})?|1(\.0{1,6})?)$/, 'must be a decimal string from 0 to 1')),
  'Decimal string from 0 to 1.',
  '0.3',
);
const MinorUnits = describe(
  z.string().check(z.regex(/^(0|[1-9][0-9]{0,14})$/, 'must be a whole number of minor units, as a string')),
  'Minor units (cents) as an integer string.',
  '500000',
);

/** The credit policy as data (the engine's cut-offs, hard rules and limits), snake_case on the wire. */
export const RiskPolicyRules = z
  .strictObject({
    cutoffs: z.strictObject({
      approve_min_score: describe(Score, 'Approve at or above this score.', 540),
      refer_min_score: describe(Score, 'Refer at or above this score; decline below.', 460),
    }),
    bureau: z.strictObject({
      decline_on_negative_listing: z.boolean(),
      on_unavailable: z.enum(['refer', 'decline', 'ignore']),
      on_thin_file: z.enum(['refer', 'allow']),
      thin_file_limit_factor: Share,
      refer_above_worst_days_past_due: z.number().check(z.int(), z.gte(0), z.lte(3650)),
    }),
    minimum_tenure_months: z.number().check(z.int(), z.gte(0), z.lte(120)),
    kyc_tier_caps: describe(
      z
        .array(
          z.strictObject({
            tier: z.string().check(z.regex(/^tier[0-9]$/, 'must be tier0 … tier9')),
            cap_minor: MinorUnits,
          }),
        )
        .check(z.maxLength(10)),
      "Largest loan per KYC tier in the engine's own terms (the bank's KYC table caps it again); a tier not listed cannot borrow.",
    ),
    limits: z.strictObject({
      grade_multiples: describe(
        z
          .array(
            z.strictObject({
              grade: z.string().check(z.regex(/^[A-Z]$/, 'must be a grade letter')),
              multiple: z
                .string()
                .check(z.regex(/^[0-9]{1,2}(\.[0-9]{1,4})?$/, 'must be a decimal string such as "1.2"')),
            }),
          )
          .check(z.maxLength(26)),
        'Limit = this multiple of average monthly inflow, per grade (a grade not listed gets 0).',
      ),
      affordability: z.strictObject({
        max_instalment_share: Share,
        annual_rate: describe(
          z.string().check(z.regex(/^[0-9](\.[0-9]{1,6})?$/, 'must be a decimal string such as "0.18"')),
          'Annual rate for the annuity formula.',
          '0.18',
        ),
        term_months: z.number().check(z.int(), z.gte(1), z.lte(360)),
      }),
      round_down_to_minor: MinorUnits,
      minimum_limit_minor: MinorUnits,
    }),
  })
  .check(
    z.superRefine((value, ctx) => {
      if (value.cutoffs.refer_min_score > value.cutoffs.approve_min_score)
        ctx.issues.push({
          code: 'custom',
          message: 'must not exceed approve_min_score',
          path: ['cutoffs', 'refer_min_score'],
          input: value.cutoffs.refer_min_score,
        });
      if (value.limits.round_down_to_minor === '0')
        ctx.issues.push({
          code: 'custom',
          message: 'must be positive',
          path: ['limits', 'round_down_to_minor'],
          input: value.limits.round_down_to_minor,
        });
    }),
  );
export type RiskPolicyRules = z.infer<typeof RiskPolicyRules>;

/** `GET /v1/risk/policy`: the policy every credit decision uses now. */
export const RiskPolicy = z.object({
  id: describe(z.string(), 'The policy line, e.g. `sandbox-consumer`.'),
  version: describe(z.string(), 'Its version; decisions record `id@version`.'),
  policy_version: describe(z.string(), '`id@version`, as credit decisions record it.', 'sandbox-consumer@2'),
  rules: RiskPolicyRules,
  reason: z.nullable(z.string()),
  created_by: z.nullable(z.string()),
  approved_by: z.nullable(z.string()),
  created_at: z.nullable(Timestamp),
});
export type RiskPolicy = z.infer<typeof RiskPolicy>;

/** `PUT /v1/risk/policy` (admins; a second admin approves when configured). */
export const UpdateRiskPolicyRequest = z.strictObject({ rules: RiskPolicyRules, reason: Reason });
export type UpdateRiskPolicyRequest = z.infer<typeof UpdateRiskPolicyRequest>;

/** What the policy change answers: the new policy (200), or the approval a second admin decides (202). */
export const RiskPolicyUpdate = z.union([RiskPolicy, Approval]);
export type RiskPolicyUpdate = z.infer<typeof RiskPolicyUpdate>;

/** `POST /v1/risk/policy/dry-run`: the proposed rules over the last N applications, saving nothing. */
export const RiskPolicyDryRunRequest = z.strictObject({
  rules: RiskPolicyRules,
  last_n: z.optional(
    describe(z.number().check(z.int(), z.gte(1), z.lte(5000)), 'How many recent applications (default 500).'),
  ),
});
export type RiskPolicyDryRunRequest = z.infer<typeof RiskPolicyDryRunRequest>;

const Outcomes = z.object({
  approved: z.number(),
  referred: z.number(),
  declined: z.number(),
  approval_rate: Ratio,
  expected_bad_rate: describe(z.nullable(Ratio), 'Mean PD of the approved ones; null when none.'),
});

export const RiskPolicyDryRun = z.object({
  applications: describe(z.number(), 'How many applications were decided again.'),
  from: z.nullable(Timestamp),
  to: z.nullable(Timestamp),
  model_version: z.string(),
  current: describe(Outcomes, 'The current policy on the same applications (today’s model).'),
  proposed: Outcomes,
  newly_approved: z.number(),
  newly_declined: z.number(),
  changed: describe(z.number(), 'Applications whose outcome differs.'),
  expected_bad_rate_of_newly_approved: z.nullable(Ratio),
  summary: describe(
    z.string(),
    'In words: "this change would have approved X more, at expected bad rate Y".',
  ),
});
export type RiskPolicyDryRun = z.infer<typeof RiskPolicyDryRun>;

/** Calibration of one score band: predicted vs observed bad rate. */
export const CalibrationBand = z.object({
  band: describe(z.string(), 'Score band, e.g. `500-599`.'),
  loans: z.number(),
  bads: z.number(),
  expected_bad_rate: Ratio,
  observed_bad_rate: Ratio,
});
export type CalibrationBand = z.infer<typeof CalibrationBand>;

/** Governance figures of one model on the bank's own loans and applicants. */
export const ModelGovernance = z.object({
  as_of: CalendarDate,
  matured_loans: describe(z.number(), 'Loans past their last due date, closed or written off.'),
  bad_loans: describe(z.number(), 'Of those: ever more than 90 days past due, or written off.'),
  auc: describe(z.nullable(Ratio), 'Null until there are both good and bad matured loans.'),
  gini: z.nullable(Ratio),
  ks: z.nullable(Ratio),
  psi: describe(z.nullable(Ratio), "Recent applicants' scores vs the training population."),
  psi_status: z.nullable(z.enum(['stable', 'monitor', 'shifted'])),
  recent_applicants: z.number(),
  calibration: z.array(CalibrationBand),
});
export type ModelGovernance = z.infer<typeof ModelGovernance>;

export const RiskModel = z.object({
  version: describe(z.string(), 'The model’s identity, `name@version`.', 'behavioural@1.0.0'),
  name: z.string(),
  role: z.enum(['champion', 'challenger']),
  description: z.nullable(z.string()),
  trained_at: z.nullable(z.string()),
  training: z.nullable(
    z.object({ rows: z.number(), bad_rate: Ratio, auc: z.nullable(Ratio), ks: z.nullable(Ratio) }),
  ),
  governance: ModelGovernance,
  activated_at: z.nullable(Timestamp),
  activated_by: z.nullable(z.string()),
});
export type RiskModel = z.infer<typeof RiskModel>;
export const RiskModelList = page(RiskModel);

/** `GET /v1/risk/models/compare?versions=a,b`: the models side by side on the same loans and applicants. */
export const RiskModelCompareQuery = z.strictObject({
  versions: z.optional(
    describe(
      z.string().check(z.minLength(1), z.maxLength(500)),
      'Comma-separated model versions (default: every registered model).',
    ),
  ),
});
export type RiskModelCompareQuery = z.infer<typeof RiskModelCompareQuery>;

export const RiskModelComparison = z.object({
  as_of: CalendarDate,
  applicants: describe(z.number(), 'Recent applications every model was scored on.'),
  models: z.array(
    z.object({
      version: z.string(),
      role: z.enum(['champion', 'challenger']),
      governance: ModelGovernance,
      approval_rate: describe(Ratio, 'Share of the recent applicants at or above the approve cut-off.'),
      mean_pd: z.nullable(Ratio),
    }),
  ),
  agreement: describe(
    z.nullable(Ratio),
    'Share of applicants on whom every model falls on the same side of the approve cut-off.',
  ),
});
export type RiskModelComparison = z.infer<typeof RiskModelComparison>;

export const ActivateRiskModelRequest = z.strictObject({ reason: Reason });
export type ActivateRiskModelRequest = z.infer<typeof ActivateRiskModelRequest>;

/** A model made champion, with the governance numbers at that moment. */
export const RiskModelActivation = z.object({
  id: idOf('mact'),
  version: z.string(),
  previous_version: z.nullable(z.string()),
  governance: ModelGovernance,
  reason: z.string(),
  activated_by: z.string(),
  approved_by: z.nullable(z.string()),
  created_at: Timestamp,
});
export type RiskModelActivation = z.infer<typeof RiskModelActivation>;

/** What activation answers: the activation (200), or the approval a second admin decides (202). */
export const RiskModelActivationResult = z.union([RiskModelActivation, Approval]);
export type RiskModelActivationResult = z.infer<typeof RiskModelActivationResult>;

/** `GET /v1/risk/governance?currency=&version=` (default: the champion, the home currency). */
export const RiskGovernanceQuery = z.strictObject({
  currency: z.optional(Currency),
  version: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
});
export type RiskGovernanceQuery = z.infer<typeof RiskGovernanceQuery>;

export const RiskGovernance = z.object({
  model_version: z.string(),
  role: z.enum(['champion', 'challenger']),
  currency: z.string(),
  bad_definition: z.string(),
  ...ModelGovernance.shape,
});
export type RiskGovernance = z.infer<typeof RiskGovernance>;
