/** One HTTP exchange as the client hands it to a transport. */
export interface HttpRequest {
  /** Absolute URL. */
  url: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers: Record<string, string>;
  /** JSON text, when there is a body. */
  body?: string | undefined;
  /** Fires on timeout or when the caller aborts; the transport must stop (reading the body too). */
  signal: AbortSignal;
}

/** What a transport answers: a status, the headers and the body text. */
export interface HttpResponse {
  status: number;
  headers: Headers;
  text(): Promise<string>;
  /**
   * The body as a web stream, unread (file downloads: statements). A transport without it (and
   * without `arrayBuffer`) cannot download files; JSON calls need `text()` only.
   */
  body?: ReadableStream<Uint8Array> | null;
  /** The whole body as bytes (used by downloads when there is no `body` stream). */
  arrayBuffer?(): Promise<ArrayBuffer>;
}

/**
 * The transport the client speaks through (Stripe `HttpClient` style). Throw (anything) when no
 * response arrives; the client maps that to ConnectionError, TimeoutError or AbortError.
 */
export interface HttpClient {
  request(request: HttpRequest): Promise<HttpResponse>;
}

/** The default transport: the platform's `fetch` (Node 20, browsers, workers), or the one given. */
export class FetchHttpClient implements HttpClient {
  readonly #fetch: typeof fetch | undefined;

  constructor(fetchImpl?: typeof fetch) {
    this.#fetch = fetchImpl;
  }

  async request(request: HttpRequest): Promise<HttpResponse> {
    // Looked up per call (polyfills installed later work) and called unbound (window.fetch needs it).
    const fetchFn = this.#fetch ?? globalThis.fetch;
    const response = await fetchFn(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body ?? null,
      signal: request.signal,
    });
    return {
      status: response.status,
      headers: response.headers,
      text: () => response.text(),
      body: response.body,
      arrayBuffer: () => response.arrayBuffer(),
    };
  }
}
