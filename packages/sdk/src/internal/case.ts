import { Money } from '../money/money.ts';

type SnakeToCamel<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<SnakeToCamel<Tail>>}`
  : S;

/**
 * The SDK-side type of a wire type: keys camelCased, `{ amount: string, currency }` objects as `Money`.
 * Resource files spell their types out; a type test checks they equal `FromWire<contract type>`.
 */
export type FromWire<T> = T extends { amount: string; currency: string }
  ? Money
  : T extends readonly (infer Item)[]
    ? FromWire<Item>[]
    : T extends object
      ? { [K in keyof T as K extends string ? SnakeToCamel<K> : K]: FromWire<T[K]> }
      : T;

const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A validated wire value in SDK form: keys camelCased, every `{ amount, currency }` with a string
 * amount (the contract's only such shape is Money) turned into a `Money` (signed: balances and
 * transaction amounts can be negative).
 */
export function fromWire<T>(value: T): FromWire<T> {
  return convertIn(value) as FromWire<T>;
}

/**
 * Values kept exactly as the server sent them: an audit event's `before` and `after` states, whose
 * JSON text its Merkle leaf commits to (so a verifier can recompute the leaf).
 */
const VERBATIM = new Set(['before', 'after']);

function convertIn(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(convertIn);
  if (!isPlainObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 2 && typeof value.amount === 'string' && typeof value.currency === 'string') {
    return Money.fromJSON({ amount: value.amount, currency: value.currency }, { signed: true });
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) out[camel(key)] = VERBATIM.has(key) ? value[key] : convertIn(value[key]);
  return out;
}

/** SDK params in wire form: keys snake_cased, `Money` as `{ amount, currency }`, undefined fields dropped. */
export function toWire(value: unknown): unknown {
  if (value instanceof Money) return value.toJSON();
  if (Array.isArray(value)) return value.map(toWire);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) out[snake(key)] = toWire(item);
  }
  return out;
}
