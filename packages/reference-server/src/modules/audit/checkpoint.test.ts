import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
// Sigstore's reader of C2SP checkpoint notes (how it checks Rekor's), as a second opinion on ours.
import { verifyCheckpoint as sigstoreVerifyCheckpoint } from '@sigstore/verify/dist/tlog/checkpoint.js';
import { checkpointToSignedNote, noteKeyId, verifyCheckpoint, verifyCheckpointNote } from '@wekeza/sdk/audit';
import { describe, expect, it } from 'vitest';
import { auditPublicJwk, auditPublicKeySet, checkpointSigner } from './checkpoint.ts';

const ed25519Pem = () =>
  generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const rootHash = Uint8Array.from({ length: 32 }, (_, i) => (i * 31) % 256);

/** Sigstore's verdict on a signed note: the size and root it read, or undefined if it refused it. */
function sigstoreReads(note: string, origin: string, keyId: number, publicKeyPem: string) {
  const logID = Buffer.alloc(32);
  logID.writeUInt32BE(keyId);
  try {
    const checkpoint = sigstoreVerifyCheckpoint(
      { inclusionProof: { checkpoint: { envelope: note } } } as never,
      [
        {
          logID,
          baseURL: `https://${origin}`,
          publicKey: createPublicKey(publicKeyPem),
          validFor: { start: new Date(0), end: new Date(8.64e15) },
        },
      ],
    );
    return { origin: checkpoint.origin, size: checkpoint.logSize, root: new Uint8Array(checkpoint.logHash) };
  } catch {
    return undefined;
  }
}

describe('checkpointSigner', () => {
  it('when a tree head is signed, then the SDK verifies it against the served key set and reads back what was signed', async () => {
    const pem = ed25519Pem();
    const signer = await checkpointSigner('bank.example/audit', pem);
    const checkpoint = signer.sign(1_000_000, rootHash);
    expect(checkpoint).toMatchObject({
      origin: 'bank.example/audit',
      tree_size: 1_000_000,
      root_hash: Buffer.from(rootHash).toString('base64'),
      body: `bank.example/audit\n1000000\n${Buffer.from(rootHash).toString('base64')}\n`,
      key_id: signer.keyId,
    });
    expect(Buffer.from(checkpoint.signature, 'base64')).toHaveLength(64);
    const jwks = await auditPublicKeySet([createPublicKey(pem)]);
    expect(await verifyCheckpoint(checkpoint, jwks)).toEqual({
      valid: true,
      origin: 'bank.example/audit',
      treeSize: 1_000_000,
      rootHash,
      keyId: signer.keyId,
    });
  });

  it('when the key id is derived, then it is the RFC 7638 thumbprint of the public key, the same on every load', async () => {
    const pem = ed25519Pem();
    const { x } = createPublicKey(pem).export({ format: 'jwk' });
    const thumbprint = createHash('sha256')
      .update(`{"crv":"Ed25519","kty":"OKP","x":"${x}"}`)
      .digest('base64url');
    expect((await checkpointSigner('bank.example/audit', pem)).keyId).toBe(thumbprint);
    expect((await checkpointSigner('bank.example/audit', pem)).keyId).toBe(thumbprint);
    expect(await auditPublicJwk(createPublicKey(pem))).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      x,
      kid: thumbprint,
      alg: 'EdDSA',
      use: 'sig',
    });
    expect((await checkpointSigner('bank.example/audit', ed25519Pem())).keyId).not.toBe(thumbprint);
  });

  it('when the key is rotated, then checkpoints signed with the retired key still verify against the served set', async () => {
    const retiredPem = ed25519Pem();
    const currentPem = ed25519Pem();
    const retired = await checkpointSigner('bank.example/audit', retiredPem);
    const current = await checkpointSigner('bank.example/audit', currentPem);
    const jwks = await auditPublicKeySet([
      createPublicKey(currentPem),
      createPublicKey(retiredPem),
      createPublicKey(currentPem),
    ]);
    expect(jwks.keys.map((key) => key.kid)).toEqual([current.keyId, retired.keyId]);
    expect((await verifyCheckpoint(retired.sign(10, rootHash), jwks)).valid).toBe(true);
    expect((await verifyCheckpoint(current.sign(20, rootHash), jwks)).valid).toBe(true);
    const onlyCurrent = await auditPublicKeySet([createPublicKey(currentPem)]);
    expect((await verifyCheckpoint(retired.sign(10, rootHash), onlyCurrent)).valid).toBe(false);
  });

  it('when the signed note form is made, then Sigstore reads the same tree head from it, and refuses it tampered', async () => {
    const pem = ed25519Pem();
    const signer = await checkpointSigner('bank.example/audit', pem);
    const checkpoint = signer.sign(4242, rootHash);
    const jwks = await auditPublicKeySet([createPublicKey(pem)]);
    const note = await checkpointToSignedNote(checkpoint, jwks);
    expect((await verifyCheckpointNote(note, jwks)).valid).toBe(true);

    const publicPem = createPublicKey(pem).export({ format: 'pem', type: 'spki' }).toString();
    const keyId = await noteKeyId('bank.example/audit', Buffer.from(signer.publicJwk.x, 'base64url'));
    expect(sigstoreReads(note, 'bank.example/audit', keyId, publicPem)).toEqual({
      origin: 'bank.example/audit',
      size: 4242n,
      root: rootHash,
    });
    expect(
      sigstoreReads(note.replace('\n4242\n', '\n4243\n'), 'bank.example/audit', keyId, publicPem),
    ).toBeUndefined();
    const otherPem = createPublicKey(ed25519Pem()).export({ format: 'pem', type: 'spki' }).toString();
    expect(sigstoreReads(note, 'bank.example/audit', keyId, otherPem)).toBeUndefined();
  });

  it('when the key is not an Ed25519 private key or the origin cannot be a key name, then no signer is made', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    await expect(checkpointSigner('bank.example/audit', rsa)).rejects.toThrow(/Ed25519 private key/);
    await expect(checkpointSigner('bank.example/audit', ec)).rejects.toThrow(/Ed25519 private key/);
    await expect(checkpointSigner('bank.example/audit', createPublicKey(ed25519Pem()))).rejects.toThrow(
      /Ed25519 private key/,
    );
    await expect(checkpointSigner('bank example', ed25519Pem())).rejects.toThrow(/origin/);
    await expect(checkpointSigner('bank+audit', ed25519Pem())).rejects.toThrow(/origin/);
    await expect(checkpointSigner('bank.example/audit', 'not a pem')).rejects.toThrow();
  });
});
