import type { Wekeza } from '../client.ts';
import { APIError } from '../core/errors.ts';
import type { ListParams, PagePromise } from '../core/pagination.ts';
import type { RequestOptions } from '../core/request-options.ts';
import { fromWire } from '../internal/case.ts';
import { sleep } from '../internal/retry.ts';

/** Something that happened to the customer's money or sign-in (`transfer.completed`, `mfa.totp_enabled`, …). */
export interface Event {
  id: string;
  type: string;
  createdAt: string;
  data: Record<string, unknown>;
}

/** `/v1/events` (customers and their widgets). */
export class Events {
  constructor(private readonly client: Wekeza) {}

  /** Your own events, newest first. */
  list(params?: ListParams, options?: RequestOptions): PagePromise<Event> {
    return this.client._list<Event>('/v1/events', (c) => c.EventList, params, options);
  }

  /**
   * Your events as they happen, read from `GET /v1/events/stream` over `fetch` (browsers and Node
   * alike; the browser's EventSource cannot send the Authorization header). When the connection
   * ends (the token's expiry, the network), it reconnects with a fresh token and `Last-Event-ID`,
   * so no event is missed or repeated. Stop it with `signal` or by leaving the `for await` loop.
   *
   * ```ts
   * for await (const event of wekeza.events.stream()) if (event.type === 'deposit.succeeded') refresh();
   * ```
   */
  async *stream(options: { lastEventId?: string; signal?: AbortSignal } = {}): AsyncGenerator<Event> {
    let lastEventId = options.lastEventId;
    let retryMs = 2_000;
    const { signal } = options;
    while (!signal?.aborted) {
      let response: Response;
      try {
        response = await this.client._openStream(
          '/v1/events/stream',
          lastEventId ? { 'Last-Event-ID': lastEventId } : {},
          signal,
        );
      } catch {
        // No connection: try again after the retry delay.
        if (signal?.aborted) return;
        await sleep(retryMs, signal).catch(() => {});
        continue;
      }
      if (response.status !== 200 || !response.body) {
        const text = await response.text().catch(() => '');
        let problem: unknown;
        try {
          problem = JSON.parse(text);
        } catch {
          problem = undefined;
        }
        const p = problem as { code?: string; title?: string; status?: number } | undefined;
        // A refusal (no access, no such route) is final; a server error is retried.
        if (response.status < 500)
          throw APIError.from(
            response.status,
            p?.code && p.title
              ? (p as never)
              : {
                  type: 'about:blank',
                  title: `HTTP ${response.status}`,
                  status: response.status,
                  code: 'http_error',
                },
            response.headers,
          );
        await sleep(retryMs, signal).catch(() => {});
        continue;
      }
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      let message: { id?: string; data: string[] } = { data: [] };
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let newline = buffer.search(/\r\n|\r|\n/);
          while (newline >= 0) {
            const line = buffer.slice(0, newline);
            buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
            newline = buffer.search(/\r\n|\r|\n/);
            if (line === '') {
              if (message.data.length > 0) {
                if (message.id) lastEventId = message.id;
                yield fromWire(JSON.parse(message.data.join('\n'))) as Event;
              }
              message = { data: [] };
              continue;
            }
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'data') message.data.push(text);
            else if (field === 'id') message.id = text;
            else if (field === 'retry' && /^[0-9]+$/.test(text)) retryMs = Number(text);
          }
        }
      } catch {
        // A dropped connection: reconnect below (unless the caller stopped).
        if (signal?.aborted) return;
      } finally {
        reader.releaseLock();
        await response.body.cancel().catch(() => {});
      }
      if (signal?.aborted) return;
      await sleep(retryMs, signal).catch(() => {});
    }
  }
}
