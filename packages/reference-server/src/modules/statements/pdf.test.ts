import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collector } from '../../../test/support/collect.ts';
import { pdfText } from '../../../test/support/pdf-text.ts';
import { syntheticStatement } from '../../../test/support/statement-lines.ts';
import { pdfPageCount, renderPdfStatement, toWinAnsi } from './pdf.ts';
import type { StatementHeader, StatementLine } from './statement.ts';

async function render(header: StatementHeader, lines: AsyncIterable<StatementLine> | StatementLine[]) {
  const sink = collector();
  await renderPdfStatement(header, lines, sink.out);
  expect(sink.ended()).toBe(true);
  return sink.bytes();
}

const header: StatementHeader = {
  bankName: 'Wekeza Sandbox Bank',
  customerName: 'Wanjirũ Kamau',
  accountId: 'acc_01JTEST000000000000000000',
  accountType: 'savings',
  currency: 'KES',
  from: '2025-03-01',
  to: '2025-03-31',
  openingBalance: 0n,
  closingBalance: 5_533_628n,
  generatedAt: new Date('2025-04-01T06:00:00Z'),
  lineCount: 5,
};
const lines: StatementLine[] = [
  { date: '2025-03-01', description: 'Deposit', amount: 5_000_000n, balance: 5_000_000n, entryId: 'je_1' },
  {
    date: '2025-03-11',
    description: 'Transfer from Otieno\nfor rent',
    amount: 2_000_000n,
    balance: 7_000_000n,
    entryId: 'je_2',
  },
  {
    date: '2025-03-21',
    description: 'Withdrawal to M-Pesa',
    amount: -1_500_000n,
    balance: 5_500_000n,
    entryId: 'je_3',
  },
  {
    date: '2025-03-31',
    description: 'Interest for March',
    amount: 39_562n,
    balance: 5_539_562n,
    entryId: 'je_4',
  },
  {
    date: '2025-03-31',
    description: 'Withholding tax on interest',
    amount: -5_934n,
    balance: 5_533_628n,
    entryId: 'je_4',
  },
];

describe('PDF statement', () => {
  it('when read back by a PDF reader, then it shows the bank, customer, account, period, every line and the totals', async () => {
    const { pages, info } = await pdfText(await render(header, lines));
    expect(pages).toHaveLength(1);
    expect(info.Title).toBe('Statement acc_01JTEST000000000000000000 2025-03-01 to 2025-03-31');
    expect(pages[0]).toEqual([
      'Wekeza Sandbox Bank',
      'Account statement',
      'Customer | Wanjiru Kamau', // the standard fonts have no ũ
      'Account | acc_01JTEST000000000000000000 (savings account, KES)',
      'Period | 2025-03-01 to 2025-03-31',
      'Opening balance | KES 0.00',
      'Closing balance | KES 55,336.28',
      'Date | Description | Money out (KES) | Money in (KES) | Balance (KES)',
      '2025-03-01 | Opening balance | 0.00',
      '2025-03-01 | Deposit | 50,000.00 | 50,000.00',
      '2025-03-11 | Transfer from Otieno for rent | 20,000.00 | 70,000.00',
      '2025-03-21 | Withdrawal to M-Pesa | 15,000.00 | 55,000.00',
      '2025-03-31 | Interest for March | 395.62 | 55,395.62',
      '2025-03-31 | Withholding tax on interest | 59.34 | 55,336.28',
      'Closing balance | 55,336.28',
      'Total money in (3 credits) | 70,395.62',
      'Total money out (2 debits) | 15,059.34',
      'Generated 2025-04-01T06:00:00.000Z by Wekeza Sandbox Bank | Page 1 of 1',
    ]);
  });

  it('when a statement runs over pages, then the table continues with the balance brought forward and every page says "Page x of y"', async () => {
    const { header: h, lines: l } = syntheticStatement(250);
    const { pages } = await pdfText(await render(h, l()));
    expect(pages).toHaveLength(pdfPageCount(250));
    pages.forEach((page, i) => {
      expect(page.at(-1)).toMatch(
        new RegExp(
          `^Generated 2026-01-01T06:00:00.000Z by Wekeza Sandbox Bank \\| Page ${i + 1} of ${pages.length}$`,
        ),
      );
    });
    // Each continuation page opens with the balance the previous page ended on.
    for (let i = 1; i < pages.length; i++) {
      const previous = pages[i - 1] as string[];
      const lastRow = previous[previous.length - 2] as string;
      const broughtForward = (pages[i] as string[])[2] as string;
      expect(broughtForward).toBe(`Balance brought forward | ${lastRow.split(' | ').at(-1)}`);
    }
    // Every line is there once, in order, and the last balance is the closing balance.
    const rows = pages.flat().filter((row) => /^\d{4}-\d{2}-\d{2} \| (?!Opening balance)/.test(row));
    expect(rows).toHaveLength(250);
    const closing = pages.flat().findLast((row) => row.startsWith('Closing balance |'));
    expect(closing?.split(' | ')[1]).toBe(rows.at(-1)?.split(' | ').at(-1));
    expect(pages[0]).toContain(`Closing balance | KES ${closing?.split(' | ')[1]}`);
  });

  it('when the line count is not known, then pages say "Page x" only', async () => {
    const { pages } = await pdfText(await render({ ...header, lineCount: undefined }, lines));
    expect(pages[0]?.at(-1)).toBe('Generated 2025-04-01T06:00:00.000Z by Wekeza Sandbox Bank | Page 1');
  });

  it('when the page count is computed from the line count, then it matches the pages drawn at every boundary', async () => {
    // Around the first page's capacity and the second's, where the closing rows spill over.
    const counts = [0, 1, 40, 41, 42, 43, 44, 45, 46, 90, 95, 96, 97, 98, 99, 100, 101];
    for (const count of counts) {
      const { header: h, lines: l } = syntheticStatement(count, { seed: count + 7 });
      const { pages } = await pdfText(await render(h, l()));
      expect({ count, pages: pages.length }).toEqual({ count, pages: pdfPageCount(count) });
      expect(pages.at(-1)?.at(-1)).toContain(`Page ${pages.length} of ${pages.length}`);
    }
  });

  it('when a description is longer than its column, then it is cut with an ellipsis on one row', async () => {
    const long = `Transfer ${'very '.repeat(40)}long`;
    const { pages } = await pdfText(
      await render({ ...header, closingBalance: 100n, lineCount: 1 }, [
        { date: '2025-03-02', description: long, amount: 100n, balance: 100n, entryId: 'je_1' },
      ]),
    );
    const row = pages[0]?.find((r) => r.startsWith('2025-03-02'));
    expect(row).toMatch(/^2025-03-02 \| Transfer very .*… \| 1\.00 \| 1\.00$/);
  });

  // Debian's fonts-dejavu-core; the renderer ships no font of its own.
  const dejavu = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
  it.skipIf(!existsSync(dejavu))(
    'when TrueType fonts are given, then any script is embedded and extractable',
    async () => {
      const sink = collector();
      const unicode = { ...header, customerName: 'Wanjirũ Ngũgĩ, Ξένια, Анна' };
      await renderPdfStatement(unicode, lines, sink.out, {
        fonts: { regular: dejavu, bold: dejavu.replace('DejaVuSans.ttf', 'DejaVuSans-Bold.ttf') },
      });
      const { pages } = await pdfText(sink.bytes());
      expect(pages[0]?.[2]).toBe('Customer | Wanjirũ Ngũgĩ, Ξένια, Анна');
      expect(pages[0]).toContain('2025-03-31 | Withholding tax on interest | 59.34 | 55,336.28');
    },
  );

  it('when text has letters the standard fonts lack, then they lose their marks or become "?"', () => {
    expect(toWinAnsi('Wanjirũ Ngũgĩ, Zoë, Œuvre, €5 — “ok”')).toBe('Wanjiru Ngugi, Zoë, Œuvre, €5 — “ok”');
    expect(toWinAnsi('中文 ✓')).toBe('?? ?');
  });
});
