import { createHmac, generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.ts';
import { loadConfig } from '../src/config.ts';
import { TokenService } from '../src/modules/identity/tokens.ts';
import { startTestBank, type TestBank, testDialects } from '../src/testing/index.ts';
import { Http, login, newCustomer } from './support/http.ts';

const pem = (key: ReturnType<typeof generateKeyPairSync>['privateKey']) =>
  key.export({ type: 'pkcs8', format: 'pem' }).toString();
const current = generateKeyPairSync('ed25519');
const previous = generateKeyPairSync('ed25519');
const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

describe.each(testDialects())('token attacks on %s', (dialect) => {
  let bank: TestBank;
  let customer: Awaited<ReturnType<typeof newCustomer>>;
  let valid: string;
  let kid: string;
  const issuer = 'https://sandbox.wekeza.local';
  beforeAll(async () => {
    bank = await startTestBank(dialect, { WEKEZA_SIGNING_KEY: pem(current.privateKey) });
    customer = await newCustomer(bank);
    valid = String((customer.http as unknown as { token: string }).token);
    kid = JSON.parse(Buffer.from(valid.split('.')[0]!, 'base64url').toString()).kid;
  });
  afterAll(async () => {
    await bank?.stop();
  });

  const me = (token: string) => new Http(bank.url, token).get('/v1/me');
  const now = () => Math.floor(Date.now() / 1000);
  /** A token signed with the bank's real key, with claims the test chooses. */
  const forge = (claims: Record<string, unknown>, header: Record<string, unknown> = {}) =>
    new SignJWT({ role: 'customer', ...claims })
      .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt', ...header })
      .sign(current.privateKey);
  const base = () => ({
    iss: issuer,
    aud: 'wekeza-api',
    sub: customer.id,
    jti: 'j-1',
    iat: now(),
    nbf: now(),
    exp: now() + 300,
  });

  it('when the genuine token is used, then it works (the forgeries below differ in one thing each)', async () => {
    expect((await me(valid)).status).toBe(200);
    expect((await me(await forge(base()))).status).toBe(200);
  });

  it.each([
    ['expired', { exp: now() - 10 }],
    ['not yet valid', { nbf: now() + 600 }],
    ['for another audience', { aud: 'someone-else' }],
    ['from another issuer', { iss: 'https://evil.example' }],
    ['without a jti', { jti: undefined }],
    ['claiming an unknown role', { role: 'root' }],
  ])('when the token is %s, then 401', async (_name, change) => {
    const token = await forge({ ...base(), ...change });
    const res = await me(token);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthenticated');
  });

  it('when alg is none, then 401', async () => {
    const token = `${b64({ alg: 'none', typ: 'at+jwt', kid })}.${b64(base())}.`;
    expect((await me(token)).status).toBe(401);
  });

  it('when the token is HS256-signed with the public key as the secret, then 401', async () => {
    const jwks = (await (await fetch(`${bank.url}/.well-known/jwks.json`)).json()) as {
      keys: Record<string, string>[];
    };
    for (const secret of [
      JSON.stringify(jwks.keys[0]),
      current.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      jwks.keys[0]!.x!,
    ]) {
      const input = `${b64({ alg: 'HS256', typ: 'at+jwt', kid })}.${b64(base())}`;
      const token = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
      expect((await me(token)).status).toBe(401);
    }
  });

  it("when the kid is unknown or the key is not the bank's, then 401", async () => {
    expect((await me(await forge(base(), { kid: 'unknown-kid' }))).status).toBe(401);
    const stranger = generateKeyPairSync('ed25519');
    const token = await new SignJWT({ role: 'customer' })
      .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt' })
      .setIssuer(issuer)
      .setAudience('wekeza-api')
      .setSubject(customer.id)
      .setJti('x')
      .setIssuedAt()
      .setNotBefore(now())
      .setExpirationTime('5m')
      .sign(stranger.privateKey);
    expect((await me(token)).status).toBe(401);
  });

  it('when the payload is tampered with (customer → admin), then 401', async () => {
    const [header, payload, signature] = valid.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const tampered = `${header}.${b64({ ...claims, role: 'admin' })}.${signature}`;
    expect((await me(tampered)).status).toBe(401);
  });

  it('when the user is disabled, then their still-unexpired token stops working at once', async () => {
    const victim = await newCustomer(bank);
    expect((await victim.http.get('/v1/me')).status).toBe(200);
    await bank.db.prisma.user.update({ where: { id: victim.id }, data: { status: 'disabled' } });
    expect((await victim.http.get('/v1/me')).status).toBe(401);
    await expect(login(bank, victim.email, 'correct horse battery')).rejects.toThrow(/400 .*invalid_grant/);
  });
});

describe('signing-key rotation', () => {
  const config = (env: Record<string, string>) => loadConfig({ WEKEZA_MODE: 'sandbox', ...env });

  it('when the key is rotated, then the JWKS holds both keys and tokens of the previous key verify until it is removed', async () => {
    const before = await TokenService.create(
      config({ WEKEZA_SIGNING_KEY: pem(previous.privateKey) }),
      systemClock,
    );
    const { token } = await before.issue('cus_ROTATE', 'customer');
    const rotated = await TokenService.create(
      config({
        WEKEZA_SIGNING_KEY: pem(current.privateKey),
        WEKEZA_SIGNING_KEY_PREVIOUS: pem(previous.privateKey),
      }),
      systemClock,
    );
    expect(rotated.publicJwks().keys).toHaveLength(2);
    expect(await rotated.verify(token)).toMatchObject({ sub: 'cus_ROTATE', role: 'customer' });
    const fresh = await rotated.issue('cus_ROTATE', 'customer');
    expect(JSON.parse(Buffer.from(fresh.token.split('.')[0]!, 'base64url').toString()).kid).toBe(
      rotated.publicJwks().keys[0]?.kid,
    );
    // A public PEM is enough for the previous key.
    const publicOnly = await TokenService.create(
      config({
        WEKEZA_SIGNING_KEY: pem(current.privateKey),
        WEKEZA_SIGNING_KEY_PREVIOUS: previous.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      }),
      systemClock,
    );
    expect(await publicOnly.verify(token)).toBeDefined();
    const removed = await TokenService.create(
      config({ WEKEZA_SIGNING_KEY: pem(current.privateKey) }),
      systemClock,
    );
    expect(removed.publicJwks().keys).toHaveLength(1);
    expect(await removed.verify(token)).toBeUndefined();
  });
});
