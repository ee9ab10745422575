// Items: the catalog lifecycle (shared/domain/catalog) plus labels, lists by category and barcode, and search.
import * as contract from '../../shared/contract/items.js';
import { idempotency } from '../../shared/http/idempotency.js';
import { httpRoute, noContent } from '../../shared/http/route.js';
import { cachedBy } from '../../shared/http/list-cache.js';
import * as catalog from '../../shared/domain/catalog/operations.js';
import { attachLabel, detachLabel, items, labelsOf, listByBarcode, listByCategory, search } from '../../shared/domain/items/service.js';

export const listItems = /* @__PURE__ */ httpRoute(contract.listItems, ({ scope, query }) => catalog.list(items, scope, query), { listCache: /* @__PURE__ */ cachedBy('ITEM') });

export const getItem = /* @__PURE__ */ httpRoute(contract.getItem, ({ scope, params }) => catalog.get(items, scope, params.id), { prefetch: items });

export const createItem = /* @__PURE__ */ httpRoute(contract.createItem, ({ scope, caller, body }) => catalog.create(items, scope, caller.user.id, body), { idempotency });

export const updateItem = /* @__PURE__ */ httpRoute(contract.updateItem, ({ scope, caller, params, body, ifMatch }) =>
  catalog.update(items, scope, caller.user.id, params.id, body, ifMatch));

export const archiveItem = /* @__PURE__ */ httpRoute(contract.archiveItem, async ({ scope, caller, params, ifMatch }) => {
  await catalog.archive(items, scope, caller.user.id, params.id, ifMatch);
  return noContent();
});

export const restoreItem = /* @__PURE__ */ httpRoute(contract.restoreItem, async ({ scope, caller, params, ifMatch }) => {
  await catalog.restore(items, scope, caller.user.id, params.id, ifMatch);
  return noContent();
});

export const listItemsByCategory = /* @__PURE__ */ httpRoute(contract.listItemsByCategory, ({ scope, params, query }) => listByCategory(scope, params.category_id, query), {
  listCache: /* @__PURE__ */ cachedBy('ITEM', 'CATEGORY'), // the category must exist (404)
});

export const listItemsByBarcode = /* @__PURE__ */ httpRoute(contract.listItemsByBarcode, ({ scope, params, query }) => listByBarcode(scope, params.barcode, query), { listCache: /* @__PURE__ */ cachedBy('ITEM') });

export const searchItems = /* @__PURE__ */ httpRoute(contract.searchItems, ({ scope, query }) => search(scope, query));

export const listItemLabels = /* @__PURE__ */ httpRoute(contract.listItemLabels, ({ scope, params }) => labelsOf(scope, params.id), { prefetch: items });

export const attachItemLabel = /* @__PURE__ */ httpRoute(contract.attachItemLabel, async ({ scope, caller, params }) => {
  await attachLabel(scope, caller.user.id, params.id, params.label_id);
  return noContent();
});

export const detachItemLabel = /* @__PURE__ */ httpRoute(contract.detachItemLabel, async ({ scope, caller, params }) => {
  await detachLabel(scope, caller.user.id, params.id, params.label_id);
  return noContent();
});
