import { Wekeza } from '@wekeza/sdk';
import { describe, expect, it } from 'vitest';
import { MockBank } from '../mock/bank.ts';
import { StaffMock } from '../mock/staff.ts';
import { setStaffMockLoader } from '../mock/staff-hook.ts';
import { checkInclusion } from './audit-proof.ts';

setStaffMockLoader(async () => new StaffMock());

function client(bank: MockBank): Wekeza {
  return new Wekeza({
    baseUrl: 'https://mock.wekeza.invalid',
    auth: { token: 't' },
    fetch: bank.fetch,
    maxRetries: 0,
  });
}

describe('checkInclusion (the audit log widget’s in-browser proof check)', () => {
  it('when every event of the mock log is checked, then each verifies against the signed checkpoint', async () => {
    const wekeza = client(new MockBank());
    const events = (await wekeza.auditEvents.list({ limit: 100 })).data;
    expect(events.length).toBeGreaterThan(3);
    for (const event of events) {
      const result = await checkInclusion(wekeza, event);
      expect(result, event.id).toMatchObject({
        status: 'verified',
        treeSize: events.length,
        keyId: 'mock-key-1',
      });
    }
  });

  it('when an event is shown with a changed field, then the check fails and says the leaf differs', async () => {
    const wekeza = client(new MockBank());
    const [event] = (await wekeza.auditEvents.list({ limit: 1 })).data;
    if (!event) throw new Error('no event');
    const altered = { ...event, reason: 'something else' };
    await expect(checkInclusion(wekeza, altered)).resolves.toEqual({
      status: 'failed',
      reason: 'leaf hash differs from the event as shown',
    });
  });

  it('when the checkpoint is signed by a key the bank does not publish, then the check fails', async () => {
    const bank = new MockBank();
    const wekeza = client(bank);
    const [event] = (await wekeza.auditEvents.list({ limit: 1 })).data;
    if (!event) throw new Error('no event');
    const original = bank.fetch;
    const forged: typeof fetch = async (input, init) => {
      const url = new Request(input, init).url;
      if (url.endsWith('/v1/audit/public-keys')) {
        const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
          'sign',
          'verify',
        ])) as CryptoKeyPair;
        const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
        return new Response(JSON.stringify({ keys: [{ ...jwk, kid: 'mock-key-1' }] }), {
          headers: { 'content-type': 'application/json' },
        });
      }
      return original(input, init);
    };
    const result = await checkInclusion(
      new Wekeza({
        baseUrl: 'https://mock.wekeza.invalid',
        auth: { token: 't' },
        fetch: forged,
        maxRetries: 0,
      }),
      event,
    );
    expect(result.status).toBe('failed');
  });
});
