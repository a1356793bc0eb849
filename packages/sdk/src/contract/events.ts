import * as z from 'zod/mini';
import { describe, idOf, page, Timestamp } from './common.ts';

/** A domain event: `{ id, type, created_at, data }` (API.md, Events). */
export const Event = z.object({
  id: idOf('evt'),
  type: describe(z.string(), 'What happened, e.g. `transfer.completed`, `mfa.totp_enabled`.'),
  created_at: Timestamp,
  data: z.record(z.string(), z.unknown()),
});
export type Event = z.infer<typeof Event>;
export const EventList = page(Event);
