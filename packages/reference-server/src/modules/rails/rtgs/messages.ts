import { randomUUID } from 'node:crypto';
import { formatAmount } from '@wekeza/sdk';
import { XMLParser } from 'fast-xml-parser';
import { XmlWriter } from '../../statements/xml-writer.ts';

/**
 * The ISO 20022 messages of an RTGS payout: pacs.008 (FIToFICustomerCreditTransfer) carries it,
 * pacs.028 (FIToFIPaymentStatusRequest) asks about it, pacs.002 (FIToFIPaymentStatusReport)
 * answers. The subset schemas beside this file (`*.subset.xsd`) say exactly what is emitted.
 */

export const PACS008_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08';
export const PACS028_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pacs.028.001.03';
export const PACS002_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10';

/** A BIC (ISO 9362): 4 letters, 2 letters, 2 alphanumerics, optionally a 3-character branch. */
export const BIC = /^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$/;

export interface CreditTransfer {
  /** Message and end-to-end id (our movement id; at most 35 characters). */
  id: string;
  createdAt: Date;
  settlementDate: string;
  amountMinor: bigint;
  currency: string;
  debtorName: string;
  debtorAccount: string;
  /** Our own BIC. */
  debtorAgentBic: string;
  /** The creditor's bank: a BIC, or the member id in the RTGS's clearing system. */
  creditorAgent: string;
  creditorName: string;
  creditorAccount: string;
  remittance: string;
}

function agent(w: XmlWriter, name: string, id: string, clearingSystem: string): void {
  w.start(name).start('FinInstnId');
  if (BIC.test(id)) w.leaf('BICFI', id);
  else w.start('ClrSysMmbId').start('ClrSysId').leaf('Cd', clearingSystem).end().leaf('MmbId', id).end();
  w.end().end();
}

const max = (text: string, length: number) => text.replace(/\s+/g, ' ').trim().slice(0, length) || '-';
const isoDateTime = (at: Date) => at.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** pacs.008.001.08 for one credit transfer, settled by the RTGS (CLRG). */
export function pacs008(transfer: CreditTransfer, clearingSystem = 'KEPSS'): string {
  let xml = '';
  const w = new XmlWriter((piece) => {
    xml += piece;
  });
  w.declaration().start('Document', { xmlns: PACS008_NAMESPACE }).start('FIToFICstmrCdtTrf');
  w.start('GrpHdr')
    .leaf('MsgId', transfer.id)
    .leaf('CreDtTm', isoDateTime(transfer.createdAt))
    .leaf('NbOfTxs', '1')
    .start('SttlmInf')
    .leaf('SttlmMtd', 'CLRG')
    .end()
    .end();
  w.start('CdtTrfTxInf');
  w.start('PmtId')
    .leaf('InstrId', transfer.id)
    .leaf('EndToEndId', transfer.id)
    .leaf('UETR', randomUUID())
    .end();
  w.leaf('IntrBkSttlmAmt', formatAmount(transfer.amountMinor, transfer.currency), { Ccy: transfer.currency });
  w.leaf('IntrBkSttlmDt', transfer.settlementDate);
  w.leaf('ChrgBr', 'SLEV');
  agent(w, 'InstgAgt', transfer.debtorAgentBic, clearingSystem);
  agent(w, 'InstdAgt', transfer.creditorAgent, clearingSystem);
  w.start('Dbtr').leaf('Nm', max(transfer.debtorName, 140)).end();
  w.start('DbtrAcct').start('Id').start('Othr').leaf('Id', max(transfer.debtorAccount, 34)).end().end().end();
  agent(w, 'DbtrAgt', transfer.debtorAgentBic, clearingSystem);
  agent(w, 'CdtrAgt', transfer.creditorAgent, clearingSystem);
  w.start('Cdtr').leaf('Nm', max(transfer.creditorName, 140)).end();
  w.start('CdtrAcct')
    .start('Id')
    .start('Othr')
    .leaf('Id', max(transfer.creditorAccount, 34))
    .end()
    .end()
    .end();
  w.start('RmtInf').leaf('Ustrd', max(transfer.remittance, 140)).end();
  w.end().end().end().finish();
  return xml;
}

/** pacs.028.001.03: "what became of this pacs.008?" */
export function pacs028(input: { id: string; createdAt: Date; originalId: string }): string {
  let xml = '';
  const w = new XmlWriter((piece) => {
    xml += piece;
  });
  w.declaration().start('Document', { xmlns: PACS028_NAMESPACE }).start('FIToFIPmtStsReq');
  w.start('GrpHdr').leaf('MsgId', input.id).leaf('CreDtTm', isoDateTime(input.createdAt)).end();
  w.start('TxInf')
    .start('OrgnlGrpInf')
    .leaf('OrgnlMsgId', input.originalId)
    .leaf('OrgnlMsgNmId', 'pacs.008.001.08')
    .end()
    .leaf('OrgnlInstrId', input.originalId)
    .leaf('OrgnlEndToEndId', input.originalId)
    .end();
  w.end().end().finish();
  return xml;
}

/** One transaction's status from a pacs.002. */
export interface PaymentStatus {
  endToEndId: string;
  /** ACSC/ACCC settled, RJCT rejected; PDNG, ACSP, ACTC… not final. */
  status: string;
  reason: string | undefined;
  /** What identifies the settlement at the RTGS (the status id, else the report's message id). */
  reference: string;
}

export class Iso20022Error extends Error {
  override name = 'Iso20022Error';
}

const parser = new XMLParser({
  ignoreAttributes: false,
  removeNSPrefix: true,
  parseTagValue: false,
  isArray: (name) => name === 'TxInfAndSts' || name === 'StsRsnInf',
});

type Node = Record<string, unknown>;
const text = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? value.trim()
    : value && typeof value === 'object' && '#text' in value
      ? String((value as Node)['#text']).trim()
      : undefined;

/** Whether the document declares the message's namespace (as default or with a prefix; prefixes are dropped when parsing). */
export function declaresNamespace(xml: string, namespace: string): boolean {
  return new RegExp(`xmlns(:[A-Za-z_][\\w.-]*)?=["']${namespace.replace(/\./g, '\\.')}["']`).test(xml);
}

/** Reads the transaction statuses of a pacs.002 (FIToFIPmtStsRpt); throws Iso20022Error when it is not one. */
export function readPacs002(xml: string): { messageId: string; statuses: PaymentStatus[] } {
  if (typeof xml !== 'string' || xml.length > 1_000_000 || /<!DOCTYPE|<!ENTITY/i.test(xml))
    throw new Iso20022Error('not an acceptable XML document');
  let document: Node;
  try {
    document = parser.parse(xml, true) as Node;
  } catch (error) {
    throw new Iso20022Error(`not well-formed XML: ${(error as Error).message}`);
  }
  const root = (document.Document as Node | undefined)?.FIToFIPmtStsRpt as Node | undefined;
  if (!root || !declaresNamespace(xml, PACS002_NAMESPACE))
    throw new Iso20022Error('not a pacs.002.001.10 FIToFIPmtStsRpt');
  const messageId = text((root.GrpHdr as Node | undefined)?.MsgId);
  if (!messageId) throw new Iso20022Error('GrpHdr/MsgId is missing');
  const statuses = ((root.TxInfAndSts as Node[] | undefined) ?? []).map((tx) => {
    const endToEndId = text(tx.OrgnlEndToEndId);
    const status = text(tx.TxSts);
    if (!endToEndId || !status) throw new Iso20022Error('TxInfAndSts without OrgnlEndToEndId or TxSts');
    const reason = (tx.StsRsnInf as Node[] | undefined)?.[0]?.Rsn as Node | undefined;
    return {
      endToEndId,
      status,
      reason: text(reason?.Cd) ?? text(reason?.Prtry),
      reference: text(tx.StsId) ?? messageId,
    };
  });
  return { messageId, statuses };
}
