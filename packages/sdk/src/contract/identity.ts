import * as z from 'zod/mini';
import { CalendarDate, describe, idOf, Timestamp } from './common.ts';

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
  date_of_birth: z.optional(
    describe(
      CalendarDate.check(
        z.refine(
          (d) => d >= '1900-01-01' && d <= new Date().toISOString().slice(0, 10),
          'must be a past date',
        ),
      ),
      'Optional; age-banded insurance cover needs it.',
      '1990-04-12',
    ),
  ),
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
  date_of_birth: z.optional(CalendarDate),
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

const ClientId = describe(
  z.string().check(z.minLength(1), z.maxLength(64)),
  'The OAuth client: a partner back end, or a public first-party app such as `wekeza-web`.',
);
const ClientSecret = describe(
  z.string().check(z.minLength(1), z.maxLength(200)),
  '`client_secret_post`; or send the client credentials with HTTP Basic (`client_secret_basic`).',
);
/** RFC 6749 client authentication in the body, and a `scope` the bank does not narrow by. */
const ClientFields = {
  client_id: z.optional(ClientId),
  client_secret: z.optional(ClientSecret),
  scope: z.optional(
    describe(z.string().check(z.maxLength(500)), 'Accepted and ignored: a token carries its role.'),
  ),
};

export const PasswordGrant = z.strictObject({
  grant_type: z.literal('password'),
  username: describe(z.string().check(z.minLength(1), z.maxLength(254)), 'Phone (E.164) or e-mail.'),
  password: z.string().check(z.minLength(1), z.maxLength(200)),
  otp: z.optional(SignInOtp),
  ...ClientFields,
});
export const RefreshTokenGrant = z.strictObject({
  grant_type: z.literal('refresh_token'),
  refresh_token: RefreshTokenValue,
  ...ClientFields,
});
export const ClientCredentialsGrant = z.strictObject({
  grant_type: z.literal('client_credentials'),
  ...ClientFields,
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
  scope: z.optional(
    describe(
      z.string(),
      'Present when the token is narrower than the role: `mfa me:read` for staff who must enrol a second factor.',
    ),
  ),
});
export type TokenResponse = z.infer<typeof TokenResponse>;

/** RFC 6749 §5.2 error body of the token and revocation endpoints, with our problem fields beside it. */
export const OAuthErrorResponse = z.object({
  error: z.string(),
  error_description: z.optional(z.string()),
  type: z.string(),
  title: z.string(),
  status: z.number(),
  code: z.string(),
  detail: z.optional(z.string()),
  request_id: z.optional(z.string()),
});

/** `POST /v1/auth/revoke` (RFC 7009): a refresh token (and its family) or an access token. */
export const RevokeRequest = z.strictObject({
  token: z.string().check(z.minLength(1), z.maxLength(4096)),
  token_type_hint: z.optional(z.enum(['access_token', 'refresh_token'])),
  client_id: z.optional(ClientId),
  client_secret: z.optional(ClientSecret),
});
export type RevokeRequest = z.infer<typeof RevokeRequest>;
export const RevokeResponse = z.object({});

/** `GET /.well-known/oauth-authorization-server` (RFC 8414). */
export const AuthorizationServerMetadata = z.object({
  issuer: z.string(),
  token_endpoint: z.string(),
  revocation_endpoint: z.string(),
  jwks_uri: z.string(),
  grant_types_supported: z.array(z.string()),
  response_types_supported: z.array(z.string()),
  token_endpoint_auth_methods_supported: z.array(z.string()),
  revocation_endpoint_auth_methods_supported: z.array(z.string()),
  service_documentation: z.optional(z.string()),
});

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

const TotpCode = describe(
  z.string().check(z.regex(/^[0-9]{6}$/, 'must be 6 digits')),
  'The current TOTP code.',
);
const CurrentPassword = describe(
  z.string().check(z.minLength(1), z.maxLength(200)),
  "The caller's password: changing a second factor needs it, so a stolen access token cannot.",
);

/** `POST /v1/mfa/totp`: starting enrolment needs the password. */
export const TotpEnrolRequest = z.strictObject({ password: CurrentPassword });
export type TotpEnrolRequest = z.infer<typeof TotpEnrolRequest>;

export const TotpVerifyRequest = z.strictObject({ code: TotpCode });
export type TotpVerifyRequest = z.infer<typeof TotpVerifyRequest>;

/** `POST /v1/mfa/totp/disable` and `POST /v1/mfa/recovery-codes`: the password and a current code. */
export const TotpChangeRequest = z.strictObject({ password: CurrentPassword, code: TotpCode });
export type TotpChangeRequest = z.infer<typeof TotpChangeRequest>;

export const TotpDisabled = z.object({ enabled: z.literal(false) });
export const RecoveryCodes = z.object({
  recovery_codes: describe(z.array(z.string()), 'New one-time recovery codes (the old ones no longer work).'),
});
export type RecoveryCodes = z.infer<typeof RecoveryCodes>;

export const TotpVerification = z.object({
  enabled: z.literal(true),
  recovery_codes: describe(z.array(z.string()), 'One-time recovery codes, shown only this once.'),
});
export type TotpVerification = z.infer<typeof TotpVerification>;

/** `POST /v1/customers` (partner credentials): onboard a customer linked to the partner. */
export const OnboardCustomerRequest = SignupRequest;
export type OnboardCustomerRequest = z.infer<typeof OnboardCustomerRequest>;

/** A partner the customer lets act for them (`POST /v1/me/partner-consents`). */
export const PartnerConsentRequest = z.strictObject({ client_id: ClientId });
export type PartnerConsentRequest = z.infer<typeof PartnerConsentRequest>;

export const PartnerConsent = z.object({
  client_id: z.string(),
  name: z.string(),
  source: describe(
    z.enum(['onboarded', 'consent']),
    'Onboarded by the partner, or a consent the customer gave.',
  ),
  created_at: Timestamp,
});
export type PartnerConsent = z.infer<typeof PartnerConsent>;
export const PartnerConsentList = z.object({ data: z.array(PartnerConsent) });
export const PartnerConsentRevoked = z.object({ revoked: z.boolean() });

/** What a partner may let a browser widget do. */
export const WIDGET_SCOPES = [
  'me:read',
  'accounts:read',
  'accounts:write',
  'transactions:read',
  'transfers:read',
  'transfers:write',
  'events:read',
  'deposits:read',
  'deposits:write',
  'withdrawals:read',
  'withdrawals:write',
  'payees:resolve',
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
