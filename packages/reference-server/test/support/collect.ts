import { Writable } from 'node:stream';

/** A Writable that keeps everything written to it, for reading a rendered statement back in a test. */
export function collector(): { out: Writable; bytes(): Buffer; text(): string; ended(): boolean } {
  const chunks: Buffer[] = [];
  let finished = false;
  const out = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
    final(callback) {
      finished = true;
      callback();
    },
  });
  return {
    out,
    bytes: () => Buffer.concat(chunks),
    text: () => Buffer.concat(chunks).toString('utf8'),
    ended: () => finished,
  };
}
