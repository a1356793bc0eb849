import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toBase64 } from './bytes.ts';
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

// Keys made here, and the C2SP signed-note encoding derived independently with node:crypto:
// vkey = name "+" hex(key hash) "+" base64(0x01 || public key), key hash = SHA-256(name || 0x0A ||
// 0x01 || public key)[:4], signature line = "— " name " " base64(key hash || Ed25519 signature).
function noteKey(name: string) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  const hash = createHash('sha256')
    .update(Buffer.concat([Buffer.from(name), Buffer.from([0x0a, 0x01]), raw]))
    .digest()
    .subarray(0, 4);
  return {
    name,
    privateKey,
    keyId: hash.readUInt32BE(0),
    vkey: `${name}+${hash.toString('hex')}+${Buffer.concat([Buffer.from([0x01]), raw]).toString('base64')}`,
    signatureLine: (text: string) =>
      `\u2014 ${name} ${Buffer.concat([hash, sign(null, Buffer.from(text), privateKey)]).toString('base64')}\n`,
  };
}
const peterKey = noteKey('PeterNeumann');
const enochKey = noteKey('EnochRoot');
const exampleKey = noteKey('example.com/foo');
const peterVkey = peterKey.vkey;
const enochVkey = enochKey.vkey;
const goText =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const peterSig = peterKey.signatureLine(goText);
const enochSig = enochKey.signatureLine(goText);
const c2spVkey = exampleKey.vkey;
const c2spNote = `This is an example message.\n\n${exampleKey.signatureLine('This is an example message.\n')}`;
const hexId = (id: number) => id.toString(16).padStart(8, '0');

const load = async (vkey: string) => {
  const key = await parseNoteVerifierKey(vkey);
  if (!key) throw new Error(`vkey ${vkey} did not parse`);
  return key;
};

describe('C2SP note keys', () => {
  it('when verifier keys are read, then their key IDs are SHA-256(name, 0x0A, 0x01, key)[:4]', async () => {
    const peter = await load(peterVkey);
    expect(peter).toMatchObject({ name: 'PeterNeumann', keyId: peterKey.keyId });
    expect(await noteKeyId('PeterNeumann', peter.publicKey)).toBe(peterKey.keyId);
    expect((await load(enochVkey)).keyId).toBe(enochKey.keyId);
    expect((await load(c2spVkey)).keyId).toBe(exampleKey.keyId);
    expect(await formatNoteVerifierKey('PeterNeumann', peter.publicKey)).toBe(peterVkey);
    expect(await formatNoteVerifierKey('example.com/foo', (await load(c2spVkey)).publicKey)).toBe(c2spVkey);
  });

  it("when a key's base64 holds '+' (the separator), then it still parses", async () => {
    let key = noteKey('plus.example/log');
    while (!key.vkey.split('+').slice(2).join('+').includes('+')) key = noteKey('plus.example/log');
    expect(await load(key.vkey)).toMatchObject({ name: 'plus.example/log', keyId: key.keyId });
  });

  it('when a verifier key is mangled, then it does not parse', async () => {
    const id = hexId(peterKey.keyId);
    const [, , encoded] = peterVkey.split('+') as [string, string, string];
    const bad = [
      peterVkey.replace(id, hexId((peterKey.keyId + 1) >>> 0)),
      /[a-f]/.test(id) ? peterVkey.replace(id, id.toUpperCase()) : `${peterVkey}x`,
      peterVkey.replace('PeterNeumann', 'PeterNeuman'),
      peterVkey.replace(
        `+${encoded}`,
        `+A${encoded.slice(1, 5) === 'AAAA' ? 'BBBB' : 'AAAA'}${encoded.slice(5)}`,
      ),
      `${peterVkey}BADKEY==`,
      peterVkey.replace(`+${encoded}`, `+Z${encoded.slice(1)}`),
      `${peterVkey}+x`,
      peterVkey.slice(1),
      peterVkey.slice(0, -1),
    ];
    for (const vkey of bad) expect(await parseNoteVerifierKey(vkey)).toBeUndefined();
  });
});

describe('signed notes', () => {
  it("when a note signed by two keys is verified, then Peter's signature holds and Enoch's, unknown, is ignored", async () => {
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

  it('when a text is signed and formatted, then the note is byte for byte the independent encoding', async () => {
    const peter = await load(peterVkey);
    const signature = new Uint8Array(sign(null, Buffer.from(goText), peterKey.privateKey));
    const note = formatSignedNote({
      text: goText,
      signatures: [{ name: 'PeterNeumann', keyId: peter.keyId, signature }],
    });
    expect(note).toBe(`${goText}\n${peterSig}`);
    expect(parseSignedNote(note)).toEqual({
      text: goText,
      signatures: [{ name: 'PeterNeumann', keyId: peterKey.keyId, signature }],
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
      `${goText}\n${peterSig.replace('PeterNeumann', 'Bad Name')}`,
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
