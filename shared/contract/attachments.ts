// Attachments: photos, receipts, manuals and warranties of an item. A file goes straight from the
// phone to S3 through a presigned POST form; an S3 event verifies it (size, real type by its
// bytes) before it is ever served, and only members get (5-minute) download links. An attachment
// may also reference a document kept elsewhere (a Docspell id) without a file here.
import * as z from 'zod/mini';
import { entityMeta, example, IdOut, IntOut, named, TimestampOut, UploadForm, UrlOut, Uuid } from './common.js';
import { document, route } from './route.js';
import { asciiText, integer, oneOf, singleLine } from './text.js';

export const attachmentTypes = ['PHOTO', 'MANUAL', 'RECEIPT', 'WARRANTY', 'OTHER'] as const;
export const attachmentStatuses = ['PENDING', 'READY', 'REJECTED'] as const;

/** The most attachments one item holds (its list is one page). */
export const attachmentsPerItem = 100;
/** How long an upload form and a download link stay valid. */
export const uploadFormSeconds = 15 * 60;
export const downloadLinkSeconds = 5 * 60;

export const Attachment = /* @__PURE__ */ named('Attachment', z.object({
  id: IdOut,
  workspace_id: IdOut,
  item_id: IdOut,
  attachment_type: oneOf(attachmentTypes),
  title: z.optional(z.string()),
  is_primary: z.boolean(),
  /** uploads only: PENDING until the file arrives and is verified, then READY or REJECTED */
  status: z.optional(oneOf(attachmentStatuses)),
  file_name: z.optional(z.string()),
  mime_type: z.optional(z.string()),
  size_bytes: z.optional(IntOut),
  /** SHA-256 of the stored file, hex (READY); the declared one until then */
  checksum: z.optional(z.string()),
  rejection_reason: z.optional(z.string()),
  file_id: z.optional(IdOut),
  docspell_item_id: z.optional(z.string()),
  /** READY only, and only to members: a presigned GET valid 5 minutes */
  download_url: z.optional(UrlOut),
  download_expires_at: z.optional(TimestampOut),
  ...entityMeta,
}), 'A file (or a reference to a document elsewhere) that goes with an item. Uploaded files are served only once verified (`status` READY).');

const attachmentExample = {
  id: '0193a5e2-7c1a-7b3e-9f00-000000009001', workspace_id: '0193a5e2-7c1a-7b3e-9f00-aaaaaaaaaaaa', item_id: '0193a5e2-7c1a-7b3e-9f00-000000001001',
  attachment_type: 'RECEIPT' as const, title: 'Receipt from the hardware store', is_primary: false, status: 'READY' as const,
  file_name: 'receipt.pdf', mime_type: 'application/pdf', size_bytes: 48213, checksum: '5d41402abc4b2a76b9719d911017c592ae6c7b1c5f3b2a1b0e4d5c6b7a8f9e0d',
  download_url: 'https://home-warehouse-attachments-123456789012-eu-west-1.s3.eu-west-1.amazonaws.com/workspaces/0193a5e2-7c1a-7b3e-9f00-aaaaaaaaaaaa/items/0193a5e2-7c1a-7b3e-9f00-000000001001/0193a5e2-7c1a-7b3e-9f00-000000009001/receipt.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=300',
  download_expires_at: '2026-11-26T09:05:00.000Z', created_at: '2026-11-26T09:00:00.000Z', updated_at: '2026-11-26T09:00:07.000Z', version: 2,
};
DOCS: example(Attachment, attachmentExample);

export const AttachmentUpload = /* @__PURE__ */ named('AttachmentUpload', z.object({
  ...Attachment.shape,
  upload: UploadForm,
}), 'The new attachment (PENDING) and the form that uploads its file straight to storage.');

const AttachmentType = /* @__PURE__ */ oneOf(attachmentTypes);
const Title = /* @__PURE__ */ z.optional(z.nullable(singleLine({ max: 200 })));
const ItemParams = /* @__PURE__ */ z.object({ workspace_id: Uuid, item_id: Uuid });
const AttachmentParams = /* @__PURE__ */ z.object({ workspace_id: Uuid, id: Uuid });

export const listItemAttachments = /* @__PURE__ */ route({
  id: 'listItemAttachments', method: 'GET', path: '/workspaces/{workspace_id}/items/{item_id}/attachments', domain: 'attachments', access: 'viewer',
  summary: 'An item\'s attachments, the primary one first, then oldest first',
  description: `All of them in one answer (an item holds at most ${attachmentsPerItem}). READY ones carry a \`download_url\` valid ${downloadLinkSeconds / 60} minutes.`,
  params: ItemParams, response: z.object({ items: z.array(Attachment) }), status: 200, errors: ['NOT_FOUND'], grants: { attachments: 'read' },
});

DOCS: document(listItemAttachments, { response: { items: [{ ...attachmentExample, is_primary: true }] } });

export const requestAttachmentUpload = /* @__PURE__ */ route({
  id: 'requestAttachmentUpload', method: 'POST', path: '/workspaces/{workspace_id}/items/{item_id}/attachments/upload', domain: 'attachments', access: 'member',
  summary: 'Start an upload: the attachment (PENDING) and a presigned POST form for its file',
  description: [
    `Send \`upload.fields\` and then the file (field \`file\`) as \`multipart/form-data\` to \`upload.url\` within ${uploadFormSeconds / 60} minutes. Storage accepts only this key, the declared \`mime_type\` and at most \`size_bytes\` bytes.`,
    'Once stored, the file is verified (its size, its real type read from its bytes, the checksum when one was declared): the attachment becomes READY, or REJECTED with a `rejection_reason` (the file is then deleted). Poll `GET …/attachments/{id}` or wait for the change feed.',
    'Types: JPEG, PNG, WebP, HEIC/HEIF, PDF and plain text unless the deployment says otherwise; at most 25 MiB (`ATTACHMENT_MAX_BYTES`). Other types and sizes are 422. A workspace holds at most its quota (5 GiB by default): 409 `STORAGE_QUOTA_EXCEEDED`.',
    'An upload asked with `is_primary: true` becomes the item\'s primary attachment at once (the previous one stops being primary).',
  ].join('\n\n'),
  params: ItemParams,
  body: z.strictObject({
    file_name: singleLine({ min: 1, max: 255 }),
    mime_type: asciiText({ max: 100, pattern: /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$/ }),
    size_bytes: integer(1, 2 ** 40),
    checksum: z.optional(asciiText({ max: 64, pattern: /^[0-9A-Fa-f]{64}$/ })),
    attachment_type: AttachmentType,
    title: Title,
    is_primary: z.optional(z.boolean()),
  }),
  response: AttachmentUpload, status: 201, location: '/workspaces/{workspace_id}/attachments/{id}',
  errors: ['NOT_FOUND', 'STORAGE_QUOTA_EXCEEDED', 'TOO_MANY_ATTACHMENTS', 'RESOURCE_BUSY'], grants: { attachments: 'write' },
});
DOCS: document(requestAttachmentUpload, {
  body: { file_name: 'receipt.pdf', mime_type: 'application/pdf', size_bytes: 48213, attachment_type: 'RECEIPT', title: 'Receipt from the hardware store' },
  response: {
    ...attachmentExample, status: 'PENDING', checksum: undefined, download_url: undefined, download_expires_at: undefined, version: 1,
    upload: {
      method: 'POST', url: 'https://home-warehouse-attachments-123456789012-eu-west-1.s3.eu-west-1.amazonaws.com/',
      fields: { 'Content-Type': 'application/pdf', bucket: 'home-warehouse-attachments-123456789012-eu-west-1', 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256', key: 'workspaces/…/receipt.pdf', Policy: 'eyJleHBpcmF0aW9uIjoi…', 'X-Amz-Signature': '…' },
      expires_at: '2026-11-26T09:15:00.000Z',
    },
  },
});

export const createAttachment = /* @__PURE__ */ route({
  id: 'createAttachment', method: 'POST', path: '/workspaces/{workspace_id}/items/{item_id}/attachments', domain: 'attachments', access: 'member',
  summary: 'Attach a reference to a document kept elsewhere (a Docspell id, a file id), without a file here',
  description: 'At least one of `file_id` and `docspell_item_id`. To store a file, use `…/attachments/upload`.',
  params: ItemParams,
  body: z.strictObject({
    attachment_type: AttachmentType,
    is_primary: z.optional(z.boolean()),
    title: Title,
    file_id: z.optional(z.nullable(Uuid)),
    docspell_item_id: z.optional(z.nullable(asciiText({ max: 100, pattern: /^[A-Za-z0-9._~:-]+$/ }))),
  }),
  response: Attachment, status: 201, location: '/workspaces/{workspace_id}/attachments/{id}',
  errors: ['NOT_FOUND', 'TOO_MANY_ATTACHMENTS', 'RESOURCE_BUSY'],
});
DOCS: document(createAttachment, {
  body: { attachment_type: 'MANUAL', title: 'User manual', docspell_item_id: 'Dx7pN2qR' },
  response: {
    id: '0193a5e2-7c1a-7b3e-9f00-000000009002', workspace_id: attachmentExample.workspace_id, item_id: attachmentExample.item_id, attachment_type: 'MANUAL',
    title: 'User manual', is_primary: false, docspell_item_id: 'Dx7pN2qR', created_at: '2026-11-26T09:00:00.000Z', updated_at: '2026-11-26T09:00:00.000Z', version: 1,
  },
});

export const setPrimaryAttachment = /* @__PURE__ */ route({
  id: 'setPrimaryAttachment', method: 'POST', path: '/workspaces/{workspace_id}/items/{item_id}/attachments/{id}/set-primary', domain: 'attachments', access: 'member',
  summary: 'Make an attachment its item\'s primary one (the previous primary stops being it, in the same write)',
  description: 'The item\'s `image_url` shows its primary attachment when that is a READY photo and the item has no `image_url` of its own.',
  params: z.object({ workspace_id: Uuid, item_id: Uuid, id: Uuid }), status: 204, errors: ['NOT_FOUND', 'RESOURCE_BUSY'],
});

export const getAttachment = /* @__PURE__ */ route({
  id: 'getAttachment', method: 'GET', path: '/workspaces/{workspace_id}/attachments/{id}', domain: 'attachments', access: 'viewer',
  summary: 'One attachment (with a download link when READY)', params: AttachmentParams, response: Attachment, status: 200,
  errors: ['NOT_FOUND'], grants: { attachments: 'read' },
});

export const downloadAttachment = /* @__PURE__ */ route({
  id: 'downloadAttachment', method: 'GET', path: '/workspaces/{workspace_id}/attachments/{id}/download', domain: 'attachments', access: 'viewer',
  summary: 'Redirect (302) to the verified file: a presigned GET valid 5 minutes',
  description: 'The file comes with `Content-Disposition: attachment` and its original name. 409 `ATTACHMENT_NOT_READY` while the upload is pending, when it was rejected, or for a reference without a file.',
  params: AttachmentParams, status: 302, errors: ['NOT_FOUND', 'ATTACHMENT_NOT_READY'], grants: { attachments: 'read' },
});

export const deleteAttachment = /* @__PURE__ */ route({
  id: 'deleteAttachment', method: 'DELETE', path: '/workspaces/{workspace_id}/attachments/{id}', domain: 'attachments', access: 'member', conditional: true,
  summary: 'Delete an attachment and its file', description: 'The record goes at once; the stored file (every version of it) follows within seconds.',
  params: AttachmentParams, status: 204, errors: ['NOT_FOUND', 'RESOURCE_BUSY'],
});
