// What each request (or job run) costs in DynamoDB capacity, and which calls were slow. Every
// table call asks DynamoDB for its consumed capacity (ReturnConsumedCapacity TOTAL, free of
// charge); a middleware on the client adds it up per request and logs one structured line for any
// call slower than DYNAMODB_SLOW_MS. The HTTP wrapper emits the sums as EMF metrics per operation
// (graphed on the dashboard); the bench reads the same sums from a local-only response header.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { config } from '../config.js';
import { logger } from './telemetry.js';

export interface CapacityTally {
  read: number;
  write: number;
  calls: number;
  slowCalls: number;
}

const requests = new AsyncLocalStorage<CapacityTally>();

/** Runs `work` with a fresh tally (Lambda serves one request at a time; the local server many). */
export function withCapacityTally<T>(work: (tally: CapacityTally) => Promise<T>): Promise<T> {
  const tally: CapacityTally = { read: 0, write: 0, calls: 0, slowCalls: 0 };
  return requests.run(tally, () => work(tally));
}

/** The local-only `x-consumed-capacity` header of an answer (shared/http/route.ts writes it). */
export const capacityHeader = (tally: CapacityTally) => `read=${Number(tally.read.toFixed(2))}, write=${Number(tally.write.toFixed(2))}, calls=${tally.calls}`;

/** That header read back: what a route this request called consumed (shared/http/loopback.ts). */
export function consumedIn(header: string | null): { read: number; write: number; calls: number } | undefined {
  const match = /read=([\d.]+), write=([\d.]+), calls=(\d+)/.exec(header ?? '');
  return match ? { read: Number(match[1]), write: Number(match[2]), calls: Number(match[3]) } : undefined;
}

/**
 * Adds capacity consumed on this request's behalf elsewhere to its tally: the routes a sync batch
 * or an import calls report theirs in a local-only header (shared/http/loopback.ts), so locally the
 * caller's own header shows the whole cost. (In AWS each route emits its own metrics.)
 */
export function addToTally(consumed: { read: number; write: number; calls: number }): void {
  const tally = requests.getStore();
  if (!tally) return;
  tally.read += consumed.read;
  tally.write += consumed.write;
  tally.calls += consumed.calls;
}

const reads = new Set(['GetItemCommand', 'BatchGetItemCommand', 'QueryCommand', 'TransactGetItemsCommand']);
const writes = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);

type Consumed = { CapacityUnits?: number; TableName?: string } | { CapacityUnits?: number }[] | undefined;

const unitsOf = (consumed: Consumed): number =>
  (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);

/** How many items a call read or wrote, for the slow-call line. */
function itemsOf(output: Record<string, unknown>): number | undefined {
  if (typeof output.Count === 'number') return output.Count;
  if (output.Item !== undefined) return 1;
  if (output.Responses && typeof output.Responses === 'object') {
    return Object.values(output.Responses as Record<string, unknown[]>).reduce((sum, list) => sum + (Array.isArray(list) ? list.length : 0), 0);
  }
  return undefined;
}

/** Adds the accounting middleware to a DynamoDB client (both of shared/aws/dynamodb.ts get it). */
export function accountCapacity(client: DynamoDBClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? '';
      const isRead = reads.has(command);
      if (!isRead && !writes.has(command)) return next(args);
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity ??= 'TOTAL';
      const started = performance.now();
      const result = await next(args);
      const durationMs = performance.now() - started;
      const output = result.output as unknown as Record<string, unknown>;
      const units = unitsOf(output.ConsumedCapacity as Consumed);
      const tally = requests.getStore();
      if (tally) {
        if (isRead) tally.read += units;
        else tally.write += units;
        tally.calls += 1;
      }
      if (durationMs >= config.dynamodbSlowMs) {
        if (tally) tally.slowCalls += 1;
        logger.warn('slow dynamodb call', {
          operation: command.replace(/Command$/, ''),
          index: input.IndexName,
          items: itemsOf(output),
          consumedCapacity: units,
          durationMs: Math.round(durationMs),
        });
      }
      return result;
    },
    { step: 'initialize', name: 'capacityAccounting' },
  );
}
