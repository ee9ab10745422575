// Runs the background jobs people start (shared/domain/jobs): a job's record is written QUEUED by
// its route; its INSERT reaches the job runner (functions/streams/job-runner.ts, a reader of the
// table's stream of its own) within seconds. The job is claimed (a redelivered record finds it
// claimed, DONE or FAILED and does nothing), made, its file put under `jobs/{workspace}/{job}/` in
// the attachments bucket (a lifecycle rule deletes it after 7 days), and settled DONE. A job that
// cannot be made is settled FAILED with a code; only a failure of the table or the bucket throws,
// so the record is delivered again and the job is retried.
//
// Why not in the change feed: an export of 20,000 rows or a report of hundreds of items takes
// longer than any projection should wait behind it.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { s3 } from '../../../shared/aws/s3.js';
import { config } from '../../../shared/config.js';
import { claimJob, reportProgress, settleJob } from '../../../shared/domain/jobs/repository.js';
import type { JobRecord } from '../../../shared/domain/jobs/model.js';
import { exportFile, type ExportRequest } from '../../../shared/domain/exports/file.js';
import { makeLabelSheets, type MadeFile } from '../../../shared/domain/print/label-job.js';
import { makeInsuranceReport } from '../../../shared/domain/print/report-job.js';
import type { InsuranceReportRequest, LabelSheetRequest } from '../../../shared/domain/print/requests.js';
import * as metricNames from '../../../shared/observability/metric-names.js';
import { logger, metrics } from '../../../shared/observability/telemetry.js';
import type { Projector } from '../../../shared/stream/projector.js';

/** The object a job's file is kept under. */
export const jobFileKey = (job: Pick<JobRecord, 'workspace_id' | 'id'>, name: string) => `jobs/${job.workspace_id}/${job.id}/${name}`;

function make(job: JobRecord): Promise<MadeFile> {
  switch (job.kind) {
    case 'LABEL_SHEETS':
      return makeLabelSheets(job.workspace_id, job.request as unknown as LabelSheetRequest);
    case 'INSURANCE_REPORT':
      return makeInsuranceReport(job.workspace_id, job.request as unknown as InsuranceReportRequest, (processed, total) => reportProgress(job, processed, total));
    case 'EXPORT':
      return makeExport(job);
  }
}

/** An export too large to answer: the same file the route would have sent. */
async function makeExport(job: JobRecord): Promise<MadeFile> {
  const file = (await exportFile(job.workspace_id, job.request as unknown as ExportRequest, { progress: (read) => reportProgress(job, read, Math.max(read, job.total)) }))!;
  return { bytes: new TextEncoder().encode(file.body), name: file.name, contentType: file.contentType, pages: 0, processed: file.rows, total: file.rows };
}

export const jobs: Projector = {
  name: 'jobs',
  wants: (change) => change.entity === 'JOB' && change.operation === 'INSERT',
  async project(change) {
    const queued = change.newImage as unknown as JobRecord;
    const job = await claimJob(queued.workspace_id, queued.id);
    if (!job) return; // run already, or running elsewhere
    let made: MadeFile;
    try {
      made = await make(job);
    } catch (error) {
      logger.error('job failed', { job: job.id, kind: job.kind, error: error as Error });
      metrics.addMetric(metricNames.jobsFailed, MetricUnit.Count, 1);
      await settleJob(job, { status: 'FAILED', code: 'JOB_FAILED', message: 'The file could not be made. Try again; if it fails again, tell us the job id.' });
      return;
    }
    const key = jobFileKey(job, made.name);
    await s3.send(new PutObjectCommand({ Bucket: config.bucketName, Key: key, Body: made.bytes, ContentType: made.contentType }));
    await settleJob(job, {
      status: 'DONE', file: { key, name: made.name, contentType: made.contentType, sizeBytes: made.bytes.byteLength, pages: made.pages },
      processed: made.processed, total: made.total,
    });
    metrics.addMetric(metricNames.jobsDone, MetricUnit.Count, 1);
  },
};
