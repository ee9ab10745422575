// One route's requests (valid and near-valid, from its schemas) and one request's journey: resolve
// its `⟦ref⟧`s against the world, send it the way it can be sent, check the answer with every
// oracle, and let the world follow what it changed.
import fc from 'fast-check';
import type { RouteContract } from '../../../../shared/contract/index.js';
import { arbitraryOf, describeSchema, type OpenApiDocument, type RouteInputs } from './generate.js';
import { conformanceOf, encodeSegment, hasDotSegment, rawSend, sendThroughCall, type Answer, type Outgoing } from './http.js';
import { mutationsOf } from './mutate.js';
import { checkIsolation, checkSecrets, checkStatusAndProblem, checkUnchanged, snapshot, type Finding, type SecretSent } from './oracles.js';
import { describeRequest, jsonText, stringsIn, type FuzzRequest } from './request.js';
import { callersFor, correlate, dropParameter, worldHint, type ResolveContext, type World } from './world.js';

/** Valid requests of a route (about a third), and near-valid ones: the valid one with one mutation. */
export function requestArbitrary(inputs: RouteInputs, document: OpenApiDocument): fc.Arbitrary<FuzzRequest> {
  const { route } = inputs;
  const options = { document, hint: worldHint };
  const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
  const params = fc.record(Object.fromEntries(inputs.path.map((field) => [field.name,
    arbitraryOf(field.schema, { route, location: 'path', name: field.name, pointer: `path.${field.name}` }, options).map(text)])));
  const query = fc.record(Object.fromEntries(inputs.query.map((field) => [field.name,
    arbitraryOf(field.schema, { route, location: 'query', name: field.name, pointer: `query.${field.name}` }, options).map(text)])),
  { requiredKeys: inputs.query.filter((field) => field.required).map((field) => field.name) });
  // optional headers (If-Match, If-None-Match) on about a third of the requests
  const headers = fc.tuple(...inputs.headers.map((field) => {
    const value = arbitraryOf(field.schema, { route, location: 'header', name: field.name, pointer: `header.${field.name}` }, options).map(text);
    return (field.required ? value : fc.oneof({ arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: value, weight: 1 }))
      .map((one): [string, string | undefined] => [field.name.toLowerCase(), one]);
  })).map((entries) => Object.fromEntries(entries.filter((entry): entry is [string, string] => entry[1] !== undefined)));
  const body = inputs.body ? arbitraryOf(inputs.body.schema, { route, location: 'body', name: '', pointer: 'body' }, options) : fc.constant(undefined);
  return fc.record({
    caller: callersFor(route), params, query, headers, body, together: correlate(route),
    mutation: fc.option(mutationsOf(inputs, document), { freq: 3 }),
  }).map(({ caller, params: pathValues, query: queryValues, headers: headerValues, body: bodyValue, together, mutation }) => {
    const valid: FuzzRequest = {
      route: route.id, method: route.method, path: route.path, caller, params: pathValues as Record<string, string>,
      query: Object.entries(queryValues as Record<string, string>), headers: headerValues as Record<string, string>,
      ...(inputs.body ? { body: { json: together(bodyValue) } } : {}),
    };
    const request = mutation ? { ...mutation.apply(valid), mutation: mutation.label } : valid;
    // fast-check prints a counterexample with this: one line, long values clipped
    Object.defineProperty(request, fc.toStringMethod, { value: () => describeRequest(request), enumerable: false });
    return request;
  });
}

export interface Exchange {
  request: FuzzRequest;
  outgoing: Outgoing;
  transport: 'call' | 'raw';
  answer?: Answer;
  findings: Finding[];
  /** what the world did afterwards to stay usable */
  upkeep: string[];
  /** which oracles looked at this answer (beyond status, problem shape, conformance and secrets) */
  checked: { isolation: boolean; unchanged: boolean };
}

async function resolveDeep(world: World, value: unknown, context: ResolveContext): Promise<unknown> {
  if (typeof value === 'string') return world.resolve(value, context);
  if (Array.isArray(value)) return Promise.all(value.map((item) => resolveDeep(world, item, context)));
  if (value && typeof value === 'object' && !('$raw' in value && Object.keys(value).length === 1)) {
    const copy: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      Object.defineProperty(copy, await world.resolve(key, context), { value: await resolveDeep(world, inner, context), enumerable: true, writable: true, configurable: true });
    }
    return copy;
  }
  return value;
}

const formText = (value: unknown) => new URLSearchParams(Object.entries((value && typeof value === 'object' ? value : {}) as Record<string, unknown>)
  .map(([name, inner]): [string, string] => [name, typeof inner === 'string' ? inner : JSON.stringify(inner) ?? ''])).toString();

/** Secrets the request carries: values of `writeOnly` / `format: password` fields of its body and query. */
function secretsSent(inputs: RouteInputs, document: OpenApiDocument, body: unknown, query: [string, string][], world: World): SecretSent[] {
  const secrets: SecretSent[] = [];
  const real = new Set(world.resetTokens);
  if (inputs.body && body && typeof body === 'object' && !Array.isArray(body)) {
    const properties = (describeSchema(document, inputs.body.schema).flat.properties ?? {}) as Record<string, any>;
    for (const [name, schema] of Object.entries(properties)) {
      const value = (body as Record<string, unknown>)[name];
      if (typeof value === 'string' && describeSchema(document, schema).secret) secrets.push({ where: `body.${name}`, value, real: real.has(value) });
    }
  }
  for (const field of inputs.query) {
    if (!describeSchema(document, field.schema).secret) continue;
    for (const [name, value] of query) if (name === field.name) secrets.push({ where: `query.${name}`, value, real: real.has(value) });
  }
  return secrets;
}

export async function execute(world: World, inputs: RouteInputs, document: OpenApiDocument, request: FuzzRequest): Promise<Exchange> {
  const route: RouteContract = inputs.route;
  const context: ResolveContext = { route, caller: request.caller, used: new Set() };
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.params)) params[name] = await world.resolve(value, context);
  context.params = params;
  const rawParams: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.rawParams ?? {})) rawParams[name] = await world.resolve(value, context);
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => (name in rawParams ? rawParams[name]! : encodeSegment(params[name] ?? '')));
  const pairs: [string, string][] = [];
  for (const [name, value] of request.query) {
    const resolved = await world.resolve(value, context);
    if (resolved !== dropParameter) pairs.push([name, resolved]);
  }
  let queryText = new URLSearchParams(pairs).toString();
  if (request.rawQuery) queryText = queryText ? `${queryText}&${request.rawQuery}` : request.rawQuery;
  const target = queryText ? `${path}?${queryText}` : path;

  const headers: Record<string, string> = { accept: 'application/json' };
  const authorization = world.authorizationOf(request.caller);
  if (authorization) headers.authorization = authorization;
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = await world.resolve(value, context);

  let bodyValue: unknown;
  let bodyText: string | undefined;
  if (request.body) {
    if ('json' in request.body) {
      bodyValue = await resolveDeep(world, request.body.json, context);
      bodyText = inputs.body?.media === 'application/x-www-form-urlencoded' ? formText(bodyValue) : jsonText(bodyValue);
    } else {
      bodyText = await world.resolve(request.body.text, context);
    }
  }
  if (bodyText !== undefined && request.contentType !== null) headers['content-type'] = request.contentType ?? inputs.body?.media ?? 'application/json';

  const outgoing: Outgoing = { method: request.method, target, headers, ...(bodyText !== undefined ? { body: bodyText } : {}) };
  const raw = Object.keys(rawParams).length > 0 || request.rawQuery !== undefined || hasDotSegment(target)
    || (bodyText !== undefined && (request.contentType === null || request.method === 'GET'))
    || Object.values(headers).some((value) => /[^\x20-\x7e\t]/.test(value));
  const exchange: Exchange = { request, outgoing, transport: raw ? 'raw' : 'call', findings: [], upkeep: [], checked: { isolation: false, unchanged: false } };

  // nothing half-written: every tenant's partitions before a write, compared if it was refused
  const writes = request.method !== 'GET';
  const extra: string[] = [];
  if (bodyValue && typeof bodyValue === 'object') {
    const object = bodyValue as Record<string, unknown>;
    if (typeof object.slug === 'string') extra.push(`UNIQUE#SLUG#${object.slug}`);
    if (typeof object.email === 'string') extra.push(`UNIQUE#EMAIL#${object.email.trim().toLowerCase()}`);
  }
  for (const [name, value] of Object.entries(params)) {
    if (name === 'workspace_id') extra.push(`WS#${value}`);
    if (name === 'user_id' || (name === 'id' && route.path.startsWith('/users/'))) extra.push(`USER#${value}`);
  }
  const partitions = [...new Set([...world.partitions(), ...extra.filter((pk) => pk.length < 1000)])];
  const before = writes ? await snapshot(partitions, world.indexPartitions()) : undefined;
  const secretsOfWorld = world.secrets();

  try {
    if (raw) {
      exchange.answer = await rawSend(outgoing);
      const problems = await conformanceOf(outgoing, exchange.answer);
      exchange.findings.push(...problems.map((detail) => ({ oracle: 'undocumented answer' as const, detail })));
    } else {
      const sent = await sendThroughCall(outgoing);
      exchange.answer = sent.answer;
      exchange.findings.push(...sent.problems.map((detail) => ({ oracle: 'undocumented answer' as const, detail })));
    }
  } catch (error) {
    exchange.findings.push({ oracle: 'transport', detail: `the request failed: ${(error as Error).message}` });
    return exchange;
  }
  const answer = exchange.answer;
  if (!answer) return exchange;

  exchange.findings.push(...checkStatusAndProblem(route, answer));
  exchange.findings.push(...checkSecrets(route, answer, secretsSent(inputs, document, bodyValue, pairs, world), secretsOfWorld, `${target}\n${bodyText ?? ''}`));
  world.learn({ caller: request.caller, status: answer.status, method: request.method, bodyStrings: stringsIn(bodyValue), text: answer.text });
  const disclosed = new Set(world.disclosed);
  const actingAsSuperuser = request.caller === 'S' || world.actingPerson(headers.authorization)?.key === 'S';
  if (!actingAsSuperuser) {
    const sentByA = [...Object.values(params), ...Object.values(rawParams), ...pairs.flat(), ...Object.values(headers), bodyText ?? '', ...stringsIn(bodyValue)];
    exchange.findings.push(...checkIsolation(answer, world.marker, world.bStrings, world.bIds, sentByA, disclosed));
    exchange.checked.isolation = true;
  }
  if (before && answer.status >= 400 && answer.status < 500) {
    exchange.findings.push(...checkUnchanged(route, before, await snapshot(partitions, world.indexPartitions())));
    exchange.checked.unchanged = true;
  }

  await world.observe({ context, status: answer.status, json: answer.json, method: request.method, body: bodyValue, authorization: headers.authorization, location: answer.headers.get('location') });
  exchange.upkeep = await world.heal();
  return exchange;
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);

/** The request as sent and its answer, readable, with tokens named instead of shown. */
export function describeExchange(exchange: Exchange, world: World): string {
  const { outgoing, answer, request } = exchange;
  const names = new Map<string, string>();
  for (const [value, what] of world.secrets()) if (value.length >= 12) names.set(value, `<${what}>`);
  const redact = (text: string) => {
    let result = text;
    for (const [value, name] of names) if (result.includes(value)) result = result.split(value).join(name);
    return result;
  };
  return [
    `  request: ${outgoing.method} ${clip(redact(outgoing.target), 400)}  (as ${request.caller}, via ${exchange.transport})`,
    `  headers: ${clip(redact(JSON.stringify(outgoing.headers)), 600)}`,
    ...(outgoing.body !== undefined ? [`  body: ${clip(redact(JSON.stringify(outgoing.body)), 600)}`] : []),
    `  mutation: ${request.mutation ?? 'none (a valid request)'}`,
    answer
      ? `  answer: ${answer.status} ${answer.headers.get('content-type') ?? ''} ${clip(redact(answer.text), 800)}`
      : '  answer: none',
  ].join('\n');
}
