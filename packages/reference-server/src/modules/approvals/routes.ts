import { Approval, ApprovalList, ApprovalListQuery, DecideApprovalRequest } from '@wekeza/sdk/contract';
import type { Api } from '../../http/api.ts';
import { pageRequest, toPage } from '../../http/pagination.ts';
import { renderApproval } from '../loans/render.ts';
import type { ApprovalsService } from './service.ts';

/** Maker-checker requests: staff list them; a second member of staff (never the maker) decides. */
export function approvalRoutes(api: Api, approvals: ApprovalsService): void {
  api.route(
    {
      method: 'get',
      path: '/v1/approvals',
      operationId: 'listApprovals',
      summary: 'Staff: maker-checker requests (`?status=pending` for the ones waiting)',
      tag: 'Banker',
      auth: ['banker', 'admin'],
      scopes: ['approvals'],
      query: ApprovalListQuery,
      responses: { 200: { description: 'Oldest first.', schema: ApprovalList } },
    },
    async ({ principal, query }) => {
      const page = pageRequest(query);
      const rows = await approvals.list(principal, query.status, page);
      return { status: 200, body: toPage(rows, page.limit, (a) => a.id, renderApproval) };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/v1/approvals/{id}',
      operationId: 'getApproval',
      summary: 'Staff: one maker-checker request',
      tag: 'Banker',
      auth: ['banker', 'admin'],
      scopes: ['approvals'],
      responses: { 200: { description: 'The request.', schema: Approval } },
    },
    async ({ principal, params }) => ({
      status: 200,
      body: renderApproval(await approvals.get(principal, params.id as string)),
    }),
  );

  for (const action of ['approve', 'reject'] as const) {
    api.route(
      {
        method: 'post',
        path: `/v1/approvals/{id}/${action}`,
        operationId: `${action}Approval`,
        summary:
          action === 'approve'
            ? 'Staff: approve a request someone else made (carried out at once; audited)'
            : 'Staff: reject a request someone else made (audited)',
        tag: 'Banker',
        auth: ['banker', 'admin'],
        scopes: ['approvals'],
        body: DecideApprovalRequest,
        idempotency: 'required',
        responses: {
          200: { description: 'The decided request.', schema: Approval },
          403: { description: '`forbidden`: you made the request, or your role may not decide its kind.' },
          409: { description: '`conflict`: already decided.' },
        },
      },
      async ({ principal, params, body, idempotent }) =>
        idempotent(async (tx) => ({
          status: 200,
          body: renderApproval(await approvals[action](tx, principal, params.id as string, body.reason)),
        })),
    );
  }
}
