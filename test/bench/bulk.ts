// What the sections that seed big workspaces share (search, analytics): copies written straight to
// the table with BatchWriteItem, several calls in flight (while the stream is off: seeded-runtime.ts
// withStreamOff); waits for the change feed; the counts and sizes of what is stored; and product code
// run in a fresh process configured for the runtime (a section file run again as its own worker).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BatchWriteCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { runScript } from '../integration/runtime-process.js';

export const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
export const thousands = (value: number) => Math.round(value).toLocaleString('en-US');

/** A small seeded generator (mulberry32): the same data on every run. */
export function randomness(seed: number) {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  /** the first of the list most often (P(index < k) = √(k/n)), as a house holds more drills than kayak paddles */
  const common = <T>(list: readonly T[]) => list[Math.floor(next() ** 2 * list.length)]!;
  return { next, pick, common };
}

/** One BatchWriteItem of up to 25 puts, retried (with backoff) until nothing is left unprocessed. */
export async function writeBatch(documents: DynamoDBDocumentClient, tableName: string, items: Record<string, unknown>[]) {
  let requests: Record<string, any[]> | undefined = { [tableName]: items.map((Item) => ({ PutRequest: { Item } })) };
  for (let attempt = 0; requests && Object.keys(requests).length; attempt += 1) {
    if (attempt > 20) throw new Error('BatchWriteItem left items unprocessed 20 times');
    if (attempt > 0) await sleep(Math.min(1000, 20 * 2 ** attempt));
    requests = (await documents.send(new BatchWriteCommand({ RequestItems: requests }))).UnprocessedItems as typeof requests;
  }
}

/**
 * Puts every item of `items` (a lazy stream: nothing is held beyond the batches in flight), 25 per
 * BatchWriteItem, `inFlight` calls at a time; `progress` hears the running count after each batch.
 * Answers how many items it wrote.
 */
export async function writeAll(
  documents: DynamoDBDocumentClient, tableName: string, items: Iterator<Record<string, unknown>>,
  { inFlight, progress }: { inFlight: number; progress?: (written: number, before: number) => void },
): Promise<number> {
  let done = false;
  let written = 0;
  const writer = async () => {
    while (!done) {
      const batch: Record<string, unknown>[] = [];
      while (batch.length < 25) {
        const next = items.next();
        if (next.done) {
          done = true;
          break;
        }
        batch.push(next.value);
      }
      if (batch.length === 0) return;
      await writeBatch(documents, tableName, batch);
      const before = written;
      written += batch.length;
      progress?.(written, before);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, writer));
  return written;
}

/** Polls `check` every 250 ms until it holds; bounded: 60 s. */
export async function waitFor(check: () => Promise<boolean>, what: string | (() => string)) {
  const deadline = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`waited 60 s for ${typeof what === 'string' ? what : what()}`);
    await sleep(250);
  }
}

/** The value of `read` once it has not changed for 2 s (polled every 250 ms; bounded: 60 s). */
export async function settled<T extends number | string>(read: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 60_000;
  let last = await read();
  let since = Date.now();
  while (Date.now() - since < 2_000) {
    if (Date.now() > deadline) throw new Error(`a figure still changing after 60 s (${last})`);
    await sleep(250);
    const now = await read();
    if (now !== last) {
      last = now;
      since = Date.now();
    }
  }
  return last;
}

/** Every item of a Query (every page). */
export async function queryAll(documents: DynamoDBDocumentClient, input: ConstructorParameters<typeof QueryCommand>[0]) {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** How many items a partition holds (those whose sort key begins `prefix`, when given); every page counted. */
export async function countPartition(documents: DynamoDBDocumentClient, tableName: string, partition: string, prefix?: string) {
  let total = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new QueryCommand({
      TableName: tableName, Select: 'COUNT', KeyConditionExpression: prefix ? 'PK = :pk AND begins_with(SK, :prefix)' : 'PK = :pk',
      ExpressionAttributeValues: { ':pk': partition, ...(prefix ? { ':prefix': prefix } : {}) }, ...(start ? { ExclusiveStartKey: start } : {}),
    }));
    total += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return total;
}

/** DynamoDB's item size: each attribute's name and value (strings in UTF-8; numbers ~1 byte per 2 digits + 1; booleans 1). */
export function itemBytes(item: Record<string, unknown>): number {
  const valueBytes = (value: unknown): number => {
    if (typeof value === 'string') return Buffer.byteLength(value);
    if (typeof value === 'number') return Math.ceil(String(Math.abs(value)).replace(/[.-]/g, '').replace(/^0+/, '').length / 2) + 1;
    if (typeof value === 'boolean' || value === null) return 1;
    if (value instanceof Set) return [...value].reduce((sum: number, one) => sum + valueBytes(one), 0);
    if (Array.isArray(value)) return 3 + value.reduce((sum: number, one) => sum + 1 + valueBytes(one), 0);
    if (typeof value === 'object') return 3 + Object.entries(value as Record<string, unknown>).reduce((sum, [name, one]) => sum + 1 + Buffer.byteLength(name) + valueBytes(one), 0);
    return 0;
  };
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueBytes(value), 0);
}

// ---- a section file run again as its own worker, in a fresh process

const inputVariable = 'BENCH_WORKER_INPUT';

/**
 * Runs the section file `script` (repository-relative) as a worker with `input` (passed in a file:
 * it may not fit the environment); answers the line of its output that starts with `marker`.
 */
export async function runWorker(script: string, input: unknown, marker: string, timeoutMs = 900_000): Promise<string> {
  const scratch = mkdtempSync(join(tmpdir(), 'bench-worker-'));
  try {
    const file = join(scratch, 'input.json');
    writeFileSync(file, JSON.stringify(input));
    const answer = await runScript(script, [], { [inputVariable]: file }, timeoutMs);
    const line = answer.output.split('\n').find((text) => text.startsWith(marker));
    if (answer.code !== 0 || !line) throw new Error(`the worker ${script} failed (${answer.code}):\n${answer.output.slice(-3000)}`);
    return line;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * In a section file, at its top level: when this process was started by runWorker for that file
 * (`moduleUrl`: its import.meta.url), runs `work` with the input and exits (1, with the stack, if it
 * threw); otherwise does nothing.
 */
export async function serveAsWorker<T>(moduleUrl: string, work: (input: T) => Promise<void>): Promise<void> {
  const file = process.env[inputVariable];
  if (file === undefined || !process.argv[1] || resolve(process.argv[1]) !== fileURLToPath(moduleUrl)) return;
  try {
    await work(JSON.parse(readFileSync(file, 'utf8')) as T);
  } catch (error) {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  }
  process.exit(0);
}

/**
 * In a worker, before any product module is imported (shared/config.ts reads the environment at
 * import): the environment the local runtime gives its handlers, on its DynamoDB Local and table.
 */
export async function configureForRuntime(dynamodb: string, tableName: string): Promise<void> {
  const { applyEnvironment, handlerEnvironment, runtimeOptions } = await import('../../infra/local/environment.js');
  applyEnvironment({
    ...handlerEnvironment(runtimeOptions(['--in-memory'], {}), randomBytes(48).toString('base64url'), process.env),
    DYNAMODB_ENDPOINT: dynamodb, TABLE_NAME: tableName, POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
}
