// The S3 client, built once per container. Locally s3rver serves one host, so buckets go in the path.
import { S3Client } from '@aws-sdk/client-s3';
import { config } from '../config.js';
import { clientOptions } from './client-options.js';

export const s3 = new S3Client({ ...clientOptions(config.endpoints.s3), forcePathStyle: config.endpoints.s3 !== undefined });
