// `npm start`: the whole backend on one machine, no AWS account.
//
//   DynamoDB Local (+ the table)  →  s3rver (+ the bucket)  →  aws-ses-v2-local  →  the HTTP API
//   →  the stream pollers (change feed; job runner, new jobs only)  →  the scheduler (jobs)
//
// (s3rver and SES start while DynamoDB Local's JVM boots; the API opens once the table exists.)
//
// Ctrl-C or SIGTERM stops everything, DynamoDB Local's java process included, and exits 0. A pid
// file remembers that java process, so a runtime that was killed outright (kill -9, a crashed
// terminal) leaves nothing in the way of the next start. See `npm start -- --help`.
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  applyEnvironment,
  handlerEnvironment,
  jwtSecret,
  region,
  runtimeOptions,
  usage,
  UsageError,
  type RuntimeOptions,
} from './environment.js';
import { displayPath, inMemoryRunDir } from './paths.js';
import { assertPortFree, commandLine, isRunning, StartupError, terminate } from './processes.js';
import type { BatchReport } from './stream-poller.js';

const started = Date.now();
const say = (line: string) => process.stdout.write(`${line}\n`);
const warn = (line: string) => process.stderr.write(`${line}\n`);

function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

// ---- options and environment, before any product module is imported (config is read at import)

let options: RuntimeOptions;
try {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    say(usage);
    process.exit(0);
  }
  options = runtimeOptions(process.argv.slice(2), process.env);
} catch (error) {
  warn(error instanceof UsageError ? `${error.message}\n\n${usage}` : describeError(error));
  process.exit(1);
}

/** Holds the java pid; the runtime pid guards the data folder against a second copy. */
interface PidFile {
  runtime: number;
  dynamodb?: number;
  /** the temporary folder of an --in-memory run, removed by the next run if this one was killed */
  scratchDir?: string;
}

const scratchDir = options.inMemory ? mkdtempSync(join(tmpdir(), 'home-warehouse-local-')) : undefined;
const workDir = scratchDir ?? options.dataDir;
mkdirSync(workDir, { recursive: true });
const pidFile = options.inMemory ? join(inMemoryRunDir, `dynamodb-${options.dynamodbPort}.json`) : join(options.dataDir, 'runtime.pid.json');
applyEnvironment(handlerEnvironment(options, jwtSecret(options, process.env), process.env));

function writeJson(file: string, value: unknown) {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(temporary, file); // readers never see half a file
}

/** Stops what a killed earlier run left behind; refuses when that run is still alive. */
async function recoverFromEarlierRun() {
  let saved: Partial<PidFile>;
  try {
    saved = JSON.parse(readFileSync(pidFile, 'utf8')) as Partial<PidFile>;
  } catch {
    return;
  }
  if (saved.runtime && saved.runtime !== process.pid && /infra\/local\/start\.ts/.test(commandLine(saved.runtime) ?? '')) {
    throw new StartupError(
      options.inMemory
        ? `another local runtime (pid ${saved.runtime}) uses DYNAMODB_PORT ${options.dynamodbPort}; stop it or choose other ports`
        : `another local runtime (pid ${saved.runtime}) uses the data folder ${displayPath(options.dataDir)}; stop it (Ctrl-C in its terminal) or set another DATA_DIR`,
    );
  }
  if (saved.dynamodb && /DynamoDBLocal\.jar/.test(commandLine(saved.dynamodb) ?? '')) {
    say(`stopping DynamoDB Local left running by an earlier run that did not stop cleanly (pid ${saved.dynamodb})`);
    await terminate(saved.dynamodb);
    // The kernel may take a moment to release its port.
    for (let wait = 0; wait < 5_000; wait += 100) {
      if (await assertPortFree(options.dynamodbPort, 'DYNAMODB_PORT', 'DynamoDB Local').then(() => true, () => false)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  if (saved.scratchDir?.startsWith(join(tmpdir(), 'home-warehouse-local-'))) rmSync(saved.scratchDir, { recursive: true, force: true });
  rmSync(pidFile, { force: true });
}

// ---- start

interface Stop {
  name: string;
  stop: () => Promise<void>;
}
const running: Stop[] = [];
let javaPid: number | undefined;
let stopping = false;

async function stopAll() {
  for (const { name, stop } of running.reverse()) {
    try {
      await stop();
    } catch (error) {
      warn(`could not stop ${name} cleanly: ${describeError(error)}`);
    }
  }
  running.length = 0;
  rmSync(pidFile, { force: true });
  if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
}

async function main() {
  await recoverFromEarlierRun();
  await assertPortFree(options.dynamodbPort, 'DYNAMODB_PORT', 'DynamoDB Local');
  await assertPortFree(options.s3Port, 'S3_PORT', 's3rver');
  await assertPortFree(options.sesPort, 'SES_PORT', 'aws-ses-v2-local');
  await assertPortFree(options.port, 'PORT', 'the API');

  // Product modules (and everything that may import shared/config.ts) only from here on.
  const { dynamoDbClient, ensureTable, startDynamoDbLocal } = await import('./dynamodb-local.js');

  // DynamoDB Local first: java takes a few seconds to answer, the rest starts meanwhile.
  const dynamodbDir = options.inMemory ? undefined : join(options.dataDir, 'dynamodb');
  const dynamodbStarting = startDynamoDbLocal({
    port: options.dynamodbPort,
    dbPath: dynamodbDir,
    logFile: join(workDir, 'dynamodb-local.log'),
    onSpawn: (pid) => {
      javaPid = pid;
      writeJson(pidFile, { runtime: process.pid, dynamodb: pid, scratchDir } satisfies PidFile);
    },
    onUnexpectedExit: (how) => {
      if (!stopping) warn(`DynamoDB Local stopped unexpectedly (${how}); the table is unavailable until the runtime is restarted`);
    },
  });
  dynamodbStarting.catch(() => undefined); // awaited below; a failure is reported there
  running.push({ name: 'DynamoDB Local', stop: () => dynamodbStarting.then((engine) => engine.stop(), () => undefined) });

  const { startS3 } = await import('./s3.js');
  const { verifiedPrefixes } = await import('../bucket-prefixes.js');
  const { startSes } = await import('./ses.js');
  const { startStreamPoller } = await import('./stream-poller.js');
  const { startScheduler } = await import('./scheduler.js');
  const { functionName, invoke } = await import('./lambda.js');
  const { changeFeed, jobRunner, mailFeedback, uploadVerifier, scheduledJobs } = await import('../functions.js');
  const { DynamoDBStreamsClient } = await import('@aws-sdk/client-dynamodb-streams');

  // S3, with object-created events going to the upload verifier
  const verifier = functionName(uploadVerifier);
  const s3Dir = join(workDir, 's3');
  const s3 = await startS3({
    port: options.s3Port,
    directory: s3Dir,
    bucket: options.bucketName,
    region,
    onObjectCreated: (event) => {
      // as the EventBridge rule in AWS: attachments and files for jobs (not a job's own file)
      if (!verifiedPrefixes.some((prefix) => event.detail.object.key.startsWith(prefix))) return;
      const what = `${event.detail.bucket.name}/${event.detail.object.key} (${event.detail.object.size} bytes)`;
      const begun = Date.now();
      invoke(uploadVerifier, event).then(
        () => options.verbose && say(`[${verifier}] Object Created ${what} → ok (${Date.now() - begun} ms)`),
        (error: unknown) => warn(`[${verifier}] Object Created ${what} → failed: ${describeError(error)}`),
      );
    },
  });
  running.push({ name: 's3rver', stop: s3.stop });

  // SES, with the mailbox simulator's bounces and complaints going to the mail-feedback handler
  // (as the configuration set's SNS topic does in AWS)
  const feedback = functionName(mailFeedback);
  const ses = await startSes({
    port: options.sesPort,
    onFeedback: (event) => {
      const begun = Date.now();
      invoke(mailFeedback, event).then(
        () => options.verbose && say(`[${feedback}] SES feedback → ok (${Date.now() - begun} ms)`),
        (error: unknown) => warn(`[${feedback}] SES feedback → failed: ${describeError(error)}`),
      );
    },
  });
  running.push({ name: 'aws-ses-v2-local', stop: ses.stop });

  // The HTTP API (infra/local/api-server.ts maps every route of the route table to its handler),
  // once the table is there.
  const { startApiServer } = await import('./api-server.js');
  const dynamodb = await dynamodbStarting;
  const client = dynamoDbClient(dynamodb.endpoint, { region, maxAttempts: 1, timeoutMs: 5_000 });
  running.push({ name: 'DynamoDB client', stop: async () => client.destroy() });
  for (const line of await ensureTable(client, options.tableName)) say(line);
  const api = await startApiServer({ port: options.port, host: '127.0.0.1', logRequests: options.verbose });
  running.push({ name: 'API server', stop: () => api.close() });

  // The change feed: the table's stream → the change-feed handler
  const feed = functionName(changeFeed);
  // The local on-failure queue: records the change feed gave up on after its retries.
  const streamFailures = join(workDir, 'stream-failures.jsonl');
  const streams = new DynamoDBStreamsClient({
    endpoint: dynamodb.endpoint,
    region,
    credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID!, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY! },
    maxAttempts: 1,
    requestHandler: { requestTimeout: 5_000, connectionTimeout: 2_000, throwOnRequestTimeout: true },
  });
  running.push({ name: 'DynamoDB Streams client', stop: async () => streams.destroy() });
  // what each delivery of a stream poller did: failures always, successes with --verbose
  const reportBatch = (name: string) => (report: BatchReport) => {
    const records = report.records
      .map((record) => `${record.eventName} ${record.dynamodb?.Keys?.PK?.S ?? '?'} ${record.dynamodb?.Keys?.SK?.S ?? '?'}`)
      .join(', ');
    const summary = `${report.records.length} record(s): ${records}`;
    if (report.outcome === 'ok') {
      if (options.verbose) say(`[${name}] ${summary} → ok (${report.durationMs} ms)`);
    } else {
      const cause = report.error ? describeError(report.error) : `the handler reported ${report.failed} failed record(s)`;
      const next = { retry: ', retrying', split: ', retrying each half', 'gave-up': ', giving up the first' }[report.outcome];
      warn(`[${name}] attempt ${report.attempt} for ${summary} → ${report.failed} failed${next}: ${cause}`);
    }
  };
  const poller = startStreamPoller({
    dynamodb: client,
    streams,
    tableName: options.tableName,
    region,
    deliver: (event) => invoke(changeFeed, event),
    checkpointFile: options.inMemory ? undefined : join(options.dataDir, 'stream-checkpoint.json'),
    failureFile: streamFailures,
    log: (line) => warn(`[${feed}] ${line}`),
    onBatch: reportBatch(feed),
  });
  running.push({ name: 'stream poller', stop: () => poller.stop() });

  // The job runner: the same stream, filtered to queued jobs as the event source mapping in AWS
  // filters them (infra/stacks/jobs-stack.ts), one record per invocation. In AWS the mapping's
  // parallelization factor runs jobs of different workspaces side by side (records with the same
  // key, one workspace's jobs, in order): here the poller fans them out the same way, one chain of
  // runs per job partition, so a long import of one workspace does not hold up another's label
  // sheet. A run that fails is run again (twice, as the mapping's retry attempts), then written to
  // the failure file.
  const runner = functionName(jobRunner);
  const jobFailures = join(workDir, 'job-failures.jsonl');
  const jobPoller = startStreamPoller({
    dynamodb: client,
    streams,
    tableName: options.tableName,
    region,
    // the stream is read a page at a time (in AWS the filter applies before batching; here the
    // poller reads every record, most of them not jobs)
    batchSize: 1000,
    fanOut: {
      select: (record) => record.dynamodb?.NewImage?.entity?.S === 'JOB' && record.dynamodb.NewImage.status?.S === 'QUEUED',
      key: (record) => record.dynamodb?.Keys?.PK?.S ?? '',
    },
    deliver: (event) => invoke(jobRunner, event, { timeoutMs: 15 * 60_000 }),
    maxRetries: 2,
    retryBaseDelayMs: 500,
    checkpointFile: options.inMemory ? undefined : join(options.dataDir, 'job-runner-checkpoint.json'),
    failureFile: jobFailures,
    log: (line) => warn(`[${runner}] ${line}`),
    onBatch: reportBatch(runner),
  });
  // a job still running is left to stop with the process: its record stays RUNNING and, past the lease, shows as stalled
  running.push({ name: 'job runner poller', stop: () => jobPoller.stop() });

  // EventBridge Scheduler: the jobs of infra/functions.ts
  const scheduler = startScheduler({
    jobs: scheduledJobs,
    region,
    run: (job, event) => invoke(job, event),
    onRun: (job, outcome) => {
      if (!outcome.ok) warn(`[job ${job.name}] failed after ${outcome.durationMs} ms: ${describeError(outcome.error)}`);
      else if (options.verbose) say(`[job ${job.name}] → ok (${outcome.durationMs} ms)`);
    },
  });
  running.push({ name: 'scheduler', stop: () => scheduler.stop() });

  const where = (path: string) => displayPath(path) + (scratchDir ? ' (temporary)' : '');
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  say(`home-warehouse local runtime ready in ${seconds} s`);
  say(`  DynamoDB Local  ${dynamodb.endpoint}  ${dynamodbDir ? `data ${displayPath(dynamodbDir)}` : 'in memory'}  table ${options.tableName}`);
  say(`  S3 (s3rver)     ${s3.endpoint}  data ${where(s3Dir)}  bucket ${options.bucketName}`);
  say(`  SES (local)     ${ses.endpoint}  sent mail: ${ses.inbox}`);
  say(`  API             ${api.url}  reference: ${api.url.replace(/\/$/, '')}/docs`);
  say(`  change feed     table stream → ${changeFeed.module}; records given up on go to ${where(streamFailures)}`);
  say(`  job runner      table stream, new jobs → ${jobRunner.module}; jobs given up on go to ${where(jobFailures)}`);
  const upcoming = scheduler.upcoming();
  say(
    `  scheduler       ${upcoming.length === 0 ? 'no jobs declared' : upcoming.map((job) => `${job.name} next at ${job.at.toISOString()}`).join(', ')}`,
  );
  say('Ctrl-C stops everything.');

  if (options.stateFile) {
    writeJson(options.stateFile, {
      api: api.url,
      dynamodb: dynamodb.endpoint,
      s3: s3.endpoint,
      ses: ses.endpoint,
      sesInbox: ses.inbox,
      tableName: options.tableName,
      bucketName: options.bucketName,
      dataDir: workDir,
      pids: { dynamodb: dynamodb.pid, runtime: process.pid },
    });
  }
}

// ---- stop

let firstSignal = 0;
async function shutdown(signal: NodeJS.Signals) {
  if (stopping) {
    // A second Ctrl-C (not the same keypress relayed twice) stops at once.
    if (Date.now() - firstSignal < 500) return;
    warn('stopping at once');
    if (javaPid && isRunning(javaPid)) process.kill(javaPid, 'SIGKILL');
    rmSync(pidFile, { force: true });
    if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
    process.exit(1);
  }
  stopping = true;
  firstSignal = Date.now();
  say(`\n${signal}: stopping…`);
  await stopAll();
  say('stopped');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

// Handler code runs in this process: one bad handler must not take the runtime down.
process.on('unhandledRejection', (reason) => warn(`unhandled rejection: ${describeError(reason)}`));
process.on('uncaughtException', (error) => warn(`uncaught exception: ${describeError(error)}`));

main().catch(async (error: unknown) => {
  // Expected failures (a busy port, a second copy on the same data) need no stack trace.
  warn(`\nthe local runtime could not start: ${error instanceof StartupError ? error.message : describeError(error)}`);
  stopping = true;
  await stopAll();
  process.exit(1);
});
