import { WekezaError } from '../core/errors.ts';
import { type FromWire, fromWire } from '../internal/case.ts';

/** A delivery whose signature, timestamp or body does not check out. */
export class WebhookVerificationError extends WekezaError {
  override name = 'WebhookVerificationError';
}

/** A verified webhook: its id (the event id, the same on every retry: dedupe on it), type, time and data. */
export interface WebhookEvent {
  id: string;
  type: string;
  timestamp: string;
  data: FromWire<Record<string, unknown>>;
}

/** How far a delivery's timestamp may be from now (Standard Webhooks' default: five minutes). */
const TOLERANCE_SECONDS = 5 * 60;
const encoder = new TextEncoder();

function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function secretBytes(secret: string): Uint8Array {
  try {
    return base64ToBytes(secret.startsWith('whsec_') ? secret.slice(6) : secret);
  } catch {
    throw new WebhookVerificationError('The webhook secret is not a whsec_… base64 secret.');
  }
}

async function hmac(secret: string, content: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey(
    'raw',
    secretBytes(secret) as BufferSource,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(content)));
}

/** Compares without stopping at the first difference. */
function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= (a[i] as number) ^ (b[i] as number);
  return difference === 0;
}

const header = (
  headers: Headers | Record<string, string | string[] | undefined>,
  name: string,
): string | undefined => {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Standard Webhooks (https://www.standardwebhooks.com): verifying what the bank sends, with the
 * platform's WebCrypto (browsers, Node ≥ 20, workers); interoperable with the reference
 * `standardwebhooks` library both ways.
 */
export class Webhooks {
  /**
   * Verifies a delivery and answers its event. `body` is the raw request body exactly as received
   * (a string, not re-serialised JSON); `headers` carry `webhook-id`, `webhook-timestamp` and
   * `webhook-signature`; `secret` is the endpoint's `whsec_…` secret. Throws
   * WebhookVerificationError when anything does not check out.
   */
  async unwrap(
    body: string,
    headers: Headers | Record<string, string | string[] | undefined>,
    secret: string,
    options: { now?: Date } = {},
  ): Promise<WebhookEvent> {
    const id = header(headers, 'webhook-id');
    const timestamp = header(headers, 'webhook-timestamp');
    const signatures = header(headers, 'webhook-signature');
    if (!id || !timestamp || !signatures)
      throw new WebhookVerificationError('Missing webhook-id, webhook-timestamp or webhook-signature.');
    if (!/^[0-9]{1,12}$/.test(timestamp))
      throw new WebhookVerificationError('The webhook timestamp is not a number of seconds.');
    const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
    if (Math.abs(now - Number(timestamp)) > TOLERANCE_SECONDS)
      throw new WebhookVerificationError('The webhook timestamp is too far from now (replayed or delayed).');
    const expected = await hmac(secret, `${id}.${timestamp}.${body}`);
    const valid = signatures.split(' ').some((entry) => {
      const [version, signature] = entry.split(',');
      if (version !== 'v1' || !signature) return false;
      try {
        return equal(base64ToBytes(signature), expected);
      } catch {
        return false;
      }
    });
    if (!valid) throw new WebhookVerificationError('No webhook signature matches.');
    let payload: { type?: unknown; timestamp?: unknown; data?: unknown };
    try {
      payload = JSON.parse(body) as typeof payload;
    } catch {
      throw new WebhookVerificationError('The webhook body is not JSON.');
    }
    if (
      typeof payload.type !== 'string' ||
      typeof payload.timestamp !== 'string' ||
      typeof payload.data !== 'object' ||
      payload.data === null
    )
      throw new WebhookVerificationError('The webhook body is not { type, timestamp, data }.');
    return {
      id,
      type: payload.type,
      timestamp: payload.timestamp,
      data: fromWire(payload.data as Record<string, unknown>),
    };
  }

  /** The `webhook-signature` value for a delivery (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`): for tests and relays. */
  async sign(id: string, timestamp: Date, body: string, secret: string): Promise<string> {
    const seconds = Math.floor(timestamp.getTime() / 1000);
    return `v1,${bytesToBase64(await hmac(secret, `${id}.${seconds}.${body}`))}`;
  }
}
