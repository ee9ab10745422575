// The names items are filed under (their category, their labels), which search finds them by: an
// item's record holds only ids, so the names are read with one BatchGetItem per page of items.
import * as keys from '../../db/keys.js';
import { batchGet } from '../../db/table.js';
import type { FiledUnder } from './fields.js';

type Names = Map<string, string>;

/** An item's label ids: a list in answers, a string set in the table (and in stream images). */
const labelIdsOf = (record: Record<string, unknown> | undefined): string[] => {
  const ids = record?.label_ids;
  return ids instanceof Set || Array.isArray(ids) ? [...(ids as Iterable<unknown>)].filter((id): id is string => typeof id === 'string') : [];
};

/** The current names of the categories and labels these items name. */
export async function filedNames(workspaceId: string, items: readonly (Record<string, unknown> | undefined)[]): Promise<Names> {
  const wanted = new Map<string, { PK: string; SK: string }>();
  for (const item of items) {
    if (typeof item?.category_id === 'string') wanted.set(item.category_id, keys.entity(workspaceId, 'CATEGORY', item.category_id));
    for (const id of labelIdsOf(item)) wanted.set(id, keys.entity(workspaceId, 'LABEL', id));
  }
  if (wanted.size === 0) return new Map();
  const found = await batchGet<Record<string, unknown>>([...wanted.values()]);
  return new Map(found.map((record) => [String(record.id), String(record.name ?? '')]));
}

/** What one item is filed under, by name; `instead` gives one category or label another name (or none). */
export function filedUnder(item: Record<string, unknown> | undefined, names: Names, instead?: { id: string; name: string | undefined }): FiledUnder {
  const nameOf = (id: string) => (instead && id === instead.id ? instead.name : names.get(id));
  const category = typeof item?.category_id === 'string' ? nameOf(item.category_id) : undefined;
  const labels = labelIdsOf(item).map(nameOf).filter((name): name is string => typeof name === 'string' && name !== '');
  return { ...(category ? { category } : {}), ...(labels.length ? { labels } : {}) };
}
