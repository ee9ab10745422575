// Issue 7: what the catalog routes cost, and what the change feed writes per change. Starts the real
// local runtime (in memory), seeds a workspace over HTTP, then:
// - reads each route's consumed capacity from the local-only `x-consumed-capacity` header (the same
//   sums the route emits as EMF metrics in AWS) and compares it with its access pattern's floor,
//   made directly against the same DynamoDB Local: the authorizer's BatchGetItem of user, workspace
//   and membership plus the one GetItem or Query the pattern needs;
// - times GET /categories/{id} against a raw BatchGetItem of the four keys it reads;
// - runs each projector of the change feed on a create, an update and a delete record in this
//   a fresh process (the same table) and tallies the write capacity each one consumed.
import { BatchGetCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { runScript, type RuntimeProcess } from '../../integration/runtime-process.js';
import { callJson, capacityUnits, getAgainstRawBatchGet, untilQuiet, withSeededRuntime } from '../seeded-runtime.js';
import { record, table } from '../report.js';
import type { BenchContext } from './types.js';

const seededCategories = 60;

export async function run({ log }: BenchContext) {
  await withSeededRuntime(async (seeded) => {
    const { runtime, documents, token, workspaceId, base, accessKeys } = seeded;
    const { state } = runtime;
    for (let index = 0; index < seededCategories; index += 1) await callJson('POST', `${base}/categories`, token, { name: `Category ${String(index).padStart(3, '0')}` });
    const location = (await callJson('POST', `${base}/locations`, token, { name: 'Garage' })).json;
    const category = (await callJson('POST', `${base}/categories`, token, { name: 'Bench category', description: 'measured' })).json;
    log(`seeded a workspace with ${seededCategories + 1} categories and a location`);

    // The access patterns' floors, made directly: authorisation (3 keys) + the pattern's own read.
    const authorise = capacityUnits((await documents.send(new BatchGetCommand({ RequestItems: { [state.tableName]: { Keys: accessKeys } }, ReturnConsumedCapacity: 'TOTAL' }))).ConsumedCapacity);
    const getFloor = authorise + capacityUnits((await documents.send(new GetCommand({ TableName: state.tableName, Key: { PK: `WS#${workspaceId}`, SK: `CATEGORY#${category.id}` }, ReturnConsumedCapacity: 'TOTAL' }))).ConsumedCapacity);
    const listFloor = (limit: number) => documents.send(new QueryCommand({
      TableName: state.tableName, IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :active)',
      ExpressionAttributeValues: { ':pk': `WS#${workspaceId}#CATEGORY`, ':active': '0#' }, Limit: limit, ReturnConsumedCapacity: 'TOTAL',
    })).then((result) => authorise + capacityUnits(result.ConsumedCapacity));

    const rows: string[][] = [];
    const capacity = async (name: string, method: string, path: string, floor: number | undefined, body?: unknown) => {
      const answer = await callJson(method, `${base}${path}`, token, body);
      const read = record(`capacity.catalog.${name}.read`, answer.read, 'RCU', floor ?? null);
      const write = record(`capacity.catalog.${name}.write`, answer.write, 'WCU');
      rows.push([`${method} ${path.replace(category.id, '{id}').replace(location.id, '{id}')}`, String(read.value), floor === undefined ? '-' : String(floor), read.ratio === null ? '-' : `${read.ratio.toFixed(2)}×`, String(write.value)]);
      return answer;
    };
    await capacity('get', 'GET', `/categories/${category.id}`, getFloor);
    await capacity('list-50', 'GET', '/categories?limit=50', await listFloor(50));
    await capacity('list-10', 'GET', '/categories?limit=10', await listFloor(10));
    await capacity('create', 'POST', '/categories', undefined, { name: 'Created in bench' });
    await capacity('create-container', 'POST', '/containers', undefined, { name: 'Crate', location_id: location.id });
    await capacity('update', 'PATCH', `/categories/${category.id}`, undefined, { description: 'changed' });
    await capacity('archive', 'POST', `/categories/${category.id}/archive`, undefined);
    const doomed = (await callJson('POST', `${base}/labels`, token, { name: 'Doomed' })).json;
    await capacity('delete', 'DELETE', `/labels/${doomed.id}`, undefined);
    log(table(['route', '>RCU', '>floor RCU', '>ratio', '>WCU'], rows));
    log('floor = the authorizer\'s BatchGetItem of 3 keys + the pattern\'s own GetItem or Query (same limit), made directly; RCU/WCU as DynamoDB Local reports them');

    // Latency of a catalog get against the raw reads it needs, once the change feed is at rest.
    await untilQuiet(seeded, log);
    const { route: routeP, raw: rawP } = await getAgainstRawBatchGet(seeded, `/categories/${category.id}`, { PK: `WS#${workspaceId}`, SK: `CATEGORY#${category.id}` });
    const p50 = record('catalog.get.p50', routeP.p50, 'ms', rawP.p50);
    record('catalog.get.p90', routeP.p90, 'ms', rawP.p90);
    log(`GET /categories/{id} p50 ${routeP.p50.toFixed(2)} ms vs raw BatchGetItem of its 4 keys ${rawP.p50.toFixed(2)} ms: ${p50.ratio!.toFixed(2)}×`);

    await projectorCosts(state, workspaceId, log);
  });
}

/**
 * Each projector's write capacity on a create, an update and a delete of one entity, projected in a
 * fresh process (projector-costs-worker.ts): the product's modules read their configuration when
 * first imported, and an earlier section of this run may have imported them with another table.
 */
async function projectorCosts(state: RuntimeProcess['state'], workspaceId: string, log: BenchContext['log']) {
  const worker = await runScript('test/bench/projector-costs-worker.ts', [], {
    BENCH_INPUT: JSON.stringify({ dynamodb: state.dynamodb, tableName: state.tableName, workspaceId }),
  }, 120_000);
  const line = worker.output.split('\n').find((text) => text.startsWith('{"costs"'));
  if (worker.code !== 0 || !line) throw new Error(`projector-costs-worker failed (${worker.code}):\n${worker.output.slice(-2000)}`);
  const { costs } = JSON.parse(line) as { costs: { change: string; projector: string; write: number; read: number }[] };
  const rows: string[][] = [];
  for (const change of [...new Set(costs.map((cost) => cost.change))]) {
    let total = 0;
    for (const cost of costs.filter((entry) => entry.change === change)) {
      total += cost.write;
      record(`change-feed.${change}.${cost.projector}.write`, cost.write, 'WCU');
      rows.push([change, cost.projector, String(cost.write), String(cost.read)]);
    }
    record(`change-feed.${change}.write`, total, 'WCU');
  }
  log();
  log(table(['change', 'projector', '>WCU', '>RCU'], rows));
  log('write capacity of each projector of the change feed per stream record (DynamoDB Local\'s report; transactions count 2 per item)');
}
