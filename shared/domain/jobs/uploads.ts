// A file a job waited for has arrived (`uploads/{ws}/{job}/{name}`, put there through the form the
// job's start answered): the job becomes QUEUED, which starts it. An object no job waits for (a
// form used twice, a job expired) is deleted.
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { s3 } from '../../aws/s3.js';
import { idsOfUploadObjectKey } from './model.js';
import { queueUploaded } from './repository.js';

export const isJobUpload = (key: string) => key.startsWith('uploads/');

export async function jobUploadArrived(bucket: string, key: string, size: number, versionId?: string): Promise<'queued' | 'stray'> {
  const ids = idsOfUploadObjectKey(key);
  if (ids && (await queueUploaded(ids.workspaceId, ids.jobId, key, size))) return 'queued';
  // only this version (versioned in AWS): a second upload through the same form must not take the first one's file away
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
  return 'stray';
}
