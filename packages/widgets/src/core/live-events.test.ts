import { describe, expect, it } from 'vitest';
import { createMockClient, MockBank } from '../mock/index.ts';
import {
  type LiveEvent,
  LiveEvents,
  type LiveStatus,
  liveEventsFor,
  matchesEventType,
} from './live-events.ts';

const event = (n: number, type = 'deposit.succeeded'): LiveEvent => ({
  id: `evt_${n}`,
  type,
  createdAt: '2026-01-01T00:00:00.000Z',
  data: {},
});

/** A client whose stream yields `batches[i]` on the i-th opening, then fails (a refusal). */
function fakeClient(batches: LiveEvent[][]) {
  const calls: { lastEventId?: string | undefined; signal?: AbortSignal | undefined }[] = [];
  return {
    calls,
    events: {
      async *stream(options: { lastEventId?: string; signal?: AbortSignal } = {}) {
        calls.push({ lastEventId: options.lastEventId, signal: options.signal });
        for (const e of batches[calls.length - 1] ?? []) yield e;
        if (calls.length > batches.length) {
          // The last opening stays open until aborted.
          await new Promise<void>((resolve) => options.signal?.addEventListener('abort', () => resolve()));
          return;
        }
        throw Object.assign(new Error('refused'), { status: 401 });
      },
    },
  };
}

const until = async (check: () => boolean) => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > 3000) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('LiveEvents (one shared stream per client)', () => {
  it('when the stream is refused, then it reports unavailable and opens again after the last event it saw', async () => {
    const client = fakeClient([[event(1), event(2)], [event(3)]]);
    const hub = new LiveEvents(client);
    hub.retryMs = 10;
    const seen: string[] = [];
    const statuses: LiveStatus[] = [];
    const stop = hub.subscribe({ event: (e) => seen.push(e.id), status: (s) => statuses.push(s) });
    await until(() => client.calls.length === 3);
    expect(seen).toEqual(['evt_1', 'evt_2', 'evt_3']);
    expect(client.calls.map((c) => c.lastEventId)).toEqual([undefined, 'evt_2', 'evt_3']);
    expect(statuses).toContain('unavailable');
    expect(statuses).toContain('open');
    stop();
    expect(client.calls[2]?.signal?.aborted).toBe(true);
    expect(hub.status).toBe('idle');
  });

  it('when several widgets listen, then one stream serves them all and the last one out closes it', async () => {
    const client = fakeClient([]);
    const hub = liveEventsFor(client);
    expect(liveEventsFor(client)).toBe(hub);
    const a = hub.subscribe({});
    const b = hub.subscribe({});
    await until(() => client.calls.length === 1);
    a();
    expect(client.calls[0]?.signal?.aborted).toBe(false);
    b();
    expect(client.calls[0]?.signal?.aborted).toBe(true);
    expect(client.calls).toHaveLength(1);
  });

  it('when a client cannot stream, then it is unavailable at once', () => {
    const statuses: LiveStatus[] = [];
    new LiveEvents({}).subscribe({ status: (s) => statuses.push(s) });
    expect(statuses).toEqual(['idle', 'unavailable']);
  });

  it('matches exact types and prefixes', () => {
    expect(matchesEventType('withdrawal.failed', ['withdrawal.'])).toBe(true);
    expect(matchesEventType('deposit.failed', ['deposit.succeeded'])).toBe(false);
  });
});

describe("mock mode's event stream (Server-Sent Events through the SDK)", () => {
  it('when a reader resumes with Last-Event-ID, then it gets exactly the events after it', async () => {
    const bank = new MockBank({ railDelayMs: 0 });
    bank.rails.publish('deposit.succeeded', { n: 1 });
    bank.rails.publish('withdrawal.failed', { n: 2 });
    bank.rails.publish('transfer.completed', { n: 3 });
    const client = createMockClient(bank);
    const controller = new AbortController();
    const resumed: string[] = [];
    const [first] = bank.rails.events;
    for await (const e of client.events.stream({
      lastEventId: first?.id as string,
      signal: controller.signal,
    })) {
      resumed.push(e.type);
      if (resumed.length === 2) controller.abort();
    }
    expect(resumed).toEqual(['withdrawal.failed', 'transfer.completed']);
    await until(() => bank.rails.openStreams === 0);
  });
});
