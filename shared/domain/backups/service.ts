// Starting backups and restores, and listing backups (the routes of contract/backups.ts); the
// jobs themselves are backup.ts and restore.ts.
import type { WorkspaceScope } from '../../http/caller.js';
import { backupKeptDays } from '../../contract/backups.js';
import type { JobView } from '../../contract/jobs.js';
import { DomainError, NotFound } from '../errors.js';
import { readJob } from '../jobs/repository.js';
import { listJobs, startJob } from '../jobs/service.js';
import type { RestoreRequest } from './restore.js';

export function startBackup(scope: WorkspaceScope): Promise<JobView> {
  return startJob(scope, 'BACKUP', {}, 0, { keptDays: backupKeptDays });
}

export function listBackups(scope: WorkspaceScope): Promise<JobView[]> {
  return listJobs(scope, 'BACKUP');
}

/** A restore from one of this workspace's DONE backups, or (size_bytes) from an archive the person uploads. */
export async function startRestore(scope: WorkspaceScope, body: { backup_id?: string | undefined; size_bytes?: number | undefined; name?: string | undefined }): Promise<JobView> {
  const named = body.name ? { name: body.name } : {};
  if (body.backup_id) {
    const backup = await readJob(scope.workspace.id, body.backup_id);
    if (!backup || backup.kind !== 'BACKUP') throw NotFound('No backup with that id in this workspace.');
    if (backup.status !== 'DONE' || !backup.file_key) throw new DomainError('BACKUP_NOT_READY', 'That backup is not DONE: restore from a DONE one.');
    const request: RestoreRequest = { archive_key: backup.file_key, ...named };
    return startJob(scope, 'RESTORE', { ...request }, 0);
  }
  if (!body.size_bytes) {
    throw new DomainError('VALIDATION_FAILED', 'Name the backup to restore (backup_id) or the size of the archive you will upload (size_bytes).', {
      errors: [{ location: 'body.backup_id', message: 'backup_id or size_bytes is required' }],
    });
  }
  return startJob(scope, 'RESTORE', { ...named }, 0, { upload: { fileName: 'backup.tar', contentType: 'application/x-tar', sizeBytes: body.size_bytes } });
}
