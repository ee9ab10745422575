// Items: the things people own. Archived, never deleted (their history and loans keep them).
import * as z from 'zod/mini';
import { type CatalogSpec, listRoute, getRoute, createRoute, updateRoute, archiveRoute, restoreRoute, catalogRecord, EntityParams } from './catalog.js';
import { ClientId, example, Flag, IdOut, IntOut, ListQuery, pageLimit, pageOf, UrlOut, Uuid, withFields, WorkspaceParams } from './common.js';
import { document, route } from './route.js';
import { asciiText, integer, multiLine, nameText, shortCodeText, singleLine, urlText } from './text.js';

const Name = /* @__PURE__ */ nameText(200);
const Short = /* @__PURE__ */ singleLine({ max: 100 });
const Path = /* @__PURE__ */ singleLine({ max: 500 });
const Sku = /* @__PURE__ */ asciiText({ max: 50, pattern: /^[A-Za-z0-9][A-Za-z0-9._\-/]*$/ });
const Barcode = /* @__PURE__ */ asciiText({ max: 50, pattern: /^[A-Za-z0-9-]+$/ });

export const Item = /* @__PURE__ */ catalogRecord('Item', {
  sku: z.string(),
  name: z.string(),
  description: z.optional(z.string()),
  category_id: z.optional(IdOut),
  brand: z.optional(z.string()),
  model: z.optional(z.string()),
  image_url: z.optional(UrlOut),
  serial_number: z.optional(z.string()),
  manufacturer: z.optional(z.string()),
  barcode: z.optional(z.string()),
  is_insured: z.optional(z.boolean()),
  lifetime_warranty: z.optional(z.boolean()),
  warranty_details: z.optional(z.string()),
  purchased_from: z.optional(IdOut),
  min_stock_level: IntOut,
  short_code: z.string(),
  obsidian_vault_path: z.optional(z.string()),
  obsidian_note_path: z.optional(z.string()),
  obsidian_uri: z.optional(z.string()),
  label_ids: z.array(IdOut),
}, 'A thing someone owns. SKU and short code are unique in the workspace (archived items included); the barcode is only indexed.');

const itemExample = {
  id: '0193a5e2-7c1a-7b3e-9f00-000000001001', workspace_id: '0193a5e2-7c1a-7b3e-9f00-aaaaaaaaaaaa', sku: 'DRILL-18V', name: 'Cordless drill',
  description: '18 V, two batteries', category_id: '0193a5e2-7c1a-7b3e-9f00-000000000c01', brand: 'Makita', model: 'DHP482',
  barcode: '0088381645232', is_insured: true, purchased_from: '0193a5e2-7c1a-7b3e-9f00-000000000d01', min_stock_level: 0, short_code: 'D7QK4M2P',
  label_ids: ['0193a5e2-7c1a-7b3e-9f00-000000000e01'], is_archived: false,
  created_at: '2026-11-26T09:00:00.000Z', updated_at: '2026-11-26T09:00:00.000Z', version: 1,
};
DOCS: example(Item, itemExample);

const fields = {
  description: z.optional(z.nullable(multiLine({ max: 4000 }))),
  category_id: z.optional(z.nullable(Uuid)),
  brand: z.optional(z.nullable(Short)),
  model: z.optional(z.nullable(Short)),
  image_url: z.optional(z.nullable(urlText())),
  serial_number: z.optional(z.nullable(Short)),
  manufacturer: z.optional(z.nullable(Short)),
  barcode: z.optional(z.nullable(Barcode)),
  is_insured: z.optional(z.nullable(z.boolean())),
  lifetime_warranty: z.optional(z.nullable(z.boolean())),
  warranty_details: z.optional(z.nullable(multiLine({ max: 2000 }))),
  purchased_from: z.optional(z.nullable(Uuid)),
  min_stock_level: z.optional(integer(0, 1_000_000)),
  obsidian_vault_path: z.optional(z.nullable(Path)),
  obsidian_note_path: z.optional(z.nullable(Path)),
};

const spec: CatalogSpec = { domain: 'items', singular: 'Item', plural: 'Items', segment: 'items', noun: 'item' };

export const listItems = /* @__PURE__ */ listRoute(spec, Item);
export const getItem = /* @__PURE__ */ getRoute(spec, Item);
export const createItem = /* @__PURE__ */ createRoute(spec, Item, z.strictObject(withFields(fields, { id: z.optional(ClientId), name: Name, sku: z.optional(Sku), short_code: z.optional(shortCodeText()) })), ['REFERENCE_NOT_FOUND', 'ITEM_SKU_TAKEN', 'SHORT_CODE_TAKEN'], { idempotent: true });
export const updateItem = /* @__PURE__ */ updateRoute(spec, Item, z.strictObject(withFields(fields, { name: z.optional(Name), sku: z.optional(Sku), short_code: z.optional(shortCodeText()) })), ['REFERENCE_NOT_FOUND', 'ITEM_SKU_TAKEN', 'SHORT_CODE_TAKEN']);
export const archiveItem = /* @__PURE__ */ archiveRoute(spec);
export const restoreItem = /* @__PURE__ */ restoreRoute(spec);
DOCS: document(createItem, {
  body: { name: 'Cordless drill', brand: 'Makita', model: 'DHP482', barcode: '0088381645232', category_id: itemExample.category_id, is_insured: true },
  response: itemExample,
});
DOCS: document(updateItem, { body: { min_stock_level: 1, brand: null }, response: { ...itemExample, min_stock_level: 1, version: 2 } });

export const listItemsByCategory = /* @__PURE__ */ route({
  id: 'listItemsByCategory', method: 'GET', path: '/workspaces/{workspace_id}/items/by-category/{category_id}', domain: 'items', access: 'viewer',
  summary: 'The items of one category, by name', params: z.object({ workspace_id: Uuid, category_id: Uuid }), query: ListQuery,
  response: pageOf(Item), status: 200, errors: ['NOT_FOUND'],
});

export const listItemsByBarcode = /* @__PURE__ */ route({
  id: 'listItemsByBarcode', method: 'GET', path: '/workspaces/{workspace_id}/items/by-barcode/{barcode}', domain: 'items', access: 'viewer',
  summary: 'My items with this barcode, by name (barcodes are not unique: two of the same drill)',
  params: z.object({ workspace_id: Uuid, barcode: Barcode }), query: ListQuery, response: pageOf(Item), status: 200,
});

export const searchItems = /* @__PURE__ */ route({
  id: 'searchItems', method: 'GET', path: '/workspaces/{workspace_id}/items/search', domain: 'items', access: 'viewer',
  summary: 'Items matching `q` in name, brand, model, manufacturer, codes or description (best first)',
  description: 'Every word of `q` must match a word of the item (case and accents ignored); the last word also matches the beginning of one (`dri` finds "Cordless drill"); a word of 5 or more letters forgives one typo (`scredriver`); `"angle grinder"` needs the words together, in order; `-broken` leaves out what has that word. SKU, barcode, serial number and short code also match without their separators (`drill18v` finds `DRILL-18V`). Ranked: the name above brand, model and codes, above the description; a whole word above its beginning above a typo. Answers at most `limit` items, in one page. Archived items only with `include_archived=true`.',
  params: WorkspaceParams,
  query: z.object({ q: singleLine({ min: 1, max: 200 }), limit: pageLimit(), include_archived: Flag }),
  response: pageOf(Item), status: 200,
});

export const listItemLabels = /* @__PURE__ */ route({
  id: 'listItemLabels', method: 'GET', path: '/workspaces/{workspace_id}/items/{id}/labels', domain: 'items', access: 'viewer',
  summary: 'The labels on an item', params: EntityParams, response: z.object({ label_ids: z.array(IdOut) }), status: 200, errors: ['NOT_FOUND'],
});
DOCS: document(listItemLabels, { response: { label_ids: itemExample.label_ids } });

const ItemLabelParams = /* @__PURE__ */ z.object({ workspace_id: Uuid, id: Uuid, label_id: Uuid });

export const attachItemLabel = /* @__PURE__ */ route({
  id: 'attachItemLabel', method: 'POST', path: '/workspaces/{workspace_id}/items/{id}/labels/{label_id}', domain: 'items', access: 'member',
  summary: 'Put a label on an item (putting it on twice changes nothing)', params: ItemLabelParams, status: 204,
  errors: ['NOT_FOUND', 'REFERENCE_NOT_FOUND'],
});

export const detachItemLabel = /* @__PURE__ */ route({
  id: 'detachItemLabel', method: 'DELETE', path: '/workspaces/{workspace_id}/items/{id}/labels/{label_id}', domain: 'items', access: 'member',
  summary: 'Take a label off an item (taking off one that is not there changes nothing)', params: ItemLabelParams, status: 204, errors: ['NOT_FOUND'],
});
