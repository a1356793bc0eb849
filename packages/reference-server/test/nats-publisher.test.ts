/**
 * The events outbox published to NATS JetStream (NATS_URL), against the machine's real NATS server:
 * one subject per event type, message id = event id, at least once with JetStream dropping the
 * copies, events that commit out of id order, a publisher that restarts, and NATS itself restarting
 * in the middle of the load.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.ts';
import type { NatsConfig } from '../src/config.ts';
import { newId } from '../src/ids.ts';
import { NatsEventPublisher, subjectOf } from '../src/modules/events/nats-publisher.ts';
import { startTestBank, type TestBank, testDialects } from '../src/testing/index.ts';
import { fund, login, newCustomer } from './support/http.ts';
import { testService } from './support/services.ts';

const natsUrl = await testService('nats');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every message in the stream: subject, message id and body. */
async function streamContents(nc: NatsConnection, stream: string) {
  const jsm = await jetstreamManager(nc);
  const consumer = await jsm.consumers.add(stream, {
    ack_policy: AckPolicy.None,
    deliver_policy: DeliverPolicy.All,
    inactive_threshold: 30_000_000_000,
  });
  const expected = (await jsm.streams.info(stream)).state.messages;
  const messages: { subject: string; msgId: string | undefined; body: { id: string; type: string } }[] = [];
  const c = await jetstream(nc).consumers.get(stream, consumer.name);
  while (messages.length < expected) {
    const batch = await c.fetch({ max_messages: 500, expires: 2_000 });
    let got = 0;
    for await (const m of batch) {
      got += 1;
      messages.push({ subject: m.subject, msgId: m.headers?.get('Nats-Msg-Id'), body: m.json() });
    }
    if (got === 0) break;
  }
  await jsm.consumers.delete(stream, consumer.name);
  return messages;
}

async function recordEvents(bank: TestBank, n: number, type = 'test.ping'): Promise<string[]> {
  return bank.db.sqlTransaction((tx) =>
    bank.services.events.recordAll(
      tx,
      Array.from({ length: n }, (_, i) => ({ type, customerId: null, data: { i } })),
    ),
  );
}

/** Restarts the machine's NATS server as the environment starts it, and waits until it answers. */
async function restartNats(): Promise<void> {
  execFileSync('start-stop-daemon', [
    '--stop',
    '--oknodo',
    '--retry',
    'TERM/10/KILL/5',
    '--exec',
    '/usr/sbin/nats-server',
  ]);
  await sleep(300);
  startNats();
  for (let i = 0; i < 100; i++) {
    if (await testService('nats').catch(() => undefined)) return;
    await sleep(100);
  }
  throw new Error('NATS did not come back');
}

function startNats(): void {
  execFileSync('start-stop-daemon', [
    '--start',
    '--oknodo',
    '--background',
    '--exec',
    '/usr/sbin/nats-server',
    '--',
    '-a',
    '127.0.0.1',
    '-p',
    '4222',
    '-js',
    '-sd',
    '/var/lib/nats-server',
    '-l',
    '/var/log/nats-server.log',
  ]);
}

describe.skipIf(!natsUrl).each(testDialects())('events to NATS JetStream on %s', (dialect) => {
  let bank: TestBank;
  let nc: NatsConnection;
  const tag = `t${process.pid}${randomUUID().slice(0, 6)}`;
  const config: NatsConfig = {
    url: natsUrl as string,
    stream: `WEKEZA_TEST_${tag}`,
    subjectPrefix: `wekeza-test.${tag}`,
    intervalMs: 100,
    safetyWindowMs: 60_000,
  };
  const failures: unknown[] = [];
  const publisher = (options = {}) =>
    new NatsEventPublisher(
      bank.db,
      bank.services.leases,
      systemClock,
      config,
      { published: () => {}, failed: (error) => failures.push(error) },
      options,
    );

  beforeAll(async () => {
    bank = await startTestBank(dialect);
    nc = await connect({ servers: natsUrl, maxReconnectAttempts: -1, reconnectTimeWait: 200 });
  });
  afterAll(async () => {
    startNats(); // whatever happened, NATS is left running for everyone else
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.delete(config.stream).catch(() => {});
    } finally {
      await nc?.close().catch(() => {});
      await bank?.stop();
    }
  });

  it('when money moves, then every event reaches JetStream once, on its type’s subject, with message id = event id', async () => {
    const admin = await login(bank, 'admin@sandbox.test');
    const a = await newCustomer(bank);
    const b = await newCustomer(bank);
    await fund(admin, a.walletId, '100.00');
    for (let i = 0; i < 3; i++)
      await a.http.post('/v1/transfers', {
        from_account_id: a.walletId,
        to_account_id: b.walletId,
        amount: { amount: '1.00', currency: 'KES' },
      });
    const p = publisher();
    try {
      await p.publishPending();
      await p.publishPending(); // a second pass publishes nothing new
    } finally {
      await p.stop();
    }
    const events = await bank.db.prisma.event.findMany({ orderBy: { id: 'asc' } });
    expect(events.some((e) => e.type === 'transfer.completed')).toBe(true);
    const messages = await streamContents(nc, config.stream);
    expect(messages.map((m) => m.msgId).sort()).toEqual(events.map((e) => e.id));
    for (const m of messages) {
      expect(m.msgId).toBe(m.body.id);
      expect(m.subject).toBe(subjectOf(config.subjectPrefix, m.body.type));
    }
    expect(subjectOf('wekeza.events', 'transfer.created')).toBe('wekeza.events.transfer.created');
    expect(subjectOf('p', 'odd type*>')).toBe('p.odd_type__');
  });

  it('when an event commits after later ones were published (out of id order), then it is published too; and a restarted publisher’s copies are dropped by JetStream', async () => {
    const early = newId('evt'); // made first …
    await recordEvents(bank, 5);
    const p = publisher();
    try {
      await p.publishPending(); // … the cursor passes it while it is not committed …
      await bank.db.sql.$executeRawUnsafe(
        'INSERT INTO events (id, type, customer_id, data, created_at) VALUES (?, ?, ?, ?, ?)',
        early,
        'test.late',
        null,
        '{}',
        new Date(),
      ); // … and it commits now.
      await p.publishPending();
    } finally {
      await p.stop();
    }
    let messages = await streamContents(nc, config.stream);
    expect(messages.filter((m) => m.msgId === early)).toHaveLength(1);
    const before = messages.length;

    // A new publisher (a restart, or another instance taking over) publishes its safety window again.
    const again = publisher();
    try {
      expect(await again.publishPending()).toBeGreaterThan(0);
    } finally {
      await again.stop();
    }
    messages = await streamContents(nc, config.stream);
    expect(messages).toHaveLength(before);
    expect(new Set(messages.map((m) => m.msgId)).size).toBe(messages.length);
    expect(await again.backlog()).toBe(0);
  });

  it('when NATS restarts in the middle of the load, then afterwards every event is in the stream exactly once', async () => {
    const p = publisher({ publishTimeoutMs: 1_000 });
    failures.length = 0;
    p.start(() => {});
    let stop = false;
    const load = (async () => {
      while (!stop) {
        await recordEvents(bank, 5, 'test.load');
        await sleep(20);
      }
    })();
    try {
      await sleep(800);
      await restartNats();
      await sleep(800);
    } finally {
      stop = true;
      await load;
    }
    // Until the publisher has caught up with everything recorded.
    for (let i = 0; i < 200 && (await p.backlog()) > 0; i++) await sleep(100);
    await p.publishPending();
    await p.stop();
    const events = await bank.db.prisma.event.findMany({ select: { id: true }, orderBy: { id: 'asc' } });
    const messages = await streamContents(nc, config.stream);
    expect(messages.map((m) => m.msgId).sort()).toEqual(events.map((e) => e.id));
    expect(failures.length).toBeGreaterThan(0); // NATS really was away for a while
  });
});
