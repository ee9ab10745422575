// Categories: a tree (each may have a parent category) to sort items by kind.
import * as z from 'zod/mini';
import { type CatalogSpec, listRoute, getRoute, createRoute, updateRoute, archiveRoute, restoreRoute, deleteRoute, catalogRecord, EntityParams } from './catalog.js';
import { ClientId, example, IdOut, ListQuery, named, pageOf, Uuid } from './common.js';
import { document, route } from './route.js';
import { multiLine, nameText } from './text.js';

const Name = /* @__PURE__ */ nameText(100);
const Description = /* @__PURE__ */ multiLine({ max: 2000 });

export const Category = /* @__PURE__ */ catalogRecord('Category', {
  name: z.string(),
  parent_category_id: z.optional(IdOut),
  description: z.optional(z.string()),
}, 'A category of things; categories form a tree.');

const categoryExample = {
  id: '0193a5e2-7c1a-7b3e-9f00-000000000c01', workspace_id: '0193a5e2-7c1a-7b3e-9f00-aaaaaaaaaaaa', name: 'Power tools',
  parent_category_id: '0193a5e2-7c1a-7b3e-9f00-000000000c00', description: 'Drills, saws, sanders', is_archived: false,
  created_at: '2026-11-26T09:00:00.000Z', updated_at: '2026-11-26T09:00:00.000Z', version: 1,
};
DOCS: example(Category, categoryExample);

const spec: CatalogSpec = { domain: 'categories', singular: 'Category', plural: 'Categories', segment: 'categories', noun: 'category' };

export const listCategories = /* @__PURE__ */ listRoute(spec, Category);
export const getCategory = /* @__PURE__ */ getRoute(spec, Category);
export const createCategory = /* @__PURE__ */ createRoute(spec, Category, z.strictObject({ id: z.optional(ClientId), name: Name, parent_category_id: z.optional(z.nullable(Uuid)), description: z.optional(z.nullable(Description)) }), ['REFERENCE_NOT_FOUND', 'TREE_TOO_DEEP']);
export const updateCategory = /* @__PURE__ */ updateRoute(spec, Category, z.strictObject({ name: z.optional(Name), parent_category_id: z.optional(z.nullable(Uuid)), description: z.optional(z.nullable(Description)) }), ['REFERENCE_NOT_FOUND', 'TREE_CYCLE', 'TREE_TOO_DEEP']);
export const archiveCategory = /* @__PURE__ */ archiveRoute(spec);
export const restoreCategory = /* @__PURE__ */ restoreRoute(spec);
export const deleteCategory = /* @__PURE__ */ deleteRoute(spec, ['CATEGORY_HAS_CHILDREN']);
DOCS: document(createCategory, { body: { name: 'Power tools', parent_category_id: categoryExample.parent_category_id, description: 'Drills, saws, sanders' }, response: categoryExample });
DOCS: document(updateCategory, { body: { parent_category_id: null }, response: { ...categoryExample, version: 2 } });

export const listRootCategories = /* @__PURE__ */ route({
  id: 'listRootCategories', method: 'GET', path: '/workspaces/{workspace_id}/categories/root', domain: 'categories', access: 'viewer',
  summary: 'The categories without a parent, by name', params: z.object({ workspace_id: Uuid }), query: ListQuery,
  response: pageOf(Category), status: 200,
});

export const listCategoryChildren = /* @__PURE__ */ route({
  id: 'listCategoryChildren', method: 'GET', path: '/workspaces/{workspace_id}/categories/{id}/children', domain: 'categories', access: 'viewer',
  summary: 'The direct children of a category, by name', params: EntityParams, query: ListQuery,
  response: pageOf(Category), status: 200, errors: ['NOT_FOUND'],
});

const Crumb = /* @__PURE__ */ named('CategoryCrumb', z.object({ id: IdOut, name: z.string() }), 'One category on the way from the root.');

export const getCategoryBreadcrumb = /* @__PURE__ */ route({
  id: 'getCategoryBreadcrumb', method: 'GET', path: '/workspaces/{workspace_id}/categories/{id}/breadcrumb', domain: 'categories', access: 'viewer',
  summary: 'The path from the root category down to this one (root first, this one last)', params: EntityParams,
  response: z.object({ breadcrumb: z.array(Crumb) }), status: 200, errors: ['NOT_FOUND'],
});
DOCS: document(getCategoryBreadcrumb, { response: { breadcrumb: [{ id: categoryExample.parent_category_id, name: 'Tools' }, { id: categoryExample.id, name: 'Power tools' }] } });
