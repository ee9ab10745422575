// Starting an import of a large file (POST …/imports): the job, waiting for its file, and the
// presigned form the file goes through. The job (job.ts) runs once the upload arrives.
import type { WorkspaceScope } from '../../http/caller.js';
import type { JobView } from '../../contract/jobs.js';
import { startJob } from '../jobs/service.js';
import type { ImportJobRequest } from './job.js';

export function startImportJob(scope: WorkspaceScope, body: { entity_type: ImportJobRequest['entity_type']; format: 'csv' | 'json'; size_bytes: number; mode?: 'create' | 'upsert' | undefined; dry_run?: boolean | undefined; create_missing?: boolean | undefined }): Promise<JobView> {
  const request: ImportJobRequest = {
    entity_type: body.entity_type, format: body.format, mode: body.mode ?? 'create', dry_run: body.dry_run ?? false, create_missing: body.create_missing ?? false,
  };
  return startJob(scope, 'IMPORT', { ...request }, 0, {
    upload: { fileName: `import.${body.format}`, contentType: body.format === 'csv' ? 'text/csv' : 'application/json', sizeBytes: body.size_bytes },
  });
}
