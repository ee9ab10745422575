// The local stand-in for API Gateway (HTTP API, payload 2.0): one Node HTTP server that mounts
// every route of the route table on the same handler a Lambda would run, with the same event
// and a Lambda-like context. Product code cannot tell the difference.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { routeTable, type RouteContract } from '../../shared/contract/index.js';
import { config } from '../../shared/config.js';
import { problemResponse, type HttpResponse } from '../../shared/http/problem.js';
import { routeEntry } from '../functions.js';

const repositoryRoot = resolve(import.meta.dirname, '../..');
/** API Gateway refuses larger payloads before any Lambda runs. */
const gatewayPayloadLimit = 10 * 1024 * 1024;

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResponse>;

interface MountedRoute {
  contract: RouteContract;
  segments: string[];
  handler: Handler;
}

export interface ApiServer {
  url: string;
  close(): Promise<void>;
}

async function mountRoutes(): Promise<MountedRoute[]> {
  const modules = new Map<string, Record<string, unknown>>();
  return Promise.all(
    routeTable.map(async (contract) => {
      const entry = routeEntry(contract);
      let module = modules.get(entry.module);
      if (!module) {
        module = (await import(pathToFileURL(resolve(repositoryRoot, entry.module)).href)) as Record<string, unknown>;
        modules.set(entry.module, module);
      }
      const handler = module[entry.export];
      if (typeof handler !== 'function') throw new Error(`${entry.module} does not export ${entry.export} for ${contract.method} ${contract.path}`);
      return { contract, segments: contract.path.split('/').filter(Boolean), handler: handler as Handler };
    }),
  );
}

/** Like API Gateway: a literal segment beats a parameter; the most literal match wins. */
function match(routes: MountedRoute[], method: string, path: string) {
  const segments = path.split('/').filter(Boolean);
  let best: { route: MountedRoute; params: Record<string, string>; literals: number } | undefined;
  let pathKnown = false;
  for (const route of routes) {
    if (route.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let literals = 0;
    const fits = route.segments.every((template, index) => {
      const actual = segments[index]!;
      if (template.startsWith('{') && template.endsWith('}')) {
        params[template.slice(1, -1)] = decodeURIComponent(actual);
        return true;
      }
      literals += 1;
      return template === actual;
    });
    if (!fits) continue;
    pathKnown = true;
    if (route.contract.method === method && (!best || literals > best.literals)) best = { route, params, literals };
  }
  return { found: best, pathKnown };
}

function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
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

function toEvent(request: IncomingMessage, url: URL, route: MountedRoute, params: Record<string, string>, body: Buffer): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined && name !== 'cookie') headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const now = new Date();
  const routeKey = `${route.contract.method} ${route.contract.path}`;
  const text = isText(headers['content-type']);
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
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
        path: url.pathname,
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
  const deadline = Date.now() + 10_000;
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

function send(response: ServerResponse, result: HttpResponse) {
  // Lambda's runtime drops headers whose value is undefined (middy clears `Server` that way).
  const headers = Object.fromEntries(Object.entries(result.headers ?? {}).filter(([, value]) => value !== undefined && value !== null));
  response.writeHead(result.statusCode, headers);
  response.end(result.body === undefined ? undefined : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8'));
}

export async function startApiServer(options: { port: number; host?: string; logRequests?: boolean }): Promise<ApiServer> {
  const routes = await mountRoutes();
  const server = createServer(async (request, response) => {
    const started = performance.now();
    const url = new URL(request.url ?? '/', 'http://local');
    const method = (request.method ?? 'GET').toUpperCase();
    let result: HttpResponse;
    try {
      if (method === 'OPTIONS') {
        result = { statusCode: 204, headers: preflightHeaders(request) };
      } else {
        const { found, pathKnown } = match(routes, method, url.pathname);
        const body = await readBody(request);
        if (!found) {
          result = pathKnown
            ? problemResponse(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${url.pathname}.`)
            : problemResponse(404, 'ROUTE_NOT_FOUND', `No route matches ${method} ${url.pathname}.`);
        } else if (body === 'too-large') {
          result = problemResponse(413, 'PAYLOAD_TOO_LARGE', 'The request body is larger than API Gateway accepts.');
        } else {
          const event = toEvent(request, url, found.route, found.params, body);
          result = await found.route.handler(event, lambdaContext(found.route.contract, event.requestContext.requestId));
        }
      }
    } catch (error) {
      process.stderr.write(`local API: handler crashed on ${method} ${url.pathname}: ${(error as Error).stack}\n`);
      result = problemResponse(500, 'INTERNAL_ERROR', 'The handler crashed.');
    }
    send(response, result);
    if (options.logRequests) {
      process.stdout.write(`${method} ${url.pathname} ${result.statusCode} ${(performance.now() - started).toFixed(1)} ms\n`);
    }
  });
  server.keepAliveTimeout = 5_000;
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
