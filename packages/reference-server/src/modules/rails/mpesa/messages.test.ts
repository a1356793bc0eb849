import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RailsSimulator } from '../../../simulators/server.ts';
import { DarajaClient } from './daraja.ts';
import {
  amountFromMpesa,
  canonicalPhone,
  darajaTimestamp,
  mpesaAmountProblem,
  stkPassword,
} from './messages.ts';

describe('M-Pesa message rules', () => {
  it('when an amount has cents, then M-Pesa refuses it; whole shillings from 1 to 250,000 pass (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 30_000_000n }), (minor) => {
        const whole = minor % 100n === 0n && minor <= 25_000_000n;
        expect(mpesaAmountProblem(minor, 'KES') === undefined).toBe(whole);
      }),
    );
    expect(mpesaAmountProblem(100n, 'USD')).toMatch(/KES/);
  });

  it.each([
    ['0712345678', '254712345678'],
    ['+254712345678', '254712345678'],
    ['254 712 345 678', '254712345678'],
    ['0110000001', '254110000001'],
    ['0812345678', undefined],
    ['+25571234567', undefined],
    ['07123456789', undefined],
  ])('when the phone is %s, then Daraja gets %s', (phone, canonical) => {
    expect(canonicalPhone(phone)).toBe(canonical);
  });

  it('when Daraja writes an amount as 1, 1.00 or "10.00", then it is read to the cent; anything else is refused', () => {
    expect(amountFromMpesa(1)).toBe(100n);
    expect(amountFromMpesa('10.00')).toBe(1000n);
    expect(amountFromMpesa(12.5)).toBe(1250n);
    for (const junk of [-1, 0, '1e3', 'abc', null, undefined, Number.NaN, '10.001'])
      expect(amountFromMpesa(junk)).toBeUndefined();
  });

  it('when the STK password is made, then it is base64(shortcode + passkey + timestamp) with an EAT timestamp', () => {
    const timestamp = darajaTimestamp(new Date('2026-01-31T21:30:05Z'));
    expect(timestamp).toBe('20260201003005');
    expect(Buffer.from(stkPassword('174379', 'key', timestamp), 'base64').toString()).toBe(
      `174379key${timestamp}`,
    );
  });
});

describe('the Daraja client against the simulator', () => {
  const config = {
    consumerKey: 'k',
    consumerSecret: 's',
    shortcode: '174379',
    passkey: 'p',
    b2cShortcode: '600000',
    initiatorName: 'api',
    securityCredential: 'c',
  };
  const simulator = new RailsSimulator(config, () => {});
  beforeAll(async () => {
    await simulator.listen(0);
  });
  afterAll(async () => {
    await simulator.close();
  });

  it('when many calls go out at once, then they share one cached OAuth token', async () => {
    const client = new DarajaClient(
      { ...config, baseUrl: simulator.url, timeoutMs: 5_000 },
      { now: () => new Date() },
    );
    const replies = await Promise.all(
      Array.from({ length: 5 }, () =>
        client.stkPush({
          amount: 10,
          phone: '254712341037',
          callbackUrl: 'http://127.0.0.1:9/x',
          accountReference: 'r',
          description: 'd',
        }),
      ),
    );
    expect(replies.every((r) => r.kind === 'ok')).toBe(true);
    expect(client.tokensFetched).toBe(1);
  });

  it('when the token is about to expire, then a new one is fetched first', async () => {
    let now = Date.now();
    const client = new DarajaClient(
      { ...config, baseUrl: simulator.url, timeoutMs: 5_000 },
      { now: () => new Date(now) },
    );
    await client.accessToken();
    now += 3_540_000; // 59 minutes: within the last minute of a 3599 s token
    await client.accessToken();
    expect(client.tokensFetched).toBe(2);
  });

  it('when the consumer secret is wrong, then calls answer "unknown" (never a refusal of the payment itself)', async () => {
    const client = new DarajaClient(
      { ...config, consumerSecret: 'wrong', baseUrl: simulator.url, timeoutMs: 5_000 },
      { now: () => new Date() },
    );
    const reply = await client.b2c({
      originatorConversationId: 'o1',
      amount: 10,
      phone: '254712345678',
      resultUrl: 'http://127.0.0.1:9/r',
      timeoutUrl: 'http://127.0.0.1:9/t',
      remarks: 'r',
    });
    expect(reply.kind).toBe('unknown');
  });

  it('when Daraja refuses a request (a bad password), then the client says refused with its errorCode', async () => {
    const client = new DarajaClient(
      { ...config, passkey: 'other', baseUrl: simulator.url, timeoutMs: 5_000 },
      { now: () => new Date() },
    );
    const reply = await client.stkPush({
      amount: 10,
      phone: '254712345678',
      callbackUrl: 'http://127.0.0.1:9/x',
      accountReference: 'r',
      description: 'd',
    });
    expect(reply).toMatchObject({ kind: 'refused', code: '400.002.02' });
  });
});
