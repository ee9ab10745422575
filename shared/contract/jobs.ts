// Background jobs a person starts and waits for: label sheets, the insurance report, large exports
// and imports, backups and restores. A job is answered 202 with its record; its status moves
// QUEUED → RUNNING → DONE (a file to download, an import's report, a restored workspace) or FAILED
// (a code saying why). A job that needs a file first (a large import, a restore from an archive)
// starts AWAITING_UPLOAD with a presigned form; the upload queues it. The job runner runs it
// (functions/streams/job-runner.ts), so it starts within seconds; a long one runs in steps
// (QUEUED again between them), each well inside Lambda's 15 minutes.
import * as z from 'zod/mini';
import { example, IdOut, IntOut, named, TimestampOut, UploadForm, Uuid, UrlOut } from './common.js';
import { ImportReport } from './imports.js';
import { document, route } from './route.js';

export const jobKinds = ['LABEL_SHEETS', 'INSURANCE_REPORT', 'EXPORT', 'IMPORT', 'BACKUP', 'RESTORE'] as const;
export const jobStatuses = ['AWAITING_UPLOAD', 'QUEUED', 'RUNNING', 'DONE', 'FAILED'] as const;
/** Minutes a finished job's download link stays valid (a new GET gives a fresh one). */
export const jobLinkSeconds = 15 * 60;
/** Days a job and its file are kept (the record's TTL; the file's lifecycle rule). */
export const jobKeptDays = 7;

export const Job = /* @__PURE__ */ named('Job', z.object({
  id: IdOut,
  workspace_id: IdOut,
  kind: z.enum(jobKinds),
  status: z.enum(jobStatuses),
  /** what is done of what there is to do (labels drawn, items written) */
  progress: z.object({ processed: IntOut, total: IntOut }),
  created_at: TimestampOut,
  created_by: IdOut,
  started_at: z.optional(TimestampOut),
  finished_at: z.optional(TimestampOut),
  /** the file a DONE job made */
  file: z.optional(z.object({ name: z.string(), content_type: z.string(), size_bytes: IntOut, pages: IntOut })),
  download_url: z.optional(UrlOut),
  download_expires_at: z.optional(TimestampOut),
  /** an import's report (counts and the errors of failed rows), once DONE */
  report: z.optional(ImportReport),
  /** the workspace a DONE restore made */
  restored_workspace_id: z.optional(IdOut),
  /** where to send the file an AWAITING_UPLOAD job waits for (only in the answer that started it) */
  upload: z.optional(UploadForm),
  /** why a FAILED job failed */
  error: z.optional(z.object({ code: z.string(), message: z.string() })),
  expires_at: TimestampOut,
}), `A background job: its status, its progress, and once DONE the file it made with a download link valid ${jobLinkSeconds / 60} minutes.`);
export type JobView = z.infer<typeof Job>;

export const jobExample = {
  id: '0193a5e2-7c1a-7b3e-9f00-00000000f001', workspace_id: '0193a5e2-7c1a-7b3e-9f00-000000000a01', kind: 'LABEL_SHEETS' as const, status: 'DONE' as const,
  progress: { processed: 21, total: 21 }, created_at: '2026-11-26T09:00:00.000Z', created_by: '0193a5e2-7c1a-7b3e-9f00-000000000001',
  started_at: '2026-11-26T09:00:01.000Z', finished_at: '2026-11-26T09:00:02.000Z',
  file: { name: 'labels-avery-l7160.pdf', content_type: 'application/pdf', size_bytes: 36604, pages: 1 },
  download_url: 'https://home-warehouse-attachments.s3.eu-west-1.amazonaws.com/jobs/0193a5e2-7c1a-7b3e-9f00-000000000a01/0193a5e2-7c1a-7b3e-9f00-00000000f001/labels-avery-l7160.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=900&X-Amz-Signature=5f1c0e7d',
  download_expires_at: '2026-11-26T09:15:03.000Z', expires_at: '2026-12-03T09:00:00.000Z',
};
DOCS: example(Job, jobExample);
/** The same job as its start answered it. */
export const queuedJobExample = {
  id: jobExample.id, workspace_id: jobExample.workspace_id, kind: jobExample.kind, status: 'QUEUED' as const, progress: { processed: 0, total: 21 },
  created_at: jobExample.created_at, created_by: jobExample.created_by, expires_at: jobExample.expires_at,
};

export const getJob = /* @__PURE__ */ route({
  id: 'getJob', method: 'GET', path: '/workspaces/{workspace_id}/jobs/{id}', domain: 'jobs', access: 'viewer',
  summary: 'A background job: its status and progress, and once DONE a download link for its file',
  description: [
    'Poll it every second or two after starting a job (a label sheet is usually DONE within a few seconds; an insurance report of hundreds of items takes longer, `progress` says how far it is).',
    `A DONE job carries \`file\` and a \`download_url\` valid ${jobLinkSeconds / 60} minutes (each GET gives a fresh one); a FAILED one an \`error\` with a code: \`JOB_FAILED\` (it could not be done), \`JOB_STALLED\` (it stopped before it was done), \`JOB_UPLOAD_MISSING\` (no file arrived through its upload form), \`IMPORT_UNREADABLE\` or \`IMPORT_TOO_MANY_ROWS\` (an import's file), \`BACKUP_INVALID\` (an archive to restore that is not one of ours, or was changed); start it again. An import's DONE job carries its \`report\`, a restore's the \`restored_workspace_id\`; a job waiting for its file is \`AWAITING_UPLOAD\`. Jobs and their files are kept ${jobKeptDays} days (backups 30).`,
    'Only the workspace\'s members see its jobs; 404 `NOT_FOUND` for an id that is not a job of this workspace.',
  ].join('\n\n'),
  params: z.object({ workspace_id: Uuid, id: Uuid }), response: Job, status: 200, errors: ['NOT_FOUND'], grants: { attachments: 'read' },
});
DOCS: document(getJob, { response: jobExample });
