// Movements: read-only lists of what moved where (the inventory move writes them).
import * as contract from '../../shared/contract/movements.js';
import { httpRoute } from '../../shared/http/route.js';
import { list, listOfInventory, listOfLocation } from '../../shared/domain/movements/service.js';

export const listMovements = /* @__PURE__ */ httpRoute(contract.listMovements, ({ scope, query }) => list(scope, query));

export const listInventoryMovements = /* @__PURE__ */ httpRoute(contract.listInventoryMovements, ({ scope, params, query }) => listOfInventory(scope, params.inventory_id, query));

export const listLocationMovements = /* @__PURE__ */ httpRoute(contract.listLocationMovements, ({ scope, params, query }) => listOfLocation(scope, params.location_id, query));
