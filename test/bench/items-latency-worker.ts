// Run by sections/items.ts in a fresh process (its own module graph, so the product's
// configuration is read from this process's environment): where the time of GET /items/{id}
// goes. Against a DynamoDB Local the section started, it times, interleaved request by request:
// - raw: a BatchGetItem of the four keys the route reads, with a plain document client;
// - handler: the route's Lambda handler called directly (no HTTP): JWT check, the one BatchGetItem
//   through the product's client, validation, the answer with its ETag, logs and metrics;
// - local API: the same through infra/local/api-server.ts in this process over keep-alive HTTP;
// - bare HTTP: the same handler behind a bare Node HTTP server (no gateway rules, no routing): the
//   floor of any local server on Node's HTTP stack, so what the local API adds beyond it is its own;
// - Node client: the local API again, asked through node:http's keep-alive client instead of the
//   bench's load-generator client (loop.ts), to show what that client alone would add.
// Prints one JSON line with the median percentiles of each; signs in with the given user through
// its own server (its own JWT secret). With BENCH_PROFILE=FILE it writes a CPU profile of the loops.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { randomBytes } from 'node:crypto';
import { Agent, createServer, request } from 'node:http';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { keepAliveGetter, timeInterleaved } from './loop.js';
import { medianOfRuns, summarize, type LatencySummary } from './stats.js';

const input = JSON.parse(process.env.BENCH_INPUT ?? '{}') as {
  dynamodb: string; tableName: string; email: string; password: string; userId: string; workspaceId: string; itemId: string;
};

const { applyEnvironment, handlerEnvironment, runtimeOptions } = await import('../../infra/local/environment.js');
applyEnvironment({
  ...handlerEnvironment(runtimeOptions(['--in-memory'], {}), randomBytes(48).toString('base64url'), process.env),
  DYNAMODB_ENDPOINT: input.dynamodb, TABLE_NAME: input.tableName, POWERTOOLS_LOG_LEVEL: 'ERROR',
});
const { startApiServer } = await import('../../infra/local/api-server.js');
const { getItem } = await import('../../functions/http/items.js');
const server = await startApiServer({ port: 0, host: '127.0.0.1' });
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: input.dynamodb, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } }));
try {
  const login = await fetch(`${server.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: input.email, password: input.password }) });
  const { token } = (await login.json()) as { token: string };
  const path = `/workspaces/${input.workspaceId}/items/${input.itemId}`;
  const keys = [
    { PK: `USER#${input.userId}`, SK: 'USER' }, { PK: `WS#${input.workspaceId}`, SK: 'WS' },
    { PK: `WS#${input.workspaceId}`, SK: `MEMBER#${input.userId}` }, { PK: `WS#${input.workspaceId}`, SK: `ITEM#${input.itemId}` },
  ];
  const raw = async () => {
    const result = await documents.send(new BatchGetCommand({ RequestItems: { [input.tableName]: { Keys: keys } } }));
    if ((result.Responses?.[input.tableName]?.length ?? 0) !== 4) throw new Error('raw BatchGetItem found fewer than 4 items');
  };
  // the same read through the product's document client (its timeouts, retries and capacity accounting)
  const { documents: productDocuments } = await import('../../shared/aws/dynamodb.js');
  const rawCounted = async () => {
    await productDocuments.send(new BatchGetCommand({ RequestItems: { [input.tableName]: { Keys: keys } } }));
  };
  const context = { functionName: 'bench-get-item', awsRequestId: 'bench', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;
  // request ids as API Gateway's are, unique per request (a counter: randomBytes would time the entropy pool, not the route)
  let requests = 0;
  const event = (): APIGatewayProxyEventV2 => ({
    version: '2.0', routeKey: 'GET /workspaces/{workspace_id}/items/{id}', rawPath: path, rawQueryString: '',
    headers: { authorization: `Bearer ${token}`, accept: 'application/json', host: '127.0.0.1' },
    requestContext: { requestId: `bench-${(requests += 1)}`, http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' } },
    pathParameters: { workspace_id: input.workspaceId, id: input.itemId }, isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;
  const handler = async () => {
    const answer = await getItem(event(), context);
    if (answer.statusCode !== 200) throw new Error(`getItem answered ${answer.statusCode}: ${answer.body}`);
  };
  const http = keepAliveGetter(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
  const bareServer = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      void getItem(event(), context).then((answer) => {
        response.writeHead(answer.statusCode, { ...(answer.headers as Record<string, string>), 'content-length': String(Buffer.byteLength(answer.body ?? '')) });
        response.end(answer.body ?? '');
      });
    });
  });
  await new Promise<void>((listening) => bareServer.listen(0, '127.0.0.1', () => listening()));
  const bareAddress = bareServer.address() as { port: number };
  const bare = keepAliveGetter(`http://127.0.0.1:${bareAddress.port}${path}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const nodeClient = () => new Promise<void>((done, fail) => {
    const outgoing = request(`${server.url}${path}`, { agent, headers: { authorization: `Bearer ${token}`, accept: 'application/json' } }, (response) => {
      response.resume();
      response.on('end', () => (response.statusCode === 200 ? done() : fail(new Error(`node:http client: ${response.statusCode}`))));
    });
    outgoing.setTimeout(10_000, () => outgoing.destroy(new Error('node:http client: no answer in 10 s')));
    outgoing.on('error', fail);
    outgoing.end();
  });
  const runs: LatencySummary[][] = [[], [], [], [], [], []];
  // BENCH_PROFILE=FILE: a V8 CPU profile of the timed loops (open it in Chrome's DevTools), to see where the time goes
  const profiler = process.env.BENCH_PROFILE ? new Session() : undefined;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  try {
    for (let repetition = 0; repetition < 3; repetition += 1) {
      const latencies = await timeInterleaved([raw, handler, http.get, rawCounted, bare.get, nodeClient], { warmup: 50, count: 300 });
      latencies.forEach((list, index) => runs[index]!.push(summarize(list)));
    }
  } finally {
    http.close();
    bare.close();
    agent.destroy();
    bareServer.close();
    if (profiler) writeFileSync(process.env.BENCH_PROFILE!, JSON.stringify((await profiler.post('Profiler.stop')).profile));
  }
  const [rawP, handlerP, httpP, countedP, bareP, nodeClientP] = runs.map(medianOfRuns);
  // CPU this process spends per call of each (user + system, µs), 200 sequential calls: what of the
  // added time is work here, and what is waiting
  const cpuPerCall = async (call: () => Promise<void>) => {
    const before = process.cpuUsage();
    for (let index = 0; index < 200; index += 1) await call();
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 200;
  };
  const http2 = keepAliveGetter(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
  const cpu = { raw: await cpuPerCall(raw), handler: await cpuPerCall(handler), http: await cpuPerCall(http2.get), rawCounted: await cpuPerCall(rawCounted) };
  http2.close();
  process.stdout.write(`${JSON.stringify({ raw: rawP, handler: handlerP, http: httpP, rawCounted: countedP, bare: bareP, nodeClient: nodeClientP, cpu })}\n`);
} finally {
  await server.close();
  documents.destroy();
}
process.exit(0);
