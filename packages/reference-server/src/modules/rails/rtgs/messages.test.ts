import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { pacs002 } from '../../../simulators/rtgs.ts';
import { type CreditTransfer, Iso20022Error, pacs008, pacs028, readPacs002 } from './messages.ts';
import { RtgsRail } from './rail.ts';
import { FolderTransport } from './transport.ts';

const schema = (name: string) => readFile(new URL(`./${name}.subset.xsd`, import.meta.url), 'utf8');

async function validate(xml: string, name: 'pacs008' | 'pacs002' | 'pacs028') {
  return validateXML({
    xml: { fileName: `${name}.xml`, contents: xml },
    schema: { fileName: `${name}.subset.xsd`, contents: await schema(name) },
    initialMemoryPages: 256,
    maxMemoryPages: 4096,
  });
}

const transfer: CreditTransfer = {
  id: 'wdr_01JTEST0000000000000000000',
  createdAt: new Date('2026-03-02T08:15:00.123Z'),
  settlementDate: '2026-03-02',
  amountMinor: 1_234_550n,
  currency: 'KES',
  debtorName: 'Wanjirũ Kamau & Sons <Ltd>',
  debtorAccount: 'acc_01JTEST0000000000000000000',
  debtorAgentBic: 'WEKZKENA',
  creditorAgent: 'KCBLKENX',
  creditorName: 'Otieno "Oti" Ochieng',
  creditorAccount: '1100223344',
  remittance: 'Rent\u0001 for March',
};

describe('ISO 20022 messages of an RTGS payout', () => {
  it('when a pacs.008 is written, then it is valid against the pacs.008.001.08 subset schema, amounts to the cent', async () => {
    const xml = pacs008(transfer);
    const result = await validate(xml, 'pacs008');
    expect(result.errors).toEqual([]);
    expect(xml).toContain('<IntrBkSttlmAmt Ccy="KES">12345.50</IntrBkSttlmAmt>');
    expect(xml).toContain('<Nm>Wanjirũ Kamau &amp; Sons &lt;Ltd&gt;</Nm>');
    expect(xml).toContain('<Ustrd>Rent for March</Ustrd>');
  });

  it('when the creditor bank is a clearing member id, then it goes in ClrSysMmbId, still valid', async () => {
    const xml = pacs008({ ...transfer, creditorAgent: '01' });
    expect(xml).toMatch(/<ClrSysMmbId>\s*<ClrSysId>\s*<Cd>KEPSS<\/Cd>\s*<\/ClrSysId>\s*<MmbId>01<\/MmbId>/);
    expect((await validate(xml, 'pacs008')).valid).toBe(true);
  });

  it('when elements are out of order or missing, then the subset schema refuses the document', async () => {
    const xml = pacs008(transfer);
    const reordered = xml.replace(
      /(<IntrBkSttlmDt>[^<]*<\/IntrBkSttlmDt>\s*)(<ChrgBr>SLEV<\/ChrgBr>)/,
      '$2$1',
    );
    expect(reordered).not.toBe(xml);
    expect((await validate(reordered, 'pacs008')).valid).toBe(false);
    expect((await validate(xml.replace(/<EndToEndId>[^<]*<\/EndToEndId>/, ''), 'pacs008')).valid).toBe(false);
  });

  it('when any amount is written, then the XML amount is the minor units to the cent (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 99_999_999_999_99n }), (minor) => {
        const xml = pacs008({ ...transfer, amountMinor: minor });
        const amount = /<IntrBkSttlmAmt Ccy="KES">([0-9.]+)<\/IntrBkSttlmAmt>/.exec(xml)?.[1] ?? '';
        const [whole, cents] = amount.split('.');
        expect(BigInt(whole ?? '') * 100n + BigInt(cents ?? '')).toBe(minor);
      }),
      { numRuns: 200 },
    );
  });

  it('when a pacs.028 asks about a payout, then it is valid against the pacs.028.001.03 subset schema', async () => {
    const xml = pacs028({ id: 'Q01JTEST', createdAt: new Date(), originalId: transfer.id });
    expect((await validate(xml, 'pacs028')).errors).toEqual([]);
  });

  it('when the simulator reports a status, then the report is valid pacs.002.001.10 and reads back', async () => {
    for (const report of [
      { endToEndId: transfer.id, status: 'ACSC', statusId: 'ST1' },
      { endToEndId: transfer.id, status: 'RJCT', reason: 'AC04', statusId: 'ST2' },
    ]) {
      const xml = pacs002(report);
      expect((await validate(xml, 'pacs002')).errors).toEqual([]);
      const read = readPacs002(xml);
      expect(read.statuses).toEqual([
        { endToEndId: transfer.id, status: report.status, reason: report.reason, reference: report.statusId },
      ]);
    }
  });

  it('when a report uses a namespace prefix, then it reads the same', () => {
    const xml = pacs002({ endToEndId: 'E1', status: 'ACSC', statusId: 'S1' })
      .replace('<Document xmlns=', '<p:Document xmlns:p=')
      .replace('</Document>', '</p:Document>');
    expect(readPacs002(xml).statuses[0]?.status).toBe('ACSC');
  });

  it.each([
    ['a DOCTYPE (entity expansion)', '<!DOCTYPE x [<!ENTITY a "b">]><Document/>'],
    ['another message', pacs008(transfer)],
    [
      'no namespace',
      '<Document><FIToFIPmtStsRpt><GrpHdr><MsgId>1</MsgId></GrpHdr></FIToFIPmtStsRpt></Document>',
    ],
    ['not XML', '{"Body":{}}'],
    [
      'a transaction without a status',
      pacs002({ endToEndId: 'E1', status: 'ACSC', statusId: 'S' }).replace(/<TxSts>ACSC<\/TxSts>/, ''),
    ],
  ])('when a status report is %s, then it is refused', (_name, xml) => {
    expect(() => readPacs002(xml)).toThrow(Iso20022Error);
  });

  it('when the transport is a folder, then pacs.008 lands in outbox and pacs.002 reports in inbox settle the payout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wekeza-rtgs-'));
    const rail = new RtgsRail(
      new FolderTransport(dir),
      { bic: 'WEKZKENA', clearingSystem: 'KEPSS', currencies: ['KES'] },
      {
        now: () => new Date(),
      },
    );
    const started = await rail.startPayout({
      movementId: transfer.id,
      amountMinor: 5000n,
      currency: 'KES',
      destination: { bankCode: 'KCBLKENX', accountNumber: '123', accountName: 'J' },
      payerName: 'A',
      accountId: 'acc_1',
      bankDate: '2026-03-02',
      description: 'test',
    });
    expect(started).toEqual({ status: 'accepted', railReference: transfer.id });
    const sent = readdirSync(join(dir, 'outbox'));
    expect(sent).toEqual([`pacs008-${transfer.id}.xml`]);
    expect(
      (await validate(readFileSync(join(dir, 'outbox', sent[0] as string), 'utf8'), 'pacs008')).valid,
    ).toBe(true);
    mkdirSync(join(dir, 'inbox'), { recursive: true });
    writeFileSync(
      join(dir, 'inbox', 'r1.xml'),
      pacs002({ endToEndId: transfer.id, status: 'ACSC', statusId: 'ST9' }),
    );
    writeFileSync(join(dir, 'inbox', 'junk.xml'), '<nonsense/>');
    expect(await rail.poll()).toEqual([
      { type: 'payout.succeeded', railReference: transfer.id, receipt: 'ST9' },
    ]);
    expect(readdirSync(join(dir, 'inbox'))).toEqual([]);
    expect(readdirSync(join(dir, 'processed')).sort()).toEqual(['junk.xml', 'r1.xml']);
  });
});
