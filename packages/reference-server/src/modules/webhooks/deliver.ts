import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkUrlForm, resolveSafely, type UrlPolicy } from './address-guard.ts';

/** What one delivery attempt came to: the receiver's status, or why there was none. */
export type AttemptResult = { status: number } | { error: string };

/**
 * POSTs `body` to `url` with `headers`, connecting only to the address `resolveSafely` checked
 * (the request's own DNS lookup is replaced by it), following no redirects, within `timeoutMs`.
 */
export async function postWebhook(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  policy: UrlPolicy,
  timeoutMs: number,
): Promise<AttemptResult> {
  let url: URL;
  let target: { address: string; family: 4 | 6 };
  try {
    url = checkUrlForm(rawUrl, policy);
    target = await resolveSafely(url, policy);
  } catch (error) {
    return { error: (error as Error).message };
  }
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all)
      (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: target.address, family: target.family },
      ]);
    else callback(null, target.address, target.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<AttemptResult>((resolve) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        lookup: pinned,
        timeout: timeoutMs,
      },
      (response) => {
        // The body is not needed; read (and drop) a little of it so the socket is freed.
        response.on('data', () => {});
        response.on('end', () => resolve({ status: response.statusCode ?? 0 }));
        response.on('error', (error) => resolve({ error: error.message }));
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error) => resolve({ error: error.message }));
    request.end(body);
  });
}
