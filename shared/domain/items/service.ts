// Items: the catalog lifecycle, plus what is an item's own: its labels, the lists by category and
// by barcode, and the search (the search issue's query language and ranking, shared/domain/search,
// over the items read by name until its index replaces the reading).
import type { z } from 'zod/mini';
import type { Item } from '../../contract/items.js';
import type { WorkspaceScope } from '../../http/caller.js';
import * as catalog from '../catalog/operations.js';
import type { ListQuery } from '../catalog/entity.js';
import { ReferenceNotFound } from '../catalog/errors.js';
import { categories } from '../categories/service.js';
import { itemDefinition } from './model.js';
import { matchFields, type SearchField } from '../search/match.js';
import { parseQuery } from '../search/query.js';
import * as repository from './repository.js';

/** An item as callers see it (the contract's answer). */
export type ItemRecord = z.output<typeof Item>;

export const items = /* @__PURE__ */ catalog.entity<ItemRecord>(itemDefinition);

export async function listByCategory(scope: WorkspaceScope, categoryId: string, query: ListQuery) {
  await catalog.get(categories, scope, categoryId);
  return catalog.listLinked(items, scope, 'category_id', categoryId, query);
}

export const listByBarcode = (scope: WorkspaceScope, barcode: string, query: ListQuery) => catalog.listByLookup(items, scope, 'barcode', barcode, query);

export async function labelsOf(scope: WorkspaceScope, itemId: string) {
  return { label_ids: (await catalog.get(items, scope, itemId)).label_ids };
}

/** Idempotent: a label already on the item changes nothing. */
export async function attachLabel(scope: WorkspaceScope, actorId: string, itemId: string, labelId: string): Promise<void> {
  const outcome = await repository.attachLabel(scope.workspace.id, itemId, labelId, actorId);
  if (outcome === 'missing-label') {
    // the item in the path comes first: an unknown item is 404 whatever the label (both conditions fail together)
    await catalog.get(items, scope, itemId, true);
    throw ReferenceNotFound('No label with that id in this workspace.', { errors: [{ location: 'path.label_id', message: 'is not a label of this workspace' }] });
  }
  if (outcome === 'item-refused') await catalog.get(items, scope, itemId, true); // 404 when it is gone; otherwise it had the label
}

/** Idempotent: a label not on the item changes nothing. */
export async function detachLabel(scope: WorkspaceScope, actorId: string, itemId: string, labelId: string): Promise<void> {
  if ((await repository.detachLabel(scope.workspace.id, itemId, labelId, actorId)) === 'absent') await catalog.get(items, scope, itemId, true);
}

/** An item's searchable fields, weighed (shared/domain/search/match.ts): the name, then brand, model, maker and codes, then its description. */
const searchFields = (item: ItemRecord): SearchField[] => [
  { field: 'name', text: item.name, weight: 3 },
  ...(['brand', 'model', 'manufacturer'] as const).map((field) => ({ field, text: item[field] ?? '', weight: 2 })),
  ...(['sku', 'barcode', 'serial_number', 'short_code'] as const).map((field) => ({ field, text: item[field] ?? '', weight: 2, code: true })),
  { field: 'description', text: item.description ?? '', weight: 1 },
];

/** How many items a basic search reads at most (it reads the collection by name; the search issue replaces it). */
const searchBudget = 2_000;

/**
 * Search: reads the workspace's items by name (at most `searchBudget`), keeps those matching the
 * query (every word; the last as a beginning; one typo from five letters; phrases; exclusions:
 * shared/domain/search/query.ts) and answers the best `limit`. Its cost still grows with the
 * workspace: the search issue's index replaces the reading, not the matching.
 */
export async function search(scope: WorkspaceScope, query: { q: string; limit: number; include_archived?: boolean }) {
  const parsed = parseQuery(query.q);
  const found: { item: ItemRecord; score: number }[] = [];
  let cursor: string | undefined;
  let read = 0;
  do {
    const page = await catalog.list(items, scope, { limit: 100, ...(cursor ? { cursor } : {}), include_archived: query.include_archived === true });
    read += page.items.length;
    for (const item of page.items) {
      const match = matchFields(searchFields(item), parsed);
      if (match) found.push({ item, score: match.score });
    }
    cursor = page.next_cursor;
  } while (cursor && read < searchBudget);
  found.sort((a, b) => b.score - a.score);
  return { items: found.slice(0, query.limit).map((entry) => entry.item) };
}
