import type { Clock } from '../../../clock.ts';
import { newId } from '../../../ids.ts';
import type {
  CallbackContext,
  CallbackResult,
  MovementRef,
  PaymentRail,
  PayoutRequest,
  RailOutcome,
  StartResult,
} from '../rail.ts';
import { RailCallbackError } from '../rail.ts';
import { Iso20022Error, pacs008, pacs028, readPacs002 } from './messages.ts';
import type { RtgsTransport } from './transport.ts';

export interface RtgsConfig {
  /** Our own BIC, the debtor agent of every payout. */
  bic: string;
  /** The clearing system code used for creditor agents given by member id (Kenya's RTGS: KEPSS). */
  clearingSystem: string;
  currencies: string[];
}

const SETTLED = new Set(['ACSC', 'ACCC']);
const REJECTED = new Set(['RJCT', 'CANC']);

/**
 * RTGS payouts: one pacs.008 per withdrawal handed to the transport; a pacs.002 status report
 * settles it (ACSC/ACCC) or fails it (RJCT); pacs.028 asks about one that got no report.
 */
export class RtgsRail implements PaymentRail {
  readonly name = 'rtgs';
  readonly settlementAccount = 'settlement_rtgs' as const;
  readonly directions = ['withdrawal'] as const;
  readonly destinationKind = 'bank_account' as const;
  readonly callbackKinds = ['status-report'] as const;
  readonly currencies: readonly string[];

  constructor(
    private readonly transport: RtgsTransport,
    private readonly config: RtgsConfig,
    private readonly clock: Clock,
  ) {
    this.currencies = config.currencies;
  }

  checkAmount(_amountMinor: bigint, currency: string): string | undefined {
    return this.currencies.includes(currency) ? undefined : `RTGS moves ${this.currencies.join(', ')} only.`;
  }

  async startPayout(request: PayoutRequest): Promise<StartResult> {
    if ('phone' in request.destination) return { status: 'refused', reason: 'RTGS pays bank accounts only' };
    const xml = pacs008(
      {
        id: request.movementId,
        createdAt: this.clock.now(),
        settlementDate: request.bankDate,
        amountMinor: request.amountMinor,
        currency: request.currency,
        debtorName: request.payerName,
        debtorAccount: request.accountId,
        debtorAgentBic: this.config.bic,
        creditorAgent: request.destination.bankCode,
        creditorName: request.destination.accountName,
        creditorAccount: request.destination.accountNumber,
        remittance: request.description,
      },
      this.config.clearingSystem,
    );
    const sent = await this.transport.send(`pacs008-${request.movementId}.xml`, xml);
    if (sent.status === 'sent') return { status: 'accepted', railReference: request.movementId };
    return sent;
  }

  async queryStatus(movement: MovementRef): Promise<RailOutcome[]> {
    if (movement.direction !== 'withdrawal' || !movement.railReference) return [];
    const id = newId('rin').replace('rin_', 'Q');
    await this.transport.send(
      `pacs028-${id}.xml`,
      pacs028({ id, createdAt: this.clock.now(), originalId: movement.railReference }),
    );
    return [];
  }

  async handleCallback(kind: string, body: unknown, _context: CallbackContext): Promise<CallbackResult> {
    if (kind !== 'status-report') throw new RailCallbackError(`unknown callback kind ${kind}`);
    if (typeof body !== 'string') throw new RailCallbackError('a status report is an XML document');
    return { reply: { status: 200, body: { received: true } }, outcomes: outcomesOf(body) };
  }

  /** Status reports the folder transport holds. */
  async poll(): Promise<RailOutcome[]> {
    if (!this.transport.receive || !this.transport.ack) return [];
    const outcomes: RailOutcome[] = [];
    for (const file of await this.transport.receive()) {
      try {
        outcomes.push(...outcomesOf(file.xml));
      } catch (error) {
        if (!(error instanceof RailCallbackError)) throw error;
      }
      await this.transport.ack(file.name);
    }
    return outcomes;
  }
}

function outcomesOf(xml: string): RailOutcome[] {
  let report: ReturnType<typeof readPacs002>;
  try {
    report = readPacs002(xml);
  } catch (error) {
    if (error instanceof Iso20022Error) throw new RailCallbackError(error.message);
    throw error;
  }
  return report.statuses.map((status): RailOutcome => {
    if (SETTLED.has(status.status))
      return { type: 'payout.succeeded', railReference: status.endToEndId, receipt: status.reference };
    if (REJECTED.has(status.status))
      return {
        type: 'payout.failed',
        railReference: status.endToEndId,
        reason: `rtgs_${(status.reason ?? status.status).toLowerCase()}`,
      };
    return {
      type: 'payout.unknown',
      railReference: status.endToEndId,
      reason: `rtgs_${status.status.toLowerCase()}`,
    };
  });
}
