/**
 * @wekeza/sdk/audit: check the bank's audit log from outside the bank — RFC 9162 (Certificate
 * Transparency v2) Merkle hashing, inclusion and consistency proofs, and Ed25519-signed C2SP
 * checkpoints. WebCrypto only (`globalThis.crypto.subtle`), so it runs in browsers, Node and workers.
 */

export {
  type CheckpointBody,
  type CheckpointVerification,
  checkpointBody,
  type Ed25519PublicJwk,
  isValidOrigin,
  type JsonWebKeySet,
  parseCheckpointBody,
  type SignedCheckpoint,
  verifyCheckpoint,
} from './checkpoint.ts';
export {
  emptyRoot,
  HASH_SIZE,
  hashChildren,
  hashLeaf,
  LEAF_HASH_PREFIX,
  type MerkleHasher,
  NODE_HASH_PREFIX,
  rootHash,
  webCryptoHasher,
} from './hash.ts';
export {
  AUDIT_LEAF_TAG,
  type AuditEventLike,
  type AuditLeafFields,
  auditLeafFieldsOf,
  auditLeafHash,
  encodeAuditLeaf,
} from './leaf.ts';
export {
  checkpointToSignedNote,
  formatNoteVerifierKey,
  formatSignedNote,
  isValidKeyName,
  type NoteSignature,
  type NoteVerification,
  type NoteVerifierKey,
  noteKeyId,
  parseNoteVerifierKey,
  parseSignedNote,
  type SignedNote,
  verifyCheckpointNote,
  verifySignedNote,
} from './note.ts';
export {
  type ConsistencyProofInput,
  type HashInput,
  type InclusionProofInput,
  type TreeIndex,
  verifyConsistency,
  verifyInclusion,
} from './proofs.ts';
