import type { Wekeza } from '../client.ts';
import type { ListParams, PagePromise } from '../core/pagination.ts';
import type { RequestOptions } from '../core/request-options.ts';
import { path } from '../internal/path.ts';

/** Where the bank POSTs your events (Standard Webhooks). */
export interface WebhookEndpoint {
  id: string;
  url: string;
  /** The event types it receives; empty: all. */
  events: string[];
  status: 'enabled' | 'disabled';
  disabledReason: string | null;
  createdAt: string;
}

/** The endpoint as created, with its `whsec_…` secret: shown only this once. */
export interface WebhookEndpointCreated extends WebhookEndpoint {
  secret: string;
}

export interface WebhookEndpointCreateParams {
  /** `https://…` to a public address (the sandbox also takes `http://127.0.0.1`). */
  url: string;
  events?: string[];
}

/** `/v1/webhook-endpoints` (customers and partner back ends). */
export class WebhookEndpoints {
  constructor(private readonly client: Wekeza) {}

  /** Registers an endpoint; keep the answer's `secret` to verify deliveries (`wekeza.webhooks.unwrap`). */
  create(params: WebhookEndpointCreateParams, options?: RequestOptions): Promise<WebhookEndpointCreated> {
    return this.client._request(
      { method: 'POST', path: '/v1/webhook-endpoints', body: params },
      (c) => c.WebhookEndpointCreated,
      options,
    );
  }

  /** Your endpoints, newest first (never their secrets). */
  list(params?: ListParams, options?: RequestOptions): PagePromise<WebhookEndpoint> {
    return this.client._list<WebhookEndpoint>(
      '/v1/webhook-endpoints',
      (c) => c.WebhookEndpointList,
      params,
      options,
    );
  }

  /** Stops sending to an endpoint. */
  delete(id: string, options?: RequestOptions): Promise<WebhookEndpoint> {
    return this.client._request(
      { method: 'DELETE', path: path`/v1/webhook-endpoints/${id}` },
      (c) => c.WebhookEndpoint,
      options,
    );
  }

  /** Sends again every event since `since` (ISO 8601), each under its original webhook-id. */
  replay(
    id: string,
    params: { since: string },
    options?: RequestOptions,
  ): Promise<{ endpointId: string; replayed: number }> {
    return this.client._request(
      { method: 'POST', path: path`/v1/webhook-endpoints/${id}/replay`, body: params },
      (c) => c.WebhookReplay,
      options,
    );
  }
}
