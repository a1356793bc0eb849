import { Customer, Jwks, Me, SignupRequest, TokenRequest, TokenResponse } from '@wekeza/sdk/contract';
import type { Api } from '../../http/api.ts';
import { timestamp } from '../../http/render.ts';
import type { AccountsService } from '../accounts/service.ts';
import type { IdentityService, User } from './service.ts';
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
      summary: 'Sign in (password or client credentials) and get an access token',
      tag: 'Identity',
      auth: 'public',
      body: TokenRequest,
      responses: { 200: { description: 'A short-lived access token.', schema: TokenResponse } },
    },
    async ({ body }) => {
      const grant =
        body.grant_type === 'password'
          ? await identity.passwordGrant(body.username, body.password)
          : await identity.clientCredentialsGrant(body.client_id, body.client_secret);
      return {
        status: 200,
        body: { access_token: grant.accessToken, token_type: 'Bearer', expires_in: grant.expiresIn },
      };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/.well-known/jwks.json',
      operationId: 'jwks',
      summary: 'Public keys that verify access tokens',
      tag: 'Identity',
      auth: 'public',
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
