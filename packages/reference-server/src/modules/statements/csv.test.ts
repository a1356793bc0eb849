import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collector } from '../../../test/support/collect.ts';
import { CSV_COLUMNS, neutraliseFormula, renderCsvStatement } from './csv.ts';
import type { StatementHeader, StatementLine } from './statement.ts';

const header: StatementHeader = {
  bankName: 'Wekeza Sandbox Bank',
  customerName: 'Wanjiru Kamau',
  accountId: 'acc_01JTEST000000000000000000',
  accountType: 'wallet',
  currency: 'KES',
  from: '2025-03-01',
  to: '2025-03-31',
  openingBalance: 10_000n,
  closingBalance: 0n,
  generatedAt: new Date('2025-04-01T06:00:00Z'),
};

async function render(h: StatementHeader, lines: StatementLine[]): Promise<string> {
  const sink = collector();
  await renderCsvStatement(h, lines, sink.out);
  return sink.text();
}

describe('CSV statement', () => {
  it('when rendered, then it is RFC 4180 with a BOM, CRLF, quoting only where needed and plain decimals', async () => {
    const text = await render({ ...header, closingBalance: 1_234_560n }, [
      {
        date: '2025-03-02',
        description: 'Rent, March',
        amount: 1_250_050n,
        balance: 1_260_050n,
        entryId: 'je_1',
      },
      {
        date: '2025-03-03',
        description: 'Say "hi"\nthere',
        amount: -25_490n,
        balance: 1_234_560n,
        entryId: 'je_2',
      },
    ]);
    expect(text).toBe(
      '\uFEFFdate,description,amount,balance,currency,entry_id\r\n' +
        '2025-03-02,"Rent, March",12500.50,12600.50,KES,je_1\r\n' +
        '2025-03-03,"Say ""hi""\nthere",-254.90,12345.60,KES,je_2\r\n',
    );
  });

  it('when there are no lines, then the file is the header row alone', async () => {
    expect(await render({ ...header, closingBalance: 10_000n }, [])).toBe(
      '\uFEFFdate,description,amount,balance,currency,entry_id\r\n',
    );
  });

  it('when a description starts like a formula, then a spreadsheet will not run it', async () => {
    expect(neutraliseFormula('=HYPERLINK("http://evil")')).toBe(`'=HYPERLINK("http://evil")`);
    expect(neutraliseFormula('+254712345678')).toBe("'+254712345678");
    expect(neutraliseFormula('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutraliseFormula('Rent -2025')).toBe('Rent -2025');
    const text = await render({ ...header, closingBalance: 9_000n }, [
      { date: '2025-03-02', description: '-1+1', amount: -1_000n, balance: 9_000n, entryId: 'je_1' },
    ]);
    expect(text).toContain(",'-1+1,-10.00,90.00,");
  });

  it('when any lines are rendered, then a CSV parser reads back exactly the same rows (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.array(
          fc.record({
            amount: fc.bigInt({ min: -(10n ** 9n), max: 10n ** 9n }),
            description: fc.oneof(
              fc.string(),
              fc.string({ unit: 'grapheme' }),
              fc.constantFrom('a,b', '"q"', 'x\r\ny', ' '),
            ),
          }),
          { maxLength: 100 },
        ),
        async (opening, movements) => {
          let balance = opening;
          const lines = movements.map((m, i) => {
            balance += m.amount;
            return {
              date: '2025-03-20',
              description: m.description,
              amount: m.amount,
              balance,
              entryId: `je_${i}`,
            };
          });
          const text = await render({ ...header, openingBalance: opening, closingBalance: balance }, lines);
          const rows = parse(text, { bom: true, columns: true, relax_quotes: false }) as Record<
            string,
            string
          >[];
          expect(Object.keys(rows[0] ?? Object.fromEntries(CSV_COLUMNS.map((c) => [c, ''])))).toEqual([
            ...CSV_COLUMNS,
          ]);
          expect(rows).toEqual(
            lines.map((line) => ({
              date: line.date,
              description: neutraliseFormula(line.description),
              amount: formatKes(line.amount),
              balance: formatKes(line.balance),
              currency: 'KES',
              entry_id: line.entryId,
            })),
          );
        },
      ),
      { numRuns: 80 },
    );
  });
});

function formatKes(minor: bigint): string {
  const sign = minor < 0n ? '-' : '';
  const digits = (minor < 0n ? -minor : minor).toString().padStart(3, '0');
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}
