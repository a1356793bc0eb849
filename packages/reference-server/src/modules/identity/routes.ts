import {
  AuthorizationServerMetadata,
  Customer,
  Jwks,
  LogoutRequest,
  LogoutResponse,
  Me,
  OAuthErrorResponse,
  RevokeRequest,
  RevokeResponse,
  SignupRequest,
  TokenRequest,
  TokenResponse,
} from '@wekeza/sdk/contract';
import type { Config } from '../../config.ts';
import type { Api } from '../../http/api.ts';
import { timestamp } from '../../http/render.ts';
import type { AccountsService } from '../accounts/service.ts';
import { clientAuthenticationOf, KNOWN_GRANTS } from './oauth.ts';
import type { Grant, IdentityService, User } from './service.ts';
import type { TokenService } from './tokens.ts';

export function renderCustomer(user: User, walletId?: string | null) {
  return {
    id: user.id,
    email: user.email,
    phone: user.phone,
    full_name: user.fullName,
    kyc_tier: user.kycTier,
    roles: [user.role],
    ...(walletId !== undefined ? { wallet_account_id: walletId } : {}),
    ...(user.dateOfBirth ? { date_of_birth: user.dateOfBirth } : {}),
    created_at: timestamp(user.createdAt),
  };
}

const renderGrant = (grant: Grant) => ({
  access_token: grant.accessToken,
  token_type: 'Bearer',
  expires_in: grant.expiresIn,
  ...(grant.refreshToken ? { refresh_token: grant.refreshToken } : {}),
  ...(grant.scope ? { scope: grant.scope } : {}),
});

/** The paths of the OAuth endpoints, which take form-encoded bodies and answer OAuth errors. */
export const OAUTH_PATHS: ReadonlySet<string> = new Set(['/v1/auth/token', '/v1/auth/revoke']);

export function identityRoutes(
  api: Api,
  identity: IdentityService,
  accounts: AccountsService,
  tokens: TokenService,
  config: Pick<Config, 'issuer' | 'publicUrl'>,
): void {
  api.route(
    {
      method: 'post',
      path: '/v1/signup',
      operationId: 'signup',
      summary: 'Open a customer and their wallet',
      tag: 'Identity',
      auth: 'public',
      scopes: [],
      rateLimit: 'signup',
      body: SignupRequest,
      responses: {
        201: { description: 'The new customer (KYC tier 1 with a national ID, else 0).', schema: Customer },
      },
    },
    async ({ body, idempotent }) => {
      const passwordHash = await identity.hashPassword(body.password);
      return idempotent(async (tx) => {
        const { user, walletId } = await identity.signup(
          tx,
          {
            phone: body.phone,
            email: body.email,
            password: body.password,
            fullName: body.full_name,
            nationalId: body.national_id,
            dateOfBirth: body.date_of_birth,
          },
          passwordHash,
        );
        return { status: 201, body: renderCustomer(user, walletId) };
      });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/v1/auth/token',
      operationId: 'createToken',
      summary:
        'OAuth 2.0 token endpoint (RFC 6749): password, refresh_token or client_credentials; form-encoded or JSON',
      tag: 'Identity',
      auth: 'public',
      scopes: [],
      rateLimit: 'signin',
      body: TokenRequest,
      oauth: { lockout: 'invalid_grant' },
      responses: {
        200: {
          description: 'A short-lived access token (and, for people, a rotating refresh token).',
          schema: TokenResponse,
        },
        400: {
          description:
            'RFC 6749 §5.2: `invalid_request`, `invalid_grant` (wrong password, spent refresh token; `code` `mfa_required` when a one-time code is needed), `unauthorized_client`, `unsupported_grant_type`.',
          schema: OAuthErrorResponse,
        },
        401: { description: '`invalid_client`: client authentication failed.', schema: OAuthErrorResponse },
        429: { description: 'Too many attempts (see Retry-After).', schema: OAuthErrorResponse },
      },
    },
    async ({ req, body }) => {
      const client = clientAuthenticationOf(req, body);
      const grant =
        body.grant_type === 'password'
          ? await identity.passwordGrant(body.username, body.password, body.otp, client)
          : body.grant_type === 'refresh_token'
            ? await identity.refreshGrant(body.refresh_token, client)
            : await identity.clientCredentialsGrant(client);
      return { status: 200, body: renderGrant(grant) };
    },
  );

  api.route(
    {
      method: 'post',
      path: '/v1/auth/revoke',
      operationId: 'revokeToken',
      summary: 'OAuth 2.0 token revocation (RFC 7009): a refresh token (and its family) or an access token',
      tag: 'Identity',
      auth: 'public',
      scopes: [],
      rateLimit: 'signin',
      body: RevokeRequest,
      oauth: { lockout: 'invalid_client' },
      responses: {
        200: { description: 'Revoked, or the token was not valid (RFC 7009 §2.2).', schema: RevokeResponse },
        401: { description: '`invalid_client`.', schema: OAuthErrorResponse },
      },
    },
    async ({ req, body }) => {
      await identity.revoke(body.token, clientAuthenticationOf(req, body));
      return { status: 200, body: {} };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/.well-known/oauth-authorization-server',
      operationId: 'authorizationServerMetadata',
      summary: 'OAuth 2.0 authorization server metadata (RFC 8414)',
      tag: 'Identity',
      auth: 'public',
      scopes: [],
      responses: { 200: { description: 'The metadata.', schema: AuthorizationServerMetadata } },
    },
    async () => ({
      status: 200,
      body: {
        issuer: config.issuer,
        token_endpoint: `${config.publicUrl}/v1/auth/token`,
        revocation_endpoint: `${config.publicUrl}/v1/auth/revoke`,
        jwks_uri: `${config.publicUrl}/.well-known/jwks.json`,
        grant_types_supported: [...KNOWN_GRANTS],
        // No authorization endpoint: there are no response types to offer.
        response_types_supported: [],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
        revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
        service_documentation: `${config.publicUrl}/docs`,
      },
    }),
  );

  api.route(
    {
      method: 'post',
      path: '/v1/auth/logout',
      operationId: 'logout',
      summary: "Sign out: revoke the refresh token's whole family and the access token in use",
      tag: 'Identity',
      auth: ['customer', 'banker', 'admin'],
      scopes: ['auth'],
      body: LogoutRequest,
      responses: { 200: { description: 'Whether a family of yours was revoked.', schema: LogoutResponse } },
    },
    async ({ principal, body }) => ({
      status: 200,
      body: { revoked: await identity.logout(principal, body.refresh_token) },
    }),
  );

  api.route(
    {
      method: 'get',
      path: '/.well-known/jwks.json',
      operationId: 'jwks',
      summary: 'Public keys that verify access tokens (current and, after a rotation, previous)',
      tag: 'Identity',
      auth: 'public',
      scopes: [],
      responses: { 200: { description: 'JSON Web Key Set.', schema: Jwks } },
    },
    async () => ({ status: 200, body: tokens.publicJwks() }),
  );

  api.route(
    {
      method: 'get',
      path: '/v1/me',
      operationId: 'me',
      summary: 'The caller: profile, KYC tier and roles',
      tag: 'Identity',
      auth: 'any',
      scopes: ['me:read'],
      responses: { 200: { description: 'The caller.', schema: Me } },
    },
    async ({ principal }) => {
      if (principal.role === 'partner')
        return { status: 200, body: { id: principal.id, roles: ['partner'] } };
      const user = await identity.user(principal.id);
      const wallet = user.role === 'customer' ? await accounts.walletOf(user.id) : undefined;
      return { status: 200, body: renderCustomer(user, wallet === undefined ? undefined : wallet) };
    },
  );
}
