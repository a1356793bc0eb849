/**
 * Synthetic statements for tests and the statement benchmark: a deterministic, pseudo-random stream
 * of lines (deposits, transfers, withdrawals, month-end interest and its tax) whose running balance
 * never goes below zero, produced one at a time so a 100,000-line statement costs no memory up front.
 */
import { addDays, daysBetween } from '../../src/bank-calendar.ts';
import type { StatementHeader, StatementLine } from '../../src/modules/statements/statement.ts';

export interface SyntheticStatement {
  header: StatementHeader;
  /** A fresh iterator over the same lines each call. */
  lines(): AsyncGenerator<StatementLine>;
}

/** mulberry32: a tiny seeded generator, plenty for test data. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MONEY_IN = [
  'M-Pesa deposit from 254712345678',
  'Transfer from Wanjiru Kamau "school fees"',
  'Salary, Acme Ltd; March',
];
const MONEY_OUT = [
  'Transfer to Otieno Ochieng, rent for the month',
  'Withdrawal to M-Pesa 254700000001',
  'Card payment, Naivas Supermarket; Westlands',
];

function* lineSource(count: number, header: Omit<StatementHeader, 'closingBalance'>, seed: number) {
  const next = random(seed);
  const days = daysBetween(header.from, header.to) + 1;
  let balance = header.openingBalance;
  for (let i = 0; i < count; i++) {
    const date = addDays(header.from, Math.floor((i * days) / Math.max(count, 1)));
    const magnitude = BigInt(Math.floor(next() * 5_000_000) + 1);
    // Withdraw about half the time, never more than the balance.
    const amount = next() < 0.5 && balance >= magnitude ? -magnitude : magnitude;
    balance += amount;
    const choices = amount < 0n ? MONEY_OUT : MONEY_IN;
    const description = choices[Math.floor(next() * choices.length)] as string;
    const entryId = `je_${String(seed).padStart(6, '0')}${String(i).padStart(20, '0')}`;
    yield { date, description, amount, balance, entryId, kind: amount < 0n ? 'withdrawal' : 'deposit' };
  }
  return balance;
}

/** A statement of `count` lines over `from`..`to`, the same every time for the same arguments. */
export function syntheticStatement(
  count: number,
  options: Partial<Omit<StatementHeader, 'closingBalance'>> & { seed?: number } = {},
): SyntheticStatement {
  const { seed = 1, ...overrides } = options;
  const base: Omit<StatementHeader, 'closingBalance'> = {
    bankName: 'Wekeza Sandbox Bank',
    customerName: 'Wanjiru Kamau',
    accountId: 'acc_01JSYNTHETIC0000000000000',
    accountType: 'savings',
    currency: 'KES',
    from: '2025-01-01',
    to: '2025-12-31',
    openingBalance: 10_000_000n,
    generatedAt: new Date('2026-01-01T06:00:00.000Z'),
    lineCount: count,
    ...overrides,
  };
  // One dry run for the closing balance: the header must know it before the first line is written.
  const dry = lineSource(count, base, seed);
  let step = dry.next();
  while (!step.done) step = dry.next();
  const header: StatementHeader = { ...base, closingBalance: step.value };
  return {
    header,
    async *lines() {
      yield* lineSource(count, base, seed);
    },
  };
}
