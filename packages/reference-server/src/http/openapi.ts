import * as z from 'zod/mini';
import type { RouteSpec } from './api.ts';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodMiniType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as JsonSchema;
  return rest;
}

const problemResponse = {
  description: 'RFC 9457 problem details with a stable `code`.',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};

/** The OpenAPI 3.1 document, generated from the same zod schemas the server validates with. */
export function openApiDocument(
  routes: RouteSpec[],
  problem: z.ZodMiniType,
  info: { version: string; serverUrl?: string },
) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const parameters: unknown[] = [];
    for (const [, name] of route.path.matchAll(/\{(\w+)\}/g)) {
      parameters.push({ name, in: 'path', required: true, schema: { type: 'string' } });
    }
    if (route.query) {
      const schema = jsonSchema(route.query, 'input') as {
        properties?: Record<string, JsonSchema>;
        required?: string[];
      };
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        parameters.push({
          name,
          in: 'query',
          required: schema.required?.includes(name) ?? false,
          schema: property,
        });
      }
    }
    if (route.idempotency) {
      parameters.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: route.idempotency === 'required',
        description:
          'Same key + same body → the same answer, and the effect happens once. Keys live at least 24 h.',
        schema: { type: 'string', minLength: 8, maxLength: 255 },
      });
    }
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(route.responses)) {
      const binary = { schema: { type: 'string', format: 'binary' } };
      responses[status] = {
        description: response.description,
        ...(response.schema
          ? {
              content: {
                [response.contentType ?? 'application/json']: {
                  schema: jsonSchema(response.schema, 'output'),
                },
                ...Object.fromEntries((response.alternatives ?? []).map((type) => [type, binary])),
              },
            }
          : {}),
      };
    }
    if (!route.oauth) responses['4XX'] = problemResponse;
    responses['5XX'] = problemResponse;
    const operation = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.tag],
      ...(route.auth === 'public' ? { security: [] } : {}),
      ...(Array.isArray(route.auth) ? { description: `Roles: ${route.auth.join(', ')}.` } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: Object.fromEntries(
                (route.oauth
                  ? ['application/x-www-form-urlencoded', 'application/json']
                  : ['application/json']
                ).map((type) => [type, { schema: jsonSchema(route.body as z.ZodMiniType, 'input') }]),
              ),
            },
          }
        : {}),
      responses,
    };
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Wekeza reference bank API',
      version: info.version,
      description:
        'Borrow, Insure, Move, Save. Money is `{ amount: "1500.50", currency: "KES" }` with a decimal string; errors are RFC 9457 problem+json.',
    },
    ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Problem: jsonSchema(problem, 'output') },
    },
    paths,
  };
}
