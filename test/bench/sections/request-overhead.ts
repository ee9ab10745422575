// What the local API server adds to a request: GET /health through infra/local/api-server.ts
// (route matching, API Gateway v2 event, the middy wrapper of the handler) against a bare node:http
// server answering the same JSON. Both servers run in this process on loopback and are driven by
// the same client loop, one keep-alive connection each, requests alternating between the two; the
// pair is repeated and the median of each percentile over the repetitions is reported.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiServer } from '../../../infra/local/api-server.js';
import { keepAliveGetter, timeInterleaved, type HttpGetter } from '../loop.js';
import { record, table } from '../report.js';
import { medianOfRuns, summarize, type LatencySummary } from '../stats.js';
import type { BenchContext } from './types.js';

const repetitions = 5;
const warmup = 200;
const count = 2_000;
const healthBody = JSON.stringify({ status: 'ok' });

async function startBareServer(): Promise<ApiServer> {
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(healthBody) });
    response.end(healthBody);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}

async function checkedGetter(url: string): Promise<HttpGetter> {
  const client = keepAliveGetter(`${url}/health`);
  const body = JSON.parse(await client.getBody()) as { status?: string };
  if (body.status !== 'ok') throw new Error(`${url}/health answered ${JSON.stringify(body)}`);
  return client;
}

export async function run({ log }: BenchContext) {
  // The handlers read their configuration when first imported: give them the environment the
  // local runtime gives them (infra/local/start.ts does the same), then put ours back.
  const saved = { ...process.env };
  const { applyEnvironment, handlerEnvironment, runtimeOptions } = await import('../../../infra/local/environment.js');
  applyEnvironment(handlerEnvironment(runtimeOptions(['--in-memory'], {}), randomBytes(48).toString('base64url'), process.env));
  let local: ApiServer | undefined;
  let bare: ApiServer | undefined;
  try {
    const { startApiServer } = await import('../../../infra/local/api-server.js');
    local = await startApiServer({ port: 0, host: '127.0.0.1' });
    bare = await startBareServer();
    log(`local API server ${local.url}, bare node:http server ${bare.url}; ${repetitions} runs of ${count} sequential keep-alive GET /health per server (after ${warmup} warm-up), the two servers interleaved request by request`);
    const localRuns: LatencySummary[] = [];
    const bareRuns: LatencySummary[] = [];
    for (let repetition = 0; repetition < repetitions; repetition += 1) {
      // A fresh keep-alive connection per server and repetition; requests alternate between them.
      const localClient = await checkedGetter(local.url);
      const bareClient = await checkedGetter(bare.url);
      try {
        const [localLatencies, bareLatencies] = await timeInterleaved([localClient.get, bareClient.get], { warmup, count });
        localRuns.push(summarize(localLatencies!));
        bareRuns.push(summarize(bareLatencies!));
      } finally {
        localClient.close();
        bareClient.close();
      }
    }
    const localMedian = medianOfRuns(localRuns);
    const bareMedian = medianOfRuns(bareRuns);
    const rows = (['p50', 'p90', 'p99'] as const).map((p) => {
      const figure = record(`overhead.health.${p}`, localMedian[p], 'ms', bareMedian[p]);
      return [p, localMedian[p].toFixed(3), bareMedian[p].toFixed(3), `${figure.ratio!.toFixed(2)}×`];
    });
    record('overhead.health.p50-added', localMedian.p50 - bareMedian.p50, 'ms');
    log(table(['percentile', '>local API ms', '>bare node:http ms', '>ratio'], rows));
    log(`p50 per repetition, local: ${localRuns.map((r) => r.p50.toFixed(3)).join(', ')}; bare: ${bareRuns.map((r) => r.p50.toFixed(3)).join(', ')}`);
  } finally {
    await local?.close();
    await bare?.close();
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}

