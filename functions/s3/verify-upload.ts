// Runs for every object created under the attachments and uploads prefixes of the bucket
// (EventBridge "Object Created" in AWS, s3rver's events locally): an attachment's object becomes
// its READY file, or is rejected and deleted, or (nobody asked for it) deleted
// (shared/domain/attachments/verify.ts); a file a job waits for (a large import, an archive to
// restore) queues its job (shared/domain/jobs/uploads.ts). A failure
// throws: EventBridge and Lambda retry, and what still fails lands in the failure queue.
import type { EventBridgeEvent } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { instrumented } from '../../shared/observability/instrumented.js';
import { logger, metrics } from '../../shared/observability/telemetry.js';
import * as metricNames from '../../shared/observability/metric-names.js';
import { verifyObject } from '../../shared/domain/attachments/verify.js';
import { isJobUpload, jobUploadArrived } from '../../shared/domain/jobs/uploads.js';

export interface ObjectCreatedDetail {
  bucket: { name: string };
  object: { key: string; size?: number; etag?: string; 'version-id'?: string };
}

const counted = { ready: metricNames.attachmentsVerified, rejected: metricNames.attachmentsRejected, stray: metricNames.strayObjectsDeleted } as const;

export const handler = instrumented(async (event: EventBridgeEvent<'Object Created', ObjectCreatedDetail>) => {
  const { bucket, object } = event.detail;
  // attachment keys hold only ids and a sanitised name ([A-Za-z0-9._-]), the same encoded or not
  const key = object.key;
  if (isJobUpload(key)) {
    const outcome = await jobUploadArrived(bucket.name, key, object.size ?? 0, object['version-id']);
    logger.info('job upload arrived', { key, size: object.size, outcome });
    return { outcome };
  }
  const verdict = await verifyObject({ bucket: bucket.name, key, size: object.size ?? 0, etag: object.etag, versionId: object['version-id'] });
  logger.info('object verified', { key, size: object.size, ...verdict });
  if (verdict.outcome !== 'unchanged') metrics.addMetric(counted[verdict.outcome], MetricUnit.Count, 1);
  return verdict;
});
