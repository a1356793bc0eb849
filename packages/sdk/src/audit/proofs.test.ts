import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toBase64, toHex } from './bytes.ts';
import { emptyRoot, rootHash } from './hash.ts';
import { verifyConsistency, verifyInclusion } from './proofs.ts';

// The test oracle: RFC 9162 §2.1 written as its recursive definitions, over node:crypto, apart
// from the WebCrypto code under test.
const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return new Uint8Array(h.digest());
};
const leafHashOf = (leaf: Uint8Array) => sha256(Uint8Array.of(0), leaf);
const nodeHashOf = (l: Uint8Array, r: Uint8Array) => sha256(Uint8Array.of(1), l, r);
const split = (n: number) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};
/** MTH(D[n]) over leaf hashes. */
function mth(d: Uint8Array[]): Uint8Array {
  if (d.length === 0) return sha256();
  if (d.length === 1) return d[0] as Uint8Array;
  const k = split(d.length);
  return nodeHashOf(mth(d.slice(0, k)), mth(d.slice(k)));
}
/** PATH(m, D[n]). */
function path(m: number, d: Uint8Array[]): Uint8Array[] {
  if (d.length <= 1) return [];
  const k = split(d.length);
  return m < k
    ? [...path(m, d.slice(0, k)), mth(d.slice(k))]
    : [...path(m - k, d.slice(k)), mth(d.slice(0, k))];
}
/** SUBPROOF(m, D[n], b). */
function subproof(m: number, d: Uint8Array[], b: boolean): Uint8Array[] {
  if (m === d.length) return b ? [] : [mth(d)];
  const k = split(d.length);
  return m <= k
    ? [...subproof(m, d.slice(0, k), b), mth(d.slice(k))]
    : [...subproof(m - k, d.slice(k), false), mth(d.slice(0, k))];
}
const leafHashes = (n: number, seed: number) =>
  Array.from({ length: n }, (_, i) => leafHashOf(new TextEncoder().encode(`leaf ${seed}/${i}`)));

const flipBit = (hash: Uint8Array, bit: number) => {
  const copy = new Uint8Array(hash); // a copy: Buffer's slice would be a view
  copy[bit >> 3] = (copy[bit >> 3] as number) ^ (1 << (bit & 7));
  return copy;
};

describe('rootHash', () => {
  it('when computed over any number of leaves up to 300, then it equals the recursive MTH', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 300 }), fc.integer(), async (n, seed) => {
        const d = leafHashes(n, seed);
        expect(toHex(await rootHash(d))).toBe(toHex(mth(d)));
      }),
      { numRuns: 60 },
    );
  });
});

const treeAndIndex = fc
  .integer({ min: 1, max: 260 })
  .chain((size) =>
    fc.record({ size: fc.constant(size), index: fc.nat({ max: size - 1 }), seed: fc.integer() }),
  );

describe('verifyInclusion', () => {
  it('when a proof is built by the RFC definition, then it verifies, given as bytes or as base64', async () => {
    await fc.assert(
      fc.asyncProperty(treeAndIndex, async ({ size, index, seed }) => {
        const d = leafHashes(size, seed);
        const proof = {
          leafHash: d[index] as Uint8Array,
          leafIndex: index,
          treeSize: size,
          auditPath: path(index, d),
          rootHash: mth(d),
        };
        expect(await verifyInclusion(proof)).toBe(true);
        expect(
          await verifyInclusion({
            leafHash: toBase64(proof.leafHash),
            leafIndex: BigInt(index),
            treeSize: BigInt(size),
            auditPath: proof.auditPath.map(toBase64),
            rootHash: toBase64(proof.rootHash),
          }),
        ).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('when one bit of the leaf, the path or the root is flipped, then the proof fails', async () => {
    await fc.assert(
      fc.asyncProperty(
        treeAndIndex,
        fc.nat(),
        fc.nat({ max: 255 }),
        async ({ size, index, seed }, which, bit) => {
          const d = leafHashes(size, seed);
          const auditPath = path(index, d);
          const proof = {
            leafHash: d[index] as Uint8Array,
            leafIndex: index,
            treeSize: size,
            auditPath,
            rootHash: mth(d),
          };
          const target = which % (auditPath.length + 2);
          const tampered =
            target === 0
              ? { ...proof, leafHash: flipBit(proof.leafHash, bit) }
              : target === 1
                ? { ...proof, rootHash: flipBit(proof.rootHash, bit) }
                : {
                    ...proof,
                    auditPath: auditPath.map((h, i) => (i === target - 2 ? flipBit(h, bit) : h)),
                  };
          expect(await verifyInclusion(tampered)).toBe(false);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('when the proof is checked at another index, then it fails', async () => {
    await fc.assert(
      fc.asyncProperty(treeAndIndex, fc.integer({ min: 0, max: 600 }), async (t, i) => {
        fc.pre(i !== t.index);
        const d = leafHashes(t.size, t.seed);
        const proof = {
          leafHash: d[t.index] as Uint8Array,
          leafIndex: i,
          treeSize: t.size,
          auditPath: path(t.index, d),
          rootHash: mth(d),
        };
        expect(await verifyInclusion(proof)).toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  it('when the proof is checked against a tree of another size and its root, then it fails', async () => {
    await fc.assert(
      fc.asyncProperty(treeAndIndex, fc.integer({ min: 0, max: 600 }), async (t, n) => {
        fc.pre(n !== t.size);
        const d = leafHashes(Math.max(n, t.size), t.seed);
        const proof = {
          leafHash: d[t.index] as Uint8Array,
          leafIndex: t.index,
          treeSize: n,
          auditPath: path(t.index, d.slice(0, t.size)),
          rootHash: mth(d.slice(0, n)),
        };
        expect(await verifyInclusion(proof)).toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  it('when a proof is presented with its own root but another size of the same shape, then RFC 9162 accepts it, so the size must come from the signed checkpoint', async () => {
    // Leaf 0 has the same path shape in trees of 257 and 258 leaves. The root of the 257-leaf tree
    // is signed only with size 257, so this cannot pass off anything: a verifier takes size and
    // root together from a checkpoint it verified.
    const d = leafHashes(257, 7);
    const proof = {
      leafHash: d[0] as Uint8Array,
      leafIndex: 0,
      treeSize: 257,
      auditPath: path(0, d),
      rootHash: mth(d),
    };
    expect(await verifyInclusion(proof)).toBe(true);
    expect(await verifyInclusion({ ...proof, treeSize: 258 })).toBe(true);
    expect(await verifyInclusion({ ...proof, treeSize: 256 })).toBe(false);
  });

  it('when a path element is added or dropped, then the proof fails', async () => {
    await fc.assert(
      fc.asyncProperty(treeAndIndex, async ({ size, index, seed }) => {
        const d = leafHashes(size, seed);
        const auditPath = path(index, d);
        const proof = {
          leafHash: d[index] as Uint8Array,
          leafIndex: index,
          treeSize: size,
          auditPath,
          rootHash: mth(d),
        };
        expect(await verifyInclusion({ ...proof, auditPath: [...auditPath, mth(d)] })).toBe(false);
        expect(await verifyInclusion({ ...proof, auditPath: [mth(d), ...auditPath] })).toBe(false);
        if (auditPath.length > 0)
          expect(await verifyInclusion({ ...proof, auditPath: auditPath.slice(1) })).toBe(false);
      }),
      { numRuns: 60 },
    );
  });

  it('when the input is malformed in any way, then it is a failed proof and nothing is thrown', async () => {
    const good = {
      leafHash: new Uint8Array(32),
      leafIndex: 0,
      treeSize: 1,
      auditPath: [],
      rootHash: new Uint8Array(32),
    };
    expect(await verifyInclusion(good)).toBe(true);
    const bad: unknown[] = [
      null,
      undefined,
      {},
      { ...good, leafHash: new Uint8Array(31) },
      { ...good, leafHash: 'not base64!' },
      { ...good, leafHash: `${toBase64(new Uint8Array(32)).slice(0, -2)}B=` },
      { ...good, rootHash: new Uint8Array(33) },
      { ...good, leafIndex: -1 },
      { ...good, leafIndex: 0.5 },
      { ...good, leafIndex: Number.MAX_SAFE_INTEGER + 1 },
      { ...good, treeSize: 2n ** 64n },
      { ...good, treeSize: '1' },
      { ...good, treeSize: 0 },
      { ...good, auditPath: 'AAAA' },
      { ...good, auditPath: [new Uint8Array(32)] },
      { ...good, auditPath: [42] },
      { ...good, auditPath: Array.from({ length: 200 }, () => new Uint8Array(32)) },
    ];
    for (const input of bad) {
      expect(await verifyInclusion(input as never)).toBe(false);
    }
    await fc.assert(
      fc.asyncProperty(fc.anything(), fc.anything(), async (a, b) => {
        expect(await verifyInclusion({ ...good, leafIndex: a } as never)).toBe(a === 0 || a === 0n);
        expect(typeof (await verifyInclusion(b as never))).toBe('boolean');
      }),
    );
  });
});

const twoSizes = fc
  .tuple(fc.integer({ min: 0, max: 260 }), fc.integer({ min: 0, max: 260 }), fc.integer())
  .map(([a, b, seed]) => ({ from: Math.min(a, b), to: Math.max(a, b), seed }));

describe('verifyConsistency', () => {
  it('when a proof between two sizes is built by the RFC definition, then it verifies', async () => {
    await fc.assert(
      fc.asyncProperty(twoSizes, async ({ from, to, seed }) => {
        const d = leafHashes(to, seed);
        const proof = from === 0 ? [] : subproof(from, d, true);
        const input = { fromSize: from, toSize: to, fromRoot: mth(d.slice(0, from)), toRoot: mth(d), proof };
        expect(await verifyConsistency(input)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('when either root or a proof element is altered, then the proof fails', async () => {
    await fc.assert(
      fc.asyncProperty(twoSizes, fc.nat(), fc.nat({ max: 255 }), async ({ from, to, seed }, which, bit) => {
        const d = leafHashes(to, seed);
        const proof = from === 0 ? [] : subproof(from, d, true);
        const input = { fromSize: from, toSize: to, fromRoot: mth(d.slice(0, from)), toRoot: mth(d), proof };
        expect(await verifyConsistency({ ...input, fromRoot: flipBit(input.fromRoot, bit) })).toBe(false);
        // From the empty tree nothing binds the later root; every other proof binds both.
        if (from > 0)
          expect(await verifyConsistency({ ...input, toRoot: flipBit(input.toRoot, bit) })).toBe(false);
        if (proof.length > 0) {
          const at = which % proof.length;
          const altered = proof.map((h, i) => (i === at ? flipBit(h, bit) : h));
          expect(await verifyConsistency({ ...input, proof: altered })).toBe(false);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('when the later tree rewrote an earlier leaf, then no proof from the honest tree verifies', async () => {
    await fc.assert(
      fc.asyncProperty(
        twoSizes.filter(({ from, to }) => from > 0 && from < to),
        fc.nat(),
        async ({ from, to, seed }, at) => {
          const d = leafHashes(to, seed);
          const forged = d.slice();
          forged[at % from] = leafHashOf(new TextEncoder().encode('edited'));
          const input = { fromSize: from, toSize: to, fromRoot: mth(d.slice(0, from)), toRoot: mth(forged) };
          expect(await verifyConsistency({ ...input, proof: subproof(from, d, true) })).toBe(false);
          expect(await verifyConsistency({ ...input, proof: subproof(from, forged, true) })).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('when the sizes are swapped, equal with different roots, or malformed, then it fails without throwing', async () => {
    const d = leafHashes(9, 1);
    const input = {
      fromSize: 3,
      toSize: 9,
      fromRoot: mth(d.slice(0, 3)),
      toRoot: mth(d),
      proof: subproof(3, d, true),
    };
    expect(await verifyConsistency(input)).toBe(true);
    const bad: unknown[] = [
      null,
      { ...input, fromSize: 9, toSize: 3 },
      { ...input, toSize: 3, toRoot: input.fromRoot },
      { ...input, fromSize: 3, toSize: 3, toRoot: input.toRoot, proof: [] },
      { ...input, proof: [] },
      { ...input, proof: [...input.proof, input.toRoot] },
      { ...input, fromSize: 0, proof: [] },
      { ...input, fromSize: -3 },
      { ...input, proof: input.proof.map(toHex) },
      { ...input, proof: null },
    ];
    for (const candidate of bad) expect(await verifyConsistency(candidate as never)).toBe(false);
    expect(await verifyConsistency({ ...input, fromSize: 0, fromRoot: emptyRoot(), proof: [] })).toBe(true);
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (junk) => {
        expect(typeof (await verifyConsistency(junk as never))).toBe('boolean');
        expect(typeof (await verifyConsistency({ ...input, proof: junk } as never))).toBe('boolean');
      }),
    );
  });
});
