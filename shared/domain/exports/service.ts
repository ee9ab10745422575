// The export route: the file itself when it fits in one answer, else a background job that makes
// the same file (the job runner: functions/streams/job-runner.ts) and answers 202.
import { exportSettings } from '../../config.js';
import type { WorkspaceScope } from '../../http/caller.js';
import { rawReply, Reply } from '../../http/route.js';
import { startJob } from '../jobs/service.js';
import { exportFile, type ExportFile, type ExportRequest } from './file.js';

/**
 * Beyond this many rows the route does not even try: a row takes at least ~270 bytes in the
 * smallest export (labels), so more rows than this cannot fit in the 5.5 MB a direct answer may hold.
 */
const directExportRows = 20_000;

/** The bytes an answer of this body takes in Lambda's JSON envelope (quotes and line ends are escaped there). */
const envelopeBytes = (file: ExportFile) => Buffer.byteLength(JSON.stringify(file.body));

export const attachment = (file: Pick<ExportFile, 'name'>) => `attachment; filename=${file.name}`;

export async function exportEntities(scope: WorkspaceScope, request: ExportRequest): Promise<Reply> {
  const file = await exportFile(scope.workspace.id, request, { maxRows: directExportRows });
  if (file && envelopeBytes(file) <= exportSettings().directBytes) {
    return rawReply(file.body, file.contentType, { 'content-disposition': attachment(file) });
  }
  const job = await startJob(scope, 'EXPORT', { ...request }, file?.rows ?? 0);
  return new Reply(202, job, { headers: { location: `/workspaces/${scope.workspace.id}/jobs/${job.id}` } });
}
