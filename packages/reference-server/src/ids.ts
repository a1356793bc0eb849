import { monotonicFactory } from 'ulid';

const ulid = monotonicFactory();

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
  | 'ws';

/** A new opaque, time-ordered identifier such as `acc_01JD…`: later ids sort after earlier ones. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${ulid()}`;
}
