// The OpenAPI 3.1 document, generated from the route table: nothing about a route is written
// twice. zod's own JSON Schema conversion gives the schemas; named ones become components.
import * as z from 'zod/mini';
import type { RouteContract } from './route.js';
import { isWorkspaceRoute } from './route.js';
import { Problem } from './common.js';

type JsonSchema = Record<string, unknown>;

interface Components {
  schemas: Record<string, JsonSchema>;
}

/** Converts a schema and hoists its named parts into `components.schemas`. */
function schemaOf(schema: z.ZodMiniType, io: 'input' | 'output', components: Components): JsonSchema {
  const converted = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  const { $schema: _dialect, $defs, ...rest } = converted;
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([key, inner]) =>
          key === '$ref' && typeof inner === 'string' ? [key, inner.replace('#/$defs/', '#/components/schemas/')] : [key, rewrite(inner)],
        ),
      );
    }
    return value;
  };
  for (const [name, definition] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
    components.schemas[name] = rewrite(definition) as JsonSchema;
  }
  return rewrite(rest) as JsonSchema;
}

function parametersOf(schema: z.ZodMiniType | undefined, location: 'path' | 'query', components: Components) {
  if (!schema) return [];
  const converted = schemaOf(schema, 'input', components);
  const properties = (converted.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((converted.required ?? []) as string[]);
  return Object.entries(properties).map(([name, propertySchema]) => {
    const { description, ...rest } = propertySchema;
    return {
      name,
      in: location,
      required: location === 'path' || required.has(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

const problemContent = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

const errorDescriptions: Record<number, string> = {
  400: 'Malformed JSON or a missing body (`MALFORMED_JSON`, `BODY_REQUIRED`).',
  401: 'No valid access token (`UNAUTHENTICATED`).',
  403: 'Not a member of the workspace, or the role is too low (`WORKSPACE_ACCESS_DENIED`, `ROLE_TOO_LOW`).',
  404: 'The resource does not exist (`NOT_FOUND`).',
  413: 'The body is larger than the limit (`PAYLOAD_TOO_LARGE`).',
  422: 'The input did not match the schema (`VALIDATION_FAILED`, with `errors[]`).',
  500: 'An unexpected error; logged with the request id (`INTERNAL_ERROR`).',
  503: 'A dependency is not available.',
};

function errorStatuses(contract: RouteContract): number[] {
  const statuses = new Set<number>([500]);
  if (contract.body) [400, 413].forEach((status) => statuses.add(status));
  if (contract.body || contract.query || contract.params) statuses.add(422);
  if (contract.access !== 'public') statuses.add(401);
  if (contract.access === 'superuser' || isWorkspaceRoute(contract)) statuses.add(403);
  if (contract.errors?.includes('NOT_FOUND')) statuses.add(404);
  if (contract.errors?.includes('NOT_READY')) statuses.add(503);
  return [...statuses].sort();
}

function operationOf(contract: RouteContract, components: Components) {
  const responses: Record<string, unknown> = {};
  const produces = contract.produces ?? 'application/json';
  if (contract.status === 204) {
    responses['204'] = { description: 'Done; no body.' };
  } else if (produces === 'application/json' && !contract.response) {
    responses[String(contract.status)] = { description: `${contract.summary}; no body.` };
  } else if (produces === 'application/json') {
    responses[String(contract.status)] = {
      description: contract.summary,
      content: {
        'application/json': {
          schema: contract.response ? schemaOf(contract.response, 'output', components) : {},
          ...(contract.examples?.response !== undefined ? { example: contract.examples.response } : {}),
        },
      },
    };
  } else {
    responses[String(contract.status)] = { description: contract.summary, content: { [produces]: { schema: { type: 'string' } } } };
  }
  for (const status of errorStatuses(contract)) {
    responses[String(status)] = { description: errorDescriptions[status] ?? 'Error.', content: problemContent };
  }
  const parameters = [...parametersOf(contract.params, 'path', components), ...parametersOf(contract.query, 'query', components)];
  return {
    operationId: contract.id,
    summary: contract.summary,
    ...(contract.description ? { description: contract.description } : {}),
    tags: [contract.domain],
    ...(parameters.length ? { parameters } : {}),
    ...(contract.body
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: schemaOf(contract.body, 'input', components),
                ...(contract.examples?.body !== undefined ? { example: contract.examples.body } : {}),
              },
            },
          },
        }
      : {}),
    ...(contract.access === 'public' ? { security: [] } : {}),
    ...(contract.access !== 'public' ? { 'x-required-role': contract.access } : {}),
    responses,
  };
}

export function openApiDocument(routes: readonly RouteContract[], info: { version: string; serverUrl?: string }) {
  const components: Components = { schemas: {} };
  schemaOf(Problem, 'output', components);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const contract of routes) {
    (paths[contract.path] ??= {})[contract.method.toLowerCase()] = operationOf(contract, components);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Home Warehouse API',
      version: info.version,
      description:
        'Home inventory: items, stock in locations and containers, loans, attachments, shared in workspaces. ' +
        'Every error is application/problem+json with a machine-readable `code`.',
    },
    servers: [{ url: info.serverUrl ?? '/' }],
    tags: [...new Set(routes.map((contract) => contract.domain))].map((name) => ({ name })),
    security: [{ bearer: [] }],
    paths,
    components: {
      ...components,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}
