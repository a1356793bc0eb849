import * as z from 'zod/mini';

/** A copy of a schema that carries an OpenAPI/JSON-Schema description (and example); the original is untouched. */
export function describe<T extends z.ZodMiniType>(schema: T, description: string, example?: unknown): T {
  const copy = schema.clone() as T;
  z.globalRegistry.add(copy, example === undefined ? { description } : { description, example });
  return copy;
}

/** The stable machine-readable error codes of problem+json responses. */
export const ERROR_CODES = [
  'validation_failed',
  'malformed_request',
  'unsupported_media_type',
  'payload_too_large',
  'unauthenticated',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'conflict',
  'insufficient_funds',
  'currency_mismatch',
  'limit_exceeded',
  'recipient_cannot_receive',
  'exceeds_payoff',
  'mfa_required',
  'idempotency_key_reused',
  'idempotency_key_in_use',
  'not_sealed',
  'rate_limited',
  'service_unavailable',
  'internal_error',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** RFC 9457 problem details, as every error response carries them. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().check(z.int()),
  code: z.string(),
  detail: z.optional(z.string()),
  instance: z.optional(z.string()),
  request_id: z.optional(z.string()),
  errors: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
});
export type Problem = z.infer<typeof Problem>;

/** An opaque prefixed identifier such as `acc_01J…`. */
export function idOf(prefix: string) {
  return describe(
    z
      .string()
      .check(z.regex(new RegExp(`^${prefix}_[0-9A-Za-z_]{1,60}$`), `must be a ${prefix}_… identifier`)),
    `Identifier with the \`${prefix}_\` prefix.`,
  );
}

/** A timestamp in UTC, ISO 8601. */
export const Timestamp = describe(z.iso.datetime(), 'UTC timestamp, ISO 8601.');
/** A bank-local calendar date. */
export const CalendarDate = describe(z.iso.date(), 'Bank-local calendar date, YYYY-MM-DD.');

/** `?limit=&starting_after=` on every list. `limit` arrives as a query string. */
export const ListQuery = z.strictObject({
  limit: z.optional(
    describe(
      z.string().check(z.regex(/^(100|[1-9][0-9]?)$/, 'must be a whole number from 1 to 100')),
      'Page size, 1..100 (default 20).',
    ),
  ),
  starting_after: z.optional(
    describe(z.string().check(z.minLength(1), z.maxLength(80)), 'Cursor: the last id of the previous page.'),
  ),
});
export type ListQuery = z.infer<typeof ListQuery>;

/** The envelope of every list response. */
export function page<T extends z.ZodMiniType>(item: T) {
  return z.object({ data: z.array(item), has_more: z.boolean(), next_cursor: z.nullable(z.string()) });
}
export interface Page<T> {
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

export const Health = z.object({ status: z.literal('ok') });
