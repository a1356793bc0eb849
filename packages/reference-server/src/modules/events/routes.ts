import { EventList, ListQuery } from '@wekeza/sdk/contract';
import type { Db } from '../../db/database.ts';
import type { Api } from '../../http/api.ts';
import { pageRequest, toPage } from '../../http/pagination.ts';
import { timestamp } from '../../http/render.ts';
import type { EventLog, EventRow } from './log.ts';
import type { EventStream } from './stream.ts';

export function renderEvent(event: EventRow) {
  return {
    id: event.id,
    type: event.type,
    created_at: timestamp(event.createdAt),
    data: JSON.parse(event.data) as Record<string, unknown>,
  };
}

export function eventRoutes(api: Api, events: EventLog, db: Db, stream: EventStream): void {
  api.route(
    {
      method: 'get',
      path: '/v1/events',
      operationId: 'listEvents',
      summary: 'Your own events, newest first',
      tag: 'Events',
      auth: ['customer'],
      scopes: ['events:read'],
      query: ListQuery,
      responses: { 200: { description: 'A page of events.', schema: EventList } },
    },
    async ({ principal, query }) => {
      const page = pageRequest(query);
      const rows = await events.list(db, principal.id, page);
      return { status: 200, body: toPage(rows, page.limit, (e) => e.id, renderEvent) };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/v1/events/stream',
      operationId: 'streamEvents',
      summary: 'Your events as they happen (Server-Sent Events; resume with Last-Event-ID)',
      tag: 'Events',
      auth: ['customer', 'partner'],
      scopes: ['events:read'],
      responses: {
        200: {
          description:
            "A `text/event-stream`: each message has `id` (the event id), `event` (its type) and `data` (the event as JSON), in commit order. Authenticated by the Authorization header only; ends at the token's expiry.",
          contentType: 'text/event-stream',
        },
      },
    },
    async ({ principal }) => ({ stream: (req, res) => stream.serve(principal, req, res) }),
  );
}
