// The upload verifier's rules: an object in the attachments bucket is served only once its
// PENDING attachment has been checked against it. The object is read once, as a stream: its real
// size, its SHA-256 and its first bytes (the type, by magic bytes). Then, in one transaction, the
// attachment becomes READY (recording size, type and checksum, and the version S3 gave the object)
// and the workspace's storage grows, while it stays within the quota; or the attachment becomes
// REJECTED and the object is deleted. An object nobody asked for is deleted. A second event for the
// same object finds the attachment decided and changes nothing. s3rver checks neither signatures
// nor POST policies, so locally this is the only guard; in AWS it is the second.
import { createHash } from 'node:crypto';
import { DeleteObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { fileTypeFromBuffer } from 'file-type';
import { s3 } from '../../aws/s3.js';
import { attachmentSettings } from '../../config.js';
import * as keys from '../../db/keys.js';
import * as engine from '../catalog/repository.js';
import type { CatalogRecord } from '../catalog/model.js';
import { applied, changeSteps, run, together } from '../catalog/writes.js';
import { lostRace, settleRace } from '../races.js';
import { attachmentDefinition, idsOfObjectKey, isPicture, itemPrimaryUpdate } from './model.js';
import { attachments, storageChange } from './service.js';

export interface StoredObject {
  bucket: string;
  key: string;
  size: number;
  etag?: string | undefined;
  /** present when the bucket is versioned (in AWS) */
  versionId?: string | undefined;
}

export type Verdict =
  | { outcome: 'ready'; attachmentId: string }
  | { outcome: 'rejected'; attachmentId: string; reason: string }
  | { outcome: 'stray'; reason: string }
  | { outcome: 'unchanged'; attachmentId: string };

/** How many first bytes decide the type (what `file-type` reads at most). */
const headBytes = 4100;

interface Reading {
  size: number;
  sha256: string;
  head: Uint8Array;
  /** stopped early: more bytes than `limit` */
  tooLarge: boolean;
}

/** Reads the object once: counts, hashes and keeps its first bytes; stops past `limit` bytes. */
async function readObject(object: StoredObject, limit: number): Promise<Reading> {
  const answer = await s3.send(new GetObjectCommand({ Bucket: object.bucket, Key: object.key, ...(object.versionId ? { VersionId: object.versionId } : {}) }));
  const hash = createHash('sha256');
  const head: Buffer[] = [];
  let size = 0;
  let headSize = 0;
  const body = answer.Body as AsyncIterable<Uint8Array> & { destroy?: () => void };
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) {
      body.destroy?.();
      return { size, sha256: '', head: Buffer.concat(head), tooLarge: true };
    }
    hash.update(chunk);
    if (headSize < headBytes) {
      head.push(Buffer.from(chunk.subarray(0, headBytes - headSize)));
      headSize += Math.min(chunk.length, headBytes - headSize);
    }
  }
  return { size, sha256: hash.digest('hex'), head: Buffer.concat(head), tooLarge: false };
}

/** HEIC and HEIF name one container format: either declared matches either found. */
const family = (mime: string) => (mime === 'image/heic' || mime === 'image/heif' ? 'image/heif' : mime);

/** Text: valid UTF-8 without NUL or other control characters than tab, line feed, form feed and carriage return. */
function looksLikeText(head: Uint8Array, complete: boolean): boolean {
  // a multi-byte character cut at the end of the head is not an error (the rest is beyond it)
  const bytes = complete ? head : head.subarray(0, Math.max(0, head.length - 3));
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text);
  } catch {
    return false;
  }
}

/** Why the file is not what was declared, or undefined when it is. */
async function mismatch(record: CatalogRecord, reading: Reading): Promise<string | undefined> {
  const declaredSize = Number(record.size_bytes);
  if (reading.tooLarge || reading.size > declaredSize) return `the file is larger than the ${declaredSize} bytes declared`;
  if (reading.size !== declaredSize) return `the file has ${reading.size} bytes, not the ${declaredSize} declared`;
  const declared = String(record.mime_type);
  if (!attachmentSettings().types.includes(declared)) return `${declared} files are not accepted`;
  const found = await fileTypeFromBuffer(reading.head);
  if (declared === 'text/plain') {
    if (found || !looksLikeText(reading.head, reading.size <= headBytes)) return `the file is not plain text${found ? ` but ${found.mime}` : ''}`;
  } else if (!found || family(found.mime) !== family(declared)) {
    return `the file is ${found ? found.mime : 'of no recognised type'}, not ${declared}`;
  }
  if (typeof record.checksum === 'string' && record.checksum !== reading.sha256) return 'the file\'s SHA-256 is not the checksum declared';
  return undefined;
}

async function deleteObject(object: StoredObject): Promise<void> {
  await s3.send(new DeleteObjectCommand({ Bucket: object.bucket, Key: object.key, ...(object.versionId ? { VersionId: object.versionId } : {}) }));
}

/** Writes the attachment's verdict: `lost` when it changed meanwhile (read again), `quota` when the storage refused. */
async function settle(record: CatalogRecord, changes: Record<string, unknown>, also: { storage?: number } = {}): Promise<'written' | 'lost' | 'quota'> {
  const workspaceId = record.workspace_id;
  const next = applied(record, changes, record.created_by);
  const writes = await changeSteps(attachments, workspaceId, record, next);
  if (next.is_primary === true && isPicture(next) !== isPicture(record)) {
    // the item's picture follows its primary photo: shown once verified, gone when its file is
    writes.touches.push({ key: keys.entity(workspaceId, 'ITEM', record.item_id as string), type: 'ITEM', update: itemPrimaryUpdate({ primary_picture: isPicture(next) ? true : null }) });
  }
  const storage = also.storage ? [{ item: storageChange(workspaceId, also.storage), cause: 'storage' }] : [];
  const cause = await run([...together(attachments, writes), ...storage], workspaceId);
  if (cause === undefined) return 'written';
  return cause === 'storage' ? 'quota' : 'lost';
}

/** Verifies one created object (see the top of this file). Safe to run twice for the same object. */
export async function verifyObject(object: StoredObject): Promise<Verdict> {
  const ids = idsOfObjectKey(object.key);
  // a verdict lost to a concurrent change of the attachment (a primary switch, a delete) is decided again
  return settleRace(async (): Promise<Verdict | typeof lostRace> => {
    const record = ids ? await engine.getEntity(attachmentDefinition, ids.workspaceId, ids.attachmentId, true) : undefined;
    if (!record || record.object_key !== object.key || record.item_id !== ids?.itemId) {
      await deleteObject(object);
      return { outcome: 'stray', reason: record ? 'the key is not the attachment\'s' : 'no attachment asked for this object' };
    }
    if (record.status === 'REJECTED') {
      // its file was deleted when it was rejected; whatever arrives now (the event again, a reused form) goes too
      await deleteObject(object);
      return { outcome: 'unchanged', attachmentId: record.id };
    }
    if (record.status === 'READY') {
      const same = object.versionId ? record.object_version === object.versionId : record.object_etag === object.etag;
      if (same) return { outcome: 'unchanged', attachmentId: record.id }; // the event again (a retry, a duplicate delivery)
      // the very bytes verified, written again (a restore writes each file back, then records its version): kept
      const again = await readObject(object, Number(record.size_bytes)).catch(() => undefined);
      if (again && !again.tooLarge && again.size === Number(record.size_bytes) && again.sha256 === record.checksum) return { outcome: 'unchanged', attachmentId: record.id };
      await deleteObject(object);
      // versioned (AWS): a second upload with a reused form; the verified version stays what is served
      if (object.versionId) return { outcome: 'stray', reason: 'an upload to an attachment already verified' };
      // unversioned (s3rver): the second upload replaced the verified file, so the attachment has none any more
      const reason = 'the file was replaced after it was verified';
      const written = await settle(record, { status: 'REJECTED', rejection_reason: reason, object_etag: object.etag ?? null }, { storage: -Number(record.size_bytes ?? 0) });
      if (written === 'lost') return lostRace;
      return { outcome: 'rejected', attachmentId: record.id, reason };
    }
    const reading = await readObject(object, Number(record.size_bytes)).catch((error: unknown) => {
      // gone before it could be read (a later upload to the key replaced it, unversioned): its own event decides
      if ((error as { name?: string }).name === 'NoSuchKey' || (error as { name?: string }).name === 'NoSuchVersion') return undefined;
      throw error;
    });
    if (!reading) return { outcome: 'unchanged', attachmentId: record.id };
    const reason = await mismatch(record, reading);
    if (reason === undefined) {
      const verified = {
        status: 'READY', size_bytes: reading.size, checksum: reading.sha256, object_etag: object.etag ?? null, object_version: object.versionId ?? null,
      };
      const written = await settle(record, verified, { storage: reading.size });
      if (written === 'written') return { outcome: 'ready', attachmentId: record.id };
      if (written === 'lost') return lostRace;
    }
    const why = reason ?? `the workspace's storage quota (${attachmentSettings().quotaBytes} bytes) is full`;
    const rejected = await settle(record, { status: 'REJECTED', rejection_reason: why, object_etag: object.etag ?? null, object_version: object.versionId ?? null });
    if (rejected === 'lost') return lostRace;
    // after the verdict: were this delete to fail, the event comes again and finds the attachment REJECTED, which deletes it
    await deleteObject(object);
    return { outcome: 'rejected', attachmentId: record.id, reason: why };
  }, { conditional: false });
}
