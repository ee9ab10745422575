// The local stand-in for a Lambda event source mapping on the table's stream: it reads DynamoDB
// Local's Streams API shard by shard (parents before children, new shards from TRIM_HORIZON) and
// hands each batch to the change-feed handler in the event shape Lambda uses.
//
// Like the mapping in AWS (ReportBatchItemFailures, BisectBatchOnFunctionError, bounded retries,
// an on-failure destination):
// - a partial failure is retried from the first failed record; a thrown error splits the batch in
//   two halves delivered one after the other, so a bad record ends up alone;
// - a record that fails `maxRetries` retries is logged, appended to `failureFile` (the local
//   on-failure queue) and skipped; the records after it go on;
// - the shard does not move on until its batch is done, so nothing is skipped silently;
// - with `checkpointFile`, the position in each shard survives a restart, so a data folder's
//   history is not replayed on every `npm start`.
import { randomUUID } from 'node:crypto';
import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type _Record,
  type AttributeValue as SdkAttributeValue,
  type DynamoDBStreamsClient,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

// ---------------------------------------------------------------------------------------------
// Pure parts (unit-tested)

/** The SDK decodes binary attributes to bytes; Lambda events carry them base64-encoded. */
export function toLambdaAttribute(value: SdkAttributeValue): AttributeValue {
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BS !== undefined) return { BS: value.BS.map((bytes) => Buffer.from(bytes).toString('base64')) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaAttribute) };
  if (value.M !== undefined) return { M: toLambdaImage(value.M) };
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  throw new Error(`unsupported attribute value: ${JSON.stringify(value)}`);
}

export function toLambdaImage(image: Record<string, SdkAttributeValue>): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toLambdaAttribute(value)]));
}

/** One record of the Streams API → one record of the Lambda event (absent fields stay absent). */
export function toLambdaRecord(record: _Record, streamArn: string, region: string): DynamoDBRecord {
  const source = record.dynamodb ?? {};
  const dynamodb: NonNullable<DynamoDBRecord['dynamodb']> = {};
  if (source.ApproximateCreationDateTime) {
    dynamodb.ApproximateCreationDateTime = Math.floor(source.ApproximateCreationDateTime.getTime() / 1000);
  }
  if (source.Keys) dynamodb.Keys = toLambdaImage(source.Keys);
  if (source.NewImage) dynamodb.NewImage = toLambdaImage(source.NewImage);
  if (source.OldImage) dynamodb.OldImage = toLambdaImage(source.OldImage);
  if (source.SequenceNumber !== undefined) dynamodb.SequenceNumber = source.SequenceNumber;
  if (source.SizeBytes !== undefined) dynamodb.SizeBytes = source.SizeBytes;
  if (source.StreamViewType !== undefined) dynamodb.StreamViewType = source.StreamViewType;
  const result: DynamoDBRecord = {
    eventID: record.eventID ?? randomUUID().replaceAll('-', ''),
    eventName: record.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb,
    eventSourceARN: streamArn,
  };
  if (record.userIdentity) result.userIdentity = record.userIdentity; // TTL deletions carry one
  return result;
}

/**
 * Index of the first record to retry, from a handler's result, or undefined when the batch
 * succeeded. Lambda's rules for partial batch responses: no `batchItemFailures` (or an empty list)
 * is success; an identifier that is empty, missing or matches no record fails the whole batch.
 */
export function firstFailedIndex(records: readonly DynamoDBRecord[], result: unknown): number | undefined {
  if (result === null || typeof result !== 'object' || !('batchItemFailures' in result)) return undefined;
  const failures = (result as { batchItemFailures: unknown }).batchItemFailures;
  if (failures === null || failures === undefined) return undefined;
  if (!Array.isArray(failures)) return 0;
  let first: number | undefined;
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    const index = typeof id === 'string' && id !== '' ? records.findIndex((record) => record.dynamodb?.SequenceNumber === id) : -1;
    if (index < 0) return 0;
    first = first === undefined ? index : Math.min(first, index);
  }
  return first;
}

/** Delay before retry `attempt` (1-based): 200 ms, 400 ms, 800 ms … capped at 5 s. */
export function retryDelay(attempt: number, baseMs: number): number {
  return Math.min(5_000, baseMs * 2 ** (attempt - 1));
}

// ---------------------------------------------------------------------------------------------
// The poller

export interface BatchReport {
  /** the records delivered in this attempt */
  records: DynamoDBRecord[];
  attempt: number;
  /**
   * `ok`: all done; `retry`: the first `failed` are retried; `split`: the handler threw, each half is
   * delivered on its own; `gave-up`: the first record failed every attempt and was skipped
   */
  outcome: 'ok' | 'retry' | 'split' | 'gave-up';
  /** how many of `records` failed (from the first failed one on) */
  failed: number;
  error?: unknown;
  durationMs: number;
}

export interface StreamPollerOptions {
  dynamodb: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  tableName: string;
  /** goes into each record's awsRegion (DynamoDB Local reports `ddblocal`) */
  region: string;
  deliver: (event: DynamoDBStreamEvent) => Promise<unknown>;
  /** at most this many records per event (Lambda's default for DynamoDB is 100) */
  batchSize?: number;
  /** pause when every shard is drained */
  idleDelayMs?: number;
  /** retries of a failing batch before its records are given up */
  maxRetries?: number;
  retryBaseDelayMs?: number;
  /** JSON file keeping the position in each shard across runs */
  checkpointFile?: string;
  /** JSON-lines file receiving the records given up on */
  failureFile?: string;
  /** warnings and errors of the poller itself */
  log: (line: string) => void;
  /** after every delivery attempt */
  onBatch?: (report: BatchReport) => void;
  /**
   * Delivers the records this selects one per event, without waiting: records of one `key` in
   * order, different keys side by side, as an event source mapping with a filter and a
   * parallelization factor does (the job runner). Each is retried and given up on as a batch is;
   * the poller moves on once they are started, and what still runs when it stops is left to stop
   * with the process. Records not selected are skipped.
   */
  fanOut?: { select(record: DynamoDBRecord): boolean; key(record: DynamoDBRecord): string };
}

export interface StreamPoller {
  stop(): Promise<void>;
}

interface ShardState {
  id: string;
  parent?: string;
  iterator?: string;
  /** sequence number of the last record handled (delivered or given up) */
  position?: string;
  done: boolean;
}

interface Checkpoint {
  streamArn: string;
  shards: Record<string, { position?: string; done?: boolean }>;
}

class Stopped extends Error {}

export function startStreamPoller(options: StreamPollerOptions): StreamPoller {
  const batchSize = options.batchSize ?? 100;
  const idleDelayMs = options.idleDelayMs ?? 250;
  const maxRetries = options.maxRetries ?? 3;
  const retryBaseDelayMs = options.retryBaseDelayMs ?? 200;
  const stopping = new AbortController();
  const shards = new Map<string, ShardState>();
  let streamArn: string | undefined;
  let nextDiscovery = 0;
  let lastProblem: string | undefined;
  let problemDelay = idleDelayMs;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (stopping.signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        stopping.signal.removeEventListener('abort', done);
        resolve();
      }
      stopping.signal.addEventListener('abort', done);
    });

  function loadCheckpoint(arn: string): Checkpoint['shards'] {
    if (!options.checkpointFile) return {};
    try {
      const saved = JSON.parse(readFileSync(options.checkpointFile, 'utf8')) as Checkpoint;
      return saved.streamArn === arn ? saved.shards : {};
    } catch {
      return {};
    }
  }

  function saveCheckpoint() {
    if (!options.checkpointFile || !streamArn) return;
    const saved: Checkpoint = { streamArn, shards: {} };
    for (const shard of shards.values()) {
      if (shard.position !== undefined || shard.done) saved.shards[shard.id] = { position: shard.position, done: shard.done || undefined };
    }
    const temporary = `${options.checkpointFile}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(saved, null, 2)}\n`);
    renameSync(temporary, options.checkpointFile);
  }

  /** The stream's status and every shard it lists (DescribeStream, page by page). */
  async function describeStream(arn: string) {
    const listed: Shard[] = [];
    let status: string | undefined;
    let start: string | undefined;
    do {
      const page = await options.streams.send(new DescribeStreamCommand({ StreamArn: arn, ExclusiveStartShardId: start }), {
        abortSignal: stopping.signal,
      });
      status = page.StreamDescription?.StreamStatus;
      listed.push(...(page.StreamDescription?.Shards ?? []));
      start = page.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return { status, listed };
  }

  /** A stream that no longer exists (its table was deleted) is looked up again from the table. */
  const unlessGone = (error: unknown): undefined => {
    if ((error as Error).name === 'ResourceNotFoundException') return undefined;
    throw error;
  };

  // The stream being read is described every second (its new shards); the table only when that
  // stream is unknown, gone or no longer enabled. DynamoDB Local answers DescribeTable by summing
  // the size of every item per index, a pass over the whole table on the one thread that serves
  // every request: asked every second by each poller, it held every other request up by hundreds
  // of milliseconds once the table held a few hundred thousand items.
  async function discover() {
    let described = streamArn ? await describeStream(streamArn).catch(unlessGone) : undefined;
    if (!described || (described.status !== 'ENABLED' && described.status !== 'ENABLING')) {
      const table = await options.dynamodb.send(new DescribeTableCommand({ TableName: options.tableName }), { abortSignal: stopping.signal });
      const arn = table.Table?.LatestStreamArn;
      if (!arn || !table.Table?.StreamSpecification?.StreamEnabled) {
        throw new Error(`table ${options.tableName} has no stream enabled`);
      }
      if (arn !== streamArn) {
        // First look, or the table or its stream was re-created: start from what the checkpoint knows of this stream.
        shards.clear();
        streamArn = arn;
        for (const [id, saved] of Object.entries(loadCheckpoint(arn))) {
          shards.set(id, { id, position: saved.position, done: saved.done ?? false });
        }
      }
      described = await describeStream(arn);
    }
    const { listed } = described;
    const listedIds = new Set<string>();
    for (const shard of listed) {
      if (!shard.ShardId) continue;
      listedIds.add(shard.ShardId);
      const known = shards.get(shard.ShardId);
      if (known) known.parent = shard.ParentShardId;
      else shards.set(shard.ShardId, { id: shard.ShardId, parent: shard.ParentShardId, done: false });
    }
    // Shards past the retention window are no longer listed: forget them.
    for (const id of shards.keys()) if (!listedIds.has(id)) shards.delete(id);
    nextDiscovery = Date.now() + 1_000;
  }

  /** Open shards whose parent is finished (or gone): a child is read only after its parent. */
  function readyShards(): ShardState[] {
    return [...shards.values()].filter((shard) => {
      if (shard.done) return false;
      const parent = shard.parent ? shards.get(shard.parent) : undefined;
      return !parent || parent.done;
    });
  }

  async function iteratorFor(shard: ShardState): Promise<string | undefined> {
    const ask = (type: 'TRIM_HORIZON' | 'AFTER_SEQUENCE_NUMBER') =>
      options.streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.id,
          ShardIteratorType: type,
          SequenceNumber: type === 'AFTER_SEQUENCE_NUMBER' ? shard.position : undefined,
        }),
        { abortSignal: stopping.signal },
      );
    if (shard.position !== undefined) {
      try {
        return (await ask('AFTER_SEQUENCE_NUMBER')).ShardIterator;
      } catch (error) {
        if (!(error instanceof TrimmedDataAccessException) && (error as Error).name !== 'ValidationException') throw error;
        options.log(`stream poller: position in shard ${shard.id} is no longer readable; reading it from its oldest record`);
      }
    }
    return (await ask('TRIM_HORIZON')).ShardIterator;
  }

  /** Reads one batch from the shard and delivers it. True when there were records. */
  async function pollShard(shard: ShardState): Promise<boolean> {
    shard.iterator ??= await iteratorFor(shard);
    if (!shard.iterator) {
      shard.done = true;
      return false;
    }
    let page;
    try {
      page = await options.streams.send(new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: batchSize }), {
        abortSignal: stopping.signal,
      });
    } catch (error) {
      if (error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException) {
        shard.iterator = undefined; // asked again from the position on the next pass
        return true;
      }
      throw error;
    }
    const records = page.Records ?? [];
    if (records.length > 0) {
      const delivered = records.map((record) => toLambdaRecord(record, streamArn!, options.region));
      if (options.fanOut) fanOut(delivered, options.fanOut);
      else await deliverBatch(delivered);
      shard.position = records.at(-1)?.dynamodb?.SequenceNumber ?? shard.position;
    }
    shard.iterator = page.NextShardIterator;
    if (!shard.iterator) {
      shard.done = true; // closed and drained: its children may start
      nextDiscovery = 0;
    }
    if (records.length > 0 || shard.done) saveCheckpoint();
    return records.length > 0;
  }

  /** One chain of deliveries per key; a chain's end removes it. */
  const chains = new Map<string, Promise<void>>();
  function fanOut(records: DynamoDBRecord[], { select, key }: NonNullable<StreamPollerOptions['fanOut']>) {
    for (const record of records.filter(select)) {
      const chainKey = key(record);
      const chain = (chains.get(chainKey) ?? Promise.resolve())
        .then(() => deliverBatch([record]))
        .catch((error: unknown) => {
          if (!(error instanceof Stopped)) options.log(`stream poller: delivering ${chainKey} failed: ${error instanceof Error ? error.message : String(error)}`);
        });
      chains.set(chainKey, chain);
      void chain.finally(() => {
        if (chains.get(chainKey) === chain) chains.delete(chainKey);
      });
    }
  }

  async function deliverBatch(batch: DynamoDBRecord[]): Promise<void> {
    let pending = batch;
    let attempt = 0;
    while (pending.length > 0) {
      if (stopping.signal.aborted) throw new Stopped();
      attempt += 1;
      const started = Date.now();
      let failedFrom: number | undefined;
      let error: unknown;
      try {
        failedFrom = firstFailedIndex(pending, await options.deliver({ Records: pending }));
      } catch (thrown) {
        failedFrom = 0;
        error = thrown;
      }
      const durationMs = Date.now() - started;
      if (failedFrom === undefined) {
        options.onBatch?.({ records: pending, attempt, outcome: 'ok', failed: 0, durationMs });
        return;
      }
      const failed = pending.length - failedFrom;
      if (error !== undefined && pending.length > 1) {
        // BisectBatchOnFunctionError: each half on its own, so one bad record cannot hold back the rest.
        options.onBatch?.({ records: pending, attempt, outcome: 'split', failed, error, durationMs });
        const half = Math.ceil(pending.length / 2);
        await deliverBatch(pending.slice(0, half));
        await deliverBatch(pending.slice(half));
        return;
      }
      if (failedFrom > 0) {
        // The records before the first failure are done; the rest is retried as a new batch.
        options.onBatch?.({ records: pending, attempt, outcome: 'retry', failed, durationMs });
        pending = pending.slice(failedFrom);
        attempt = 0;
      } else if (attempt > maxRetries) {
        // The first record failed every time: it goes to the failure file and the others go on.
        options.onBatch?.({ records: pending, attempt, outcome: 'gave-up', failed, error, durationMs });
        giveUp(pending.slice(0, 1), attempt, error);
        pending = pending.slice(1);
        attempt = 0;
        continue;
      } else {
        options.onBatch?.({ records: pending, attempt, outcome: 'retry', failed, error, durationMs });
      }
      await sleep(retryDelay(Math.max(1, attempt), retryBaseDelayMs));
    }
  }

  function giveUp(records: DynamoDBRecord[], attempts: number, error: unknown) {
    const first = records[0]?.dynamodb?.SequenceNumber;
    const last = records.at(-1)?.dynamodb?.SequenceNumber;
    const reason = error instanceof Error ? error.message : 'the handler reported them as failed';
    options.log(
      `stream poller: gave up on ${records.length} record(s) (sequence ${first}…${last}) after ${attempts} attempts: ${reason}` +
        (options.failureFile ? `; written to ${options.failureFile}` : ''),
    );
    if (options.failureFile) {
      const entry = { time: new Date().toISOString(), attempts, reason, records };
      appendFileSync(options.failureFile, `${JSON.stringify(entry)}\n`);
    }
  }

  function problem(error: unknown) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (message !== lastProblem) options.log(`stream poller: ${message} (retrying)`);
    lastProblem = message;
    problemDelay = Math.min(5_000, problemDelay * 2);
    // Iterators may be stale after an outage: ask again from the last position.
    for (const shard of shards.values()) shard.iterator = undefined;
  }

  async function run() {
    while (!stopping.signal.aborted) {
      try {
        if (!streamArn || Date.now() >= nextDiscovery) await discover();
        let busy = false;
        for (const shard of readyShards()) {
          if (stopping.signal.aborted) break;
          busy = (await pollShard(shard)) || busy;
        }
        if (lastProblem) {
          options.log('stream poller: reading the stream again');
          lastProblem = undefined;
        }
        problemDelay = idleDelayMs;
        if (!busy) await sleep(idleDelayMs);
      } catch (error) {
        if (stopping.signal.aborted || error instanceof Stopped) break;
        problem(error);
        await sleep(problemDelay);
      }
    }
  }

  const running = run();
  return {
    async stop() {
      stopping.abort();
      await running;
    },
  };
}
