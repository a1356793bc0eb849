import type { Wekeza } from '../client.ts';
import type { RequestOptions } from '../core/request-options.ts';
import type { ApprovalAction } from './approvals.ts';

/** `/v1/approval-actions` (staff; `@wekeza/sdk/staff`). */
export class ApprovalActions {
  constructor(private readonly client: Wekeza) {}

  /** Which actions need a second member of staff (as configured), who makes and who decides them. */
  async list(options?: RequestOptions): Promise<ApprovalAction[]> {
    const list = await this.client._request(
      { method: 'GET', path: '/v1/approval-actions' },
      (c) => c.ApprovalActionList,
      options,
    );
    return list.data;
  }
}
