// Categories: the catalog lifecycle, plus the tree's own reads (roots, children, breadcrumb).
import type { WorkspaceScope } from '../../http/caller.js';
import type { z } from 'zod/mini';
import type { Category } from '../../contract/categories.js';
import { catalogService, type ListQuery } from '../catalog/service.js';
import { breadcrumbOf } from '../catalog/tree.js';
import { listLinked } from '../catalog/repository.js';
import { categoryDefinition } from './model.js';

export const categories = catalogService<CategoryRecord>(categoryDefinition);

export function listRoots(scope: WorkspaceScope, query: ListQuery) {
  return listLinked(categoryDefinition, scope.workspace.id, undefined, { includeArchived: query.include_archived === true, limit: query.limit, cursor: query.cursor });
}

export async function listChildren(scope: WorkspaceScope, id: string, query: ListQuery) {
  await categories.get(scope, id);
  return listLinked(categoryDefinition, scope.workspace.id, id, { includeArchived: query.include_archived === true, limit: query.limit, cursor: query.cursor });
}

export async function breadcrumb(scope: WorkspaceScope, id: string) {
  const chain = await breadcrumbOf(categories, scope, id);
  return { breadcrumb: chain.map((category) => ({ id: category.id, name: category.name })) };
}

/** A category as callers see it (the contract's answer). */
export type CategoryRecord = z.output<typeof Category>;
