import type { Wekeza } from '../client.ts';
import type { ListParams, PagePromise } from '../core/pagination.ts';
import type { RequestOptions } from '../core/request-options.ts';

/** One event of the hash-chained audit log. */
export interface AuditEvent {
  id: string;
  seq: number;
  actor: { id: string; role: string };
  action: string;
  subject: { type: string; id: string | null };
  before: unknown;
  after: unknown;
  reason: string | null;
  requestId: string | null;
  createdAt: string;
  prevHash: string;
  hash: string;
}

/** Whether the chain holds, and where it first breaks. */
export interface AuditVerification {
  valid: boolean;
  checked: number;
  firstBrokenId: string | null;
}

/** `/v1/audit-events` (admins). */
export class AuditEvents {
  constructor(private readonly client: Wekeza) {}

  /** The audit log, newest first. */
  list(params?: ListParams, options?: RequestOptions): PagePromise<AuditEvent> {
    return this.client._list<AuditEvent>('/v1/audit-events', (c) => c.AuditEventList, params, options);
  }

  /** Walks the hash chain and names the first broken link. */
  verify(options?: RequestOptions): Promise<AuditVerification> {
    return this.client._request(
      { method: 'GET', path: '/v1/audit-events/verify' },
      (c) => c.AuditVerification,
      options,
    );
  }
}
