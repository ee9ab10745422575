// Attachments: ask for an upload (a PENDING record and a presigned POST form), reference a document
// kept elsewhere, list an item's, get one (with a download link once verified), redirect to the
// file, switch the primary one, delete. Every write is one transaction: the attachment, its item's
// count (at most `attachmentsPerItem`) and, when the primary one changes, the previous primary and
// the item's `primary_attachment_id` (conditional on the item as read, so two switches never leave
// two primaries). The verifier (verify.ts) turns PENDING into READY or REJECTED.
import type { z } from 'zod/mini';
import { attachmentsPerItem, downloadLinkSeconds, uploadFormSeconds, type Attachment, type AttachmentUpload } from '../../contract/attachments.js';
import type { WorkspaceScope } from '../../http/caller.js';
import type { IfMatch } from '../../http/conditional.js';
import { attachmentSettings } from '../../config.js';
import * as keys from '../../db/keys.js';
import { tableName, type TransactItem } from '../../db/table.js';
import { presignGet, presignPost } from '../../aws/s3-presign.js';
import { DomainError, NotFound } from '../errors.js';
import { lostRace, settleRace } from '../races.js';
import * as catalog from '../catalog/operations.js';
import * as engine from '../catalog/repository.js';
import type { CatalogRecord } from '../catalog/model.js';
import { applied, changeSteps, createSteps, newRecord, run, together } from '../catalog/writes.js';
import { attachmentDefinition, contentDisposition, isPicture, itemPrimaryUpdate, safeFileName } from './model.js';

export type AttachmentRecord = z.output<typeof Attachment>;

export const attachments = /* @__PURE__ */ catalog.entity<AttachmentRecord>(attachmentDefinition);
/**
 * The item in the path, as these routes read it: only its type and label matter here (the item's
 * own declaration, shared/domain/items/model.ts, would add ~1.5 KB to each route).
 */
const itemInPath = { type: 'ITEM', label: 'item', fields: [], optional: [] };
export const itemEntity = /* @__PURE__ */ catalog.entity(itemInPath);

const itemNotFound = () => NotFound('No item with that id in this workspace.');
const attachmentNotFound = () => NotFound('No attachment with that id in this workspace.');

/** A verified file is there to serve (PENDING, REJECTED and references have none). */
const hasFile = (record: CatalogRecord) => record.status === 'READY' && typeof record.object_key === 'string';

/** The attachment as answers show it: a READY one with a fresh download link (members only reach this). */
async function shown(record: CatalogRecord): Promise<AttachmentRecord> {
  const view = catalog.present(attachments, record) as unknown as AttachmentRecord;
  if (!hasFile(record)) return view;
  const link = await downloadLink(record);
  return { ...view, download_url: link.url, download_expires_at: link.expires_at };
}

function downloadLink(record: CatalogRecord) {
  return presignGet({
    key: record.object_key as string,
    versionId: record.object_version as string | undefined,
    responseHeaders: { 'response-content-disposition': contentDisposition(String(record.file_name ?? 'file')), 'response-content-type': String(record.mime_type) },
    expiresInSeconds: downloadLinkSeconds,
  });
}

/** The item as it is now (consistently): 404 for a path naming no item of this workspace. */
async function itemOf(workspaceId: string, itemId: string): Promise<CatalogRecord> {
  return (await engine.getEntity(itemInPath, workspaceId, itemId, true)) ?? Promise.reject(itemNotFound());
}

/**
 * What making `record` the item's primary attachment writes besides the record: the previous
 * primary loses the flag (while it still has it), and the item (as read: version) records the new
 * one and whether its picture shows it.
 */
function primarySwitch(workspaceId: string, item: CatalogRecord, record: CatalogRecord, actorId: string) {
  const previous = typeof item.primary_attachment_id === 'string' && item.primary_attachment_id !== record.id ? item.primary_attachment_id : undefined;
  const touch: engine.Touch = {
    key: keys.entity(workspaceId, 'ITEM', item.id), type: 'ITEM', field: 'item_id', target: item.id, versionIs: item.version,
    update: itemPrimaryUpdate({ primary_attachment_id: record.id, primary_picture: isPicture(record) ? true : null }),
  };
  const items: TransactItem[] = previous ? [{
    Update: {
      TableName: tableName, Key: keys.entity(workspaceId, 'ATTACHMENT', previous),
      UpdateExpression: 'SET is_primary = :no, #version = #version + :one, updated_at = :now, updated_by = :actor',
      ConditionExpression: 'is_primary = :yes',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':no': false, ':yes': true, ':one': 1, ':now': new Date().toISOString(), ':actor': actorId },
    },
  }] : [];
  return { touch, items };
}

/** What a client sent to create an attachment (its own fields; the engine keeps the declared ones). */
type NewAttachment = { is_primary?: boolean | undefined; [field: string]: unknown };

/**
 * Creates an attachment of `itemId` (an upload's PENDING record, or a reference), as primary when
 * asked. The item must exist and hold fewer than `attachmentsPerItem`.
 */
async function createOf(scope: WorkspaceScope, actorId: string, itemId: string, input: NewAttachment, stored: (record: CatalogRecord) => Record<string, unknown>) {
  const workspaceId = scope.workspace.id;
  return settleRace(async () => {
    const item = await itemOf(workspaceId, itemId);
    if (Number(item.attachments ?? 0) >= attachmentsPerItem) {
      throw new DomainError('TOO_MANY_ATTACHMENTS', `The item has ${attachmentsPerItem} attachments, as many as an item may have.`);
    }
    const record = newRecord(attachments, workspaceId, actorId, { ...input as Record<string, unknown>, item_id: itemId, is_primary: input.is_primary === true });
    Object.assign(record, stored(record));
    const writes = await createSteps(attachments, workspaceId, record);
    for (const touch of writes.touches) Object.assign(touch, { atMost: { attachments: attachmentsPerItem - 1 } });
    const extra: TransactItem[] = [];
    if (record.is_primary) {
      const primary = primarySwitch(workspaceId, item, record, actorId);
      writes.touches.push(primary.touch);
      extra.push(...primary.items);
    }
    const cause = await run([
      ...together(attachments, writes), ...extra.map((item) => ({ item, cause: 'previous' })),
      { item: engine.workspaceActive(workspaceId), cause: 'workspace' },
    ], workspaceId);
    // the item changed (or went), or the previous primary did: read again (a vanished item is then a 404)
    if (cause !== undefined) return lostRace;
    return record;
  }, { conditional: false });
}

export interface UploadRequest {
  file_name: string;
  mime_type: string;
  size_bytes: number;
  checksum?: string | undefined;
  attachment_type: string;
  title?: string | null | undefined;
  is_primary?: boolean | undefined;
}

const invalid = (field: string, message: string, detail: string) =>
  new DomainError('VALIDATION_FAILED', message, { errors: [{ location: `body.${field}`, message: detail }] });

/**
 * Asks for an upload: refuses types outside the allow-list, files over the size limit and what the
 * workspace's quota cannot hold (counted again when the file is verified, so concurrent uploads
 * never push it over), creates the PENDING attachment and answers the form that uploads its file.
 */
export async function requestUpload(scope: WorkspaceScope, actorId: string, itemId: string, input: UploadRequest): Promise<z.input<typeof AttachmentUpload>> {
  const { types, maxBytes, quotaBytes } = attachmentSettings();
  const mimeType = input.mime_type.toLowerCase();
  if (!types.includes(mimeType)) throw invalid('mime_type', 'This type of file cannot be attached.', `must be one of: ${types.join(', ')}`);
  if (input.size_bytes > maxBytes) throw invalid('size_bytes', `A file may be at most ${maxBytes} bytes.`, `must be at most ${maxBytes}`);
  const used = Number(scope.workspace.storage_bytes ?? 0);
  if (used + input.size_bytes > quotaBytes) {
    throw new DomainError('STORAGE_QUOTA_EXCEEDED', `The workspace stores ${used} of its ${quotaBytes} bytes; this file does not fit.`);
  }
  const workspaceId = scope.workspace.id;
  const record = await createOf(scope, actorId, itemId, { ...input, mime_type: mimeType, ...(input.checksum ? { checksum: input.checksum.toLowerCase() } : {}) }, (made) => ({
    status: 'PENDING', object_key: keys.attachmentObject(workspaceId, itemId, made.id, safeFileName(input.file_name)),
  }));
  const form = await presignPost({ key: record.object_key as string, contentType: mimeType, maxBytes: input.size_bytes, expiresInSeconds: uploadFormSeconds });
  return { ...(await shown(record)), upload: { method: 'POST', url: form.url, fields: form.fields, expires_at: form.expires_at } };
}

export interface ReferenceInput {
  attachment_type: string;
  is_primary?: boolean | undefined;
  title?: string | null | undefined;
  file_id?: string | null | undefined;
  docspell_item_id?: string | null | undefined;
}

/** An attachment that only references a document kept elsewhere (no file, no status). */
export async function createReference(scope: WorkspaceScope, actorId: string, itemId: string, input: ReferenceInput): Promise<AttachmentRecord> {
  if (!input.file_id && !input.docspell_item_id) {
    throw new DomainError('VALIDATION_FAILED', 'A reference needs `file_id` or `docspell_item_id`.', {
      errors: [{ location: 'body.docspell_item_id', message: 'is required when file_id is absent' }],
    });
  }
  // a reference has no file: no link to make (and no presigning code in this route)
  return catalog.present(attachments, await createOf(scope, actorId, itemId, { ...input }, () => ({}))) as unknown as AttachmentRecord;
}

/** An item's attachments: the primary first, then oldest first (one Query: an item holds at most 100). */
export async function listOfItem(scope: WorkspaceScope, itemId: string): Promise<{ items: AttachmentRecord[] }> {
  await catalog.read(itemEntity, scope, itemId);
  const page = await catalog.listLinked(attachments, scope, 'item_id', itemId, { limit: attachmentsPerItem, include_archived: true });
  const records = (page.items as unknown as CatalogRecord[]).sort((a, b) => Number(b.is_primary === true) - Number(a.is_primary === true) || a.id.localeCompare(b.id));
  return { items: await Promise.all(records.map(shown)) };
}

export const get = async (scope: WorkspaceScope, id: string) => shown(await catalog.read(attachments, scope, id));

/** Where the verified file is: a presigned GET (409 while there is none to give). */
export async function downloadUrl(scope: WorkspaceScope, id: string): Promise<string> {
  const record = await catalog.read(attachments, scope, id);
  if (!hasFile(record)) {
    const why = record.status === 'PENDING' ? 'its file has not arrived or is being verified' : record.status === 'REJECTED' ? 'its file was rejected' : 'it references a document kept elsewhere';
    throw new DomainError('ATTACHMENT_NOT_READY', `The attachment has no file to download: ${why}.`);
  }
  return (await downloadLink(record)).url;
}

/** Makes the attachment its item's primary one; the previous one stops being it in the same write. */
export async function setPrimary(scope: WorkspaceScope, actorId: string, itemId: string, id: string): Promise<void> {
  const workspaceId = scope.workspace.id;
  await settleRace(async () => {
    const current = await engine.getEntity(attachmentDefinition, workspaceId, id, true);
    if (!current || current.item_id !== itemId) throw attachmentNotFound();
    const item = await itemOf(workspaceId, itemId);
    if (current.is_primary === true && item.primary_attachment_id === id) return 'done';
    const next = applied(current, { is_primary: true }, actorId);
    const primary = primarySwitch(workspaceId, item, next, actorId);
    const writes = await changeSteps(attachments, workspaceId, current, next);
    writes.touches.push(primary.touch);
    // the attachment, the item or the previous primary changed meanwhile: read them again
    return (await run([...together(attachments, writes), ...primary.items.map((write) => ({ item: write, cause: 'previous', changes: attachmentDefinition.type }))], workspaceId)) === undefined ? 'done' : lostRace;
  }, { conditional: false });
}

/**
 * Deletes the record in one transaction with what hangs on it: the item's count (and its primary,
 * when this was it), the workspace's storage (a READY file). The file itself goes through the
 * change feed (functions/streams/projectors/attachment-objects.ts), retried until it is gone.
 */
export async function remove(scope: WorkspaceScope, actorId: string, id: string, ifMatch: IfMatch): Promise<void> {
  const workspaceId = scope.workspace.id;
  await catalog.remove(attachments, scope, actorId, id, ifMatch, (current) => ({
    touches: current.is_primary === true
      ? [{ key: keys.entity(workspaceId, 'ITEM', current.item_id as string), type: 'ITEM', update: itemPrimaryUpdate({ primary_attachment_id: null, primary_picture: null }) }] : [],
    items: current.status === 'READY' ? [storageChange(workspaceId, -Number(current.size_bytes ?? 0))] : [],
  }));
}

/**
 * The workspace's storage moved by one verified file arriving (`bytes` > 0: only while it stays
 * within the quota, and only while the workspace is active) or going (its count moves with it; a
 * verified file has at least one byte). Its version moves on too: the workspace's answer shows its storage.
 */
export function storageChange(workspaceId: string, bytes: number): TransactItem {
  const growing = bytes > 0;
  const count = Math.sign(bytes);
  return {
    Update: {
      TableName: tableName, Key: keys.workspace(workspaceId),
      UpdateExpression: 'ADD storage_bytes :bytes, attachment_count :count, #version :one',
      ConditionExpression: growing ? '#status = :active AND (attribute_not_exists(storage_bytes) OR storage_bytes <= :room)' : 'attribute_exists(PK)',
      ExpressionAttributeNames: { '#version': 'version', ...(growing ? { '#status': 'status' } : {}) },
      ExpressionAttributeValues: { ':bytes': bytes, ':count': count, ':one': 1, ...(growing ? { ':active': 'active', ':room': attachmentSettings().quotaBytes - bytes } : {}) },
    },
  };
}
