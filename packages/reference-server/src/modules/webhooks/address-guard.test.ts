import { describe, expect, it } from 'vitest';
import { checkUrlForm, isPublicAddress, resolveSafely, UnsafeUrlError } from './address-guard.ts';

const production = { allowLoopback: false };
const sandbox = { allowLoopback: true };

describe('where webhooks may go', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '198.18.0.1',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '2001:db8::1',
    '64:ff9b::a00:1',
  ])('when the address is %s, then it is not public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['8.8.8.8', '196.201.214.200', '2606:4700:4700::1111', '::ffff:8.8.4.4'])(
    'when the address is %s, then it is public',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );

  it('when production is given http, credentials, loopback or a private literal, then the URL is refused', async () => {
    expect(() => checkUrlForm('http://8.8.8.8/hook', production)).toThrow(UnsafeUrlError);
    expect(() => checkUrlForm('https://user:pw@8.8.8.8/hook', production)).toThrow(UnsafeUrlError);
    expect(() => checkUrlForm('ftp://8.8.8.8/hook', production)).toThrow(UnsafeUrlError);
    expect(() => checkUrlForm('http://127.0.0.1:8080/hook', production)).toThrow(UnsafeUrlError);
    for (const url of [
      'https://127.0.0.1/h',
      'https://10.0.0.5/h',
      'https://[::1]/h',
      'https://[::ffff:192.168.0.1]/h',
      'https://localhost/h',
    ])
      await expect(resolveSafely(new URL(url), production)).rejects.toThrow(UnsafeUrlError);
    await expect(resolveSafely(new URL('https://8.8.8.8/h'), production)).resolves.toEqual({
      address: '8.8.8.8',
      family: 4,
    });
  });

  it('when the sandbox is given http://127.0.0.1, then it is allowed; other loopback names and private ranges are not', async () => {
    expect(checkUrlForm('http://127.0.0.1:4000/hook', sandbox).port).toBe('4000');
    await expect(resolveSafely(new URL('http://127.0.0.1:4000/hook'), sandbox)).resolves.toEqual({
      address: '127.0.0.1',
      family: 4,
    });
    expect(() => checkUrlForm('http://localhost:4000/hook', sandbox)).toThrow(UnsafeUrlError);
    await expect(resolveSafely(new URL('https://localhost/hook'), sandbox)).rejects.toThrow(UnsafeUrlError);
    await expect(resolveSafely(new URL('https://192.168.0.10/hook'), sandbox)).rejects.toThrow(
      UnsafeUrlError,
    );
  });
});
