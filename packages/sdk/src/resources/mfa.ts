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

/** `/v1/mfa/totp`. */
export class Totp {
  constructor(private readonly client: Wekeza) {}

  /** Starts enrolment: a new secret (and otpauth:// URI for a QR code). */
  enrol(options?: RequestOptions): Promise<TotpEnrolment> {
    return this.client._request({ method: 'POST', path: '/v1/mfa/totp' }, (c) => c.TotpEnrolment, options);
  }

  /** Confirms enrolment with a first code; answers the one-time recovery codes. */
  verify(code: string, options?: RequestOptions): Promise<TotpVerification> {
    return this.client._request(
      { method: 'POST', path: '/v1/mfa/totp/verify', body: { code } },
      (c) => c.TotpVerification,
      options,
    );
  }
}

/** Second factors (`/v1/mfa/*`). */
export class Mfa {
  /** TOTP (RFC 6238). */
  readonly totp: Totp;

  constructor(client: Wekeza) {
    this.totp = new Totp(client);
  }
}
