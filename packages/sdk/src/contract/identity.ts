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

export const PasswordGrant = z.strictObject({
  grant_type: z.literal('password'),
  username: describe(z.string().check(z.minLength(1), z.maxLength(254)), 'Phone (E.164) or e-mail.'),
  password: z.string().check(z.minLength(1), z.maxLength(200)),
  otp: z.optional(z.string().check(z.regex(/^[0-9]{6}$/, 'must be 6 digits'))),
});
export const ClientCredentialsGrant = z.strictObject({
  grant_type: z.literal('client_credentials'),
  client_id: z.string().check(z.minLength(1), z.maxLength(64)),
  client_secret: z.string().check(z.minLength(1), z.maxLength(200)),
});
export const TokenRequest = z.discriminatedUnion('grant_type', [PasswordGrant, ClientCredentialsGrant]);
export type TokenRequest = z.infer<typeof TokenRequest>;

export const TokenResponse = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().check(z.int()),
  refresh_token: z.optional(z.string()),
});
export type TokenResponse = z.infer<typeof TokenResponse>;

export const Jwks = z.object({ keys: z.array(z.record(z.string(), z.unknown())) });
