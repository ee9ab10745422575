// Whole-workspace backups and restores (shared/domain/backups): a backup is one archive (a tar of
// JSON lines per kind of record, every attachment's bytes and a manifest with counts and SHA-256
// checksums) made by a job and kept 30 days; a restore reads such an archive, one just made or one
// uploaded, into a new workspace, never into a live one.
import * as z from 'zod/mini';
import { Uuid, WorkspaceParams } from './common.js';
import { Job, queuedJobExample } from './jobs.js';
import { document, route } from './route.js';
import { integer, nameText } from './text.js';

/** Days a backup's archive is kept (the job's TTL and the bucket's lifecycle rule). */
export const backupKeptDays = 30;
/** The largest archive a restore takes from an upload. */
export const maxArchiveBytes = 5 * 1024 * 1024 * 1024;

export const createBackup = /* @__PURE__ */ route({
  id: 'createBackup', method: 'POST', path: '/workspaces/{workspace_id}/backups', domain: 'backups', access: 'admin',
  summary: 'Back the whole workspace up: one archive of every entity and every attachment\'s bytes (made in the background)',
  description: [
    'The archive (`.tar`) holds a `manifest.json` (schema version, the workspace, counts per kind, the SHA-256 of every file), every kind of record as JSON lines (`records/*.jsonl`: categories, locations, containers, companies, labels, borrowers, items, inventory, loans, attachments, movements, favorites and the guards that keep SKUs and short codes unique), and every READY attachment\'s file (`files/{attachment_id}`). Members, activity history, the change log and search postings are not in it: a restore rebuilds the derived ones.',
    `Answers 202 with the job; poll \`GET …/jobs/{id}\` (\`Location\`): \`progress\` counts records and files written; the DONE job carries the archive's download link. Backups are kept ${backupKeptDays} days. Owners and admins only.`,
  ].join('\n\n'),
  params: WorkspaceParams, response: Job, status: 202, location: '/workspaces/{workspace_id}/jobs/{id}',
  grants: { attachments: 'read' },
});
DOCS: document(createBackup, { response: { ...queuedJobExample, kind: 'BACKUP', progress: { processed: 0, total: 0 } } });

export const listBackups = /* @__PURE__ */ route({
  id: 'listBackups', method: 'GET', path: '/workspaces/{workspace_id}/backups', domain: 'backups', access: 'admin',
  summary: 'The workspace\'s backups of the last 30 days, newest first, with status and download links',
  description: 'Each is its job (as `GET …/jobs/{id}` answers it): a DONE one carries `file` and a `download_url` valid 15 minutes. Owners and admins only.',
  params: WorkspaceParams, response: z.object({ items: z.array(Job) }), status: 200,
  grants: { attachments: 'read' },
});
DOCS: document(listBackups, { response: { items: [{ ...queuedJobExample, kind: 'BACKUP', status: 'QUEUED', progress: { processed: 0, total: 0 } }] } });

export const restoreWorkspace = /* @__PURE__ */ route({
  id: 'restoreWorkspace', method: 'POST', path: '/workspaces/{workspace_id}/restore', domain: 'backups', access: 'admin',
  summary: 'Restore a backup into a new workspace (never into a live one)',
  description: [
    'From one of this workspace\'s DONE backups (`backup_id`), or from an archive you upload (`size_bytes`: the answer is then `AWAITING_UPLOAD` with an `upload` form; send `fields`, then the file as field `file`; the upload queues the job).',
    'The job makes a new workspace (`name`, by default the backed-up one\'s with "(restored)"), you its owner, and writes every record of the archive into it with the same ids, so links, short codes and offline references stay valid; then every attachment\'s bytes. Every file is checked against the manifest\'s SHA-256 first: an archive that is not a backup of this app, or was changed, ends the job FAILED with `BACKUP_INVALID` and makes nothing. The DONE job carries `restored_workspace_id`. Owners and admins of this workspace only.',
  ].join('\n\n'),
  params: WorkspaceParams,
  body: z.strictObject({
    backup_id: z.optional(Uuid),
    size_bytes: z.optional(integer(1, maxArchiveBytes)),
    name: z.optional(nameText(100)),
  }),
  response: Job, status: 202, location: '/workspaces/{workspace_id}/jobs/{id}', errors: ['NOT_FOUND', 'BACKUP_NOT_READY'],
  grants: { attachments: 'write' },
});
DOCS: document(restoreWorkspace, {
  body: { backup_id: '0193a5e2-7c1a-7b3e-9f00-00000000f001' },
  response: { ...queuedJobExample, kind: 'RESTORE', progress: { processed: 0, total: 0 } },
});
