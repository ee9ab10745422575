// Inventory: rows of stock, how many of an item sit at one location (and maybe in a container
// there). Archived, never deleted. Listed by item, location or container (there is no list of all).
import * as z from 'zod/mini';
import { type CatalogSpec, getRoute, createRoute, updateRoute, archiveRoute, restoreRoute, catalogRecord, EntityParams } from './catalog.js';
import { ClientId, DateOut, example, IdOut, IntOut, ListQuery, pageOf, Uuid, withFields } from './common.js';
import { document, route } from './route.js';
import { asciiText, calendarDate, integer, multiLine, oneOf, singleLine } from './text.js';

export const inventoryConditions = ['NEW', 'EXCELLENT', 'GOOD', 'FAIR', 'POOR', 'DAMAGED', 'FOR_REPAIR'] as const;
export const inventoryStatuses = ['AVAILABLE', 'IN_USE', 'RESERVED', 'ON_LOAN', 'IN_TRANSIT', 'DISPOSED', 'MISSING'] as const;

const Quantity = /* @__PURE__ */ integer(0, 1_000_000_000);
const Condition = /* @__PURE__ */ oneOf(inventoryConditions);
const Status = /* @__PURE__ */ oneOf(inventoryStatuses);
const Currency = /* @__PURE__ */ asciiText({ min: 3, max: 3, pattern: /^[A-Z]{3}$/ });

export const Inventory = /* @__PURE__ */ catalogRecord('Inventory', {
  item_id: IdOut,
  location_id: IdOut,
  container_id: z.optional(IdOut),
  quantity: IntOut,
  available_quantity: IntOut,
  condition: Condition,
  status: Status,
  date_acquired: z.optional(DateOut),
  purchase_price: z.optional(IntOut),
  currency_code: z.optional(z.string()),
  warranty_expires: z.optional(DateOut),
  expiration_date: z.optional(DateOut),
  notes: z.optional(z.string()),
}, 'How many of an item sit at one location, and maybe in one container there. `available_quantity` is the quantity not out on loan. `purchase_price` is in cents of `currency_code` (ISO 4217).');

const rowExample = {
  id: '0193a5e2-7c1a-7b3e-9f00-000000002001', workspace_id: '0193a5e2-7c1a-7b3e-9f00-aaaaaaaaaaaa', item_id: '0193a5e2-7c1a-7b3e-9f00-000000001001',
  location_id: '0193a5e2-7c1a-7b3e-9f00-000000000a02', container_id: '0193a5e2-7c1a-7b3e-9f00-000000000b01', quantity: 4, available_quantity: 4,
  condition: 'GOOD' as const, status: 'AVAILABLE' as const, date_acquired: '2025-03-14', purchase_price: 1299, currency_code: 'EUR', is_archived: false,
  created_at: '2026-11-26T09:00:00.000Z', updated_at: '2026-11-26T09:00:00.000Z', version: 1,
};
DOCS: example(Inventory, rowExample);

const details = {
  container_id: z.optional(z.nullable(Uuid)),
  condition: z.optional(Condition),
  date_acquired: z.optional(z.nullable(calendarDate())),
  purchase_price: z.optional(z.nullable(integer(0, 100_000_000_000))),
  currency_code: z.optional(z.nullable(Currency)),
  warranty_expires: z.optional(z.nullable(calendarDate())),
  expiration_date: z.optional(z.nullable(calendarDate())),
  notes: z.optional(z.nullable(multiLine({ max: 4000 }))),
};

const spec: CatalogSpec = { domain: 'inventory', singular: 'Inventory', plural: 'Inventory', segment: 'inventory', noun: 'inventory row' };

export const getInventory = /* @__PURE__ */ getRoute(spec, Inventory);
export const createInventory = /* @__PURE__ */ createRoute(spec, Inventory, z.strictObject(withFields(details, { id: z.optional(ClientId), item_id: Uuid, location_id: Uuid, quantity: Quantity, status: z.optional(Status) })), ['REFERENCE_NOT_FOUND', 'CONTAINER_NOT_AT_LOCATION'], { idempotent: true });
export const updateInventory = /* @__PURE__ */ updateRoute(spec, Inventory, z.strictObject(withFields(details, { location_id: z.optional(Uuid), quantity: z.optional(Quantity) })), ['REFERENCE_NOT_FOUND', 'CONTAINER_NOT_AT_LOCATION', 'QUANTITY_BELOW_ON_LOAN', 'MOVE_QUANTITY_EXCEEDS_ROW']);
export const archiveInventory = /* @__PURE__ */ archiveRoute(spec, ['INVENTORY_HAS_ACTIVE_LOANS']);
export const restoreInventory = /* @__PURE__ */ restoreRoute(spec);
DOCS: document(createInventory, {
  body: { item_id: rowExample.item_id, location_id: rowExample.location_id, container_id: rowExample.container_id, quantity: 4, date_acquired: '2025-03-14', purchase_price: 1299, currency_code: 'EUR' },
  response: rowExample,
});
DOCS: document(updateInventory, { body: { condition: 'FAIR', notes: 'one battery weak' }, response: { ...rowExample, condition: 'FAIR', notes: 'one battery weak', version: 2 } });

const rowsOf = <const P extends string>(id: string, segment: string, param: P, what: string, summary: string) => route({
  id, method: 'GET', path: `/workspaces/{workspace_id}/inventory/${segment}/{${param}}`, domain: 'inventory', access: 'viewer',
  summary, description: `Newest first; with \`include_archived=true\` the archived rows too, after them. 404 when the ${what} does not exist.`,
  params: z.object({ workspace_id: Uuid, ...({ [param]: Uuid } as Record<P, typeof Uuid>) }), query: ListQuery, response: pageOf(Inventory), status: 200, errors: ['NOT_FOUND'],
});

export const listInventoryByItem = /* @__PURE__ */ rowsOf('listInventoryByItem', 'by-item', 'item_id', 'item', 'The rows of one item');
export const listInventoryByLocation = /* @__PURE__ */ rowsOf('listInventoryByLocation', 'by-location', 'location_id', 'location', 'The rows at one location (in its containers too)');
export const listInventoryByContainer = /* @__PURE__ */ rowsOf('listInventoryByContainer', 'by-container', 'container_id', 'container', 'The rows in one container');
export const listAvailableInventory = /* @__PURE__ */ rowsOf('listAvailableInventory', 'available', 'item_id', 'item', 'The rows of one item with status AVAILABLE');

export const getTotalQuantity = /* @__PURE__ */ route({
  id: 'getTotalQuantity', method: 'GET', path: '/workspaces/{workspace_id}/inventory/total-quantity/{item_id}', domain: 'inventory', access: 'viewer',
  summary: "An item's quantity over its active rows (every status)",
  description: 'Kept on the item by every write of its rows, in the same transaction, so this is one read however many rows the item has.',
  params: z.object({ workspace_id: Uuid, item_id: Uuid }), response: z.object({ item_id: IdOut, total_quantity: IntOut }), status: 200, errors: ['NOT_FOUND'],
});
DOCS: document(getTotalQuantity, { response: { item_id: rowExample.item_id, total_quantity: 7 } });

export const setInventoryStatus = /* @__PURE__ */ route({
  id: 'setInventoryStatus', method: 'PATCH', path: '/workspaces/{workspace_id}/inventory/{id}/status', domain: 'inventory', access: 'member', conditional: true,
  summary: "Change a row's status, and nothing else", params: EntityParams, body: z.strictObject({ status: Status }),
  response: Inventory, status: 200, errors: ['NOT_FOUND', 'RESOURCE_BUSY'],
});

export const setInventoryQuantity = /* @__PURE__ */ route({
  id: 'setInventoryQuantity', method: 'PATCH', path: '/workspaces/{workspace_id}/inventory/{id}/quantity', domain: 'inventory', access: 'member', conditional: true,
  summary: "Change a row's quantity, and nothing else", description: "The item's total moves with it, in the same transaction.",
  params: EntityParams, body: z.strictObject({ quantity: Quantity }), response: Inventory, status: 200, errors: ['NOT_FOUND', 'RESOURCE_BUSY', 'QUANTITY_BELOW_ON_LOAN'],
});

export const moveInventory = /* @__PURE__ */ route({
  id: 'moveInventory', method: 'POST', path: '/workspaces/{workspace_id}/inventory/{id}/move', domain: 'inventory', access: 'member', conditional: true,
  summary: 'Move a row, or part of it, to another place (recorded as a movement)',
  description: [
    'Moves the row to `location_id` (and into `container_id` there, or into no container when it is absent), and records a movement (who, from, to, quantity, reason) in the same transaction.',
    'With a `quantity` smaller than the row\'s, the row is **split**: it keeps the rest where it is, and a new row (same item, condition, status and details) holds `quantity` at the destination. The answer is then that new row; otherwise the row moved.',
    'Moving a row to where it already is changes nothing and records nothing. Only what is not on loan can move.',
  ].join('\n\n'),
  params: EntityParams,
  body: z.strictObject({
    location_id: Uuid, container_id: z.optional(z.nullable(Uuid)), quantity: z.optional(integer(1, 1_000_000_000)),
    reason: z.optional(z.nullable(singleLine({ max: 500 }))),
  }),
  response: Inventory, status: 200,
  errors: ['NOT_FOUND', 'REFERENCE_NOT_FOUND', 'CONTAINER_NOT_AT_LOCATION', 'MOVE_QUANTITY_EXCEEDS_ROW', 'INVENTORY_ARCHIVED', 'RESOURCE_BUSY'],
});
DOCS: document(moveInventory, {
  body: { location_id: '0193a5e2-7c1a-7b3e-9f00-000000000a03', quantity: 1, reason: 'lent to the workshop' },
  response: { ...rowExample, id: '0193a5e2-7c1a-7b3e-9f00-000000002002', location_id: '0193a5e2-7c1a-7b3e-9f00-000000000a03', quantity: 1, available_quantity: 1 },
});
DOCS: document(setInventoryStatus, { body: { status: 'IN_USE' }, response: { ...rowExample, status: 'IN_USE', version: 2 } });
DOCS: document(setInventoryQuantity, { body: { quantity: 3 }, response: { ...rowExample, quantity: 3, available_quantity: 3, version: 2 } });
