// The local runtime itself, over real HTTP and real engines: the shared runtime of global-setup.ts,
// plus runtimes started here to exercise the data folder, readiness, stopping and crash recovery.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DeleteTableCommand, DynamoDBClient, PutItemCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBRecord } from 'aws-lambda';
import { scheduledJobs } from '../../infra/functions.js';
import { ensureTable } from '../../infra/local/dynamodb-local.js';
import { tableDefinition } from '../../shared/db/table-definition.js';
import { startStreamPoller } from '../../infra/local/stream-poller.js';
import { isAlive, runScript, runtimePorts, startRuntime, waitUntil, type RuntimeProcess } from './runtime-process.js';

const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const region = 'us-east-1';
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

const scratchFolders: string[] = [];
const started: RuntimeProcess[] = [];
function dataFolder() {
  const folder = mkdtempSync(join(tmpdir(), 'local-runtime-data-'));
  scratchFolders.push(folder);
  return folder;
}
async function start(env: Record<string, string>, args: string[] = []) {
  const runtime = await startRuntime({ env, args });
  started.push(runtime);
  return runtime;
}

afterAll(async () => {
  // Whatever a failed test left running.
  for (const runtime of started) {
    if (isAlive(runtime.state.pids.runtime)) await runtime.stop('SIGINT').catch(() => undefined);
    if (isAlive(runtime.state.pids.dynamodb)) process.kill(runtime.state.pids.dynamodb, 'SIGKILL');
  }
  for (const folder of scratchFolders) rmSync(folder, { recursive: true, force: true });
});

async function getJson(url: string) {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Lines of the shared runtime's output (it runs with --verbose). */
const sharedRuntimeOutput = () => readFileSync(inject('runtimeLog'), 'utf8');

describe('the shared runtime (global setup)', () => {
  it('answers GET /health over HTTP', async () => {
    expect(await getJson(`${inject('apiUrl')}/health`)).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('delivers table changes to the change-feed handler', async () => {
    const dynamodb = new DynamoDBClient({ endpoint: inject('dynamodbEndpoint'), region, credentials });
    const sk = `TEST#${unique()}`;
    await dynamodb.send(new PutItemCommand({ TableName: inject('tableName'), Item: { PK: { S: 'LOCAL#RUNTIME' }, SK: { S: sk } } }));
    dynamodb.destroy();
    // start.ts prints a line per batch the handler accepted: `[change-feed] … INSERT <PK> <SK> … → ok`
    const delivered = new RegExp(`\\[change-feed\\] [^\\n]*INSERT LOCAL#RUNTIME ${sk}[^\\n]*→ ok`);
    await waitUntil(() => delivered.test(sharedRuntimeOutput()), 10_000, 'the change-feed delivery line');
  });

  it('runs the upload verifier for an object put under the attachments prefix, and only there (as the EventBridge rule in AWS)', async () => {
    const s3 = new S3Client({ endpoint: inject('s3Endpoint'), region, credentials, forcePathStyle: true });
    const [key, jobFile] = [`workspaces/${unique()}/note.txt`, `jobs/${unique()}/labels.pdf`];
    await s3.send(new PutObjectCommand({ Bucket: inject('bucketName'), Key: jobFile, Body: 'hello' }));
    await s3.send(new PutObjectCommand({ Bucket: inject('bucketName'), Key: key, Body: 'hello' }));
    s3.destroy();
    const verified = new RegExp(`\\[verify-upload\\] Object Created ${inject('bucketName')}/${key} \\(5 bytes\\) → ok`);
    await waitUntil(() => verified.test(sharedRuntimeOutput()), 10_000, 'the upload-verifier line');
    // the job file was put first: had it been handed to the verifier, its line would be there by now
    expect(sharedRuntimeOutput()).not.toContain(jobFile);
  });
});

/**
 * A table of its own on the shared DynamoDB Local and the poller settings both poller tests use
 * (quick polls, two retries, a failure file); `dispose` deletes the table once the poller stopped.
 */
async function pollerTable(prefix: string) {
  const endpoint = inject('dynamodbEndpoint');
  const dynamodb = new DynamoDBClient({ endpoint, region, credentials });
  const streams = new DynamoDBStreamsClient({ endpoint, region, credentials });
  const tableName = `${prefix}-${unique()}`;
  await ensureTable(dynamodb, tableName);
  const failureFile = join(dataFolder(), 'failures.jsonl');
  return {
    dynamodb,
    failureFile,
    options: { dynamodb, streams, tableName, region, idleDelayMs: 50, maxRetries: 2, retryBaseDelayMs: 10, failureFile, log: () => undefined },
    async dispose() {
      await dynamodb.send(new DeleteTableCommand({ TableName: tableName }));
      dynamodb.destroy();
      streams.destroy();
    },
  };
}

describe('the stream poller against DynamoDB Local', () => {
  it('retries from the first failed record, isolates a record that keeps failing, and goes on', async () => {
    const { dynamodb, failureFile, options, dispose } = await pollerTable('poller');
    const { tableName } = options;

    const deliveries: string[][] = [];
    const batchesWith = (sk: string) => deliveries.filter((batch) => batch.includes(sk));
    const poller = startStreamPoller({
      ...options,
      deliver: async (event) => {
        const keys = event.Records.map((record) => record.dynamodb?.Keys?.SK?.S ?? '?');
        deliveries.push(keys);
        const sequence = (sk: string) => event.Records.find((record: DynamoDBRecord) => record.dynamodb?.Keys?.SK?.S === sk)!.dynamodb!.SequenceNumber!;
        // `b` is reported failed the first time; `poison` makes the handler throw, every time.
        if (keys.includes('b') && batchesWith('b').length === 1) return { batchItemFailures: [{ itemIdentifier: sequence('b') }] };
        if (keys.includes('poison')) throw new Error('cannot project poison');
        return { batchItemFailures: [] };
      },
    });
    try {
      const put = (sk: string) => dynamodb.send(new PutItemCommand({ TableName: tableName, Item: { PK: { S: 'P' }, SK: { S: sk } } }));
      for (const sk of ['a', 'b', 'c']) await put(sk);
      await waitUntil(() => batchesWith('b').length >= 2 && deliveries.findLastIndex((batch) => batch.includes('c')) >= deliveries.findLastIndex((batch) => batch.includes('b')), 10_000, 'b retried and c delivered');
      expect(batchesWith('a')).toHaveLength(1); // what came before the failed record is not delivered again
      expect(batchesWith('b')[1]![0]).toBe('b'); // the retry starts at the failed record

      await put('poison');
      await put('after');
      await waitUntil(() => deliveries.some((batch) => batch.includes('after') && !batch.includes('poison')), 10_000, 'the record after the poison one');
      await waitUntil(() => existsSync(failureFile), 10_000, 'the failure file');
      // alone, the poison record was tried 1 + maxRetries times, then set aside
      expect(deliveries.filter((batch) => batch.length === 1 && batch[0] === 'poison')).toHaveLength(3);
      const givenUp = readFileSync(failureFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { attempts: number; records: DynamoDBRecord[] });
      expect(givenUp).toHaveLength(1);
      expect(givenUp[0]!.attempts).toBe(3);
      expect(givenUp[0]!.records.map((record) => record.dynamodb?.Keys?.SK?.S)).toEqual(['poison']);
      expect(givenUp[0]!.records[0]).toMatchObject({ eventName: 'INSERT', eventSource: 'aws:dynamodb', awsRegion: region, eventVersion: '1.1' });
      expect(typeof givenUp[0]!.records[0]!.dynamodb!.ApproximateCreationDateTime).toBe('number');
    } finally {
      await poller.stop(); // resolves once its loops have ended (bounded by the test's timeout, not timed)
      await dispose();
    }
  });
});

describe('the stream poller finding its stream', () => {
  // DynamoDB Local answers DescribeTable with a pass over the whole table (it sums every item's size
  // per index), so the poller describes only its stream each round, and the table only when that
  // stream is unknown or no longer enabled.
  it('describes the table once while its stream stays enabled, and follows the stream to its successor when it is turned off and on', async () => {
    const { dynamodb, options, dispose } = await pollerTable('restream');
    const { tableName, streams } = options;
    const calls = { DescribeTableCommand: 0, DescribeStreamCommand: 0 };
    dynamodb.middlewareStack.add((next, context) => async (args) => {
      if (context.commandName === 'DescribeTableCommand') calls.DescribeTableCommand += 1;
      return next(args);
    }, { step: 'initialize' });
    streams.middlewareStack.add((next, context) => async (args) => {
      if (context.commandName === 'DescribeStreamCommand') calls.DescribeStreamCommand += 1;
      return next(args);
    }, { step: 'initialize' });
    const delivered: string[] = [];
    const poller = startStreamPoller({
      ...options,
      deliver: async (event) => {
        delivered.push(...event.Records.map((record) => record.dynamodb?.Keys?.SK?.S ?? '?'));
        return { batchItemFailures: [] };
      },
    });
    try {
      const put = (sk: string) => dynamodb.send(new PutItemCommand({ TableName: tableName, Item: { PK: { S: 'P' }, SK: { S: sk } } }));
      await put('before');
      await waitUntil(() => delivered.includes('before'), 10_000, 'the first record');
      const described = calls.DescribeStreamCommand;
      await waitUntil(() => calls.DescribeStreamCommand >= described + 3, 10_000, 'three more rounds of discovery');
      expect(calls.DescribeTableCommand).toBe(1);

      // A stream turned off and on again is a new stream (a new ARN): the poller finds it through the table.
      await dynamodb.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: false } }));
      await dynamodb.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: true, StreamViewType: tableDefinition.streamViewType } }));
      await put('after');
      await waitUntil(() => delivered.includes('after'), 10_000, 'a record of the new stream');
      expect(calls.DescribeTableCommand).toBeGreaterThan(1);
      expect(delivered.filter((sk) => sk === 'before')).toHaveLength(1);
    } finally {
      await poller.stop();
      await dispose();
    }
  });
});

describe('the stream poller fanning records out (the job runner)', () => {
  it('delivers the selected records one each: one key in order, other keys without waiting, a failing one retried then set aside', async () => {
    const { dynamodb, failureFile, options, dispose } = await pollerTable('fanout');
    const { tableName } = options;

    const started: string[] = [];
    const finished: string[] = [];
    let releaseSlow!: () => void;
    const slowHeld = new Promise<void>((resolve) => (releaseSlow = resolve));
    const poller = startStreamPoller({
      ...options,
      fanOut: { select: (record) => record.dynamodb?.NewImage?.kind?.S === 'job', key: (record) => record.dynamodb?.Keys?.PK?.S ?? '' },
      deliver: async (event) => {
        expect(event.Records).toHaveLength(1);
        const name = event.Records[0]!.dynamodb!.Keys!.SK!.S!;
        started.push(name);
        if (name === 'A1') await slowHeld; // A's first job runs until the test lets it go
        if (name === 'C1') throw new Error('cannot run C1');
        finished.push(name);
        return { batchItemFailures: [] };
      },
    });
    try {
      const put = (pk: string, sk: string, kind: string) => dynamodb.send(new PutItemCommand({ TableName: tableName, Item: { PK: { S: pk }, SK: { S: sk }, kind: { S: kind } } }));
      await put('A', 'A1', 'job');
      await put('A', 'A2', 'job');
      await put('B', 'B1', 'job');
      await put('B', 'note', 'other');
      await put('C', 'C1', 'job');
      // B's job runs while A's first one still runs; A's second waits for it
      await waitUntil(() => finished.includes('B1'), 10_000, "B's job to run beside A's");
      expect(started).toContain('A1');
      expect(started).not.toContain('A2');
      releaseSlow();
      await waitUntil(() => finished.includes('A2'), 10_000, "A's second job after its first");
      expect(finished.indexOf('A1')).toBeLessThan(finished.indexOf('A2'));
      // a record the filter does not select is never delivered
      expect(started).not.toContain('note');
      // C1 tried 1 + maxRetries times, then written to the failure file
      await waitUntil(() => existsSync(failureFile), 10_000, 'the failure file');
      expect(started.filter((name) => name === 'C1')).toHaveLength(3);
      const givenUp = readFileSync(failureFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { records: DynamoDBRecord[] });
      expect(givenUp.map((entry) => entry.records.map((record) => record.dynamodb?.Keys?.SK?.S))).toEqual([['C1']]);
    } finally {
      releaseSlow();
      await poller.stop();
      await dispose();
    }
  });
});

describe('a runtime on a data folder', () => {
  it('is ready with every dependency, answers 503 naming the table when DynamoDB Local dies, and stops with exit code 0', async () => {
    const data = dataFolder();
    const runtime = await start({ ...(await runtimePorts()), DATA_DIR: data });
    const { api, pids } = runtime.state;

    const ready = await getJson(`${api}/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      dependencies: { table: { status: 'ok' }, bucket: { status: 'ok' }, mail: { status: 'ok' } },
    });
    expect(existsSync(join(data, 'dynamodb', 'shared-local-instance.db'))).toBe(true);
    expect(existsSync(join(data, 's3', runtime.state.bucketName))).toBe(true);
    expect(JSON.parse(readFileSync(join(data, 'runtime.pid.json'), 'utf8'))).toEqual({ runtime: pids.runtime, dynamodb: pids.dynamodb });

    process.kill(pids.dynamodb, 'SIGKILL');
    await waitUntil(() => !isAlive(pids.dynamodb), 10_000, 'DynamoDB Local to die');
    await runtime.waitForOutput(/DynamoDB Local stopped unexpectedly/);
    const notReady = await getJson(`${api}/ready`);
    expect(notReady.status).toBe(503);
    expect(notReady.body).toMatchObject({
      dependencies: { table: { status: 'failed' }, bucket: { status: 'ok' }, mail: { status: 'ok' } },
    });
    expect(String(notReady.body.detail)).toContain('table');

    expect(await runtime.stop('SIGINT')).toEqual({ code: 0, signal: null });
    expect(isAlive(pids.runtime)).toBe(false);
    expect(isAlive(pids.dynamodb)).toBe(false);
    expect(existsSync(join(data, 'runtime.pid.json'))).toBe(false);
  }, 120_000);

  it('recovers from a killed runtime: the orphaned DynamoDB Local is stopped and the next start succeeds', async () => {
    const data = dataFolder();
    const ports = await runtimePorts();
    const first = await start({ ...ports, DATA_DIR: data });
    const orphan = first.state.pids.dynamodb;

    process.kill(first.state.pids.runtime, 'SIGKILL'); // no chance to clean up
    await first.exited;
    expect(isAlive(first.state.pids.runtime)).toBe(false);
    expect(isAlive(orphan)).toBe(true); // java survives its parent, still holding DYNAMODB_PORT

    const second = await start({ ...ports, DATA_DIR: data });
    expect(second.output()).toContain(`stopping DynamoDB Local left running by an earlier run that did not stop cleanly (pid ${orphan})`);
    expect(isAlive(orphan)).toBe(false);
    expect(second.state.pids.dynamodb).not.toBe(orphan);
    expect((await getJson(`${second.state.api}/health`)).status).toBe(200);

    expect(await second.stop('SIGINT')).toEqual({ code: 0, signal: null });
    expect(isAlive(second.state.pids.dynamodb)).toBe(false);
  }, 150_000);

  it('refuses to start when a port is taken by something else, naming the port and its variable', async () => {
    const ports = await runtimePorts();
    const squatter = createServer();
    await new Promise<void>((done) => squatter.listen(Number(ports.S3_PORT), '127.0.0.1', () => done()));
    try {
      const result = await runScript('infra/local/start.ts', ['--in-memory'], { ...ports }, 60_000);
      expect(result.code).toBe(1);
      expect(result.output).toContain(`port ${ports.S3_PORT} (s3rver) is already in use`);
      expect(result.output).toContain('S3_PORT=<port>');
    } finally {
      await new Promise((done) => squatter.close(done));
    }
  }, 60_000);
});

describe('npm run job', () => {
  const engines = () => ({
    DYNAMODB_PORT: new URL(inject('dynamodbEndpoint')).port,
    S3_PORT: new URL(inject('s3Endpoint')).port,
    SES_PORT: new URL(inject('sesEndpoint')).port,
    PORT: new URL(inject('apiUrl')).port,
    DATA_DIR: dataFolder(),
  });

  it('exits 1 for an unknown job and lists the known ones', async () => {
    const result = await runScript('infra/local/run-job.ts', ['no-such-job'], engines());
    expect(result.code).toBe(1);
    expect(result.output).toContain("unknown job 'no-such-job'");
    expect(result.output).toContain('known jobs:');
    for (const job of scheduledJobs) expect(result.output).toContain(job.name);
  });

  it.skipIf(scheduledJobs.length === 0)('runs a declared job now against the running engines', async () => {
    const job = scheduledJobs[0]!;
    const result = await runScript('infra/local/run-job.ts', [job.name], engines());
    expect(result.output).toContain(`job ${job.name} finished`);
    expect(result.code).toBe(0);
  });
});
