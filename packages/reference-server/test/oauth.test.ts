/**
 * The token endpoint as OAuth libraries use it (RFC 6749, RFC 8414 discovery, RFC 7009 revocation),
 * driven by openid-client (built on oauth4webapi): an implementation we did not write.
 */
import * as oauth from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_PASSWORD, startTestBank, type TestBank, testDialects } from '../src/testing/index.ts';
import { Http } from './support/http.ts';

const ISSUER = 'https://sandbox.wekeza.local';

describe.each(testDialects())('OAuth 2.0 with a standard client library on %s', (dialect) => {
  let bank: TestBank;
  /** The library talks to the issuer's URL; the bank under test listens on a local port. */
  const toBank: oauth.CustomFetch = (url, options) =>
    fetch(url.replace(ISSUER, bank.url), options as RequestInit);

  beforeAll(async () => {
    bank = await startTestBank(dialect);
  });
  afterAll(async () => {
    await bank?.stop();
  });

  async function configuration(clientId: string, auth: oauth.ClientAuth): Promise<oauth.Configuration> {
    const config = await oauth.discovery(new URL(ISSUER), clientId, undefined, auth, {
      algorithm: 'oauth2', // RFC 8414: /.well-known/oauth-authorization-server
      [oauth.customFetch]: toBank,
    });
    config[oauth.customFetch] = toBank;
    return config;
  }

  const me = (token: string) => new Http(bank.url, token).get<{ id: string; roles: string[] }>('/v1/me');

  it('when the library discovers the server, then the RFC 8414 metadata names the endpoints and methods', async () => {
    const config = await configuration('sandbox_partner', oauth.ClientSecretBasic('sandbox-partner-secret'));
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(ISSUER);
    expect(metadata.token_endpoint).toBe(`${ISSUER}/v1/auth/token`);
    expect(metadata.revocation_endpoint).toBe(`${ISSUER}/v1/auth/revoke`);
    expect(metadata.grant_types_supported).toEqual(['password', 'refresh_token', 'client_credentials']);
    expect(metadata.token_endpoint_auth_methods_supported).toEqual(
      expect.arrayContaining(['client_secret_basic', 'client_secret_post', 'none']),
    );
  });

  it.each([
    ['client_secret_basic', oauth.ClientSecretBasic('sandbox-partner-secret')],
    ['client_secret_post', oauth.ClientSecretPost('sandbox-partner-secret')],
  ])(
    'when a partner uses client credentials with %s, then it gets a partner token',
    async (_method, auth) => {
      const config = await configuration('sandbox_partner', auth);
      const tokens = await oauth.clientCredentialsGrant(config);
      expect(tokens.token_type).toBe('bearer');
      expect(tokens.expires_in).toBeLessThanOrEqual(900);
      expect(tokens.refresh_token).toBeUndefined();
      expect((await me(tokens.access_token)).body.roles).toEqual(['partner']);
    },
  );

  it('when the client secret is wrong, then invalid_client with 401 (and a Basic challenge when Basic was used)', async () => {
    const basic = await configuration('sandbox_partner', oauth.ClientSecretBasic('not the secret'));
    const challenged = (await oauth
      .clientCredentialsGrant(basic)
      .catch((e: unknown) => e)) as oauth.WWWAuthenticateChallengeError;
    expect(challenged).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
    expect(challenged.status).toBe(401);
    expect(challenged.cause[0]?.scheme).toBe('basic');
    expect(await challenged.response.json()).toMatchObject({ error: 'invalid_client' });
    const post = await configuration('sandbox_partner', oauth.ClientSecretPost('not the secret'));
    const error = (await oauth
      .clientCredentialsGrant(post)
      .catch((e: unknown) => e)) as oauth.ResponseBodyError;
    expect(error).toBeInstanceOf(oauth.ResponseBodyError);
    expect(error.error).toBe('invalid_client');
    expect(error.status).toBe(401);
  });

  it('when the public web client signs a user in with the password grant, then refresh rotates and a reused refresh token is refused', async () => {
    const config = await configuration('wekeza-web', oauth.None());
    const first = await oauth.genericGrantRequest(config, 'password', {
      username: 'customer@sandbox.test',
      password: SANDBOX_PASSWORD,
    });
    expect((await me(first.access_token)).body.roles).toEqual(['customer']);
    expect(first.refresh_token).toMatch(/^rt_/);
    const second = await oauth.refreshTokenGrant(config, first.refresh_token as string);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await me(second.access_token)).status).toBe(200);
    // The old refresh token again: refused, and the family (the new one too) is revoked.
    const reused = (await oauth
      .refreshTokenGrant(config, first.refresh_token as string)
      .catch((e: unknown) => e)) as oauth.ResponseBodyError;
    expect(reused).toBeInstanceOf(oauth.ResponseBodyError);
    expect(reused.error).toBe('invalid_grant');
    expect(reused.status).toBe(400);
    const family = (await oauth
      .refreshTokenGrant(config, second.refresh_token as string)
      .catch((e: unknown) => e)) as oauth.ResponseBodyError;
    expect(family.error).toBe('invalid_grant');
  });

  it('when the password is wrong, then invalid_grant; a confidential partner may not use the password grant', async () => {
    const web = await configuration('wekeza-web', oauth.None());
    const wrong = (await oauth
      .genericGrantRequest(web, 'password', { username: 'customer@sandbox.test', password: 'wrong password' })
      .catch((e: unknown) => e)) as oauth.ResponseBodyError;
    expect(wrong.error).toBe('invalid_grant');
    const partner = await configuration('sandbox_partner', oauth.ClientSecretBasic('sandbox-partner-secret'));
    const refused = (await oauth
      .genericGrantRequest(partner, 'password', {
        username: 'customer@sandbox.test',
        password: SANDBOX_PASSWORD,
      })
      .catch((e: unknown) => e)) as oauth.ResponseBodyError;
    expect(refused.error).toBe('unauthorized_client');
    const publicCredentials = (await oauth
      .clientCredentialsGrant(web)
      .catch((e: unknown) => e)) as oauth.ResponseBodyError;
    expect(['unauthorized_client', 'invalid_client']).toContain(publicCredentials.error);
  });

  it('when a token is revoked (RFC 7009), then a refresh token no longer refreshes and an access token no longer works', async () => {
    const config = await configuration('wekeza-web', oauth.None());
    const tokens = await oauth.genericGrantRequest(config, 'password', {
      username: 'customer@sandbox.test',
      password: SANDBOX_PASSWORD,
    });
    await oauth.tokenRevocation(config, tokens.refresh_token as string);
    const refreshed = (await oauth
      .refreshTokenGrant(config, tokens.refresh_token as string)
      .catch((e: unknown) => e)) as oauth.ResponseBodyError;
    expect(refreshed.error).toBe('invalid_grant');
    expect((await me(tokens.access_token)).status).toBe(200);
    await oauth.tokenRevocation(config, tokens.access_token);
    expect((await me(tokens.access_token)).status).toBe(401);
    // An unknown token is not an error (RFC 7009 §2.2).
    await oauth.tokenRevocation(config, 'rt_never-issued-by-this-bank');
  });

  it('when a form-encoded request arrives by hand, then the answer carries Cache-Control: no-store and RFC 6749 errors', async () => {
    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${bank.url}/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body,
      });
    const ok = await post('grant_type=client_credentials', {
      authorization: `Basic ${Buffer.from('sandbox_partner:sandbox-partner-secret').toString('base64')}`,
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    const unsupported = await post('grant_type=implicit');
    expect(unsupported.status).toBe(400);
    expect(await unsupported.json()).toMatchObject({ error: 'unsupported_grant_type' });
    const basicWrong = await post('grant_type=client_credentials', {
      authorization: `Basic ${Buffer.from('sandbox_partner:nope').toString('base64')}`,
    });
    expect(basicWrong.status).toBe(401);
    expect(basicWrong.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(await basicWrong.json()).toMatchObject({
      error: 'invalid_client',
      code: 'unauthenticated',
      status: 401,
    });
    const twoMethods = await post('grant_type=client_credentials&client_id=sandbox_partner&client_secret=x', {
      authorization: `Basic ${Buffer.from('sandbox_partner:sandbox-partner-secret').toString('base64')}`,
    });
    expect(await twoMethods.json()).toMatchObject({ error: 'invalid_request' });
    const repeated = await post('grant_type=password&username=a&username=b&password=x');
    expect(await repeated.json()).toMatchObject({ error: 'invalid_request' });
    const xml = await fetch(`${bank.url}/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: '<grant/>',
    });
    expect(xml.status).toBe(415);
    expect(await xml.json()).toMatchObject({ error: 'invalid_request' });
  });
});
