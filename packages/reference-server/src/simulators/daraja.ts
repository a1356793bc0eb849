import { randomUUID } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { darajaTimestamp, stkPassword } from '../modules/rails/mpesa/messages.ts';
import { CallbackScheduler, receiptNumber } from './chaos.ts';

/** What the simulated Daraja is set up with (the bank's sandbox credentials). */
export interface DarajaSimulatorConfig {
  consumerKey: string;
  consumerSecret: string;
  shortcode: string;
  passkey: string;
  b2cShortcode: string;
  initiatorName: string;
  securityCredential: string;
}

type Status = 'completed' | 'failed' | 'silent';

/** One transaction as the simulated M-Pesa knows it. */
interface Transaction {
  kind: 'stk' | 'b2c' | 'c2b';
  status: Status;
  amount: number;
  phone: string;
  receipt: string | undefined;
  resultCode: number;
  resultDesc: string;
  conversationId: string;
  originatorConversationId: string;
  checkoutRequestId?: string;
  at: Date;
}

const errorBody = (code: string, message: string) => ({
  requestId: randomUUID(),
  errorCode: code,
  errorMessage: message,
});

/**
 * A stand-in for Safaricom's Daraja, reached over HTTP at the same paths, answering in the same
 * shapes: OAuth tokens, STK push (answering the payer's phone: a number ending in 1032 cancels, one
 * ending in 1037 never answers, any other pays unless the failure knob says otherwise), B2C v3,
 * Transaction Status, C2B URL registration and the C2B simulate call (validation, then
 * confirmation). Callbacks go out asynchronously through the chaos scheduler. It keeps what it
 * moved, so a test can compare the bank's settlement account with it.
 */
export class DarajaSimulator {
  readonly scheduler: CallbackScheduler;
  readonly #tokens = new Map<string, number>();
  readonly #transactions = new Map<string, Transaction>();
  readonly #byReceipt = new Map<string, Transaction>();
  #c2bUrls: { validation: string; confirmation: string } | undefined;
  /** Money M-Pesa moved: received into the paybill, paid out from the B2C short code (whole shillings). */
  received = 0;
  paid = 0;
  requests = { token: 0, stk: 0, b2c: 0, status: 0, c2b: 0 };

  constructor(
    private readonly config: DarajaSimulatorConfig,
    log: (message: string, fields?: Record<string, unknown>) => void,
  ) {
    this.scheduler = new CallbackScheduler(log);
  }

  /** Net money into the bank through M-Pesa, in minor units (what the settlement account must show). */
  get netMinor(): bigint {
    return BigInt(this.received - this.paid) * 100n;
  }

  router(): Router {
    const router = express.Router();
    router.use(express.json({ limit: '64kb' }));
    router.get('/oauth/v1/generate', (req, res) => this.token(req, res));
    router.post(
      '/mpesa/stkpush/v1/processrequest',
      this.authed((req, res) => this.stkPush(req, res)),
    );
    router.post(
      '/mpesa/b2c/v3/paymentrequest',
      this.authed((req, res) => this.b2c(req, res)),
    );
    router.post(
      '/mpesa/transactionstatus/v1/query',
      this.authed((req, res) => this.status(req, res)),
    );
    router.post(
      ['/mpesa/c2b/v1/registerurl', '/mpesa/c2b/v2/registerurl'],
      this.authed((req, res) => this.register(req, res)),
    );
    router.post(
      ['/mpesa/c2b/v1/simulate', '/mpesa/c2b/v2/simulate'],
      this.authed((req, res) => this.c2b(req, res)),
    );
    return router;
  }

  private token(req: Request, res: Response): void {
    const expected = `Basic ${Buffer.from(`${this.config.consumerKey}:${this.config.consumerSecret}`).toString('base64')}`;
    if (req.query.grant_type !== 'client_credentials' || req.get('authorization') !== expected) {
      res.status(400).json(errorBody('400.008.01', 'Invalid Authentication passed'));
      return;
    }
    this.requests.token += 1;
    const token = randomUUID().replace(/-/g, '').slice(0, 28);
    this.#tokens.set(token, Date.now() + 3_599_000);
    res.json({ access_token: token, expires_in: '3599' });
  }

  private authed(handler: (req: Request, res: Response) => void) {
    return (req: Request, res: Response) => {
      const token = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1];
      const expiry = token ? this.#tokens.get(token) : undefined;
      if (!expiry || expiry < Date.now()) {
        res.status(401).json(errorBody('404.001.03', 'Invalid Access Token'));
        return;
      }
      handler(req, res);
    };
  }

  private stkPush(req: Request, res: Response): void {
    const b = req.body as Record<string, unknown>;
    const timestamp = String(b.Timestamp ?? '');
    const phone = String(b.PhoneNumber ?? '');
    if (
      b.BusinessShortCode !== this.config.shortcode ||
      b.Password !== stkPassword(this.config.shortcode, this.config.passkey, timestamp) ||
      !/^[0-9]{14}$/.test(timestamp)
    ) {
      res.status(400).json(errorBody('400.002.02', 'Bad Request - Invalid Password or BusinessShortCode'));
      return;
    }
    if (
      !Number.isInteger(b.Amount) ||
      (b.Amount as number) < 1 ||
      !/^2547[0-9]{8}$|^2541[0-9]{8}$/.test(phone)
    ) {
      res.status(400).json(errorBody('400.002.02', 'Bad Request - Invalid Amount or PhoneNumber'));
      return;
    }
    if (b.TransactionType !== 'CustomerPayBillOnline' || typeof b.CallBackURL !== 'string') {
      res.status(400).json(errorBody('400.002.02', 'Bad Request - Invalid TransactionType or CallBackURL'));
      return;
    }
    this.requests.stk += 1;
    const merchantRequestId = `${Math.floor(Math.random() * 90_000) + 10_000}-${Date.now() % 1e8}-1`;
    const checkoutRequestId = `ws_CO_${darajaTimestamp(new Date())}${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    res.json({
      MerchantRequestID: merchantRequestId,
      CheckoutRequestID: checkoutRequestId,
      ResponseCode: '0',
      ResponseDescription: 'Success. Request accepted for processing',
      CustomerMessage: 'Success. Request accepted for processing',
    });
    const amount = b.Amount as number;
    const tx = this.decide('stk', phone, amount, checkoutRequestId, checkoutRequestId);
    tx.checkoutRequestId = checkoutRequestId;
    if (tx.status === 'silent') return;
    const stkCallback: Record<string, unknown> = {
      MerchantRequestID: merchantRequestId,
      CheckoutRequestID: checkoutRequestId,
      ResultCode: tx.resultCode,
      ResultDesc: tx.resultDesc,
    };
    if (tx.status === 'completed')
      stkCallback.CallbackMetadata = {
        Item: [
          { Name: 'Amount', Value: amount },
          { Name: 'MpesaReceiptNumber', Value: tx.receipt },
          { Name: 'Balance' },
          { Name: 'TransactionDate', Value: Number(darajaTimestamp(tx.at)) },
          { Name: 'PhoneNumber', Value: Number(phone) },
        ],
      };
    this.scheduler.send(b.CallBackURL as string, { Body: { stkCallback } });
  }

  private b2c(req: Request, res: Response): void {
    const b = req.body as Record<string, unknown>;
    const phone = String(b.PartyB ?? '');
    if (
      b.InitiatorName !== this.config.initiatorName ||
      b.SecurityCredential !== this.config.securityCredential ||
      String(b.PartyA) !== this.config.b2cShortcode
    ) {
      res.status(400).json(errorBody('400.002.02', 'Bad Request - Invalid Initiator or SecurityCredential'));
      return;
    }
    if (!Number.isInteger(b.Amount) || (b.Amount as number) < 1 || !/^254[17][0-9]{8}$/.test(phone)) {
      res.status(400).json(errorBody('400.002.02', 'Bad Request - Invalid Amount or PartyB'));
      return;
    }
    const originator = String(b.OriginatorConversationID ?? '');
    if (!originator || typeof b.ResultURL !== 'string' || typeof b.QueueTimeOutURL !== 'string') {
      res.status(400).json(errorBody('400.002.02', 'Bad Request - Invalid OriginatorConversationID or URLs'));
      return;
    }
    this.requests.b2c += 1;
    const known = this.#transactions.get(originator);
    if (known) {
      // The same request again: M-Pesa does not pay twice.
      res.json({
        ConversationID: known.conversationId,
        OriginatorConversationID: originator,
        ResponseCode: '0',
        ResponseDescription: 'Accept the service request successfully.',
      });
      return;
    }
    const conversationId = `AG_${darajaTimestamp(new Date()).slice(0, 8)}_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    res.json({
      ConversationID: conversationId,
      OriginatorConversationID: originator,
      ResponseCode: '0',
      ResponseDescription: 'Accept the service request successfully.',
    });
    const tx = this.decide('b2c', phone, b.Amount as number, originator, conversationId);
    if (tx.status === 'silent') return;
    this.scheduler.send(b.ResultURL, this.result(tx));
  }

  private result(tx: Transaction) {
    const Result: Record<string, unknown> = {
      ResultType: 0,
      ResultCode: tx.resultCode,
      ResultDesc: tx.resultDesc,
      OriginatorConversationID: tx.originatorConversationId,
      ConversationID: tx.conversationId,
      TransactionID: tx.receipt ?? 'UNKNOWN000',
      ReferenceData: {
        ReferenceItem: {
          Key: 'QueueTimeoutURL',
          Value: 'https://internalsandbox.safaricom.co.ke/mpesa/b2cresults/v1/submit',
        },
      },
    };
    if (tx.status === 'completed')
      Result.ResultParameters = {
        ResultParameter: [
          { Key: 'TransactionAmount', Value: tx.amount },
          { Key: 'TransactionReceipt', Value: tx.receipt },
          { Key: 'B2CRecipientIsRegisteredCustomer', Value: 'Y' },
          { Key: 'ReceiverPartyPublicName', Value: `${tx.phone} - Simulated Customer` },
          { Key: 'TransactionCompletedDateTime', Value: tx.at.toISOString() },
        ],
      };
    return { Result };
  }

  private status(req: Request, res: Response): void {
    const b = req.body as Record<string, unknown>;
    if (
      b.Initiator !== this.config.initiatorName ||
      b.SecurityCredential !== this.config.securityCredential ||
      b.CommandID !== 'TransactionStatusQuery'
    ) {
      res.status(400).json(errorBody('400.002.02', 'Bad Request - Invalid Initiator or CommandID'));
      return;
    }
    if (typeof b.ResultURL !== 'string') {
      res.status(400).json(errorBody('400.002.02', 'Bad Request - Invalid ResultURL'));
      return;
    }
    this.requests.status += 1;
    const queryId = `${Math.floor(Math.random() * 90_000) + 10_000}-${Date.now() % 1e8}-1`;
    const conversationId = `AG_${darajaTimestamp(new Date()).slice(0, 8)}_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    res.json({
      OriginatorConversationID: queryId,
      ConversationID: conversationId,
      ResponseCode: '0',
      ResponseDescription: 'Accept the service request successfully.',
    });
    const tx =
      (typeof b.TransactionID === 'string' && b.TransactionID !== ''
        ? this.#byReceipt.get(b.TransactionID)
        : undefined) ?? this.#transactions.get(String(b.OriginalConversationID ?? ''));
    // A phone that never answers is not known to M-Pesa either: no result at all.
    if (tx?.status === 'silent') return;
    const occasion = { ReferenceItem: { Key: 'Occasion', Value: String(b.Occasion ?? '') } };
    if (!tx) {
      this.scheduler.send(b.ResultURL, {
        Result: {
          ResultType: 0,
          ResultCode: 2001,
          ResultDesc: 'The transaction is not found.',
          OriginatorConversationID: queryId,
          ConversationID: conversationId,
          TransactionID: 'UNKNOWN000',
          ReferenceData: occasion,
        },
      });
      return;
    }
    this.scheduler.send(b.ResultURL, {
      Result: {
        ResultType: 0,
        ResultCode: 0,
        ResultDesc: 'The service request has been accepted successfully.',
        OriginatorConversationID: queryId,
        ConversationID: conversationId,
        TransactionID: tx.receipt ?? 'UNKNOWN000',
        ResultParameters: {
          ResultParameter: [
            { Key: 'ReceiptNo', Value: tx.receipt ?? '' },
            { Key: 'Conversation ID', Value: tx.conversationId },
            { Key: 'FinalisedTime', Value: Number(darajaTimestamp(tx.at)) },
            { Key: 'Amount', Value: tx.amount },
            { Key: 'TransactionStatus', Value: tx.status === 'completed' ? 'Completed' : 'Failed' },
            {
              Key: 'ReasonType',
              Value: tx.kind === 'b2c' ? 'Business Payment to Customer via API' : 'Pay Bill Online',
            },
            { Key: 'Originator Conversation ID', Value: tx.originatorConversationId },
            { Key: 'CreditPartyName', Value: `${tx.phone} - Simulated Customer` },
            { Key: 'DebitPartyName', Value: `${this.config.b2cShortcode} - Wekeza` },
          ],
        },
        ReferenceData: occasion,
      },
    });
  }

  private register(req: Request, res: Response): void {
    const b = req.body as Record<string, unknown>;
    if (
      String(b.ShortCode) !== this.config.shortcode ||
      typeof b.ValidationURL !== 'string' ||
      typeof b.ConfirmationURL !== 'string'
    ) {
      res.status(400).json(errorBody('400.003.01', 'Invalid ShortCode or URLs'));
      return;
    }
    this.#c2bUrls = { validation: b.ValidationURL, confirmation: b.ConfirmationURL };
    res.json({ OriginatorCoversationID: randomUUID(), ResponseCode: '0', ResponseDescription: 'Success' });
  }

  /** A payer pays the paybill from their phone, to an account number of their choosing. */
  private c2b(req: Request, res: Response): void {
    const b = req.body as Record<string, unknown>;
    const phone = String(b.Msisdn ?? '');
    const amount = Number(b.Amount);
    if (
      String(b.ShortCode) !== this.config.shortcode ||
      !Number.isInteger(amount) ||
      amount < 1 ||
      !/^254[17][0-9]{8}$/.test(phone)
    ) {
      res.status(400).json(errorBody('400.002.02', 'Bad Request - Invalid ShortCode, Amount or Msisdn'));
      return;
    }
    const urls = this.#c2bUrls;
    if (!urls) {
      res.status(400).json(errorBody('400.003.02', 'No C2B URLs registered for this short code'));
      return;
    }
    this.requests.c2b += 1;
    const conversationId = `AG_${darajaTimestamp(new Date()).slice(0, 8)}_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    res.json({
      OriginatorCoversationID: randomUUID(),
      ConversationID: conversationId,
      ResponseCode: '0',
      ResponseDescription: 'Accept the service request successfully.',
    });
    const receipt = receiptNumber();
    const notice = {
      TransactionType: 'Pay Bill',
      TransID: receipt,
      TransTime: darajaTimestamp(new Date()),
      TransAmount: amount.toFixed(2),
      BusinessShortCode: this.config.shortcode,
      BillRefNumber: String(b.BillRefNumber ?? ''),
      InvoiceNumber: '',
      OrgAccountBalance: '',
      ThirdPartyTransID: '',
      MSISDN: phone,
      FirstName: 'Simulated',
      MiddleName: '',
      LastName: 'Payer',
    };
    // Validation first, always delivered; the payment happens only when the bank accepts it.
    this.scheduler.send(urls.validation, notice, {
      reliable: true,
      onReply: async (status, reply) => {
        const code = (reply as { ResultCode?: unknown } | undefined)?.ResultCode;
        if (status !== 200 || String(code) !== '0') return;
        const tx: Transaction = {
          kind: 'c2b',
          status: 'completed',
          amount,
          phone,
          receipt,
          resultCode: 0,
          resultDesc: 'Completed',
          conversationId,
          originatorConversationId: conversationId,
          at: new Date(),
        };
        this.#transactions.set(conversationId, tx);
        this.#byReceipt.set(receipt, tx);
        this.received += amount;
        this.scheduler.send(urls.confirmation, {
          ...notice,
          OrgAccountBalance: String(this.received - this.paid),
        });
      },
    });
  }

  /** What M-Pesa does with a request: the magic phones first, then the failure knob. */
  private decide(
    kind: 'stk' | 'b2c',
    phone: string,
    amount: number,
    originator: string,
    conversationId: string,
  ): Transaction {
    const tx: Transaction = {
      kind,
      status: 'completed',
      amount,
      phone,
      receipt: undefined,
      resultCode: 0,
      resultDesc: 'The service request is processed successfully.',
      conversationId,
      originatorConversationId: originator,
      at: new Date(),
    };
    if (phone.endsWith('1037')) {
      tx.status = 'silent';
    } else if (phone.endsWith('1032')) {
      Object.assign(tx, { status: 'failed', resultCode: 1032, resultDesc: 'Request cancelled by user' });
    } else if (Math.random() < this.scheduler.knobs.failureRate) {
      Object.assign(
        tx,
        kind === 'stk'
          ? {
              status: 'failed',
              resultCode: 1,
              resultDesc: 'The balance is insufficient for the transaction.',
            }
          : {
              status: 'failed',
              resultCode: 2040,
              resultDesc:
                'Credit Party customer type (Unregistered or Registered Customer) cannot be supported by the service.',
            },
      );
    } else {
      tx.receipt = receiptNumber();
      if (kind === 'stk') this.received += amount;
      else this.paid += amount;
    }
    this.#transactions.set(originator, tx);
    if (tx.receipt) this.#byReceipt.set(tx.receipt, tx);
    return tx;
  }
}
