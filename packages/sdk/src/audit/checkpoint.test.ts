import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toBase64 } from './bytes.ts';
import {
  checkpointBody,
  type JsonWebKeySet,
  parseCheckpointBody,
  type SignedCheckpoint,
  verifyCheckpoint,
} from './checkpoint.ts';

function keyPair(kid: string) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const { kty, crv, x } = publicKey.export({ format: 'jwk' });
  return {
    privateKey,
    jwk: { kty: kty as 'OKP', crv: crv as 'Ed25519', x: x as string, kid, alg: 'EdDSA', use: 'sig' },
  };
}

function signed(privateKey: KeyObject, kid: string, origin: string, treeSize: number, rootHash: Uint8Array) {
  const body = checkpointBody({ origin, treeSize, rootHash });
  return {
    origin,
    tree_size: treeSize,
    root_hash: toBase64(rootHash),
    body,
    signature: sign(null, Buffer.from(body), privateKey).toString('base64'),
    key_id: kid,
  } satisfies SignedCheckpoint;
}

const bank = keyPair('bank-2026');
const other = keyPair('other');
const jwks: JsonWebKeySet = { keys: [bank.jwk, other.jwk] };
const root = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
const good = signed(bank.privateKey, 'bank-2026', 'bank.example/audit', 1234, root);

describe('checkpointBody / parseCheckpointBody', () => {
  it('when a tree head is written, then it is the C2SP text of three lines, and reads back the same', () => {
    expect(good.body).toBe(`bank.example/audit\n1234\n${toBase64(root)}\n`);
    expect(parseCheckpointBody(good.body)).toEqual({
      origin: 'bank.example/audit',
      treeSize: 1234,
      rootHash: root,
    });
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9./_-]{1,40}$/),
        fc.nat(),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (origin, treeSize, rootHash) => {
          expect(parseCheckpointBody(checkpointBody({ origin, treeSize, rootHash }))).toEqual({
            origin,
            treeSize,
            rootHash,
          });
        },
      ),
    );
  });

  it('when a body is not exactly origin, decimal size and base64 root hash, each on its line, then it does not parse', () => {
    const hash = toBase64(root);
    for (const body of [
      `o\n12\n${hash}`,
      `o\n12\n${hash}\nextension\n`,
      `o\n012\n${hash}\n`,
      `o\n-1\n${hash}\n`,
      `o\n1e3\n${hash}\n`,
      `o\n${2 ** 53}\n${hash}\n`,
      `\n12\n${hash}\n`,
      `o\n12\n${toBase64(root.slice(1))}\n`,
      `o\n12\n${hash.slice(0, -2)}B=\n`,
      `o\r\n12\n${hash}\n`,
      `o\n12\n\n${hash}\n`,
    ]) {
      expect(parseCheckpointBody(body)).toBeUndefined();
    }
  });

  it('when an origin or size cannot be written into a checkpoint, then writing throws', () => {
    for (const origin of ['', 'has space', 'a+b', 'two\nlines', '\u{d800}']) {
      expect(() => checkpointBody({ origin, treeSize: 1, rootHash: root })).toThrow(TypeError);
    }
    expect(() => checkpointBody({ origin: 'o', treeSize: -1, rootHash: root })).toThrow(TypeError);
    expect(() => checkpointBody({ origin: 'o', treeSize: 1, rootHash: root.slice(1) })).toThrow(TypeError);
  });
});

describe('verifyCheckpoint', () => {
  it('when a checkpoint is signed by a key of the set, then it verifies and yields what it states', async () => {
    expect(await verifyCheckpoint(good, jwks)).toEqual({
      valid: true,
      origin: 'bank.example/audit',
      treeSize: 1234,
      rootHash: root,
      keyId: 'bank-2026',
    });
    expect((await verifyCheckpoint(good, jwks, { expectedOrigin: 'bank.example/audit' })).valid).toBe(true);
    const empty = signed(other.privateKey, 'other', 'bank.example/audit', 0, new Uint8Array(32));
    expect((await verifyCheckpoint(empty, jwks)).valid).toBe(true);
  });

  it('when any part is tampered with or the key is not the one named, then it fails with a reason', async () => {
    const flipped = Buffer.from(good.signature, 'base64');
    flipped[5] = (flipped[5] as number) ^ 1;
    const resignedByOther = signed(other.privateKey, 'bank-2026', 'bank.example/audit', 1234, root);
    const cases: [SignedCheckpoint, JsonWebKeySet, string][] = [
      [{ ...good, signature: flipped.toString('base64') }, jwks, 'signature does not verify'],
      [{ ...good, body: good.body.replace('1234', '1235') }, jwks, 'body and tree_size differ'],
      [
        { ...good, body: good.body.replace('1234', '1235'), tree_size: 1235 },
        jwks,
        'signature does not verify',
      ],
      [{ ...good, tree_size: 1235 }, jwks, 'body and tree_size differ'],
      [{ ...good, origin: 'bank.example/other' }, jwks, 'body and origin differ'],
      [{ ...good, root_hash: toBase64(new Uint8Array(32)) }, jwks, 'body and root_hash differ'],
      [resignedByOther, jwks, 'signature does not verify'],
      [{ ...good, key_id: 'other' }, jwks, 'signature does not verify'],
      [{ ...good, key_id: 'retired' }, jwks, 'no key with kid "retired"'],
      [
        good,
        { keys: [bank.jwk, { ...other.jwk, kid: 'bank-2026' }] },
        'more than one key with kid "bank-2026"',
      ],
      [good, { keys: [{ kty: 'RSA', kid: 'bank-2026' }] }, 'key bank-2026 is not an Ed25519 key'],
      [good, { keys: [{ ...bank.jwk, use: 'enc' }] }, 'key bank-2026 is not a signing key'],
      [good, { keys: [{ ...bank.jwk, alg: 'ES256' }] }, 'key bank-2026 is for ES256, not EdDSA'],
      [good, { keys: [{ ...bank.jwk, x: bank.jwk.x.slice(1) }] }, 'key bank-2026 has no 32-byte public key'],
    ];
    for (const [checkpoint, keys, reason] of cases) {
      expect(await verifyCheckpoint(checkpoint, keys)).toEqual({ valid: false, reason });
    }
    expect(await verifyCheckpoint(good, jwks, { expectedOrigin: 'bank.example/other' })).toEqual({
      valid: false,
      reason: 'checkpoint of "bank.example/audit", not of the expected log',
    });
  });

  it('when the checkpoint or the key set is anything at all, then it answers without throwing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything(), fc.anything(), fc.anything(), async (checkpoint, keys, field) => {
        expect((await verifyCheckpoint(checkpoint as never, keys as never)).valid).toBe(false);
        expect((await verifyCheckpoint(good, keys as never)).valid).toBe(false);
        const withField = { ...good, signature: field } as never;
        expect((await verifyCheckpoint(withField, jwks)).valid).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
