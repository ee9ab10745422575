// Issue 8: what the item and inventory routes cost. Starts the real local runtime (in memory),
// seeds a workspace over HTTP (items in a category, some with a brand and a barcode, inventory
// rows at two locations), then:
// - reads each route's consumed capacity from the local-only `x-consumed-capacity` header and
//   compares the reads with their access pattern's floor made directly against the same DynamoDB
//   Local (the authorizer's BatchGetItem of user, workspace and membership plus the pattern's own
//   GetItem or Query), and reports what each write costs (a quantity change with the item's total,
//   a move with its movement, a split);
// - times GET /items/{id} against a raw BatchGetItem of its four keys: through the runtime's
//   process (as a client sees it locally), and in a fresh process (items-latency-worker.ts) where
//   the raw read, the handler called directly and the handler behind the local API server are
//   interleaved, which says where the added time goes.
import { BatchGetCommand, GetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { runScript } from '../../integration/runtime-process.js';
import { callJson, capacityUnits, getAgainstRawBatchGet, untilQuiet, withSeededRuntime } from '../seeded-runtime.js';
import { record, table } from '../report.js';
import type { LatencySummary } from '../stats.js';
import type { BenchContext } from './types.js';

const seededItems = 60;

export async function run({ log }: BenchContext) {
  await withSeededRuntime(async (seeded) => {
    const { runtime, documents, email, password, user, token, workspaceId, base, accessKeys } = seeded;
    const { state } = runtime;
    const category = (await callJson('POST', `${base}/categories`, token, { name: 'Tools' })).json;
    const [garage, attic] = [(await callJson('POST', `${base}/locations`, token, { name: 'Garage' })).json, (await callJson('POST', `${base}/locations`, token, { name: 'Attic' })).json];
    const items: { id: string }[] = [];
    for (let index = 0; index < seededItems; index += 1) {
      items.push((await callJson('POST', `${base}/items`, token, {
        name: `Thing ${String(index).padStart(3, '0')}`, category_id: category.id, ...(index % 3 === 0 ? { brand: 'Makita', barcode: '0088381645232' } : {}),
      })).json);
    }
    const item = items[0]!;
    const row = (await callJson('POST', `${base}/inventory`, token, { item_id: item.id, location_id: garage.id, quantity: 50 })).json;
    log(`seeded a workspace with ${seededItems} items in one category (every third with a brand and a shared barcode) and an inventory row`);

    // The floors, made directly: authorisation (3 keys) + the pattern's own read.
    const authorise = capacityUnits((await documents.send(new BatchGetCommand({ RequestItems: { [state.tableName]: { Keys: accessKeys } }, ReturnConsumedCapacity: 'TOTAL' }))).ConsumedCapacity);
    const getFloor = authorise + capacityUnits((await documents.send(new GetCommand({ TableName: state.tableName, Key: { PK: `WS#${workspaceId}`, SK: `ITEM#${item.id}` }, ReturnConsumedCapacity: 'TOTAL' }))).ConsumedCapacity);
    const queryFloor = async (input: Omit<QueryCommandInput, 'TableName'>) =>
      authorise + capacityUnits((await documents.send(new QueryCommand({ ...input, TableName: state.tableName, ReturnConsumedCapacity: 'TOTAL' }))).ConsumedCapacity);
    const byName = (partition: string, limit: number, index = 'GSI1') => queryFloor({
      IndexName: index, KeyConditionExpression: `${index}PK = :pk AND begins_with(${index}SK, :active)`, ExpressionAttributeValues: { ':pk': partition, ':active': '0#' }, Limit: limit,
    });
    // The baseline for search is what the basic search of the items issue read: the whole collection by
    // name, 100 at a time. The index (search issue) reads the words' postings and the page's entities
    // instead, so in this small seeded workspace it reads a little more than that (see the search
    // section for its cost at 1,000 and 20,000 items, where reading the collection is out of the question).
    let searchFloor = authorise;
    for (let start: Record<string, unknown> | undefined, first = true; first || start; first = false) {
      const page = await documents.send(new QueryCommand({
        TableName: state.tableName, IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :active)',
        ExpressionAttributeValues: { ':pk': `WS#${workspaceId}#ITEM`, ':active': '0#' }, Limit: 100, ExclusiveStartKey: start, ReturnConsumedCapacity: 'TOTAL',
      }));
      searchFloor += capacityUnits(page.ConsumedCapacity);
      start = page.LastEvaluatedKey;
    }

    const rows: string[][] = [];
    const capacity = async (name: string, label: string, method: string, path: string, floor: number | undefined, body?: unknown) => {
      const answer = await callJson(method, `${base}${path}`, token, body);
      const read = record(`capacity.items.${name}.read`, answer.read, 'RCU', floor ?? null);
      const write = record(`capacity.items.${name}.write`, answer.write, 'WCU');
      rows.push([label, String(read.value), floor === undefined ? '-' : String(floor), read.ratio === null ? '-' : `${read.ratio.toFixed(2)}×`, String(write.value)]);
      return answer;
    };
    await capacity('get', 'GET /items/{id}', 'GET', `/items/${item.id}`, getFloor);
    await capacity('list-50', 'GET /items?limit=50', 'GET', '/items?limit=50', await byName(`WS#${workspaceId}#ITEM`, 50));
    await capacity('by-category-50', 'GET /items/by-category/{id}?limit=50', 'GET', `/items/by-category/${category.id}?limit=50`,
      getFloor - authorise + await byName(`WS#${workspaceId}#ITEM#IN#${category.id}`, 50, 'GSI2'));
    await capacity('by-barcode', 'GET /items/by-barcode/{barcode}', 'GET', '/items/by-barcode/0088381645232', await byName(`WS#${workspaceId}#ITEM#BARCODE#0088381645232`, 50, 'GSI4'));
    await capacity('search', `GET /items/search?q=makita (${seededItems} items)`, 'GET', '/items/search?q=makita&limit=20', searchFloor);
    await capacity('create', 'POST /items (SKU and short code guards)', 'POST', '/items', undefined, { name: 'Created in bench', category_id: category.id });
    await capacity('inventory-get', 'GET /inventory/{id}', 'GET', `/inventory/${row.id}`, undefined);
    await capacity('total-quantity', 'GET /inventory/total-quantity/{item}', 'GET', `/inventory/total-quantity/${item.id}`, getFloor);
    await capacity('quantity', 'PATCH /inventory/{id}/quantity (+ item total)', 'PATCH', `/inventory/${row.id}/quantity`, undefined, { quantity: 40 });
    await capacity('move', 'POST /inventory/{id}/move (whole row, + movement)', 'POST', `/inventory/${row.id}/move`, undefined, { location_id: attic.id });
    await capacity('split', 'POST /inventory/{id}/move (split, + new row, movement)', 'POST', `/inventory/${row.id}/move`, undefined, { location_id: garage.id, quantity: 5 });
    log(table(['route', '>RCU', '>floor RCU', '>ratio', '>WCU'], rows));
    log('floor = the authorizer\'s BatchGetItem of 3 keys + the pattern\'s own GetItem or Query (same limit; search: every page of the collection, as the basic search read it before the index), made directly; by-category also reads its category (404 when missing). RCU/WCU as DynamoDB Local reports them; a transaction\'s items count twice.');

    // Latency through the runtime's process, as a client on this machine sees it, once the change
    // feed has digested the seeding.
    await untilQuiet(seeded, log);
    const { route: routeP, raw: rawP } = await getAgainstRawBatchGet(seeded, `/items/${item.id}`, { PK: `WS#${workspaceId}`, SK: `ITEM#${item.id}` });
    const p50 = record('items.get.runtime.p50', routeP.p50, 'ms', rawP.p50);
    record('items.get.runtime.p90', routeP.p90, 'ms', rawP.p90);
    log(`GET /items/{id} through the runtime's process: p50 ${routeP.p50.toFixed(2)} ms vs raw BatchGetItem of its 4 keys ${rawP.p50.toFixed(2)} ms: ${p50.ratio!.toFixed(2)}×`);

    // Where the time goes: a fresh process with the raw read, the handler alone and the handler behind HTTP.
    const worker = await runScript('test/bench/items-latency-worker.ts', [], {
      BENCH_INPUT: JSON.stringify({ dynamodb: state.dynamodb, tableName: state.tableName, email, password, userId: user.id, workspaceId, itemId: item.id }),
    }, 300_000);
    const line = worker.output.split('\n').find((text) => text.startsWith('{"raw"'));
    if (worker.code !== 0 || !line) throw new Error(`items-latency-worker failed (${worker.code}):\n${worker.output.slice(-2000)}`);
    const { cpu, ...measured } = JSON.parse(line) as Record<'raw' | 'handler' | 'http' | 'rawCounted' | 'bare' | 'nodeClient', LatencySummary> & { cpu: Record<'raw' | 'handler' | 'http' | 'rawCounted', number> };
    const handlerP50 = record('items.get.handler.p50', measured.handler.p50, 'ms', measured.raw.p50);
    const httpP50 = record('items.get.p50', measured.http.p50, 'ms', measured.raw.p50, { budget: 1.3 });
    record('items.get.p90', measured.http.p90, 'ms', measured.raw.p90);
    record('items.get.product-client.p50', measured.rawCounted.p50, 'ms', measured.raw.p50);
    const bareP50 = record('items.get.bare-http.p50', measured.bare.p50, 'ms', measured.raw.p50);
    const nodeClientP50 = record('items.get.node-client.p50', measured.nodeClient.p50, 'ms', measured.raw.p50);
    log(table(['in one process', '>p50 ms', '>p90 ms', '>p50 vs raw'], [
      ['raw BatchGetItem of the 4 keys', measured.raw.p50.toFixed(3), measured.raw.p90.toFixed(3), '1.00×'],
      ['the same through the product\'s document client', measured.rawCounted.p50.toFixed(3), measured.rawCounted.p90.toFixed(3), `${(measured.rawCounted.p50 / measured.raw.p50).toFixed(2)}×`],
      ['getItem handler, called directly', measured.handler.p50.toFixed(3), measured.handler.p90.toFixed(3), `${handlerP50.ratio!.toFixed(2)}×`],
      ['the handler behind a bare Node HTTP server', measured.bare.p50.toFixed(3), measured.bare.p90.toFixed(3), `${bareP50.ratio!.toFixed(2)}×`],
      ['GET /items/{id} through the local API server', measured.http.p50.toFixed(3), measured.http.p90.toFixed(3), `${httpP50.ratio!.toFixed(2)}×`],
      ['the same asked with node:http\'s client', measured.nodeClient.p50.toFixed(3), measured.nodeClient.p90.toFixed(3), `${nodeClientP50.ratio!.toFixed(2)}×`],
    ]));
    log(`CPU of this process per call (µs): raw ${cpu.raw.toFixed(0)}, product client ${cpu.rawCounted.toFixed(0)}, handler ${cpu.handler.toFixed(0)}, through the local API server ${cpu.http.toFixed(0)} (client and server)`);
    log(`added by the handler (JWT, validation, answer, ETag, logs, metrics): ${(measured.handler.p50 - measured.raw.p50).toFixed(3)} ms; by a bare Node HTTP server and the hop to it: ${(measured.bare.p50 - measured.handler.p50).toFixed(3)} ms; by the local API server beyond a bare one (gateway rules, routing, the event): ${(measured.http.p50 - measured.bare.p50).toFixed(3)} ms; node:http's client would add ${(measured.nodeClient.p50 - measured.http.p50).toFixed(3)} ms more (the bench's client is a load generator's, loop.ts); the rest of the runtime-process figure is the hop between processes`);
  });
}
