// Inventory: the catalog lifecycle for rows of stock (shared/domain/catalog), their lists, totals and moves.
import * as contract from '../../shared/contract/inventory.js';
import { idempotency } from '../../shared/http/idempotency.js';
import { httpRoute, noContent } from '../../shared/http/route.js';
import { cachedBy } from '../../shared/http/list-cache.js';
import * as catalog from '../../shared/domain/catalog/operations.js';
import {
  create, inventory, listAvailable, listByContainer, listByItem, listByLocation, move, setQuantity, setStatus, totalQuantity, update,
} from '../../shared/domain/inventory/service.js';

export const getInventory = /* @__PURE__ */ httpRoute(contract.getInventory, ({ scope, params }) => catalog.get(inventory, scope, params.id), { prefetch: inventory });

export const createInventory = /* @__PURE__ */ httpRoute(contract.createInventory, ({ scope, caller, body }) => create(scope, caller.user.id, body), { idempotency });

export const updateInventory = /* @__PURE__ */ httpRoute(contract.updateInventory, ({ scope, caller, params, body, ifMatch }) =>
  update(scope, caller.user.id, params.id, body, ifMatch));

export const archiveInventory = /* @__PURE__ */ httpRoute(contract.archiveInventory, async ({ scope, caller, params, ifMatch }) => {
  await catalog.archive(inventory, scope, caller.user.id, params.id, ifMatch);
  return noContent();
});

export const restoreInventory = /* @__PURE__ */ httpRoute(contract.restoreInventory, async ({ scope, caller, params, ifMatch }) => {
  await catalog.restore(inventory, scope, caller.user.id, params.id, ifMatch);
  return noContent();
});

export const listInventoryByItem = /* @__PURE__ */ httpRoute(contract.listInventoryByItem, ({ scope, params, query }) => listByItem(scope, params.item_id, query), {
  listCache: /* @__PURE__ */ cachedBy('INVENTORY', 'ITEM'), // the item must exist (404)
});

export const listInventoryByLocation = /* @__PURE__ */ httpRoute(contract.listInventoryByLocation, ({ scope, params, query }) => listByLocation(scope, params.location_id, query), {
  listCache: /* @__PURE__ */ cachedBy('INVENTORY', 'LOCATION'),
});

export const listInventoryByContainer = /* @__PURE__ */ httpRoute(contract.listInventoryByContainer, ({ scope, params, query }) => listByContainer(scope, params.container_id, query), {
  listCache: /* @__PURE__ */ cachedBy('INVENTORY', 'CONTAINER'),
});

export const listAvailableInventory = /* @__PURE__ */ httpRoute(contract.listAvailableInventory, ({ scope, params, query }) => listAvailable(scope, params.item_id, query), {
  listCache: /* @__PURE__ */ cachedBy('INVENTORY', 'ITEM'),
});

export const getTotalQuantity = /* @__PURE__ */ httpRoute(contract.getTotalQuantity, ({ scope, params }) => totalQuantity(scope, params.item_id));

export const setInventoryStatus = /* @__PURE__ */ httpRoute(contract.setInventoryStatus, ({ scope, caller, params, body, ifMatch }) =>
  setStatus(scope, caller.user.id, params.id, body.status, ifMatch));

export const setInventoryQuantity = /* @__PURE__ */ httpRoute(contract.setInventoryQuantity, ({ scope, caller, params, body, ifMatch }) =>
  setQuantity(scope, caller.user.id, params.id, body.quantity, ifMatch));

export const moveInventory = /* @__PURE__ */ httpRoute(contract.moveInventory, ({ scope, caller, params, body, ifMatch }) =>
  move(scope, caller.user.id, params.id, { ...body, reason: body.reason ?? undefined }, ifMatch));
