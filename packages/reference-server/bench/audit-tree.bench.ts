/**
 * `pnpm bench:audit-tree`: the pure cost of the audit log's Merkle tree on this machine, without a
 * database — hashing N audit events into leaf hashes, recomputing the root over N stored leaf
 * hashes (what a full verification does after its one consistent read), the same root on the
 * SDK's WebCrypto hasher (what an outside auditor's browser or Node pays), appending with the
 * frontier while collecting the nodes to store (the sealer), and generating proofs from the table.
 *
 *   BENCH_LEAVES=100000 pnpm bench:audit-tree
 */
import { hash } from 'node:crypto';
import { rootHash } from '@wekeza/sdk/audit';
import {
  type AuditEventFields,
  auditEventLeafHash,
  consistencyProof,
  inclusionProof,
  MerkleFrontier,
  type NodeReader,
  rootFromLeafHashes,
} from '../src/modules/audit/merkle.ts';

const N = Number(process.env.BENCH_LEAVES ?? 100_000);

function event(i: number): AuditEventFields {
  return {
    id: `aud_01J${i.toString(36).padStart(23, '0')}`,
    actorId: `usr_${(i % 977).toString(36)}`,
    actorRole: i % 3 === 0 ? 'banker' : 'customer',
    action: 'transfer.completed',
    subjectType: 'transfer',
    subjectId: `trf_${i.toString(36)}`,
    beforeState: null,
    afterState: JSON.stringify({
      amount: String(1000 + i),
      currency: 'KES',
      from: `acc_${i}`,
      to: `acc_${i + 1}`,
    }),
    reason: null,
    requestId: `req_${i.toString(36)}`,
    createdAt: new Date(1_780_000_000_000 + i),
  };
}

function time<T>(label: string, run: () => T): T {
  const start = performance.now();
  const result = run();
  const ms = performance.now() - start;
  console.log(
    `${label.padEnd(58)} ${ms.toFixed(0).padStart(7)} ms   (1M ≈ ${((ms * 1_000_000) / N / 1000).toFixed(1)} s)`,
  );
  return result;
}

async function timeAsync<T>(label: string, run: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await run();
  const ms = performance.now() - start;
  console.log(
    `${label.padEnd(58)} ${ms.toFixed(0).padStart(7)} ms   (1M ≈ ${((ms * 1_000_000) / N / 1000).toFixed(1)} s)`,
  );
  return result;
}

const events = Array.from({ length: N }, (_, i) => event(i));
console.log(`audit tree, ${N} leaves, Node ${process.version}`);
// Warm up the JIT on a small run first, so the figures are steady-state.
rootFromLeafHashes(events.slice(0, 2000).map((e) => auditEventLeafHash(e)));

// The floor: bare one-shot SHA-256 of N node-sized inputs, to read the figures below against.
const nodeInput = new Uint8Array(65);
time(`bare SHA-256 of ${N} 65-byte inputs (the floor)`, () => {
  for (let i = 0; i < N; i++) hash('sha256', nodeInput, 'buffer');
});

const leafHashes = time(`encode + leaf-hash ${N} audit events (node:crypto)`, () =>
  events.map((e) => auditEventLeafHash(e)),
);
const root = time(`root over ${N} leaf hashes (frontier, node:crypto)`, () => rootFromLeafHashes(leafHashes));
const sdkRoot = await timeAsync(`root over ${N} leaf hashes (SDK rootHash, WebCrypto)`, () =>
  rootHash(leafHashes),
);
if (Buffer.compare(Buffer.from(root), Buffer.from(sdkRoot)) !== 0) throw new Error('the two roots differ');

const table: Map<number, Uint8Array>[] = [];
time(`append ${N} leaves, collecting the nodes to store (sealer)`, () => {
  const tree = MerkleFrontier.empty();
  for (const leafHash of leafHashes) {
    for (const node of tree.append(leafHash)) {
      let level = table[node.level];
      if (!level) {
        level = new Map();
        table[node.level] = level;
      }
      level.set(node.index, node.hash);
    }
  }
  return tree.root();
});
const stored = table.reduce((sum, level) => sum + level.size, 0);
console.log(`nodes stored: ${stored} (${(stored / N).toFixed(2)} per leaf)`);

const read: NodeReader = (ids) => ids.map(({ level, index }) => table[level]?.get(index) as Uint8Array);
const proofs = 10_000;
let start = performance.now();
for (let i = 0; i < proofs; i++) await inclusionProof((i * 7919) % N, N, read);
console.log(
  `inclusion proof, mean of ${proofs}: ${(((performance.now() - start) * 1000) / proofs).toFixed(1)} µs`,
);
start = performance.now();
for (let i = 1; i <= proofs; i++) await consistencyProof((i * 7919) % N || 1, N, read);
console.log(
  `consistency proof, mean of ${proofs}: ${(((performance.now() - start) * 1000) / proofs).toFixed(1)} µs`,
);
