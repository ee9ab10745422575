// Runs the background jobs people start (shared/domain/jobs): a job's record is written QUEUED by
// its route (or AWAITING_UPLOAD, and made QUEUED when its file arrives); that change reaches the
// job runner (functions/streams/job-runner.ts, a reader of the table's stream of its own) within
// seconds. The job is claimed (a redelivered record finds it claimed, DONE or FAILED and does
// nothing) and run: a file it makes is put under `jobs/{workspace}/{job}/` in the attachments
// bucket (a lifecycle rule deletes it after 7 days) and the job settled DONE. A long job (import,
// backup, restore) runs in steps: a step that stops before the end saves its position and makes
// the job QUEUED again, whose MODIFY starts the next step in a fresh invocation. A job that cannot
// be done is settled FAILED with a code; only a failure of the table or the bucket throws, so the
// record is delivered again and the step is retried (steps are idempotent).
//
// Why not in the change feed: an export of 20,000 rows or a report of hundreds of items takes
// longer than any projection should wait behind it.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { s3 } from '../../../shared/aws/s3.js';
import { config, jobStepSettings } from '../../../shared/config.js';
import { claimJob, continueJob, reportProgress, settleJob } from '../../../shared/domain/jobs/repository.js';
import { JobFailed, type StepContext, type StepResult } from '../../../shared/domain/jobs/steps.js';
import { importStep } from '../../../shared/domain/imports/job.js';
import { backupStep } from '../../../shared/domain/backups/backup.js';
import { restoreStep } from '../../../shared/domain/backups/restore.js';
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

/** One run of a job: all of it, or (imports, backups, restores) one step. */
function run(job: JobRecord, context: StepContext): Promise<StepResult> {
  switch (job.kind) {
    case 'LABEL_SHEETS':
      return made(makeLabelSheets(job.workspace_id, job.request as unknown as LabelSheetRequest));
    case 'INSURANCE_REPORT':
      return made(makeInsuranceReport(job.workspace_id, job.request as unknown as InsuranceReportRequest, context.progress));
    case 'EXPORT':
      return made(makeExport(job, context));
    case 'IMPORT':
      return importStep(job, context);
    case 'BACKUP':
      return backupStep(job, context);
    case 'RESTORE':
      return restoreStep(job, context);
  }
}

const made = async (file: Promise<MadeFile>): Promise<StepResult> => ({ kind: 'file', made: await file });

/** An export too large to answer: the same file the route would have sent. */
async function makeExport(job: JobRecord, context: StepContext): Promise<MadeFile> {
  const file = (await exportFile(job.workspace_id, job.request as unknown as ExportRequest, { progress: (read) => context.progress(read, Math.max(read, job.total)) }))!;
  return { bytes: new TextEncoder().encode(file.body), name: file.name, contentType: file.contentType, pages: 0, processed: file.rows, total: file.rows };
}

/** Why a job failed, as its status shows it: the job's own reason, or (anything unexpected) a generic one with the job id to report. */
function failureOf(error: unknown): { code: string; message: string } {
  if (error instanceof JobFailed) return { code: error.code, message: error.message };
  return { code: 'JOB_FAILED', message: 'The job could not be done. Try again; if it fails again, tell us the job id.' };
}

export const jobs: Projector = {
  name: 'jobs',
  // a new job, an uploaded file's job, or a job's next step: each is a QUEUED job record
  wants: (change) => change.entity === 'JOB' && change.newImage?.status === 'QUEUED',
  async project(change) {
    const queued = change.newImage as unknown as JobRecord;
    const job = await claimJob(queued.workspace_id, queued.id);
    if (!job) return; // run already, or running elsewhere
    const context: StepContext = {
      deadline: Date.now() + jobStepSettings().seconds * 1000,
      progress: (processed, total) => reportProgress(job, processed, total),
    };
    let result: StepResult;
    try {
      result = await run(job, context);
    } catch (error) {
      if (!(error instanceof JobFailed)) logger.error('job failed', { job: job.id, kind: job.kind, step: job.step ?? 1, error: error as Error });
      else logger.warn('job refused', { job: job.id, kind: job.kind, code: error.code, reason: error.message });
      metrics.addMetric(metricNames.jobsFailed, MetricUnit.Count, 1);
      await settleJob(job, { status: 'FAILED', ...failureOf(error) });
      return;
    }
    if (result.kind === 'continue') {
      logger.info('job step done', { job: job.id, kind: job.kind, step: job.step ?? 1, processed: result.processed, total: result.total });
      await continueJob(job, result.state, result.processed, result.total);
      return;
    }
    if (result.kind === 'done') {
      await settleJob(job, result.outcome);
    } else {
      const key = jobFileKey(job, result.made.name);
      await s3.send(new PutObjectCommand({ Bucket: config.bucketName, Key: key, Body: result.made.bytes, ContentType: result.made.contentType }));
      await settleJob(job, {
        status: 'DONE', file: { key, name: result.made.name, contentType: result.made.contentType, sizeBytes: result.made.bytes.byteLength, pages: result.made.pages },
        processed: result.made.processed, total: result.made.total,
      });
    }
    metrics.addMetric(metricNames.jobsDone, MetricUnit.Count, 1);
  },
};
