// The catalog engine's storage: one item per entity in its workspace's partition, indexed by name
// (GSI1), under what it links to (GSI2, GSI3) and by looked-up values (GSI4); guard items for
// unique values; counters and sums on link targets; a tombstone per delete. Every write that could break an invariant carries it as a
// condition of one transaction; the service reads the reasons of a cancelled one.
import * as keys from '../../db/keys.js';
import { idOfSortKey, nameSortKey, newestSortKey, ttlAt, withoutKeys } from '../../db/keys.js';
import type { KeyList } from '../../db/cursor.js';
import { queryAll, queryPage, readItem, sortKeyStartsWith, tableName, type Page, type TransactItem } from '../../db/table.js';
import { foldName, normalisedUnique, type CatalogRecord, type EntityDefinition, type LinkRule, type LookupRule } from './model.js';

/** Tombstones are kept this long (sync clients that stayed away longer resynchronise). */
export const tombstoneDays = 90;

/** The value of a link field (undefined when unset). */
export const linkOf = (record: Record<string, unknown>, link: LinkRule) => record[link.field] as string | undefined;

/** The index a link lists its entities in: its own, else GSI2 for the first link. */
export function linkIndex(definition: EntityDefinition, link: LinkRule): 'GSI2' | 'GSI3' | 'GSI4' | undefined {
  return link.index ?? (definition.links?.[0] === link ? 'GSI2' : undefined);
}

/**
 * The stored item of an entity: the record, its key, and its place in each index that lists it:
 * by name in its collection (GSI1), under each listed link's target, by each looked-up value.
 */
export function entityItem(definition: EntityDefinition, record: CatalogRecord): Record<string, unknown> {
  const ws = record.workspace_id;
  const byName = (archived: boolean) => nameSortKey(archived, foldName(record.name ?? ''), record.id);
  const indexes: Record<string, unknown>[] = [];
  if (definition.byName !== false) indexes.push(keys.entityIndex('GSI1', keys.collectionPartition(ws, definition.type), byName(record.is_archived)));
  for (const link of definition.links ?? []) {
    const index = linkIndex(definition, link);
    const target = linkOf(record, link);
    if (!index || (!target && !link.tree)) continue;
    const sortKey = link.order === 'newest' ? newestSortKey(record.is_archived, record.id) : byName(record.is_archived);
    indexes.push(keys.entityIndex(index, keys.linkPartition(ws, definition.type, target), sortKey));
  }
  for (const lookup of definition.lookups ?? []) {
    const value = record[lookup.field];
    if (typeof value === 'string' && value !== '') indexes.push(keys.entityIndex(lookup.index, keys.lookupPartition(ws, definition.type, lookup.field, value), byName(record.is_archived)));
  }
  return { ...keys.entity(ws, definition.type, record.id), ...Object.assign({}, ...indexes), ...definition.indexes?.(record), entity: definition.type, ...record };
}

/** The index attributes of a record (what `entityItem` adds besides its key). */
export function indexAttributes(definition: EntityDefinition, record: CatalogRecord): Record<string, string> {
  const { PK: _pk, SK: _sk, entity: _entity, ...rest } = entityItem(definition, record);
  return Object.fromEntries(Object.entries(rest).filter(([name]) => /^GSI\dPK$|^GSI\dSK$/.test(name))) as Record<string, string>;
}

export async function getEntity(definition: Pick<EntityDefinition, 'type'>, workspaceId: string, id: string, consistent = false): Promise<CatalogRecord | undefined> {
  const item = await readItem(keys.entity(workspaceId, definition.type, id), { consistent });
  return item?.entity === definition.type ? (withoutKeys(item) as CatalogRecord) : undefined;
}

export interface ListOptions {
  includeArchived: boolean;
  limit: number;
  cursor?: string;
  /** only entities with these values (a filter: what it drops is still read and paid for) */
  where?: Record<string, string | number | boolean>;
}

/** The collection by name (GSI1): active ones, or all with the archived ones after them. */
export function listEntities(definition: Pick<EntityDefinition, 'type'>, workspaceId: string, options: ListOptions): Promise<Page<CatalogRecord>> {
  return listIndex(definition.type, workspaceId, 'GSI1', keys.collectionPartition(workspaceId, definition.type), 'name', options);
}

/**
 * What links to `targetId` through `link` (a category's children, an item's inventory), in the
 * link's index and order; `undefined` lists the roots of a tree.
 */
export function listLinked(definition: EntityDefinition, link: LinkRule, workspaceId: string, targetId: string | undefined, options: ListOptions): Promise<Page<CatalogRecord>> {
  const index = linkIndex(definition, link);
  if (!index) throw new Error(`${definition.type}.${link.field} is not listed in an index`);
  return listIndex(definition.type, workspaceId, index, keys.linkPartition(workspaceId, definition.type, targetId), link.order ?? 'name', options);
}

/**
 * The ids of every entity linking to `targetId` (archived included), page by page: for walks that
 * need them all (a tree's levels), with no cursor to give out (cursor.ts stays out of their bundles).
 */
export async function linkedIds(definition: EntityDefinition, link: LinkRule, workspaceId: string, targetId: string): Promise<string[]> {
  const index = linkIndex(definition, link);
  if (!index) throw new Error(`${definition.type}.${link.field} is not listed in an index`);
  const found = await queryAll<{ id: string }>({
    IndexName: index, KeyConditionExpression: '#pk = :pk', ProjectionExpression: 'id',
    ExpressionAttributeNames: { '#pk': `${index}PK` }, ExpressionAttributeValues: { ':pk': keys.linkPartition(workspaceId, definition.type, targetId) },
  });
  return found.map((item) => item.id);
}

/** The entities with one value of a looked-up field (items with a barcode), by name. */
export function listByLookup(definition: EntityDefinition, lookup: LookupRule, workspaceId: string, value: string, options: ListOptions): Promise<Page<CatalogRecord>> {
  return listIndex(definition.type, workspaceId, lookup.index, keys.lookupPartition(workspaceId, definition.type, lookup.field, value), 'name', options);
}

/**
 * One page of an index partition: by name (`0#…` active, then `1#…` archived) or newest first
 * (read backwards: `1#…` active, then `0#…` archived).
 */
function listIndex(type: string, workspaceId: string, index: string, partition: string, order: 'name' | 'newest', options: ListOptions): Promise<Page<CatalogRecord>> {
  const [pk, sk] = [`${index}PK`, `${index}SK`];
  const active = order === 'name' ? '0#' : '1#';
  const list: KeyList = {
    list: `${type}.${index}.${options.includeArchived ? 'all' : 'active'}`, index: index as KeyList['index'], partition,
    ...(options.includeArchived ? {} : { sortPrefix: active }),
    tableKeyFits: (position) => position.PK === `WS#${workspaceId}` && position.SK === `${type}#${idOfSortKey(position[sk])}`,
  };
  const where = Object.entries(options.where ?? {});
  const filter = where.length ? {
    FilterExpression: where.map((_, position) => `#w${position} = :w${position}`).join(' AND '),
    ExpressionAttributeNames: Object.fromEntries(where.map(([field], position) => [`#w${position}`, field])),
  } : {};
  // the active half as a key range (table.ts: DynamoDB Local reads a whole partition for begins_with)
  const range = sortKeyStartsWith(sk, active);
  return queryPage<CatalogRecord>({
    KeyConditionExpression: options.includeArchived ? `${pk} = :pk` : `${pk} = :pk AND ${range.condition}`,
    ExpressionAttributeValues: {
      ':pk': partition, ...(options.includeArchived ? {} : range.values),
      ...Object.fromEntries(where.map(([, value], position) => [`:w${position}`, value])),
    },
    ScanIndexForward: order === 'name',
    ...filter,
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
  /** the link field of the entity written that this touch serves, and the target's id (to blame a failed condition on) */
  field?: string;
  target?: string;
  adds?: Record<string, number>;
  versionIs?: number;
  /** fields the target must hold with these values (a container at the inventory row's location) */
  agrees?: Record<string, unknown>;
  /** a target being left: if it went meanwhile, the write is retried (and the target skipped) */
  leaving?: boolean;
  /** counters the target must hold at most these values of before this touch (a row's `on_loan`) */
  atMost?: Record<string, number>;
  /** an update of the target's own in the same item (`SET …` / `REMOVE …` clauses, their names and values): an item's primary attachment */
  update?: { clauses: string; names: Record<string, string>; values: Record<string, unknown> };
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
    if (touch.agrees) seen.agrees = { ...seen.agrees, ...touch.agrees };
    if (touch.atMost) seen.atMost = { ...seen.atMost, ...touch.atMost };
    seen.update ??= touch.update;
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
  Object.entries(touch.agrees ?? {}).forEach(([field, value], index) => {
    names[`#a${index}`] = field;
    values[`:a${index}`] = value;
    conditions.push(`#a${index} = :a${index}`);
  });
  Object.entries(touch.atMost ?? {}).forEach(([field, value], index) => {
    names[`#m${index}`] = field;
    values[`:m${index}`] = value;
    conditions.push(`(attribute_not_exists(#m${index}) OR #m${index} <= :m${index})`);
  });
  const adds = Object.entries(touch.adds ?? {}).filter(([, delta]) => delta !== 0);
  const own = touch.update;
  if (adds.length === 0 && !own) {
    return { ConditionCheck: { TableName: tableName, Key: touch.key, ConditionExpression: conditions.join(' AND '), ExpressionAttributeNames: names, ExpressionAttributeValues: values } };
  }
  adds.forEach(([counter, delta], index) => {
    names[`#c${index}`] = counter;
    values[`:d${index}`] = delta;
  });
  const clauses = adds.length ? [`ADD ${adds.map((_, index) => `#c${index} :d${index}`).join(', ')}`] : [];
  if (own) {
    clauses.push(own.clauses);
    Object.assign(names, own.names);
    Object.assign(values, own.values);
  }
  return {
    Update: {
      TableName: tableName, Key: touch.key, UpdateExpression: clauses.join(' '),
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

/** That `id` was deleted (kept as long as its tombstone): creates with the client's id check it is absent. */
export const deletedIdPut = (tombstone: Tombstone): TransactItem => ({
  Put: {
    TableName: tableName,
    Item: { ...keys.deletedId(tombstone.workspace_id, tombstone.entity_type, tombstone.entity_id), ttl: ttlAt(new Date(Date.parse(tombstone.deleted_at) + tombstoneDays * 86_400_000)) },
  },
});

export const neverDeleted = (workspaceId: string, type: string, id: string): TransactItem => ({
  ConditionCheck: { TableName: tableName, Key: keys.deletedId(workspaceId, type, id), ConditionExpression: 'attribute_not_exists(PK)' },
});

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
