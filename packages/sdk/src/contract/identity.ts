import * as z from 'zod/mini';
import { describe, idOf, Timestamp } from './common.ts';

export const Role = z.enum(['customer', 'banker', 'admin', 'partner']);
export type Role = z.infer<typeof Role>;

const Email = describe(z.string().check(z.maxLength(254), z.email()), 'E-mail address.', 'amina@example.com');
const Phone = describe(
  z.string().check(z.regex(/^\+[1-9][0-9]{7,14}$/, 'must be an E.164 phone number such as +254712345678')),
  'Phone number in E.164 form.',
  '+254712345678',
);
const Password = describe(
  z.string().check(z.minLength(10, 'must be at least 10 characters'), z.maxLength(200)),
  'At least 10 characters.',
);
const NationalId = describe(
  z.string().check(z.regex(/^[A-Za-z0-9-]{4,32}$/, 'must be 4 to 32 letters, digits or dashes')),
  'National ID number; giving one opens KYC tier 1.',
);

export const SignupRequest = z.strictObject({
  phone: Phone,
  email: Email,
  password: Password,
  full_name: describe(
    z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
    'Full legal name.',
    'Amina Odhiambo',
  ),
  national_id: z.optional(NationalId),
});
export type SignupRequest = z.infer<typeof SignupRequest>;

export const Customer = z.object({
  id: idOf('cus'),
  email: z.string(),
  phone: z.nullable(z.string()),
  full_name: z.string(),
  kyc_tier: z.number().check(z.int(), z.gte(0), z.lte(2)),
  roles: z.array(Role),
  wallet_account_id: z.optional(z.nullable(z.string())),
  created_at: Timestamp,
});
export type Customer = z.infer<typeof Customer>;

/** `GET /v1/me`: the caller. Staff and partner principals carry no customer profile fields. */
export const Me = z.object({
  id: z.string(),
  roles: z.array(Role),
  email: z.optional(z.string()),
  phone: z.optional(z.nullable(z.string())),
  full_name: z.optional(z.string()),
  kyc_tier: z.optional(z.number().check(z.int())),
  wallet_account_id: z.optional(z.nullable(z.string())),
  created_at: z.optional(Timestamp),
});
export type Me = z.infer<typeof Me>;

/** A TOTP code (6 digits) or, at sign-in, one of the one-time recovery codes (`xxxxx-xxxxx`). */
const SignInOtp = describe(
  z.string().check(z.regex(/^([0-9]{6}|[a-z0-9]{5}-[a-z0-9]{5})$/, 'must be 6 digits or a recovery code')),
  'TOTP code, or a one-time recovery code, when the user has enabled TOTP.',
);
const RefreshTokenValue = describe(
  z.string().check(z.minLength(20), z.maxLength(200)),
  'Opaque refresh token; each use returns a new one.',
);

export const PasswordGrant = z.strictObject({
  grant_type: z.literal('password'),
  username: describe(z.string().check(z.minLength(1), z.maxLength(254)), 'Phone (E.164) or e-mail.'),
  password: z.string().check(z.minLength(1), z.maxLength(200)),
  otp: z.optional(SignInOtp),
});
export const RefreshTokenGrant = z.strictObject({
  grant_type: z.literal('refresh_token'),
  refresh_token: RefreshTokenValue,
});
export const ClientCredentialsGrant = z.strictObject({
  grant_type: z.literal('client_credentials'),
  client_id: z.string().check(z.minLength(1), z.maxLength(64)),
  client_secret: z.string().check(z.minLength(1), z.maxLength(200)),
});
export const TokenRequest = z.discriminatedUnion('grant_type', [
  PasswordGrant,
  RefreshTokenGrant,
  ClientCredentialsGrant,
]);
export type TokenRequest = z.infer<typeof TokenRequest>;

export const TokenResponse = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().check(z.int()),
  refresh_token: z.optional(z.string()),
});
export type TokenResponse = z.infer<typeof TokenResponse>;

export const Jwks = z.object({ keys: z.array(z.record(z.string(), z.unknown())) });

/** `POST /v1/auth/logout`: revokes the refresh token's whole family. */
export const LogoutRequest = z.strictObject({ refresh_token: RefreshTokenValue });
export type LogoutRequest = z.infer<typeof LogoutRequest>;
export const LogoutResponse = z.object({ revoked: z.boolean() });

/** `POST /v1/mfa/totp`: a new (pending) TOTP secret to put into an authenticator app. */
export const TotpEnrolment = z.object({
  secret: describe(z.string(), 'Base32 secret (RFC 6238, SHA-1, 6 digits, 30 s).'),
  otpauth_url: describe(z.string(), 'otpauth:// URI for a QR code.'),
});
export type TotpEnrolment = z.infer<typeof TotpEnrolment>;

export const TotpVerifyRequest = z.strictObject({
  code: describe(z.string().check(z.regex(/^[0-9]{6}$/, 'must be 6 digits')), 'The current TOTP code.'),
});
export type TotpVerifyRequest = z.infer<typeof TotpVerifyRequest>;

export const TotpVerification = z.object({
  enabled: z.literal(true),
  recovery_codes: describe(z.array(z.string()), 'One-time recovery codes, shown only this once.'),
});
export type TotpVerification = z.infer<typeof TotpVerification>;

/** What a partner may let a browser widget do. */
export const WIDGET_SCOPES = [
  'me:read',
  'accounts:read',
  'accounts:write',
  'transactions:read',
  'transfers:read',
  'transfers:write',
] as const;
export const WidgetScope = z.enum(WIDGET_SCOPES);
export type WidgetScope = z.infer<typeof WidgetScope>;

export const Origin = describe(
  z
    .string()
    .check(
      z.maxLength(255),
      z.regex(
        /^https?:\/\/[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$/,
        'must be a web origin such as https://shop.example',
      ),
    ),
  'The one web origin (scheme://host[:port]) the widget runs on.',
  'https://shop.example',
);

/** `POST /v1/widget-sessions` (partner credentials only). */
export const CreateWidgetSessionRequest = z.strictObject({
  customer_id: idOf('cus'),
  scopes: z.array(WidgetScope).check(z.minLength(1), z.maxLength(WIDGET_SCOPES.length)),
  origin: Origin,
});
export type CreateWidgetSessionRequest = z.infer<typeof CreateWidgetSessionRequest>;

export const WidgetSession = z.object({
  token: describe(z.string(), 'Bearer token for the widget; valid only from `origin`.'),
  expires_at: Timestamp,
  customer_id: z.string(),
  scopes: z.array(WidgetScope),
  origin: z.string(),
});
export type WidgetSession = z.infer<typeof WidgetSession>;

/** `POST /v1/customers/{id}/kyc` (bankers): raise a customer's KYC tier on evidence. */
export const KycUpdateRequest = z.strictObject({
  tier: describe(
    z.number().check(z.int(), z.gte(0), z.lte(2)),
    'The new tier (higher than the current one).',
  ),
  evidence: describe(
    z.string().check(z.trim(), z.minLength(3), z.maxLength(500)),
    'What was checked (document type and reference); kept in the audit log.',
  ),
});
export type KycUpdateRequest = z.infer<typeof KycUpdateRequest>;
