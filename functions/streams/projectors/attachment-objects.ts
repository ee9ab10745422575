// When an attachment's record goes (its DELETE route, a workspace's purge), its verified file goes
// too: the exact version that was verified, so nothing of it is kept (a plain delete would only
// hide it behind a delete marker in the versioned bucket). Deleting what is gone is no error, so
// a replayed record changes nothing. Uploads never verified have no file left to delete (a
// rejected one was deleted by the verifier; a late one finds no record and is deleted by it).
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { s3 } from '../../../shared/aws/s3.js';
import { config } from '../../../shared/config.js';
import { metrics } from '../../../shared/observability/telemetry.js';
import * as metricNames from '../../../shared/observability/metric-names.js';
import type { Projector } from '../../../shared/stream/projector.js';

export const attachmentObjects: Projector = {
  name: 'attachmentObjects',
  wants: (change) => change.entity === 'ATTACHMENT' && change.operation === 'REMOVE' && change.oldImage?.status === 'READY'
    && typeof change.oldImage.object_key === 'string',
  async project(change) {
    const { object_key: key, object_version: version } = change.oldImage!;
    await s3.send(new DeleteObjectCommand({ Bucket: config.bucketName, Key: key as string, ...(typeof version === 'string' ? { VersionId: version } : {}) }));
    metrics.addMetric(metricNames.attachmentObjectsDeleted, MetricUnit.Count, 1);
  },
};
