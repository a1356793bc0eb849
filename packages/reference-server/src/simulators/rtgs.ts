import { randomUUID } from 'node:crypto';
import { parseAmount } from '@wekeza/sdk';
import express, { type Request, type Response, type Router } from 'express';
import { XMLParser } from 'fast-xml-parser';
import {
  declaresNamespace,
  PACS002_NAMESPACE,
  PACS008_NAMESPACE,
  PACS028_NAMESPACE,
} from '../modules/rails/rtgs/messages.ts';
import { XmlWriter } from '../modules/statements/xml-writer.ts';
import { CallbackScheduler } from './chaos.ts';

interface Payment {
  endToEndId: string;
  amountMinor: bigint;
  currency: string;
  status: 'ACSC' | 'RJCT' | 'silent';
  reason: string | undefined;
  statusId: string;
}

const parser = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true, parseTagValue: false });

/**
 * A stand-in for the RTGS gateway: takes pacs.008 credit transfers and pacs.028 status requests
 * over HTTP (`POST /rtgs/messages`, application/xml) and answers each asynchronously with a pacs.002
 * status report posted to the bank's callback: ACSC (settled), or RJCT with a reason when the
 * failure knob says so. An account number ending in 1037 is never answered.
 */
export class RtgsSimulator {
  readonly scheduler: CallbackScheduler;
  readonly #payments = new Map<string, Payment>();
  /** Where status reports go (`/v1/rails/rtgs/status-report/{token}`); the bank sets it when it listens. */
  callbackUrl: string | undefined;
  /** Money settled out of the bank, per currency, in minor units. */
  readonly settled = new Map<string, bigint>();
  /** Every message received, for tests that check what was sent. */
  readonly received: string[] = [];

  constructor(log: (message: string, fields?: Record<string, unknown>) => void) {
    this.scheduler = new CallbackScheduler(log);
  }

  router(): Router {
    const router = express.Router();
    router.post('/rtgs/messages', express.text({ type: '*/*', limit: '256kb' }), (req, res) =>
      this.message(req, res),
    );
    return router;
  }

  private message(req: Request, res: Response): void {
    const xml = typeof req.body === 'string' ? req.body : '';
    let document: Record<string, Record<string, unknown>>;
    try {
      document = parser.parse(xml, true) as typeof document;
    } catch {
      res.status(400).json({ error: 'not well-formed XML' });
      return;
    }
    const root = document.Document;
    this.received.push(xml);
    if (declaresNamespace(xml, PACS008_NAMESPACE) && root?.FIToFICstmrCdtTrf) {
      const transfer = root.FIToFICstmrCdtTrf as Record<string, Record<string, unknown>>;
      const tx = transfer.CdtTrfTxInf as Record<string, Record<string, unknown>>;
      const endToEndId = String(tx?.PmtId?.EndToEndId ?? '');
      const amount = tx?.IntrBkSttlmAmt as { '#text'?: string; '@_Ccy'?: string } | undefined;
      const account = String(
        ((tx?.CdtrAcct?.Id as Record<string, Record<string, unknown>>)?.Othr?.Id as string) ?? '',
      );
      if (!endToEndId || !amount?.['#text'] || !amount['@_Ccy']) {
        res.status(400).json({ error: 'a pacs.008 without EndToEndId or IntrBkSttlmAmt' });
        return;
      }
      res.status(202).json({ accepted: endToEndId });
      if (this.#payments.has(endToEndId)) return; // a duplicate message settles nothing twice
      const currency = amount['@_Ccy'];
      const payment: Payment = {
        endToEndId,
        amountMinor: parseAmount(amount['#text'].trim(), currency),
        currency,
        status: 'ACSC',
        reason: undefined,
        statusId: `ST${randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase()}`,
      };
      if (account.endsWith('1037')) payment.status = 'silent';
      else if (Math.random() < this.scheduler.knobs.failureRate)
        Object.assign(payment, { status: 'RJCT', reason: 'AC04' });
      else this.settled.set(currency, (this.settled.get(currency) ?? 0n) + payment.amountMinor);
      this.#payments.set(endToEndId, payment);
      this.report(payment);
      return;
    }
    if (declaresNamespace(xml, PACS028_NAMESPACE) && root?.FIToFIPmtStsReq) {
      const request = root.FIToFIPmtStsReq as Record<string, Record<string, unknown>>;
      const endToEndId = String(request.TxInf?.OrgnlEndToEndId ?? '');
      res.status(202).json({ accepted: endToEndId });
      const payment = this.#payments.get(endToEndId);
      if (payment) this.report(payment);
      return;
    }
    res.status(400).json({ error: 'expected a pacs.008.001.08 or pacs.028.001.03 document' });
  }

  private report(payment: Payment): void {
    if (payment.status === 'silent' || !this.callbackUrl) return;
    this.scheduler.send(this.callbackUrl, pacs002(payment), { contentType: 'application/xml' });
  }
}

/** A pacs.002.001.10 status report for one transaction. */
export function pacs002(payment: {
  endToEndId: string;
  status: string;
  reason?: string | undefined;
  statusId: string;
}): string {
  let xml = '';
  const w = new XmlWriter((piece) => {
    xml += piece;
  });
  w.declaration().start('Document', { xmlns: PACS002_NAMESPACE }).start('FIToFIPmtStsRpt');
  w.start('GrpHdr')
    .leaf('MsgId', `RPT${randomUUID().replace(/-/g, '').slice(0, 20).toUpperCase()}`)
    .leaf('CreDtTm', new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'))
    .end();
  w.start('OrgnlGrpInfAndSts')
    .leaf('OrgnlMsgId', payment.endToEndId)
    .leaf('OrgnlMsgNmId', 'pacs.008.001.08')
    .end();
  w.start('TxInfAndSts')
    .leaf('StsId', payment.statusId)
    .leaf('OrgnlEndToEndId', payment.endToEndId)
    .leaf('TxSts', payment.status);
  if (payment.reason) w.start('StsRsnInf').start('Rsn').leaf('Cd', payment.reason).end().end();
  w.end().end().end().finish();
  return xml;
}
