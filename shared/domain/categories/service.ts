// Categories: the catalog lifecycle, plus the tree's own reads (roots, children, breadcrumb).
import type { z } from 'zod/mini';
import type { Category } from '../../contract/categories.js';
import type { WorkspaceScope } from '../../http/caller.js';
import * as catalog from '../catalog/operations.js';
import type { ListQuery } from '../catalog/entity.js';
import { breadcrumbOf } from '../catalog/tree.js';
import { treeWalk } from '../catalog/tree-walk.js';
import { categoryDefinition } from './model.js';

/** A category as callers see it (the contract's answer). */
export type CategoryRecord = z.output<typeof Category>;

export const categories = /* @__PURE__ */ catalog.entity<CategoryRecord>(categoryDefinition, { treeWalk });

export const listRoots = (scope: WorkspaceScope, query: ListQuery) => catalog.listLinked(categories, scope, 'parent_category_id', undefined, query);

export async function listChildren(scope: WorkspaceScope, id: string, query: ListQuery) {
  await catalog.get(categories, scope, id);
  return catalog.listLinked(categories, scope, 'parent_category_id', id, query);
}

export async function breadcrumb(scope: WorkspaceScope, id: string) {
  const chain = await breadcrumbOf(categories, scope, id);
  return { breadcrumb: chain.map((category) => ({ id: category.id, name: category.name ?? '' })) };
}
