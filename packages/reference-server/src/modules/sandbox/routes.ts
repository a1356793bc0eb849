import { parseAmount } from '@wekeza/sdk';
import {
  SandboxClock,
  SandboxClockAdvanceRequest,
  SandboxDeposit,
  SandboxDepositRequest,
} from '@wekeza/sdk/contract';
import type { Api } from '../../http/api.ts';
import { money, timestamp } from '../../http/render.ts';
import type { SandboxService } from './service.ts';

/** Registered only in sandbox mode; in production these paths answer 404 like any unknown route. */
export function sandboxRoutes(api: Api, sandbox: SandboxService): void {
  api.route(
    {
      method: 'post',
      path: '/v1/sandbox/deposits',
      operationId: 'sandboxDeposit',
      summary: 'Sandbox only: an instantly settled deposit',
      tag: 'Sandbox',
      auth: ['customer', 'admin'],
      scopes: ['sandbox'],
      body: SandboxDepositRequest,
      idempotency: 'required',
      responses: { 201: { description: 'The posted deposit.', schema: SandboxDeposit } },
    },
    async ({ principal, body, idempotent }) =>
      idempotent(async (tx) => {
        const amountMinor = parseAmount(body.amount.amount, body.amount.currency);
        const entry = await sandbox.deposit(
          tx,
          principal,
          body.account_id,
          amountMinor,
          body.amount.currency,
        );
        return {
          status: 201,
          body: {
            id: entry.id,
            status: 'completed',
            account_id: body.account_id,
            amount: money(amountMinor, body.amount.currency),
            journal_entry_id: entry.id,
            created_at: timestamp(entry.createdAt),
          },
        };
      }),
  );

  const renderClock = async (closed?: string[]) => {
    const state = await sandbox.clock();
    return {
      bank_date: state.bankDate,
      closed_through: state.closedThrough,
      offset_days: state.offsetDays,
      ...(closed ? { closed } : {}),
    };
  };

  api.route(
    {
      method: 'get',
      path: '/v1/sandbox/clock',
      operationId: 'sandboxClock',
      summary: 'Sandbox only: the bank date and how far the daily close has run',
      tag: 'Sandbox',
      auth: 'any',
      scopes: ['sandbox'],
      responses: { 200: { description: 'The test clock.', schema: SandboxClock } },
    },
    async () => ({ status: 200, body: await renderClock() }),
  );

  api.route(
    {
      method: 'post',
      path: '/v1/sandbox/clock/advance',
      operationId: 'advanceSandboxClock',
      summary: 'Sandbox only: move the bank date forward (never wall time), closing each day passed in order',
      tag: 'Sandbox',
      auth: ['customer', 'admin'],
      scopes: ['sandbox'],
      body: SandboxClockAdvanceRequest,
      responses: { 200: { description: 'The test clock after the move.', schema: SandboxClock } },
    },
    async ({ principal, body }) => {
      const { closed } = await sandbox.advance(principal, body.days);
      return { status: 200, body: await renderClock(closed) };
    },
  );
}
