// Items: the catalog lifecycle, plus what is an item's own: its labels, the lists by category and
// by barcode, and the search (the workspace search, shared/domain/search, narrowed to items).
import type { z } from 'zod/mini';
import type { Item } from '../../contract/items.js';
import type { WorkspaceScope } from '../../http/caller.js';
import * as catalog from '../catalog/operations.js';
import type { ListQuery } from '../catalog/entity.js';
import { ReferenceNotFound } from '../catalog/errors.js';
import { categories } from '../categories/service.js';
import { itemDefinition } from './model.js';
import { searchPage } from '../search/service.js';
import { withoutKeys } from '../../db/keys.js';
import type { CatalogRecord } from '../catalog/model.js';
import * as repository from './repository.js';
import { uniques } from '../catalog/uniques.js';

/** An item as callers see it (the contract's answer). */
export type ItemRecord = z.output<typeof Item>;

export const items = /* @__PURE__ */ catalog.entity<ItemRecord>(itemDefinition, { uniques });

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

/**
 * Items matching `q`, best first: the workspace search (shared/domain/search) narrowed to items,
 * answered in the items' own shape, one page of at most `limit`.
 */
export async function search(scope: WorkspaceScope, query: { q: string; limit: number; include_archived?: boolean }) {
  const { found } = await searchPage(scope, { q: query.q, types: 'item', limit: query.limit, include_archived: query.include_archived === true });
  return { items: found.map(({ record }) => catalog.present(items, withoutKeys(record) as CatalogRecord)) as unknown as ItemRecord[] };
}
