// An item: a thing someone owns. Its SKU and short code are unique in the workspace (made when a
// create leaves them out), its barcode is indexed for lookups, it links to a category and to the
// company it came from, and its inventory rows add their quantities up on it (`total_quantity`).
import { randomBytes } from 'node:crypto';
import { config } from '../../config.js';
import { defineEntity, newShortCode, shortCodeRule } from '../catalog/model.js';

/** The earlier API's generated SKU: `SKU-` and 8 hex digits. */
export const newSku = () => `SKU-${randomBytes(4).toString('hex').toUpperCase()}`;

/** `obsidian://open?vault=…&file=…`, when both paths are set (the earlier API's derived field). */
export function obsidianUri(vault: unknown, note: unknown): string | undefined {
  return typeof vault === 'string' && vault && typeof note === 'string' && note
    ? `obsidian://open?vault=${encodeURIComponent(vault)}&file=${encodeURIComponent(note)}` : undefined;
}

/** Low on stock: active, with a minimum, and less than it in total (the low-stock projector and analytics agree on it). */
export function isLow(item: Record<string, unknown> | undefined): boolean {
  const minimum = Number(item?.min_stock_level ?? 0);
  return item !== undefined && item.is_archived !== true && minimum > 0 && Number(item.total_quantity ?? 0) < minimum;
}

export const itemDefinition = defineEntity({
  type: 'ITEM', label: 'item', deletes: 'never',
  fields: ['name', 'sku', 'short_code', 'description', 'category_id', 'brand', 'model', 'image_url', 'serial_number', 'manufacturer', 'barcode',
    'is_insured', 'lifetime_warranty', 'warranty_details', 'purchased_from', 'min_stock_level', 'obsidian_vault_path', 'obsidian_note_path'],
  optional: ['description', 'category_id', 'brand', 'model', 'image_url', 'serial_number', 'manufacturer', 'barcode', 'is_insured',
    'lifetime_warranty', 'warranty_details', 'purchased_from', 'obsidian_vault_path', 'obsidian_note_path'],
  generated: [{ field: 'short_code', make: newShortCode }, { field: 'sku', make: newSku }],
  unique: [shortCodeRule, { field: 'sku', kind: 'SKU', code: 'ITEM_SKU_TAKEN', normalise: 'code' }],
  links: [
    { field: 'category_id', to: 'CATEGORY', counter: 'items' },
    { field: 'purchased_from', to: 'COMPANY', counter: 'items', index: 'GSI3' },
  ],
  lookups: [{ field: 'barcode', index: 'GSI4' }],
  // kept by the attachments' writes: the primary attachment, and whether it is a verified photo
  hidden: ['primary_attachment_id', 'primary_picture'],
  view: (item) => {
    const uri = obsidianUri(item.obsidian_vault_path, item.obsidian_note_path);
    const picture = item.image_url === undefined && item.primary_picture === true ? primaryPictureUrl(item) : undefined;
    return {
      min_stock_level: item.min_stock_level ?? 0, label_ids: [...((item.label_ids as Set<string> | string[] | undefined) ?? [])].sort(),
      ...(uri ? { obsidian_uri: uri } : {}), ...(picture ? { image_url: picture } : {}),
    };
  },
});

/**
 * An item without an `image_url` of its own shows its primary photo: the API's download route for
 * it, which redirects members to a fresh presigned link (a presigned URL stored here would expire).
 */
export const primaryPictureUrl = (item: Record<string, unknown>) =>
  `${(config.publicUrl ?? config.appUrl).replace(/\/+$/, '')}/workspaces/${item.workspace_id as string}/attachments/${item.primary_attachment_id as string}/download`;
