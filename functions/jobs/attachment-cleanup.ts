// Deletes attachments whose upload never arrived: still PENDING a day after the upload form was
// asked for (the form itself expired after 15 minutes). Hourly; every step is idempotent, and a
// run that stops early (time running short) leaves the rest to the next.
import type { Context } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { instrumented } from '../../shared/observability/instrumented.js';
import { logger, metrics } from '../../shared/observability/telemetry.js';
import * as metricNames from '../../shared/observability/metric-names.js';
import { abandonedUploads, removeAbandoned } from '../../shared/domain/attachments/cleanup.js';

const reserveMs = 10_000;

export const handler = instrumented(async (_event: unknown, context?: Context) => {
  const now = new Date();
  let deleted = 0;
  for (const upload of await abandonedUploads(now)) {
    if (context && context.getRemainingTimeInMillis() < reserveMs) break;
    if (await removeAbandoned(upload.workspaceId, upload.attachmentId, now)) deleted += 1;
  }
  logger.info('abandoned uploads deleted', { deleted });
  metrics.addMetric(metricNames.abandonedUploadsDeleted, MetricUnit.Count, deleted);
  return { deleted };
});
