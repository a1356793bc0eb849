import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from './bytes.ts';
import { checkpointBody, type JsonWebKeySet, type SignedCheckpoint } from './checkpoint.ts';
import {
  checkpointToSignedNote,
  formatNoteVerifierKey,
  formatSignedNote,
  noteKeyId,
  parseNoteVerifierKey,
  parseSignedNote,
  verifyCheckpointNote,
  verifySignedNote,
} from './note.ts';

// Published vectors: Go's golang.org/x/mod/sumdb/note tests (the reference implementation of
// signed notes), and the example of the C2SP signed-note specification.
const peterVkey = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const peterSeed = 'AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz'; // from PRIVATE+KEY+PeterNeumann+c74f20a3+…
const enochVkey = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const goText =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const peterSig =
  '\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const enochSig =
  '\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';
const c2spVkey = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
const c2spNote =
  'This is an example message.\n\n\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';

const load = async (vkey: string) => {
  const key = await parseNoteVerifierKey(vkey);
  if (!key) throw new Error(`vkey ${vkey} did not parse`);
  return key;
};

describe('C2SP note keys', () => {
  it('when the published verifier keys are read, then their key IDs are SHA-256(name, 0x0A, 0x01, key)[:4]', async () => {
    const peter = await load(peterVkey);
    expect(peter).toMatchObject({ name: 'PeterNeumann', keyId: 0xc74f20a3 });
    expect(await noteKeyId('PeterNeumann', peter.publicKey)).toBe(0xc74f20a3);
    expect((await load(enochVkey)).keyId).toBe(0xaf0cfe78);
    expect((await load(c2spVkey)).keyId).toBe(0x530d903a);
    expect(await formatNoteVerifierKey('PeterNeumann', peter.publicKey)).toBe(peterVkey);
    expect(await formatNoteVerifierKey('example.com/foo', (await load(c2spVkey)).publicKey)).toBe(c2spVkey);
  });

  it('when a verifier key is mangled, then it does not parse', async () => {
    const bad = [
      peterVkey.replace('c74f20a3', 'c74f20a4'),
      peterVkey.replace('c74f20a3', 'C74F20A3'),
      peterVkey.replace('PeterNeumann', 'PeterNeuman'),
      peterVkey.replace('+ARpc', '+AhPc'),
      'PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==',
      'PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
      `${peterVkey}+x`,
      peterVkey.slice(1),
      peterVkey.slice(0, -1),
    ];
    for (const vkey of bad) expect(await parseNoteVerifierKey(vkey)).toBeUndefined();
  });
});

describe('signed notes', () => {
  it("when Go's reference note is verified, then Peter's signature holds and Enoch's, unknown, is ignored", async () => {
    const peter = await load(peterVkey);
    const enoch = await load(enochVkey);
    const message = `${goText}\n${peterSig}${enochSig}`;
    expect(await verifySignedNote(message, [peter])).toEqual({
      valid: true,
      text: goText,
      verifiedBy: [peter],
    });
    expect(await verifySignedNote(message, [peter, enoch])).toEqual({
      valid: true,
      text: goText,
      verifiedBy: [peter, enoch],
    });
    expect(await verifySignedNote(message, [])).toEqual({
      valid: false,
      reason: 'no signature by a known key',
    });
    expect(await verifySignedNote(c2spNote, [await load(c2spVkey)])).toMatchObject({ valid: true });
  });

  it("when the same text is signed with Peter's seed, then the note is byte for byte Go's", async () => {
    const peter = await load(peterVkey);
    const privateKey = createPrivateKey({
      key: {
        kty: 'OKP',
        crv: 'Ed25519',
        d: Buffer.from((fromBase64(peterSeed) as Uint8Array).slice(1)).toString('base64url'),
        x: Buffer.from(peter.publicKey).toString('base64url'),
      },
      format: 'jwk',
    });
    const signature = new Uint8Array(sign(null, Buffer.from(goText), privateKey));
    const note = formatSignedNote({
      text: goText,
      signatures: [{ name: 'PeterNeumann', keyId: peter.keyId, signature }],
    });
    expect(note).toBe(`${goText}\n${peterSig}`);
    expect(parseSignedNote(note)).toEqual({
      text: goText,
      signatures: [{ name: 'PeterNeumann', keyId: 0xc74f20a3, signature }],
    });
  });

  it("when a known key's signature does not verify, then the whole note is rejected", async () => {
    const peter = await load(peterVkey);
    const broken = `${goText}\n${peterSig.slice(0, 60)}ABCD${peterSig.slice(60)}`;
    expect(await verifySignedNote(broken, [peter])).toEqual({
      valid: false,
      reason: 'invalid signature by PeterNeumann',
    });
    const otherText = goText.replace('problem,', 'problem;');
    expect((await verifySignedNote(`${otherText}\n${peterSig}`, [peter])).valid).toBe(false);
  });

  it('when a note is malformed, then it does not parse and does not verify', async () => {
    const peter = await load(peterVkey);
    const bad = [
      goText,
      `${goText}\n`,
      `${goText}\n${peterSig.slice(0, -1)}`,
      `\u0001${goText}\n${peterSig}`,
      `${goText}\n\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`,
      `${goText}\n${peterSig}Unexpected line.\n`,
      `${goText}\n${peterSig.replace('\u2014', '-')}`,
      `${goText}\n\u2014 PeterNeumann AAAA\n`,
      `${goText}\n${peterSig.repeat(101)}`,
      `no final newline\n\n${peterSig}`.slice(0, -1),
    ];
    for (const message of bad) {
      expect(parseSignedNote(message)).toBeUndefined();
      expect(await verifySignedNote(message, [peter])).toEqual({ valid: false, reason: 'not a signed note' });
    }
  });
});

describe('checkpoints as signed notes', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const { x } = publicKey.export({ format: 'jwk' });
  const jwks: JsonWebKeySet = { keys: [{ kty: 'OKP', crv: 'Ed25519', x: x as string, kid: 'k1' }] };
  const rootHash = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
  const body = checkpointBody({ origin: 'bank.example/audit', treeSize: 42, rootHash });
  const checkpoint: SignedCheckpoint = {
    origin: 'bank.example/audit',
    tree_size: 42,
    root_hash: toBase64(rootHash),
    body,
    signature: sign(null, Buffer.from(body), privateKey).toString('base64'),
    key_id: 'k1',
  };

  it('when an API checkpoint is turned into a signed note, then the note carries the same signature under the origin and verifies', async () => {
    const note = await checkpointToSignedNote(checkpoint, jwks);
    const keyId = await noteKeyId('bank.example/audit', Buffer.from(x as string, 'base64url'));
    const keyIdBytes = Buffer.alloc(4);
    keyIdBytes.writeUInt32BE(keyId);
    expect(note).toBe(
      `${body}\n\u2014 bank.example/audit ${Buffer.concat([keyIdBytes, Buffer.from(checkpoint.signature, 'base64')]).toString('base64')}\n`,
    );
    expect(await verifyCheckpointNote(note, jwks)).toEqual({
      valid: true,
      origin: 'bank.example/audit',
      treeSize: 42,
      rootHash,
      keyId: 'k1',
    });
  });

  it('when a witness cosigns the note, then its unknown signature is ignored', async () => {
    const note = await checkpointToSignedNote(checkpoint, jwks);
    const witness = `${note}\u2014 witness.example/w1 ${toBase64(new Uint8Array(72))}\n`;
    expect((await verifyCheckpointNote(witness, jwks)).valid).toBe(true);
  });

  it('when the note is tampered with or signed under another name, then it fails', async () => {
    const note = await checkpointToSignedNote(checkpoint, jwks);
    expect((await verifyCheckpointNote(note.replace('\n42\n', '\n43\n'), jwks)).valid).toBe(false);
    expect(
      (await verifyCheckpointNote(note.replace('\u2014 bank.example/audit', '\u2014 bank.example/x'), jwks))
        .valid,
    ).toBe(false);
    expect((await verifyCheckpointNote(note, { keys: [] })).valid).toBe(false);
    expect(await verifyCheckpointNote(note, jwks, { expectedOrigin: 'other.example/log' })).toMatchObject({
      valid: false,
    });
    await expect(checkpointToSignedNote({ ...checkpoint, tree_size: 43 }, jwks)).rejects.toThrow(
      /does not verify/,
    );
  });
});
