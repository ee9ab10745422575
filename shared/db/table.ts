// Small helpers every repository reads and writes the table through, in plain values: the table
// name, single reads, Queries, paging with checked cursors, batches, and transactions with the
// reasons of a cancelled one. They send through the base client (shared/aws/dynamodb.ts).
import { randomUUID } from 'node:crypto';
import type { QueryCommandInput, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { BatchGetItemCommand, type BatchGetItemCommandOutput, GetItemCommand, QueryCommand, type QueryCommandInput as WireQueryInput, TransactionCanceledException, TransactWriteItemsCommand, type KeysAndAttributes } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { config } from '../config.js';
import { dynamodb, marshallOptions } from '../aws/dynamodb.js';
import { withoutKeys } from './keys.js';
import { DomainError } from '../domain/errors.js';
import { decodeKeyCursor, encodeKeyCursor, type KeyList } from './cursor.js';

export const tableName = config.tableName;

/** One item of a TransactWriteItems call. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A transactional put that refuses to overwrite: how guard items and new entities are written. */
export const putIfAbsent = (Item: Record<string, unknown>): TransactItem => ({
  Put: { TableName: tableName, Item, ConditionExpression: 'attribute_not_exists(PK)' },
});

/**
 * The item under a key as stored (key attributes too), only the `attributes` given when any;
 * undefined when absent. Through the base client (its middleware resolved once,
 * shared/aws/dynamodb.ts), as batchGet: every single-item read of a request is one of these.
 */
export async function readItem(key: Record<string, string>, { consistent = false, attributes }: { consistent?: boolean; attributes?: readonly string[] } = {}): Promise<Record<string, any> | undefined> {
  const result = await dynamodb.send(new GetItemCommand({
    TableName: tableName, Key: marshall(key), ConsistentRead: consistent, ...(attributes ? projectionOf(attributes) : {}),
  }));
  return result.Item ? unmarshall(result.Item) : undefined;
}

/** The stored record under a key, without its key attributes; undefined when absent. */
export async function getRecord<T>(key: Record<string, string>, consistent = false): Promise<T | undefined> {
  const item = await readItem(key, { consistent });
  return item ? (withoutKeys(item) as unknown as T) : undefined;
}

/** One Query call's answer, in plain values: the items, where it stopped, how many matched. */
export interface QueryAnswer {
  Items: Record<string, any>[];
  LastEvaluatedKey?: Record<string, any>;
  Count?: number;
}

/**
 * One Query call on the table, given and answered in plain values as with the document client, but
 * sent through the base client (its middleware resolved once, shared/aws/dynamodb.ts): every list
 * is one or more of these.
 */
export async function query(input: Omit<QueryCommandInput, 'TableName'>): Promise<QueryAnswer> {
  const { ExpressionAttributeValues: values, ExclusiveStartKey: start, ...rest } = input;
  const result = await dynamodb.send(new QueryCommand({
    ...(rest as Omit<WireQueryInput, 'TableName'>),
    TableName: tableName,
    ...(values ? { ExpressionAttributeValues: marshall(values, marshallOptions) } : {}),
    ...(start ? { ExclusiveStartKey: marshall(start, marshallOptions) } : {}),
  }));
  return {
    Items: (result.Items ?? []).map((item) => unmarshall(item)),
    ...(result.LastEvaluatedKey ? { LastEvaluatedKey: unmarshall(result.LastEvaluatedKey) } : {}),
    ...(result.Count !== undefined ? { Count: result.Count } : {}),
  };
}

/** Every page of a Query, one answer after another, until the partition (or key range) ends. */
export async function* queryPages(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): AsyncGenerator<QueryAnswer> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await query({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) });
    yield page;
    start = page.LastEvaluatedKey;
  } while (start);
}

export interface Page<T> {
  items: T[];
  next_cursor?: string;
}

/**
 * One page of a Query over one list. DynamoDB may stop short of `limit` (1 MB per call) and may
 * return a last key on an exactly full page; both are fine for an opaque cursor. The cursor is
 * checked to be a position of this list (shared/db/cursor.ts) before DynamoDB sees it.
 */
export async function queryPage<T>(
  input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey' | 'IndexName'>,
  options: { limit: number; cursor?: string; list: KeyList },
): Promise<Page<T>> {
  const items: T[] = [];
  let start = decodeKeyCursor(options.list, options.cursor);
  // A filter (inventory rows of one status) drops items after `Limit` counted them: read on, from
  // where the last read stopped, until the page is full or the partition ends. Each read asks only
  // for what the page still lacks, so the cursor stays exactly behind the last item answered.
  do {
    const result = await query({
      ...input,
      ...(options.list.index ? { IndexName: options.list.index } : {}),
      Limit: options.limit - items.length,
      ...(start ? { ExclusiveStartKey: start } : {}),
    });
    items.push(...(result.Items as T[]));
    start = result.LastEvaluatedKey;
  } while (input.FilterExpression && start && items.length < options.limit);
  const next = encodeKeyCursor(options.list, start);
  return { items, ...(next ? { next_cursor: next } : {}) };
}

/**
 * Every item of a Query, page by page (for small, bounded partitions such as a user's sessions);
 * with `max`, at most that many (each page asks only for what is still wanted).
 */
export async function queryAll<T>(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>, max = Infinity): Promise<T[]> {
  const items: T[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const limit = Number.isFinite(max) ? { Limit: Math.min(1000, max - items.length) } : {};
    const result = await query({ ...input, ...limit, ...(start ? { ExclusiveStartKey: start } : {}) });
    items.push(...(result.Items as T[]));
    start = result.LastEvaluatedKey;
  } while (start && items.length < max);
  return items;
}

/**
 * "The sort key starts with `prefix`" as a key range: `sk BETWEEN :from AND :to`, where `:to` is the
 * prefix followed by the highest code point (every key with that beginning sorts between the two;
 * DynamoDB orders keys by their UTF-8 bytes). On DynamoDB this reads exactly what `begins_with` reads,
 * at the same cost. DynamoDB Local (tests, bench, `npm start`) answers `begins_with` by going
 * through the whole partition and a range through its index: measured on a partition of 300,000
 * items, 67 ms against 8 ms (.scratch experiment described in shared/db/README.md). So the large
 * partitions (search postings and typo entries) use this form.
 */
export const sortKeyStartsWith = (sortKey: string, prefix: string) => ({
  condition: `${sortKey} BETWEEN :startsFrom AND :startsTo`,
  values: { ':startsFrom': prefix, ':startsTo': `${prefix}\u{10FFFF}` },
});

/** A projection of these attributes, each through a name placeholder (so any name may be read, reserved words too). */
export const projectionOf = (attributes: readonly string[]) => ({
  ProjectionExpression: attributes.map((_, at) => `#p${at}`).join(', '),
  ExpressionAttributeNames: Object.fromEntries(attributes.map((name, at) => [`#p${at}`, name])),
});

/**
 * The reason code of each item of a cancelled transaction (`ConditionalCheckFailed`, `None`, …),
 * or undefined when the error is not a cancelled transaction.
 */
export function cancellationReasons(error: unknown): string[] | undefined {
  if (error instanceof TransactionCanceledException || (error as { name?: string })?.name === 'TransactionCanceledException') {
    return ((error as TransactionCanceledException).CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
  }
  return undefined;
}

export const isConditionFailure = (error: unknown) => (error as { name?: string })?.name === 'ConditionalCheckFailedException';

export const nowIso = () => new Date().toISOString();

/**
 * Reads up to 100 keys in one round trip (only the `projection`'s attributes when given), retrying
 * what DynamoDB leaves unprocessed. Through the
 * base client (its middleware resolved once, shared/aws/dynamodb.ts): every workspace route's
 * authorisation is one of these.
 */
export async function batchGet<T>(keyList: Record<string, string>[], { consistent = false, projection }: { consistent?: boolean; projection?: string } = {}): Promise<T[]> {
  const found: T[] = [];
  for (let start = 0; start < keyList.length; start += 100) {
    let request: Record<string, KeysAndAttributes> | undefined = {
      [tableName]: { Keys: keyList.slice(start, start + 100).map((key) => marshall(key)), ConsistentRead: consistent, ProjectionExpression: projection },
    };
    for (let attempt = 0; request && Object.keys(request).length > 0; attempt += 1) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
      const result: BatchGetItemCommandOutput = await dynamodb.send(new BatchGetItemCommand({ RequestItems: request }));
      for (const item of result.Responses?.[tableName] ?? []) found.push(unmarshall(item) as T);
      request = result.UnprocessedKeys;
      if (attempt > 8 && request && Object.keys(request).length > 0) throw new Error('BatchGetItem left keys unprocessed after retries');
    }
  }
  return found;
}

/**
 * A transaction item with its values in DynamoDB's attribute-value form, marshalled as the document
 * client marshals (shared/aws/dynamodb.ts). lib-dynamodb's TransactWriteCommand does the same but
 * adds ~0.6 KB to every write route's bundle; its marshaller is bundled anyway.
 */
function toAttributeValues(item: TransactItem) {
  const [kind, operation] = Object.entries(item)[0] as [string, Record<string, unknown>];
  const wire = { ...operation };
  for (const field of ['Item', 'Key', 'ExpressionAttributeValues']) {
    if (operation[field]) wire[field] = marshall(operation[field] as Record<string, unknown>, marshallOptions);
  }
  return { [kind]: wire };
}

/**
 * TransactWriteItems that survives contention: DynamoDB cancels a transaction with
 * `TransactionConflict` when another one touches the same item at that moment, and the SDK does
 * not retry that. We do, with growing jittered pauses (about 1.3 s in all), under one
 * ClientRequestToken so a retry of a transaction that did commit is a no-op; a conflict that
 * outlasts them answers 503 RESOURCE_BUSY with Retry-After, never a 500. Any other cancellation
 * (a failed condition) is the caller's to read with `cancellationReasons`.
 */
export async function transactWrite(items: NonNullable<TransactWriteCommandInput['TransactItems']>): Promise<void> {
  const token = randomUUID();
  const TransactItems = items.map(toAttributeValues);
  for (let attempt = 0; ; attempt += 1) {
    try {
      await dynamodb.send(new TransactWriteItemsCommand({ TransactItems, ClientRequestToken: token }));
      return;
    } catch (error) {
      const reasons = cancellationReasons(error);
      const conflicted = reasons?.includes('TransactionConflict') && !reasons.includes('ConditionalCheckFailed');
      if (!conflicted) throw error;
      if (attempt >= 6) throw new DomainError('RESOURCE_BUSY', 'Other changes to the same things kept winning; try again.', { retryAfter: 1 });
      await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt + Math.random() * 40));
    }
  }
}
