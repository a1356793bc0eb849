import { bytesEqual, fromBase64 } from './bytes.ts';
import { emptyRoot, HASH_SIZE, type MerkleHasher, webCryptoHasher } from './hash.ts';

/** A hash as raw bytes, or as the standard base64 the API sends. */
export type HashInput = Uint8Array | string;
/** A leaf index or tree size: a non-negative safe integer, or a bigint below 2^64. */
export type TreeIndex = number | bigint;

export interface InclusionProofInput {
  /** The leaf hash of the entry, SHA-256(0x00 || leaf). */
  leafHash: HashInput;
  leafIndex: TreeIndex;
  treeSize: TreeIndex;
  /** The audit path, from the leaf's sibling up to the root's child. */
  auditPath: readonly HashInput[];
  /** The root hash of the tree of `treeSize` leaves, from a checkpoint you verified. */
  rootHash: HashInput;
}

export interface ConsistencyProofInput {
  fromSize: TreeIndex;
  toSize: TreeIndex;
  fromRoot: HashInput;
  toRoot: HashInput;
  proof: readonly HashInput[];
}

// A tree of fewer than 2^64 leaves has paths of at most 64 nodes; a consistency proof has at most
// two per level. Anything longer is refused before any hashing.
const MAX_INDEX = 2n ** 64n - 1n;
const MAX_PROOF_LENGTH = 128;

function asIndex(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value >= 0n && value <= MAX_INDEX ? value : undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  return undefined;
}

function asHash(value: unknown): Uint8Array | undefined {
  const bytes =
    typeof value === 'string' ? fromBase64(value) : value instanceof Uint8Array ? value : undefined;
  return bytes?.length === HASH_SIZE ? bytes : undefined;
}

function asHashes(values: unknown): Uint8Array[] | undefined {
  if (!Array.isArray(values) || values.length > MAX_PROOF_LENGTH) return undefined;
  const hashes: Uint8Array[] = [];
  for (const value of values) {
    const hash = asHash(value);
    if (!hash) return undefined;
    hashes.push(hash);
  }
  return hashes;
}

const isOdd = (n: bigint) => (n & 1n) === 1n;

/**
 * Whether `auditPath` proves that the leaf with `leafHash` sits at `leafIndex` in the tree of
 * `treeSize` leaves whose root is `rootHash`: the algorithm of RFC 9162 §2.1.3.2, as written there.
 * Malformed input (a hash that is not 32 bytes or not canonical base64, an index out of range, a
 * path of the wrong length) is a failed proof, never an exception.
 */
export async function verifyInclusion(
  input: InclusionProofInput,
  hasher: MerkleHasher = webCryptoHasher,
): Promise<boolean> {
  const leafHash = asHash(input?.leafHash);
  const leafIndex = asIndex(input?.leafIndex);
  const treeSize = asIndex(input?.treeSize);
  const path = asHashes(input?.auditPath);
  const rootHash = asHash(input?.rootHash);
  if (!leafHash || leafIndex === undefined || treeSize === undefined || !path || !rootHash) return false;
  if (leafIndex >= treeSize) return false;

  let fn = leafIndex;
  let sn = treeSize - 1n;
  let r = leafHash;
  for (const p of path) {
    if (sn === 0n) return false;
    if (isOdd(fn) || fn === sn) {
      r = await hasher.hashChildren(p, r);
      while (!isOdd(fn) && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = await hasher.hashChildren(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && bytesEqual(r, rootHash);
}

/**
 * Whether `proof` shows that the tree of `toSize` leaves with root `toRoot` extends the tree of
 * `fromSize` leaves with root `fromRoot` (nothing in it was changed, dropped or reordered): the
 * algorithm of RFC 9162 §2.1.4.2 for 0 < fromSize < toSize. Two equal sizes are consistent when the
 * proof is empty and the roots are equal; the empty tree (whose root is SHA-256 of nothing) is
 * consistent with every tree, with an empty proof. Malformed input is a failed proof.
 */
export async function verifyConsistency(
  input: ConsistencyProofInput,
  hasher: MerkleHasher = webCryptoHasher,
): Promise<boolean> {
  const first = asIndex(input?.fromSize);
  const second = asIndex(input?.toSize);
  const firstHash = asHash(input?.fromRoot);
  const secondHash = asHash(input?.toRoot);
  const path = asHashes(input?.proof);
  if (first === undefined || second === undefined || !firstHash || !secondHash || !path) return false;
  if (first > second) return false;
  if (first === second) return path.length === 0 && bytesEqual(firstHash, secondHash);
  if (first === 0n) return path.length === 0 && bytesEqual(firstHash, emptyRoot());

  // 1. An empty proof fails. 2. When `first` is a power of two, its root is the first node.
  if (path.length === 0) return false;
  const nodes = (first & (first - 1n)) === 0n ? [firstHash, ...path] : path;
  // 3, 4.
  let fn = first - 1n;
  let sn = second - 1n;
  while (isOdd(fn)) {
    fn >>= 1n;
    sn >>= 1n;
  }
  // 5.
  let fr = nodes[0] as Uint8Array;
  let sr = nodes[0] as Uint8Array;
  // 6.
  for (const c of nodes.slice(1)) {
    if (sn === 0n) return false;
    if (isOdd(fn) || fn === sn) {
      fr = await hasher.hashChildren(c, fr);
      sr = await hasher.hashChildren(c, sr);
      while (!isOdd(fn) && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      sr = await hasher.hashChildren(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  // 7.
  return bytesEqual(fr, firstHash) && bytesEqual(sr, secondHash) && sn === 0n;
}
