// The OpenAPI 3.1 document, generated from the route table: nothing about a route is written
// twice. zod's own JSON Schema conversion gives the schemas (named ones become components); the
// statuses, error codes and headers a route answers come from what the route declares and from
// the one table of error codes (./errors.ts) the wrapper answers with, so the document says what
// the server really does. Integration tests validate every answer they receive against it.
import * as z from 'zod/mini';
import type { MediaType, RouteContract } from './route.js';
import { isWorkspaceRoute, workspaceRoles } from './route.js';
import { Problem } from './common.js';
import { errorDescriptions, errorKinds, kindOf, type ErrorCode } from './errors.js';

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

/** Query parameters the API refuses on purpose (the earlier API's `page`) are not offered to clients. */
const refusedParameters = new Set(['page']);

function parametersOf(schema: z.ZodMiniType | undefined, location: 'path' | 'query', components: Components) {
  if (!schema) return [];
  const converted = schemaOf(schema, 'input', components);
  const properties = (converted.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((converted.required ?? []) as string[]);
  return Object.entries(properties)
    .filter(([name]) => !(location === 'query' && refusedParameters.has(name)))
    .map(([name, propertySchema]) => {
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

const headerParameters = {
  ifMatch: {
    name: 'If-Match', in: 'header', required: false, schema: { type: 'string' },
    description: 'Makes the write conditional: the version (`3`), an ETag this API gave for the resource (`"<id>.v3"`), a comma-separated list of those (any matches), or `*`. A version that moved on answers 412 VERSION_CONFLICT; without this header the write never answers 412.',
  },
  idempotencyKey: {
    name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
    description: 'Makes a retry safe: a fresh key (a UUID) per request; sent again by the same user within 24 hours it answers the first answer (marked `Idempotent-Replayed: true`) without doing anything twice. The same key with another body is 422 IDEMPOTENCY_KEY_REUSED; while the first request still runs, 409 IDEMPOTENCY_IN_PROGRESS. Only successes are kept: a retry after an error runs again.',
  },
  ifNoneMatch: {
    name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' },
    description: 'The ETag of an earlier answer: 304 Not Modified (no body) while it still matches.',
  },
};

// `required` here means: every answer that lists the header carries it (the tests check it).
const responseHeaders = {
  ETag: { required: true, description: 'Entity tag of the answer. For a versioned resource it ends in `.v<version>`: send it as If-Match to write, or as If-None-Match to read again cheaply.', schema: { type: 'string' } },
  Location: { required: true, description: 'The path of the created resource.', schema: { type: 'string' } },
  'Retry-After': { required: true, description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 0 } },
  'Cache-Control': { required: true, description: '`private, no-cache` on signed-in reads (revalidate with If-None-Match), `no-cache` on public reads, `no-store` on writes and errors.', schema: { type: 'string' } },
  'X-Problem-Code': { required: true, description: 'The machine-readable code of an error answered as an HTML page.', schema: { type: 'string' } },
};
const headerRef = (name: keyof typeof responseHeaders) => ({ $ref: `#/components/headers/${name}` });

/** Every error code a route can answer: what every route of its kind answers, plus what it declares. */
export function errorCodesOf(contract: RouteContract): ErrorCode[] {
  const codes = new Set<ErrorCode>(['INTERNAL_ERROR', 'HEADERS_TOO_LARGE']);
  if (contract.params) codes.add('MALFORMED_PATH');
  if (contract.body) {
    codes.add('PAYLOAD_TOO_LARGE').add('UNSUPPORTED_MEDIA_TYPE');
    if ((contract.consumes ?? 'application/json') === 'application/json') codes.add('MALFORMED_JSON').add('BODY_REQUIRED');
  }
  if (contract.body || contract.query || contract.params) codes.add('VALIDATION_FAILED');
  if (contract.query && 'cursor' in ((contract.query as unknown as { def?: { shape?: object } }).def?.shape ?? {})) codes.add('INVALID_CURSOR');
  if (contract.conditional) codes.add('INVALID_IF_MATCH').add('VERSION_CONFLICT');
  // writes run transactions, which may lose to others past their retries (shared/db/table.ts)
  if (contract.method !== 'GET') codes.add('RESOURCE_BUSY');
  if (contract.access !== 'public') codes.add('UNAUTHENTICATED').add('USER_DEACTIVATED');
  if (contract.access === 'superuser') codes.add('SUPERUSER_REQUIRED');
  if (isWorkspaceRoute(contract)) {
    codes.add('WORKSPACE_ACCESS_DENIED');
    if (workspaceRoles.indexOf(contract.access as never) > 0) codes.add('ROLE_TOO_LOW');
  }
  if (contract.replayable) codes.add('ENTITY_DELETED');
  if (contract.idempotent) codes.add('VALIDATION_FAILED').add('IDEMPOTENCY_IN_PROGRESS').add('IDEMPOTENCY_KEY_REUSED');
  for (const code of contract.errors ?? []) codes.add(code);
  return [...codes];
}

/** Codes API Gateway (and the local server) may answer before a route runs, always as problem+json. */
const answeredBeforeTheRoute: ReadonlySet<ErrorCode> = new Set(['HEADERS_TOO_LARGE', 'MALFORMED_PATH', 'PAYLOAD_TOO_LARGE']);

const mediaTypesOf = (contract: RouteContract): readonly MediaType[] =>
  contract.produces === undefined ? ['application/json'] : typeof contract.produces === 'string' ? [contract.produces] : contract.produces;

function successResponse(contract: RouteContract, components: Components) {
  const headers: Record<string, unknown> = { 'Cache-Control': headerRef('Cache-Control') };
  if (contract.status === 204) return { description: 'Done; no body.', headers };
  if ((contract.status === 201 || contract.status === 202) && contract.location) headers.Location = headerRef('Location');
  if (contract.status === 302) return { description: `${contract.summary}; the target is in Location.`, headers: { ...headers, Location: { required: true, description: 'Where to go: a URL valid for a short time.', schema: { type: 'string', format: 'uri' } } } };
  const produces = mediaTypesOf(contract);
  const json = produces.includes('application/json');
  if (json && !contract.response && produces.length === 1) return { description: `${contract.summary}; no body.`, headers };
  headers.ETag = headerRef('ETag');
  const content = Object.fromEntries(produces.map((media) => [media, media === 'application/json' && contract.response
    ? {
      schema: schemaOf(contract.response!, 'output', components),
      ...(contract.examples?.response !== undefined ? { example: contract.examples.response } : {}),
    }
    // a file served as JSON (an export) is described by the route and its example, not by a schema
    : media === 'application/json'
      ? { schema: {}, ...(contract.examples?.response !== undefined ? { example: contract.examples.response } : {}) }
      : { schema: { type: 'string' } }]));
  return { description: contract.summary, headers, content };
}

/** One response per error status, listing the codes a client meets there (the body's `code` is one of them). */
function errorResponses(contract: RouteContract): Record<string, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(contract)) {
    const status = errorKinds[kindOf(code)];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const html = mediaTypesOf(contract).includes('text/html');
  const responses: Record<string, unknown> = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const description = codes.map((code) => `\`${code}\`: ${errorDescriptions[code]}`).join(' ');
    const headers: Record<string, unknown> = { 'Cache-Control': headerRef('Cache-Control') };
    if (status === 429) headers['Retry-After'] = headerRef('Retry-After');
    if (status === 409 && codes.includes('IDEMPOTENCY_IN_PROGRESS')) headers['Retry-After'] = { description: 'Seconds to wait, when the request with the same Idempotency-Key is still running.', schema: { type: 'integer', minimum: 0 } };
    if (status === 503) headers['Retry-After'] = { description: 'Seconds to wait, when the cause is passing (RESOURCE_BUSY).', schema: { type: 'integer', minimum: 0 } };
    const problem = { allOf: [{ $ref: '#/components/schemas/Problem' }, { type: 'object', properties: { code: { type: 'string', enum: codes } } }] };
    const json = { 'application/problem+json': { schema: problem } };
    if (!html) {
      responses[String(status)] = { description, headers, content: json };
    } else if (codes.some((code) => answeredBeforeTheRoute.has(code))) {
      // the gateway answers these before the route's page can: problem+json, without X-Problem-Code
      responses[String(status)] = {
        description, headers: { ...headers, 'X-Problem-Code': { description: 'The code, when the answer is a page.', schema: { type: 'string' } } },
        content: { 'text/html': { schema: { type: 'string' } }, ...json },
      };
    } else {
      responses[String(status)] = { description, headers: { ...headers, 'X-Problem-Code': headerRef('X-Problem-Code') }, content: { 'text/html': { schema: { type: 'string' } } } };
    }
  }
  return responses;
}

function requestBodyOf(contract: RouteContract, components: Components) {
  if (!contract.body) return {};
  const media = contract.consumes ?? 'application/json';
  return {
    requestBody: {
      required: true,
      content: {
        [media]: {
          schema: schemaOf(contract.body, 'input', components),
          ...(contract.examples?.body !== undefined ? { example: contract.examples.body } : {}),
        },
      },
    },
  };
}

function operationOf(contract: RouteContract, components: Components) {
  const responses: Record<string, unknown> = { [String(contract.status)]: successResponse(contract, components) };
  if (contract.replayable) {
    const created = responses[String(contract.status)] as { headers: Record<string, unknown>; content?: unknown };
    const { Location: _location, ...headers } = created.headers;
    responses['200'] = { description: 'A replay: the body\'s `id` names an entity created before (by this request, sent earlier); nothing changed, and the answer is that entity as it is now.', headers, content: created.content };
  }
  if (contract.idempotent) {
    for (const status of [String(contract.status), ...(contract.replayable ? ['200'] : [])]) {
      const success = responses[status] as { headers: Record<string, unknown> };
      success.headers = { ...success.headers, 'Idempotent-Replayed': { description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key.', schema: { type: 'string', enum: ['true'] } } };
    }
  }
  if (contract.accepted) {
    responses['202'] = {
      description: 'Too large to answer at once: made in the background. The body is the job; poll its `Location` until it is DONE and carries a download link.',
      headers: { 'Cache-Control': headerRef('Cache-Control'), Location: headerRef('Location'), ETag: headerRef('ETag') },
      content: { 'application/json': { schema: schemaOf(contract.accepted.response, 'output', components) } },
    };
  }
  if (contract.method === 'GET') {
    responses['304'] = { description: 'Not modified: the If-None-Match ETag still matches; no body.', headers: { ETag: headerRef('ETag'), 'Cache-Control': headerRef('Cache-Control') } };
  }
  Object.assign(responses, errorResponses(contract));
  const parameters = [
    ...parametersOf(contract.params, 'path', components),
    ...parametersOf(contract.query, 'query', components),
    ...(contract.conditional ? [headerParameters.ifMatch] : []),
    ...(contract.idempotent ? [headerParameters.idempotencyKey] : []),
    ...(contract.method === 'GET' ? [headerParameters.ifNoneMatch] : []),
  ];
  return {
    operationId: contract.id,
    summary: contract.summary,
    ...(contract.description ? { description: contract.description } : {}),
    tags: [contract.domain],
    ...(parameters.length ? { parameters } : {}),
    ...requestBodyOf(contract, components),
    ...(contract.access === 'public' ? { security: [] } : {}),
    ...(contract.access !== 'public' ? { 'x-required-role': contract.access } : {}),
    responses,
  };
}

/** What each tag (a domain of the route table) holds; a domain without an entry is described by its routes. */
const tagDescriptions: Record<string, string> = {
  platform: 'Health probes and this API\'s own documentation.',
  auth: 'Registration, sign-in, token refresh, sign-out and password reset.',
  users: 'The signed-in user\'s account, and superuser administration of users.',
  workspaces: 'Workspaces: the shared spaces everything else lives in, with a role per member.',
  members: 'Who belongs to a workspace, with which role.',
  notifications: 'What happened that concerns the signed-in user.',
};

function describe(routes: readonly RouteContract[]): string {
  const domains = [...new Set(routes.map((contract) => contract.domain))];
  return [
    `The backend of a home inventory, shared in workspaces with roles. This version serves: ${domains.join(', ')} (${routes.length} operations).`,
    '',
    'Conventions: JSON in snake_case; ids are UUIDs; times are RFC 3339 UTC. Every error is `application/problem+json` with a machine-readable `code` (each response below lists the codes it can carry) and, for invalid input, `errors[]` with `location` (`body.name`, `query.limit`, `path.id`) and `message`.',
    'Lists are cursor-paged: `limit` (1–100, default 50) and the opaque `cursor` from the previous page\'s `next_cursor`; the last page has no `next_cursor`.',
    'Every successful answer with a body carries an `ETag`; reads answer 304 to a matching `If-None-Match`; writes that declare `If-Match` answer 412 when the version moved on, and never without it.',
    'Answered before any route runs (by API Gateway, and by the local server the same way): 404 `ROUTE_NOT_FOUND`, 405 `METHOD_NOT_ALLOWED`, 400 `MALFORMED_PATH`/`MALFORMED_REQUEST`, 413 for bodies over 10 MB, 431 `HEADERS_TOO_LARGE`.',
  ].join('\n');
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
      description: describe(routes),
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: info.serverUrl ?? '/' }],
    tags: [...new Set(routes.map((contract) => contract.domain))].map((name) => ({
      name, description: tagDescriptions[name] ?? `Routes of the ${name} domain.`,
    })),
    security: [{ bearer: [] }],
    paths,
    components: {
      ...components,
      headers: responseHeaders,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The `token` of POST /auth/login or /auth/refresh (15 minutes).' } },
    },
  };
}
