import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { collector } from '../../../test/support/collect.ts';
import { syntheticStatement } from '../../../test/support/statement-lines.ts';
import { renderStatement, STATEMENT_FORMATS } from './render.ts';
import {
  checkedLines,
  type StatementHeader,
  type StatementLine,
  StatementMismatchError,
} from './statement.ts';

const header: StatementHeader = {
  bankName: 'Wekeza Sandbox Bank',
  customerName: 'Wanjiru Kamau',
  accountId: 'acc_01JTEST000000000000000000',
  accountType: 'savings',
  currency: 'KES',
  from: '2025-03-01',
  to: '2025-03-31',
  openingBalance: 1_000n,
  closingBalance: 1_500n,
  generatedAt: new Date('2025-04-01T06:00:00Z'),
};
const good: StatementLine[] = [
  { date: '2025-03-02', description: 'in', amount: 700n, balance: 1_700n, entryId: 'je_1' },
  { date: '2025-03-09', description: 'out', amount: -200n, balance: 1_500n, entryId: 'je_2' },
];

async function drain(h: StatementHeader, lines: StatementLine[]): Promise<StatementLine[]> {
  const seen: StatementLine[] = [];
  for await (const line of checkedLines(h, lines)) seen.push(line);
  return seen;
}

describe('statement lines', () => {
  it('when the lines add up from the opening to the closing balance, then they pass unchanged', async () => {
    expect(await drain(header, good)).toEqual(good);
    expect(await drain({ ...header, lineCount: 2 }, good)).toEqual(good);
    expect(await drain({ ...header, closingBalance: 1_000n }, [])).toEqual([]);
  });

  it('when a running balance is wrong, then the statement is refused at that line', async () => {
    const bad = [good[0] as StatementLine, { ...(good[1] as StatementLine), balance: 1_501n }];
    await expect(drain({ ...header, closingBalance: 1_501n }, bad)).rejects.toThrow(/Line 2 \(je_2\)/);
  });

  it('when the lines do not reach the closing balance, then the statement is refused', async () => {
    await expect(drain({ ...header, closingBalance: 1_499n }, good)).rejects.toThrow(StatementMismatchError);
  });

  it('when a line is outside the period or out of order, then the statement is refused', async () => {
    const late = [{ ...(good[0] as StatementLine), date: '2025-04-01' }];
    await expect(drain({ ...header, closingBalance: 1_700n }, late)).rejects.toThrow(/outside/);
    const unordered = [good[0] as StatementLine, { ...(good[1] as StatementLine), date: '2025-03-01' }];
    await expect(drain(header, unordered)).rejects.toThrow(/out of order/);
  });

  it('when the announced line count is wrong, then the statement is refused', async () => {
    await expect(drain({ ...header, lineCount: 1 }, good)).rejects.toThrow(/More lines/);
    await expect(drain({ ...header, lineCount: 3 }, good)).rejects.toThrow(/2 lines, but 3/);
  });

  it('when the header is unusable, then nothing is read', async () => {
    await expect(drain({ ...header, to: '2025-02-28' }, good)).rejects.toThrow(RangeError);
    await expect(drain({ ...header, currency: 'XXX' }, good)).rejects.toThrow();
  });

  it('when any format meets a mismatch, then the output is destroyed rather than ended', async () => {
    for (const format of STATEMENT_FORMATS) {
      const sink = collector();
      await expect(
        renderStatement(format, { ...header, closingBalance: 9n }, good, sink.out),
      ).rejects.toThrow(StatementMismatchError);
      expect(sink.ended()).toBe(false);
      expect(sink.out.destroyed).toBe(true);
    }
  });

  it('when the line source fails midway, then the source is closed and the output destroyed', async () => {
    let closed = false;
    async function* failing(): AsyncGenerator<StatementLine> {
      try {
        yield good[0] as StatementLine;
        throw new Error('database went away');
      } finally {
        closed = true;
      }
    }
    const sink = collector();
    await expect(renderStatement('json', header, failing(), sink.out)).rejects.toThrow('database went away');
    expect(closed).toBe(true);
    expect(sink.out.destroyed).toBe(true);
  });

  it('when the destination stops taking bytes, then no format reads far ahead of it', async () => {
    const { header: big, lines } = syntheticStatement(20_000);
    for (const format of STATEMENT_FORMATS) {
      let pulled = 0;
      async function* counted(): AsyncGenerator<StatementLine> {
        for await (const line of lines()) {
          pulled += 1;
          yield line;
        }
      }
      // A client that stopped reading: the first write is never acknowledged.
      const stuck = new Writable({ highWaterMark: 1024, write: () => {} });
      const rendering = renderStatement(format, big, counted(), stuck);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect({ format, pulledFewLines: pulled < 4_000 }).toEqual({ format, pulledFewLines: true });
      stuck.destroy();
      await expect(rendering).rejects.toThrow();
    }
  });
});
