import { describe, expect, it } from 'vitest';
import { CallbackGuard } from './callback-guard.ts';

describe('the rail callback guard', () => {
  const guard = new CallbackGuard('a-long-deployment-secret', {
    mpesa: ['196.201.214.200', '196.201.212.0/24', '::1/128'],
    rtgs: [],
  });

  it('when the token is the deployment secret, then it matches; any other (shorter, longer, case) does not', () => {
    expect(guard.tokenMatches('a-long-deployment-secret')).toBe(true);
    for (const wrong of [
      '',
      'a',
      'a-long-deployment-secre',
      'a-long-deployment-secret!',
      'A-LONG-DEPLOYMENT-SECRET',
    ])
      expect(guard.tokenMatches(wrong)).toBe(false);
  });

  it('when the caller is in the allow-list (address, CIDR, IPv4-mapped IPv6), then it passes; else not', () => {
    expect(guard.addressAllowed('mpesa', '196.201.214.200')).toBe(true);
    expect(guard.addressAllowed('mpesa', '::ffff:196.201.212.138')).toBe(true);
    expect(guard.addressAllowed('mpesa', '::1')).toBe(true);
    expect(guard.addressAllowed('mpesa', '196.201.214.201')).toBe(false);
    expect(guard.addressAllowed('mpesa', '127.0.0.1')).toBe(false);
    expect(guard.addressAllowed('mpesa', undefined)).toBe(false);
    expect(guard.addressAllowed('mpesa', 'not-an-ip')).toBe(false);
    expect(guard.addressAllowed('rtgs', '196.201.214.200')).toBe(false);
    expect(guard.addressAllowed('card', '196.201.214.200')).toBe(false);
  });

  it('when the allow-list holds something that is not an address, then the guard refuses to start', () => {
    expect(() => new CallbackGuard('t', { mpesa: ['safaricom.co.ke'] })).toThrow(/not an IP/);
    expect(() => new CallbackGuard('t', { mpesa: ['10.0.0.0/33'] })).toThrow(/CIDR/);
  });
});
