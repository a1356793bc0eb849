import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What sending a message came to. */
export type SendResult =
  | { status: 'sent' }
  | { status: 'refused'; reason: string }
  | { status: 'unknown'; reason: string };

/**
 * How ISO 20022 messages reach the RTGS and come back: a folder the bank's RTGS gateway picks up
 * from (and drops status reports into), or an HTTP endpoint of a gateway (status reports then
 * arrive at `POST /v1/rails/rtgs/status-report/{token}`).
 */
export interface RtgsTransport {
  readonly description: string;
  send(name: string, xml: string): Promise<SendResult>;
  /** Status reports waiting in the transport (folder transports); each is `ack`ed once read. */
  receive?(): Promise<{ name: string; xml: string }[]>;
  ack?(name: string): Promise<void>;
}

/**
 * `<dir>/outbox/` for what we send (written to a temporary name, then renamed, so the gateway
 * never reads half a file), `<dir>/inbox/` for pacs.002 reports, moved to `<dir>/processed/`.
 */
export class FolderTransport implements RtgsTransport {
  constructor(private readonly dir: string) {}

  get description(): string {
    return `folder ${this.dir}`;
  }

  async send(name: string, xml: string): Promise<SendResult> {
    try {
      const outbox = join(this.dir, 'outbox');
      await mkdir(outbox, { recursive: true });
      const temporary = join(outbox, `.${name}.tmp`);
      await writeFile(temporary, xml, { flag: 'wx' });
      await rename(temporary, join(outbox, name));
      return { status: 'sent' };
    } catch (error) {
      // The file may or may not be there for the gateway: unknown, never a failure.
      return { status: 'unknown', reason: (error as Error).message };
    }
  }

  async receive(): Promise<{ name: string; xml: string }[]> {
    const inbox = join(this.dir, 'inbox');
    await mkdir(inbox, { recursive: true });
    const names = (await readdir(inbox)).filter((n) => n.endsWith('.xml')).sort();
    return Promise.all(names.map(async (name) => ({ name, xml: await readFile(join(inbox, name), 'utf8') })));
  }

  async ack(name: string): Promise<void> {
    const processed = join(this.dir, 'processed');
    await mkdir(processed, { recursive: true });
    await rename(join(this.dir, 'inbox', name), join(processed, name));
  }
}

/** POSTs each message as `application/xml` to a gateway URL. */
export class HttpTransport implements RtgsTransport {
  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
    private readonly headers: Record<string, string> = {},
  ) {}

  get description(): string {
    return `HTTP ${new URL(this.url).origin}`;
  }

  async send(name: string, xml: string): Promise<SendResult> {
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/xml', 'X-Message-Name': name, ...this.headers },
        body: xml,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await res.arrayBuffer();
      if (res.ok) return { status: 'sent' };
      // The gateway read the message and refused it (schema, unknown agent): it will not settle.
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429)
        return { status: 'refused', reason: `gateway refused the message (HTTP ${res.status})` };
      return { status: 'unknown', reason: `HTTP ${res.status}` };
    } catch (error) {
      return { status: 'unknown', reason: (error as Error).message };
    }
  }
}

/** `folder:/path` or an `http(s)://` URL (WEKEZA_RTGS_TRANSPORT). */
export function transportFrom(spec: string, timeoutMs: number): RtgsTransport {
  if (spec.startsWith('folder:')) return new FolderTransport(spec.slice('folder:'.length));
  if (/^https?:\/\//.test(spec)) return new HttpTransport(spec, timeoutMs);
  throw new Error(`WEKEZA_RTGS_TRANSPORT must be folder:/path or an http(s) URL, got "${spec}"`);
}
