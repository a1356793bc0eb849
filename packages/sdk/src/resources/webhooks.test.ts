import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { Webhooks, WebhookVerificationError } from './webhooks.ts';

const secret = `whsec_${Buffer.from('a 24-byte test secret!!!').toString('base64')}`;
const body = JSON.stringify({
  type: 'deposit.succeeded',
  timestamp: '2026-03-02T08:15:00.000Z',
  data: { deposit_id: 'dep_1', amount: { amount: '250.00', currency: 'KES' } },
});
const webhooks = new Webhooks();

describe('Standard Webhooks verification', () => {
  it('when the official library signs a delivery, then unwrap accepts it and answers the event in SDK form', async () => {
    const at = new Date();
    const signature = new Webhook(secret).sign('evt_1', at, body);
    const event = await webhooks.unwrap(
      body,
      {
        'webhook-id': 'evt_1',
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': signature,
      },
      secret,
    );
    expect(event.id).toBe('evt_1');
    expect(event.type).toBe('deposit.succeeded');
    expect(event.data.depositId).toBe('dep_1');
    expect(String(event.data.amount)).toContain('250.00');
  });

  it('when the SDK signs a delivery, then the official library verifies it (property over ids, times and bodies)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[A-Za-z0-9_]{1,40}$/),
        fc.integer({ min: 1_700_000_000, max: 2_000_000_000 }),
        fc.jsonValue().map((data) => JSON.stringify({ type: 'a.b', timestamp: 't', data })),
        async (id, seconds, payload) => {
          const at = new Date(seconds * 1000);
          const signature = await webhooks.sign(id, at, payload, secret);
          expect(signature).toBe(new Webhook(secret).sign(id, at, payload));
        },
      ),
      { numRuns: 100 },
    );
    const at = new Date();
    const headers = new Headers({
      'webhook-id': 'evt_2',
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': await webhooks.sign('evt_2', at, body, secret),
    });
    expect(new Webhook(secret).verify(body, Object.fromEntries(headers))).toMatchObject({
      type: 'deposit.succeeded',
    });
    expect((await webhooks.unwrap(body, headers, secret)).id).toBe('evt_2');
  });

  it('when the body, id, time, secret or signature is not the one signed, then unwrap refuses it', async () => {
    const at = new Date();
    const good = {
      'webhook-id': 'evt_3',
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign('evt_3', at, body),
    };
    const other = `whsec_${Buffer.from('another secret of 24 by.').toString('base64')}`;
    const old = new Date(at.getTime() - 10 * 60_000);
    const cases: [string, Record<string, string>, string][] = [
      [body.replace('250.00', '2500.00'), good, secret],
      [body, { ...good, 'webhook-id': 'evt_4' }, secret],
      [body, good, other],
      [body, { ...good, 'webhook-signature': 'v2,abc' }, secret],
      [body, { ...good, 'webhook-signature': '' }, secret],
      [
        body,
        {
          'webhook-id': 'evt_3',
          'webhook-timestamp': String(Math.floor(old.getTime() / 1000)),
          'webhook-signature': new Webhook(secret).sign('evt_3', old, body),
        },
        secret,
      ],
      [
        'not json',
        { ...good, 'webhook-signature': new Webhook(secret).sign('evt_3', at, 'not json') },
        secret,
      ],
    ];
    for (const [payload, headers, key] of cases)
      await expect(webhooks.unwrap(payload, headers, key)).rejects.toBeInstanceOf(WebhookVerificationError);
  });

  it('when a delivery carries several signatures (a rotated secret), then one that matches is enough', async () => {
    const at = new Date();
    const valid = new Webhook(secret).sign('evt_5', at, body);
    const event = await webhooks.unwrap(
      body,
      {
        'webhook-id': 'evt_5',
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': `v1,AAAA ${valid}`,
      },
      secret,
    );
    expect(event.id).toBe('evt_5');
  });
});
