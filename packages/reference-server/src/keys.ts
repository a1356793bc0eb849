import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The secret files `wekeza-server keys init` writes, named as the `*_FILE` variables expect them. */
export const KEY_FILES = {
  signingKey: 'signing-key.pem',
  auditSigningKey: 'audit-signing-key.pem',
  encryptionKeys: 'encryption-keys',
} as const;

const ed25519Pem = () =>
  generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/**
 * Writes a fresh set of production secrets into `dir` — the token signing key, the audit checkpoint
 * key (both Ed25519, PKCS#8 PEM) and one data-encryption key (`id:base64(32 bytes)`) — each only if
 * its file is not there yet, readable by the owner alone. Answers the files it wrote. Used by the
 * container quick start (compose.yaml); a bank keeps its keys in a secret store instead.
 */
export function initKeys(dir: string, now = new Date()): string[] {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const contents: Record<string, () => string> = {
    [KEY_FILES.signingKey]: ed25519Pem,
    [KEY_FILES.auditSigningKey]: ed25519Pem,
    [KEY_FILES.encryptionKeys]: () =>
      `k${now.toISOString().slice(0, 10).replace(/-/g, '')}:${randomBytes(32).toString('base64')}\n`,
  };
  const written: string[] = [];
  for (const [name, make] of Object.entries(contents)) {
    const path = join(dir, name);
    if (existsSync(path)) continue;
    writeFileSync(path, make(), { mode: 0o600, flag: 'wx' });
    written.push(path);
  }
  return written;
}
