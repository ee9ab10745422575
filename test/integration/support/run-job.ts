// `npm run job <name>` (infra/local/run-job.ts) against this test run's shared runtime: the job runs
// in a process of its own, as an operator would start it, on the engines global-setup.ts started.
import { inject } from 'vitest';
import { runScript } from '../runtime-process.js';

const portOf = (url: string) => new URL(url).port;

/** Runs the job with these arguments to its end; answers its exit code and output. */
export function runJob(args: string[], timeoutMs = 120_000) {
  return runScript('infra/local/run-job.ts', args, {
    PORT: portOf(inject('apiUrl')),
    DYNAMODB_PORT: portOf(inject('dynamodbEndpoint')),
    S3_PORT: portOf(inject('s3Endpoint')),
    SES_PORT: portOf(inject('sesEndpoint')),
    TABLE_NAME: inject('tableName'),
    BUCKET_NAME: inject('bucketName'),
    JWT_SECRET: inject('jwtSecret'),
  }, timeoutMs);
}
