// Types for the part of s3rver 3.x the local runtime uses (the package ships none).
declare module 's3rver' {
  import type { EventEmitter } from 'node:events';
  import type { AddressInfo } from 'node:net';

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
  }

  /** One record of the S3-notification-shaped event s3rver emits as `event`. */
  interface S3rverEventRecord {
    eventTime: string;
    eventName: string;
    awsRegion: string;
    requestParameters: { sourceIPAddress?: string };
    responseElements: Record<string, string>;
    s3: {
      bucket: { name: string; arn: string };
      object: { key: string; size?: number; eTag?: string; sequencer?: string };
    };
  }

  class S3rver extends EventEmitter {
    constructor(options?: S3rverOptions);
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
    store: { getMetadata(bucket: string, key: string): Promise<Record<string, string>> };
    on(event: 'event', listener: (event: { Records: S3rverEventRecord[] }) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
  }
  export default S3rver;
  export type { S3rverEventRecord, S3rverOptions };
}
