// Imports too large for one request (contract/imports.ts takes 1 MiB and 500 rows): the file goes
// straight to storage with a presigned form, and an import job reads it and writes its rows the
// same way, through each type's own REST routes, in steps.
import * as z from 'zod/mini';
import { WorkspaceParams } from './common.js';
import { importTypes } from './imports.js';
import { Job, queuedJobExample } from './jobs.js';
import { document, route } from './route.js';
import { integer, oneOf } from './text.js';

/** The largest file an import job reads (about 100,000 rows of a wide item export). */
export const maxImportFileBytes = 50 * 1024 * 1024;
/** Rows one import job writes at most. */
export const maxImportJobRows = 100_000;

export const startImport = /* @__PURE__ */ route({
  id: 'startImport', method: 'POST', path: '/workspaces/{workspace_id}/imports', domain: 'imports', access: 'member',
  summary: 'Import a large CSV or JSON file in the background: a presigned upload form, then a job',
  description: [
    'For files over what `POST …/import/{type}` takes (1 MiB, 500 rows). Answers 202 with the job, `AWAITING_UPLOAD`, and `upload`: send its `fields`, then the file (field `file`), as `multipart/form-data` to `upload.url` within 15 minutes; storage accepts at most `size_bytes` bytes. The upload queues the job.',
    `The job reads the file as \`POST …/import/{type}\` does (same columns, options and report) and writes its rows through the same routes with your rights, in steps; \`progress\` counts the rows done, and the DONE job carries the \`report\`. At most ${maxImportJobRows.toLocaleString('en')} rows and ${maxImportFileBytes / 1024 / 1024} MiB. A file that cannot be read ends the job FAILED with \`IMPORT_UNREADABLE\` or \`IMPORT_TOO_MANY_ROWS\`.`,
  ].join('\n\n'),
  params: WorkspaceParams,
  body: z.strictObject({
    entity_type: oneOf(importTypes),
    format: oneOf(['csv', 'json'] as const),
    size_bytes: integer(1, maxImportFileBytes),
    mode: z.optional(oneOf(['create', 'upsert'] as const)),
    dry_run: z.optional(z.boolean()),
    create_missing: z.optional(z.boolean()),
  }),
  response: Job, status: 202, location: '/workspaces/{workspace_id}/jobs/{id}',
  grants: { attachments: 'write' },
});
DOCS: document(startImport, {
  body: { entity_type: 'item', format: 'csv', size_bytes: 2_400_000, mode: 'upsert' },
  response: { ...queuedJobExample, kind: 'IMPORT', status: 'AWAITING_UPLOAD', progress: { processed: 0, total: 0 } },
});
