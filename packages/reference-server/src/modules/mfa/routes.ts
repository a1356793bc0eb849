import {
  RecoveryCodes,
  TotpChangeRequest,
  TotpDisabled,
  TotpEnrolment,
  TotpEnrolRequest,
  TotpVerification,
  TotpVerifyRequest,
} from '@wekeza/sdk/contract';
import type { Database } from '../../db/database.ts';
import { transaction } from '../../db/transaction.ts';
import type { Api } from '../../http/api.ts';
import type { IdentityService } from '../identity/service.ts';
import type { MfaService } from './service.ts';

const PEOPLE = ['customer', 'banker', 'admin'] as ('customer' | 'banker' | 'admin')[];
const wrongCode = { description: '`mfa_required`: the code is wrong, expired or used.' };
const wrongPassword = {
  description: '`forbidden`: the password is wrong (counts towards the sign-in lockout).',
};

export function mfaRoutes(api: Api, mfa: MfaService, identity: IdentityService, database: Database): void {
  api.route(
    {
      method: 'post',
      path: '/v1/mfa/totp',
      operationId: 'enrolTotp',
      summary: 'Start TOTP enrolment (needs the password): a new secret for an authenticator app',
      tag: 'Identity',
      auth: PEOPLE,
      scopes: ['mfa'],
      rateLimit: 'otp',
      body: TotpEnrolRequest,
      responses: {
        200: { description: 'The pending secret and its otpauth:// URI.', schema: TotpEnrolment },
        403: wrongPassword,
      },
    },
    async ({ principal, body }) => {
      await identity.confirmPassword(principal.id, body.password);
      const { secret, otpauthUrl } = await transaction(database, (tx) => mfa.enrol(tx, principal));
      return { status: 200, body: { secret, otpauth_url: otpauthUrl } };
    },
  );

  api.route(
    {
      method: 'post',
      path: '/v1/mfa/totp/verify',
      operationId: 'verifyTotp',
      summary: 'Confirm TOTP enrolment with a first code; answers one-time recovery codes once',
      tag: 'Identity',
      auth: PEOPLE,
      scopes: ['mfa'],
      rateLimit: 'otp',
      body: TotpVerifyRequest,
      idempotency: 'optional',
      responses: {
        200: { description: 'TOTP is on; keep the recovery codes safe.', schema: TotpVerification },
        401: wrongCode,
      },
    },
    async ({ principal, body, idempotent }) =>
      mfa.guard(principal.id, () =>
        idempotent(async (tx) => {
          const { recoveryCodes } = await mfa.confirm(tx, principal, body.code);
          return { status: 200, body: { enabled: true, recovery_codes: recoveryCodes }, secret: true };
        }),
      ),
  );

  api.route(
    {
      method: 'post',
      path: '/v1/mfa/totp/disable',
      operationId: 'disableTotp',
      summary: 'Turn TOTP off (needs the password and a current code; staff keep theirs in production)',
      tag: 'Identity',
      auth: PEOPLE,
      scopes: ['mfa'],
      rateLimit: 'otp',
      body: TotpChangeRequest,
      idempotency: 'optional',
      responses: {
        200: { description: 'TOTP is off.', schema: TotpDisabled },
        401: wrongCode,
        403: wrongPassword,
      },
    },
    async ({ principal, body, idempotent }) => {
      await identity.confirmPassword(principal.id, body.password);
      return mfa.guard(principal.id, () =>
        idempotent(async (tx) => {
          await mfa.disable(tx, principal, body.code);
          return { status: 200, body: { enabled: false } };
        }),
      );
    },
  );

  api.route(
    {
      method: 'post',
      path: '/v1/mfa/recovery-codes',
      operationId: 'regenerateRecoveryCodes',
      summary: 'Replace the recovery codes (needs the password and a current code); answered once',
      tag: 'Identity',
      auth: PEOPLE,
      scopes: ['mfa'],
      rateLimit: 'otp',
      body: TotpChangeRequest,
      idempotency: 'optional',
      responses: {
        200: { description: 'The new recovery codes.', schema: RecoveryCodes },
        401: wrongCode,
        403: wrongPassword,
      },
    },
    async ({ principal, body, idempotent }) => {
      await identity.confirmPassword(principal.id, body.password);
      return mfa.guard(principal.id, () =>
        idempotent(async (tx) => {
          const { recoveryCodes } = await mfa.regenerateRecoveryCodes(tx, principal, body.code);
          return { status: 200, body: { recovery_codes: recoveryCodes }, secret: true };
        }),
      );
    },
  );
}
