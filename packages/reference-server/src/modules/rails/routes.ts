import { parseAmount } from '@wekeza/sdk';
import {
  CreateDepositRequest,
  CreateWithdrawalRequest,
  Deposit,
  SandboxRail,
  SandboxRailKnobsRequest,
  Withdrawal,
} from '@wekeza/sdk/contract';
import { notFound } from '../../errors.ts';
import type { Api } from '../../http/api.ts';
import { money, timestamp } from '../../http/render.ts';
import type { RailsSimulator } from '../../simulators/server.ts';
import type { CallbackGuard } from './callback-guard.ts';
import { RailCallbackError } from './rail.ts';
import type { MovementRow, RailsService } from './service.ts';

function common(movement: MovementRow) {
  return {
    id: movement.id,
    status: movement.status,
    account_id: movement.accountId,
    amount: money(movement.amountMinor, movement.currency),
    rail: movement.rail,
    receipt: movement.receipt,
    failure_reason: movement.failureReason,
    journal_entry_id: movement.entryId,
    created_at: timestamp(movement.createdAt),
    resolved_at: movement.resolvedAt ? timestamp(movement.resolvedAt) : null,
  };
}

export function renderDeposit(movement: MovementRow) {
  const destination = JSON.parse(movement.destination) as { phone: string };
  return { ...common(movement), phone: destination.phone };
}

export function renderWithdrawal(movement: MovementRow) {
  return { ...common(movement), destination: JSON.parse(movement.destination) as Record<string, string> };
}

export function railRoutes(api: Api, rails: RailsService, guard: CallbackGuard): void {
  api.route(
    {
      method: 'post',
      path: '/v1/deposits',
      operationId: 'createDeposit',
      summary: 'Fund your wallet from M-Pesa: an STK push asks the phone to pay (whole shillings)',
      tag: 'Move',
      auth: ['customer'],
      scopes: ['deposits:write'],
      body: CreateDepositRequest,
      idempotency: 'required',
      responses: {
        202: { description: 'The deposit, `pending` until the payer answers on the phone.', schema: Deposit },
        422: {
          description:
            '`validation_failed` (not whole shillings, not a Kenyan mobile number), `limit_exceeded` (the KYC maximum balance, counting pending deposits) or `currency_mismatch`.',
        },
      },
    },
    async ({ principal, body, idempotent }) => {
      const reply = await idempotent(async (tx) => {
        const movement = await rails.createDeposit(tx, principal, {
          accountId: body.account_id,
          amountMinor: parseAmount(body.amount.amount, body.amount.currency),
          currency: body.amount.currency,
          rail: body.rail,
          phone: body.phone,
        });
        return { status: 202, body: renderDeposit(movement) };
      });
      await rails.submit((reply.body as { id: string }).id);
      return reply;
    },
  );

  api.route(
    {
      method: 'post',
      path: '/v1/withdrawals',
      operationId: 'createWithdrawal',
      summary: 'Send money out to an M-Pesa phone or (RTGS) a bank account; it is held at once',
      tag: 'Move',
      auth: ['customer'],
      scopes: ['withdrawals:write'],
      body: CreateWithdrawalRequest,
      idempotency: 'required',
      responses: {
        202: {
          description:
            'The withdrawal, `pending` with its money held until the rail gives a definite answer.',
          schema: Withdrawal,
        },
        401: {
          description:
            '`mfa_required`: step-up with a TOTP code (above the threshold, or a new destination).',
        },
        422: {
          description:
            '`insufficient_funds`, `limit_exceeded` (the daily outgoing limit), `currency_mismatch` or `validation_failed` (M-Pesa: whole shillings; the destination the rail pays).',
        },
      },
    },
    async ({ principal, body, idempotent }) => {
      const reply = await idempotent(async (tx) => {
        const destination = body.destination;
        const movement = await rails.createWithdrawal(tx, principal, {
          accountId: body.account_id,
          amountMinor: parseAmount(body.amount.amount, body.amount.currency),
          currency: body.amount.currency,
          rail: body.rail,
          destination:
            'phone' in destination
              ? { phone: destination.phone }
              : {
                  bankCode: destination.bank_code,
                  accountNumber: destination.account_number,
                  accountName: destination.account_name,
                },
          otp: body.otp,
        });
        return { status: 202, body: renderWithdrawal(movement) };
      });
      await rails.submit((reply.body as { id: string }).id);
      return reply;
    },
  );

  api.route(
    {
      method: 'get',
      path: '/v1/deposits/{id}',
      operationId: 'getDeposit',
      summary: 'One deposit: pending, succeeded or failed',
      tag: 'Move',
      auth: 'any',
      scopes: ['deposits:read'],
      responses: { 200: { description: 'The deposit.', schema: Deposit } },
    },
    async ({ principal, params }) => ({
      status: 200,
      body: renderDeposit(await rails.get(principal, params.id as string, 'deposit')),
    }),
  );

  api.route(
    {
      method: 'get',
      path: '/v1/withdrawals/{id}',
      operationId: 'getWithdrawal',
      summary: 'One withdrawal: pending (money held), succeeded or failed',
      tag: 'Move',
      auth: 'any',
      scopes: ['withdrawals:read'],
      responses: { 200: { description: 'The withdrawal.', schema: Withdrawal } },
    },
    async ({ principal, params }) => ({
      status: 200,
      body: renderWithdrawal(await rails.get(principal, params.id as string, 'withdrawal')),
    }),
  );

  for (const rail of rails.rails.list()) {
    api.route(
      {
        method: 'post',
        path: `/v1/rails/${rail.name}/{kind}/{token}`,
        operationId: `${rail.name}Callback`,
        summary: `Rails: ${rail.name} callbacks (${rail.callbackKinds.join(', ')}), in the rail's own message shapes`,
        tag: 'Rails',
        auth: 'public',
        scopes: [],
        responses: {
          200: { description: "The rail's expected acknowledgement (Daraja: `{ ResultCode, ResultDesc }`)." },
          400: { description: 'Not a message of this kind; nothing changed.' },
          404: {
            description: 'A wrong token, a caller outside the allow-list, or no such kind; nothing changed.',
          },
        },
      },
      async ({ req, params }) => {
        const kind = params.kind as string;
        // The same answer for every refusal, so a prober learns nothing about which check failed.
        if (
          !guard.tokenMatches(String(params.token)) ||
          !guard.addressAllowed(rail.name, req.socket.remoteAddress) ||
          !rail.callbackKinds.includes(kind)
        )
          throw notFound('route');
        const text = typeof req.body === 'string' ? req.body : '';
        let body: unknown = text;
        if (rail.name === 'mpesa') {
          try {
            body = JSON.parse(text);
          } catch {
            return { status: 400, body: { ResultCode: 1, ResultDesc: 'Rejected: the body is not JSON' } };
          }
        }
        try {
          return await rails.receiveCallback(rail.name, kind, body);
        } catch (error) {
          if (error instanceof RailCallbackError)
            return { status: 400, body: { ResultCode: 1, ResultDesc: `Rejected: ${error.message}` } };
          throw error;
        }
      },
    );
  }
}

/** Sandbox only: how harsh the simulated rails are. */
export function sandboxRailRoutes(api: Api, simulator: RailsSimulator): void {
  const render = (rail: string) => {
    const knobs = simulator.knobs(rail);
    if (!knobs) throw notFound('rail');
    return {
      rail,
      delay_ms: knobs.delayMs,
      failure_rate: knobs.failureRate,
      duplicate_rate: knobs.duplicateRate,
      out_of_order: knobs.outOfOrder,
      loss_rate: knobs.lossRate,
    };
  };
  api.route(
    {
      method: 'put',
      path: '/v1/sandbox/rails/{rail}',
      operationId: 'configureSandboxRail',
      summary:
        'Sandbox only: make a simulated rail slow, failing, duplicating, losing or reordering its callbacks',
      tag: 'Sandbox',
      auth: ['customer', 'admin'],
      scopes: ['sandbox'],
      body: SandboxRailKnobsRequest,
      responses: { 200: { description: 'The knobs now.', schema: SandboxRail } },
    },
    async ({ params, body }) => {
      const rail = params.rail as string;
      if (!simulator.knobs(rail)) throw notFound('rail');
      simulator.configure(rail, {
        ...(body.delay_ms !== undefined ? { delayMs: body.delay_ms } : {}),
        ...(body.failure_rate !== undefined ? { failureRate: body.failure_rate } : {}),
        ...(body.duplicate_rate !== undefined ? { duplicateRate: body.duplicate_rate } : {}),
        ...(body.out_of_order !== undefined ? { outOfOrder: body.out_of_order } : {}),
        ...(body.loss_rate !== undefined ? { lossRate: body.loss_rate } : {}),
      });
      return { status: 200, body: render(rail) };
    },
  );
}
