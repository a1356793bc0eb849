import { concat } from './bytes.ts';

// RFC 9162 §2.1.1 (Certificate Transparency v2, same as RFC 6962): leaves and interior nodes are
// hashed with different one-byte prefixes, so no leaf can pass for a node (second preimages).
export const LEAF_HASH_PREFIX = 0x00;
export const NODE_HASH_PREFIX = 0x01;
/** Every hash in the tree is a SHA-256 digest. */
export const HASH_SIZE = 32;

/**
 * The two hashes of a Merkle tree. The verifier's own uses WebCrypto and is asynchronous; a server
 * may pass a synchronous one (node:crypto) to the same algorithms, which then run much faster.
 */
export interface MerkleHasher {
  /** SHA-256(0x00 || leaf). */
  hashLeaf(leaf: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /** SHA-256(0x01 || left || right). */
  hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

async function sha256(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', data));
}

/** RFC 9162 hashing on WebCrypto (`globalThis.crypto.subtle`): browsers, Node, workers. */
export const webCryptoHasher: MerkleHasher = {
  hashLeaf: (leaf) => sha256(concat(Uint8Array.of(LEAF_HASH_PREFIX), leaf)),
  hashChildren: (left, right) => sha256(concat(Uint8Array.of(NODE_HASH_PREFIX), left, right)),
};

/** The leaf hash of `leaf`: SHA-256(0x00 || leaf). */
export const hashLeaf = (leaf: Uint8Array): Promise<Uint8Array> =>
  webCryptoHasher.hashLeaf(leaf) as Promise<Uint8Array>;

/** The hash of an interior node: SHA-256(0x01 || left || right). */
export const hashChildren = (left: Uint8Array, right: Uint8Array): Promise<Uint8Array> =>
  webCryptoHasher.hashChildren(left, right) as Promise<Uint8Array>;

/** MTH({}) = SHA-256() — the root hash of the empty tree. */
export const emptyRoot = (): Uint8Array =>
  Uint8Array.from([
    0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24, 0x27,
    0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
  ]);

// How many node hashes of one level run at once: WebCrypto hashes off the main thread, so a batch
// goes several times faster than one hash at a time, and a bounded batch keeps memory flat.
const BATCH = 4096;

/**
 * The Merkle tree hash MTH(D[n]) of RFC 9162 §2.1.1 over the leaves whose leaf hashes are given, in
 * log order. Computed level by level: pairs are hashed and a last, unpaired node moves up a level
 * as it is, which yields the same root as the recursive definition (split at the largest power of
 * two below n) for every n.
 */
export async function rootHash(
  leafHashes: readonly Uint8Array[],
  hasher: MerkleHasher = webCryptoHasher,
): Promise<Uint8Array> {
  if (leafHashes.length === 0) return emptyRoot();
  let level: readonly Uint8Array[] = leafHashes;
  while (level.length > 1) {
    const next: Uint8Array[] = new Array(Math.ceil(level.length / 2));
    const pairs = Math.floor(level.length / 2);
    for (let start = 0; start < pairs; start += BATCH) {
      const end = Math.min(pairs, start + BATCH);
      const batch: (Uint8Array | Promise<Uint8Array>)[] = [];
      for (let i = start; i < end; i++) {
        batch.push(hasher.hashChildren(level[2 * i] as Uint8Array, level[2 * i + 1] as Uint8Array));
      }
      const hashed = await Promise.all(batch);
      for (let i = start; i < end; i++) next[i] = hashed[i - start] as Uint8Array;
    }
    if (level.length % 2 === 1) next[pairs] = level[level.length - 1] as Uint8Array;
    level = next;
  }
  return level[0] as Uint8Array;
}
