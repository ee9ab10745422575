// A background job as stored (`WS#{ws}#JOBS` / `{id}`) and as answers show it. The request that
// started it is stored with it (already validated and resolved by the route), so the runner does
// exactly what was asked even if the things named change meanwhile.
import type { JobView } from '../../contract/jobs.js';
import type { ImportReportView } from '../../contract/imports.js';
import { jobKinds, jobStatuses } from '../../contract/jobs.js';

export type JobKind = (typeof jobKinds)[number];
export type JobStatus = (typeof jobStatuses)[number];

export interface JobRecord {
  PK: string;
  SK: string;
  entity: 'JOB';
  id: string;
  workspace_id: string;
  kind: JobKind;
  status: JobStatus;
  /** the route's validated request, as the runner needs it */
  request: Record<string, unknown>;
  processed: number;
  total: number;
  created_at: string;
  created_by: string;
  started_at?: string;
  /** when the runner took it; a RUNNING job whose claim is older than `claimLeaseSeconds` may be taken again */
  claimed_at?: string;
  finished_at?: string;
  file_key?: string;
  file_name?: string;
  content_type?: string;
  size_bytes?: number;
  pages?: number;
  /** a job run in steps: the step running or next to run (1 the first), and where the last one stopped */
  step?: number;
  state?: Record<string, unknown>;
  /** the object an AWAITING_UPLOAD job waits for (`uploads/{ws}/{job}/…`) */
  upload_key?: string;
  /** an import's report */
  report?: ImportReportView;
  /** the workspace a restore made */
  restored_workspace_id?: string;
  error_code?: string;
  error_message?: string;
  expires_at: string;
  ttl: number;
}

/** The object a job waiting for a file waits for, `uploads/{ws}/{job}/{name}` (its Object Created queues the job: uploads.ts). */
export const uploadObjectKey = (workspaceId: string, jobId: string, fileName: string) => `uploads/${workspaceId}/${jobId}/${fileName}`;
/** The workspace and job an uploaded object is for; undefined for a key not of that form. */
export function idsOfUploadObjectKey(key: string): { workspaceId: string; jobId: string } | undefined {
  const ids = /^uploads\/([0-9a-f-]{36})\/([0-9a-f-]{36})\/[A-Za-z0-9._-]+$/.exec(key);
  return ids ? { workspaceId: ids[1]!, jobId: ids[2]! } : undefined;
}

/** A run that died (a Lambda timeout) leaves its claim: after this long a redelivery may run the job again. */
export const claimLeaseSeconds = 15 * 60;

/** The job as answers show it, with a download link when it is DONE (and the upload form when it was just made to wait for one). */
export function present(record: JobRecord, link?: { url: string; expires_at: string }, upload?: JobView['upload']): JobView {
  return {
    id: record.id, workspace_id: record.workspace_id, kind: record.kind, status: record.status,
    progress: { processed: record.processed, total: record.total },
    created_at: record.created_at, created_by: record.created_by,
    ...(record.started_at ? { started_at: record.started_at } : {}),
    ...(record.finished_at ? { finished_at: record.finished_at } : {}),
    ...(record.status === 'DONE' && record.file_name
      ? { file: { name: record.file_name, content_type: record.content_type ?? 'application/octet-stream', size_bytes: record.size_bytes ?? 0, pages: record.pages ?? 0 } }
      : {}),
    ...(link ? { download_url: link.url, download_expires_at: link.expires_at } : {}),
    ...(record.status === 'DONE' && record.report ? { report: record.report } : {}),
    ...(record.status === 'DONE' && record.restored_workspace_id ? { restored_workspace_id: record.restored_workspace_id } : {}),
    ...(upload ? { upload } : {}),
    ...(record.status === 'FAILED' ? { error: { code: record.error_code ?? 'JOB_FAILED', message: record.error_message ?? 'The job failed.' } } : {}),
    expires_at: record.expires_at,
  };
}
