// Platform routes: health probes and the API's own documentation. All public.
import * as z from 'zod/mini';
import { document, route } from './route.js';
import { example, IntOut, named } from './common.js';

const Health = /* @__PURE__ */ named('Health', z.object({ status: z.literal('ok') }), 'The process answers.');
DOCS: example(Health, { status: 'ok' });

const DependencyStatus = /* @__PURE__ */ z.object({
  status: z.enum(['ok', 'failed']),
  latency_ms: IntOut,
  error: z.optional(z.string()),
});

const Readiness = /* @__PURE__ */ named('Readiness', z.object({
  status: z.enum(['ok', 'failed']),
  dependencies: z.object({ table: DependencyStatus, bucket: DependencyStatus, mail: DependencyStatus }),
}), 'Each dependency the API needs, with its state. Answered with 503 when any failed.');
DOCS: example(Readiness, {
  status: 'ok',
  dependencies: {
    table: { status: 'ok', latency_ms: 4 }, bucket: { status: 'ok', latency_ms: 3 }, mail: { status: 'ok', latency_ms: 2 },
  },
});

export const health = /* @__PURE__ */ route({
  id: 'health', method: 'GET', path: '/health', domain: 'platform', access: 'public',
  summary: 'Liveness of the API (kept from the earlier API)', response: Health, status: 200, grants: { table: 'none' },
});
DOCS: document(health, { response: { status: 'ok' } });

export const live = /* @__PURE__ */ route({
  id: 'live', method: 'GET', path: '/live', domain: 'platform', access: 'public',
  summary: 'The process is up; checks nothing else', response: Health, status: 200, grants: { table: 'none' },
});
DOCS: document(live, { response: { status: 'ok' } });

export const ready = /* @__PURE__ */ route({
  id: 'ready', method: 'GET', path: '/ready', domain: 'platform', access: 'public',
  summary: 'Whether the table, the bucket and the mail service answer',
  description: 'Answers 200 when every dependency answered, 503 with the same body naming the failed ones otherwise.',
  response: Readiness, status: 200, errors: ['NOT_READY'], grants: { table: 'read', attachments: 'head', mailAccount: true },
});

export const openapi = /* @__PURE__ */ route({
  id: 'openapi', method: 'GET', path: '/openapi.json', domain: 'platform', access: 'public',
  summary: 'This API as an OpenAPI 3.1 document', response: z.record(z.string(), z.unknown()), status: 200, grants: { table: 'none' },
});
DOCS: document(openapi, { response: { openapi: '3.1.0', info: { title: 'Home Warehouse API', version: '1.0.0' }, paths: {} } });

export const docs = /* @__PURE__ */ route({
  id: 'docs', method: 'GET', path: '/docs', domain: 'platform', access: 'public',
  summary: 'A browsable reference of this API (works offline)', status: 200, produces: 'text/html', grants: { table: 'none' },
});

export const docsAsset = /* @__PURE__ */ route({
  id: 'docsAsset', method: 'GET', path: '/docs/assets/{file}', domain: 'platform', access: 'public',
  summary: 'Script and style sheets of the reference page, served by the API itself',
  params: z.object({ file: z.enum(['swagger-ui.css', 'swagger-ui-bundle.js', 'docs.js']) }),
  status: 200, produces: ['text/javascript', 'text/css'], errors: ['NOT_FOUND'], grants: { table: 'none' },
});
