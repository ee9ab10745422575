// The catalog engine's storage: one item per entity in its workspace's partition, indexed by name
// (GSI1) and under what it links to (GSI2); guard items for unique values; counters on link
// targets; a tombstone per delete. Every write that could break an invariant carries it as a
// condition of one transaction; the service reads the reasons of a cancelled one.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documents } from '../../aws/dynamodb.js';
import { idOfNameSortKey, keys, ttlAt, withoutKeys } from '../../db/keys.js';
import type { KeyList } from '../../db/cursor.js';
import { queryPage, tableName, type Page, type TransactItem } from '../../db/table.js';
import { foldName, normalisedUnique, type CatalogRecord, type EntityDefinition, type LinkRule } from './model.js';

/** Tombstones are kept this long (sync clients that stayed away longer resynchronise). */
export const tombstoneDays = 90;

/** The value of a link field (undefined when unset). */
export const linkOf = (record: Record<string, unknown>, link: LinkRule) => record[link.field] as string | undefined;

/** The stored item of an entity: the record, its keys and index attributes. */
export function entityItem(definition: EntityDefinition, record: CatalogRecord): Record<string, unknown> {
  const sortName = foldName(record.name);
  const parent = definition.links?.[0];
  return {
    ...keys.entity(record.workspace_id, definition.type, record.id),
    ...keys.collectionIndex(record.workspace_id, definition.type, record.is_archived, sortName, record.id),
    ...(parent ? keys.parentIndex(record.workspace_id, definition.type, linkOf(record, parent), record.is_archived, sortName, record.id) : {}),
    entity: definition.type,
    ...record,
  };
}

/** The index attributes that follow the name, the archived flag and the first link. */
export function indexAttributes(definition: EntityDefinition, record: CatalogRecord): Record<string, string> {
  const { PK: _pk, SK: _sk, entity: _entity, ...rest } = entityItem(definition, record);
  return Object.fromEntries(Object.entries(rest).filter(([name]) => /^GSI\dPK$|^GSI\dSK$/.test(name))) as Record<string, string>;
}

export async function getEntity(definition: Pick<EntityDefinition, 'type'>, workspaceId: string, id: string, consistent = false): Promise<CatalogRecord | undefined> {
  const result = await documents.send(new GetCommand({ TableName: tableName, Key: keys.entity(workspaceId, definition.type, id), ConsistentRead: consistent }));
  return result.Item?.entity === definition.type ? (withoutKeys(result.Item) as CatalogRecord) : undefined;
}


export interface ListOptions {
  includeArchived: boolean;
  limit: number;
  cursor?: string;
}

/** The collection by name (GSI1): active ones, or all with the archived ones after them. */
export function listEntities(definition: Pick<EntityDefinition, 'type'>, workspaceId: string, options: ListOptions): Promise<Page<CatalogRecord>> {
  const partition = keys.collectionIndex(workspaceId, definition.type, false, '', '').GSI1PK;
  return listByName(definition.type, workspaceId, 'GSI1', partition, options);
}

/** What links to `parentId` through the definition's first link (GSI2); `undefined` lists the roots of a tree. */
export function listLinked(definition: Pick<EntityDefinition, 'type'>, workspaceId: string, parentId: string | undefined, options: ListOptions): Promise<Page<CatalogRecord>> {
  const partition = keys.parentIndex(workspaceId, definition.type, parentId, false, '', '').GSI2PK;
  return listByName(definition.type, workspaceId, 'GSI2', partition, options);
}

/** One page of an index partition sorted `0#<name>#<id>` (active) then `1#…` (archived). */
function listByName(type: string, workspaceId: string, index: 'GSI1' | 'GSI2', partition: string, options: ListOptions): Promise<Page<CatalogRecord>> {
  const [pk, sk] = [`${index}PK`, `${index}SK`];
  const list: KeyList = {
    list: `${type}.${index}.${options.includeArchived ? 'all' : 'active'}`, index, partition,
    ...(options.includeArchived ? {} : { sortPrefix: '0#' }),
    tableKeyFits: (position) => position.PK === `WS#${workspaceId}` && position.SK === `${type}#${idOfNameSortKey(position[sk])}`,
  };
  return queryPage<CatalogRecord>({
    KeyConditionExpression: options.includeArchived ? `${pk} = :pk` : `${pk} = :pk AND begins_with(${sk}, :active)`,
    ExpressionAttributeValues: { ':pk': partition, ...(options.includeArchived ? {} : { ':active': '0#' }) },
  }, { limit: options.limit, cursor: options.cursor, list }).then(stripKeys);
}

function stripKeys(page: Page<CatalogRecord>): Page<CatalogRecord> {
  return { ...page, items: page.items.map((item) => withoutKeys(item) as CatalogRecord) };
}

// ---- transaction items

/** A guard item holding a unique value for one entity. */
export function guardItem(workspaceId: string, kind: string, value: string, type: string, id: string) {
  return { ...keys.uniqueGuard(workspaceId, kind, value), entity: 'UNIQUE', entity_type: type, entity_id: id };
}

export const guardPut = (workspaceId: string, kind: string, value: string, type: string, id: string): TransactItem => ({
  Put: { TableName: tableName, Item: guardItem(workspaceId, kind, value, type, id), ConditionExpression: 'attribute_not_exists(PK)' },
});

export const guardDelete = (workspaceId: string, kind: string, value: string, id: string): TransactItem => ({
  Delete: { TableName: tableName, Key: keys.uniqueGuard(workspaceId, kind, value), ConditionExpression: 'entity_id = :id', ExpressionAttributeValues: { ':id': id } },
});

/** The guards an entity's record holds: one per unique rule with a value. */
export function guardsOf(definition: EntityDefinition, record: Record<string, unknown>): { field: string; kind: string; value: string }[] {
  return (definition.unique ?? []).flatMap((rule) => {
    const value = record[rule.field];
    return typeof value === 'string' && value !== '' ? [{ field: rule.field, kind: rule.kind, value: normalisedUnique(rule, value) }] : [];
  });
}

/**
 * What a transaction does to another entity it does not write itself: counter changes (links made
 * or unmade), a version it must still have (an ancestor checked for cycles), or just existence as
 * the given type. Several touches of one key merge into one item (DynamoDB allows one per key).
 */
export interface Touch {
  key: { PK: string; SK: string };
  type: string;
  adds?: Record<string, number>;
  versionIs?: number;
  /** counters that must be zero (a delete rule on the entity itself is expressed by the caller) */
}

export function mergeTouches(touches: Touch[]): Touch[] {
  const merged = new Map<string, Touch>();
  for (const touch of touches) {
    const id = `${touch.key.PK}|${touch.key.SK}`;
    const seen = merged.get(id);
    if (!seen) {
      merged.set(id, { ...touch, adds: { ...touch.adds } });
      continue;
    }
    for (const [counter, delta] of Object.entries(touch.adds ?? {})) seen.adds![counter] = (seen.adds![counter] ?? 0) + delta;
    if (touch.versionIs !== undefined) seen.versionIs = touch.versionIs;
  }
  return [...merged.values()];
}

/** One touch as a transaction item: an Update when counters move, a ConditionCheck otherwise. */
export function touchItem(touch: Touch): TransactItem {
  const names: Record<string, string> = { '#entity': 'entity' };
  const values: Record<string, unknown> = { ':type': touch.type };
  const conditions = ['attribute_exists(PK)', '#entity = :type'];
  if (touch.versionIs !== undefined) {
    names['#version'] = 'version';
    values[':seen'] = touch.versionIs;
    conditions.push('#version = :seen');
  }
  const adds = Object.entries(touch.adds ?? {}).filter(([, delta]) => delta !== 0);
  if (adds.length === 0) {
    return { ConditionCheck: { TableName: tableName, Key: touch.key, ConditionExpression: conditions.join(' AND '), ExpressionAttributeNames: names, ExpressionAttributeValues: values } };
  }
  adds.forEach(([counter, delta], index) => {
    names[`#c${index}`] = counter;
    values[`:d${index}`] = delta;
  });
  return {
    Update: {
      TableName: tableName, Key: touch.key,
      UpdateExpression: `ADD ${adds.map((_, index) => `#c${index} :d${index}`).join(', ')}`,
      ConditionExpression: conditions.join(' AND '), ExpressionAttributeNames: names, ExpressionAttributeValues: values,
    },
  };
}

/** The workspace must still be active when content is written to it (a deletion purges only what was there). */
export const workspaceActive = (workspaceId: string): TransactItem => ({
  ConditionCheck: {
    TableName: tableName, Key: keys.workspace(workspaceId), ConditionExpression: '#status = :active',
    ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':active': 'active' },
  },
});

export interface Tombstone {
  id: string;
  workspace_id: string;
  entity_type: string;
  entity_id: string;
  entity_name: string;
  deleted_at: string;
  deleted_by: string;
}

/** The tombstone of a hard delete, written by the delete's own transaction (it alone knows who deleted). */
export const tombstonePut = (tombstone: Tombstone): TransactItem => ({
  Put: {
    TableName: tableName,
    Item: {
      ...keys.tombstone(tombstone.workspace_id, tombstone.deleted_at, tombstone.entity_type, tombstone.entity_id),
      entity: 'TOMBSTONE', ttl: ttlAt(new Date(Date.parse(tombstone.deleted_at) + tombstoneDays * 86_400_000)), ...tombstone,
    },
  },
});
