/**
 * A busy account in a real database for `pnpm bench:statements`: one customer wallet with N postings
 * over a year (each the wallet's side of a two-posting entry against sandbox funding), written in
 * bulk with the invariants the ledger keeps (account_seq 1..N, balance_after by seq, the cached
 * balance and posting count). One posting in 500 is dated three days before its neighbours, as a
 * daily close catching up writes them, so the statement's date order is not the posting order.
 */
import { addDays, daysBetween } from '../src/bank-calendar.ts';
import type { Database } from '../src/db/database.ts';

export const BENCH_ACCOUNT_ID = 'acc_BENCHSTATEMENT000000000000';
export const BENCH_CUSTOMER_ID = 'cus_BENCHSTATEMENT000000000000';
export const BENCH_FROM = '2025-01-01';
export const BENCH_TO = '2025-12-31';

/** mulberry32: a tiny seeded generator. */
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

const DESCRIPTIONS = [
  'M-Pesa deposit from 254712345678',
  'Transfer to Otieno Ochieng, rent for the month',
  'Salary, Acme Ltd; March',
  'Card payment, Naivas Supermarket; Westlands',
];

/** Writes the account and its `count` postings; the database must be migrated and its bank accounts opened. */
export async function seedBusyAccount(db: Database, count: number): Promise<void> {
  const now = new Date('2026-01-01T06:00:00.000Z');
  const funding = 'acc_bank_sandbox_funding_kes';
  await db.sql.$executeRawUnsafe(
    `INSERT INTO users (id, role, email, phone, full_name, national_id, kyc_tier, password_hash, status, created_at)
     VALUES (?, 'customer', 'bench@example.test', NULL, 'Wanjiru Kamau', NULL, 2, 'x', 'active', ?)`,
    BENCH_CUSTOMER_ID,
    now,
  );
  await db.sql.$executeRawUnsafe(
    `INSERT INTO accounts (id, owner_id, code, type, category, normal_side, currency, status, allow_negative,
                           balance_minor, held_minor, posting_count, wallet_key, created_at)
     VALUES (?, ?, NULL, 'wallet', 'liability', 'credit', 'KES', 'open', 0, 0, 0, 0, ?, ?)`,
    BENCH_ACCOUNT_ID,
    BENCH_CUSTOMER_ID,
    `${BENCH_CUSTOMER_ID}:KES`,
    now,
  );
  const next = random(7);
  const days = daysBetween(BENCH_FROM, BENCH_TO) + 1;
  let balance = 0n;
  let fundingBalance = 0n;
  const [fundingRow] = await db.sql.$queryRawUnsafe<{ balance_minor: unknown; posting_count: unknown }[]>(
    'SELECT balance_minor, posting_count FROM accounts WHERE id = ?',
    funding,
  );
  fundingBalance = BigInt(String(fundingRow?.balance_minor ?? 0));
  let fundingSeq = BigInt(String(fundingRow?.posting_count ?? 0));
  const BATCH = 500;
  for (let start = 0; start < count; start += BATCH) {
    const entries: unknown[] = [];
    const postings: unknown[] = [];
    const size = Math.min(BATCH, count - start);
    for (let i = start; i < start + size; i++) {
      const day = Math.floor((i * days) / count);
      const date = addDays(BENCH_FROM, i % 500 === 499 ? Math.max(0, day - 3) : day);
      const magnitude = BigInt(Math.floor(next() * 5_000_000) + 1);
      const credit = !(next() < 0.5 && balance >= magnitude);
      balance += credit ? magnitude : -magnitude;
      fundingBalance += credit ? magnitude : -magnitude;
      fundingSeq += 1n;
      const entryId = `je_BENCH${String(i).padStart(20, '0')}`;
      const description = DESCRIPTIONS[Math.floor(next() * DESCRIPTIONS.length)] as string;
      entries.push(entryId, credit ? 'deposit' : 'withdrawal', description, date, now);
      postings.push(
        `txn_BENCHA${String(i).padStart(20, '0')}`,
        entryId,
        BENCH_ACCOUNT_ID,
        BigInt(i + 1),
        credit ? 'credit' : 'debit',
        magnitude,
        'KES',
        balance,
        now,
        `txn_BENCHB${String(i).padStart(20, '0')}`,
        entryId,
        funding,
        fundingSeq,
        credit ? 'debit' : 'credit',
        magnitude,
        'KES',
        fundingBalance,
        now,
      );
    }
    await db.sqlTransaction(async (tx) => {
      await tx.$executeRawUnsafe(
        `INSERT INTO journal_entries (id, kind, description, reverses_id, effective_date, created_at)
         VALUES ${Array.from({ length: size }, () => '(?, ?, ?, NULL, ?, ?)').join(', ')}`,
        ...entries,
      );
      await tx.$executeRawUnsafe(
        `INSERT INTO postings (id, entry_id, account_id, account_seq, side, amount_minor, currency, balance_after_minor, created_at)
         VALUES ${Array.from({ length: size * 2 }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        ...postings,
      );
    });
  }
  await db.sql.$executeRawUnsafe(
    'UPDATE accounts SET balance_minor = ?, posting_count = ? WHERE id = ?',
    balance,
    BigInt(count),
    BENCH_ACCOUNT_ID,
  );
  await db.sql.$executeRawUnsafe(
    'UPDATE accounts SET balance_minor = ?, posting_count = ? WHERE id = ?',
    fundingBalance,
    fundingSeq,
    funding,
  );
}
