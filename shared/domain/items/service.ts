// Items: the catalog lifecycle, plus what is an item's own: its labels, the lists by category and
// by barcode, and the basic search (until the search issue brings its own engine).
import type { z } from 'zod/mini';
import type { Item } from '../../contract/items.js';
import type { WorkspaceScope } from '../../http/caller.js';
import * as catalog from '../catalog/operations.js';
import type { ListQuery } from '../catalog/entity.js';
import { ReferenceNotFound } from '../catalog/errors.js';
import { categories } from '../categories/service.js';
import { itemDefinition } from './model.js';
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

/** Words of a text, folded (case and accents), for matching a typed query against. */
const words = (text: unknown) => (typeof text === 'string' ? text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean) : []);

/** How well an item matches every term (each the start of a word of some field): 3 by name, 2 by brand/model, 1 by codes; 0 when one term matches nothing. */
function score(item: ItemRecord, terms: string[]): number {
  const fields: [number, unknown][] = [[3, item.name], [2, item.brand], [2, item.model], [1, item.sku], [1, item.barcode], [1, item.short_code]];
  let total = 0;
  for (const term of terms) {
    const best = Math.max(0, ...fields.map(([weight, text]) => (words(text).some((word) => word.startsWith(term)) ? weight : 0)));
    if (best === 0) return 0;
    total += best;
  }
  return total;
}

/** How many items a basic search reads at most (it reads the collection by name; the search issue replaces it). */
const searchBudget = 2_000;

/**
 * Basic search: reads the workspace's items by name (at most `searchBudget`), keeps those where
 * every term starts a word of the name, brand, model, SKU, barcode or short code, and answers the
 * best `limit`, name matches first. Its cost grows with the workspace: the search issue's index
 * replaces it.
 */
export async function search(scope: WorkspaceScope, query: { q: string; limit: number; include_archived?: boolean }) {
  const terms = words(query.q);
  const found: { item: ItemRecord; score: number }[] = [];
  let cursor: string | undefined;
  let read = 0;
  do {
    const page = await catalog.list(items, scope, { limit: 100, ...(cursor ? { cursor } : {}), include_archived: query.include_archived === true });
    read += page.items.length;
    for (const item of page.items) {
      const points = score(item, terms);
      if (points > 0) found.push({ item, score: points });
    }
    cursor = page.next_cursor;
  } while (cursor && read < searchBudget);
  found.sort((a, b) => b.score - a.score);
  return { items: found.slice(0, query.limit).map((entry) => entry.item) };
}
