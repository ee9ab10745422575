// The backup job (POST …/backups): one archive of the workspace (archive.ts says what it holds),
// written in steps. Each step reads on from where the last stopped (a partition and its Query
// cursor, then the attachments), for at most BACKUP_STEP_UNITS records and files, JOB_STEP_SECONDS
// or 256 MiB, and stores what it read as one part (tar entries without the archive's end, and its
// manifest entries beside it). The last step joins the parts into the archive, the manifest at its
// end, with a multipart upload (@aws-sdk/lib-storage) streamed part after part, and deletes them.
// A step that fails is run again from the same place and writes the same part again.
//
// The workspace stays usable meanwhile: a backup is read page by page, not at one instant, so a
// change made while it runs may or may not be in it (each record is whole either way).
import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { Upload } from '@aws-sdk/lib-storage';
import { dynamodb } from '../../aws/dynamodb.js';
import { s3 } from '../../aws/s3.js';
import { config, jobStepSettings } from '../../config.js';
import { tableName } from '../../db/table.js';
import type { JobRecord } from '../jobs/model.js';
import type { MadeFileRef } from '../jobs/repository.js';
import type { StepContext, StepResult } from '../jobs/steps.js';
import { getWorkspace } from '../workspaces/repository.js';
import {
  backedUpPartitions, backupFormat, kindOf, notBackedUp, objectKeys, recordLine, schemaVersion, sha256, tarOf,
  type Manifest, type ManifestEntry,
} from './archive.js';

interface BackupState {
  /** the partition being read (backedUpPartitions' index); past the last: the attachments' files; one more: all read */
  section: number;
  cursor?: Record<string, AttributeValue>;
  /** parts written so far */
  part: number;
  processed: number;
  total: number;
  counts: Record<string, number>;
  files: number;
  file_bytes: number;
}

/** A part holds at most this much (a step keeps it in memory). */
const maxPartBytes = 256 * 1024 * 1024;
/** Records read per Query page; attachments' files per page. */
const recordsPerPage = 500;
const filesPerPage = 10;

const attachmentsQuery = (workspaceId: string) => ({
  KeyConditionExpression: 'PK = :pk AND begins_with(SK, :type)',
  ExpressionAttributeValues: { ':pk': { S: `WS#${workspaceId}` }, ':type': { S: 'ATTACHMENT#' } } as Record<string, AttributeValue>,
});

type CountInput = { KeyConditionExpression: string; ExpressionAttributeValues: Record<string, AttributeValue>; FilterExpression?: string; ExpressionAttributeNames?: Record<string, string> };

async function count(input: CountInput): Promise<number> {
  let total = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamodb.send(new QueryCommand({ TableName: tableName, Select: 'COUNT', ...input, ExclusiveStartKey: start }));
    total += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return total;
}

/** How many records and files the backup will hold (the progress figure's total): counted once, at the first step, by the same Queries (Select COUNT). */
async function countAll(workspaceId: string): Promise<number> {
  let total = 0;
  for (const partition of backedUpPartitions(workspaceId)) {
    total += await count({ KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': { S: partition } } });
  }
  // less what notBackedUp() leaves out of the workspace partition (a filter cannot name a key: each is a key range)
  total -= 1; // the workspace's own record
  for (const prefix of ['MEMBER#', 'BORROWER_CLAIM#']) {
    total -= await count({ KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)', ExpressionAttributeValues: { ':pk': { S: `WS#${workspaceId}` }, ':prefix': { S: prefix } } });
  }
  const files = attachmentsQuery(workspaceId);
  return total + await count({
    ...files, FilterExpression: '#status = :ready AND attribute_exists(object_key)', ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ...files.ExpressionAttributeValues, ':ready': { S: 'READY' } },
  });
}

export async function backupStep(job: JobRecord, context: StepContext): Promise<StepResult> {
  const workspaceId = job.workspace_id;
  const partitions = backedUpPartitions(workspaceId);
  const state: BackupState = (job.state as unknown as BackupState | undefined)
    ?? { section: 0, part: 0, processed: 0, total: await countAll(workspaceId), counts: {}, files: 0, file_bytes: 0 };
  const limit = jobStepSettings().backupUnits;
  const part = state.part + 1;
  const entries: { name: string; bytes: Uint8Array }[] = [];
  const listed: ManifestEntry[] = [];
  let units = 0;
  let bytes = 0;
  const add = (name: string, data: Uint8Array, records?: number) => {
    entries.push({ name, bytes: data });
    listed.push({ name, bytes: data.byteLength, sha256: sha256(data), ...(records === undefined ? {} : { records }) });
    bytes += data.byteLength;
  };

  while (state.section <= partitions.length && units < limit && bytes < maxPartBytes && Date.now() < context.deadline) {
    if (state.section < partitions.length) {
      const page = await dynamodb.send(new QueryCommand({
        TableName: tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': { S: partitions[state.section]! } },
        Limit: Math.max(1, Math.min(recordsPerPage, limit - units)), ExclusiveStartKey: state.cursor,
      }));
      const kept = (page.Items ?? []).filter((record) => !(record.PK?.S === `WS#${workspaceId}` && notBackedUp(record.SK?.S ?? '')));
      const byKind = new Map<string, string[]>();
      for (const record of kept) {
        const kind = kindOf(workspaceId, record);
        byKind.set(kind, [...(byKind.get(kind) ?? []), recordLine(record)]);
      }
      for (const [kind, lines] of byKind) {
        add(`records/${kind}-${part}-${listed.length + 1}.jsonl`, Buffer.from(`${lines.join('\n')}\n`, 'utf8'), lines.length);
        state.counts[kind] = (state.counts[kind] ?? 0) + lines.length;
      }
      units += Math.max(kept.length, 1);
      state.processed += kept.length;
      advance(state, page.LastEvaluatedKey);
    } else {
      const page = await dynamodb.send(new QueryCommand({
        TableName: tableName, ...attachmentsQuery(workspaceId), Limit: filesPerPage, ExclusiveStartKey: state.cursor,
      }));
      for (const attachment of page.Items ?? []) {
        if (attachment.status?.S !== 'READY' || !attachment.object_key?.S) continue;
        const object = await s3.send(new GetObjectCommand({
          Bucket: config.bucketName, Key: attachment.object_key.S, ...(attachment.object_version?.S ? { VersionId: attachment.object_version.S } : {}),
        }));
        const data = await object.Body!.transformToByteArray();
        add(`files/${attachment.id!.S!}`, data);
        state.files += 1;
        state.file_bytes += data.byteLength;
        state.processed += 1;
      }
      units += Math.max(page.Items?.length ?? 0, 1);
      advance(state, page.LastEvaluatedKey);
    }
    await context.progress(state.processed, Math.max(state.total, state.processed));
  }

  if (entries.length > 0) {
    const at = new Date(job.created_at);
    await s3.send(new PutObjectCommand({ Bucket: config.bucketName, Key: objectKeys.part(workspaceId, job.id, part, 'tar'), Body: await tarOf(entries, false, at) }));
    await s3.send(new PutObjectCommand({ Bucket: config.bucketName, Key: objectKeys.part(workspaceId, job.id, part, 'json'), Body: JSON.stringify(listed), ContentType: 'application/json' }));
    state.part = part;
  }
  if (state.section <= partitions.length) {
    return { kind: 'continue', state: state as unknown as Record<string, unknown>, processed: state.processed, total: Math.max(state.total, state.processed) };
  }
  const file = await joinParts(job, state);
  return { kind: 'done', outcome: { status: 'DONE', file, processed: state.processed, total: state.processed } };
}

/** The next page of this section, or the next section. */
function advance(state: BackupState, next: Record<string, AttributeValue> | undefined): void {
  if (next) {
    state.cursor = next;
  } else {
    delete state.cursor;
    state.section += 1;
  }
}

/** The parts one after another, then the manifest and the archive's end, as one object; the parts are then deleted. */
async function joinParts(job: JobRecord, state: BackupState): Promise<MadeFileRef> {
  const workspaceId = job.workspace_id;
  const workspace = await getWorkspace(workspaceId);
  const read = async (key: string) => (await s3.send(new GetObjectCommand({ Bucket: config.bucketName, Key: key }))).Body!;
  const entries: ManifestEntry[] = [];
  for (let part = 1; part <= state.part; part += 1) {
    entries.push(...(JSON.parse(await (await read(objectKeys.part(workspaceId, job.id, part, 'json'))).transformToString()) as ManifestEntry[]));
  }
  const manifest: Manifest = {
    format: backupFormat, schema_version: schemaVersion, created_at: job.created_at,
    workspace: { id: workspaceId, name: workspace?.name ?? '', slug: workspace?.slug ?? '', ...(workspace?.description ? { description: workspace.description } : {}) },
    counts: { records: state.counts, files: state.files, file_bytes: state.file_bytes },
    entries,
  };
  const tail = await tarOf([{ name: 'manifest.json', bytes: Buffer.from(JSON.stringify(manifest, null, 2), 'utf8') }], true, new Date(job.created_at));
  let size = 0;
  async function* archive() {
    for (let part = 1; part <= state.part; part += 1) {
      for await (const chunk of (await read(objectKeys.part(workspaceId, job.id, part, 'tar'))) as AsyncIterable<Uint8Array>) {
        size += chunk.byteLength;
        yield chunk;
      }
    }
    size += tail.byteLength;
    yield tail;
  }
  const name = `backup-${workspace?.slug ?? 'workspace'}-${job.created_at.slice(0, 10)}.tar`;
  const key = objectKeys.archive(workspaceId, job.id, name);
  await new Upload({
    client: s3, params: { Bucket: config.bucketName, Key: key, Body: Readable.from(archive()), ContentType: 'application/x-tar' },
    partSize: 16 * 1024 * 1024, queueSize: 2,
  }).done();
  for (let part = 1; part <= state.part; part += 1) {
    for (const what of ['tar', 'json'] as const) await s3.send(new DeleteObjectCommand({ Bucket: config.bucketName, Key: objectKeys.part(workspaceId, job.id, part, what) }));
  }
  return { key, name, contentType: 'application/x-tar', sizeBytes: size, pages: 0 };
}
