import * as z from 'zod/mini';
import { describe, idOf, page, Timestamp } from './common.ts';

/** An event type such as `deposit.succeeded`. */
export const EventType = z
  .string()
  .check(z.regex(/^[a-z_]{1,40}\.[a-z_]{1,40}$/, 'must be an event type such as deposit.succeeded'));

/** `POST /v1/webhook-endpoints`. */
export const CreateWebhookEndpointRequest = z.strictObject({
  url: describe(
    z.string().check(z.maxLength(2048), z.regex(/^https?:\/\/[^\s]+$/, 'must be an http(s) URL')),
    'Where events are POSTed (Standard Webhooks). Production: https to a public address.',
    'https://partner.example/webhooks/wekeza',
  ),
  events: z.optional(
    describe(
      z.array(EventType).check(z.maxLength(50)),
      'Event types to receive; empty or absent: all of them.',
    ),
  ),
});
export type CreateWebhookEndpointRequest = z.infer<typeof CreateWebhookEndpointRequest>;

export const WebhookEndpoint = z.object({
  id: idOf('whe'),
  url: z.string(),
  events: z.array(z.string()),
  status: describe(z.enum(['enabled', 'disabled']), '`disabled` after the receiver answered 410 Gone.'),
  disabled_reason: z.nullable(z.string()),
  created_at: Timestamp,
});
export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>;
export const WebhookEndpointList = page(WebhookEndpoint);

/** The created endpoint with its signing secret, shown this once. */
export const WebhookEndpointCreated = z.object({
  ...WebhookEndpoint.shape,
  secret: describe(
    z.string(),
    'The `whsec_…` signing secret (Standard Webhooks); shown only in this answer.',
  ),
});
export type WebhookEndpointCreated = z.infer<typeof WebhookEndpointCreated>;

/** `POST /v1/webhook-endpoints/{id}/replay`: send again every event since then. */
export const ReplayWebhookRequest = z.strictObject({ since: Timestamp });
export type ReplayWebhookRequest = z.infer<typeof ReplayWebhookRequest>;

export const WebhookReplay = z.object({
  endpoint_id: z.string(),
  replayed: describe(z.number().check(z.int()), 'Events queued again for delivery.'),
});
export type WebhookReplay = z.infer<typeof WebhookReplay>;
