import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { route } from '../../shared/contract/route.js';
import { httpRoute, Reply } from '../../shared/http/route.js';
import { DomainError, NotFound } from '../../shared/domain/errors.js';
import { logger } from '../../shared/observability/telemetry.js';
import { apiEvent, lambdaContext } from '../support/lambda.js';

const Widget = z.object({ id: z.string(), name: z.string(), size: z.optional(z.number()) });

const createWidget = route({
  id: 'createWidget', method: 'POST', path: '/widgets/{widget_id}', domain: 'test', access: 'public',
  summary: 'test route', status: 201, response: Widget,
  params: z.object({ widget_id: z.uuid() }),
  query: z.object({ limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 50) }),
  body: z.strictObject({ name: z.string().check(z.minLength(1), z.maxLength(10)), size: z.optional(z.number()) }),
});

const getWidget = route({
  id: 'getWidget', method: 'GET', path: '/widgets/{widget_id}', domain: 'test', access: 'public',
  summary: 'test route', status: 200, response: Widget, params: z.object({ widget_id: z.string() }),
});

const widgetId = '0192f0c4-5a7e-7cc3-9a1e-3b2f6d5e4c10';
const create = httpRoute(createWidget, ({ params, body }) => ({ id: params.widget_id, name: body.name, size: body.size }));
const call = (handler: ReturnType<typeof httpRoute>, event: ReturnType<typeof apiEvent>) => handler(event, lambdaContext());
const bodyOf = (response: { body?: string }) => JSON.parse(response.body ?? 'null');
/** HTTP header names are case-insensitive; middlewares write them in either case. */
const header = (response: { headers: Record<string, string> }, name: string) =>
  Object.entries(response.headers).find(([key]) => key.toLowerCase() === name)?.[1];

describe('httpRoute', () => {
  it('answers the contract status with the shaped JSON body', async () => {
    const response = await call(create, apiEvent('POST', '/widgets/x', { params: { widget_id: widgetId }, body: { name: 'bolt' } }));
    expect(response.statusCode).toBe(201);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(bodyOf(response)).toEqual({ id: widgetId, name: 'bolt' });
  });

  it('refuses malformed JSON with 400 MALFORMED_JSON', async () => {
    const response = await call(create, apiEvent('POST', '/widgets/x', { params: { widget_id: widgetId }, rawBody: '{"name": ' }));
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(bodyOf(response)).toMatchObject({ status: 400, code: 'MALFORMED_JSON', title: 'Bad Request' });
  });

  it('refuses a missing body with 400 BODY_REQUIRED', async () => {
    const response = await call(create, apiEvent('POST', '/widgets/x', { params: { widget_id: widgetId } }));
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response).code).toBe('BODY_REQUIRED');
  });

  it('reports every violation of path, query and body in one 422 with locations', async () => {
    const response = await call(create, apiEvent('POST', '/widgets/x', {
      params: { widget_id: 'not-a-uuid' }, query: { limit: '500' }, body: { size: 'big', colour: 'red' },
    }));
    expect(response.statusCode).toBe(422);
    const problem = bodyOf(response);
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.errors).toEqual(expect.arrayContaining([
      { location: 'path.widget_id', message: 'must be a valid UUID', value: 'not-a-uuid' },
      { location: 'query.limit', message: 'must be at most 100', value: '500' },
      { location: 'body.name', message: 'is required' },
      { location: 'body.size', message: 'must be a number, not string', value: 'big' },
      { location: 'body.colour', message: 'is not an allowed property' },
    ]));
    expect(problem.errors).toHaveLength(5);
  });

  it('names string length limits in the message', async () => {
    const response = await call(create, apiEvent('POST', '/widgets/x', { params: { widget_id: widgetId }, body: { name: 'far too long a name' } }));
    expect(bodyOf(response).errors).toEqual([{ location: 'body.name', message: 'must be at most 10 characters long', value: 'far too long a name' }]);
  });

  it('refuses a body over the size limit with 413', async () => {
    const response = await call(create, apiEvent('POST', '/widgets/x', { params: { widget_id: widgetId }, rawBody: `{"name":"${'x'.repeat(1_100_000)}"}` }));
    expect(response.statusCode).toBe(413);
    expect(bodyOf(response).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses a body that is not JSON with 415', async () => {
    const response = await call(create, apiEvent('POST', '/widgets/x', { params: { widget_id: widgetId }, rawBody: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
    expect(response.statusCode).toBe(415);
  });

  it('maps a named domain error to its status and code', async () => {
    const handler = httpRoute(getWidget, () => { throw NotFound('No widget with that id.'); });
    const response = await call(handler, apiEvent('GET', '/widgets/1', { params: { widget_id: '1' } }));
    expect(response.statusCode).toBe(404);
    expect(bodyOf(response)).toMatchObject({ status: 404, code: 'NOT_FOUND', detail: 'No widget with that id.', type: 'about:blank' });
  });

  it('sends Retry-After for a rate-limited answer', async () => {
    const handler = httpRoute(getWidget, () => { throw new DomainError('TOO_MANY_ATTEMPTS', 'Slow down.', { retryAfter: 90 }); });
    const response = await call(handler, apiEvent('GET', '/widgets/1', { params: { widget_id: '1' } }));
    expect(response.statusCode).toBe(429);
    expect(response.headers['retry-after']).toBe('90');
  });

  it('answers an unexpected exception with a bare 500 and logs its stack', async () => {
    const logged = vi.spyOn(logger, 'error');
    const handler = httpRoute(getWidget, () => { throw new Error('connection string postgres://secret@db'); });
    const response = await call(handler, apiEvent('GET', '/widgets/1', { params: { widget_id: '1' } }));
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('secret');
    expect(bodyOf(response)).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
    const [, error] = logged.mock.calls.at(-1) as [string, Error];
    expect(error.stack).toContain('connection string');
    logged.mockRestore();
  });

  it('strips attributes the response schema does not declare', async () => {
    const handler = httpRoute(getWidget, () => ({ id: '1', name: 'bolt', PK: 'WS#1', SK: 'WIDGET#1' }) as never);
    const response = await call(handler, apiEvent('GET', '/widgets/1', { params: { widget_id: '1' } }));
    expect(bodyOf(response)).toEqual({ id: '1', name: 'bolt' });
  });

  it('sends an ETag on GET and answers 304 to If-None-Match', async () => {
    const handler = httpRoute(getWidget, () => ({ id: '1', name: 'bolt' }));
    const first = await call(handler, apiEvent('GET', '/widgets/1', { params: { widget_id: '1' } }));
    const etag = first.headers.etag!;
    expect(etag).toMatch(/^".+"$/);
    const second = await call(handler, apiEvent('GET', '/widgets/1', { params: { widget_id: '1' }, headers: { 'if-none-match': etag } }));
    expect(second.statusCode).toBe(304);
    expect(second.body).toBeUndefined();
  });

  it('lets an implementation choose another status through Reply', async () => {
    const handler = httpRoute(getWidget, () => new Reply(202, { id: '1', name: 'queued' }));
    const response = await call(handler, apiEvent('GET', '/widgets/1', { params: { widget_id: '1' } }));
    expect(response.statusCode).toBe(202);
  });

  it('adds CORS and security headers to every answer, errors included', async () => {
    const handler = httpRoute(getWidget, () => { throw NotFound(); });
    const response = await call(handler, apiEvent('GET', '/widgets/1', { params: { widget_id: '1' }, headers: { origin: 'https://pwa.example' } }));
    expect(header(response, 'access-control-allow-origin')).toBe('*');
    expect(header(response, 'access-control-expose-headers')).toContain('ETag');
    expect(header(response, 'x-content-type-options')).toBe('nosniff');
    expect(header(response, 'strict-transport-security')).toMatch(/max-age=/);
  });
});
