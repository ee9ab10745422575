// The aggregates in the table (`WS#{ws}#STATS`, model.ts) and how they are moved. A stream record
// moves them once: a marker of the record (`WS#{ws}#STATS#APPLIED`/`{eventId}`) is put, on the
// condition that it is absent, in the same transaction as the ADDs, so a record delivered again
// finds its marker and moves nothing. ADD is commutative, so records of different shards may be
// applied in any order. Every aggregate also counts the updates it received (`changes`), which is
// how the recount tells an aggregate that moved while it was counting.
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documents } from '../../aws/dynamodb.js';
import * as keys from '../../db/keys.js';
import { ttlAt } from '../../db/keys.js';
import { cancellationReasons, isConditionFailure, queryAll, queryPage, readItem, sortKeyStartsWith, tableName, transactWrite, type Page, type TransactItem } from '../../db/table.js';
import type { Amounts, Labels } from './model.js';

/** Markers outlive the stream's 24-hour retention, so every redelivery finds its own. */
const markerDays = 3;

/** A stored aggregate: its key (`TOTALS`, `CAT#…`), its amounts and labels, and how many updates it took. */
export interface Aggregate {
  key: string;
  amounts: Record<string, number>;
  labels: Record<string, string>;
  changes: number;
}

/** The UpdateExpression that adds `amounts` and sets `labels` on one aggregate (and counts the update). */
function aggregateUpdate(workspaceId: string, key: string, amounts: Record<string, number> = {}, labels: Record<string, string> = {}, seen?: number): TransactItem {
  const names: Record<string, string> = { '#changes': 'changes' };
  const values: Record<string, unknown> = { ':one': 1 };
  const adds = ['#changes :one'];
  Object.entries(amounts).forEach(([name, amount], at) => {
    names[`#a${at}`] = name;
    values[`:a${at}`] = amount;
    adds.push(`#a${at} :a${at}`);
  });
  const sets = Object.entries(labels).map(([name, value], at) => {
    names[`#l${at}`] = name;
    values[`:l${at}`] = value;
    return `#l${at} = :l${at}`;
  });
  if (seen !== undefined) values[':seen'] = seen;
  return {
    Update: {
      TableName: tableName, Key: keys.analytics(workspaceId, key),
      UpdateExpression: `ADD ${adds.join(', ')}${sets.length ? ` SET ${sets.join(', ')}` : ''}`,
      ...(seen !== undefined ? { ConditionExpression: 'attribute_not_exists(#changes) OR #changes = :seen' } : {}),
      ExpressionAttributeNames: names, ExpressionAttributeValues: values,
    },
  };
}

/** Applies what one stream record moves, once; false when that record was applied before. */
export async function applyOnce(workspaceId: string, eventId: string, amounts: Amounts, labels: Labels): Promise<boolean> {
  const aggregates = [...new Set([...amounts.keys(), ...labels.keys()])];
  try {
    await transactWrite([
      {
        Put: {
          TableName: tableName, Item: { ...keys.analyticsApplied(workspaceId, eventId), ttl: ttlAt(new Date(Date.now() + markerDays * 86_400_000)) },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      ...aggregates.map((key) => aggregateUpdate(workspaceId, key, amounts.get(key), labels.get(key))),
    ]);
    return true;
  } catch (error) {
    if (cancellationReasons(error)?.[0] === 'ConditionalCheckFailed') return false;
    throw error;
  }
}

/**
 * Moves one aggregate by `amounts` (a recount's repair) if it took no update since the recount
 * saw `seen` updates; false when it did (it is left for the next recount).
 */
export async function repair(workspaceId: string, key: string, amounts: Record<string, number>, labels: Record<string, string>, seen: number): Promise<boolean> {
  const update = aggregateUpdate(workspaceId, key, amounts, labels, seen).Update!;
  try {
    await documents.send(new UpdateCommand(update as ConstructorParameters<typeof UpdateCommand>[0]));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

const reserved = new Set(['PK', 'SK', 'changes', 'GSI3PK', 'GSI3SK']);

function toAggregate(item: Record<string, unknown>): Aggregate {
  const amounts: Record<string, number> = {};
  const labels: Record<string, string> = {};
  for (const [name, value] of Object.entries(item)) {
    if (reserved.has(name)) continue;
    if (typeof value === 'number') amounts[name] = value;
    else if (typeof value === 'string') labels[name] = value;
  }
  return { key: String(item.SK), amounts, labels, changes: Number(item.changes ?? 0) };
}

/**
 * The aggregates whose key starts with `prefix` (all of them for ''), in key order: one Query of a
 * partition whose size follows the workspace's categories, locations, borrowers and months, never its items.
 */
export async function readAggregates(workspaceId: string, prefix = '', consistent = false): Promise<Aggregate[]> {
  const range = sortKeyStartsWith('SK', prefix);
  const items = await queryAll<Record<string, unknown>>({
    KeyConditionExpression: prefix ? `PK = :pk AND ${range.condition}` : 'PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.analyticsPartition(workspaceId), ...(prefix ? range.values : {}) },
    ConsistentRead: consistent,
  });
  return items.filter((item) => item.SK !== registryKey).map(toAggregate);
}

/** One aggregate by key (absent: every amount is zero). */
export async function readAggregate(workspaceId: string, key: string): Promise<Aggregate> {
  const item = await readItem(keys.analytics(workspaceId, key));
  return item ? toAggregate(item) : { key, amounts: {}, labels: {}, changes: 0 };
}

/** The months `from`–`to` (`YYYY-MM`, inclusive) that have loans. */
export async function readMonths(workspaceId: string, from: string, to: string): Promise<Aggregate[]> {
  const items = await queryAll<Record<string, unknown>>({
    KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': keys.analyticsPartition(workspaceId), ':from': `MONTH#${from}`, ':to': `MONTH#${to}` },
  });
  return items.map(toAggregate);
}

// ---- the registry of workspaces with analytics (the weekly recount walks it)

const registryKey = 'WORKSPACE';

/** Registers a new workspace for the weekly recount (a put of the same item: a replay changes nothing). */
export async function register(workspaceId: string): Promise<void> {
  await documents.send(new PutCommand({
    TableName: tableName,
    Item: { ...keys.analytics(workspaceId, registryKey), ...keys.analyticsWorkspaceIndex(workspaceId), workspace_id: workspaceId },
  }));
}

/** One page of the registered workspaces, in id order. */
export function registeredWorkspaces(limit: number, cursor?: string): Promise<Page<{ workspace_id: string }>> {
  return queryPage<{ workspace_id: string }>({
    KeyConditionExpression: 'GSI3PK = :pk', ExpressionAttributeValues: { ':pk': keys.analyticsWorkspaceIndex('').GSI3PK },
    ProjectionExpression: 'workspace_id',
  }, {
    limit, cursor,
    list: { list: 'analytics.workspaces', index: 'GSI3', partition: keys.analyticsWorkspaceIndex('').GSI3PK, tableKeyFits: (position) => position.SK === registryKey },
  });
}

/** Whether the workspace still takes content (a deleted one is being purged: its aggregates go with it). */
export async function workspaceIsActive(workspaceId: string): Promise<boolean> {
  const workspace = await readItem(keys.workspace(workspaceId), { attributes: ['status'] });
  return workspace?.status === 'active';
}

/** Where the scheduled recount stopped (undefined: at the start). */
export async function readRecountPlace(): Promise<string | undefined> {
  const place = await readItem(keys.analyticsRecountPlace(), { consistent: true });
  return typeof place?.cursor === 'string' ? place.cursor : undefined;
}

export async function saveRecountPlace(cursor: string | undefined): Promise<void> {
  await documents.send(new PutCommand({ TableName: tableName, Item: { ...keys.analyticsRecountPlace(), ...(cursor ? { cursor } : {}), saved_at: new Date().toISOString() } }));
}
