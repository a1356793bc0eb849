import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBank, type TestBank, testDialects } from '../src/testing/index.ts';

describe.each(testDialects())('on %s', (dialect) => {
  let bank: TestBank;
  beforeAll(async () => {
    bank = await startTestBank(dialect);
  });
  afterAll(async () => {
    await bank?.stop();
  });

  it('when the database answers, then /healthz says ok', async () => {
    const res = await fetch(`${bank.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});
