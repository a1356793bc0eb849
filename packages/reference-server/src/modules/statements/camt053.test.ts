import { readFile } from 'node:fs/promises';
import { CashManagementEndOfDayReport } from 'iso20022.js';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { collector } from '../../../test/support/collect.ts';
import { syntheticStatement } from '../../../test/support/statement-lines.ts';
import { CAMT053_NAMESPACE, renderCamt053Statement } from './camt053.ts';
import type { StatementHeader, StatementLine } from './statement.ts';

const schema = readFile(new URL('./camt053.subset.xsd', import.meta.url), 'utf8');

const header: StatementHeader = {
  bankName: 'Wekeza Sandbox Bank',
  bankCode: '99',
  customerName: 'Wanjirũ Kamau & Sons <Ltd>',
  accountId: 'acc_01JTEST000000000000000000',
  accountType: 'savings',
  currency: 'KES',
  from: '2025-03-01',
  to: '2025-03-31',
  openingBalance: 0n,
  closingBalance: 5_533_628n,
  generatedAt: new Date('2025-04-01T06:00:00Z'),
  statementId: 'STMT0001',
};
const lines: StatementLine[] = [
  {
    date: '2025-03-01',
    description: 'Deposit',
    amount: 5_000_000n,
    balance: 5_000_000n,
    entryId: 'je_1',
    kind: 'deposit',
  },
  {
    date: '2025-03-11',
    description: 'From "Otieno" <a&b> \u0001ok',
    amount: 2_000_000n,
    balance: 7_000_000n,
    entryId: 'je_2',
    kind: 'transfer',
  },
  {
    date: '2025-03-21',
    description: 'Withdrawal',
    amount: -1_500_000n,
    balance: 5_500_000n,
    entryId: 'je_3',
    kind: 'transfer',
  },
  {
    date: '2025-03-31',
    description: 'Interest for March',
    amount: 39_562n,
    balance: 5_539_562n,
    entryId: 'je_4',
    kind: 'interest_posting',
  },
  {
    date: '2025-03-31',
    description: 'Withholding tax',
    amount: -5_934n,
    balance: 5_533_628n,
    entryId: 'je_4',
    kind: 'interest_posting',
  },
];

async function render(
  h: StatementHeader,
  l: AsyncIterable<StatementLine> | StatementLine[],
): Promise<string> {
  const sink = collector();
  await renderCamt053Statement(h, l, sink.out);
  return sink.text();
}

async function validate(xml: string) {
  return validateXML({
    xml: { fileName: 'statement.xml', contents: xml },
    schema: { fileName: 'camt053.subset.xsd', contents: await schema },
    initialMemoryPages: 1024,
    maxMemoryPages: 16384,
  });
}

describe('camt.053 statement', () => {
  it('when rendered, then it is well-formed, namespaced and valid against the camt.053.001.08 subset schema', async () => {
    const xml = await render(header, lines);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(xml).toContain(`<Document xmlns="${CAMT053_NAMESPACE}">`);
    const result = await validate(xml);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('when an element is missing or out of order, then the subset schema rejects the document', async () => {
    const xml = await render(header, lines);
    const swapped = xml.replace(/(<BookgDt>[\s\S]*?<\/BookgDt>)(\s*)(<ValDt>[\s\S]*?<\/ValDt>)/, '$3$2$1');
    expect(swapped).not.toBe(xml);
    expect((await validate(swapped)).valid).toBe(false);
    expect((await validate(xml.replace(/<Sts>[\s\S]*?<\/Sts>/, ''))).valid).toBe(false);
  });

  it('when text holds markup or control characters, then it is escaped or dropped, never broken', async () => {
    const xml = await render(header, lines);
    expect(xml).toContain('<Nm>Wanjirũ Kamau &amp; Sons &lt;Ltd&gt;</Nm>');
    expect(xml).toContain('<AddtlNtryInf>From "Otieno" &lt;a&amp;b&gt; ok</AddtlNtryInf>');
  });

  it('when read by an independent camt.053 parser (iso20022.js), then balances and entries come back', async () => {
    const report = CashManagementEndOfDayReport.fromXML(await render(header, lines));
    expect(report.messageId).toBe('STMT0001');
    const [statement] = report.statements;
    expect(statement?.id).toBe('STMT0001');
    expect(statement?.account).toEqual({ accountNumber: 'acc_01JTEST000000000000000000', currency: 'KES' });
    expect(
      statement?.balances.map((b) => [
        b.type,
        Math.round(b.amount),
        b.creditDebitIndicator,
        b.date.toISOString().slice(0, 10),
      ]),
    ).toEqual([
      ['OPBD', 0, 'credit', '2025-03-01'],
      ['CLBD', 5_533_628, 'credit', '2025-03-31'],
    ]);
    expect(
      report.entries.map((e) => [
        e.referenceId,
        Math.round(e.amount),
        e.creditDebitIndicator,
        e.bookingDate.toISOString().slice(0, 10),
        e.proprietaryCode,
      ]),
    ).toEqual([
      ['je_1', 5_000_000, 'credit', '2025-03-01', 'deposit'],
      ['je_2', 2_000_000, 'credit', '2025-03-11', 'transfer'],
      ['je_3', 1_500_000, 'debit', '2025-03-21', 'transfer'],
      ['je_4', 39_562, 'credit', '2025-03-31', 'interest_posting'],
      ['je_4', 5_934, 'debit', '2025-03-31', 'interest_posting'],
    ]);
    expect(report.entries[1]?.additionalInformation).toBe('From "Otieno" <a&b> ok');
  });

  it('when a balance is negative, then it is shown as a debit balance', async () => {
    const xml = await render(
      { ...header, accountType: 'wallet', openingBalance: -500n, closingBalance: -500n, bankBic: 'WEKZKENA' },
      [],
    );
    expect(xml).toMatch(
      /<Cd>OPBD<\/Cd>\s*<\/CdOrPrtry>\s*<\/Tp>\s*<Amt Ccy="KES">5.00<\/Amt>\s*<CdtDbtInd>DBIT<\/CdtDbtInd>/,
    );
    expect(xml).toContain('<Cd>CACC</Cd>');
    expect((await validate(xml)).valid).toBe(true);
  });

  it('when a fixed deposit has a thousand lines, then the document stays valid and carries every entry', async () => {
    const { header: h, lines: l } = syntheticStatement(1_000, {
      accountType: 'fixed_deposit',
      statementId: 'STMT0002',
    });
    const xml = await render(h, l());
    const result = await validate(xml);
    expect(result.errors).toEqual([]);
    expect(xml.match(/<Ntry>/g)).toHaveLength(1_000);
    expect(xml).toContain('<Prtry>FIXED_DEPOSIT</Prtry>');
  });

  it('when an id does not fit its ISO field, then rendering is refused rather than cutting it', async () => {
    await expect(render({ ...header, statementId: 'x'.repeat(36) }, lines)).rejects.toThrow(RangeError);
  });
});
