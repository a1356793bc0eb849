import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Secrets the bank must be able to read back (TOTP secrets, stored idempotent answers that hold a
 * token or recovery codes) are stored encrypted with AES-256-GCM under a key from the environment,
 * never from the database. The key id travels inside the ciphertext, so keys can be rotated: new
 * writes use the current key, old ciphertexts open with the previous keys until re-encrypted.
 *
 * The associated data binds a ciphertext to its row (e.g. `totp:<user id>`): copying one user's
 * encrypted secret onto another user's row does not decrypt.
 *
 * Format: `enc:v1:<key id>:<base64url 12-byte IV>:<base64url ciphertext || 16-byte tag>`.
 */
export interface DataKey {
  id: string;
  key: Buffer;
}

const PREFIX = 'enc:v1:';
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** The well-known key the sandbox uses when none is configured; production refuses it. */
export const SANDBOX_DATA_KEY: DataKey = {
  id: 'sandbox',
  key: createHash('sha256').update('wekeza sandbox data key (public, never for production)').digest(),
};

export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
}

/**
 * Parses `WEKEZA_ENCRYPTION_KEYS`: comma-separated `<key id>:<base64 of 32 bytes>`, the current key
 * first, then previous keys still needed to read older ciphertexts.
 */
export function parseDataKeys(text: string): DataKey[] {
  const keys = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [id, encoded, ...rest] = part.split(':');
      if (!id || !encoded || rest.length > 0 || !KEY_ID.test(id))
        throw new SecretBoxError('each key must be "<id>:<base64 of 32 bytes>" with an id of [A-Za-z0-9_-]');
      const key = Buffer.from(encoded, 'base64');
      if (key.length !== 32) throw new SecretBoxError(`key "${id}" is not 32 bytes`);
      return { id, key };
    });
  if (keys.length === 0) throw new SecretBoxError('no key given');
  if (new Set(keys.map((k) => k.id)).size !== keys.length) throw new SecretBoxError('key ids repeat');
  return keys;
}

export class SecretBox {
  private readonly byId: Map<string, Buffer>;

  constructor(private readonly keys: readonly DataKey[]) {
    if (keys.length === 0) throw new SecretBoxError('a secret box needs a key');
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  /** The id new ciphertexts are written under. */
  get currentKeyId(): string {
    return (this.keys[0] as DataKey).id;
  }

  static isSealed(stored: string): boolean {
    return stored.startsWith(PREFIX);
  }

  /** The key id a stored ciphertext was written under (undefined for plain text). */
  static keyIdOf(stored: string): string | undefined {
    return SecretBox.isSealed(stored) ? stored.slice(PREFIX.length).split(':')[0] : undefined;
  }

  seal(plaintext: string, context: string): string {
    const { id, key } = this.keys[0] as DataKey;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${PREFIX}${id}:${iv.toString('base64url')}:${body.toString('base64url')}`;
  }

  /** Opens a sealed value; throws on an unknown key, a wrong context or any tampering. */
  open(stored: string, context: string): string {
    if (!SecretBox.isSealed(stored)) throw new SecretBoxError('not a sealed value');
    const [id, ivText, bodyText] = stored.slice(PREFIX.length).split(':');
    const key = id ? this.byId.get(id) : undefined;
    if (!key || !ivText || !bodyText) throw new SecretBoxError(`cannot open: unknown key "${id}"`);
    const iv = Buffer.from(ivText, 'base64url');
    const body = Buffer.from(bodyText, 'base64url');
    if (iv.length !== 12 || body.length < 16) throw new SecretBoxError('cannot open: malformed');
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(body.subarray(body.length - 16));
    try {
      return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new SecretBoxError('cannot open: the value or its context was altered');
    }
  }
}
