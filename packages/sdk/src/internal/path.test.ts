import { describe, expect, it } from 'vitest';
import { WekezaError } from '../core/errors.ts';
import { path, queryString } from './path.ts';

describe('path', () => {
  it('when a segment is a plain id, then it is inserted as it is', () => {
    expect(path`/v1/accounts/${'acc_01J'}/transactions`).toBe('/v1/accounts/acc_01J/transactions');
  });

  it('when a segment holds reserved characters, then every one is percent-encoded', () => {
    expect(path`/v1/accounts/${'a/b?c=d#e f%'}`).toBe('/v1/accounts/a%2Fb%3Fc%3Dd%23e%20f%25');
    expect(path`/v1/transfers/${'ü&+'}`).toBe('/v1/transfers/%C3%BC%26%2B');
  });

  it('when there are several segments, then each is encoded on its own', () => {
    expect(path`/v1/${'x/y'}/${'z'}`).toBe('/v1/x%2Fy/z');
  });

  it.each(['', '.', '..'])('when a segment is %j, then it is refused', (id) => {
    expect(() => path`/v1/accounts/${id}`).toThrow(WekezaError);
  });

  it('when a segment is not a string, then it is refused', () => {
    expect(() => path`/v1/accounts/${undefined}`).toThrow(WekezaError);
    expect(() => path`/v1/accounts/${{}}`).toThrow(WekezaError);
  });
});

describe('queryString', () => {
  it('when values are undefined, then they are left out', () => {
    expect(queryString({ limit: 2, starting_after: undefined })).toBe('?limit=2');
    expect(queryString({ limit: undefined })).toBe('');
    expect(queryString(undefined)).toBe('');
  });

  it('when values hold reserved characters, then they are encoded', () => {
    expect(queryString({ starting_after: 'a&b=c' })).toBe('?starting_after=a%26b%3Dc');
  });
});
