// Starting a job (the routes that answer 202) and reading one (GET …/jobs/{id}).
import type { WorkspaceScope } from '../../http/caller.js';
import { presignGet } from '../../aws/s3-presign.js';
import { contentDisposition } from '../attachments/model.js';
import { jobLinkSeconds, type JobView } from '../../contract/jobs.js';
import { NotFound } from '../errors.js';
import { newId } from '../ids.js';
import { claimLeaseSeconds, present, type JobKind, type JobRecord } from './model.js';
import { createJob, readJob } from './repository.js';

/** Records a job for the change feed to run; answers it as QUEUED. */
export async function startJob(scope: WorkspaceScope, kind: JobKind, request: Record<string, unknown>, total: number): Promise<JobView> {
  return present(await createJob(scope.workspace.id, newId(), kind, scope.member.user_id, request, total));
}

/**
 * A job nobody is running any more: QUEUED or RUNNING, and neither taken nor advanced for longer
 * than a run may last (the job runner gave its record up after its retries, or a run died and no
 * redelivery came). Answered FAILED, so a person polling is told to try again instead of waiting.
 */
export function stalled(record: JobRecord, now = Date.now()): boolean {
  if (record.status !== 'QUEUED' && record.status !== 'RUNNING') return false;
  const last = Date.parse(record.claimed_at ?? record.created_at);
  return now - last > claimLeaseSeconds * 1000;
}

export async function getJob(scope: WorkspaceScope, id: string): Promise<JobView> {
  const record = await readJob(scope.workspace.id, id);
  if (!record) throw NotFound('No job with that id in this workspace.');
  if (stalled(record)) {
    return present({ ...record, status: 'FAILED', error_code: 'JOB_STALLED', error_message: 'The job stopped before it was done. Start it again.' });
  }
  if (record.status !== 'DONE' || !record.file_key) return present(record);
  const link = await presignGet({
    key: record.file_key,
    responseHeaders: { 'response-content-disposition': contentDisposition(record.file_name ?? 'file'), 'response-content-type': record.content_type ?? 'application/octet-stream' },
    expiresInSeconds: jobLinkSeconds,
  });
  return present(record, link);
}
