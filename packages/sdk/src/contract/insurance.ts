import * as z from 'zod/mini';
import { CalendarDate, describe, idOf, page, Timestamp } from './common.ts';
import { Currency, Money, PositiveMoney } from './money.ts';

/** A rate or share from 0 to 1 as a decimal string with at most 8 decimals ("0.004"). Never a number. */
function fraction(description: string, example: string) {
  return describe(
    z
      .string()
      .check(
        z.regex(
          /^(0(\.[0-9]{1,8})?|1(\.0{1,8})?)$/,
          'must be a decimal string from "0" to "1" with at most 8 decimals, e.g. "0.004"',
        ),
      ),
    description,
    example,
  );
}

export const CoverType = z.enum(['life', 'asset', 'credit_life']);
export type CoverType = z.infer<typeof CoverType>;
export const PremiumFrequency = z.enum(['monthly', 'single']);
export type PremiumFrequency = z.infer<typeof PremiumFrequency>;
export const PolicyStatus = z.enum(['active', 'in_grace', 'lapsed', 'cancelled', 'expired']);
export type PolicyStatus = z.infer<typeof PolicyStatus>;
export const ClaimStatus = z.enum(['submitted', 'under_review', 'approved', 'rejected', 'paid']);
export type ClaimStatus = z.infer<typeof ClaimStatus>;

const Days = (description: string) =>
  describe(z.number().check(z.int(), z.gte(0), z.lte(365)), description, 30);
const Age = describe(z.number().check(z.int(), z.gte(0), z.lte(120)), 'An age in whole years.', 18);
const Text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

/** `POST /v1/insurance-products` (admins, audited). */
export const CreateInsuranceProductRequest = z
  .strictObject({
    name: Text(120),
    cover_type: CoverType,
    underwriter: describe(Text(120), 'The insurer who carries the risk; premiums are remitted to it.'),
    currency: Currency,
    premium: z.optional(describe(PositiveMoney, 'A fixed premium per period (or the single premium).')),
    premium_rate: z.optional(
      fraction('Per month, of the sum insured (credit life: of the outstanding loan principal).', '0.004'),
    ),
    frequency: PremiumFrequency,
    term_months: z.optional(
      describe(
        z.number().check(z.int(), z.gte(1), z.lte(600)),
        'How long cover lasts (a single premium covers it all); absent: until cancelled.',
      ),
    ),
    grace_days: Days('Days a missed premium is retried before the policy lapses.'),
    reinstatement_days: Days('Days after a lapse in which paying the arrears reinstates the policy.'),
    commission_rate: fraction("The bank's share of premiums, kept at remittance.", '0.1'),
    refund_rule: describe(
      z.enum(['pro_rata', 'none']),
      'On cancellation: the unused days of the period paid refunded pro rata, or nothing.',
    ),
    min_sum_insured: z.optional(PositiveMoney),
    max_sum_insured: z.optional(PositiveMoney),
    min_age: z.optional(Age),
    max_age: z.optional(Age),
    min_kyc_tier: z.optional(z.number().check(z.int(), z.gte(0), z.lte(2))),
    loan_products: z.optional(
      describe(
        z
          .array(z.strictObject({ loan_product_id: idOf('lprod'), mandatory: z.boolean() }))
          .check(z.maxLength(50)),
        'Credit life: the loan products that offer this cover at acceptance, and whether it is mandatory.',
      ),
    ),
  })
  .check(
    z.superRefine((value, ctx) => {
      const issue = (path: string[], message: string) =>
        ctx.issues.push({ code: 'custom', message, path, input: value });
      if ((value.premium === undefined) === (value.premium_rate === undefined))
        issue(['premium'], 'give exactly one of premium and premium_rate');
      for (const key of ['premium', 'min_sum_insured', 'max_sum_insured'] as const) {
        const money = value[key];
        if (money && money.currency !== value.currency)
          issue([key, 'currency'], 'must be in the product currency');
      }
      if (value.cover_type === 'credit_life') {
        if (value.premium_rate === undefined) issue(['premium_rate'], 'is required for credit life');
        if (value.min_sum_insured || value.max_sum_insured)
          issue(['min_sum_insured'], 'credit life insures the outstanding loan principal');
      } else {
        if (value.loan_products !== undefined) issue(['loan_products'], 'is only for credit life');
        if (value.premium_rate !== undefined && (!value.min_sum_insured || !value.max_sum_insured))
          issue(['min_sum_insured'], 'a rate-based premium needs the sum insured range');
        // A fixed premium buys any cover up to this: without it a customer could insure any sum.
        if (!value.max_sum_insured)
          issue(['max_sum_insured'], 'is required: the largest cover the premium buys');
      }
      if (
        value.frequency === 'single' &&
        value.term_months === undefined &&
        value.cover_type !== 'credit_life'
      )
        issue(['term_months'], 'a single premium covers a term: give it');
      if (value.min_age !== undefined && value.max_age !== undefined && value.min_age > value.max_age)
        issue(['max_age'], 'must not be below min_age');
    }),
  );
export type CreateInsuranceProductRequest = z.infer<typeof CreateInsuranceProductRequest>;

export const InsuranceProduct = z.object({
  id: idOf('iprod'),
  name: z.string(),
  cover_type: CoverType,
  underwriter: z.string(),
  currency: z.string(),
  premium: z.optional(Money),
  premium_rate: z.optional(z.string()),
  frequency: PremiumFrequency,
  term_months: z.nullable(z.number()),
  grace_days: z.number(),
  reinstatement_days: z.number(),
  commission_rate: z.string(),
  refund_rule: z.enum(['pro_rata', 'none']),
  min_sum_insured: z.nullable(Money),
  max_sum_insured: z.nullable(Money),
  min_age: z.nullable(z.number()),
  max_age: z.nullable(z.number()),
  min_kyc_tier: z.number(),
  loan_products: z.array(z.object({ loan_product_id: z.string(), mandatory: z.boolean() })),
  status: z.enum(['active', 'retired']),
  created_at: Timestamp,
});
export type InsuranceProduct = z.infer<typeof InsuranceProduct>;
export const InsuranceProductList = page(InsuranceProduct);

export const Beneficiary = z.strictObject({
  name: Text(200),
  phone: describe(
    z.string().check(z.regex(/^\+[1-9][0-9]{7,14}$/, 'must be an E.164 phone number such as +254712345678')),
    'Where a claim is paid: the wallet of the customer with this phone, else M-Pesa.',
  ),
  relationship: Text(60),
  share: fraction('Share of the claim, a decimal string; shares sum to 1.', '0.5'),
});
export type Beneficiary = z.infer<typeof Beneficiary>;

const PolicyTerms = {
  product_id: idOf('iprod'),
  sum_insured: z.optional(PositiveMoney),
};

/** `POST /v1/policy-quotes`: the premium a policy bought today would cost. No side effect. */
export const PolicyQuoteRequest = z.strictObject(PolicyTerms);
export type PolicyQuoteRequest = z.infer<typeof PolicyQuoteRequest>;

export const PolicyQuote = z.object({
  product_id: z.string(),
  sum_insured: Money,
  premium: describe(Money, 'Per period (monthly), or the single premium.'),
  frequency: PremiumFrequency,
  start_date: CalendarDate,
  end_date: z.nullable(CalendarDate),
  next_premium_due: z.nullable(CalendarDate),
});
export type PolicyQuote = z.infer<typeof PolicyQuote>;

/** `POST /v1/policies`: buy cover; the first premium is taken from the funding account at once. */
export const CreatePolicyRequest = z
  .strictObject({
    ...PolicyTerms,
    funding_account_id: idOf('acc'),
    beneficiaries: z.optional(z.array(Beneficiary).check(z.minLength(1), z.maxLength(10))),
  })
  .check(
    z.superRefine((value, ctx) => {
      if (!value.beneficiaries) return;
      // Shares are decimal strings with ≤ 8 decimals: sum them exactly in units of 1e-8.
      const total = value.beneficiaries.reduce((sum, b) => {
        const [whole = '0', frac = ''] = b.share.split('.');
        return sum + BigInt(whole) * 100_000_000n + BigInt(frac.padEnd(8, '0'));
      }, 0n);
      if (total !== 100_000_000n)
        ctx.issues.push({
          code: 'custom',
          message: 'the shares must sum to 1',
          path: ['beneficiaries'],
          input: value.beneficiaries,
        });
    }),
  );
export type CreatePolicyRequest = z.infer<typeof CreatePolicyRequest>;

export const Policy = z.object({
  id: idOf('pol'),
  customer_id: z.string(),
  product_id: z.string(),
  product_name: z.string(),
  cover_type: CoverType,
  underwriter: z.string(),
  status: PolicyStatus,
  sum_insured: describe(Money, 'Credit life: the loan principal outstanding today.'),
  premium: describe(Money, 'The premium per period (the single premium).'),
  frequency: PremiumFrequency,
  funding_account_id: z.string(),
  start_date: CalendarDate,
  end_date: z.nullable(CalendarDate),
  next_premium_due: z.nullable(CalendarDate),
  next_premium: z.nullable(describe(Money, 'What the next sweep takes.')),
  grace_until: z.nullable(describe(CalendarDate, 'In grace: the last day the sweep retries.')),
  arrears: describe(Money, 'Premiums due and unpaid (what reinstatement pays).'),
  reinstate_until: z.nullable(CalendarDate),
  lapsed_on: z.nullable(CalendarDate),
  closed_on: z.nullable(CalendarDate),
  loan_id: z.nullable(z.string()),
  beneficiaries: z.array(
    z.object({ name: z.string(), phone: z.string(), relationship: z.string(), share: z.string() }),
  ),
  created_at: Timestamp,
});
export type Policy = z.infer<typeof Policy>;
export const PolicyList = page(Policy);

export const PolicyCancellation = z.object({
  ...Policy.shape,
  refund: describe(Money, 'Paid back to the funding account (the product’s refund rule).'),
});
export type PolicyCancellation = z.infer<typeof PolicyCancellation>;

export const Attachment = z.strictObject({
  file_name: Text(200),
  content_type: describe(
    z.string().check(z.regex(/^[a-z]+\/[a-z0-9.+-]{1,80}$/, 'must be a media type such as image/jpeg')),
    'Media type.',
    'application/pdf',
  ),
  size_bytes: z.number().check(z.int(), z.gte(1), z.lte(20_000_000)),
  sha256: z.optional(z.string().check(z.regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'))),
});
export type Attachment = z.infer<typeof Attachment>;

/** `POST /v1/claims`: a customer (or a banker for them) files a claim on a policy. */
export const CreateClaimRequest = z.strictObject({
  policy_id: idOf('pol'),
  description: Text(2000),
  attachments: z.optional(z.array(Attachment).check(z.maxLength(10))),
});
export type CreateClaimRequest = z.infer<typeof CreateClaimRequest>;

export const ClaimDecisionRequest = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  reason: Text(500),
  amount: z.optional(
    describe(
      PositiveMoney,
      'Approve: what is paid (default the sum insured; credit life: the loan payoff on the day of payment).',
    ),
  ),
});
export type ClaimDecisionRequest = z.infer<typeof ClaimDecisionRequest>;

export const ClaimReviewRequest = z.optional(z.strictObject({ note: z.optional(Text(500)) }));

export const ClaimPayout = z.object({
  to: z.enum(['wallet', 'loan', 'mpesa']),
  name: z.optional(z.string()),
  account_id: z.optional(z.string()),
  loan_id: z.optional(z.string()),
  phone: z.optional(z.string()),
  amount: Money,
  journal_entry_id: z.optional(z.string()),
  withdrawal_id: z.optional(z.string()),
});

export const Claim = z.object({
  id: idOf('clm'),
  policy_id: z.string(),
  customer_id: z.string(),
  status: ClaimStatus,
  description: z.string(),
  attachments: z.array(
    z.object({
      file_name: z.string(),
      content_type: z.string(),
      size_bytes: z.number(),
      sha256: z.optional(z.string()),
    }),
  ),
  amount: z.nullable(Money),
  reason: z.nullable(z.string()),
  payouts: z.array(ClaimPayout),
  paid_on: z.nullable(CalendarDate),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type Claim = z.infer<typeof Claim>;
export const ClaimList = page(Claim);

export const Remittance = z.object({
  id: idOf('rem'),
  underwriter: z.string(),
  currency: z.string(),
  period: describe(z.string(), 'The month remitted, YYYY-MM.'),
  premiums: describe(Money, 'Premiums collected less refunds.'),
  commission: describe(Money, "The bank's commission, kept."),
  claims_offset: describe(Money, 'Claims the bank paid on the underwriter’s behalf, set off.'),
  net: describe(Money, 'Paid to the underwriter (negative: the underwriter owes the bank).'),
  journal_entry_id: z.nullable(z.string()),
  bordereau_csv: describe(z.string(), 'The bordereau: one CSV row per premium, refund and claim.'),
  created_at: Timestamp,
});
export type Remittance = z.infer<typeof Remittance>;
export const RemittanceList = page(Remittance);

/** `POST /v1/loan-applications/{id}/accept`: optionally with credit-life cover. */
export const AcceptLoanApplicationRequest = z.optional(
  z.strictObject({
    credit_life: z.optional(
      describe(
        z.boolean(),
        "Attach the loan product's credit-life cover (required when the product makes it mandatory).",
      ),
    ),
  }),
);
export type AcceptLoanApplicationRequest = z.infer<typeof AcceptLoanApplicationRequest>;

/** On a loan quote: the credit-life cover the loan product offers, and its premium. */
export const CreditLifeQuote = z.object({
  product_id: z.string(),
  name: z.string(),
  underwriter: z.string(),
  mandatory: describe(z.boolean(), 'Whether every loan of this product carries it.'),
  premium_rate: z.string(),
  frequency: PremiumFrequency,
  premium: describe(
    Money,
    'Single: the whole premium, taken from the wallet at disbursement (a fee, beside the processing fee). Monthly: the first month’s; later months are on the principal then outstanding.',
  ),
  collected: z.enum(['at_disbursement', 'monthly']),
});
export type CreditLifeQuote = z.infer<typeof CreditLifeQuote>;
