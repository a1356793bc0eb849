import { parseAmount } from '@wekeza/sdk';
import {
  CreateTransferBatchRequest,
  CreateTransferRequest,
  ReverseTransferRequest,
  Transfer,
  TransferBatch,
} from '@wekeza/sdk/contract';
import type { Api } from '../../http/api.ts';
import { money, timestamp } from '../../http/render.ts';
import type { TransferRow, TransfersService } from './service.ts';

export function renderTransfer(transfer: TransferRow) {
  return {
    id: transfer.id,
    status: transfer.status,
    from_account_id: transfer.fromAccountId,
    to_account_id: transfer.toAccountId,
    amount: money(transfer.amountMinor, transfer.currency),
    reference: transfer.reference,
    journal_entry_id: transfer.entryId,
    reversal_entry_id: transfer.reversalEntryId,
    batch_id: transfer.batchId,
    created_at: timestamp(transfer.createdAt),
  };
}

export function transferRoutes(api: Api, transfers: TransfersService): void {
  api.route(
    {
      method: 'post',
      path: '/v1/transfers',
      operationId: 'createTransfer',
      summary: "Move money to one of your accounts or to another customer's wallet",
      tag: 'Move',
      auth: ['customer'],
      scopes: ['transfers:write'],
      body: CreateTransferRequest,
      idempotency: 'required',
      responses: {
        201: { description: 'The completed transfer and its journal entry.', schema: Transfer },
        401: {
          description: '`mfa_required`: step-up with a TOTP code (above the threshold, or a new payee).',
        },
        422: {
          description:
            "`insufficient_funds`, `limit_exceeded` (the sender's KYC tier), `currency_mismatch` (the sender's own account) or `recipient_cannot_receive` (anything about the receiver's account, without detail); nothing posted.",
        },
      },
    },
    async ({ principal, body, idempotentSql }) =>
      idempotentSql(async (tx, writes) => {
        const transfer = await transfers.create(
          tx,
          principal,
          {
            fromAccountId: body.from_account_id,
            toAccountId: body.to_account_id,
            amountMinor: parseAmount(body.amount.amount, body.amount.currency),
            currency: body.amount.currency,
            reference: body.reference,
            otp: body.otp,
          },
          writes,
        );
        return { status: 201, body: renderTransfer(transfer) };
      }),
  );

  api.route(
    {
      method: 'post',
      path: '/v1/transfers/batch',
      operationId: 'createTransferBatch',
      summary: 'Up to 100 transfers, all or nothing: a payroll or a settlement run in one transaction',
      tag: 'Move',
      auth: ['customer'],
      scopes: ['transfers:write'],
      body: CreateTransferBatchRequest,
      idempotency: 'required',
      responses: {
        201: { description: 'Every transfer, completed, in the order sent.', schema: TransferBatch },
        401: { description: '`mfa_required`: one code for the batch (its total to others, or a new payee).' },
        422: {
          description:
            "Any transfer refused refuses the batch: `code` is the first refusal's, `errors[].path` names each (`/transfers/3/amount`); nothing posted.",
        },
      },
    },
    async ({ principal, body, idempotentSql }) =>
      idempotentSql(async (tx, writes) => {
        const batch = await transfers.createBatch(
          tx,
          principal,
          body.transfers.map((t) => ({
            fromAccountId: t.from_account_id,
            toAccountId: t.to_account_id,
            amountMinor: parseAmount(t.amount.amount, t.amount.currency),
            currency: t.amount.currency,
            reference: t.reference,
          })),
          body.otp,
          writes,
        );
        return {
          status: 201,
          body: { id: batch.id, status: 'completed', transfers: batch.transfers.map(renderTransfer) },
        };
      }),
  );

  api.route(
    {
      method: 'get',
      path: '/v1/transfers/{id}',
      operationId: 'getTransfer',
      summary: 'One transfer',
      tag: 'Move',
      auth: 'any',
      scopes: ['transfers:read'],
      responses: { 200: { description: 'The transfer.', schema: Transfer } },
    },
    async ({ principal, params }) => ({
      status: 200,
      body: renderTransfer(await transfers.get(principal, params.id as string)),
    }),
  );

  api.route(
    {
      method: 'post',
      path: '/v1/transfers/{id}/reverse',
      operationId: 'reverseTransfer',
      summary: 'Admins: undo a transfer with a reversing entry, for a reason (audited, at most once)',
      tag: 'Administrator',
      auth: ['admin'],
      scopes: ['transfers:reverse'],
      body: ReverseTransferRequest,
      idempotency: 'required',
      responses: {
        200: { description: 'The transfer, now `reversed`.', schema: Transfer },
        409: { description: '`conflict`: already reversed.' },
        422: { description: '`insufficient_funds`: the receiver no longer holds the money.' },
      },
    },
    async ({ principal, params, body, idempotent }) =>
      idempotent(async (tx) => ({
        status: 200,
        body: renderTransfer(await transfers.reverse(tx, principal, params.id as string, body.reason)),
      })),
  );
}
