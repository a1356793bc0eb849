import { Wekeza } from '@wekeza/sdk';
import { MockBank, type MockBankOptions } from './bank.ts';

export { MockBank, type MockBankOptions, type MockFailure, type MockRequestRecord } from './bank.ts';
export * from './fixtures.ts';
export * from './loans.ts';

/** The base URL mock clients use; nothing is ever sent there. */
export const MOCK_BASE_URL = 'https://mock.wekeza.invalid';

/**
 * A real SDK client whose `fetch` is an in-memory `MockBank`, so widgets in mock mode go through
 * the SDK exactly as against a server. Pass a bank to share or inspect its state.
 */
export function createMockClient(bank: MockBank | MockBankOptions = {}): Wekeza {
  const mock = bank instanceof MockBank ? bank : new MockBank(bank);
  return new Wekeza({
    baseUrl: MOCK_BASE_URL,
    auth: { token: 'mock_token' },
    fetch: mock.fetch,
    maxRetries: 0,
  });
}
export { MOCK_PAYEE_PHONE, MockSave, type SaveFixtures } from './save.ts';
