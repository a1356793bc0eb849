import * as z from 'zod/mini';
import { describe, idOf, Timestamp } from './common.ts';
import { Money, PositiveMoney } from './money.ts';

/** A Kenyan mobile number: `+2547…`, `2547…`, `07…` or `01…`. */
export const Phone = describe(
  z
    .string()
    .check(z.regex(/^(\+?254|0)[17][0-9]{8}$/, 'must be a Kenyan mobile number such as +254712345678')),
  'A Kenyan mobile number (M-Pesa).',
  '+254712345678',
);

export const MovementStatus = describe(
  z.enum(['pending', 'succeeded', 'failed']),
  '`pending` until the rail gives a definite answer; `failed` carries `failure_reason`.',
);

/** `POST /v1/deposits`: an M-Pesa STK push to `phone`, for `amount` into the wallet (whole shillings). */
export const CreateDepositRequest = z.strictObject({
  account_id: idOf('acc'),
  amount: PositiveMoney,
  rail: describe(z.literal('mpesa'), 'The rail that collects: M-Pesa (STK push).'),
  phone: Phone,
});
export type CreateDepositRequest = z.infer<typeof CreateDepositRequest>;

export const PhoneDestination = z.strictObject({ phone: Phone });
export const BankAccountDestination = z.strictObject({
  bank_code: describe(
    z.string().check(z.regex(/^[A-Za-z0-9]{2,11}$/, 'must be a BIC or a clearing member id')),
    "The receiving bank: its BIC, or its member id in the RTGS's clearing system.",
    'KCBLKENX',
  ),
  account_number: z
    .string()
    .check(z.regex(/^[A-Za-z0-9-]{1,34}$/, 'must be 1 to 34 letters, digits or dashes')),
  account_name: z.string().check(z.trim(), z.minLength(1), z.maxLength(140)),
});

/** `POST /v1/withdrawals`: to an M-Pesa phone or (RTGS) a bank account; the money is held at once. */
export const CreateWithdrawalRequest = z.strictObject({
  account_id: idOf('acc'),
  amount: PositiveMoney,
  rail: describe(
    z.enum(['mpesa', 'rtgs']),
    'M-Pesa (B2C) pays a phone; RTGS (ISO 20022 pacs.008) a bank account.',
  ),
  destination: z.union([PhoneDestination, BankAccountDestination]),
  otp: z.optional(
    describe(z.string().check(z.regex(/^[0-9]{6}$/, 'must be 6 digits')), 'TOTP code for step-up.'),
  ),
});
export type CreateWithdrawalRequest = z.infer<typeof CreateWithdrawalRequest>;

const movementFields = {
  status: MovementStatus,
  account_id: z.string(),
  amount: Money,
  rail: z.string(),
  receipt: describe(
    z.nullable(z.string()),
    "The rail's receipt (M-Pesa receipt number, RTGS status id) once it succeeded.",
  ),
  failure_reason: z.nullable(z.string()),
  journal_entry_id: z.nullable(z.string()),
  created_at: Timestamp,
  resolved_at: z.nullable(Timestamp),
};

export const Deposit = z.object({ id: idOf('dep'), ...movementFields, phone: z.string() });
export type Deposit = z.infer<typeof Deposit>;

export const Withdrawal = z.object({
  id: idOf('wdr'),
  ...movementFields,
  destination: z.union([
    z.object({ phone: z.string() }),
    z.object({ bank_code: z.string(), account_number: z.string(), account_name: z.string() }),
  ]),
});
export type Withdrawal = z.infer<typeof Withdrawal>;

const Rate = z.number().check(z.gte(0), z.lte(1));

/** `PUT /v1/sandbox/rails/{rail}`: how harsh the simulated rail is (fields left out keep their value). */
export const SandboxRailKnobsRequest = z.strictObject({
  delay_ms: z.optional(
    describe(z.number().check(z.int(), z.gte(0), z.lte(600_000)), 'Callback delay in ms.'),
  ),
  failure_rate: z.optional(describe(Rate, 'Share of payments that fail (0..1).')),
  duplicate_rate: z.optional(describe(Rate, 'Share of callbacks sent twice (0..1).')),
  out_of_order: z.optional(
    describe(z.boolean(), 'Callbacks overtake each other (random delays up to 2 × delay_ms).'),
  ),
  loss_rate: z.optional(
    describe(Rate, 'Share of callbacks never sent (the rail still answers status queries truthfully).'),
  ),
});
export type SandboxRailKnobsRequest = z.infer<typeof SandboxRailKnobsRequest>;

export const SandboxRail = z.object({
  rail: z.string(),
  delay_ms: z.number(),
  failure_rate: z.number(),
  duplicate_rate: z.number(),
  out_of_order: z.boolean(),
  loss_rate: z.number(),
});
export type SandboxRail = z.infer<typeof SandboxRail>;
