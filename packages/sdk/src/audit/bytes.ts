// Byte helpers for the audit verifier. Browser and Node alike: no Buffer, only atob/btoa,
// TextEncoder/TextDecoder and typed arrays.

const utf8Encoder = new TextEncoder();
/** Throws on bytes that are not UTF-8, instead of replacing them with U+FFFD. */
const strictUtf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export const utf8 = (text: string): Uint8Array<ArrayBuffer> => utf8Encoder.encode(text);

/** The text of UTF-8 bytes, or `undefined` when they are not valid UTF-8. */
export function fromUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8Decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

const nativeIsWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;

/** A string with an unpaired UTF-16 surrogate has no UTF-8 encoding of its own: TextEncoder would
 * turn it into U+FFFD, so two different strings would encode alike. (ES2024, with a fallback.) */
export const isWellFormed = (text: string): boolean =>
  nativeIsWellFormed ? nativeIsWellFormed.call(text) : !/\p{Cs}/u.test(text);

/** Writes the UTF-8 of `text` into `target`, which must have room for 3 bytes per UTF-16 unit. */
export const utf8Into = (text: string, target: Uint8Array): number =>
  utf8Encoder.encodeInto(text, target).written;

export function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Standard base64 (RFC 4648 §4, padded), or `undefined` for anything else. Only the canonical
 * spelling is accepted (unused bits zero), so one byte string has one text: an attacker cannot
 * present the same hash in two spellings.
 */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (typeof text !== 'string' || !BASE64.test(text)) return undefined;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return toBase64(bytes) === text ? bytes : undefined;
}

/** Unpadded base64url (RFC 4648 §5), as JWKs use, or `undefined`. Canonical spelling only. */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (typeof text !== 'string' || !BASE64URL.test(text) || text.length % 4 === 1) return undefined;
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  return fromBase64(padded);
}

export function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** Lowercase or uppercase hex of even length, or `undefined`. */
export function fromHex(hex: string): Uint8Array<ArrayBuffer> | undefined {
  if (typeof hex !== 'string' || !/^(?:[0-9a-fA-F]{2})*$/.test(hex)) return undefined;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}
