// A file a job waited for has arrived (`uploads/{ws}/{job}/{name}`, put there through the form the
// job's start answered): the job becomes QUEUED, which starts it. An object no job waits for (a
// form used twice, a job expired) is deleted.
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { s3 } from '../../aws/s3.js';
import { queueUploaded } from './repository.js';

const uploadKey = /^uploads\/([0-9a-f-]{36})\/([0-9a-f-]{36})\/[A-Za-z0-9._-]+$/;

export const isJobUpload = (key: string) => key.startsWith('uploads/');

export async function jobUploadArrived(bucket: string, key: string, size: number, versionId?: string): Promise<'queued' | 'stray'> {
  const ids = uploadKey.exec(key);
  if (ids && (await queueUploaded(ids[1]!, ids[2]!, key, size))) return 'queued';
  // only this version (versioned in AWS): a second upload through the same form must not take the first one's file away
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
  return 'stray';
}
