import type { Wekeza } from '../client.ts';
import type { RequestOptions } from '../core/request-options.ts';

/** A pending TOTP secret for an authenticator app. */
export interface TotpEnrolment {
  secret: string;
  otpauthUrl: string;
}

/** TOTP is on; the recovery codes are shown only this once. */
export interface TotpVerification {
  enabled: true;
  recoveryCodes: string[];
}

/** Changing a second factor needs the password and a current code. */
export interface TotpChangeParams {
  password: string;
  code: string;
}

/** `/v1/mfa/totp`. */
export class Totp {
  constructor(private readonly client: Wekeza) {}

  /** Starts enrolment (needs the password): a new secret and an otpauth:// URI for a QR code. */
  enrol(params: { password: string }, options?: RequestOptions): Promise<TotpEnrolment> {
    return this.client._request(
      { method: 'POST', path: '/v1/mfa/totp', body: params },
      (c) => c.TotpEnrolment,
      options,
    );
  }

  /** Confirms enrolment with a first code; answers the one-time recovery codes. */
  verify(code: string, options?: RequestOptions): Promise<TotpVerification> {
    return this.client._request(
      { method: 'POST', path: '/v1/mfa/totp/verify', body: { code } },
      (c) => c.TotpVerification,
      options,
    );
  }

  /** Turns TOTP off (password and a current code; staff keep theirs in production). */
  disable(params: TotpChangeParams, options?: RequestOptions): Promise<{ enabled: false }> {
    return this.client._request(
      { method: 'POST', path: '/v1/mfa/totp/disable', body: params },
      (c) => c.TotpDisabled,
      options,
    );
  }
}

/** Second factors (`/v1/mfa/*`). */
export class Mfa {
  /** TOTP (RFC 6238). */
  readonly totp: Totp;

  constructor(private readonly client: Wekeza) {
    this.totp = new Totp(client);
  }

  /** Replaces the recovery codes (password and a current code); the new ones are answered once. */
  regenerateRecoveryCodes(
    params: TotpChangeParams,
    options?: RequestOptions,
  ): Promise<{ recoveryCodes: string[] }> {
    return this.client._request(
      { method: 'POST', path: '/v1/mfa/recovery-codes', body: params },
      (c) => c.RecoveryCodes,
      options,
    );
  }
}
