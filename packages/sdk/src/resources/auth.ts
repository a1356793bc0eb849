import type { Wekeza } from '../client.ts';
import type { RequestOptions } from '../core/request-options.ts';

/** Sign in with a password (customers and staff; `otp` when TOTP is on). `username` is a phone (E.164) or an e-mail. */
export interface PasswordGrantParams {
  grantType: 'password';
  username: string;
  password: string;
  otp?: string;
}

/** Partner back ends: OAuth 2 client credentials. */
export interface ClientCredentialsGrantParams {
  grantType: 'client_credentials';
  clientId: string;
  clientSecret: string;
}

/** Exchange a refresh token for a new access token and a new refresh token (the old one is spent). */
export interface RefreshTokenGrantParams {
  grantType: 'refresh_token';
  refreshToken: string;
}

export type TokenParams = PasswordGrantParams | RefreshTokenGrantParams | ClientCredentialsGrantParams;

/** A short-lived bearer token (`expiresIn` seconds, at most 15 minutes). */
export interface AccessToken {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken?: string | undefined;
  /** Present when the token is narrower than the role (`mfa me:read`: staff who must enrol a second factor). */
  scope?: string | undefined;
}

/** `POST /v1/auth/token`. */
export class Auth {
  constructor(private readonly client: Wekeza) {}

  /** Exchanges credentials for an access token (public; does not change the client's own credentials). */
  token(params: TokenParams, options?: RequestOptions): Promise<AccessToken> {
    return this.client._request(
      { method: 'POST', path: '/v1/auth/token', body: params, auth: false },
      (c) => c.TokenResponse,
      options,
    );
  }

  /** Spends a refresh token for a new pair; reusing a spent one revokes its whole family. */
  refresh(refreshToken: string, options?: RequestOptions): Promise<AccessToken> {
    return this.token({ grantType: 'refresh_token', refreshToken }, options);
  }

  /** RFC 7009: revokes a refresh token (and its family) or an access token; unknown tokens are not an error. */
  async revoke(token: string, options?: RequestOptions): Promise<void> {
    await this.client._request(
      { method: 'POST', path: '/v1/auth/revoke', body: { token }, auth: false },
      (c) => c.RevokeResponse,
      options,
    );
  }

  /** Signs out: revokes the refresh token's family (`revoked` is false if it was not yours). */
  logout(refreshToken: string, options?: RequestOptions): Promise<{ revoked: boolean }> {
    return this.client._request(
      { method: 'POST', path: '/v1/auth/logout', body: { refreshToken } },
      (c) => c.LogoutResponse,
      options,
    );
  }
}
