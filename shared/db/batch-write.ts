// Many independent writes at once: BatchWriteItem, 25 requests per call (DynamoDB's limit), what it
// leaves unprocessed sent again after a pause. Not atomic, so only for writes that may land one by
// one and be made again: a restore's puts, a purge's deletes, the search index's entries. Its own
// module so that routes which never batch-write do not bundle it.
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { documents } from '../aws/dynamodb.js';
import { tableName } from './table.js';

/** One request of a batch: a whole item put, or a delete by key. */
export type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } };

export interface BatchWriteOptions {
  /** calls in flight at once (each of 25 requests); 1 by default */
  parallel?: number;
  /** calls per group of 25 before it gives up and throws (its caller is retried whole: a job step, a stream batch); 10 by default */
  attempts?: number;
  /** names the writer in the error */
  what?: string;
}

/**
 * Writes every request. Unprocessed requests (DynamoDB throttling a partition) are sent again
 * after 50 ms, doubling; after `attempts` calls for one group it throws, naming how many are left.
 */
export async function batchWrite(requests: readonly WriteRequest[], options: BatchWriteOptions = {}): Promise<void> {
  const { parallel = 1, attempts = 10, what = 'BatchWriteItem' } = options;
  const groups: WriteRequest[][] = [];
  for (let start = 0; start < requests.length; start += 25) groups.push(requests.slice(start, start + 25));
  const write = async (group: WriteRequest[]) => {
    let pending = group;
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt === attempts) throw new Error(`${what}: ${pending.length} writes still unprocessed after ${attempts} attempts`);
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** (attempt - 1)));
      const answer = await documents.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (answer.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
    }
  };
  for (let start = 0; start < groups.length; start += parallel) await Promise.all(groups.slice(start, start + parallel).map(write));
}
