// batchGet through the product's base client, whose middleware is resolved once per command class
// (cacheMiddleware, shared/aws/dynamodb.ts): every call must still put its own keys on the wire,
// keys DynamoDB leaves unprocessed are asked again, and more than 100 keys go in pages of 100.
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamodb } from '../../shared/aws/dynamodb.js';
import { batchGet, tableName } from '../../shared/db/table.js';

type WireKey = { PK: { S: string }; SK: { S: string } };
const asked: WireKey[][] = [];
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
        const keys = body.RequestItems[tableName].Keys as WireKey[];
        asked.push(keys);
        const unprocessed = keys.slice(0, leaveUnprocessed);
        leaveUnprocessed = 0;
        const answered = keys.slice(unprocessed.length).map((key) => ({ ...key, name: { S: `name of ${key.SK.S}` }, version: { N: '2' } }));
        const answer = { Responses: { [tableName]: answered }, UnprocessedKeys: unprocessed.length ? { [tableName]: { Keys: unprocessed } } : {} };
        return { response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Readable.from([JSON.stringify(answer)]) } };
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
