// Categories: the catalog lifecycle (shared/domain/catalog) through the routes of shared/contract/categories.ts.
import * as contract from '../../shared/contract/categories.js';
import { httpRoute, noContent } from '../../shared/http/route.js';
import { cachedBy } from '../../shared/http/list-cache.js';
import * as catalog from '../../shared/domain/catalog/operations.js';
import { categories } from '../../shared/domain/categories/service.js';
import { breadcrumb, listChildren, listRoots } from '../../shared/domain/categories/service.js';

export const listCategories = /* @__PURE__ */ httpRoute(contract.listCategories, ({ scope, query }) => catalog.list(categories, scope, query), { listCache: /* @__PURE__ */ cachedBy('CATEGORY') });

export const getCategory = /* @__PURE__ */ httpRoute(contract.getCategory, ({ scope, params }) => catalog.get(categories, scope, params.id), { prefetch: categories });

export const createCategory = /* @__PURE__ */ httpRoute(contract.createCategory, ({ scope, caller, body }) => catalog.create(categories, scope, caller.user.id, body));

export const updateCategory = /* @__PURE__ */ httpRoute(contract.updateCategory, ({ scope, caller, params, body, ifMatch }) =>
  catalog.update(categories, scope, caller.user.id, params.id, body, ifMatch));

export const archiveCategory = /* @__PURE__ */ httpRoute(contract.archiveCategory, async ({ scope, caller, params, ifMatch }) => {
  await catalog.archive(categories, scope, caller.user.id, params.id, ifMatch);
  return noContent();
});

export const restoreCategory = /* @__PURE__ */ httpRoute(contract.restoreCategory, async ({ scope, caller, params, ifMatch }) => {
  await catalog.restore(categories, scope, caller.user.id, params.id, ifMatch);
  return noContent();
});

export const deleteCategory = /* @__PURE__ */ httpRoute(contract.deleteCategory, async ({ scope, caller, params, ifMatch }) => {
  await catalog.remove(categories, scope, caller.user.id, params.id, ifMatch);
  return noContent();
});

export const listRootCategories = /* @__PURE__ */ httpRoute(contract.listRootCategories, ({ scope, query }) => listRoots(scope, query), { listCache: /* @__PURE__ */ cachedBy('CATEGORY') });

export const listCategoryChildren = /* @__PURE__ */ httpRoute(contract.listCategoryChildren, ({ scope, params, query }) => listChildren(scope, params.id, query), { listCache: /* @__PURE__ */ cachedBy('CATEGORY') });

export const getCategoryBreadcrumb = /* @__PURE__ */ httpRoute(contract.getCategoryBreadcrumb, ({ scope, params }) => breadcrumb(scope, params.id));
