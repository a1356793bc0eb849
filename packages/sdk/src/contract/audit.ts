import * as z from 'zod/mini';
import { describe, idOf, page, Timestamp } from './common.ts';

/** One entry of the hash-chained audit log. */
export const AuditEvent = z.object({
  id: idOf('aud'),
  seq: describe(z.number().check(z.int()), 'Position in the chain (1, 2, 3, …).'),
  actor: z.object({ id: z.string(), role: z.string() }),
  action: describe(z.string(), 'What happened, e.g. `transfer.created`, `kyc.tier_raised`.'),
  subject: z.object({ type: z.string(), id: z.nullable(z.string()) }),
  before: z.nullable(z.unknown()),
  after: z.nullable(z.unknown()),
  reason: z.nullable(z.string()),
  request_id: z.nullable(z.string()),
  created_at: Timestamp,
  prev_hash: describe(z.string(), 'SHA-256 of the previous event (64 zeros for the first).'),
  hash: describe(z.string(), 'SHA-256 of the previous hash and this event.'),
});
export type AuditEvent = z.infer<typeof AuditEvent>;
export const AuditEventList = page(AuditEvent);

/** `GET /v1/audit-events/verify`. */
export const AuditVerification = z.object({
  valid: z.boolean(),
  checked: describe(z.number().check(z.int()), 'How many events were checked.'),
  first_broken_id: describe(z.nullable(z.string()), 'The first event whose link does not hold, if any.'),
});
export type AuditVerification = z.infer<typeof AuditVerification>;
