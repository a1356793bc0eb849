import { WekezaError } from './errors.ts';
import type { HttpResponse } from './http.ts';

/**
 * A file the API answered (a statement as CSV, PDF or camt.053), not yet read: read it once, as a
 * stream or whole. Works the same in browsers, Node 20+ and workers (web streams, no `node:*`):
 *
 * ```ts
 * // Node: stream it to disk without holding it in memory
 * import { Readable } from 'node:stream';
 * import { pipeline } from 'node:stream/promises';
 * await pipeline(Readable.fromWeb(file.stream()), createWriteStream(file.fileName ?? 'statement.pdf'));
 * // Browser: offer it as a download
 * const url = URL.createObjectURL(await file.blob());
 * ```
 */
export class Download {
  /** The media type, e.g. `application/pdf`, `text/csv; charset=utf-8; header=present`. */
  readonly contentType: string;
  /** The file name the server suggests (Content-Disposition), e.g. `statement-acc_…-2025-03-01-2025-03-31.pdf`. */
  readonly fileName: string | undefined;
  /** The request id, for support. */
  readonly requestId: string | undefined;
  readonly #response: HttpResponse;
  #used = false;

  constructor(response: HttpResponse) {
    this.#response = response;
    this.contentType = response.headers.get('content-type') ?? 'application/octet-stream';
    this.fileName = fileNameOf(response.headers.get('content-disposition'));
    this.requestId = response.headers.get('x-request-id') ?? undefined;
  }

  /** The body as a web ReadableStream of bytes, read as it arrives. */
  stream(): ReadableStream<Uint8Array> {
    this.#take();
    const body = this.#response.body;
    if (body) return body;
    const { arrayBuffer } = this.#response;
    if (!arrayBuffer) throw noBody();
    const read = arrayBuffer.call(this.#response);
    return new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(new Uint8Array(await read));
        controller.close();
      },
    });
  }

  /** The whole body in memory. */
  async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    const body = this.#response.body;
    if (!body && this.#response.arrayBuffer) {
      this.#take();
      return new Uint8Array(await this.#response.arrayBuffer());
    }
    return new Uint8Array(await new Response(this.stream()).arrayBuffer());
  }

  /** The whole body as a Blob of `contentType` (for `URL.createObjectURL` in a browser). */
  async blob(): Promise<Blob> {
    return new Blob([await this.bytes()], { type: this.contentType });
  }

  /** The whole body as UTF-8 text (CSV, camt.053 XML, JSON). */
  async text(): Promise<string> {
    return new TextDecoder().decode(await this.bytes());
  }

  #take(): void {
    if (this.#used) throw new WekezaError('This download was already read.');
    this.#used = true;
  }
}

function noBody(): WekezaError {
  return new WekezaError('This HTTP transport cannot download files.');
}

/** `attachment; filename="x.pdf"` (or RFC 6266 `filename*=UTF-8''x.pdf`) → `x.pdf`. */
export function fileNameOf(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // fall through to the plain form
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/i.exec(disposition);
  const name = plain?.[1] ?? plain?.[2]?.trim();
  return name || undefined;
}
