import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

export type IdPrefix =
  | 'cus'
  | 'usr'
  | 'acc'
  | 'je'
  | 'txn'
  | 'hold'
  | 'trf'
  | 'dep'
  | 'aud'
  | 'rt'
  | 'rtf'
  | 'rc'
  | 'ws'
  | 'evt'
  | 'trb'
  | 'wdr'
  | 'whe'
  | 'rin'
  | 'sprod'
  | 'sprate'
  | 'lprod'
  | 'dec'
  | 'app'
  | 'apr'
  | 'loan'
  | 'lpst'
  | 'lrp'
  | 'kyc'
  | 'rpol'
  | 'mact';

// ulid asks its random source once per character; drawing each from the system CSPRNG cost more
// CPU than a transfer's arithmetic. So it draws from a buffer of CSPRNG bytes, refilled as used.
const pool = new Uint8Array(4096);
let next = pool.length;
function cryptoRandom(): number {
  if (next >= pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  return (pool[next++] as number) / 256;
}

const ulid = monotonicFactory(cryptoRandom);

/** A new opaque, time-ordered identifier such as `acc_01JD…`: later ids sort after earlier ones. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${ulid()}`;
}
