import { EventList, ListQuery } from '@wekeza/sdk/contract';
import type { Db } from '../../db/database.ts';
import type { Api } from '../../http/api.ts';
import { pageRequest, toPage } from '../../http/pagination.ts';
import { timestamp } from '../../http/render.ts';
import type { EventLog, EventRow } from './log.ts';

export function renderEvent(event: EventRow) {
  return {
    id: event.id,
    type: event.type,
    created_at: timestamp(event.createdAt),
    data: JSON.parse(event.data) as Record<string, unknown>,
  };
}

export function eventRoutes(api: Api, events: EventLog, db: Db): void {
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
}
