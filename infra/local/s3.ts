// S3 on one machine: s3rver on a folder, with the attachments bucket (CORS open for the PWA) and
// its object-created events turned into the EventBridge `Object Created` events the upload
// verifier receives in AWS. s3rver does not check signatures or POST policies: the application
// verifies every upload itself and must not rely on either.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import S3rver, { type S3rverEventRecord } from 's3rver';
import { localAccount } from './environment.js';
import { PortInUseError } from './processes.js';

export interface ObjectCreatedEvent {
  version: '0';
  id: string;
  'detail-type': 'Object Created';
  source: 'aws.s3';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: {
    version: '0';
    bucket: { name: string };
    object: { key: string; size: number; etag?: string; sequencer?: string };
    'request-id': string;
    requester: string;
    'source-ip-address'?: string;
    reason: string;
  };
}

const reasons: Record<string, string> = {
  'ObjectCreated:Put': 'PutObject',
  'ObjectCreated:Post': 'POST Object',
  'ObjectCreated:Copy': 'CopyObject',
  'ObjectCreated:CompleteMultipartUpload': 'CompleteMultipartUpload',
};

/** One s3rver record → the EventBridge event S3 sends for it; undefined for other than "created". */
export function toObjectCreatedEvent(record: S3rverEventRecord, region: string): ObjectCreatedEvent | undefined {
  if (!record.eventName.startsWith('ObjectCreated:')) return undefined;
  const bucket = record.s3.bucket.name;
  const object: ObjectCreatedEvent['detail']['object'] = { key: record.s3.object.key, size: record.s3.object.size ?? 0 };
  if (record.s3.object.eTag) object.etag = record.s3.object.eTag;
  if (record.s3.object.sequencer) object.sequencer = record.s3.object.sequencer;
  const event: ObjectCreatedEvent = {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: localAccount,
    // EventBridge times have no fraction: 2021-11-12T00:00:00Z
    time: new Date(record.eventTime).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [`arn:aws:s3:::${bucket}`],
    detail: {
      version: '0',
      bucket: { name: bucket },
      object,
      'request-id': record.responseElements['x-amz-request-id'] ?? randomUUID().replaceAll('-', '').slice(0, 16).toUpperCase(),
      requester: localAccount,
      reason: reasons[record.eventName] ?? record.eventName.slice('ObjectCreated:'.length),
    },
  };
  if (record.requestParameters.sourceIPAddress) event.detail['source-ip-address'] = record.requestParameters.sourceIPAddress;
  return event;
}

/** Lets the PWA (any origin) upload and download with presigned URLs. */
const corsConfiguration = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedMethod>DELETE</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

export interface LocalS3Options {
  port: number;
  directory: string;
  bucket: string;
  region: string;
  /** called for each object created (put, presigned POST, copy); must not throw */
  onObjectCreated: (event: ObjectCreatedEvent) => void;
}

export interface LocalS3 {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startS3(options: LocalS3Options): Promise<LocalS3> {
  mkdirSync(options.directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port,
    silent: true,
    directory: options.directory,
    configureBuckets: [{ name: options.bucket, configs: [corsConfiguration] }],
  });
  server.on('event', (notification) => {
    for (const record of notification.Records) {
      const event = toObjectCreatedEvent(record, options.region);
      if (!event) continue;
      if (event.detail.object.etag) {
        options.onObjectCreated(event);
        continue;
      }
      // s3rver leaves the ETag out of copy events; S3 always sends one.
      server.store
        .getMetadata(event.detail.bucket.name, event.detail.object.key)
        .then((metadata) => {
          if (metadata.etag) event.detail.object.etag = metadata.etag.replaceAll('"', '');
        })
        .catch(() => undefined)
        .finally(() => options.onObjectCreated(event));
    }
  });
  try {
    await server.run();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(options.port, 'S3_PORT', 's3rver');
    throw error;
  }
  return {
    endpoint: `http://127.0.0.1:${options.port}`,
    stop: () => server.close(),
  };
}
