import { describe, expect, it } from 'vitest';
import { decideExample } from '../examples/decide.ts';

describe('README example', () => {
  it('when the example runs for a clean sandbox ID, then it approves with a bigint limit', async () => {
    const d = await decideExample('30000001');
    expect(d.decision).toBe('approve');
    expect(typeof d.limit).toBe('bigint');
    expect(d.limit).toBeGreaterThan(0n);
  });

  it('when the example runs for a negatively listed ID, then it declines', async () => {
    expect((await decideExample('30000009')).decision).toBe('decline');
  });
});
