import type { TestBank } from '../../src/testing/index.ts';

/** Reads an SSE stream until `count` events arrived (or the time is up), then disconnects. */
export async function readStream(
  bank: Pick<TestBank, 'url'>,
  token: string,
  count: number,
  headers: Record<string, string> = {},
  timeoutMs = 8_000,
): Promise<{ status: number; events: { id: string; type: string; data: { id: string } }[] }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const res = await fetch(`${bank.url}/v1/events/stream`, {
    headers: { authorization: `Bearer ${token}`, ...headers },
    signal: controller.signal,
  });
  const events: { id: string; type: string; data: { id: string } }[] = [];
  if (res.status !== 200 || !res.body) {
    clearTimeout(timer);
    return { status: res.status, events };
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    while (events.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(
          block
            .split('\n')
            .filter((line) => line && !line.startsWith(':'))
            .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
        );
        if (fields.data)
          events.push({ id: String(fields.id), type: String(fields.event), data: JSON.parse(fields.data) });
        end = buffer.indexOf('\n\n');
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return { status: res.status, events };
}
