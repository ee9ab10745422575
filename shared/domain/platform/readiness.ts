// Readiness: can this container reach what every request needs? Each dependency is asked the
// cheapest question that proves it answers, all at once, each bounded by a short deadline.
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { GetAccountCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { config } from '../../config.js';
import { dynamodb } from '../../aws/dynamodb.js';
import { s3 } from '../../aws/s3.js';
import { clientOptions } from '../../aws/client-options.js';
import { logger } from '../../observability/telemetry.js';

export type DependencyName = 'table' | 'bucket' | 'mail';

export interface DependencyStatus {
  status: 'ok' | 'failed';
  latency_ms: number;
  error?: string;
}

const deadlineMs = 2_000;

// SES v2's GetAccount is the one read-only call both SES and aws-ses-v2-local answer; it also
// tells whether sending is paused for the account.
const sesAccount = new SESv2Client(clientOptions(config.endpoints.ses));

const probes: Record<DependencyName, (abortSignal: AbortSignal) => Promise<void>> = {
  // A GetItem of a key nothing writes: 0.5 RCU, proves the table exists and we may read it.
  table: async (abortSignal) => {
    await dynamodb.send(new GetItemCommand({ TableName: config.tableName, Key: { PK: { S: 'READY#PROBE' }, SK: { S: 'READY#PROBE' } } }), { abortSignal });
  },
  bucket: async (abortSignal) => {
    await s3.send(new HeadBucketCommand({ Bucket: config.bucketName }), { abortSignal });
  },
  mail: async (abortSignal) => {
    const account = await sesAccount.send(new GetAccountCommand({}), { abortSignal });
    if (account.SendingEnabled === false) throw new Error('sending is paused for this account');
  },
};

async function probe(name: DependencyName): Promise<DependencyStatus> {
  const started = performance.now();
  try {
    await probes[name](AbortSignal.timeout(deadlineMs));
    return { status: 'ok', latency_ms: Math.round(performance.now() - started) };
  } catch (error) {
    logger.warn('dependency not ready', { dependency: name, error: error as Error });
    // The client sees which dependency failed and the error's class, never its internal text.
    const kind = error instanceof Error ? error.name : 'Error';
    return { status: 'failed', latency_ms: Math.round(performance.now() - started), error: kind };
  }
}

export async function checkReadiness() {
  const [table, bucket, mail] = await Promise.all([probe('table'), probe('bucket'), probe('mail')]);
  const dependencies = { table, bucket, mail };
  const ready = Object.values(dependencies).every((dependency) => dependency.status === 'ok');
  return { status: ready ? ('ok' as const) : ('failed' as const), dependencies };
}
