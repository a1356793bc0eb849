import { createPrivateKey, createPublicKey, type KeyObject, randomUUID } from 'node:crypto';
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
  /** A widget session's id (its token is bound to that session's customer, scopes and origin). */
  sid?: string | undefined;
  /** A widget session's origin. */
  origin?: string | undefined;
  /**
   * Space-separated scopes that narrow a first-party token (a staff member who must still enrol a
   * second factor gets `mfa me:read` only). Absent: the role decides.
   */
  scope?: string | undefined;
  /** Expiry (seconds since the epoch), for revocation records. */
  exp: number;
}

const ALG = 'EdDSA';

type TokenConfig = Pick<
  Config,
  'issuer' | 'audience' | 'accessTokenTtlSeconds' | 'signingKeyPem' | 'previousSigningKeyPems'
>;

/** The public JWK (with its thumbprint as `kid`) of a private or public PEM. */
async function publicJwkOf(pem: string): Promise<JWK> {
  const key: KeyObject = pem.includes('PRIVATE KEY')
    ? createPublicKey(createPrivateKey(pem))
    : createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('signing keys must be Ed25519 (PEM)');
  const jwk = await exportJWK(key);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: ALG, use: 'sig' };
}

/**
 * Signs and verifies short-lived access tokens (Ed25519 through jose). The public halves of the
 * current key and of any previous keys are served at /.well-known/jwks.json: after a rotation,
 * tokens signed with the previous key verify until that key is removed from the configuration.
 */
/** Tokens verified recently, by their text: Ed25519 verification costs ~150 µs on every request. */
const VERIFIED_CACHE_SIZE = 10_000;

export class TokenService {
  private readonly keySet: ReturnType<typeof createLocalJWKSet>;
  /**
   * A token's text never changes, so a signature verified once stays verified: the claims are kept
   * (least recently used out first) and only the expiry is checked again. Revocation, a disabled
   * user or a revoked consent are read from the database on every request regardless.
   */
  private readonly verified = new Map<string, AccessClaims>();

  private constructor(
    private readonly privateKey: CryptoKey | KeyObject,
    private readonly kid: string,
    private readonly jwks: JSONWebKeySet,
    private readonly config: TokenConfig,
    private readonly clock: Clock,
  ) {
    this.keySet = createLocalJWKSet(jwks);
  }

  static async create(config: TokenConfig, clock: Clock): Promise<TokenService> {
    let privateKey: CryptoKey | KeyObject;
    let current: JWK;
    if (config.signingKeyPem) {
      const keyObject = createPrivateKey(config.signingKeyPem);
      if (keyObject.asymmetricKeyType !== 'ed25519')
        throw new Error('WEKEZA_SIGNING_KEY must be an Ed25519 private key (PKCS#8 PEM)');
      privateKey = keyObject;
      current = await publicJwkOf(config.signingKeyPem);
    } else {
      // Only when a caller builds a TokenService without a key (loadConfig always gives one): a fresh
      // key for this process, whose tokens no other instance accepts.
      const pair = await generateKeyPair(ALG, { crv: 'Ed25519', extractable: true });
      privateKey = pair.privateKey;
      const jwk = await exportJWK(pair.publicKey);
      current = { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: ALG, use: 'sig' };
    }
    const previous = await Promise.all((config.previousSigningKeyPems ?? []).map(publicJwkOf));
    const keys = [current, ...previous.filter((k) => k.kid !== current.kid)];
    return new TokenService(privateKey, current.kid as string, { keys }, config, clock);
  }

  publicJwks(): JSONWebKeySet {
    return this.jwks;
  }

  async issue(
    sub: string,
    role: PrincipalRole,
    extra: { sid?: string; origin?: string; scope?: string; ttlSeconds?: number } = {},
  ): Promise<{ token: string; expiresIn: number; expiresAt: Date }> {
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const ttl = Math.min(
      extra.ttlSeconds ?? this.config.accessTokenTtlSeconds,
      this.config.accessTokenTtlSeconds,
    );
    const claims: Record<string, string> = { role };
    if (extra.sid) claims.sid = extra.sid;
    if (extra.origin) claims.origin = extra.origin;
    if (extra.scope) claims.scope = extra.scope;
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: ALG, kid: this.kid, typ: 'at+jwt' })
      .setIssuer(this.config.issuer)
      .setAudience(this.config.audience)
      .setSubject(sub)
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + ttl)
      .sign(this.privateKey);
    return { token, expiresIn: ttl, expiresAt: new Date((now + ttl) * 1000) };
  }

  /**
   * The verified claims, or undefined for any token that is not ours (algorithm other than EdDSA,
   * unknown `kid`, bad signature, wrong `iss`/`aud`/`typ`), not yet valid (`nbf`) or no longer
   * valid (`exp`). No clock tolerance: the bank's servers keep time.
   */
  async verify(token: string): Promise<AccessClaims | undefined> {
    const known = this.verified.get(token);
    if (known) {
      this.verified.delete(token);
      if (known.exp * 1000 <= this.clock.now().getTime()) return undefined;
      this.verified.set(token, known); // now the most recently used
      return known;
    }
    const claims = await this.verifySignature(token);
    if (claims) {
      if (this.verified.size >= VERIFIED_CACHE_SIZE)
        this.verified.delete(this.verified.keys().next().value as string);
      this.verified.set(token, claims);
    }
    return claims;
  }

  private async verifySignature(token: string): Promise<AccessClaims | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.keySet, {
        algorithms: [ALG],
        issuer: this.config.issuer,
        audience: this.config.audience,
        requiredClaims: ['sub', 'jti', 'exp', 'iat', 'nbf'],
        currentDate: this.clock.now(),
        typ: 'at+jwt',
      });
      const role = payload.role;
      if (role !== 'customer' && role !== 'banker' && role !== 'admin' && role !== 'partner')
        return undefined;
      const sid = typeof payload.sid === 'string' ? payload.sid : undefined;
      const origin = typeof payload.origin === 'string' ? payload.origin : undefined;
      const scope = typeof payload.scope === 'string' ? payload.scope : undefined;
      return {
        sub: payload.sub as string,
        role,
        jti: payload.jti as string,
        sid,
        origin,
        scope,
        exp: payload.exp as number,
      };
    } catch {
      return undefined;
    }
  }
}
