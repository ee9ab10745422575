// Delta sync and the full snapshot (../shared/design/SYNC.md). A delta reads the change log
// between the client's position and `until` (now − δ, fixed when the sync starts and carried in
// the cursor), so its cost follows the changes; a snapshot pages through the workspace's own
// partition. Both answer entities as their GET routes show them, by type, and deletions.
import type { z } from 'zod/mini';
import { syncedTypes, type syncDelta } from '../../contract/sync.js';
import type { WorkspaceScope } from '../../http/caller.js';
import * as keys from '../../db/keys.js';
import { withoutKeys } from '../../db/keys.js';
import { decodeFieldsCursor, encodeFieldsCursor, listOfCursor } from '../../db/cursor.js';
import { query as queryTable } from '../../db/table.js';
import { InvalidCursor } from '../errors.js';
import { definitionOf, publicView } from '../catalog/registry.js';
import { retentionDays, settleMs } from '../changes/model.js';
import { isOverdue } from '../loans/model.js';
import { withNames } from '../loans/repository.js';

type Answer = z.input<NonNullable<typeof syncDelta.response>>;
type TypeName = keyof typeof syncedTypes;

export interface DeltaQuery {
  modified_since?: string | undefined;
  cursor?: string | undefined;
  entity_types?: string | undefined;
  limit: number;
}

const dayMs = 86_400_000;
const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The stored types asked for (all by default), e.g. `ITEM`. */
const typesOf = (query: DeltaQuery): string[] =>
  (query.entity_types ? [...new Set(query.entity_types.split(','))] : Object.keys(syncedTypes)).map((name) => name.toUpperCase());

const keyOf = (type: string) => syncedTypes[type.toLowerCase() as TypeName];

function emptyAnswer(syncedAt: string): Answer {
  return {
    ...Object.fromEntries(Object.values(syncedTypes).map((key) => [key, []])) as unknown as Omit<Answer, 'deleted' | 'synced_at' | 'has_more'>,
    deleted: [], synced_at: syncedAt, has_more: false,
  };
}

/**
 * Loans as answers show them: the item's and the borrower's names (one BatchGetItem for the page)
 * and `is_overdue` as of today (a logged loan was overdue or not when it was logged).
 */
const namedLoans = (workspaceId: string, loans: Record<string, unknown>[]) =>
  // shaped loans show `is_active`, not the archive flag the rule reads
  withNames(workspaceId, loans.map((loan) => ({ ...loan, is_overdue: isOverdue({ ...loan, is_archived: loan.is_active === false }) })));

/** Puts each entity under its type's key (the loans named). */
async function grouped(workspaceId: string, entities: { type: string; data: Record<string, unknown> }[], deleted: Answer['deleted'], syncedAt: string, next?: string): Promise<Answer> {
  const answer = emptyAnswer(syncedAt) as unknown as Record<string, unknown[]>;
  for (const { type, data } of entities) answer[keyOf(type)]!.push(data);
  answer.loans = await namedLoans(workspaceId, answer.loans as Record<string, unknown>[]);
  answer.deleted = deleted;
  return { ...(answer as unknown as Answer), has_more: next !== undefined, ...(next ? { next_cursor: next } : {}) };
}

const filterOn = (types: string[], attribute: string) => ({
  FilterExpression: `#type IN (${types.map((_, index) => `:t${index}`).join(', ')})`,
  ExpressionAttributeNames: { '#type': attribute },
  typeValues: Object.fromEntries(types.map((type, index) => [`:t${index}`, type])),
});

/**
 * One page of the change log after a time (`modified_since`) or after the last key a page sent,
 * up to `until`, each entity once (its newest entry on the page).
 */
async function deltaPage(scope: WorkspaceScope, query: DeltaQuery, after: { time: string } | { key: string }, until: string): Promise<Answer> {
  const workspaceId = scope.workspace.id;
  const low = 'key' in after ? after.key : after.time;
  if (low >= until) return emptyAnswer(until);
  const partition = keys.changeLogEntry(workspaceId, '', '').PK;
  const filter = filterOn(typesOf(query), 'entity_type');
  const result = await queryTable({
    Limit: query.limit,
    // a bare time is no key (keys are `{time}#{event}`), so BETWEEN starts after it; a key sent last is the start key, excluded
    KeyConditionExpression: 'PK = :pk AND SK BETWEEN :low AND :until',
    FilterExpression: filter.FilterExpression, ExpressionAttributeNames: filter.ExpressionAttributeNames,
    ExpressionAttributeValues: { ':pk': partition, ':low': low, ':until': until, ...filter.typeValues },
    ...('key' in after ? { ExclusiveStartKey: { PK: partition, SK: after.key } } : {}),
  });
  const newest = new Map<string, Record<string, unknown>>();
  for (const entry of result.Items) {
    newest.delete(`${entry.entity_type}#${entry.entity_id}`); // re-inserted: the map keeps the order of each entity's last change
    newest.set(`${entry.entity_type}#${entry.entity_id}`, entry);
  }
  const entities: { type: string; data: Record<string, unknown> }[] = [];
  const deleted: Answer['deleted'] = [];
  for (const entry of newest.values()) {
    const data = entry.data as Record<string, unknown>;
    if (entry.operation === 'delete') deleted.push({ ...data, workspace_id: workspaceId } as Answer['deleted'][number]);
    else entities.push({ type: entry.entity_type as string, data });
  }
  const last = result.LastEvaluatedKey?.SK as string | undefined;
  return grouped(workspaceId, entities, deleted, until, last ? encodeFieldsCursor('sync.delta', { a: last, u: until }) : undefined);
}

/** One page of the workspace's entities (its own partition, in key order), as of now. */
async function snapshotPage(scope: WorkspaceScope, query: DeltaQuery, after: string | undefined, until: string): Promise<Answer> {
  const workspaceId = scope.workspace.id;
  const filter = filterOn(typesOf(query), 'entity');
  const partition = keys.workspace(workspaceId).PK;
  const result = await queryTable({
    Limit: query.limit,
    KeyConditionExpression: 'PK = :pk',
    FilterExpression: filter.FilterExpression, ExpressionAttributeNames: filter.ExpressionAttributeNames,
    ExpressionAttributeValues: { ':pk': partition, ...filter.typeValues },
    ...(after ? { ExclusiveStartKey: { PK: partition, SK: after } } : {}),
  });
  const entities = result.Items.map((item) => ({
    type: item.entity as string, data: publicView(definitionOf(item.entity as string)!, withoutKeys(item)),
  }));
  const last = result.LastEvaluatedKey?.SK as string | undefined;
  return grouped(workspaceId, entities, [], until, last ? encodeFieldsCursor('sync.snapshot', { k: last, u: until }) : undefined);
}

/** `GET …/sync/delta`: a page of a delta or of a snapshot (see the contract's description). */
export async function delta(scope: WorkspaceScope, query: DeltaQuery): Promise<Answer> {
  const now = Date.now();
  if (query.cursor !== undefined) {
    const list = listOfCursor(query.cursor);
    if (list === 'sync.snapshot') {
      // a position in this workspace's partition (any key of it is one), and a time no later than now
      const { k, u } = decodeFieldsCursor('sync.snapshot', query.cursor, ['k', 'u'], (values) => instant.test(values.u) && Date.parse(values.u) <= now);
      return snapshotPage(scope, query, k, u);
    }
    if (list !== 'sync.delta') throw InvalidCursor();
    // the last change-log key sent and the sync's end, in that order
    const { a, u } = decodeFieldsCursor('sync.delta', query.cursor, ['a', 'u'], (values) =>
      instant.test(values.u) && Date.parse(values.u) <= now && instant.test(values.a.slice(0, 24)) && values.a[24] === '#' && values.a < values.u);
    return deltaPage(scope, query, { key: a }, u);
  }
  const until = new Date(now - settleMs()).toISOString();
  if (query.modified_since === undefined) return snapshotPage(scope, query, undefined, until);
  const since = new Date(query.modified_since).toISOString();
  if (since < new Date(now - retentionDays() * dayMs).toISOString()) return { ...emptyAnswer(until), resync_required: true };
  return deltaPage(scope, query, { time: since }, until);
}
