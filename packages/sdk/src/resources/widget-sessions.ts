import type { Wekeza } from '../client.ts';
import type { WidgetScope } from '../contract/identity.ts';
import type { RequestOptions } from '../core/request-options.ts';

/** `POST /v1/widget-sessions` (partner credentials only). */
export interface WidgetSessionCreateParams {
  customerId: string;
  scopes: WidgetScope[];
  /** The one web origin the widget runs on, e.g. `https://shop.example`. */
  origin: string;
}

/** A token for a browser widget: one customer, these scopes, that origin, at most 15 minutes. */
export interface WidgetSession {
  token: string;
  expiresAt: string;
  customerId: string;
  scopes: WidgetScope[];
  origin: string;
}

/** `/v1/widget-sessions`. */
export class WidgetSessions {
  constructor(private readonly client: Wekeza) {}

  /** Mints a widget session for one of your customers (partner back ends). */
  create(params: WidgetSessionCreateParams, options?: RequestOptions): Promise<WidgetSession> {
    return this.client._request(
      { method: 'POST', path: '/v1/widget-sessions', body: params },
      (c) => c.WidgetSession,
      options,
    );
  }
}
