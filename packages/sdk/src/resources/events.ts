import type { Wekeza } from '../client.ts';
import type { ListParams, PagePromise } from '../core/pagination.ts';
import type { RequestOptions } from '../core/request-options.ts';

/** Something that happened to the customer's money or sign-in (`transfer.completed`, `mfa.totp_enabled`, …). */
export interface Event {
  id: string;
  type: string;
  createdAt: string;
  data: Record<string, unknown>;
}

/** `/v1/events` (customers and their widgets). */
export class Events {
  constructor(private readonly client: Wekeza) {}

  /** Your own events, newest first. */
  list(params?: ListParams, options?: RequestOptions): PagePromise<Event> {
    return this.client._list<Event>('/v1/events', (c) => c.EventList, params, options);
  }
}
