/**
 * The Wekeza HTTP API contract as zod/mini schemas: the server validates with them and generates
 * its OpenAPI document from them; the SDK's types come from them. Wire names are snake_case.
 */
export * from './accounts.ts';
export * from './audit.ts';
export * from './common.ts';
export * from './events.ts';
export * from './identity.ts';
export * from './loans.ts';
export * from './money.ts';
export * from './rails.ts';
export * from './sandbox.ts';
export * from './savings.ts';
export * from './staff.ts';
export * from './statements.ts';
export * from './transactions.ts';
export * from './transfers.ts';
export * from './webhooks.ts';
