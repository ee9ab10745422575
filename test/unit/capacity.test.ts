// The DynamoDB accounting middleware: every call asks for its consumed capacity, the sums are kept
// per request, and a call slower than DYNAMODB_SLOW_MS logs one structured line.
import { Readable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { accountCapacity, withCapacityTally } from '../../shared/observability/capacity.js';
import { logger } from '../../shared/observability/telemetry.js';
import { config } from '../../shared/config.js';

/** A client whose "network" answers with canned DynamoDB JSON after `delayMs`, recording what was asked. */
function clientAnswering(body: Record<string, unknown>, delayMs = 0) {
  const sent: Record<string, unknown>[] = [];
  const client = new DynamoDBClient({
    region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    requestHandler: {
      handle: async (request: { body?: string | Uint8Array }) => {
        // the SDK hands the serialised JSON over as bytes (a string in older versions)
        const asked = request.body instanceof Uint8Array ? new TextDecoder().decode(request.body) : (request.body ?? '{}');
        sent.push(JSON.parse(asked));
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        return { response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Readable.from([JSON.stringify(body)]) } };
      },
    } as never,
  });
  accountCapacity(client);
  return { documents: DynamoDBDocumentClient.from(client), sent };
}

describe('DynamoDB capacity accounting', () => {
  it('asks for consumed capacity and adds it up per request, reads and writes apart', async () => {
    const reads = clientAnswering({ Item: { PK: { S: 'a' } }, ConsumedCapacity: { TableName: 't', CapacityUnits: 0.5 } });
    const writes = clientAnswering({ ConsumedCapacity: { TableName: 't', CapacityUnits: 2 } });
    const tally = await withCapacityTally(async (current) => {
      await reads.documents.send(new GetCommand({ TableName: 't', Key: { PK: 'a', SK: 'b' } }));
      await reads.documents.send(new GetCommand({ TableName: 't', Key: { PK: 'a', SK: 'c' } }));
      await writes.documents.send(new PutCommand({ TableName: 't', Item: { PK: 'a', SK: 'b' } }));
      return current;
    });
    expect(reads.sent.every((input) => input.ReturnConsumedCapacity === 'TOTAL')).toBe(true);
    // (slowCalls is not asserted here: whether a call is slow depends on the machine's load)
    expect(tally).toMatchObject({ read: 1, write: 2, calls: 3 });
  });

  it('keeps concurrent requests apart (the local server runs many in one process)', async () => {
    const reads = clientAnswering({ ConsumedCapacity: { CapacityUnits: 0.5 } }, 5);
    const [one, two] = await Promise.all([1, 3].map((count) => withCapacityTally(async (tally) => {
      for (let index = 0; index < count; index += 1) await reads.documents.send(new GetCommand({ TableName: 't', Key: { PK: 'a', SK: 'b' } }));
      return tally;
    })));
    expect(one!.read).toBe(0.5);
    expect(two!.read).toBe(1.5);
  });

  it('logs a call slower than the threshold once, with operation, items, capacity and duration', async () => {
    const warn = vi.spyOn(logger, 'warn');
    const slow = clientAnswering({ Count: 3, Items: [], ConsumedCapacity: { CapacityUnits: 1.5 } }, config.dynamodbSlowMs + 20);
    const tally = await withCapacityTally(async (current) => {
      await slow.documents.send(new QueryCommand({ TableName: 't', IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': 'x' } }));
      return current;
    });
    expect(tally.slowCalls).toBe(1);
    const [message, fields] = warn.mock.calls.at(-1) as [string, Record<string, unknown>];
    expect(message).toBe('slow dynamodb call');
    expect(fields).toMatchObject({ operation: 'Query', index: 'GSI1', items: 3, consumedCapacity: 1.5 });
    expect(fields.durationMs).toBeGreaterThanOrEqual(config.dynamodbSlowMs);
    warn.mockRestore();
  });
});
