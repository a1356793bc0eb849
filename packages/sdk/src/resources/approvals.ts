import type { Wekeza } from '../client.ts';
import type * as wire from '../contract/index.ts';
import type { ListParams, PagePromise } from '../core/pagination.ts';
import type { RequestOptions } from '../core/request-options.ts';
import type { FromWire } from '../internal/case.ts';
import { path } from '../internal/path.ts';

export type ApprovalStatus = 'pending' | 'approved' | 'rejected';

/** A maker-checker request: asked for by one member of staff, decided by another. */
export interface Approval {
  id: string;
  /** `loan_override`, … */
  kind: string;
  status: ApprovalStatus;
  subject: { type: string; id: string };
  payload: Record<string, unknown>;
  makerId: string;
  makerReason: string;
  checkerId: string | null;
  checkerReason: string | null;
  createdAt: string;
  decidedAt: string | null;
}

/** `loan_override`, `risk_policy_change`, `model_activation`. */
export type ApprovalKind = wire.ApprovalKind;
/** One action the maker-checker queue knows: whether it needs a second person, and whose. */
export type ApprovalAction = FromWire<wire.ApprovalAction>;

/** `/v1/approvals` (staff). */
export class Approvals {
  constructor(private readonly client: Wekeza) {}

  /** Requests, oldest first; `{ status: 'pending' }` for the ones waiting. */
  list(params?: ListParams & { status?: ApprovalStatus }, options?: RequestOptions): PagePromise<Approval> {
    return this.client._list<Approval>('/v1/approvals', (c) => c.ApprovalList, params, options, {
      status: params?.status,
    });
  }

  retrieve(id: string, options?: RequestOptions): Promise<Approval> {
    return this.client._request(
      { method: 'GET', path: path`/v1/approvals/${id}` },
      (c) => c.Approval,
      options,
    );
  }

  /** Approves someone else's request (never your own: 403); it is carried out at once. */
  approve(id: string, params: { reason: string }, options?: RequestOptions): Promise<Approval> {
    return this.client._request(
      { method: 'POST', path: path`/v1/approvals/${id}/approve`, body: params },
      (c) => c.Approval,
      options,
    );
  }

  reject(id: string, params: { reason: string }, options?: RequestOptions): Promise<Approval> {
    return this.client._request(
      { method: 'POST', path: path`/v1/approvals/${id}/reject`, body: params },
      (c) => c.Approval,
      options,
    );
  }
}
