import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transaction } from '../src/db/transaction.ts';
import { newId } from '../src/ids.ts';
import { reconcile } from '../src/modules/ledger/reconcile.ts';
import { startTestBank, type TestBank, testDialects } from '../src/testing/index.ts';

describe.each(testDialects())('the ledger on %s', (dialect) => {
  let bank: TestBank;
  let owner: string;
  beforeAll(async () => {
    bank = await startTestBank(dialect);
    owner = (await bank.db.prisma.user.findFirstOrThrow({ where: { role: 'customer' } })).id;
  });
  afterAll(async () => {
    await bank?.stop();
  });

  const ledger = () => bank.services.ledger;
  const tx = <T>(work: Parameters<typeof transaction<T>>[1]) => transaction(bank.db, work);
  const openWallet = (currency = 'KES') =>
    tx((t) => bank.services.accounts.openAccount(t, owner, 'savings', currency));
  const balance = async (id: string) =>
    (await bank.db.prisma.account.findUniqueOrThrow({ where: { id } })).balanceMinor;
  const deposit = (accountId: string, amountMinor: bigint) =>
    tx(async (t) => {
      const funding = ledger().bankAccount('sandbox_funding', 'KES');
      return ledger().post(t, {
        kind: 'deposit',
        description: 'test',
        postings: [
          { accountId: funding, side: 'debit', amountMinor },
          { accountId, side: 'credit', amountMinor },
        ],
      });
    });

  it('when an entry does not balance, then nothing is written', async () => {
    const a = await openWallet();
    const b = await openWallet();
    await deposit(a.id, 1000n);
    const before = await bank.db.prisma.posting.count();
    await expect(
      tx((t) =>
        ledger().post(t, {
          kind: 'test',
          description: 'unbalanced',
          postings: [
            { accountId: a.id, side: 'debit', amountMinor: 10n },
            { accountId: b.id, side: 'credit', amountMinor: 9n },
          ],
        }),
      ),
    ).rejects.toThrow(/unbalanced/);
    await expect(
      tx((t) =>
        ledger().post(t, {
          kind: 'test',
          description: 'one-legged',
          postings: [{ accountId: a.id, side: 'debit', amountMinor: 10n }],
        }),
      ),
    ).rejects.toThrow(/two postings/);
    expect(await bank.db.prisma.posting.count()).toBe(before);
    expect(await balance(a.id)).toBe(1000n);
  });

  it('when a customer account would go below zero, then insufficient_funds and nothing is written', async () => {
    const a = await openWallet();
    const b = await openWallet();
    await deposit(a.id, 500n);
    await expect(
      tx((t) =>
        ledger().post(t, {
          kind: 'transfer',
          description: 'too much',
          postings: [
            { accountId: a.id, side: 'debit', amountMinor: 501n },
            { accountId: b.id, side: 'credit', amountMinor: 501n },
          ],
        }),
      ),
    ).rejects.toMatchObject({ code: 'insufficient_funds' });
    expect(await balance(a.id)).toBe(500n);
    expect(await balance(b.id)).toBe(0n);
  });

  it('when a hold is placed, then available drops, and it is posted or voided exactly once', async () => {
    const a = await openWallet();
    await deposit(a.id, 1000n);
    const hold = await tx((t) =>
      ledger().placeHold(t, {
        accountId: a.id,
        amountMinor: 700n,
        description: 'withdrawal',
        expiresAt: new Date(Date.now() + 60_000),
      }),
    );
    const account = await bank.db.prisma.account.findUniqueOrThrow({ where: { id: a.id } });
    expect(account.heldMinor).toBe(700n);
    // The held money cannot be spent twice.
    await expect(
      tx((t) =>
        ledger().placeHold(t, {
          accountId: a.id,
          amountMinor: 301n,
          description: 'second',
          expiresAt: new Date(Date.now() + 60_000),
        }),
      ),
    ).rejects.toMatchObject({ code: 'insufficient_funds' });

    const settle = () =>
      tx(async (t) => {
        const rail = ledger().bankAccount('settlement_mpesa', 'KES');
        return ledger().captureHold(t, hold.id, {
          kind: 'withdrawal',
          description: 'M-Pesa withdrawal',
          postings: [
            { accountId: a.id, side: 'debit', amountMinor: 700n },
            { accountId: rail, side: 'credit', amountMinor: 700n },
          ],
        });
      });
    // Two racing settlements: exactly one wins.
    const results = await Promise.allSettled([settle(), settle()]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(
      results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code),
    ).toEqual(['conflict']);
    await expect(tx((t) => ledger().voidHold(t, hold.id))).rejects.toMatchObject({ code: 'conflict' });
    const after = await bank.db.prisma.account.findUniqueOrThrow({ where: { id: a.id } });
    expect(after.balanceMinor).toBe(300n);
    expect(after.heldMinor).toBe(0n);
  });

  it('when a hold expires, then the expiry job voids it and the money is available again', async () => {
    const a = await openWallet();
    await deposit(a.id, 100n);
    await tx((t) =>
      ledger().placeHold(t, {
        accountId: a.id,
        amountMinor: 60n,
        description: 'stale',
        expiresAt: new Date(Date.now() - 1000),
      }),
    );
    for (const amountMinor of [10n, 20n])
      await tx((t) =>
        ledger().placeHold(t, {
          accountId: a.id,
          amountMinor,
          description: 'stale',
          expiresAt: new Date(Date.now() - 1000),
        }),
      );
    // Two expiry runs race over the same due holds: each hold is voided once, and neither run
    // gives up its batch because the other got to a hold first.
    const [first, second] = await Promise.all([ledger().expireHolds(bank.db), ledger().expireHolds(bank.db)]);
    expect(first + second).toBeGreaterThanOrEqual(3);
    const account = await bank.db.prisma.account.findUniqueOrThrow({ where: { id: a.id } });
    expect(account.heldMinor).toBe(0n);
    expect(await ledger().expireHolds(bank.db)).toBe(0);
  });

  it('when an entry is reversed, then balances return and the reversal links back, once', async () => {
    const a = await openWallet();
    const posted = await deposit(a.id, 250n);
    const reversal = await tx((t) => ledger().reverse(t, posted.id, 'posted in error'));
    expect(await balance(a.id)).toBe(0n);
    const stored = await bank.db.prisma.journalEntry.findUniqueOrThrow({ where: { id: reversal.id } });
    expect(stored.reversesId).toBe(posted.id);
    await expect(tx((t) => ledger().reverse(t, posted.id, 'again'))).rejects.toMatchObject({
      code: 'conflict',
    });
  });

  it('when random balanced entries are posted, then every cached balance equals the sum of its postings', async () => {
    const accounts = await Promise.all([openWallet(), openWallet(), openWallet()]);
    await deposit(accounts[0]!.id, 10_000n);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ from: fc.nat(2), to: fc.nat(2), amount: fc.bigInt({ min: 1n, max: 4_000n }) }), {
          minLength: 1,
          maxLength: 12,
        }),
        async (moves) => {
          for (const move of moves) {
            if (move.from === move.to) continue;
            await tx((t) =>
              ledger().post(t, {
                kind: 'transfer',
                description: 'property',
                postings: [
                  { accountId: accounts[move.from]!.id, side: 'debit', amountMinor: move.amount },
                  { accountId: accounts[move.to]!.id, side: 'credit', amountMinor: move.amount },
                ],
              }),
            ).catch((error) => {
              if (error.code !== 'insufficient_funds') throw error;
            });
          }
          const total = (await Promise.all(accounts.map((a) => balance(a.id)))).reduce((x, y) => x + y, 0n);
          expect(total).toBe(10_000n);
          const report = await reconcile(bank.db.prisma);
          expect(report.ok).toBe(true);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('when someone with database access tries to edit or delete postings or entries, then the database refuses', async () => {
    const a = await openWallet();
    const posted = await deposit(a.id, 10n);
    const posting = posted.postings[0]!;
    const attempts = [
      () => bank.db.prisma.$executeRawUnsafe('UPDATE postings SET amount_minor = 1 WHERE id = ?', posting.id),
      () => bank.db.prisma.$executeRawUnsafe('DELETE FROM postings WHERE id = ?', posting.id),
      () =>
        bank.db.prisma.$executeRawUnsafe(
          "UPDATE journal_entries SET description = 'edited' WHERE id = ?",
          posted.id,
        ),
      () => bank.db.prisma.$executeRawUnsafe('DELETE FROM journal_entries WHERE id = ?', posted.id),
      () => bank.db.prisma.posting.update({ where: { id: posting.id }, data: { amountMinor: 11n } }),
      () => bank.db.prisma.journalEntry.deleteMany({ where: { id: posted.id } }),
    ];
    // Raw SQL meets the trigger's own message; Prisma reports the same refusal in its own words.
    for (const attempt of attempts.slice(0, 4)) await expect(attempt()).rejects.toThrow(/immutable/);
    for (const attempt of attempts.slice(4)) await expect(attempt()).rejects.toThrow();
    expect((await bank.db.prisma.posting.findUniqueOrThrow({ where: { id: posting.id } })).amountMinor).toBe(
      10n,
    );
  });

  it('when a posting amount is zero or negative, or an account is overdrawn behind the code, then CHECK constraints refuse it', async () => {
    const a = await openWallet();
    const entry = newId('je');
    await expect(
      bank.db.prisma.$executeRawUnsafe('UPDATE accounts SET balance_minor = -1 WHERE id = ?', a.id),
    ).rejects.toThrow();
    await expect(
      tx(async (t) => {
        await t.journalEntry.create({
          data: {
            id: entry,
            kind: 'x',
            description: 'x',
            effectiveDate: '2026-01-01',
            createdAt: new Date(),
          },
        });
        await t.posting.create({
          data: {
            id: newId('txn'),
            entryId: entry,
            accountId: a.id,
            accountSeq: 99n,
            side: 'credit',
            amountMinor: 0n,
            currency: 'KES',
            balanceAfterMinor: 0n,
            createdAt: new Date(),
          },
        });
      }),
    ).rejects.toThrow();
  });

  it('when amounts reach the top of the range, then 64-bit minor units round-trip exactly', async () => {
    const a = await openWallet();
    const big = 99_999_999_999_999n; // KES 999,999,999,999.99
    await deposit(a.id, big);
    expect(await balance(a.id)).toBe(big);
    const report = await reconcile(bank.db.prisma);
    expect(report.ok).toBe(true);
  });
});
