// The restore job (POST …/restore): a backup archive (archive.ts) becomes a new workspace.
//
// Step 1 reads the whole archive once and checks it before anything is written: every entry is
// one an archive of ours holds, has the size and SHA-256 the manifest gives, every record parses
// and belongs to the backed-up workspace's own data (archive.ts, belongsTo: a crafted archive
// cannot write a member, a user or another workspace's record). Anything else ends the job FAILED
// with BACKUP_INVALID, nothing made. Then it makes the new workspace (its id is the job's, so a
// step run again finds it made), the restorer its only member, owner.
//
// The next steps write the archive's entries in order from a byte offset (a ranged read: tar
// entries follow each other at known sizes), at most BACKUP_STEP_UNITS records and files or
// JOB_STEP_SECONDS each: records with the same ids, rekeyed to the new workspace, by
// BatchWriteItem (plain puts: writing one again writes the same); then each file under its
// attachment's new key, and the attachment's record told the version storage gave it. The change
// feed sees every record arrive and rebuilds what it derives (change log, activity, search, stats).
import type { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetItemCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import * as tar from 'tar-stream';
import { dynamodb } from '../../aws/dynamodb.js';
import { s3 } from '../../aws/s3.js';
import { config, jobStepSettings } from '../../config.js';
import * as keys from '../../db/keys.js';
import { tableName } from '../../db/table.js';
import { batchWrite } from '../../db/batch-write.js';
import { newId } from '../ids.js';
import type { JobRecord } from '../jobs/model.js';
import { JobFailed, type StepContext, type StepResult } from '../jobs/steps.js';
import type { MemberRecord, WorkspaceRecord } from '../workspaces/model.js';
import { createWorkspace, getWorkspace } from '../workspaces/repository.js';
import { backupFormat, belongsTo, entrySpan, recordOfLine, rekeyed, schemaVersion, sha256, validEntryName, type Manifest } from './archive.js';

export interface RestoreRequest {
  /** the archive: a DONE backup's file (or, when absent, the job's upload) */
  archive_key?: string;
  name?: string;
}

interface RestoreState {
  workspace_id: string;
  source_workspace_id: string;
  /** where the next entry to write starts in the archive */
  offset: number;
  processed: number;
  total: number;
  /** the ETag of the archive verified: later steps read only that object */
  archive_etag?: string;
}

const invalid = (why: string) => new JobFailed('BACKUP_INVALID', `This is not a backup archive of Home Warehouse, or it was changed: ${why}.`);

/** The archive from `offset`; `etag`: only the very object verified (a later upload to the key fails the restore instead of being written). */
async function archiveStream(key: string, offset = 0, etag?: string): Promise<{ body: Readable; etag: string | undefined }> {
  try {
    const answer = await s3.send(new GetObjectCommand({ Bucket: config.bucketName, Key: key, ...(offset > 0 ? { Range: `bytes=${offset}-` } : {}), ...(etag ? { IfMatch: etag } : {}) }));
    return { body: answer.Body as Readable, etag: answer.ETag };
  } catch (error) {
    if ((error as { name?: string }).name === 'PreconditionFailed') throw invalid('it was replaced after it was checked');
    throw error;
  }
}

async function bytesOf(entry: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of entry) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** Reads the archive once and checks it (see the top of this file); answers its manifest. */
async function verified(key: string): Promise<{ manifest: Manifest; etag: string | undefined }> {
  const { body: source, etag } = await archiveStream(key);
  const extract = tar.extract();
  source.pipe(extract);
  const seen = new Map<string, { bytes: number; sha256: string }>();
  let manifest: Manifest | undefined;
  let workspaceOfRecords: string | undefined;
  try {
    for await (const entry of extract) {
      const name = entry.header.name;
      if (entry.header.type !== 'file' || !validEntryName(name) || seen.has(name) || manifest) throw invalid(`unexpected entry "${name.slice(0, 80)}"`);
      const data = await bytesOf(entry);
      seen.set(name, { bytes: data.byteLength, sha256: sha256(data) });
      if (name === 'manifest.json') {
        try {
          manifest = JSON.parse(data.toString('utf8')) as Manifest;
        } catch {
          throw invalid('its manifest is not JSON');
        }
      } else if (name.startsWith('records/')) {
        for (const line of data.toString('utf8').split('\n')) {
          if (line === '') continue;
          let record: Record<string, AttributeValue>;
          try {
            record = recordOfLine(line);
          } catch {
            throw invalid(`a line of ${name} is not a record`);
          }
          workspaceOfRecords ??= /^WS#([0-9a-f-]{36})/i.exec(record.PK?.S ?? '')?.[1];
          if (!workspaceOfRecords || !belongsTo(record, workspaceOfRecords)) throw invalid(`${name} holds a record that is not the workspace's data`);
        }
      }
    }
  } catch (error) {
    source.destroy();
    if (error instanceof JobFailed) throw error;
    throw invalid('it is not a tar file');
  }
  if (!manifest || manifest.format !== backupFormat || !Array.isArray(manifest.entries)) throw invalid('it has no manifest');
  if (manifest.schema_version !== schemaVersion) throw invalid(`its schema version is ${String(manifest.schema_version)}, this app reads ${schemaVersion}`);
  if (workspaceOfRecords && workspaceOfRecords !== manifest.workspace?.id) throw invalid('its records are of another workspace than its manifest names');
  if (manifest.entries.length !== seen.size - 1) throw invalid('it holds other entries than its manifest lists');
  for (const listed of manifest.entries) {
    const found = seen.get(listed.name);
    if (!found) throw invalid(`${listed.name} is missing`);
    if (found.bytes !== listed.bytes || found.sha256 !== listed.sha256) throw invalid(`${listed.name} is not what was backed up (its SHA-256 differs)`);
  }
  return { manifest, etag };
}

/** The new workspace: its id the job's (made once however often the step runs), the restorer its owner. */
async function makeWorkspace(job: JobRecord, manifest: Manifest, name: string | undefined): Promise<string> {
  const id = job.id;
  if (await getWorkspace(id, true)) return id;
  const now = new Date().toISOString();
  const base = (manifest.workspace.slug || 'workspace').toLowerCase().replace(/[^a-z0-9-]+/g, '-').slice(0, 30);
  const workspace: WorkspaceRecord = {
    id, name: name ?? `${manifest.workspace.name}`.slice(0, 89).concat(' (restored)'), slug: `${base}-restored-${id.slice(-6)}`,
    ...(manifest.workspace.description ? { description: manifest.workspace.description } : {}),
    is_personal: false, owner_count: 1, status: 'active', created_by: job.created_by, created_at: now, updated_at: now, version: 1,
    // the files the restore writes back, counted as the verifier counts them
    storage_bytes: Number(manifest.counts?.file_bytes ?? 0), attachment_count: Number(manifest.counts?.files ?? 0),
  };
  const owner: MemberRecord = { id: newId(), workspace_id: id, user_id: job.created_by, role: 'owner', created_at: now, updated_at: now, version: 1 };
  if ((await createWorkspace(workspace, owner)) === 'slug-taken') {
    await createWorkspace({ ...workspace, slug: `restored-${id.replace(/-/g, '').slice(-20)}` }, owner);
  }
  return id;
}

/** The archive's records put as they are; numbers stay exact (NumberValue), so a restored record equals its source. */
function putRecords(records: Record<string, AttributeValue>[]): Promise<void> {
  return batchWrite(records.map((record) => ({ PutRequest: { Item: unmarshall(record, { wrapNumbers: true }) } })), { what: 'restore' });
}

/** An attachment's file under its new key; its record is told the version and ETag storage gave it (downloads name the version). */
async function putFile(workspaceId: string, attachmentId: string, data: Buffer): Promise<void> {
  const key = keys.entity(workspaceId, 'ATTACHMENT', attachmentId);
  const { Item } = await dynamodb.send(new GetItemCommand({ TableName: tableName, Key: { PK: { S: key.PK }, SK: { S: key.SK } }, ConsistentRead: true }));
  const objectKey = Item?.object_key?.S;
  if (!objectKey) return; // no attachment of the archive's records names it
  const put = await s3.send(new PutObjectCommand({ Bucket: config.bucketName, Key: objectKey, Body: data, ContentLength: data.byteLength, ContentType: Item.mime_type?.S ?? 'application/octet-stream' }));
  await dynamodb.send(new UpdateItemCommand({
    TableName: tableName, Key: { PK: { S: key.PK }, SK: { S: key.SK } },
    UpdateExpression: 'SET object_version = :version, object_etag = :etag',
    ExpressionAttributeValues: { ':version': put.VersionId ? { S: put.VersionId } : { NULL: true }, ':etag': put.ETag ? { S: put.ETag } : { NULL: true } },
  }));
}

export async function restoreStep(job: JobRecord, context: StepContext): Promise<StepResult> {
  const request = job.request as unknown as RestoreRequest;
  const key = request.archive_key ?? job.upload_key;
  if (!key) throw invalid('there is no archive');
  if (!job.state) {
    const { manifest, etag } = await verified(key);
    const workspaceId = await makeWorkspace(job, manifest, request.name);
    const total = manifest.entries.reduce((sum, entry) => sum + (entry.records ?? (entry.name.startsWith('files/') ? 1 : 0)), 0);
    const state: RestoreState = { workspace_id: workspaceId, source_workspace_id: manifest.workspace.id, offset: 0, processed: 0, total, ...(etag ? { archive_etag: etag } : {}) };
    return { kind: 'continue', state: state as unknown as Record<string, unknown>, processed: 0, total };
  }

  const state = { ...(job.state as unknown as RestoreState) };
  const limit = jobStepSettings().backupUnits;
  const start = state.offset;
  const { body: source } = await archiveStream(key, start, state.archive_etag);
  const extract = tar.extract();
  source.pipe(extract);
  let units = 0;
  let finished = false;
  try {
    for await (const entry of extract) {
      const name = entry.header.name;
      const data = await bytesOf(entry);
      if (name === 'manifest.json') {
        finished = true;
        break;
      }
      if (name.startsWith('records/')) {
        const records = data.toString('utf8').split('\n').filter((line) => line !== '')
          .map((line) => rekeyed(recordOfLine(line), state.source_workspace_id, state.workspace_id));
        // checked again as written: the archive read now must still be the one verified (an upload form may be used twice)
        if (records.some((record) => !belongsTo(record, state.workspace_id))) throw invalid(`${name} holds a record that is not the workspace's data`);
        await putRecords(records);
        units += records.length;
        state.processed += records.length;
      } else if (name.startsWith('files/')) {
        await putFile(state.workspace_id, name.slice('files/'.length), data);
        units += 1;
        state.processed += 1;
      }
      state.offset = start + entry.offset + entrySpan(entry.header.size ?? 0);
      await context.progress(state.processed, state.total);
      if (units >= limit || Date.now() > context.deadline) break;
    }
  } finally {
    source.destroy();
  }
  if (!finished) return { kind: 'continue', state: state as unknown as Record<string, unknown>, processed: state.processed, total: state.total };
  return { kind: 'done', outcome: { status: 'DONE', restoredWorkspaceId: state.workspace_id, processed: state.processed, total: state.total } };
}
