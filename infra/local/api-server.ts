// The local stand-in for API Gateway (HTTP API, payload 2.0): one Node HTTP server that mounts
// every route of the route table on the same handler a Lambda would run, with the same event
// and a Lambda-like context. Product code cannot tell the difference.
//
// What API Gateway decides before any Lambda runs (header quota, methods, how a path is decoded
// and which paths it refuses) is in gateway-rules.ts, with its sources. Every answer this server
// makes itself, including those to requests Node's parser cannot read, is problem+json with a
// `code` and the security headers of gatewaySecurityHeaders().
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { routeTable, type RouteContract } from '../../shared/contract/index.js';
import { config } from '../../shared/config.js';
import type { HttpResponse } from '../../shared/http/problem.js';
import { routeEntry } from '../functions.js';
import {
  gatewayHeaderQuota,
  gatewayMethods,
  gatewayProblem,
  gatewaySecurityHeaders,
  parseRequestTarget,
  rawHttpAnswer,
  requestLineAndHeaderValueBytes,
  type ParsedTarget,
} from './gateway-rules.js';

const repositoryRoot = resolve(import.meta.dirname, '../..');
/** API Gateway refuses larger payloads before any Lambda runs. */
const gatewayPayloadLimit = 10 * 1024 * 1024;
/**
 * How much of a request line and headers Node itself reads (its default is 16 KiB). Well above
 * API Gateway's quota, which counts header values only, so that every request the quota admits gets
 * through Node and every one it refuses is measured and answered here; beyond this, Node's parser
 * gives up and the `clientError` listener answers the same 431.
 */
const nodeHeaderLimit = 64 * 1024;

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResponse>;

interface MountedRoute {
  contract: RouteContract;
  /** per segment of the path template: the parameter's name, or undefined for a literal segment */
  parameters: (string | undefined)[];
  segments: string[];
  /** how many segments are literal (the most literal match wins) */
  literals: number;
  handler: Handler;
}

export interface ApiServer {
  url: string;
  close(): Promise<void>;
}

/** The routes, grouped by their number of segments: a request is only compared with routes of its own length. */
type Routes = Map<number, MountedRoute[]>;

async function mountRoutes(): Promise<Routes> {
  const modules = new Map<string, Record<string, unknown>>();
  const mounted = await Promise.all(
    routeTable.map(async (contract): Promise<MountedRoute> => {
      const entry = routeEntry(contract);
      let module = modules.get(entry.module);
      if (!module) {
        module = (await import(pathToFileURL(resolve(repositoryRoot, entry.module)).href)) as Record<string, unknown>;
        modules.set(entry.module, module);
      }
      const handler = module[entry.export];
      if (typeof handler !== 'function') throw new Error(`${entry.module} does not export ${entry.export} for ${contract.method} ${contract.path}`);
      const segments = contract.path.split('/').filter(Boolean);
      const parameters = segments.map((template) => (template.startsWith('{') && template.endsWith('}') ? template.slice(1, -1) : undefined));
      return { contract, segments, parameters, literals: parameters.filter((name) => name === undefined).length, handler: handler as Handler };
    }),
  );
  const routes: Routes = new Map();
  for (const route of mounted) {
    const sameLength = routes.get(route.segments.length) ?? [];
    sameLength.push(route);
    routes.set(route.segments.length, sameLength);
  }
  return routes;
}

/**
 * Like API Gateway: a literal segment beats a parameter; the most literal match wins. `segments`
 * are the decoded segments of parseRequestTarget (API Gateway matches the decoded path [R]), which
 * has refused every path that decoding would make ambiguous. Runs on every request, so it
 * allocates nothing but the winner's parameters.
 */
function match(routes: Routes, method: string, segments: string[]) {
  let best: MountedRoute | undefined;
  let pathKnown = false;
  for (const route of routes.get(segments.length) ?? []) {
    let fits = true;
    for (let index = 0; fits && index < segments.length; index += 1) {
      fits = route.parameters[index] !== undefined || route.segments[index] === segments[index];
    }
    if (!fits) continue;
    pathKnown = true;
    if (route.contract.method === method && (!best || route.literals > best.literals)) best = route;
  }
  if (!best) return { found: undefined, pathKnown };
  const params: Record<string, string> = {};
  best.parameters.forEach((name, index) => {
    if (name !== undefined) params[name] = segments[index]!;
  });
  return { found: { route: best, params }, pathKnown };
}

const noBody = Buffer.alloc(0);

function readBody(request: IncomingMessage): Buffer | Promise<Buffer | 'too-large'> {
  // HTTP/1.1: a request without Content-Length or Transfer-Encoding has no body (most GETs); Node
  // discards what nobody reads once the answer is sent
  if (request.headers['content-length'] === undefined && request.headers['transfer-encoding'] === undefined) return noBody;
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= gatewayPayloadLimit) chunks.push(chunk);
    });
    request.on('end', () => resolveBody(size > gatewayPayloadLimit ? 'too-large' : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

const isText = (contentType: string | undefined) =>
  !contentType || /^(text\/|application\/([\w.+-]+\+)?(json|xml|x-www-form-urlencoded))/i.test(contentType);

function toEvent(request: IncomingMessage, target: ParsedTarget, route: MountedRoute, params: Record<string, string>, body: Buffer): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined && name !== 'cookie') headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  if (target.rawQuery) for (const [name, value] of new URLSearchParams(target.rawQuery)) query[name] = name in query ? `${query[name]},${value}` : value;
  const now = new Date();
  const routeKey = `${route.contract.method} ${route.contract.path}`;
  const text = isText(headers['content-type']);
  return {
    version: '2.0',
    routeKey,
    // An HTTP API hands over the decoded path [C]; the query string as received.
    rawPath: target.decodedPath,
    rawQueryString: target.rawQuery,
    ...(request.headers.cookie ? { cookies: request.headers.cookie.split(';').map((cookie) => cookie.trim()) } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(Object.keys(params).length ? { pathParameters: params } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: 'local',
      http: {
        method: request.method ?? 'GET',
        path: target.decodedPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length ? { body: text ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !text,
  };
}

function lambdaContext(contract: RouteContract, requestId: string): Context {
  // the route's own Lambda timeout, as the API stack gives it (10 s unless the contract says more)
  const deadline = Date.now() + (contract.timeout ?? 10) * 1000;
  const functionName = `local-${contract.domain}-${contract.id}`;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${config.region}:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** What API Gateway answers for CORS preflights when the HTTP API has a CORS configuration. */
function preflightHeaders(request: IncomingMessage): Record<string, string> {
  const origin = request.headers.origin ?? '*';
  const allowed = config.corsOrigins.includes('*') || config.corsOrigins.includes(origin);
  if (!allowed) return {};
  return {
    'access-control-allow-origin': config.corsOrigins.includes('*') ? '*' : origin,
    'access-control-allow-methods': 'GET,POST,PUT,PATCH,DELETE,OPTIONS',
    'access-control-allow-headers': 'authorization,content-type,if-match,if-none-match,idempotency-key',
    'access-control-max-age': '300',
  };
}

/** Answers a socket Node's HTTP parser gave up on (or a CONNECT) itself, then closes it. */
function answerSocket(socket: Duplex, result: HttpResponse) {
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(rawHttpAnswer(result));
  // Read what the client still sends, so the close is a FIN after our answer rather than a reset
  // that could discard it; a client that does not stop is cut off.
  socket.resume();
  setTimeout(() => socket.destroy(), 2_000).unref();
}

/** The answer to a request Node's parser refused (`clientError`), in the gateway's terms. */
function clientErrorAnswer(error: Error & { code?: string }): HttpResponse {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return gatewayProblem(431, 'HEADERS_TOO_LARGE', `The request line and headers are larger than API Gateway accepts (${gatewayHeaderQuota} bytes of request line and header values).`);
    case 'HPE_INVALID_METHOD':
      return gatewayProblem(405, 'METHOD_NOT_ALLOWED', `The method is not one an API Gateway HTTP API routes (${[...gatewayMethods].join(', ')}).`);
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'ERR_HTTP_HEADERS_TIMEOUT':
      return gatewayProblem(408, 'REQUEST_TIMEOUT', 'The request was not received in time.');
    default:
      return gatewayProblem(400, 'MALFORMED_REQUEST', `The request is not valid HTTP/1.1 (${error.code ?? error.message}).`);
  }
}

/** What API Gateway decides before routing: its refusal, or the parsed target to route. */
function gatewayRefusal(request: IncomingMessage, method: string): HttpResponse | ParsedTarget {
  const size = requestLineAndHeaderValueBytes(request);
  if (size > gatewayHeaderQuota) {
    return gatewayProblem(431, 'HEADERS_TOO_LARGE', `The request line and header values are ${size} bytes; API Gateway HTTP APIs accept at most ${gatewayHeaderQuota}.`);
  }
  if (request.httpVersionMajor === 1 && request.httpVersionMinor >= 1 && request.headers.host === undefined) {
    return gatewayProblem(400, 'MALFORMED_REQUEST', 'An HTTP/1.1 request needs a Host header.');
  }
  if (!gatewayMethods.has(method)) {
    return gatewayProblem(405, 'METHOD_NOT_ALLOWED', `${method} is not a method an API Gateway HTTP API routes (${[...gatewayMethods].join(', ')}).`);
  }
  const target = parseRequestTarget(request.url ?? '/', method);
  return 'refused' in target ? target.refused : target;
}

function send(response: ServerResponse, result: HttpResponse) {
  // Lambda's runtime drops headers whose value is undefined (middy clears `Server` that way).
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) if (value !== undefined && value !== null) headers[name] = value;
  // Text goes as a string: Node then writes the head and the body in one piece, not two.
  const body = result.isBase64Encoded && result.body !== undefined ? Buffer.from(result.body, 'base64') : result.body ?? '';
  // API Gateway answers with the body's Content-Length (0 when there is none); without it Node,
  // whose headers are written before the body, would fall back to chunked encoding.
  if (result.statusCode !== 204 && result.statusCode !== 304) headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.length);
  response.writeHead(result.statusCode, headers);
  response.end(body);
}

export async function startApiServer(options: { port: number; host?: string; logRequests?: boolean }): Promise<ApiServer> {
  const routes = await mountRoutes();
  // Host is checked (and answered) in gatewayRefusal rather than with Node's bare 400.
  const server = createServer({ maxHeaderSize: nodeHeaderLimit, requireHostHeader: false }, async (request, response) => {
    const started = performance.now();
    const method = request.method ?? 'GET';
    const target = request.url ?? '/';
    let result: HttpResponse;
    try {
      const parsed = gatewayRefusal(request, method);
      if ('statusCode' in parsed) {
        result = parsed;
      } else if (method === 'OPTIONS') {
        result = { statusCode: 204, headers: { ...gatewaySecurityHeaders(), ...preflightHeaders(request) } };
      } else {
        const { found, pathKnown } = match(routes, method, parsed.segments);
        const body = await readBody(request);
        if (!found) {
          result = pathKnown
            ? gatewayProblem(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${parsed.rawPath}.`)
            : gatewayProblem(404, 'ROUTE_NOT_FOUND', `No route matches ${method} ${parsed.rawPath}.`);
        } else if (body === 'too-large') {
          result = gatewayProblem(413, 'PAYLOAD_TOO_LARGE', 'The request body is larger than API Gateway accepts.');
        } else {
          const event = toEvent(request, parsed, found.route, found.params, body);
          result = await found.route.handler(event, lambdaContext(found.route.contract, event.requestContext.requestId));
        }
      }
    } catch (error) {
      process.stderr.write(`local API: handler crashed on ${method} ${target}: ${(error as Error).stack}\n`);
      result = gatewayProblem(500, 'INTERNAL_ERROR', 'The handler crashed.');
    }
    send(response, result);
    if (options.logRequests) {
      process.stdout.write(`${method} ${target.length > 200 ? `${target.slice(0, 200)}…` : target} ${result.statusCode} ${(performance.now() - started).toFixed(1)} ms\n`);
    }
  });
  // Requests Node's parser cannot read (oversized headers, unknown methods, broken request lines,
  // smuggling attempts, timeouts) would otherwise get Node's bare answer, or none.
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || error.code === 'EPIPE') {
      socket.destroy();
      return;
    }
    answerSocket(socket, clientErrorAnswer(error));
  });
  // CONNECT (a proxy tunnel) is nothing an HTTP API routes; without a listener Node drops the connection.
  server.on('connect', (request: IncomingMessage, socket: Duplex) => {
    answerSocket(socket, gatewayProblem(405, 'METHOD_NOT_ALLOWED', `CONNECT is not a method an API Gateway HTTP API routes (${[...gatewayMethods].join(', ')}).`));
    request.resume();
  });
  // Idle keep-alive connections are left for the client to close (undici's default: 4 s idle): a
  // server that closes first races a client reusing the socket at that moment, and the request is
  // lost as "other side closed" (seen under load in the print tests). API Gateway keeps idle
  // connections far longer than any client here does.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolveListen());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}
