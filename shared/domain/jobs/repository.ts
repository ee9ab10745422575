// Jobs in the table: made by a route, claimed, advanced and settled by the job runner
// (functions/streams/job-runner.ts). Every step is a conditional write on the job's key, so a redelivered
// stream record never runs a job twice at once, and a settled job is never reopened.
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documents } from '../../aws/dynamodb.js';
import * as keys from '../../db/keys.js';
import { isConditionFailure, nowIso, query, readItem, tableName } from '../../db/table.js';
import { jobKeptDays } from '../../contract/jobs.js';
import { claimLeaseSeconds, type JobKind, type JobRecord } from './model.js';

export interface NewJob {
  /** a job waiting for a file (AWAITING_UPLOAD) names the object it waits for */
  uploadKey?: string;
  /** how long the job and its file are kept (backups: longer than other jobs) */
  keptDays?: number;
}

export async function createJob(workspaceId: string, id: string, kind: JobKind, createdBy: string, request: Record<string, unknown>, total: number, options: NewJob = {}): Promise<JobRecord> {
  const now = new Date();
  const expires = new Date(now.getTime() + (options.keptDays ?? jobKeptDays) * 86_400_000);
  const record: JobRecord = {
    ...keys.job(workspaceId, id), entity: 'JOB', id, workspace_id: workspaceId, kind, status: options.uploadKey ? 'AWAITING_UPLOAD' : 'QUEUED', request,
    processed: 0, total, created_at: now.toISOString(), created_by: createdBy, expires_at: expires.toISOString(), ttl: keys.ttlAt(expires),
    ...(options.uploadKey ? { upload_key: options.uploadKey } : {}),
  };
  await documents.send(new PutCommand({ TableName: tableName, Item: record, ConditionExpression: 'attribute_not_exists(PK)' }));
  return record;
}

export async function readJob(workspaceId: string, id: string): Promise<JobRecord | undefined> {
  const job = await readItem(keys.job(workspaceId, id));
  // DynamoDB deletes expired items some time after their ttl: an expired job is gone already
  return job && String(job.expires_at) > nowIso() ? (job as JobRecord) : undefined;
}

/** The workspace's jobs of one kind, newest first (ids are time-ordered): one Query of the jobs partition, filtered by kind (jobs are few: kept days, not years). */
export async function jobsOfKind(workspaceId: string, kind: JobKind, limit = 100): Promise<JobRecord[]> {
  const { Items } = await query({
    KeyConditionExpression: 'PK = :pk', FilterExpression: '#kind = :kind AND expires_at > :now',
    ExpressionAttributeNames: { '#kind': 'kind' }, ExpressionAttributeValues: { ':pk': keys.job(workspaceId, '').PK, ':kind': kind, ':now': nowIso() },
    ScanIndexForward: false,
  });
  return (Items as JobRecord[]).slice(0, limit);
}

/** The upload an AWAITING_UPLOAD job waited for has arrived: the job is QUEUED (its MODIFY starts the job runner). False when no job waits for it. */
export async function queueUploaded(workspaceId: string, id: string, key: string, sizeBytes: number): Promise<boolean> {
  try {
    await documents.send(new UpdateCommand({
      TableName: tableName, Key: keys.job(workspaceId, id),
      UpdateExpression: 'SET #status = :queued, upload_size = :size',
      ConditionExpression: '#status = :waiting AND upload_key = :key',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':queued': 'QUEUED', ':waiting': 'AWAITING_UPLOAD', ':key': key, ':size': sizeBytes },
    }));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Takes a QUEUED job (or one whose run died: RUNNING, its claim older than the lease) for this run; undefined when it is not to be run. */
export async function claimJob(workspaceId: string, id: string, now = new Date()): Promise<JobRecord | undefined> {
  try {
    const { Attributes } = await documents.send(new UpdateCommand({
      TableName: tableName, Key: keys.job(workspaceId, id),
      UpdateExpression: 'SET #status = :running, #claimed = :now, #started = if_not_exists(#started, :now)',
      ConditionExpression: 'attribute_exists(PK) AND (#status = :queued OR (#status = :running AND #claimed < :stale))',
      ExpressionAttributeNames: { '#status': 'status', '#claimed': 'claimed_at', '#started': 'started_at' },
      ExpressionAttributeValues: {
        ':running': 'RUNNING', ':queued': 'QUEUED', ':now': now.toISOString(),
        ':stale': new Date(now.getTime() - claimLeaseSeconds * 1000).toISOString(),
      },
      ReturnValues: 'ALL_NEW',
    }));
    return Attributes as JobRecord;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/** How far a running job is (a person polling sees it move). */
export async function reportProgress(job: JobRecord, processed: number, total: number): Promise<void> {
  await documents.send(new UpdateCommand({
    TableName: tableName, Key: keys.job(job.workspace_id, job.id),
    UpdateExpression: 'SET #processed = :processed, #total = :total',
    ConditionExpression: '#status = :running AND #claimed = :claim',
    ExpressionAttributeNames: { '#status': 'status', '#total': 'total', '#processed': 'processed', '#claimed': 'claimed_at' },
    ExpressionAttributeValues: { ':processed': processed, ':total': total, ':running': 'RUNNING', ':claim': job.claimed_at },
  })).catch((error: unknown) => {
    // the claim was taken over (this run outlived its lease): the newer run reports
    if (!isConditionFailure(error)) throw error;
  });
}

/**
 * Ends this step of a job run in steps: saves where it stopped and its progress and makes it
 * QUEUED again, whose MODIFY reaches the job runner and starts the next step (a fresh invocation
 * with its own 15 minutes).
 */
export async function continueJob(job: JobRecord, state: Record<string, unknown>, processed: number, total: number): Promise<void> {
  await documents.send(new UpdateCommand({
    TableName: tableName, Key: keys.job(job.workspace_id, job.id),
    UpdateExpression: 'SET #status = :queued, #state = :state, #step = :step, #processed = :processed, #total = :total',
    ConditionExpression: '#status = :running AND #claimed = :claim',
    ExpressionAttributeNames: { '#status': 'status', '#state': 'state', '#step': 'step', '#processed': 'processed', '#total': 'total', '#claimed': 'claimed_at' },
    ExpressionAttributeValues: { ':queued': 'QUEUED', ':state': state, ':step': (job.step ?? 1) + 1, ':processed': processed, ':total': total, ':running': 'RUNNING', ':claim': job.claimed_at },
  })).catch((error: unknown) => {
    if (!isConditionFailure(error)) throw error;
  });
}

export interface MadeFileRef { key: string; name: string; contentType: string; sizeBytes: number; pages: number }

export type JobOutcome =
  | { status: 'DONE'; file?: MadeFileRef; report?: JobRecord['report']; restoredWorkspaceId?: string; processed: number; total: number }
  | { status: 'FAILED'; code: string; message: string };

/** Settles a job this run holds: DONE with its file, or FAILED with why. */
export async function settleJob(job: JobRecord, outcome: JobOutcome): Promise<void> {
  // every attribute by a placeholder: `processed`, `status` and `total` are DynamoDB reserved words, and others may become so
  const set: Record<string, unknown> = { finished_at: nowIso() };
  if (outcome.status === 'DONE') {
    Object.assign(set, { processed: outcome.processed, total: outcome.total });
    if (outcome.file) {
      Object.assign(set, { file_key: outcome.file.key, file_name: outcome.file.name, content_type: outcome.file.contentType, size_bytes: outcome.file.sizeBytes, pages: outcome.file.pages });
    }
    if (outcome.report) set.report = outcome.report;
    if (outcome.restoredWorkspaceId) set.restored_workspace_id = outcome.restoredWorkspaceId;
  } else {
    Object.assign(set, { error_code: outcome.code, error_message: outcome.message });
  }
  const fields = Object.keys(set);
  await documents.send(new UpdateCommand({
    TableName: tableName, Key: keys.job(job.workspace_id, job.id),
    UpdateExpression: `SET #status = :status, ${fields.map((field, index) => `#f${index} = :f${index}`).join(', ')}`,
    ConditionExpression: '#status = :running AND #claimed = :claim',
    ExpressionAttributeNames: { '#status': 'status', '#claimed': 'claimed_at', ...Object.fromEntries(fields.map((field, index) => [`#f${index}`, field])) },
    ExpressionAttributeValues: { ':status': outcome.status, ':running': 'RUNNING', ':claim': job.claimed_at, ...Object.fromEntries(fields.map((field, index) => [`:f${index}`, set[field]])) },
  })).catch((error: unknown) => {
    if (!isConditionFailure(error)) throw error;
  });
}
