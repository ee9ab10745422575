// Collection versions: per entity type, a counter on the workspace record (`cv_{TYPE}`) that every
// write changing what a list of that type answers moves on in its own transaction, with the time
// of that write (`cvt_{TYPE}`). Every workspace route reads the workspace record for its
// authorisation anyway, so a list learns whether its collections changed at no extra read: its ETag
// and its cached answer are keyed by these versions (shared/http/list-cache.ts).
import * as keys from '../../db/keys.js';
import { tableName, type TransactItem } from '../../db/table.js';

const versionName = (type: string) => `cv_${type}`;
const bumpedAtName = (type: string) => `cvt_${type}`;

/** A collection's version on the workspace record (0: never written since versions were kept) and when it last moved (ms). */
export function collectionVersion(workspace: object, type: string): { version: number; bumpedAt: number } {
  const record = workspace as Record<string, unknown>;
  const at = record[bumpedAtName(type)];
  return { version: Number(record[versionName(type)] ?? 0), bumpedAt: typeof at === 'string' ? Date.parse(at) : 0 };
}

const sameKey = (key: Record<string, unknown> | undefined, wanted: { PK: string; SK: string }) => key?.PK === wanted.PK && key?.SK === wanted.SK;

/**
 * `items` with the versions of `types` moved on by the workspace record's item. A transaction
 * holds one item per key, so the bump joins the workspace item it already has (a create's check
 * that the workspace is active becomes an Update under the same condition; an attachment's storage
 * change gains the clauses); otherwise it is added, conditional on the record existing (an Update
 * of a purged workspace would make a record of it again). Answers the items and the index of the
 * workspace's item (absent when `types` is empty and nothing changed). The clauses are SET, not
 * ADD, so they join any SET of an Update already there (an update expression holds each of SET
 * and ADD once).
 */
export function withCollectionBump(items: readonly TransactItem[], workspaceId: string, types: readonly string[], now = new Date().toISOString()): { items: TransactItem[]; at?: number } {
  const merged = [...items];
  if (types.length === 0) return { items: merged };
  const key = keys.workspace(workspaceId);
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':cvZero': 0, ':cvOne': 1, ':cvNow': now };
  const clauses = types.map((type, position) => {
    names[`#cv${position}`] = versionName(type);
    names[`#cvt${position}`] = bumpedAtName(type);
    return `#cv${position} = if_not_exists(#cv${position}, :cvZero) + :cvOne, #cvt${position} = :cvNow`;
  }).join(', ');
  let at = merged.findIndex((item) => [item.ConditionCheck?.Key, item.Update?.Key, item.Delete?.Key, item.Put?.Item].some((written) => sameKey(written, key)));
  if (at < 0) at = merged.push({ ConditionCheck: { TableName: tableName, Key: key, ConditionExpression: 'attribute_exists(PK)' } }) - 1;
  const existing = merged[at]!;
  const base = existing.Update ?? existing.ConditionCheck;
  if (!base) throw new Error('A transaction that puts or deletes the workspace record cannot also move its collection versions');
  const own = existing.Update?.UpdateExpression ?? '';
  merged[at] = {
    Update: {
      ...base,
      UpdateExpression: /(^|\s)SET\s/.test(own) ? own.replace(/(^|\s)SET\s/, `$1SET ${clauses}, `) : `${own} SET ${clauses}`.trim(),
      ExpressionAttributeNames: { ...base.ExpressionAttributeNames, ...names }, ExpressionAttributeValues: { ...base.ExpressionAttributeValues, ...values },
    },
  };
  return { items: merged, at };
}
