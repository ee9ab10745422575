// Issue 3: what authentication adds to a request. Starts the real local runtime (a child process,
// DynamoDB Local in memory, free loopback ports), registers and signs in a user over HTTP, then
// times an authenticated GET /users/me (JWT check + one GetItem of the user + the wrapper + the
// local API) against a raw eventually consistent GetItem of the same user item, made directly with
// the document client against the same DynamoDB Local. Also: an authenticated workspace route
// (GET /workspaces/{id}: one BatchGetItem of user, workspace and membership, then the answer)
// against a raw BatchGetItem of those three keys, and the capacity that read path consumes.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import { runtimePorts, startRuntime, type RuntimeProcess } from '../../integration/runtime-process.js';
import { keepAliveGetter, timeInterleaved } from '../loop.js';
import { record, table } from '../report.js';
import { medianOfRuns, summarize, type LatencySummary } from '../stats.js';
import type { BenchContext } from './types.js';

const repetitions = 3;
const warmup = 50;
const meCount = 500;
const workspaceCount = 300;

async function callJson(method: string, url: string, body?: unknown, token?: string): Promise<{ status: number; json: any; text: string }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(15_000) });
  const text = await response.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}

function expectStatus(what: string, response: { status: number; text: string }, status: number) {
  if (response.status !== status) throw new Error(`${what} answered ${response.status} (expected ${status}): ${response.text.slice(0, 500)}`);
}

/** `repetitions` runs of the same loop, route and raw read interleaved request by request; median of each percentile. */
async function pair(route: () => Promise<void>, raw: () => Promise<void>, count: number) {
  const routeRuns: LatencySummary[] = [];
  const rawRuns: LatencySummary[] = [];
  for (let repetition = 0; repetition < repetitions; repetition += 1) {
    const [routeLatencies, rawLatencies] = await timeInterleaved([route, raw], { warmup, count });
    routeRuns.push(summarize(routeLatencies!));
    rawRuns.push(summarize(rawLatencies!));
  }
  return { route: medianOfRuns(routeRuns), raw: medianOfRuns(rawRuns) };
}

function report(prefix: string, routeLabel: string, rawLabel: string, result: { route: LatencySummary; raw: LatencySummary }, log: BenchContext['log']) {
  const rows = (['p50', 'p90', 'p99'] as const).map((p) => {
    const figure = record(`${prefix}.${p}`, result.route[p], 'ms', result.raw[p]);
    return [p, result.route[p].toFixed(3), result.raw[p].toFixed(3), `${figure.ratio!.toFixed(2)}×`];
  });
  record(`${prefix}.p50-added`, result.route.p50 - result.raw.p50, 'ms');
  log(table(['percentile', `>${routeLabel} ms`, `>${rawLabel} ms`, '>ratio'], rows));
}

export async function run({ log }: BenchContext) {
  const started = performance.now();
  const runtime: RuntimeProcess = await startRuntime({ env: { ...(await runtimePorts()) }, args: ['--in-memory'], timeoutMs: 120_000 });
  const { state } = runtime;
  // If the bench itself is interrupted or terminated, the runtime (and its java) stops with it.
  const interrupted = (signal: NodeJS.Signals) => {
    process.stderr.write(`\nbench: ${signal}, stopping the local runtime…\n`);
    void runtime.stop('SIGINT', 20_000).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  log(`local runtime up in ${((performance.now() - started) / 1000).toFixed(1)} s: API ${state.api}, DynamoDB Local ${state.dynamodb}, table ${state.tableName}`);
  const client = new DynamoDBClient({
    endpoint: state.dynamodb,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 2_000, requestTimeout: 10_000 },
  });
  const documents = DynamoDBDocumentClient.from(client);
  const api = state.api.replace(/\/+$/, '');
  let failure: unknown;
  try {
    // A user, signed in.
    const email = `bench-${randomBytes(6).toString('hex')}@example.com`;
    const password = `bench ${randomBytes(12).toString('base64url')}`;
    const registered = await callJson('POST', `${api}/auth/register`, { email, full_name: 'Bench User', password });
    expectStatus('POST /auth/register', registered, 201);
    const userId = registered.json?.id as string;
    const login = await callJson('POST', `${api}/auth/login`, { email, password });
    expectStatus('POST /auth/login', login, 200);
    const token = login.json?.token as string;
    const workspaces = await callJson('GET', `${api}/workspaces`, undefined, token);
    expectStatus('GET /workspaces', workspaces, 200);
    const workspaceId = workspaces.json?.items?.[0]?.id as string | undefined;
    if (!userId || !token || !workspaceId) throw new Error(`could not read user id, token or personal workspace: ${registered.text} ${workspaces.text}`);

    const userKey = { PK: `USER#${userId}`, SK: 'USER' };
    const accessKeys = [userKey, { PK: `WS#${workspaceId}`, SK: 'WS' }, { PK: `WS#${workspaceId}`, SK: `MEMBER#${userId}` }];
    const getUser = async () => {
      const result = await documents.send(new GetCommand({ TableName: state.tableName, Key: userKey }));
      if (!result.Item) throw new Error(`GetItem found no item for ${JSON.stringify(userKey)}`);
    };
    const batchGetAccess = async () => {
      const result = await documents.send(new BatchGetCommand({ RequestItems: { [state.tableName]: { Keys: accessKeys } } }));
      if (result.Responses?.[state.tableName]?.length !== 3) throw new Error(`BatchGetItem of user, workspace and membership found ${result.Responses?.[state.tableName]?.length ?? 0} items`);
    };
    const me = keepAliveGetter(`${api}/users/me`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
    const workspace = keepAliveGetter(`${api}/workspaces/${workspaceId}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
    try {
      const body = JSON.parse(await me.getBody()) as { id?: string };
      if (body.id !== userId) throw new Error(`GET /users/me answered another user: ${JSON.stringify(body)}`);
      await workspace.getBody();

      log(`GET /users/me vs raw GetItem of USER#<id>/USER: ${repetitions} runs of ${meCount} sequential requests each (after ${warmup} warm-up), the two interleaved request by request`);
      report('auth.users-me', 'GET /users/me', 'raw GetItem', await pair(me.get, getUser, meCount), log);
      log();
      log(`GET /workspaces/{id} vs raw BatchGetItem of user, workspace, membership: ${repetitions} runs of ${workspaceCount}, interleaved the same way`);
      report('auth.workspace-route', 'GET /workspaces/{id}', 'raw BatchGetItem', await pair(workspace.get, batchGetAccess, workspaceCount), log);
    } finally {
      me.close();
      workspace.close();
    }

    // Capacity of the authorizer's reads (eventually consistent, as shared/http/caller.ts reads).
    const single = await documents.send(new GetCommand({ TableName: state.tableName, Key: userKey, ReturnConsumedCapacity: 'TOTAL' }));
    const batch = await documents.send(new BatchGetCommand({ RequestItems: { [state.tableName]: { Keys: accessKeys } }, ReturnConsumedCapacity: 'TOTAL' }));
    const userRcu = single.ConsumedCapacity?.CapacityUnits;
    const batchRcu = batch.ConsumedCapacity?.reduce((total, entry) => total + (entry.CapacityUnits ?? 0), 0);
    log();
    if (userRcu === undefined || batchRcu === undefined || batch.ConsumedCapacity?.length === 0) {
      log('consumed capacity: DynamoDB Local did not report ConsumedCapacity; skipped');
    } else {
      record('capacity.user-route.authorize', userRcu, 'RCU');
      record('capacity.workspace-route.authorize', batchRcu, 'RCU', userRcu);
      log(`consumed capacity (DynamoDB Local): user route authorization GetItem ${userRcu} RCU; workspace route BatchGetItem of 3 keys ${batchRcu} RCU`);
    }
  } catch (error) {
    failure = error;
  } finally {
    client.destroy();
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    try {
      const exit = await runtime.stop('SIGINT', 30_000);
      if (exit.code !== 0 && !failure) failure = new Error(`the local runtime exited with ${JSON.stringify(exit)}:\n${runtime.output().slice(-2_000)}`);
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure) throw failure;
}

