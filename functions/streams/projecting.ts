// A reader of the table's stream that hands each record, decoded once, to every projector of its
// list that wants it, in stream order. When a projector fails on a record, that record and every
// one after it are reported back (partial batch response) and delivered again; projectors are
// idempotent, so the ones that had already run change nothing the second time. Two readers use
// it: the change feed (change-feed.ts) and the job runner (job-runner.ts).
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { instrumented } from '../../shared/observability/instrumented.js';
import * as metricNames from '../../shared/observability/metric-names.js';
import { metricDimensions } from '../../shared/observability/metric-dimensions.js';
import { logger, metrics } from '../../shared/observability/telemetry.js';
import { toChange } from '../../shared/stream/change.js';
import type { Projector } from '../../shared/stream/projector.js';

export function projecting(projectors: readonly Projector[]) {
  return instrumented(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    for (const record of event.Records) {
      const change = toChange(record);
      for (const projector of projectors) {
        if (!projector.wants(change)) continue;
        try {
          await projector.project(change);
        } catch (error) {
          logger.error('projection failed', { projector: projector.name, eventId: change.eventId, keys: change.keys, error: error as Error });
          const single = metrics.singleMetric();
          single.addDimension(metricDimensions.projector, projector.name);
          single.addMetric(metricNames.projectionFailures, MetricUnit.Count, 1);
          return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
        }
      }
    }
    logger.debug('change batch projected', { records: event.Records.length });
    return { batchItemFailures: [] };
  });
}
