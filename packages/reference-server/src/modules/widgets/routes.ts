import { CreateWidgetSessionRequest, WidgetSession } from '@wekeza/sdk/contract';
import type { Api } from '../../http/api.ts';
import { timestamp } from '../../http/render.ts';
import type { WidgetSessions } from './service.ts';

export function widgetRoutes(api: Api, sessions: WidgetSessions): void {
  api.route(
    {
      method: 'post',
      path: '/v1/widget-sessions',
      operationId: 'createWidgetSession',
      summary: 'Partner back ends: a widget token for one customer, some scopes and one origin (≤ 15 min)',
      tag: 'Identity',
      auth: ['partner'],
      scopes: ['widget_sessions:write'],
      body: CreateWidgetSessionRequest,
      idempotency: 'optional',
      responses: { 201: { description: 'The widget session token.', schema: WidgetSession } },
    },
    async ({ principal, body, idempotent }) =>
      idempotent(async (tx) => {
        const grant = await sessions.create(tx, principal, {
          customerId: body.customer_id,
          scopes: body.scopes,
          origin: body.origin,
        });
        return {
          status: 201,
          body: {
            token: grant.token,
            expires_at: timestamp(grant.expiresAt),
            customer_id: grant.customerId,
            scopes: grant.scopes,
            origin: grant.origin,
          },
          // The stored answer replays the token: sealed at rest.
          secret: true,
        };
      }),
  );
}
