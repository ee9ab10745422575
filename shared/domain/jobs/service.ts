// Starting a job (the routes that answer 202) and reading one (GET …/jobs/{id}).
import type { WorkspaceScope } from '../../http/caller.js';
import { presignGet, presignPost } from '../../aws/s3-presign.js';
import { contentDisposition } from '../attachments/model.js';
import { jobLinkSeconds, type JobView } from '../../contract/jobs.js';
import { NotFound } from '../errors.js';
import { newId } from '../ids.js';
import { claimLeaseSeconds, present, uploadObjectKey, type JobKind, type JobRecord } from './model.js';
import { createJob, jobsOfKind, readJob } from './repository.js';

/** Minutes an upload form of a job stays valid. */
const uploadFormSeconds = 15 * 60;

export interface JobStart {
  /** the job needs a file first: answered AWAITING_UPLOAD with a presigned form for it */
  upload?: { fileName: string; contentType: string; sizeBytes: number };
  keptDays?: number;
}

/** Records a job for the job runner to run; answers it as QUEUED (or AWAITING_UPLOAD, with the form its file goes through). */
export async function startJob(scope: WorkspaceScope, kind: JobKind, request: Record<string, unknown>, total: number, start: JobStart = {}): Promise<JobView> {
  const id = newId();
  const uploadKey = start.upload ? uploadObjectKey(scope.workspace.id, id, start.upload.fileName) : undefined;
  const record = await createJob(scope.workspace.id, id, kind, scope.member.user_id, request, total, {
    ...(uploadKey ? { uploadKey } : {}), ...(start.keptDays ? { keptDays: start.keptDays } : {}),
  });
  if (!start.upload || !uploadKey) return present(record);
  const form = await presignPost({ key: uploadKey, contentType: start.upload.contentType, maxBytes: start.upload.sizeBytes, expiresInSeconds: uploadFormSeconds });
  return present(record, undefined, { method: 'POST', url: form.url, fields: form.fields, expires_at: form.expires_at });
}

/**
 * A job nobody is running any more: QUEUED or RUNNING, and neither taken nor advanced for longer
 * than a run may last (the job runner gave its record up after its retries, or a run died and no
 * redelivery came). Answered FAILED, so a person polling is told to try again instead of waiting.
 */
export function stalled(record: JobRecord, now = Date.now()): boolean {
  if (record.status === 'AWAITING_UPLOAD') return now - Date.parse(record.created_at) > (uploadFormSeconds + claimLeaseSeconds) * 1000;
  if (record.status !== 'QUEUED' && record.status !== 'RUNNING') return false;
  const last = Date.parse(record.claimed_at ?? record.created_at);
  return now - last > claimLeaseSeconds * 1000;
}

export async function getJob(scope: WorkspaceScope, id: string): Promise<JobView> {
  const record = await readJob(scope.workspace.id, id);
  if (!record) throw NotFound('No job with that id in this workspace.');
  return shown(record);
}

/** The workspace's jobs of a kind (its backups), newest first, as GET …/jobs/{id} shows each. */
export async function listJobs(scope: WorkspaceScope, kind: JobKind): Promise<JobView[]> {
  return Promise.all((await jobsOfKind(scope.workspace.id, kind)).map(shown));
}

async function shown(record: JobRecord): Promise<JobView> {
  if (stalled(record)) {
    return record.status === 'AWAITING_UPLOAD'
      ? present({ ...record, status: 'FAILED', error_code: 'JOB_UPLOAD_MISSING', error_message: 'No file was uploaded before the form expired. Start again.' })
      : present({ ...record, status: 'FAILED', error_code: 'JOB_STALLED', error_message: 'The job stopped before it was done. Start it again.' });
  }
  if (record.status !== 'DONE' || !record.file_key) return present(record);
  const link = await presignGet({
    key: record.file_key,
    responseHeaders: { 'response-content-disposition': contentDisposition(record.file_name ?? 'file'), 'response-content-type': record.content_type ?? 'application/octet-stream' },
    expiresInSeconds: jobLinkSeconds,
  });
  return present(record, link);
}
