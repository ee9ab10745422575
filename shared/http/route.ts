// httpRoute(contract, implementation) → a Lambda handler for API Gateway (HTTP API, payload 2.0).
// Everything a route has in common lives here once: header normalisation, JSON parsing,
// validation of path, query and body against the contract, the caller's access, response
// serialisation with ETags, CORS, security headers, structured logs with the request id as
// correlation id, EMF metrics, and the one error map.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import type { RouteContract, WorkspaceRole } from '../contract/route.js';
import { authorize, type Caller, type WorkspaceScope } from './caller.js';
import { entityTag, parseIfMatch, type IfMatch } from './conditional.js';
import { capacityHeader, withCapacityTally, type CapacityTally } from '../observability/capacity.js';
import { config } from '../config.js';
import { DomainError, type FieldError } from '../domain/errors.js';
import { logger, metrics } from '../observability/telemetry.js';
import * as metricNames from '../observability/metric-names.js';
import { metricDimensions } from '../observability/metric-dimensions.js';
import { domainErrorResponse, internalErrorResponse, problemResponse, type HttpResponse } from './problem.js';
import { fieldErrors, type InputPart } from './validation.js';
import { withSecurityHeaders } from './security-headers.js';
import type { Idempotency } from './idempotency.js';
import { isReplay } from '../domain/ids.js';
import type { ListCache } from './list-cache.js';

type Infer<S> = [NonNullable<S>] extends [z.ZodMiniType] ? z.output<NonNullable<S>> : undefined;
type ResponseOf<C> = C extends RouteContract<z.ZodMiniType, z.ZodMiniType, z.ZodMiniType, infer R> ? z.input<R> : never;
type CallerOf<C extends RouteContract> = C['access'] extends 'public' ? undefined : Caller;
type ScopeOf<C extends RouteContract> = C['access'] extends WorkspaceRole ? WorkspaceScope : undefined;

export interface RouteRequest<C extends RouteContract> {
  params: Infer<C['params']>;
  query: Infer<C['query']>;
  body: Infer<C['body']>;
  /** the signed-in user (every route but the public ones) */
  caller: CallerOf<C>;
  /** the workspace, the caller's membership and role (routes under /workspaces/{workspace_id}) */
  scope: ScopeOf<C>;
  /** the versions `If-Match` accepts, on routes declared `conditional` (any version elsewhere) */
  ifMatch: IfMatch;
  /** lower-cased header names */
  headers: Record<string, string | undefined>;
  requestId: string;
  event: APIGatewayProxyEventV2;
}

/** A reply other than the contract's default status and JSON body. */
export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly options: { headers?: Record<string, string>; contentType?: string; raw?: boolean } = {},
  ) {}
}

/** A non-JSON body (HTML page, script, an image): sent as is with its media type; bytes go base64-encoded, as API Gateway wants them. */
export const rawReply = (body: string | Uint8Array, contentType: string, headers: Record<string, string> = {}, status = 200) =>
  new Reply(status, body, { contentType, raw: true, headers });

export type Implementation<C extends RouteContract> = (
  request: RouteRequest<C>,
) => Promise<ResponseOf<C> | Reply | void> | ResponseOf<C> | Reply | void;

export type RouteHandler = ((event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResponse>) & {
  contract: RouteContract;
  /** true when the handler honours Idempotency-Key (it was given `{ idempotency }`) */
  idempotent: boolean;
};

const jsonType = 'application/json; charset=utf-8';

function readBody(event: APIGatewayProxyEventV2, contract: RouteContract, page: PageOptions | undefined): unknown {
  if (!contract.body) return undefined;
  const text = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '';
  if (Buffer.byteLength(text) > config.limits.maxBodyBytes) {
    throw new DomainError('PAYLOAD_TOO_LARGE', `The request body is larger than ${config.limits.maxBodyBytes} bytes.`);
  }
  const contentType = event.headers['content-type'];
  if (contract.consumes === 'application/x-www-form-urlencoded' && page?.readForm) return page.readForm(text, contentType);
  if (text.trim() === '') throw new DomainError('BODY_REQUIRED', 'This request needs a JSON body.');
  if (contentType && !/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'The body must be application/json.');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new DomainError('MALFORMED_JSON', 'The request body is not valid JSON.');
  }
}

/** Validates the given parts; every violation of every part is reported in one 422. */
function parseParts(parts: [InputPart, z.ZodMiniType | undefined, unknown][]): unknown[] {
  const errors: FieldError[] = [];
  const parsed = parts.map(([part, schema, raw]) => {
    if (!schema) return undefined;
    const result = z.safeParse(schema, raw);
    if (result.success) return result.data;
    errors.push(...fieldErrors(part, result.error.issues, raw, schema));
    return undefined;
  });
  if (errors.length > 0) {
    throw new DomainError('VALIDATION_FAILED', 'The request did not match the schema.', { errors });
  }
  return parsed;
}

const etagOf = (body: string) => `"${createHash('sha1').update(body).digest('base64url')}"`;

/** The created resource's path for a 201 (or a job's for a 202): the contract's `location` with path parameters and answer fields filled in. */
function locationOf(contract: RouteContract, params: unknown, body: unknown): string | undefined {
  if (!contract.location) return undefined;
  const values = { ...(params as Record<string, unknown>), ...(body as Record<string, unknown>) };
  let complete = true;
  const path = contract.location.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (typeof value !== 'string') complete = false;
    return encodeURIComponent(String(value));
  });
  return complete ? path : undefined;
}

/**
 * Caching: signed-in answers are `private, no-cache` (a shared cache must never serve one user's
 * answer to another; the client revalidates with If-None-Match); public GETs `no-cache`; every
 * other answer (writes, which may carry tokens, and errors) `no-store`. A route may set its own.
 */
function cacheControlOf(contract: RouteContract, status: number): string {
  if (contract.method !== 'GET' || status >= 400) return 'no-store';
  return contract.access === 'public' ? 'no-cache' : 'private, no-cache';
}

/** Whether If-None-Match names `etag` (or is `*`). */
const noneMatch = (header: string | undefined, etag: string) =>
  !!header && (header.trim() === '*' || header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag));

const notModified = (contract: RouteContract, etag: string): HttpResponse => ({ statusCode: 304, headers: { etag, 'cache-control': cacheControlOf(contract, 304) } });

/** `etag`: a list's version tag (list-cache.ts), which replaces the hash of its body. */
function serialise(contract: RouteContract, result: unknown, event: APIGatewayProxyEventV2, params: unknown, etag?: string): HttpResponse {
  // a create that found the client's id already made (a replay) answers what is there with 200
  const reply = result instanceof Reply ? result : new Reply(contract.status === 201 && isReplay(result) ? 200 : contract.status, result);
  const headers: Record<string, string> = { ...reply.options.headers };
  headers['cache-control'] ??= cacheControlOf(contract, reply.status);
  if (reply.status === 204 || reply.status === 304 || reply.body === undefined) {
    return { statusCode: reply.status, headers };
  }
  let body: string;
  let binary = false;
  if (reply.options.raw) {
    binary = reply.body instanceof Uint8Array;
    body = binary ? Buffer.from(reply.body as Uint8Array).toString('base64') : String(reply.body);
    headers['content-type'] = reply.options.contentType ?? 'text/plain; charset=utf-8';
  } else {
    // The response schema strips what is not part of the contract (keys, internal attributes).
    const shaped = contract.response && reply.status < 300 ? z.parse(contract.response, reply.body) : reply.body;
    body = JSON.stringify(shaped);
    headers['content-type'] = reply.options.contentType ?? jsonType;
  }
  if (reply.status >= 200 && reply.status < 300) {
    // Every successful answer with a body carries its ETag, writes included, so a client can send
    // its next If-Match (or If-None-Match) without reading the resource again.
    headers.etag ??= etag ?? entityTag(reply.body) ?? etagOf(body);
    if (reply.status === 201 || reply.status === 202) {
      const location = locationOf(contract, params, reply.body);
      if (location) headers.location ??= location;
    }
  }
  if (contract.method === 'GET' && reply.status === 200 && noneMatch(event.headers['if-none-match'], headers.etag!)) {
    return { statusCode: 304, headers: { etag: headers.etag!, 'cache-control': headers['cache-control']! } };
  }
  return { statusCode: reply.status, headers, body, ...(binary ? { isBase64Encoded: true } : {}) };
}

function recordOutcome(contract: RouteContract, statusCode: number, tally: CapacityTally) {
  metrics.addDimension(metricDimensions.operation, contract.id);
  if (statusCode >= 400) metrics.addMetric(statusCode >= 500 ? metricNames.serverErrors : metricNames.clientErrors, MetricUnit.Count, 1);
  if (tally.read > 0) metrics.addMetric(metricNames.consumedReadCapacity, MetricUnit.Count, tally.read);
  if (tally.write > 0) metrics.addMetric(metricNames.consumedWriteCapacity, MetricUnit.Count, tally.write);
  if (tally.slowCalls > 0) metrics.addMetric(metricNames.slowDynamoDbCalls, MetricUnit.Count, tally.slowCalls);
}

/**
 * What a route adds to the wrapper, passed by its handler module: the HTML routes' page needs, or
 * the key of an item the route reads anyway, fetched with the authorisation in one BatchGetItem
 * (a GET of one entity then costs one round trip, not two).
 */
export interface RouteOptions {
  page?: PageOptions;
  /**
   * The key, from the path; or an entity of the catalog, whose key it is (`{ prefetch: items }`:
   * an identifier, not a property read, so a bundle of a sibling route can drop this one).
   */
  prefetch?: PrefetchKey | { prefetch: PrefetchKey };
  /** on routes declared `idempotent`: `{ idempotency }` from shared/http/idempotency.ts */
  idempotency?: Idempotency;
  /**
   * On a list made only of records of these entity types (and refusals that follow from them):
   * its ETag is built from the path, the query and the collections' versions, so a 304 costs no read of the list, and its
   * answer is kept in this container under that tag (list-cache.ts; README, "Caching"). A list
   * that shows anything else (another type's fields, the time of day, presigned links) must not.
   * Given as `cachedBy(...types)` from list-cache.ts, so routes without it do not bundle the cache.
   */
  listCache?: ListCache;
}

type PrefetchKey = (params: Record<string, string>) => { PK: string; SK: string };

/** The HTML routes' own needs (made by `pageOptions` in shared/http/html.ts, so JSON routes carry none of it). */
export interface PageOptions {
  /** the page's content security policy */
  contentSecurityPolicy: string;
  /** headers only pages carry (their permissions policy) */
  headers: Record<string, string>;
  /** the error answer as a page a person can read (same status; the code goes in X-Problem-Code) */
  asPage(response: HttpResponse): HttpResponse;
  /** the body of a route that `consumes` a form */
  readForm?(text: string, contentType: string | undefined): Record<string, string>;
}

/** Locally only: what the request consumed, so the bench measures cost through real HTTP. */

// Building a handler has no effect but its result. Handlers call it as
// `/* @__PURE__ */ httpRoute(...)` so esbuild drops the routes a bundle does not export: each route's
// bundle holds only what its own handler reaches (see infra/bundle.ts and the code-rules test).
export function httpRoute<C extends RouteContract>(contract: C, implementation: Implementation<C>, options: RouteOptions = {}): RouteHandler {
  // (every route declared `idempotent` passes it: test/unit/code-rules.test.ts)
  const { page, idempotency, listCache } = options;
  const prefetch = typeof options.prefetch === 'object' ? options.prefetch.prefetch : options.prefetch;
  const core = (event: APIGatewayProxyEventV2, context?: Context): Promise<HttpResponse> => withCapacityTally(async (tally) => {
    const requestId = event.requestContext?.requestId ?? 'unknown';
    // Set here rather than through `correlationIdPath`, which would pull JMESPath into every bundle.
    logger.setCorrelationId(requestId);
    let response: HttpResponse;
    let params: unknown;
    try {
      // On signed-in routes, who is calling is settled (from the token and the path) before the
      // query and body are looked at; public routes report every violation at once.
      const path: [InputPart, z.ZodMiniType | undefined, unknown] = ['path', contract.params, event.pathParameters ?? {}];
      const rest = (): [InputPart, z.ZodMiniType | undefined, unknown][] => [
        ['query', contract.query, event.queryStringParameters ?? {}],
        ['body', contract.body, readBody(event, contract, page)],
      ];
      let query: unknown, body: unknown, access: Awaited<ReturnType<typeof authorize>> | undefined;
      if (contract.access === 'public') {
        [params, query, body] = parseParts([path, ...rest()]);
      } else {
        [params] = parseParts([path]);
        access = await authorize(contract, event.headers, params as { workspace_id?: string }, prefetch?.(params as Record<string, string>));
        [query, body] = parseParts(rest());
      }
      const ifMatch = contract.conditional ? parseIfMatch(event.headers['if-match']) : parseIfMatch(undefined);
      const tag = listCache && access?.scope ? listCache.tag(contract.id, access.scope.workspace, listCache.collections, params, query) : undefined;
      const answer = async () => {
        if (tag && noneMatch(event.headers['if-none-match'], tag.etag)) return notModified(contract, tag.etag);
        const kept = tag && listCache!.kept(tag);
        if (kept) return kept;
        const response = serialise(contract, await implementation({
          params, query, body, caller: access?.caller, scope: access?.scope, ifMatch,
          headers: event.headers, requestId, event,
        } as RouteRequest<C>), event, params, tag?.etag);
        if (tag) listCache!.keep(tag, response);
        return response;
      };
      response = await (idempotency && access?.scope ? idempotency(contract.id, event, access, body, context, answer) : answer());
    } catch (error) {
      if (error instanceof DomainError) {
        response = domainErrorResponse(error, requestId);
        logger.info('request refused', { code: error.code, status: response.statusCode });
      } else {
        logger.error('unexpected error', error as Error);
        response = internalErrorResponse(requestId);
      }
      response.headers['cache-control'] = 'no-store';
      if (page) response = page.asPage(response);
    }
    const html = page && /^text\/html/i.test(response.headers['content-type'] ?? '');
    response.headers = withSecurityHeaders(html ? { ...page.headers, ...response.headers } : response.headers, {
      origin: event.headers?.origin,
      contentSecurityPolicy: html ? page.contentSecurityPolicy : undefined,
    });
    recordOutcome(contract, response.statusCode, tally);
    if (config.stage === 'local') response.headers['x-consumed-capacity'] = capacityHeader(tally);
    return response;
  });

  const handler = middy(core)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }));

  return Object.assign(handler as unknown as (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResponse>, { contract, idempotent: !!idempotency });
}

/** For routes whose declared status already says everything (204). */
export const noContent = () => new Reply(204, undefined);

export { problemResponse };
