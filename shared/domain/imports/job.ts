// The import job (POST …/imports): the file the person uploaded is read from storage and its rows
// imported exactly as POST …/import/{type} imports them (service.ts: same parsing, checks, report,
// and each row written by its type's own REST route), with a token signed for the person who
// started the job, so the job has their rights and no more. A large file is imported in steps of
// `IMPORT_STEP_ROWS` rows (or `JOB_STEP_SECONDS`), each a fresh run of the job runner: a step
// reads the file and what is stored again (rows written by earlier steps are then stored, so
// duplicates and matches across steps are found as within one), writes its slice, and hands the
// report so far to the next. A dry run writes nothing and runs whole in one step.
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { s3 } from '../../aws/s3.js';
import { config, jobStepSettings } from '../../config.js';
import type { importTypes } from '../../contract/imports.js';
import { maxImportJobRows } from '../../contract/import-jobs.js';
import { loopback } from '../../http/loopback.js';
import { signAccessToken } from '../auth/tokens.js';
import { DomainError } from '../errors.js';
import type { JobRecord } from '../jobs/model.js';
import { JobFailed, type StepContext, type StepResult } from '../jobs/steps.js';
import { importParsed, readRows, type ImportSlice } from './service.js';
import * as specs from './specs.js';

export interface ImportJobRequest {
  entity_type: (typeof importTypes)[number];
  format: 'csv' | 'json';
  mode: 'create' | 'upsert';
  dry_run: boolean;
  create_missing: boolean;
}

const specOf = {
  category: specs.categoryImport, label: specs.labelImport, company: specs.companyImport, borrower: specs.borrowerImport,
  location: specs.locationImport, item: specs.itemImport, container: specs.containerImport,
};

/** Rows a job writes at once where they cannot depend on each other (service.ts): calls overlap their waits on the table. */
const rowsAtOnce = 8;

interface ImportState {
  next: number;
  report: NonNullable<ImportSlice['report']>;
}

async function uploadedText(job: JobRecord): Promise<string> {
  const answer = await s3.send(new GetObjectCommand({ Bucket: config.bucketName, Key: job.upload_key! }));
  return answer.Body!.transformToString('utf-8');
}

export async function importStep(job: JobRecord, context: StepContext): Promise<StepResult> {
  const request = job.request as unknown as ImportJobRequest;
  const spec = specOf[request.entity_type]();
  let rows;
  try {
    rows = readRows(request.format, await uploadedText(job), maxImportJobRows);
  } catch (error) {
    if (error instanceof DomainError) throw new JobFailed(error.code, error.message);
    throw error;
  }
  const state = job.state as ImportState | undefined;
  const token = await signAccessToken(job.created_by, `job:${job.id}`);
  const call = loopback(`Bearer ${token}`, `job-${job.id}-${job.step ?? 1}`);
  const { report, next } = await importParsed(job.workspace_id, call, spec, rows, { dryRun: request.dry_run, mode: request.mode, createMissing: request.create_missing }, {
    from: state?.next ?? 0,
    count: request.dry_run ? rows.length : jobStepSettings().importRows,
    ...(state ? { report: state.report } : {}),
    ...(request.dry_run ? {} : { deadline: context.deadline }),
    progress: (done) => context.progress(done, rows.length),
    parallel: rowsAtOnce,
  });
  if (next < rows.length) return { kind: 'continue', state: { next, report }, processed: next, total: rows.length };
  return { kind: 'done', outcome: { status: 'DONE', report, processed: rows.length, total: rows.length } };
}
