import type { AuditEvent, Wekeza } from '@wekeza/sdk';

/** The outcome of checking one event's inclusion proof in the browser. */
export type InclusionCheck =
  | { status: 'checking' }
  | { status: 'unsealed' }
  | { status: 'verified'; leafIndex: number; treeSize: number; keyId: string; origin: string }
  | { status: 'failed'; reason: string };

function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text);
}

/**
 * Verifies in this browser that `event` is in the bank's audit log: the latest checkpoint's Ed25519
 * signature against the bank's published keys, the event's RFC 9162 leaf hash recomputed from its
 * fields, and the inclusion proof from that leaf to the signed root. Nothing is taken on trust from
 * the proof endpoint but the path itself. The verifier is loaded on first use.
 */
export async function checkInclusion(
  client: Pick<Wekeza, 'auditEvents' | 'audit'>,
  event: AuditEvent,
): Promise<InclusionCheck> {
  if (event.seal === null) return { status: 'unsealed' };
  const { auditLeafFieldsOf, auditLeafHash, verifyCheckpoint, verifyInclusion } = await import(
    '@wekeza/sdk/audit'
  );
  const [checkpoint, keys] = await Promise.all([client.audit.latestCheckpoint(), client.audit.publicKeys()]);
  const signed = await verifyCheckpoint(checkpoint, keys);
  if (!signed.valid) return { status: 'failed', reason: `checkpoint: ${signed.reason}` };
  if (event.seal.leafIndex >= signed.treeSize) return { status: 'unsealed' };
  const proof = await client.auditEvents.proof(event.id, { treeSize: signed.treeSize });
  const leaf = await auditLeafHash(auditLeafFieldsOf(event));
  if (toBase64(leaf) !== proof.leafHash || proof.leafHash !== event.seal.leafHash) {
    return { status: 'failed', reason: 'leaf hash differs from the event as shown' };
  }
  const included = await verifyInclusion({
    leafHash: leaf,
    leafIndex: proof.leafIndex,
    treeSize: signed.treeSize,
    auditPath: proof.auditPath,
    rootHash: signed.rootHash,
  });
  return included
    ? {
        status: 'verified',
        leafIndex: proof.leafIndex,
        treeSize: signed.treeSize,
        keyId: signed.keyId,
        origin: signed.origin,
      }
    : { status: 'failed', reason: 'the inclusion proof does not lead to the signed root' };
}
