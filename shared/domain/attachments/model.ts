// An attachment: a file that goes with an item (a photo, a receipt), or a reference to a document
// kept elsewhere. Declared on the catalog engine: the item counts its attachments (at most
// `attachmentsPerItem`), lists them (GSI2), and the engine gives it activity, change-log entries
// and a tombstone when it is deleted. An upload is `PENDING` until the verifier has read the file
// (then `READY` or `REJECTED`); while PENDING it sits in a sparse index by day, which the cleanup
// job reads. What only the backend needs (the object key, the verified version) is never shown.
import * as keys from '../../db/keys.js';
import { defineEntity } from '../catalog/model.js';

export const attachmentDefinition = defineEntity({
  type: 'ATTACHMENT', label: 'attachment', deletes: 'hard', byName: false,
  fields: ['item_id', 'attachment_type', 'title', 'is_primary', 'file_name', 'mime_type', 'size_bytes', 'checksum', 'file_id', 'docspell_item_id'],
  optional: ['title', 'file_id', 'docspell_item_id'],
  links: [{ field: 'item_id', to: 'ITEM', counter: 'attachments', order: 'newest' }],
  indexes: (attachment) => (attachment.status === 'PENDING'
    ? keys.pendingUploadIndex(attachment.created_at as string, attachment.workspace_id as string, attachment.id as string) : {}),
  // attachments are never archived: answers have no `is_archived`
  hidden: ['object_key', 'object_version', 'object_etag', 'is_archived'],
  nameFrom: { field: 'item_id', type: 'ITEM' },
});

/**
 * A file name as it may appear in an object key: accents folded, anything but letters, digits,
 * dot, dash and underscore turned into `-`, no leading dots or dashes, at most 100 characters
 * (the extension kept). Never empty. The original name is kept on the record for downloads.
 */
export function safeFileName(name: string): string {
  const folded = name.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/-+(?=\.)|(?<=\.)-+/g, '').replace(/-{2,}/g, '-').replace(/^[.-]+|[.-]+$/g, '');
  if (folded === '') return 'file';
  if (folded.length <= 100) return folded;
  const dot = folded.lastIndexOf('.');
  const extension = dot > 0 && folded.length - dot <= 10 ? folded.slice(dot) : '';
  return folded.slice(0, 100 - extension.length) + extension;
}

const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const objectKeyPattern = new RegExp(`^workspaces/(${uuid})/items/(${uuid})/(${uuid})/[A-Za-z0-9._-]{1,100}$`);

/** The ids in an attachment's object key; undefined for any other key. */
export function idsOfObjectKey(key: string): { workspaceId: string; itemId: string; attachmentId: string } | undefined {
  const match = objectKeyPattern.exec(key);
  return match ? { workspaceId: match[1]!, itemId: match[2]!, attachmentId: match[3]! } : undefined;
}

/**
 * `Content-Disposition` for a download: `attachment`, an ASCII fallback name (quotes, backslashes
 * and controls replaced) and the real name UTF-8 encoded (RFC 6266, RFC 8187), so any name is safe
 * in the header and every browser saves the file under its name.
 */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** The types whose verified file may stand for its item in pictures (an item's `image_url`). */
export const isPicture = (attachment: Record<string, unknown>) =>
  attachment.attachment_type === 'PHOTO' && attachment.status === 'READY' && typeof attachment.mime_type === 'string' && attachment.mime_type.startsWith('image/');

/**
 * What an item keeps of its primary attachment (`primary_attachment_id`, and `primary_picture`
 * while that is a READY photo), as the update a touch of the item carries; `null` removes a field.
 * The item's version moves on with it: its answer (`image_url`) changes.
 */
export function itemPrimaryUpdate(fields: { primary_attachment_id?: string | null; primary_picture?: true | null }) {
  const set = ['#pv = #pv + :pone', 'updated_at = :pnow'];
  const remove: string[] = [];
  const values: Record<string, unknown> = { ':pone': 1, ':pnow': new Date().toISOString() };
  for (const [field, value] of Object.entries(fields)) {
    if (value === null) remove.push(field);
    else {
      set.push(`${field} = :${field}`);
      values[`:${field}`] = value;
    }
  }
  return { clauses: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`, names: { '#pv': 'version' }, values };
}
