// What the catalog and items sections share: the real local runtime (in memory) with a signed-in
// user and a workspace made over HTTP, a document client on its DynamoDB Local, and a JSON call
// that reads the local-only `x-consumed-capacity` header of each answer.
import { DescribeTableCommand, DynamoDBClient, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { runtimePorts, startRuntime, type RuntimeProcess } from '../integration/runtime-process.js';
import { keepAliveGetter, timeInterleaved } from './loop.js';
import { medianOfRuns, summarize, type LatencySummary } from './stats.js';

/** One JSON request; throws on a status ≥ 300; answers the body and the capacity it consumed. */
export async function callJson(method: string, url: string, token: string | undefined, body?: unknown) {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(15_000) });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${url} answered ${response.status}: ${text.slice(0, 300)}`);
  const capacity = /read=([\d.]+), write=([\d.]+)/.exec(response.headers.get('x-consumed-capacity') ?? '');
  return { json: text ? JSON.parse(text) : undefined, read: Number(capacity?.[1] ?? NaN), write: Number(capacity?.[2] ?? NaN) };
}

/** The capacity units of a ConsumedCapacity (one or a list). */
export const capacityUnits = (consumed: { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined) =>
  (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);

export interface SeededRuntime {
  runtime: RuntimeProcess;
  documents: DynamoDBDocumentClient;
  api: string;
  email: string;
  password: string;
  user: { id: string };
  token: string;
  workspaceId: string;
  /** `${api}/workspaces/${workspaceId}` */
  base: string;
  /** the keys the authorisation of a workspace route reads */
  accessKeys: { PK: string; SK: string }[];
}

/**
 * Runs `work` against a fresh runtime (with `env` added to its environment) with a user and a
 * workspace, then stops everything; the runtime must exit cleanly too.
 */
export async function withSeededRuntime(work: (seeded: SeededRuntime) => Promise<void>, env: Record<string, string> = {}): Promise<void> {
  const runtime = await startRuntime({ env: { ...(await runtimePorts()), ...env }, args: ['--in-memory'], timeoutMs: 120_000 });
  const { state } = runtime;
  const client = new DynamoDBClient({ endpoint: state.dynamodb, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  let failure: unknown;
  try {
    const api = state.api.replace(/\/+$/, '');
    const email = `bench-${randomBytes(6).toString('hex')}@example.com`;
    const password = `bench ${randomBytes(12).toString('base64url')}`;
    const user = (await callJson('POST', `${api}/auth/register`, undefined, { email, full_name: 'Bench', password })).json;
    const token = (await callJson('POST', `${api}/auth/login`, undefined, { email, password })).json.token as string;
    const workspaceId = (await callJson('POST', `${api}/workspaces`, token, { name: 'Bench', slug: `bench-${randomBytes(4).toString('hex')}` })).json.id as string;
    const accessKeys = [{ PK: `USER#${user.id}`, SK: 'USER' }, { PK: `WS#${workspaceId}`, SK: 'WS' }, { PK: `WS#${workspaceId}`, SK: `MEMBER#${user.id}` }];
    await work({
      runtime, documents: DynamoDBDocumentClient.from(client), api, email, password, user, token, workspaceId, base: `${api}/workspaces/${workspaceId}`, accessKeys,
    });
  } catch (error) {
    failure = error;
  } finally {
    client.destroy();
    const exit = await runtime.stop('SIGINT', 30_000).catch((error: unknown) => ({ code: -1, error }));
    if (exit.code !== 0) failure ??= new Error(`the local runtime exited with ${JSON.stringify(exit)}`);
  }
  if (failure) throw failure;
}

/** CPU seconds (user + system) `pid` has used so far (Linux, like the runtime's tests). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

/**
 * Waits until the runtime and its DynamoDB Local are at rest: together under `share` of one core
 * over a whole second (bounded: 60 s, then it measures anyway and says so). Seeding leaves the
 * change feed busy for a while (projectors, the search index, aggregates); a latency measured
 * then measures that contention on a 2-core machine, not the route.
 */
export async function untilQuiet({ runtime }: SeededRuntime, log: (line: string) => void, share = 0.1): Promise<void> {
  const { pids } = runtime.state;
  const used = () => cpuSeconds(pids.runtime) + cpuSeconds(pids.dynamodb);
  const started = Date.now();
  let last = used();
  for (;;) {
    await new Promise((done) => setTimeout(done, 1_000));
    const now = used();
    if (now - last < share) return;
    if (Date.now() - started > 60_000) {
      log(`the runtime was still busy after 60 s (${((now - last) * 100).toFixed(0)}% of a core): latencies below are measured under that load`);
      return;
    }
    last = now;
  }
}

/** `repetitions` runs of the operations interleaved request by request (loop.ts); the median of each percentile, per operation. */
export async function interleavedMedians(operations: readonly (() => Promise<void>)[], { repetitions = 3, warmup = 50, count = 300 } = {}): Promise<LatencySummary[]> {
  const runs: LatencySummary[][] = operations.map(() => []);
  for (let repetition = 0; repetition < repetitions; repetition += 1) {
    const latencies = await timeInterleaved(operations, { warmup, count });
    latencies.forEach((list, index) => runs[index]!.push(summarize(list)));
  }
  return runs.map(medianOfRuns);
}

/**
 * GET `path` of the workspace (signed in) against a raw BatchGetItem of the authorisation's keys
 * plus `entityKey`, interleaved request by request, three repetitions; the median percentiles of each.
 */
export async function getAgainstRawBatchGet(seeded: SeededRuntime, path: string, entityKey: { PK: string; SK: string }) {
  const { documents, runtime, accessKeys, base, token } = seeded;
  const tableName = runtime.state.tableName;
  const rawGet = async () => {
    const result = await documents.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: [...accessKeys, entityKey] } } }));
    if ((result.Responses?.[tableName]?.length ?? 0) !== accessKeys.length + 1) throw new Error('raw BatchGetItem found fewer items than it asked for');
  };
  const getter = keepAliveGetter(`${base}${path}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
  try {
    const [route, raw] = await interleavedMedians([getter.get, rawGet]);
    return { route: route!, raw: raw! };
  } finally {
    getter.close();
  }
}

/**
 * Runs `work` with the table's stream off, then turns it on again (same view type) whatever
 * happened: the runtime's stream poller finds the new stream by itself (it handles a re-created
 * table the same way) and reads it from its start. For seeding a big workspace directly (the
 * sync and search sections), faster than the change feed would take it.
 */
export async function withStreamOff({ runtime, documents }: SeededRuntime, work: () => Promise<void>) {
  const { tableName } = runtime.state;
  const viewType = (await documents.send(new DescribeTableCommand({ TableName: tableName }))).Table?.StreamSpecification?.StreamViewType;
  if (!viewType) throw new Error(`table ${tableName} has no stream to turn off`);
  await documents.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: false } }));
  try {
    await work();
  } finally {
    await documents.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: true, StreamViewType: viewType } }));
  }
}
