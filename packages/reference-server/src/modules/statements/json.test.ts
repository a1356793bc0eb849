import { parseAmount } from '@wekeza/sdk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collector } from '../../../test/support/collect.ts';
import { renderJsonStatement } from './json.ts';
import type { StatementHeader, StatementLine } from './statement.ts';

const header: StatementHeader = {
  bankName: 'Wekeza Sandbox Bank',
  customerName: 'Wanjiru Kamau',
  accountId: 'acc_01JTEST000000000000000000',
  accountType: 'savings',
  currency: 'KES',
  from: '2025-03-01',
  to: '2025-03-31',
  openingBalance: 0n,
  closingBalance: 5_533_628n,
  generatedAt: new Date('2025-04-01T06:00:00Z'),
};

describe('JSON statement', () => {
  it('when rendered, then it has API.md shape with Money amounts as signed decimal strings', async () => {
    const lines: StatementLine[] = [
      {
        date: '2025-03-01',
        description: 'Deposit',
        amount: 5_000_000n,
        balance: 5_000_000n,
        entryId: 'je_1',
      },
      {
        date: '2025-03-11',
        description: 'Transfer "in", \n\t✓',
        amount: 2_000_000n,
        balance: 7_000_000n,
        entryId: 'je_2',
      },
      {
        date: '2025-03-21',
        description: 'Withdrawal',
        amount: -1_500_000n,
        balance: 5_500_000n,
        entryId: 'je_3',
      },
      { date: '2025-03-31', description: 'Interest', amount: 39_562n, balance: 5_539_562n, entryId: 'je_4' },
      {
        date: '2025-03-31',
        description: 'Withholding tax',
        amount: -5_934n,
        balance: 5_533_628n,
        entryId: 'je_4',
      },
    ];
    const sink = collector();
    await renderJsonStatement(header, lines, sink.out);
    expect(sink.ended()).toBe(true);
    const body = JSON.parse(sink.text());
    expect(body).toEqual({
      account_id: 'acc_01JTEST000000000000000000',
      currency: 'KES',
      from: '2025-03-01',
      to: '2025-03-31',
      opening_balance: { amount: '0.00', currency: 'KES' },
      closing_balance: { amount: '55336.28', currency: 'KES' },
      lines: [
        {
          date: '2025-03-01',
          description: 'Deposit',
          amount: { amount: '50000.00', currency: 'KES' },
          balance: { amount: '50000.00', currency: 'KES' },
          entry_id: 'je_1',
        },
        {
          date: '2025-03-11',
          description: 'Transfer "in", \n\t✓',
          amount: { amount: '20000.00', currency: 'KES' },
          balance: { amount: '70000.00', currency: 'KES' },
          entry_id: 'je_2',
        },
        {
          date: '2025-03-21',
          description: 'Withdrawal',
          amount: { amount: '-15000.00', currency: 'KES' },
          balance: { amount: '55000.00', currency: 'KES' },
          entry_id: 'je_3',
        },
        {
          date: '2025-03-31',
          description: 'Interest',
          amount: { amount: '395.62', currency: 'KES' },
          balance: { amount: '55395.62', currency: 'KES' },
          entry_id: 'je_4',
        },
        {
          date: '2025-03-31',
          description: 'Withholding tax',
          amount: { amount: '-59.34', currency: 'KES' },
          balance: { amount: '55336.28', currency: 'KES' },
          entry_id: 'je_4',
        },
      ],
    });
  });

  it('when there are no lines, then the statement is still a whole document', async () => {
    const sink = collector();
    await renderJsonStatement(
      { ...header, openingBalance: 100n, closingBalance: 100n, currency: 'UGX' },
      [],
      sink.out,
    );
    expect(JSON.parse(sink.text())).toMatchObject({
      opening_balance: { amount: '100', currency: 'UGX' },
      lines: [],
    });
  });

  it('when any movements are rendered, then opening + Σ lines = closing and every running balance follows (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.array(
          fc.record({ amount: fc.bigInt({ min: -(10n ** 9n), max: 10n ** 9n }), description: fc.string() }),
          {
            maxLength: 300,
          },
        ),
        async (opening, movements) => {
          let balance = opening;
          const lines = movements.map((m, i) => {
            balance += m.amount;
            return {
              date: '2025-03-15',
              description: m.description,
              amount: m.amount,
              balance,
              entryId: `je_${i}`,
            };
          });
          const sink = collector();
          await renderJsonStatement(
            { ...header, openingBalance: opening, closingBalance: balance },
            lines,
            sink.out,
          );
          const body = JSON.parse(sink.text()) as {
            opening_balance: { amount: string };
            closing_balance: { amount: string };
            lines: { description: string; amount: { amount: string }; balance: { amount: string } }[];
          };
          const minor = (amount: string) => parseAmount(amount, 'KES', { signed: true });
          let running = minor(body.opening_balance.amount);
          body.lines.forEach((line, i) => {
            running += minor(line.amount.amount);
            expect(minor(line.balance.amount)).toBe(running);
            expect(line.description).toBe(movements[i]?.description);
          });
          expect(running).toBe(minor(body.closing_balance.amount));
          expect(body.lines).toHaveLength(movements.length);
        },
      ),
      { numRuns: 60 },
    );
  });
});
