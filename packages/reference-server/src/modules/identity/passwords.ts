import { hash, verify } from '@node-rs/argon2';

// argon2id with the OWASP-recommended minimum (19 MiB, 2 passes, 1 lane).
const OPTIONS = {
  algorithm: 2 /* Algorithm.Argon2id (a const enum) */,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
};

export function hashSecret(secret: string): Promise<string> {
  return hash(secret, OPTIONS);
}

export async function verifySecret(hashed: string, secret: string): Promise<boolean> {
  try {
    return await verify(hashed, secret);
  } catch {
    return false;
  }
}

/** A real hash of nothing, verified when the user is unknown so that both paths take the same time. */
let decoy: Promise<string> | undefined;
export async function verifyAgainstDecoy(secret: string): Promise<false> {
  decoy ??= hashSecret('decoy password that matches nothing');
  await verifySecret(await decoy, secret);
  return false;
}
