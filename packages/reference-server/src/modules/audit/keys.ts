import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

/**
 * The sandbox's audit signing key: derived from a public phrase, so that checkpoints a sandbox
 * signed stay verifiable across restarts. Production refuses it (config.ts).
 */
export const SANDBOX_AUDIT_KEY: KeyObject = (() => {
  const seed = createHash('sha256')
    .update('wekeza sandbox audit key (public, never for production)')
    .digest();
  // PKCS#8 for Ed25519 is a fixed 16-byte prefix and the 32-byte seed.
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
})();

/** Whether two keys are the same Ed25519 key (compares their public halves). */
export function sameKey(a: KeyObject, b: KeyObject): boolean {
  const pub = (k: KeyObject) => (k.type === 'private' ? createPublicKey(k) : k).export({ format: 'jwk' }).x;
  return pub(a) === pub(b);
}

/** Keys from concatenated PEM blocks (private or public), e.g. previous audit keys kept for verifying. */
export function keysFromPems(pems: string[]): KeyObject[] {
  return pems.map((pem) => (pem.includes('PRIVATE KEY') ? createPrivateKey(pem) : createPublicKey(pem)));
}
