/**
 * The ISO 20022 statement: camt.053.001.08, BankToCustomerStatementV08 — the version SWIFT's
 * cross-border (CBPR+) usage guidelines and most banks' ISO 20022 migrations settled on, so the one
 * accounting software most often reads. Streamed through `XmlWriter` (xml-writer.ts), one entry at a
 * time.
 *
 * What is emitted, in the schema's order (see camt053.subset.xsd beside this file, a subset of the
 * official XSD that the tests validate against):
 *
 *     Document/BkToCstmrStmt
 *       GrpHdr: MsgId, CreDtTm
 *       Stmt: Id, CreDtTm, FrToDt, Acct (Id/Othr/Id, Tp, Ccy, Ownr/Nm, Svcr/FinInstnId),
 *             Bal OPBD (opening booked, dated `from`), Bal CLBD (closing booked, dated `to`),
 *             one Ntry per line: NtryRef, Amt Ccy, CdtDbtInd, Sts/Cd BOOK, BookgDt, ValDt,
 *                                AcctSvcrRef, BkTxCd/Prtry/Cd (the entry's kind), AddtlNtryInf
 *
 * Amounts are unsigned with a credit/debit indicator, from the account holder's side: money in and a
 * balance in the customer's favour are CRDT. `NtryRef` and `AcctSvcrRef` are the ledger journal
 * entry id. The optional `TxsSummry` (totals) would have to precede the entries and is left out so
 * the document streams in one pass.
 */
import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import { formatAmount } from '@wekeza/sdk';
import {
  checkedLines,
  checkStatementHeader,
  type StatementAccountType,
  type StatementHeader,
  type StatementLine,
} from './statement.ts';
import { ChunkBuffer, writeChunks } from './stream.ts';
import { hasNonXmlCharacters, XmlWriter, xmlCharacters } from './xml-writer.ts';

export const CAMT053_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.08';

/** ISO 20022 external cash account type codes (wallets are transactional current accounts); fixed deposits have none. */
const ACCOUNT_TYPE: Record<StatementAccountType, { Cd: string } | { Prtry: string }> = {
  wallet: { Cd: 'CACC' },
  savings: { Cd: 'SVGS' },
  fixed_deposit: { Prtry: 'FIXED_DEPOSIT' },
};

/** Streams the camt.053 statement to `out` and ends it. Rejects (and destroys `out`) on a mismatch. */
export async function renderCamt053Statement(
  header: StatementHeader,
  lines: AsyncIterable<StatementLine> | Iterable<StatementLine>,
  out: Writable,
): Promise<void> {
  await writeChunks(camt053Chunks(header, lines), out);
}

async function* camt053Chunks(
  header: StatementHeader,
  lines: AsyncIterable<StatementLine> | Iterable<StatementLine>,
): AsyncGenerator<string> {
  checkStatementHeader(header);
  const { currency } = header;
  const statementId = identifier(header.statementId ?? randomUUID().replaceAll('-', ''), 35, 'statementId');
  const created = header.generatedAt.toISOString();
  const buffer = new ChunkBuffer();
  const xml = new XmlWriter((text) => buffer.add(text));
  const amount = (minor: bigint) => {
    xml.leaf('Amt', formatAmount(minor < 0n ? -minor : minor, currency), { Ccy: currency });
    xml.leaf('CdtDbtInd', minor < 0n ? 'DBIT' : 'CRDT');
  };
  const date = (name: string, value: string) => xml.start(name).leaf('Dt', value).end();
  const balance = (code: 'OPBD' | 'CLBD', minor: bigint, on: string) => {
    xml.start('Bal').start('Tp').start('CdOrPrtry').leaf('Cd', code).end().end();
    amount(minor);
    date('Dt', on);
    xml.end();
  };

  xml.declaration();
  xml.start('Document', { xmlns: CAMT053_NAMESPACE }).start('BkToCstmrStmt');
  xml.start('GrpHdr').leaf('MsgId', statementId).leaf('CreDtTm', created).end();

  xml.start('Stmt').leaf('Id', statementId).leaf('CreDtTm', created);
  xml.start('FrToDt').leaf('FrDtTm', `${header.from}T00:00:00`).leaf('ToDtTm', `${header.to}T23:59:59`).end();

  xml.start('Acct');
  xml
    .start('Id')
    .start('Othr')
    .leaf('Id', identifier(header.accountId, 34, 'accountId'))
    .end()
    .end();
  const type = ACCOUNT_TYPE[header.accountType];
  xml.start('Tp');
  if ('Cd' in type) xml.leaf('Cd', type.Cd);
  else xml.leaf('Prtry', type.Prtry);
  xml.end();
  xml.leaf('Ccy', currency);
  const owner = text(header.customerName, 140);
  if (owner) xml.start('Ownr').leaf('Nm', owner).end();
  xml.start('Svcr').start('FinInstnId');
  if (header.bankBic) xml.leaf('BICFI', identifier(header.bankBic, 11, 'bankBic'));
  const bankName = text(header.bankName, 140);
  if (bankName) xml.leaf('Nm', bankName);
  if (header.bankCode)
    xml
      .start('Othr')
      .leaf('Id', identifier(header.bankCode, 35, 'bankCode'))
      .end();
  xml.end().end();
  xml.end(); // Acct

  balance('OPBD', header.openingBalance, header.from);
  balance('CLBD', header.closingBalance, header.to);

  for await (const line of checkedLines(header, lines)) {
    const reference = identifier(line.entryId, 35, 'entryId');
    xml.start('Ntry').leaf('NtryRef', reference);
    amount(line.amount);
    xml.start('Sts').leaf('Cd', 'BOOK').end();
    date('BookgDt', line.date);
    date('ValDt', line.date);
    xml.leaf('AcctSvcrRef', reference);
    xml
      .start('BkTxCd')
      .start('Prtry')
      .leaf('Cd', text(line.kind ?? '', 35) || 'OTHR')
      .end()
      .end();
    const description = text(line.description, 500);
    if (description) xml.leaf('AddtlNtryInf', description);
    xml.end();
    if (buffer.full) yield buffer.take();
  }

  xml.end().end().end(); // Stmt, BkToCstmrStmt, Document
  xml.finish();
  yield buffer.take();
}

/** Free text fitted to a MaxNText field: characters XML cannot carry dropped, whitespace runs folded, cut to `max` characters. */
function text(value: string, max: number): string {
  const clean = xmlCharacters(value).replace(/\s+/g, ' ').trim();
  return [...clean].slice(0, max).join('').trim();
}

/** An identifier must fit its field whole: cutting one could make two statements or entries look alike. */
function identifier(value: string, max: number, what: string): string {
  if (value.length === 0 || value.length > max || hasNonXmlCharacters(value)) {
    throw new RangeError(`${what} must be 1 to ${max} characters for camt.053, got ${JSON.stringify(value)}`);
  }
  return value;
}
