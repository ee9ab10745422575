// Runs for every object created in the attachments bucket (EventBridge "Object Created").
// The attachments issue adds the verification (size, type by magic bytes, READY or REJECTED);
// until then it records that the upload arrived.
import type { EventBridgeEvent } from 'aws-lambda';
import { instrumented } from '../../shared/observability/instrumented.js';
import { logger } from '../../shared/observability/telemetry.js';

export interface ObjectCreatedDetail {
  bucket: { name: string };
  object: { key: string; size?: number; etag?: string };
}

export const handler = instrumented(async (event: EventBridgeEvent<'Object Created', ObjectCreatedDetail>) => {
  logger.info('object created', { bucket: event.detail.bucket.name, key: event.detail.object.key, size: event.detail.object.size });
});
