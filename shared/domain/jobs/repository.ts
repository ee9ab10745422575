// Jobs in the table: made by a route, claimed, advanced and settled by the job runner
// (functions/streams/job-runner.ts). Every step is a conditional write on the job's key, so a redelivered
// stream record never runs a job twice at once, and a settled job is never reopened.
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documents } from '../../aws/dynamodb.js';
import * as keys from '../../db/keys.js';
import { isConditionFailure, nowIso, tableName } from '../../db/table.js';
import { jobKeptDays } from '../../contract/jobs.js';
import { claimLeaseSeconds, type JobKind, type JobRecord } from './model.js';

export async function createJob(workspaceId: string, id: string, kind: JobKind, createdBy: string, request: Record<string, unknown>, total: number): Promise<JobRecord> {
  const now = new Date();
  const expires = new Date(now.getTime() + jobKeptDays * 86_400_000);
  const record: JobRecord = {
    ...keys.job(workspaceId, id), entity: 'JOB', id, workspace_id: workspaceId, kind, status: 'QUEUED', request,
    processed: 0, total, created_at: now.toISOString(), created_by: createdBy, expires_at: expires.toISOString(), ttl: keys.ttlAt(expires),
  };
  await documents.send(new PutCommand({ TableName: tableName, Item: record, ConditionExpression: 'attribute_not_exists(PK)' }));
  return record;
}

export async function readJob(workspaceId: string, id: string): Promise<JobRecord | undefined> {
  const { Item } = await documents.send(new GetCommand({ TableName: tableName, Key: keys.job(workspaceId, id) }));
  // DynamoDB deletes expired items some time after their ttl: an expired job is gone already
  return Item && String(Item.expires_at) > nowIso() ? (Item as JobRecord) : undefined;
}

/** Takes a QUEUED job (or one whose run died: RUNNING, its claim older than the lease) for this run; undefined when it is not to be run. */
export async function claimJob(workspaceId: string, id: string, now = new Date()): Promise<JobRecord | undefined> {
  try {
    const { Attributes } = await documents.send(new UpdateCommand({
      TableName: tableName, Key: keys.job(workspaceId, id),
      UpdateExpression: 'SET #status = :running, #claimed = :now, #started = if_not_exists(#started, :now), #processed = :zero',
      ConditionExpression: 'attribute_exists(PK) AND (#status = :queued OR (#status = :running AND #claimed < :stale))',
      ExpressionAttributeNames: { '#status': 'status', '#claimed': 'claimed_at', '#started': 'started_at', '#processed': 'processed' },
      ExpressionAttributeValues: {
        ':running': 'RUNNING', ':queued': 'QUEUED', ':now': now.toISOString(), ':zero': 0,
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

export type JobOutcome =
  | { status: 'DONE'; file: { key: string; name: string; contentType: string; sizeBytes: number; pages: number }; processed: number; total: number }
  | { status: 'FAILED'; code: string; message: string };

/** Settles a job this run holds: DONE with its file, or FAILED with why. */
export async function settleJob(job: JobRecord, outcome: JobOutcome): Promise<void> {
  // every attribute by a placeholder: `processed`, `status` and `total` are DynamoDB reserved words, and others may become so
  const set: Record<string, unknown> = { finished_at: nowIso() };
  if (outcome.status === 'DONE') {
    Object.assign(set, {
      file_key: outcome.file.key, file_name: outcome.file.name, content_type: outcome.file.contentType, size_bytes: outcome.file.sizeBytes, pages: outcome.file.pages,
      processed: outcome.processed, total: outcome.total,
    });
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
