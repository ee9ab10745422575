// What an export holds per entity type: its columns, in order (the earlier API's for the seven
// catalog types; inventory and loans added with the names beside their ids), and which related
// entities' names each needs. One table, read by the export and by the import (same column names).
import type { exportTypes } from '../../contract/exports.js';

export type ExportType = (typeof exportTypes)[number];

/** The stored entity type of each export type. */
export const storedType: Record<ExportType, string> = {
  item: 'ITEM', location: 'LOCATION', container: 'CONTAINER', category: 'CATEGORY', label: 'LABEL', company: 'COMPANY', borrower: 'BORROWER',
  inventory: 'INVENTORY', loan: 'LOAN',
};

/** A column: its header, and the field it shows (or the related entity whose name it shows, through which field). */
export interface Column {
  name: string;
  field?: string;
  nameOf?: { type: string; through: string };
  kind?: 'number' | 'boolean' | 'timestamp';
}

const text = (name: string, field = name): Column => ({ name, field });
const number = (name: string): Column => ({ name, field: name, kind: 'number' });
const stamp = (name: string): Column => ({ name, field: name, kind: 'timestamp' });
const named = (name: string, type: string, through: string): Column => ({ name, nameOf: { type, through } });
const archived: Column = { name: 'is_archived', field: 'is_archived', kind: 'boolean' };
const times = [stamp('created_at'), stamp('updated_at')];

export const columnsOf: Record<ExportType, readonly Column[]> = {
  item: [text('id'), text('sku'), text('name'), text('description'), named('category_name', 'CATEGORY', 'category_id'), text('brand'), text('model'),
    text('manufacturer'), text('barcode'), text('short_code'), number('min_stock_level'), archived, ...times],
  location: [text('id'), text('name'), named('parent_location', 'LOCATION', 'parent_location'), text('zone'), text('shelf'), text('bin'), text('description'),
    text('short_code'), archived, ...times],
  container: [text('id'), text('name'), named('location_name', 'LOCATION', 'location_id'), text('description'), text('capacity'), text('short_code'), archived, ...times],
  category: [text('id'), text('name'), named('parent_category', 'CATEGORY', 'parent_category_id'), text('description'), archived, ...times],
  label: [text('id'), text('name'), text('color'), text('description'), archived, ...times],
  company: [text('id'), text('name'), text('website'), text('notes'), archived, ...times],
  borrower: [text('id'), text('name'), text('email'), text('phone'), text('notes'), archived, ...times],
  inventory: [text('id'), text('item_id'), named('item_name', 'ITEM', 'item_id'), text('location_id'), named('location_name', 'LOCATION', 'location_id'),
    text('container_id'), named('container_name', 'CONTAINER', 'container_id'), number('quantity'), text('condition'), text('status'), text('date_acquired'),
    number('purchase_price'), text('currency_code'), text('warranty_expires'), text('expiration_date'), text('notes'), archived, ...times],
  loan: [text('id'), text('inventory_id'), text('item_id'), named('item_name', 'ITEM', 'item_id'), text('borrower_id'), named('borrower_name', 'BORROWER', 'borrower_id'),
    number('quantity'), stamp('loaned_at'), text('due_date'), stamp('returned_at'), text('notes'), ...times],
};

/** The related types whose names an export of `type` shows. */
export const namedTypes = (type: ExportType) => [...new Set(columnsOf[type].flatMap((column) => (column.nameOf ? [column.nameOf.type] : [])))];
