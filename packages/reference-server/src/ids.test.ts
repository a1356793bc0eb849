import { describe, expect, it } from 'vitest';
import { newId } from './ids.ts';

describe('identifiers', () => {
  it('when many ids are made in a row, then they are distinct, well-formed and sort in the order they were made', () => {
    const ids = Array.from({ length: 20_000 }, () => newId('txn'));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(id).toMatch(/^txn_[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('when the random part is looked at over many ids, then every base32 character turns up', () => {
    const seen = new Set(
      Array.from({ length: 2_000 }, () => newId('je').slice(-16)).flatMap((tail) => [...tail]),
    );
    expect(seen.size).toBe(32);
  });
});
