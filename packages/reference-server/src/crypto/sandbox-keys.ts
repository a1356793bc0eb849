import { createHash, createPrivateKey, type KeyObject } from 'node:crypto';

/**
 * An Ed25519 key derived from a public phrase. The sandbox signs with keys like this so that every
 * instance on one database, and every restart, signs and verifies with the same key; anyone can
 * derive them, so production refuses them (config.ts). The audit log's sandbox key is made the same
 * way (`modules/audit/keys.ts`).
 */
export function publicPhraseKey(phrase: string): KeyObject {
  const seed = createHash('sha256').update(phrase).digest();
  // PKCS#8 for Ed25519 is a fixed 16-byte prefix and the 32-byte seed.
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

/** The sandbox's access-token signing key: public, the same in every sandbox process. */
export const SANDBOX_SIGNING_KEY: KeyObject = publicPhraseKey(
  'wekeza sandbox access-token signing key (public, never for production)',
);

export const SANDBOX_SIGNING_KEY_PEM = SANDBOX_SIGNING_KEY.export({
  type: 'pkcs8',
  format: 'pem',
}).toString();
