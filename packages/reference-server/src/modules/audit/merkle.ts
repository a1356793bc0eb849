// The audit log's Merkle tree, server side: leaves of audit events, the incremental tree a sealer
// appends to, and inclusion and consistency proofs generated from stored subtree hashes.
// Hashing is RFC 9162's, as `@wekeza/sdk/audit` defines it; here it runs on node:crypto, whose
// synchronous one-shot SHA-256 is some ten times faster than awaiting WebCrypto per hash.
//
// Storage (what a sealer keeps, one table): every perfect subtree hash, keyed by (level, index).
// Node (level, index) is the root of the perfect subtree over leaves [index·2^level,
// (index+1)·2^level); level 0 holds the leaf hashes. Appending a leaf completes the leaf node and
// one node per level it closes (`MerkleFrontier.append` returns exactly those), about 2n rows for n
// leaves. Then:
//   - any root, inclusion proof or consistency proof needs O(log n) of those rows, read at once
//     (`rootAt`, `inclusionProof`, `consistencyProof` name them before reading);
//   - the frontier of a tree of n leaves — one node per set bit of n — resumes appending after a
//     restart (`frontierNodeIds`), so no state beyond the table is needed.

import { hash } from 'node:crypto';
import {
  type AuditLeafFields,
  emptyRoot,
  encodeAuditLeaf,
  HASH_SIZE,
  LEAF_HASH_PREFIX,
  type MerkleHasher,
  NODE_HASH_PREFIX,
} from '@wekeza/sdk/audit';

/** The SDK's hasher contract, answered synchronously. */
export interface SyncMerkleHasher extends MerkleHasher {
  hashLeaf(leaf: Uint8Array): Uint8Array;
  hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array;
}

const scratch = new Uint8Array(1 + 2 * HASH_SIZE);

/** RFC 9162 hashing on node:crypto's one-shot SHA-256. */
export const nodeHasher: SyncMerkleHasher = {
  hashLeaf(leaf) {
    const input = new Uint8Array(1 + leaf.length);
    input[0] = LEAF_HASH_PREFIX;
    input.set(leaf, 1);
    return hash('sha256', input, 'buffer');
  },
  hashChildren(left, right) {
    if (left.length !== HASH_SIZE || right.length !== HASH_SIZE)
      throw new TypeError('a node hash is 32 bytes');
    scratch[0] = NODE_HASH_PREFIX;
    scratch.set(left, 1);
    scratch.set(right, 1 + HASH_SIZE);
    return hash('sha256', scratch, 'buffer');
  },
};

/** An audit event as the database holds it (the fields its leaf commits to). */
export interface AuditEventFields {
  id: string;
  actorId: string;
  actorRole: string;
  action: string;
  subjectType: string;
  subjectId: string | null;
  beforeState: string | null;
  afterState: string | null;
  reason: string | null;
  requestId: string | null;
  createdAt: Date;
}

const leafFields = (event: AuditEventFields): AuditLeafFields => ({
  id: event.id,
  actorId: event.actorId,
  actorRole: event.actorRole,
  action: event.action,
  subjectType: event.subjectType,
  subjectId: event.subjectId,
  before: event.beforeState,
  after: event.afterState,
  reason: event.reason,
  requestId: event.requestId,
  createdAt: event.createdAt,
});

/** The leaf of an audit event (the SDK's `encodeAuditLeaf`, version 1). */
export const auditEventLeaf = (event: AuditEventFields): Uint8Array => encodeAuditLeaf(leafFields(event));

/** The leaf hash of an audit event, SHA-256(0x00 || leaf). */
export const auditEventLeafHash = (
  event: AuditEventFields,
  hasher: SyncMerkleHasher = nodeHasher,
): Uint8Array => hasher.hashLeaf(auditEventLeaf(event));

/** The root of the perfect subtree over leaves [index·2^level, (index+1)·2^level). */
export interface NodeId {
  level: number;
  index: number;
}

export interface TreeNode extends NodeId {
  hash: Uint8Array;
}

function assertSize(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${name} must be a non-negative integer`);
}

/** The largest power of two strictly below `n` (n ≥ 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The perfect subtrees that cover leaves [start, end), left to right, largest first. For a range
 * that is a node of the tree (as every range of a proof is), folding their hashes from the right
 * gives its MTH: RFC 9162 splits at the largest power of two, which is where these pieces join.
 */
export function coveringNodes(start: number, end: number): NodeId[] {
  const nodes: NodeId[] = [];
  let at = start;
  while (at < end) {
    let size = 1;
    let level = 0;
    while (at % (size * 2) === 0 && at + size * 2 <= end) {
      size *= 2;
      level += 1;
    }
    nodes.push({ level, index: at / size });
    at += size;
  }
  return nodes;
}

/** The stored nodes whose hashes are the frontier of a tree of `size` leaves, largest first. */
export function frontierNodeIds(size: number): NodeId[] {
  assertSize('size', size);
  return coveringNodes(0, size);
}

/**
 * The right edge of a Merkle tree — one perfect subtree hash per set bit of its size — which is all
 * appending and the root need (a "compact range" over [0, size)). A sealer keeps one per log:
 * it appends each batch's leaf hashes, stores the nodes `append` returns, and signs `root()`.
 */
export class MerkleFrontier {
  private constructor(
    private leafCount: number,
    private readonly frontier: Uint8Array[],
    private readonly hasher: SyncMerkleHasher,
  ) {}

  static empty(hasher: SyncMerkleHasher = nodeHasher): MerkleFrontier {
    return new MerkleFrontier(0, [], hasher);
  }

  /** Resumes a tree of `size` leaves from the hashes of `frontierNodeIds(size)`, in that order. */
  static restore(
    size: number,
    hashes: readonly Uint8Array[],
    hasher: SyncMerkleHasher = nodeHasher,
  ): MerkleFrontier {
    assertSize('size', size);
    if (hashes.length !== frontierNodeIds(size).length || hashes.some((h) => h.length !== HASH_SIZE)) {
      throw new RangeError(
        `a tree of ${size} leaves has a frontier of ${frontierNodeIds(size).length} hashes`,
      );
    }
    return new MerkleFrontier(size, [...hashes], hasher);
  }

  get size(): number {
    return this.leafCount;
  }

  /** The frontier's hashes, largest subtree first (the nodes `frontierNodeIds(size)` names). */
  get hashes(): readonly Uint8Array[] {
    return this.frontier.map((hash) => new Uint8Array(hash));
  }

  /**
   * Appends the leaf with this leaf hash, and returns the nodes it completes: the leaf itself
   * (level 0), then each perfect subtree it closes, bottom up. Storing them keeps the node table
   * complete.
   */
  append(leafHash: Uint8Array): TreeNode[] {
    const completed: TreeNode[] = [{ level: 0, index: this.leafCount, hash: leafHash }];
    this.add(leafHash, completed);
    return completed;
  }

  /** Appends without reporting the completed nodes: for recomputing a root, where none is stored. */
  appendOnly(leafHash: Uint8Array): void {
    this.add(leafHash, undefined);
  }

  private add(leafHash: Uint8Array, completed: TreeNode[] | undefined): void {
    if (leafHash.length !== HASH_SIZE) throw new TypeError('a leaf hash is 32 bytes');
    const index = this.leafCount;
    let node = leafHash;
    let level = 0;
    // Each trailing one bit of the old size is a perfect subtree of the same height just left of
    // the new node: merge with it and carry up, as in binary addition.
    for (let rest = index; rest % 2 === 1; rest = (rest - 1) / 2) {
      node = this.hasher.hashChildren(this.frontier.pop() as Uint8Array, node);
      level += 1;
      completed?.push({ level, index: Math.floor(index / 2 ** level), hash: node });
    }
    this.frontier.push(node);
    this.leafCount = index + 1;
  }

  /** MTH of the tree so far: the frontier folded from its smallest subtree (a copy, never shared). */
  root(): Uint8Array {
    const root = foldRight(this.frontier, this.hasher);
    return root ? new Uint8Array(root) : emptyRoot();
  }
}

function foldRight(hashes: readonly Uint8Array[], hasher: SyncMerkleHasher): Uint8Array | undefined {
  let root: Uint8Array | undefined;
  for (let i = hashes.length - 1; i >= 0; i--) {
    const left = hashes[i] as Uint8Array;
    root = root === undefined ? left : hasher.hashChildren(left, root);
  }
  return root;
}

/**
 * MTH over leaf hashes in log order, streaming: O(log n) memory and n − 1 node hashes. This is what
 * a full verification runs over every leaf hash it recomputed from one consistent read of the log.
 */
export function rootFromLeafHashes(
  leafHashes: Iterable<Uint8Array>,
  hasher: SyncMerkleHasher = nodeHasher,
): Uint8Array {
  const tree = MerkleFrontier.empty(hasher);
  for (const leafHash of leafHashes) tree.appendOnly(leafHash);
  return tree.root();
}

/** Reads stored node hashes: one hash per id, in the order asked. */
export type NodeReader = (ids: readonly NodeId[]) => Promise<readonly Uint8Array[]> | readonly Uint8Array[];

/** A leaf range [start, end) whose subtree hash is one element of a proof. */
type Range = [start: number, end: number];

/** RFC 9162 §2.1.3.1 PATH(m, D[n]) as the ranges of its elements, leaf first. */
function inclusionRanges(index: number, size: number): Range[] {
  const ranges: Range[] = [];
  let start = 0;
  let end = size;
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index < start + k) {
      ranges.push([start + k, end]);
      end = start + k;
    } else {
      ranges.push([start, start + k]);
      start += k;
    }
  }
  return ranges.reverse();
}

/** RFC 9162 §2.1.4.1 PROOF(m, D[n]) = SUBPROOF(m, D[n], true) as the ranges of its elements. */
function consistencyRanges(from: number, to: number): Range[] {
  const ranges: Range[] = [];
  let start = 0;
  let end = to;
  let whole = true;
  while (from !== end) {
    const k = splitPoint(end - start);
    if (from <= start + k) {
      ranges.push([start + k, end]);
      end = start + k;
    } else {
      ranges.push([start, start + k]);
      start += k;
      whole = false;
    }
  }
  if (!whole) ranges.push([start, end]);
  return ranges.reverse();
}

/** Reads every node the ranges need at once, and returns each range's subtree hash. */
async function hashRanges(
  ranges: readonly Range[],
  read: NodeReader,
  hasher: SyncMerkleHasher,
): Promise<Uint8Array[]> {
  const pieces = ranges.map(([start, end]) => coveringNodes(start, end));
  const ids = pieces.flat();
  const hashes = ids.length === 0 ? [] : await read(ids);
  if (hashes.length !== ids.length || hashes.some((h) => h?.length !== HASH_SIZE)) {
    throw new Error(`the node store returned ${hashes.length} hashes for ${ids.length} nodes`);
  }
  let next = 0;
  return pieces.map((nodes) => {
    const own = hashes.slice(next, next + nodes.length);
    next += nodes.length;
    return foldRight(own, hasher) as Uint8Array;
  });
}

/**
 * The audit path of leaf `index` in the tree of `size` leaves (RFC 9162 §2.1.3.1), from the leaf's
 * sibling up: at most ⌈log2 size⌉ hashes, built from at most 2·⌈log2 size⌉ stored nodes read at once.
 */
export async function inclusionProof(
  index: number,
  size: number,
  read: NodeReader,
  hasher: SyncMerkleHasher = nodeHasher,
): Promise<Uint8Array[]> {
  assertSize('index', index);
  assertSize('size', size);
  if (index >= size) throw new RangeError(`leaf ${index} is not in a tree of ${size} leaves`);
  return hashRanges(inclusionRanges(index, size), read, hasher);
}

/**
 * The consistency proof from the tree of `from` leaves to the tree of `to` leaves (RFC 9162
 * §2.1.4.1), empty when `from` is 0 or equals `to`; built from O(log to) stored nodes read at once.
 */
export async function consistencyProof(
  from: number,
  to: number,
  read: NodeReader,
  hasher: SyncMerkleHasher = nodeHasher,
): Promise<Uint8Array[]> {
  assertSize('from', from);
  assertSize('to', to);
  if (from > to) throw new RangeError(`a tree of ${to} leaves cannot extend one of ${from}`);
  if (from === 0 || from === to) return [];
  return hashRanges(consistencyRanges(from, to), read, hasher);
}

/** MTH of the first `size` leaves, from the O(log size) stored nodes of its frontier. */
export async function rootAt(
  size: number,
  read: NodeReader,
  hasher: SyncMerkleHasher = nodeHasher,
): Promise<Uint8Array> {
  assertSize('size', size);
  if (size === 0) return emptyRoot();
  const [root] = await hashRanges([[0, size]], read, hasher);
  return new Uint8Array(root as Uint8Array);
}
