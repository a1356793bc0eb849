import { TotpEnrolment, TotpVerification, TotpVerifyRequest } from '@wekeza/sdk/contract';
import type { Api } from '../../http/api.ts';
import type { MfaService } from './service.ts';

export function mfaRoutes(api: Api, mfa: MfaService): void {
  api.route(
    {
      method: 'post',
      path: '/v1/mfa/totp',
      operationId: 'enrolTotp',
      summary: 'Start TOTP enrolment: a new secret for an authenticator app',
      tag: 'Identity',
      auth: ['customer', 'banker', 'admin'],
      scopes: ['mfa'],
      rateLimit: 'otp',
      responses: {
        200: { description: 'The pending secret and its otpauth:// URI.', schema: TotpEnrolment },
      },
    },
    async ({ principal }) => {
      const { secret, otpauthUrl } = await mfa.enrol(principal);
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
      auth: ['customer', 'banker', 'admin'],
      scopes: ['mfa'],
      rateLimit: 'otp',
      body: TotpVerifyRequest,
      responses: {
        200: { description: 'TOTP is on; keep the recovery codes safe.', schema: TotpVerification },
        401: { description: '`mfa_required`: the code is wrong, expired or used.' },
      },
    },
    async ({ principal, body, idempotent }) =>
      idempotent(async (tx) => {
        const { recoveryCodes } = await mfa.confirm(tx, principal, body.code);
        return { status: 200, body: { enabled: true, recovery_codes: recoveryCodes } };
      }),
  );
}
