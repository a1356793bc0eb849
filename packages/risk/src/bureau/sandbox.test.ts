import { describe, expect, it } from 'vitest';
import { fetchBureauReport } from './bureau.ts';
import { SandboxBureau, sandboxAnswerFor } from './sandbox.ts';

describe('sandbox credit bureau', () => {
  const bureau = new SandboxBureau();

  it('when the ID ends in 0–6, then the file is clean and the same every time', async () => {
    const a = await bureau.lookup('12345670'.replace(/0$/, '3'));
    const b = await bureau.lookup('12345673');
    expect(a.status).toBe('clean');
    expect(a).toEqual(b);
    expect(a.negativeListings).toEqual([]);
  });

  it('when the ID ends in 9, then the file carries a negative listing', async () => {
    const r = await bureau.lookup('12345679');
    expect(r.status).toBe('negative');
    expect(r.negativeListings[0]?.amountMinor).toBe(1_250_000n);
  });

  it('when the ID ends in 7, then the file is thin', async () => {
    expect((await bureau.lookup('12345677')).status).toBe('thin_file');
  });

  it('when the ID ends in 8, then the lookup times out and fetchBureauReport returns an unavailable report', async () => {
    expect(sandboxAnswerFor('12345678')).toBe('timeout');
    const started = Date.now();
    const r = await fetchBureauReport(bureau, '12345678', { timeoutMs: 20 });
    expect(r.status).toBe('unavailable');
    expect(r.error).toMatch(/did not answer within 20 ms/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('when the ID is malformed, then the lookup is rejected', async () => {
    await expect(bureau.lookup('12-34')).rejects.toThrow(RangeError);
  });
});
