import { createPrivateKey, createPublicKey, randomUUID } from 'node:crypto';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  type JSONWebKeySet,
  type JWK,
  jwtVerify,
  SignJWT,
} from 'jose';
import type { Clock } from '../../clock.ts';
import type { Config } from '../../config.ts';

export type PrincipalRole = 'customer' | 'banker' | 'admin' | 'partner';

export interface AccessClaims {
  sub: string;
  role: PrincipalRole;
  jti: string;
}

const ALG = 'EdDSA';

/**
 * Signs and verifies short-lived access tokens (Ed25519 through jose). The public half is served at
 * /.well-known/jwks.json, so anyone can check a token without sharing a secret.
 */
export class TokenService {
  private readonly keySet: ReturnType<typeof createLocalJWKSet>;

  private constructor(
    private readonly privateKey: CryptoKey | KeyObjectLike,
    private readonly kid: string,
    private readonly jwks: JSONWebKeySet,
    private readonly config: Pick<Config, 'issuer' | 'audience' | 'accessTokenTtlSeconds'>,
    private readonly clock: Clock,
  ) {
    this.keySet = createLocalJWKSet(jwks);
  }

  static async create(config: Config, clock: Clock): Promise<TokenService> {
    let privateKey: CryptoKey | KeyObjectLike;
    let publicJwk: JWK;
    if (config.signingKeyPem) {
      const keyObject = createPrivateKey(config.signingKeyPem);
      if (keyObject.asymmetricKeyType !== 'ed25519')
        throw new Error('WEKEZA_SIGNING_KEY must be an Ed25519 private key (PKCS#8 PEM)');
      privateKey = keyObject;
      publicJwk = await exportJWK(createPublicKey(keyObject));
    } else {
      // Sandbox without a configured key: a fresh key per process; tokens do not survive a restart.
      const pair = await generateKeyPair(ALG, { crv: 'Ed25519', extractable: true });
      privateKey = pair.privateKey;
      publicJwk = await exportJWK(pair.publicKey);
    }
    const kid = await calculateJwkThumbprint(publicJwk);
    const jwks = { keys: [{ ...publicJwk, kid, alg: ALG, use: 'sig' }] };
    return new TokenService(privateKey, kid, jwks, config, clock);
  }

  publicJwks(): JSONWebKeySet {
    return this.jwks;
  }

  async issue(sub: string, role: PrincipalRole): Promise<{ token: string; expiresIn: number }> {
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const ttl = this.config.accessTokenTtlSeconds;
    const token = await new SignJWT({ role })
      .setProtectedHeader({ alg: ALG, kid: this.kid, typ: 'at+jwt' })
      .setIssuer(this.config.issuer)
      .setAudience(this.config.audience)
      .setSubject(sub)
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + ttl)
      .sign(this.privateKey as CryptoKey);
    return { token, expiresIn: ttl };
  }

  /** The verified claims, or undefined for any token that is not ours, not yet or no longer valid. */
  async verify(token: string): Promise<AccessClaims | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.keySet, {
        algorithms: [ALG],
        issuer: this.config.issuer,
        audience: this.config.audience,
        requiredClaims: ['sub', 'jti', 'exp', 'iat'],
        currentDate: this.clock.now(),
        typ: 'at+jwt',
      });
      const role = payload.role;
      if (role !== 'customer' && role !== 'banker' && role !== 'admin' && role !== 'partner')
        return undefined;
      return { sub: payload.sub as string, role, jti: payload.jti as string };
    } catch {
      return undefined;
    }
  }
}

type KeyObjectLike = ReturnType<typeof createPrivateKey>;
