import { createHash } from 'node:crypto';
// A third party's RFC 6962 verifier: the one Sigstore runs on Rekor's inclusion proofs.
import { verifyMerkleInclusion } from '@sigstore/verify/dist/tlog/merkle.js';
import {
  type AuditLeafFields,
  encodeAuditLeaf,
  rootHash,
  verifyConsistency,
  verifyInclusion,
  webCryptoHasher,
} from '@wekeza/sdk/audit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  auditEventLeaf,
  auditEventLeafHash,
  consistencyProof,
  frontierNodeIds,
  inclusionProof,
  MerkleFrontier,
  type NodeId,
  type NodeReader,
  nodeHasher,
  rootAt,
  rootFromLeafHashes,
} from './merkle.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const _fromHex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));

// The test oracle: RFC 9162's recursive definitions, written as in the RFC.
const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return new Uint8Array(h.digest());
};
const split = (n: number) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};
function mth(d: Uint8Array[]): Uint8Array {
  if (d.length === 0) return sha256();
  if (d.length === 1) return d[0] as Uint8Array;
  const k = split(d.length);
  return sha256(Uint8Array.of(1), mth(d.slice(0, k)), mth(d.slice(k)));
}
function path(m: number, d: Uint8Array[]): Uint8Array[] {
  if (d.length <= 1) return [];
  const k = split(d.length);
  return m < k
    ? [...path(m, d.slice(0, k)), mth(d.slice(k))]
    : [...path(m - k, d.slice(k)), mth(d.slice(0, k))];
}
function subproof(m: number, d: Uint8Array[], b: boolean): Uint8Array[] {
  if (m === d.length) return b ? [] : [mth(d)];
  const k = split(d.length);
  return m <= k
    ? [...subproof(m, d.slice(0, k), b), mth(d.slice(k))]
    : [...subproof(m - k, d.slice(k), false), mth(d.slice(0, k))];
}

const leavesOf = (n: number, seed: number): Uint8Array[] =>
  Array.from({ length: n }, (_, i) => new TextEncoder().encode(`event ${seed}/${i}`));

/** A log as a sealer would keep it: a frontier, and a table of every node `append` completed. */
function sealedLog(leaves: readonly Uint8Array[]) {
  const tree = MerkleFrontier.empty();
  const table = new Map<string, Uint8Array>();
  for (const leaf of leaves) {
    for (const node of tree.append(nodeHasher.hashLeaf(leaf)))
      table.set(`${node.level}/${node.index}`, node.hash);
  }
  const reads: NodeId[][] = [];
  const read: NodeReader = (ids) => {
    reads.push([...ids]);
    return ids.map((id) => {
      const hash = table.get(`${id.level}/${id.index}`);
      if (!hash) throw new Error(`node ${id.level}/${id.index} is not stored`);
      return hash;
    });
  };
  return { tree, table, read, reads, leafHashes: leaves.map((leaf) => nodeHasher.hashLeaf(leaf)) };
}

const flipBit = (hash: Uint8Array, bit: number) => {
  const copy = new Uint8Array(hash); // a copy: Buffer's slice would be a view
  copy[bit >> 3] = (copy[bit >> 3] as number) ^ (1 << (bit & 7));
  return copy;
};

/** Sigstore's verdict on an inclusion proof: it hashes the leaf itself and throws on failure. */
function sigstoreAccepts(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: Uint8Array[],
  root: Uint8Array,
) {
  try {
    verifyMerkleInclusion(
      {
        canonicalizedBody: Buffer.from(leaf),
        inclusionProof: { logIndex: String(index), hashes: proof.map((h) => Buffer.from(h)) },
      } as never,
      { logSize: BigInt(size), logHash: Buffer.from(root) } as never,
    );
    return true;
  } catch {
    return false;
  }
}

describe('nodeHasher', () => {
  it("when leaves and nodes are hashed on node:crypto, then the hashes are the SDK's WebCrypto ones", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 300 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        async (leaf, left, right) => {
          expect(hex(nodeHasher.hashLeaf(leaf))).toBe(hex(await webCryptoHasher.hashLeaf(leaf)));
          expect(hex(nodeHasher.hashChildren(left, right))).toBe(
            hex(await webCryptoHasher.hashChildren(left, right)),
          );
        },
      ),
    );
  });
});

describe('MerkleFrontier', () => {
  it('when leaves are appended one by one up to 400, then the root at every size equals the recursive MTH', () => {
    const leafHashes = leavesOf(400, 1).map((leaf) => nodeHasher.hashLeaf(leaf));
    const tree = MerkleFrontier.empty();
    for (let n = 1; n <= leafHashes.length; n++) {
      tree.append(leafHashes[n - 1] as Uint8Array);
      expect(tree.size).toBe(n);
      expect(hex(tree.root())).toBe(hex(mth(leafHashes.slice(0, n))));
    }
  });

  it('when appending, then the nodes it returns are exactly every perfect subtree, each stored once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer(), (n, seed) => {
        const log = sealedLog(leavesOf(n, seed));
        let perfect = 0;
        for (let level = 0; 2 ** level <= n; level++) {
          for (let index = 0; (index + 1) * 2 ** level <= n; index++) {
            perfect += 1;
            const covered = log.leafHashes.slice(index * 2 ** level, (index + 1) * 2 ** level);
            expect(hex(log.table.get(`${level}/${index}`) as Uint8Array)).toBe(hex(mth(covered)));
          }
        }
        expect(log.table.size).toBe(perfect);
      }),
      { numRuns: 50 },
    );
  });

  it('when a tree is restored from its frontier nodes in the table, then appending goes on as if never stopped', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 0, max: 200 }),
        fc.integer(),
        (n, more, seed) => {
          const leafHashes = leavesOf(n + more, seed).map((leaf) => nodeHasher.hashLeaf(leaf));
          const before = sealedLog(leavesOf(n, seed));
          const frontier = frontierNodeIds(n).map(
            ({ level, index }) => before.table.get(`${level}/${index}`) as Uint8Array,
          );
          expect(frontier.map(hex)).toEqual(before.tree.hashes.map(hex));
          const resumed = MerkleFrontier.restore(n, frontier);
          const fresh = MerkleFrontier.empty();
          for (const h of leafHashes.slice(0, n)) fresh.append(h);
          for (const h of leafHashes.slice(n)) expect(resumed.append(h)).toEqual(fresh.append(h));
          expect(hex(resumed.root())).toBe(hex(mth(leafHashes)));
        },
      ),
      { numRuns: 50 },
    );
    expect(() => MerkleFrontier.restore(3, [new Uint8Array(32)])).toThrow(RangeError);
  });

  it('when the root is recomputed from leaf hashes in one pass, then it is the SDK root', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1000 }), fc.integer(), async (n, seed) => {
        const leafHashes = leavesOf(n, seed).map((leaf) => nodeHasher.hashLeaf(leaf));
        expect(hex(rootFromLeafHashes(leafHashes))).toBe(hex(await rootHash(leafHashes, nodeHasher)));
      }),
      { numRuns: 30 },
    );
  });
});

const treeAndIndex = fc
  .integer({ min: 1, max: 300 })
  .chain((size) =>
    fc.record({ size: fc.constant(size), index: fc.nat({ max: size - 1 }), seed: fc.integer() }),
  );

describe('inclusionProof', () => {
  it('when generated from the table, then it is the RFC audit path, and the SDK and Sigstore both accept it', async () => {
    await fc.assert(
      fc.asyncProperty(treeAndIndex, async ({ size, index, seed }) => {
        const leaves = leavesOf(size, seed);
        const log = sealedLog(leaves);
        const root = log.tree.root();
        const proof = await inclusionProof(index, size, log.read);
        expect(proof.map(hex)).toEqual(path(index, log.leafHashes).map(hex));
        const leafHash = log.leafHashes[index] as Uint8Array;
        expect(
          await verifyInclusion({
            leafHash,
            leafIndex: index,
            treeSize: size,
            auditPath: proof,
            rootHash: root,
          }),
        ).toBe(true);
        expect(sigstoreAccepts(leaves[index] as Uint8Array, index, size, proof, root)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('when a bit of the proof or root is flipped, or the index or size is wrong, then the SDK and Sigstore both refuse it', async () => {
    await fc.assert(
      fc.asyncProperty(
        treeAndIndex,
        fc.nat(),
        fc.nat({ max: 255 }),
        fc.nat({ max: 400 }),
        async (t, which, bit, other) => {
          const leaves = leavesOf(Math.max(t.size, other), t.seed);
          const log = sealedLog(leaves.slice(0, t.size));
          const root = log.tree.root();
          const proof = await inclusionProof(t.index, t.size, log.read);
          const leafHash = log.leafHashes[t.index] as Uint8Array;
          const leaf = leaves[t.index] as Uint8Array;
          const sdk = (index: number, size: number, auditPath: Uint8Array[], rootHash: Uint8Array) =>
            verifyInclusion({ leafHash, leafIndex: index, treeSize: size, auditPath, rootHash });

          const target = which % (proof.length + 1);
          const badProof =
            target === 0 ? proof : proof.map((h, i) => (i === target - 1 ? flipBit(h, bit) : h));
          const badRoot = target === 0 ? flipBit(root, bit) : root;
          expect(await sdk(t.index, t.size, badProof, badRoot)).toBe(false);
          expect(sigstoreAccepts(leaf, t.index, t.size, badProof, badRoot)).toBe(false);

          if (other !== t.index && other < t.size) {
            expect(await sdk(other, t.size, proof, root)).toBe(false);
            expect(sigstoreAccepts(leaf, other, t.size, proof, root)).toBe(false);
          }
          if (other !== t.size && other > t.index) {
            // Against the root of the tree of that other size: the size is bound by its root.
            const otherRoot = mth(leaves.slice(0, other).map((l) => nodeHasher.hashLeaf(l)));
            expect(await sdk(t.index, other, proof, otherRoot)).toBe(false);
            expect(sigstoreAccepts(leaf, t.index, other, proof, otherRoot)).toBe(false);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('when the tree holds up to millions of leaves, then a proof reads at most 2·⌈log2 n⌉ stored nodes, in one read', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 2 ** 40 })
          .chain((size) => fc.tuple(fc.constant(size), fc.nat({ max: size - 1 }))),
        async ([size, index]) => {
          const calls: NodeId[][] = [];
          const read: NodeReader = (ids) => {
            calls.push([...ids]);
            return ids.map(({ level, index: i }) => sha256(new TextEncoder().encode(`${level}/${i}`)));
          };
          const proof = await inclusionProof(index, size, read);
          const bound = Math.ceil(Math.log2(size));
          expect(proof.length).toBeLessThanOrEqual(bound);
          expect(calls.length).toBe(size === 1 ? 0 : 1);
          const ids = calls[0] ?? [];
          expect(ids.length).toBeLessThanOrEqual(2 * bound);
          for (const { level, index: i } of ids) expect((i + 1) * 2 ** level).toBeLessThanOrEqual(size);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('when the index is not in the tree, then generating throws', async () => {
    const log = sealedLog(leavesOf(3, 0));
    await expect(inclusionProof(3, 3, log.read)).rejects.toThrow(RangeError);
    await expect(inclusionProof(-1, 3, log.read)).rejects.toThrow(RangeError);
    await expect(inclusionProof(0.5, 3, log.read)).rejects.toThrow(RangeError);
  });
});

const twoSizes = fc
  .tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }), fc.integer())
  .map(([a, b, seed]) => ({ from: Math.min(a, b), to: Math.max(a, b), seed }));

describe('consistencyProof', () => {
  it('when generated from the table between two sizes, then it is the RFC proof and the SDK accepts it', async () => {
    await fc.assert(
      fc.asyncProperty(twoSizes, async ({ from, to, seed }) => {
        const log = sealedLog(leavesOf(to, seed));
        const proof = await consistencyProof(from, to, log.read);
        expect(proof.map(hex)).toEqual((from === 0 ? [] : subproof(from, log.leafHashes, true)).map(hex));
        const fromRoot = await rootAt(from, log.read);
        expect(hex(fromRoot)).toBe(hex(mth(log.leafHashes.slice(0, from))));
        expect(
          await verifyConsistency({ fromSize: from, toSize: to, fromRoot, toRoot: log.tree.root(), proof }),
        ).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('when either root is altered, then the proof fails', async () => {
    await fc.assert(
      fc.asyncProperty(
        twoSizes.filter(({ from }) => from > 0),
        fc.nat({ max: 255 }),
        async ({ from, to, seed }, bit) => {
          const log = sealedLog(leavesOf(to, seed));
          const proof = await consistencyProof(from, to, log.read);
          const fromRoot = await rootAt(from, log.read);
          const toRoot = log.tree.root();
          const input = { fromSize: from, toSize: to, fromRoot, toRoot, proof };
          expect(await verifyConsistency({ ...input, fromRoot: flipBit(fromRoot, bit) })).toBe(false);
          expect(await verifyConsistency({ ...input, toRoot: flipBit(toRoot, bit) })).toBe(false);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('when an event was edited, dropped or reordered after an auditor kept a checkpoint, then the rewritten log cannot prove consistency with it', async () => {
    await fc.assert(
      fc.asyncProperty(
        twoSizes.filter(({ from, to }) => from >= 2 && to > from),
        fc.nat(),
        fc.constantFrom('edit', 'drop', 'swap'),
        async ({ from, to, seed }, at, attack) => {
          const leaves = leavesOf(to, seed);
          const kept = await rootAt(from, sealedLog(leaves).read);
          const forged = leaves.slice();
          const i = at % (from - 1);
          if (attack === 'edit') forged[i] = new TextEncoder().encode('edited');
          if (attack === 'drop') forged.splice(i, 1);
          if (attack === 'swap')
            [forged[i], forged[i + 1]] = [forged[i + 1] as Uint8Array, forged[i] as Uint8Array];
          const rewritten = sealedLog(forged);
          const proof = await consistencyProof(from, forged.length, rewritten.read);
          expect(
            await verifyConsistency({
              fromSize: from,
              toSize: forged.length,
              fromRoot: kept,
              toRoot: rewritten.tree.root(),
              proof,
            }),
          ).toBe(false);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('when the sizes are out of order, then generating throws; from 0 or to the same size the proof is empty', async () => {
    const log = sealedLog(leavesOf(5, 0));
    await expect(consistencyProof(4, 3, log.read)).rejects.toThrow(RangeError);
    expect(await consistencyProof(0, 5, log.read)).toEqual([]);
    expect(await consistencyProof(5, 5, log.read)).toEqual([]);
    expect(log.reads).toEqual([]);
  });
});

describe('auditEventLeaf', () => {
  it("when a stored event is turned into a leaf, then it is the SDK's encoding of the same fields", () => {
    const row = {
      id: 'aud_01',
      actorId: 'usr_1',
      actorRole: 'admin',
      action: 'risk.policy.update',
      subjectType: 'risk_policy',
      subjectId: null,
      beforeState: '{"cutoff":"0.2"}',
      afterState: '{"cutoff":"0.25"}',
      reason: 'quarterly review',
      requestId: 'req_9',
      createdAt: new Date('2026-03-01T08:00:00.123Z'),
    };
    const fields: AuditLeafFields = {
      ...row,
      before: row.beforeState,
      after: row.afterState,
      createdAt: '2026-03-01T08:00:00.123Z',
    };
    expect(hex(auditEventLeaf(row))).toBe(hex(encodeAuditLeaf(fields)));
    expect(hex(auditEventLeafHash(row))).toBe(hex(nodeHasher.hashLeaf(encodeAuditLeaf(fields))));
  });
});
