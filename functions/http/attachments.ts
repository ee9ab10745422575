// Attachments: uploads straight to S3 (presigned POST), references to documents elsewhere, the
// item's list, one attachment, the download redirect, the primary switch, delete (shared/domain/attachments).
import * as contract from '../../shared/contract/attachments.js';
import { httpRoute, Reply } from '../../shared/http/route.js';
import * as keys from '../../shared/db/keys.js';
import * as attachments from '../../shared/domain/attachments/service.js';

/** the item in the path, read with the authorisation (one round trip) */
const itemInPath = (params: Record<string, string>) => keys.entity(params.workspace_id!, 'ITEM', params.item_id!);

export const listItemAttachments = /* @__PURE__ */ httpRoute(contract.listItemAttachments, ({ scope, params }) =>
  attachments.listOfItem(scope, params.item_id), { prefetch: itemInPath });

export const requestAttachmentUpload = /* @__PURE__ */ httpRoute(contract.requestAttachmentUpload, ({ scope, caller, params, body }) =>
  attachments.requestUpload(scope, caller.user.id, params.item_id, body));

export const createAttachment = /* @__PURE__ */ httpRoute(contract.createAttachment, ({ scope, caller, params, body }) =>
  attachments.createReference(scope, caller.user.id, params.item_id, body));

export const setPrimaryAttachment = /* @__PURE__ */ httpRoute(contract.setPrimaryAttachment, ({ scope, caller, params }) =>
  attachments.setPrimary(scope, caller.user.id, params.item_id, params.id));

export const getAttachment = /* @__PURE__ */ httpRoute(contract.getAttachment, ({ scope, params }) =>
  attachments.get(scope, params.id), { prefetch: attachments.attachments });

// A redirect to a link valid 5 minutes: never stored by a cache.
export const downloadAttachment = /* @__PURE__ */ httpRoute(contract.downloadAttachment, async ({ scope, params }) =>
  new Reply(302, undefined, { headers: { location: await attachments.downloadUrl(scope, params.id), 'cache-control': 'no-store' } }),
{ prefetch: attachments.attachments });

export const deleteAttachment = /* @__PURE__ */ httpRoute(contract.deleteAttachment, ({ scope, caller, params, ifMatch }) =>
  attachments.remove(scope, caller.user.id, params.id, ifMatch));
