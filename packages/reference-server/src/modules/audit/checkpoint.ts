// Signing the audit log's checkpoints. The private key never enters the database: the sealer gets
// it from the environment or a file (PKCS#8 PEM, e.g. `openssl genpkey -algorithm ed25519`), and
// publishes only public keys, as a JWKS whose `kid` is the RFC 7638 thumbprint of each key — stable
// for a key, different for the next one, so rotation needs no naming scheme.

import { createPrivateKey, createPublicKey, type KeyObject, sign } from 'node:crypto';
import {
  checkpointBody,
  type Ed25519PublicJwk,
  isValidOrigin,
  type JsonWebKeySet,
  type SignedCheckpoint,
} from '@wekeza/sdk/audit';
import { calculateJwkThumbprint } from 'jose';

function ed25519(key: KeyObject, type: 'private' | 'public'): KeyObject {
  if (key.type !== type || key.asymmetricKeyType !== 'ed25519') {
    throw new TypeError(`the audit signing key must be an Ed25519 ${type} key`);
  }
  return key;
}

/** The public JWK of an Ed25519 key, with `kid` = its RFC 7638 thumbprint (base64url SHA-256). */
export async function auditPublicJwk(key: KeyObject): Promise<Ed25519PublicJwk> {
  const publicKey = key.type === 'private' ? createPublicKey(key) : ed25519(key, 'public');
  const { kty, crv, x } = ed25519(publicKey, 'public').export({ format: 'jwk' });
  if (kty !== 'OKP' || crv !== 'Ed25519' || typeof x !== 'string') throw new TypeError('not an Ed25519 key');
  const kid = await calculateJwkThumbprint({ kty, crv, x }, 'sha256');
  return { kty, crv, x, kid, alg: 'EdDSA', use: 'sig' };
}

/**
 * The key set to serve at `GET /v1/audit/public-keys`: the current key and every retired one, so
 * checkpoints signed before a rotation still verify.
 */
export async function auditPublicKeySet(keys: readonly KeyObject[]): Promise<JsonWebKeySet> {
  const jwks = await Promise.all(keys.map(auditPublicJwk));
  return { keys: jwks.filter((jwk, i) => jwks.findIndex((other) => other.kid === jwk.kid) === i) };
}

export interface CheckpointSigner {
  /** The log's name, the first line of every checkpoint. */
  readonly origin: string;
  /** The `kid` of the signing key's public JWK. */
  readonly keyId: string;
  readonly publicJwk: Ed25519PublicJwk;
  /** A checkpoint for the tree of `treeSize` leaves with this root, signed now. */
  sign(treeSize: number, rootHash: Uint8Array): SignedCheckpoint;
}

/**
 * A signer of checkpoints for the log `origin` (a schema-less URL such as `bank.example/audit`:
 * no spaces, no `+`) with an Ed25519 private key, given as a KeyObject or PKCS#8 PEM text.
 */
export async function checkpointSigner(
  origin: string,
  privateKey: KeyObject | string,
): Promise<CheckpointSigner> {
  if (!isValidOrigin(origin)) throw new TypeError(`invalid audit log origin: ${JSON.stringify(origin)}`);
  const key = ed25519(typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey, 'private');
  const publicJwk = await auditPublicJwk(key);
  const keyId = publicJwk.kid as string;
  return {
    origin,
    keyId,
    publicJwk,
    sign(treeSize, rootHash) {
      const body = checkpointBody({ origin, treeSize, rootHash });
      return {
        origin,
        tree_size: treeSize,
        root_hash: Buffer.from(rootHash).toString('base64'),
        body,
        signature: sign(null, Buffer.from(body, 'utf8'), key).toString('base64'),
        key_id: keyId,
      };
    },
  };
}
