import {
  Customer,
  Jwks,
  LogoutRequest,
  LogoutResponse,
  Me,
  SignupRequest,
  TokenRequest,
  TokenResponse,
} from '@wekeza/sdk/contract';
import type { Api } from '../../http/api.ts';
import { timestamp } from '../../http/render.ts';
import type { AccountsService } from '../accounts/service.ts';
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
    created_at: timestamp(user.createdAt),
  };
}

const renderGrant = (grant: Grant) => ({
  access_token: grant.accessToken,
  token_type: 'Bearer',
  expires_in: grant.expiresIn,
  ...(grant.refreshToken ? { refresh_token: grant.refreshToken } : {}),
});

export function identityRoutes(
  api: Api,
  identity: IdentityService,
  accounts: AccountsService,
  tokens: TokenService,
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
      summary: 'Sign in (password, refresh token or client credentials) and get an access token',
      tag: 'Identity',
      auth: 'public',
      scopes: [],
      rateLimit: 'signin',
      body: TokenRequest,
      responses: {
        200: {
          description: 'A short-lived access token (and, for people, a rotating refresh token).',
          schema: TokenResponse,
        },
        401: {
          description: '`unauthenticated`, or `mfa_required` when TOTP is on and `otp` is missing or wrong.',
        },
        429: { description: '`rate_limited`: too many attempts (see Retry-After).' },
      },
    },
    async ({ body }) => {
      const grant =
        body.grant_type === 'password'
          ? await identity.passwordGrant(body.username, body.password, body.otp)
          : body.grant_type === 'refresh_token'
            ? await identity.refreshGrant(body.refresh_token)
            : await identity.clientCredentialsGrant(body.client_id, body.client_secret);
      return { status: 200, body: renderGrant(grant) };
    },
  );

  api.route(
    {
      method: 'post',
      path: '/v1/auth/logout',
      operationId: 'logout',
      summary: "Sign out: revoke the refresh token's whole family",
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
