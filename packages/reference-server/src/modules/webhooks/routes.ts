import {
  CreateWebhookEndpointRequest,
  ListQuery,
  ReplayWebhookRequest,
  WebhookEndpoint,
  WebhookEndpointCreated,
  WebhookEndpointList,
  WebhookReplay,
} from '@wekeza/sdk/contract';
import type { Api } from '../../http/api.ts';
import { pageRequest, toPage } from '../../http/pagination.ts';
import { timestamp } from '../../http/render.ts';
import type { EndpointRow, WebhooksService } from './service.ts';

export function renderEndpoint(endpoint: EndpointRow) {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: JSON.parse(endpoint.events) as string[],
    status: endpoint.status,
    disabled_reason: endpoint.disabledReason,
    created_at: timestamp(endpoint.createdAt),
  };
}

export function webhookRoutes(api: Api, webhooks: WebhooksService): void {
  api.route(
    {
      method: 'post',
      path: '/v1/webhook-endpoints',
      operationId: 'createWebhookEndpoint',
      summary: 'Receive events as Standard Webhooks (the secret is shown once)',
      tag: 'Events',
      auth: ['customer', 'partner'],
      scopes: ['webhooks:write'],
      body: CreateWebhookEndpointRequest,
      idempotency: 'optional',
      responses: {
        201: { description: 'The endpoint and its `whsec_` signing secret.', schema: WebhookEndpointCreated },
        422: {
          description: '`validation_failed`: not https, or an address that is not public (production).',
        },
      },
    },
    async ({ principal, body, idempotent }) => {
      await webhooks.checkUrl(principal, body.url);
      return idempotent(async (tx) => {
        const { endpoint, secret } = await webhooks.create(tx, principal, {
          url: body.url,
          events: body.events ?? [],
        });
        // The stored answer for a replay holds the secret: sealed at rest.
        return { status: 201, body: { ...renderEndpoint(endpoint), secret }, secret: true };
      });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/v1/webhook-endpoints',
      operationId: 'listWebhookEndpoints',
      summary: 'Your webhook endpoints (never their secrets)',
      tag: 'Events',
      auth: ['customer', 'partner'],
      scopes: ['webhooks:read'],
      query: ListQuery,
      responses: { 200: { description: 'A page of endpoints.', schema: WebhookEndpointList } },
    },
    async ({ principal, query }) => {
      const page = pageRequest(query);
      const rows = await webhooks.list(principal, page);
      return { status: 200, body: toPage(rows, page.limit, (e) => e.id, renderEndpoint) };
    },
  );

  api.route(
    {
      method: 'delete',
      path: '/v1/webhook-endpoints/{id}',
      operationId: 'deleteWebhookEndpoint',
      summary: 'Stop sending events to an endpoint',
      tag: 'Events',
      auth: ['customer', 'partner'],
      scopes: ['webhooks:write'],
      responses: { 200: { description: 'The endpoint as it was.', schema: WebhookEndpoint } },
    },
    async ({ principal, params, idempotent }) =>
      idempotent(async (tx) => {
        const endpoint = await webhooks.remove(tx, principal, params.id as string);
        return { status: 200, body: renderEndpoint(endpoint) };
      }),
  );

  api.route(
    {
      method: 'post',
      path: '/v1/webhook-endpoints/{id}/replay',
      operationId: 'replayWebhookEndpoint',
      summary: 'Send again every event since a time',
      tag: 'Events',
      auth: ['customer', 'partner'],
      scopes: ['webhooks:write'],
      body: ReplayWebhookRequest,
      idempotency: 'optional',
      responses: { 202: { description: 'How many events were queued again.', schema: WebhookReplay } },
    },
    async ({ principal, params, body, idempotent }) =>
      idempotent(async (tx) => {
        const replayed = await webhooks.replay(tx, principal, params.id as string, new Date(body.since));
        return { status: 202, body: { endpoint_id: params.id as string, replayed } };
      }),
  );
}
