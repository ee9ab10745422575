// DynamoDB Local (Amazon's engine, a Java program) as a child process, plus the table the product
// uses, created from the one table definition in shared/db/table-definition.ts.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { tableDefinition } from '../../shared/db/table-definition.js';
import { localCredentials } from './environment.js';
import { emulatorDir as defaultEmulatorDir } from './paths.js';
import { PortInUseError, StartupError, terminate } from './processes.js';

export interface DynamoDbLocalOptions {
  port: number;
  /** folder of the database file; absent: `-inMemory` */
  dbPath?: string;
  /** where java's output goes (appended); it is read back when the engine fails to start */
  logFile: string;
  emulatorDir?: string;
  startTimeoutMs?: number;
  /** called with the java pid as soon as it runs (for the pid file) */
  onSpawn?: (pid: number) => void;
  /** called when the engine exits without being asked to */
  onUnexpectedExit?: (description: string) => void;
}

export interface DynamoDbLocal {
  endpoint: string;
  pid: number;
  stop(): Promise<void>;
}

export function dynamoDbClient(endpoint: string, options: { region?: string; maxAttempts?: number; timeoutMs?: number } = {}) {
  return new DynamoDBClient({
    endpoint,
    region: options.region ?? 'us-east-1',
    credentials: localCredentials,
    maxAttempts: options.maxAttempts ?? 3,
    // Without throwOnRequestTimeout the SDK only warns when requestTimeout passes.
    requestHandler: { requestTimeout: options.timeoutMs ?? 5_000, connectionTimeout: 2_000, throwOnRequestTimeout: true },
  });
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const emulator = options.emulatorDir ?? defaultEmulatorDir;
  const jar = join(emulator, 'DynamoDBLocal.jar');
  if (!existsSync(jar)) {
    throw new StartupError(`DynamoDB Local is not installed (${jar} is missing). Run \`node infra/local/setup.mjs\` (npm start does it).`);
  }
  const args = [
    // The quick JIT only and a single-threaded GC: about a third faster to start (a half on a busy
    // two-core machine), and no slower to serve a local workload (measured: 2.1 s vs 3.1 s to answer).
    '-XX:TieredStopAtLevel=1',
    '-XX:+UseSerialGC',
    `-Djava.library.path=${join(emulator, 'DynamoDBLocal_lib')}`,
    '-jar',
    jar,
    '-port',
    String(options.port),
    '-sharedDb',
    '-disableTelemetry',
  ];
  if (options.dbPath) {
    mkdirSync(options.dbPath, { recursive: true });
    args.push('-dbPath', options.dbPath);
  } else {
    args.push('-inMemory');
  }
  const logFd = openSync(options.logFile, 'a');
  // Own process group: a Ctrl-C in the terminal reaches the orchestrator only, which then stops the
  // engine after everything that uses it. Output goes to a file, so the engine never blocks on a
  // full pipe, even when the orchestrator is gone.
  const child = spawn('java', args, { cwd: emulator, detached: true, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  let exit: string | undefined;
  let stopping = false;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = signal ? `killed by ${signal}` : `exit code ${code}`;
      if (!stopping) options.onUnexpectedExit?.(exit);
      resolve();
    });
  });
  let spawnFailure: Error | undefined;
  child.once('error', (error) => {
    spawnFailure = error;
  });

  const endpoint = `http://127.0.0.1:${options.port}`;
  const stop = async () => {
    stopping = true;
    if (child.pid !== undefined && exit === undefined) {
      await terminate(child.pid);
      await Promise.race([exited, sleep(1_000)]);
    }
  };

  // A JVM that just started may take a few seconds to answer its first request on a busy machine.
  const client = dynamoDbClient(endpoint, { maxAttempts: 1, timeoutMs: 5_000 });
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  try {
    for (;;) {
      if (spawnFailure) throw new StartupError(`could not run java (Java 17+ is needed; see infra/local/setup.mjs): ${spawnFailure.message}`);
      if (exit !== undefined) {
        const output = tail(options.logFile);
        if (/Address already in use|BindException/i.test(output)) throw new PortInUseError(options.port, 'DYNAMODB_PORT', 'DynamoDB Local');
        throw new StartupError(`DynamoDB Local stopped while starting (${exit}). Its output (${options.logFile}):\n${output}`);
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        break;
      } catch {
        if (Date.now() > deadline) {
          throw new StartupError(`DynamoDB Local did not answer on ${endpoint} within ${Math.round((options.startTimeoutMs ?? 30_000) / 1000)} s. Its output:\n${tail(options.logFile)}`);
        }
        await sleep(100);
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
  if (child.pid === undefined) throw new Error('java started without a pid');
  return { endpoint, pid: child.pid, stop };
}

function attributeDefinitions(names: Iterable<string>): AttributeDefinition[] {
  // Every key of the single table is a string (see shared/db/README.md).
  return [...new Set(names)].map((name) => ({ AttributeName: name, AttributeType: 'S' }));
}

function indexSpec(index: (typeof tableDefinition.globalSecondaryIndexes)[number]) {
  return {
    IndexName: index.name,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  };
}

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

/**
 * Creates the table from `tableDefinition` when it is missing. An existing table (a data folder
 * from an earlier run) gets what the definition gained since: missing indexes and the stream.
 * Returns what was done, one line each.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<string[]> {
  const done: string[] = [];
  const existing = await describe(client, tableName);
  if (!existing) {
    const indexes = tableDefinition.globalSecondaryIndexes;
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributeDefinitions([
          tableDefinition.partitionKey,
          tableDefinition.sortKey,
          ...indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
        ]),
        KeySchema: [
          { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
          { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: indexes.map(indexSpec),
        StreamSpecification: { StreamEnabled: true, StreamViewType: tableDefinition.streamViewType },
      }),
    );
    done.push(`created table ${tableName}`);
  } else {
    const keys = Object.fromEntries((existing.KeySchema ?? []).map((key) => [key.KeyType, key.AttributeName]));
    if (keys.HASH !== tableDefinition.partitionKey || keys.RANGE !== tableDefinition.sortKey) {
      throw new StartupError(
        `table ${tableName} exists with keys ${keys.HASH}/${keys.RANGE}, not ${tableDefinition.partitionKey}/${tableDefinition.sortKey}; ` +
          'delete the data folder (DATA_DIR, default .data/) to start afresh',
      );
    }
    const present = new Set((existing.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
    for (const index of tableDefinition.globalSecondaryIndexes) {
      if (present.has(index.name)) continue;
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: attributeDefinitions([index.partitionKey, index.sortKey]),
          GlobalSecondaryIndexUpdates: [{ Create: indexSpec(index) }],
        }),
      );
      done.push(`added index ${index.name} to table ${tableName}`);
    }
    const stream = existing.StreamSpecification;
    if (!stream?.StreamEnabled || stream.StreamViewType !== tableDefinition.streamViewType) {
      if (stream?.StreamEnabled) {
        await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: false } }));
      }
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          StreamSpecification: { StreamEnabled: true, StreamViewType: tableDefinition.streamViewType },
        }),
      );
      done.push(`enabled the ${tableDefinition.streamViewType} stream of table ${tableName}`);
    }
  }
  try {
    // DynamoDB Local records the setting but never deletes expired items (code must not rely on it).
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { Enabled: true, AttributeName: tableDefinition.timeToLiveAttribute },
      }),
    );
  } catch {
    // Already enabled, or not supported by this DynamoDB Local: either way nothing to do.
  }
  return done;
}
