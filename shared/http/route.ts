// httpRoute(contract, implementation) → a Lambda handler for API Gateway (HTTP API, payload 2.0).
// Everything a route has in common lives here once: header normalisation, JSON parsing,
// validation of path, query and body against the contract, the caller's access, response
// serialisation with ETags, CORS, security headers, structured logs with the request id as
// correlation id, EMF metrics, and the one error map.
import middy from '@middy/core';
import httpCors from '@middy/http-cors';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpSecurityHeaders from '@middy/http-security-headers';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import type { RouteContract, WorkspaceRole } from '../contract/route.js';
import { authorize, type Caller, type WorkspaceScope } from './caller.js';
import { entityTag, expectedVersion } from './conditional.js';
import { config } from '../config.js';
import { DomainError, type FieldError } from '../domain/errors.js';
import { logger, metrics } from '../observability/telemetry.js';
import { metricDimensions, metricNames } from '../observability/metric-names.js';
import { domainErrorResponse, internalErrorResponse, problemResponse, type HttpResponse } from './problem.js';
import { fieldErrors, type InputPart } from './validation.js';
import { contentSecurityPolicyFor } from './security-headers.js';

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
  /** the version an `If-Match` header asks for, if any */
  expectedVersion: number | undefined;
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

/** A non-JSON body (HTML page, script): sent as is with its media type. */
export const rawReply = (body: string, contentType: string, headers: Record<string, string> = {}) =>
  new Reply(200, body, { contentType, raw: true, headers });

export type Implementation<C extends RouteContract> = (
  request: RouteRequest<C>,
) => Promise<ResponseOf<C> | Reply | void> | ResponseOf<C> | Reply | void;

export type RouteHandler = ((event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResponse>) & {
  contract: RouteContract;
};

const jsonType = 'application/json; charset=utf-8';

function readBody(event: APIGatewayProxyEventV2, contract: RouteContract): unknown {
  if (!contract.body) return undefined;
  const text = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '';
  if (Buffer.byteLength(text) > config.limits.maxBodyBytes) {
    throw new DomainError('payload_too_large', 'PAYLOAD_TOO_LARGE', `The request body is larger than ${config.limits.maxBodyBytes} bytes.`);
  }
  if (text.trim() === '') throw new DomainError('bad_request', 'BODY_REQUIRED', 'This request needs a JSON body.');
  const contentType = event.headers['content-type'];
  if (contentType && !/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new DomainError('unsupported_media_type', 'UNSUPPORTED_MEDIA_TYPE', 'The body must be application/json.');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new DomainError('bad_request', 'MALFORMED_JSON', 'The request body is not valid JSON.');
  }
}

/** Validates the given parts; every violation of every part is reported in one 422. */
function parseParts(parts: [InputPart, z.ZodMiniType | undefined, unknown][]): unknown[] {
  const errors: FieldError[] = [];
  const parsed = parts.map(([part, schema, raw]) => {
    if (!schema) return undefined;
    const result = z.safeParse(schema, raw);
    if (result.success) return result.data;
    errors.push(...fieldErrors(part, result.error.issues, raw));
    return undefined;
  });
  if (errors.length > 0) {
    throw new DomainError('invalid', 'VALIDATION_FAILED', 'The request did not match the schema.', { errors });
  }
  return parsed;
}

const etagOf = (body: string) => `"${createHash('sha1').update(body).digest('base64url')}"`;

function serialise(contract: RouteContract, result: unknown, event: APIGatewayProxyEventV2): HttpResponse {
  const reply = result instanceof Reply ? result : new Reply(contract.status, result);
  const headers: Record<string, string> = { ...reply.options.headers };
  if (reply.status === 204 || reply.status === 304 || reply.body === undefined) {
    return { statusCode: reply.status, headers };
  }
  let body: string;
  if (reply.options.raw) {
    body = String(reply.body);
    headers['content-type'] = reply.options.contentType ?? 'text/plain; charset=utf-8';
  } else {
    // The response schema strips what is not part of the contract (keys, internal attributes).
    const shaped = contract.response && reply.status < 300 ? z.parse(contract.response, reply.body) : reply.body;
    body = JSON.stringify(shaped);
    headers['content-type'] = reply.options.contentType ?? jsonType;
  }
  if (contract.method === 'GET' && reply.status === 200) {
    const etag = headers.etag ?? entityTag(reply.body) ?? etagOf(body);
    headers.etag = etag;
    const ifNoneMatch = event.headers['if-none-match'];
    if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
      return { statusCode: 304, headers: { etag } };
    }
  }
  return { statusCode: reply.status, headers, body };
}

function recordOutcome(contract: RouteContract, statusCode: number) {
  if (statusCode < 400) return;
  metrics.addDimension(metricDimensions.operation, contract.id);
  metrics.addMetric(statusCode >= 500 ? metricNames.serverErrors : metricNames.clientErrors, MetricUnit.Count, 1);
}

// Building a handler has no effect but its result. Handlers call it as
// `/* @__PURE__ */ httpRoute(...)` so esbuild drops the routes a bundle does not export: each route's
// bundle holds only what its own handler reaches (see infra/bundle.ts and the code-rules test).
export function httpRoute<C extends RouteContract>(contract: C, implementation: Implementation<C>): RouteHandler {
  const core = async (event: APIGatewayProxyEventV2): Promise<HttpResponse> => {
    const requestId = event.requestContext?.requestId ?? 'unknown';
    // Set here rather than through `correlationIdPath`, which would pull JMESPath into every bundle.
    logger.setCorrelationId(requestId);
    let response: HttpResponse;
    try {
      // On signed-in routes, who is calling is settled (from the token and the path) before the
      // query and body are looked at; public routes report every violation at once.
      const path: [InputPart, z.ZodMiniType | undefined, unknown] = ['path', contract.params, event.pathParameters ?? {}];
      const rest = (): [InputPart, z.ZodMiniType | undefined, unknown][] => [
        ['query', contract.query, event.queryStringParameters ?? {}],
        ['body', contract.body, readBody(event, contract)],
      ];
      let params: unknown, query: unknown, body: unknown, access: Awaited<ReturnType<typeof authorize>> | undefined;
      if (contract.access === 'public') {
        [params, query, body] = parseParts([path, ...rest()]);
      } else {
        [params] = parseParts([path]);
        access = await authorize(contract, event.headers, params as { workspace_id?: string });
        [query, body] = parseParts(rest());
      }
      const result = await implementation({
        params, query, body, caller: access?.caller, scope: access?.scope,
        expectedVersion: expectedVersion(event.headers['if-match']),
        headers: event.headers, requestId, event,
      } as RouteRequest<C>);
      response = serialise(contract, result, event);
    } catch (error) {
      if (error instanceof DomainError) {
        response = domainErrorResponse(error, requestId);
        logger.info('request refused', { code: error.code, status: response.statusCode });
      } else {
        logger.error('unexpected error', error as Error);
        response = internalErrorResponse(requestId);
      }
    }
    recordOutcome(contract, response.statusCode);
    return response;
  };

  const handler = middy(core)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(httpHeaderNormalizer())
    .use(httpSecurityHeaders(contentSecurityPolicyFor(contract)))
    .use(httpCors({ origins: config.corsOrigins, maxAge: 300, exposeHeaders: 'ETag, Location, Retry-After' }));

  return Object.assign(handler as unknown as (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResponse>, { contract });
}

/** For routes whose declared status already says everything (204). */
export const noContent = () => new Reply(204, undefined);

export { problemResponse };
