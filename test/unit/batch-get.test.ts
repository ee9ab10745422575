// batchGet and readItem through the product's base client, whose middleware is resolved once per
// command class (cacheMiddleware, shared/aws/dynamodb.ts): every call must still put its own keys
// on the wire; batchGet asks again for keys DynamoDB leaves unprocessed and reads more than 100 keys
// in pages of 100; readItem sends its projection and answers plain values; query sends its values
// and start key in attribute-value form and answers plain values.
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamodb } from '../../shared/aws/dynamodb.js';
import { batchGet, getRecord, query, readItem, tableName } from '../../shared/db/table.js';

type WireKey = { PK: { S: string }; SK: { S: string } };
const asked: WireKey[][] = [];
/** Query requests as they came */
const queries: Record<string, any>[] = [];
/** GetItem requests as they came: key and projection */
const gets: { key: WireKey; projection?: string; names?: Record<string, string>; consistent?: boolean }[] = [];
/** What the fake DynamoDB leaves unprocessed on the next call (then answers everything). */
let leaveUnprocessed = 0;

beforeAll(() => {
  // the SDK signs before the handler sees the request: any credentials will do
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
  // Replaced before the first call: the cached middleware captures the handler when it resolves.
  Object.assign(dynamodb.config, {
    requestHandler: {
      handle: async (request: { body?: string | Uint8Array }) => {
        const body = JSON.parse(request.body instanceof Uint8Array ? new TextDecoder().decode(request.body) : (request.body ?? '{}'));
        const answerWith = (answer: unknown) => ({ response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Readable.from([JSON.stringify(answer)]) } });
        if (body.KeyConditionExpression) {
          queries.push(body);
          const pk = body.ExpressionAttributeValues[':pk'].S as string;
          return answerWith({ Items: [{ PK: { S: pk }, SK: { S: 'A' }, quantity: { N: '4' } }], Count: 1, LastEvaluatedKey: { PK: { S: pk }, SK: { S: 'A' } } });
        }
        if (body.Key) {
          gets.push({ key: body.Key, projection: body.ProjectionExpression, names: body.ExpressionAttributeNames, consistent: body.ConsistentRead });
          const key = body.Key as WireKey;
          return answerWith(key.SK.S.startsWith('GONE') ? {} : { Item: { ...key, name: { S: `name of ${key.SK.S}` }, labels: { SS: ['a', 'b'] }, version: { N: '3' } } });
        }
        const keys = body.RequestItems[tableName].Keys as WireKey[];
        asked.push(keys);
        const unprocessed = keys.slice(0, leaveUnprocessed);
        leaveUnprocessed = 0;
        const answered = keys.slice(unprocessed.length).map((key) => ({ ...key, name: { S: `name of ${key.SK.S}` }, version: { N: '2' } }));
        const answer = { Responses: { [tableName]: answered }, UnprocessedKeys: unprocessed.length ? { [tableName]: { Keys: unprocessed } } : {} };
        return answerWith(answer);
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
    },
  });
});

const keyList = (count: number, prefix: string) => Array.from({ length: count }, (_, index) => ({ PK: 'WS#w', SK: `${prefix}#${index}` }));

describe('batchGet', () => {
  it('sends each call\'s own keys, not the first call\'s (the middleware is resolved once, the input is not)', async () => {
    asked.length = 0;
    const first = await batchGet<{ SK: string; name: string; version: number }>(keyList(2, 'ITEM'));
    const second = await batchGet<{ SK: string }>(keyList(3, 'LOCATION'));
    expect(asked.map((keys) => keys.map((key) => key.SK.S))).toEqual([['ITEM#0', 'ITEM#1'], ['LOCATION#0', 'LOCATION#1', 'LOCATION#2']]);
    expect(first).toEqual([
      { PK: 'WS#w', SK: 'ITEM#0', name: 'name of ITEM#0', version: 2 },
      { PK: 'WS#w', SK: 'ITEM#1', name: 'name of ITEM#1', version: 2 },
    ]);
    expect(second.map((record) => record.SK)).toEqual(['LOCATION#0', 'LOCATION#1', 'LOCATION#2']);
  });

  it('asks again for exactly the keys DynamoDB left unprocessed', async () => {
    asked.length = 0;
    leaveUnprocessed = 2;
    const found = await batchGet<{ SK: string }>(keyList(4, 'ITEM'));
    expect(asked.map((keys) => keys.length)).toEqual([4, 2]);
    expect(asked[1]!.map((key) => key.SK.S)).toEqual(['ITEM#0', 'ITEM#1']);
    expect(found.map((record) => record.SK).sort()).toEqual(['ITEM#0', 'ITEM#1', 'ITEM#2', 'ITEM#3']);
  });

  it('reads more than 100 keys in pages of 100', async () => {
    asked.length = 0;
    const found = await batchGet(keyList(150, 'ITEM'));
    expect(asked.map((keys) => keys.length)).toEqual([100, 50]);
    expect(found).toHaveLength(150);
  });
});

describe('readItem and getRecord', () => {
  it('send each call\'s own key, projection and consistency, and answer plain values', async () => {
    gets.length = 0;
    const first = await readItem({ PK: 'WS#w', SK: 'ITEM#1' });
    const second = await readItem({ PK: 'WS#w', SK: 'WS' }, { attributes: ['status'], consistent: true });
    expect(gets).toEqual([
      { key: { PK: { S: 'WS#w' }, SK: { S: 'ITEM#1' } }, consistent: false },
      { key: { PK: { S: 'WS#w' }, SK: { S: 'WS' } }, projection: '#p0', names: { '#p0': 'status' }, consistent: true },
    ]);
    expect(first).toEqual({ PK: 'WS#w', SK: 'ITEM#1', name: 'name of ITEM#1', labels: new Set(['a', 'b']), version: 3 });
    expect(second?.SK).toBe('WS');
  });

  it('answer undefined for a key with no item; getRecord drops the key attributes', async () => {
    expect(await readItem({ PK: 'WS#w', SK: 'GONE#1' })).toBeUndefined();
    expect(await getRecord({ PK: 'WS#w', SK: 'GONE#2' })).toBeUndefined();
    expect(await getRecord({ PK: 'USER#u', SK: 'USER' })).toEqual({ name: 'name of USER', labels: new Set(['a', 'b']), version: 3 });
  });
});

describe('query', () => {
  it('sends each call\'s own values and start key as attribute values, and answers plain items, last key and count', async () => {
    queries.length = 0;
    const first = await query({ KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': 'WS#one' } });
    const second = await query({ IndexName: 'GSI1', KeyConditionExpression: 'PK = :pk AND SK > :after', ExpressionAttributeValues: { ':pk': 'WS#two', ':after': 5 }, ExclusiveStartKey: { PK: 'WS#two', SK: 'A' }, Limit: 7 });
    expect(queries).toEqual([
      // ReturnConsumedCapacity: the capacity accounting (shared/observability/capacity.ts) still applies
      { TableName: tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': { S: 'WS#one' } }, ReturnConsumedCapacity: 'TOTAL' },
      {
        TableName: tableName, ReturnConsumedCapacity: 'TOTAL', IndexName: 'GSI1', KeyConditionExpression: 'PK = :pk AND SK > :after', Limit: 7,
        ExpressionAttributeValues: { ':pk': { S: 'WS#two' }, ':after': { N: '5' } }, ExclusiveStartKey: { PK: { S: 'WS#two' }, SK: { S: 'A' } },
      },
    ]);
    expect(first).toEqual({ Items: [{ PK: 'WS#one', SK: 'A', quantity: 4 }], Count: 1, LastEvaluatedKey: { PK: 'WS#one', SK: 'A' } });
    expect(second.Items[0]!.PK).toBe('WS#two');
  });
});
