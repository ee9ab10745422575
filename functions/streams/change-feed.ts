// The change feed: the one reader of the table's stream. Projectors (change log, activity,
// stats, notifications) are added by the issues that need them; each runs per record and a
// failing record is reported back so only it and the records after it are retried.
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { instrumented } from '../../shared/observability/instrumented.js';
import { logger } from '../../shared/observability/telemetry.js';

export const handler = instrumented(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  for (const record of event.Records) {
    logger.debug('change', {
      eventId: record.eventID,
      eventName: record.eventName,
      keys: record.dynamodb?.Keys,
    });
  }
  logger.info('change batch received', { records: event.Records.length });
  return { batchItemFailures: [] };
});
