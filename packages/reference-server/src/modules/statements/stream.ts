/**
 * Plumbing shared by the renderers: each produces its output as an async generator of chunks and
 * hands it to `pipeline`, which writes them to the destination as fast as it takes them (the generator
 * is not resumed while the destination's buffer is full), ends it, and on any failure — a line that
 * does not add up, the client going away — destroys both sides, so the line source's `return()` runs
 * (closing a database cursor) and a half-written statement is never ended as if it were complete.
 */
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Bytes gathered before a chunk is handed on: big enough to keep per-chunk costs small, small enough not to matter in memory. */
export const CHUNK_BYTES = 64 * 1024;

/** Writes every chunk `source` yields to `out`, then ends `out`. Rejects, destroying `out`, if either side fails. */
export async function writeChunks(source: AsyncIterable<string | Uint8Array>, out: Writable): Promise<void> {
  await pipeline(Readable.from(source, { objectMode: false }), out);
}

/** Joins small strings into chunks of about CHUNK_BYTES (counting UTF-16 units, close enough for a batch size). */
export class ChunkBuffer {
  private parts: string[] = [];
  private size = 0;

  add(text: string): void {
    this.parts.push(text);
    this.size += text.length;
  }

  get full(): boolean {
    return this.size >= CHUNK_BYTES;
  }

  /** Everything added since the last take, as one string (empty when nothing was added). */
  take(): string {
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    return text;
  }
}
