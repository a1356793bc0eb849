import { fromBase64, fromBase64Url, isWellFormed, toBase64, utf8 } from './bytes.ts';
import { HASH_SIZE } from './hash.ts';

/** A signed checkpoint as the API serves it (`GET /v1/audit/checkpoints/latest`). */
export interface SignedCheckpoint {
  origin: string;
  tree_size: number;
  /** Standard base64 of the 32-byte root hash. */
  root_hash: string;
  /** The C2SP tlog-checkpoint note text: `"<origin>\n<tree_size>\n<base64 root hash>\n"`. */
  body: string;
  /** Standard base64 of the 64-byte Ed25519 signature over the UTF-8 bytes of `body`. */
  signature: string;
  /** The `kid` of the verifying key in the bank's key set. */
  key_id: string;
}

/** An Ed25519 public key as a JWK (RFC 8037). */
export interface Ed25519PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  /** Unpadded base64url of the 32-byte public key. */
  x: string;
  kid?: string;
  alg?: string;
  use?: string;
}

/** A JSON Web Key Set (`GET /v1/audit/public-keys`); keys of other types are ignored. */
export interface JsonWebKeySet {
  keys: readonly (Ed25519PublicJwk | { kty: string; kid?: string })[];
}

/** What a checkpoint states: the log, its size, and the root hash of its tree at that size. */
export interface CheckpointBody {
  origin: string;
  treeSize: number;
  rootHash: Uint8Array;
}

export type CheckpointVerification =
  | { valid: true; origin: string; treeSize: number; rootHash: Uint8Array; keyId: string }
  | { valid: false; reason: string };

// No ASCII control characters other than newline, in the whole note (C2SP signed-note).
// biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f]/;
const UNICODE_SPACE = /\p{White_Space}/u;
const TREE_SIZE = /^(?:0|[1-9][0-9]*)$/;

/**
 * Whether `origin` may name a Wekeza log: C2SP requires a non-empty line; we also hold to its
 * recommendation (no spaces, no `+`) because the origin doubles as the key name of the signed-note
 * form, where those are forbidden.
 */
export const isValidOrigin = (origin: string): boolean =>
  typeof origin === 'string' &&
  origin.length > 0 &&
  isWellFormed(origin) &&
  !CONTROL.test(origin) &&
  !UNICODE_SPACE.test(origin) &&
  !origin.includes('+');

/** The C2SP tlog-checkpoint note text of a tree head. Throws on an invalid origin, size or hash. */
export function checkpointBody({ origin, treeSize, rootHash }: CheckpointBody): string {
  if (!isValidOrigin(origin)) throw new TypeError(`invalid checkpoint origin: ${JSON.stringify(origin)}`);
  if (!Number.isSafeInteger(treeSize) || treeSize < 0) throw new TypeError(`invalid tree size: ${treeSize}`);
  if (!(rootHash instanceof Uint8Array) || rootHash.length !== HASH_SIZE) {
    throw new TypeError('a root hash is 32 bytes');
  }
  return `${origin}\n${treeSize}\n${toBase64(rootHash)}\n`;
}

/**
 * The tree head a checkpoint body states, or `undefined` unless it is exactly three lines — origin,
 * tree size in decimal without leading zeros, base64 of a 32-byte root hash — each ending in a
 * newline. C2SP allows extension lines after these; Wekeza signs none, so a body with any is refused.
 */
export function parseCheckpointBody(body: string): CheckpointBody | undefined {
  if (typeof body !== 'string' || !isWellFormed(body) || CONTROL.test(body) || !body.endsWith('\n')) {
    return undefined;
  }
  const lines = body.slice(0, -1).split('\n');
  if (lines.length !== 3) return undefined;
  const [origin, size, root] = lines as [string, string, string];
  if (origin.length === 0 || !TREE_SIZE.test(size)) return undefined;
  const treeSize = Number(size);
  if (!Number.isSafeInteger(treeSize)) return undefined;
  const rootHash = fromBase64(root);
  if (rootHash?.length !== HASH_SIZE) return undefined;
  return { origin, treeSize, rootHash };
}

/** The Ed25519 key `kid` names in the set, or why there is none. */
export function findEd25519Key(
  jwks: JsonWebKeySet,
  kid: string,
): { key: Ed25519PublicJwk; raw: Uint8Array<ArrayBuffer> } | { reason: string } {
  const keys = Array.isArray(jwks?.keys) ? jwks.keys : [];
  const named = keys.filter((key) => key !== null && typeof key === 'object' && key.kid === kid);
  if (named.length === 0) return { reason: `no key with kid ${JSON.stringify(kid)}` };
  if (named.length > 1) return { reason: `more than one key with kid ${JSON.stringify(kid)}` };
  const key = named[0] as Ed25519PublicJwk;
  if (key.kty !== 'OKP' || key.crv !== 'Ed25519') return { reason: `key ${kid} is not an Ed25519 key` };
  if (key.use !== undefined && key.use !== 'sig') return { reason: `key ${kid} is not a signing key` };
  if (key.alg !== undefined && key.alg !== 'EdDSA' && key.alg !== 'Ed25519') {
    return { reason: `key ${kid} is for ${key.alg}, not EdDSA` };
  }
  const raw = fromBase64Url(key.x);
  if (raw?.length !== 32) return { reason: `key ${kid} has no 32-byte public key` };
  return { key, raw };
}

/**
 * Whether an Ed25519 `signature` over `message` verifies under the 32-byte public key `publicKey`
 * (WebCrypto). A key that cannot be imported is a failed signature; a platform without Ed25519 in
 * WebCrypto throws, since no answer can be given there.
 */
export async function verifyEd25519(
  publicKey: Uint8Array<ArrayBuffer>,
  signature: Uint8Array<ArrayBuffer>,
  message: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  if (signature.length !== 64) return false;
  let key: CryptoKey;
  try {
    key = await globalThis.crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
  } catch (error) {
    if (error instanceof Error && error.name === 'NotSupportedError') throw error;
    return false;
  }
  return globalThis.crypto.subtle.verify({ name: 'Ed25519' }, key, signature, message);
}

/**
 * Checks a checkpoint from the API against the bank's key set: the key named by `key_id` is an
 * Ed25519 key of the set, `signature` verifies over `body`, and `body` is a well-formed checkpoint
 * stating the same `origin`, `tree_size` and `root_hash` as the JSON fields. With `expectedOrigin`,
 * the checkpoint must also be of that log. Only the returned values are vouched for; never throws
 * on malformed input.
 */
export async function verifyCheckpoint(
  checkpoint: SignedCheckpoint,
  jwks: JsonWebKeySet,
  options: { expectedOrigin?: string } = {},
): Promise<CheckpointVerification> {
  const fail = (reason: string): CheckpointVerification => ({ valid: false, reason });
  if (checkpoint === null || typeof checkpoint !== 'object') return fail('not a checkpoint');
  const { origin, tree_size, root_hash, body, signature, key_id } = checkpoint;
  if (typeof key_id !== 'string') return fail('key_id is not a string');
  if (typeof signature !== 'string') return fail('signature is not a string');
  const stated = parseCheckpointBody(body);
  if (!stated) return fail('body is not a checkpoint body');
  if (stated.origin !== origin) return fail('body and origin differ');
  if (stated.treeSize !== tree_size) return fail('body and tree_size differ');
  if (root_hash !== toBase64(stated.rootHash)) return fail('body and root_hash differ');
  if (options.expectedOrigin !== undefined && stated.origin !== options.expectedOrigin) {
    return fail(`checkpoint of ${JSON.stringify(stated.origin)}, not of the expected log`);
  }
  const found = findEd25519Key(jwks, key_id);
  if ('reason' in found) return fail(found.reason);
  const signatureBytes = fromBase64(signature);
  if (!signatureBytes || !(await verifyEd25519(found.raw, signatureBytes, utf8(body)))) {
    return fail('signature does not verify');
  }
  return {
    valid: true,
    origin: stated.origin,
    treeSize: stated.treeSize,
    rootHash: stated.rootHash,
    keyId: key_id,
  };
}
