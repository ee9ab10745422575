// Starting a job (the routes that answer 202) and reading one (GET …/jobs/{id}).
import type { WorkspaceScope } from '../../http/caller.js';
import { presignGet } from '../../aws/s3-presign.js';
import { contentDisposition } from '../attachments/model.js';
import { jobLinkSeconds, type JobView } from '../../contract/jobs.js';
import { NotFound } from '../errors.js';
import { newId } from '../ids.js';
import { present, type JobKind } from './model.js';
import { createJob, readJob } from './repository.js';

/** Records a job for the change feed to run; answers it as QUEUED. */
export async function startJob(scope: WorkspaceScope, kind: JobKind, request: Record<string, unknown>, total: number): Promise<JobView> {
  return present(await createJob(scope.workspace.id, newId(), kind, scope.member.user_id, request, total));
}

export async function getJob(scope: WorkspaceScope, id: string): Promise<JobView> {
  const record = await readJob(scope.workspace.id, id);
  if (!record) throw NotFound('No job with that id in this workspace.');
  if (record.status !== 'DONE' || !record.file_key) return present(record);
  const link = await presignGet({
    key: record.file_key,
    responseHeaders: { 'response-content-disposition': contentDisposition(record.file_name ?? 'file'), 'response-content-type': record.content_type ?? 'application/octet-stream' },
    expiresInSeconds: jobLinkSeconds,
  });
  return present(record, link);
}
