// C2SP signed notes (c2sp.org/signed-note), the envelope in which transparency logs publish
// checkpoints (c2sp.org/tlog-checkpoint): the note text, a blank line, then one line per signature,
// `— <key name> base64(4-byte key ID || signature)`. Only Ed25519 keys (signature type 0x01).

import { concat, fromBase64, isWellFormed, toBase64, toHex, utf8 } from './bytes.ts';
import {
  type CheckpointVerification,
  findEd25519Key,
  type JsonWebKeySet,
  parseCheckpointBody,
  type SignedCheckpoint,
  verifyCheckpoint,
  verifyEd25519,
} from './checkpoint.ts';

/** One signature line: the key's name and 32-bit ID, and the signature bytes after the ID. */
export interface NoteSignature {
  name: string;
  keyId: number;
  signature: Uint8Array;
}

export interface SignedNote {
  /** The signed text, ending in a newline (the separating blank line is not part of it). */
  text: string;
  signatures: NoteSignature[];
}

/** An Ed25519 note verifier key: name, key ID, and the 32-byte public key. */
export interface NoteVerifierKey {
  name: string;
  keyId: number;
  publicKey: Uint8Array;
}

export type NoteVerification =
  | { valid: true; text: string; verifiedBy: NoteVerifierKey[] }
  | { valid: false; reason: string };

const ED25519_SIGNATURE_TYPE = 0x01;
const SIGNATURE_PREFIX = '\u2014 ';
// The spec asks verifiers to accept at least 16; Go's note package stops at 100.
const MAX_SIGNATURES = 100;
// biome-ignore lint/suspicious/noControlCharactersInRegex: no control characters but newline
const CONTROL = /[\u0000-\u0009\u000b-\u001f]/;

/** C2SP: key names are non-empty and contain no Unicode spaces and no `+`. */
export const isValidKeyName = (name: string): boolean =>
  typeof name === 'string' && name.length > 0 && isWellFormed(name) && !/[\p{White_Space}+]/u.test(name);

/**
 * The C2SP key ID of an Ed25519 note key: the first four bytes, big-endian, of
 * SHA-256(key name || 0x0A || 0x01 || 32-byte public key).
 */
export async function noteKeyId(name: string, publicKey: Uint8Array): Promise<number> {
  const digest = await globalThis.crypto.subtle.digest(
    'SHA-256',
    concat(utf8(name), Uint8Array.of(0x0a, ED25519_SIGNATURE_TYPE), publicKey),
  );
  return new DataView(digest).getUint32(0, false);
}

const keyIdBytes = (keyId: number) => {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, keyId, false);
  return bytes;
};

/** The verifier key text `<name>+<hex key ID>+<base64(0x01 || public key)>`. */
export async function formatNoteVerifierKey(name: string, publicKey: Uint8Array): Promise<string> {
  if (!isValidKeyName(name)) throw new TypeError(`invalid note key name: ${JSON.stringify(name)}`);
  if (publicKey.length !== 32) throw new TypeError('an Ed25519 public key is 32 bytes');
  const keyId = await noteKeyId(name, publicKey);
  return `${name}+${toHex(keyIdBytes(keyId))}+${toBase64(concat(Uint8Array.of(ED25519_SIGNATURE_TYPE), publicKey))}`;
}

/**
 * An Ed25519 verifier key from its text, or `undefined` when it is malformed, of another signature
 * type, or when its key ID is not the one its name and public key hash to.
 */
export async function parseNoteVerifierKey(vkey: string): Promise<NoteVerifierKey | undefined> {
  if (typeof vkey !== 'string') return undefined;
  // Names never contain '+', the base64 key may: split on the first two only.
  const first = vkey.indexOf('+');
  const second = vkey.indexOf('+', first + 1);
  if (first < 0 || second < 0) return undefined;
  const name = vkey.slice(0, first);
  const hex = vkey.slice(first + 1, second);
  const key = vkey.slice(second + 1);
  if (!isValidKeyName(name) || !/^[0-9a-f]{8}$/.test(hex)) return undefined;
  const typed = fromBase64(key);
  if (typed?.length !== 33 || typed[0] !== ED25519_SIGNATURE_TYPE) return undefined;
  const publicKey = typed.slice(1);
  const keyId = Number.parseInt(hex, 16);
  if ((await noteKeyId(name, publicKey)) !== keyId) return undefined;
  return { name, keyId, publicKey };
}

/**
 * A signed note split into its text and signature lines, or `undefined` when it is malformed: not
 * ending in a newline, control characters other than newline, no blank line before the
 * signatures, a line there that is not a signature, a bad key name, or no signature at all.
 * Nothing is verified here.
 */
export function parseSignedNote(message: string): SignedNote | undefined {
  if (typeof message !== 'string' || !isWellFormed(message) || CONTROL.test(message)) return undefined;
  if (!message.endsWith('\n')) return undefined;
  const split = message.lastIndexOf('\n\n');
  if (split < 0) return undefined;
  const text = message.slice(0, split + 1);
  const lines = message.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) return undefined;
  const signatures: NoteSignature[] = [];
  for (const line of lines) {
    if (!line.startsWith(SIGNATURE_PREFIX)) return undefined;
    const fields = line.slice(SIGNATURE_PREFIX.length).split(' ');
    if (fields.length !== 2) return undefined;
    const [name, encoded] = fields as [string, string];
    const bytes = fromBase64(encoded);
    if (!isValidKeyName(name) || !bytes || bytes.length < 5) return undefined;
    signatures.push({
      name,
      keyId: new DataView(bytes.buffer).getUint32(0, false),
      signature: bytes.slice(4),
    });
  }
  return { text, signatures };
}

/** The text of a signed note. Throws when the text or a key name is not allowed in one. */
export function formatSignedNote({ text, signatures }: SignedNote): string {
  if (!isWellFormed(text) || CONTROL.test(text) || !text.endsWith('\n')) {
    throw new TypeError('a note text is newline-terminated and has no control characters but newlines');
  }
  if (signatures.length === 0) throw new TypeError('a signed note has at least one signature');
  const lines = signatures.map(({ name, keyId, signature }) => {
    if (!isValidKeyName(name)) throw new TypeError(`invalid note key name: ${JSON.stringify(name)}`);
    return `${SIGNATURE_PREFIX}${name} ${toBase64(concat(keyIdBytes(keyId), signature))}\n`;
  });
  return `${text}\n${lines.join('')}`;
}

/**
 * Verifies a signed note against known Ed25519 keys, as C2SP prescribes: signatures by unknown keys
 * (name and key ID not both matching a known key) are ignored; a signature by a known key that
 * does not verify rejects the note; at least one known key must have signed it.
 */
export async function verifySignedNote(
  message: string,
  keys: readonly NoteVerifierKey[],
): Promise<NoteVerification> {
  const note = parseSignedNote(message);
  if (!note) return { valid: false, reason: 'not a signed note' };
  const text = utf8(note.text);
  const verifiedBy: NoteVerifierKey[] = [];
  for (const signature of note.signatures) {
    const known = keys.filter((key) => key.name === signature.name && key.keyId === signature.keyId);
    if (known.length > 1) return { valid: false, reason: `ambiguous key ${signature.name}` };
    const key = known[0];
    if (!key) continue;
    const ok = await verifyEd25519(new Uint8Array(key.publicKey), new Uint8Array(signature.signature), text);
    if (!ok) return { valid: false, reason: `invalid signature by ${signature.name}` };
    if (!verifiedBy.includes(key)) verifiedBy.push(key);
  }
  if (verifiedBy.length === 0) return { valid: false, reason: 'no signature by a known key' };
  return { valid: true, text: note.text, verifiedBy };
}

/**
 * The signed-note form of an API checkpoint: its body, a blank line, and the bank's signature under
 * the key name `origin` with the C2SP key ID of the public key `key_id` names. The checkpoint is
 * verified first (throws if it does not verify), so no note is made from a bad signature.
 */
export async function checkpointToSignedNote(
  checkpoint: SignedCheckpoint,
  jwks: JsonWebKeySet,
): Promise<string> {
  const verified = await verifyCheckpoint(checkpoint, jwks);
  if (!verified.valid) throw new Error(`the checkpoint does not verify: ${verified.reason}`);
  const found = findEd25519Key(jwks, checkpoint.key_id);
  if ('reason' in found) throw new Error(found.reason);
  return formatSignedNote({
    text: checkpoint.body,
    signatures: [
      {
        name: checkpoint.origin,
        keyId: await noteKeyId(checkpoint.origin, found.raw),
        signature: fromBase64(checkpoint.signature) as Uint8Array,
      },
    ],
  });
}

/**
 * Verifies a checkpoint in signed-note form against the bank's key set: the note text is a
 * checkpoint body, and it carries a valid signature under the key name `origin` by an Ed25519 key of
 * the set (matched by its C2SP key ID); other signatures (witnesses, unknown keys) are ignored.
 */
export async function verifyCheckpointNote(
  message: string,
  jwks: JsonWebKeySet,
  options: { expectedOrigin?: string } = {},
): Promise<CheckpointVerification> {
  const note = parseSignedNote(message);
  if (!note) return { valid: false, reason: 'not a signed note' };
  const stated = parseCheckpointBody(note.text);
  if (!stated) return { valid: false, reason: 'the note text is not a checkpoint body' };
  if (options.expectedOrigin !== undefined && stated.origin !== options.expectedOrigin) {
    return {
      valid: false,
      reason: `checkpoint of ${JSON.stringify(stated.origin)}, not of the expected log`,
    };
  }
  const keys: (NoteVerifierKey & { kid: string })[] = [];
  for (const jwk of Array.isArray(jwks?.keys) ? jwks.keys : []) {
    if (typeof jwk?.kid !== 'string') continue;
    const found = findEd25519Key(jwks, jwk.kid);
    if ('reason' in found) continue;
    keys.push({
      name: stated.origin,
      keyId: await noteKeyId(stated.origin, found.raw),
      publicKey: found.raw,
      kid: jwk.kid,
    });
  }
  const verified = await verifySignedNote(message, keys);
  if (!verified.valid) return verified;
  const signer = verified.verifiedBy[0] as NoteVerifierKey & { kid: string };
  return { valid: true, ...stated, keyId: signer.kid };
}
