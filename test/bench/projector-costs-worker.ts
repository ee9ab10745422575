// Run by sections/catalog.ts in a fresh process (its own module graph, so the product's
// configuration is read from this process's environment): each projector of the change feed runs
// on a create, an update and a delete stream record of one company, against the DynamoDB Local
// and table given, and the capacity each consumed is tallied. Prints one JSON line: {"costs": [...]}.
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { randomUUID } from 'node:crypto';

const input = JSON.parse(process.env.BENCH_INPUT ?? '{}') as { dynamodb: string; tableName: string; workspaceId: string };
Object.assign(process.env, {
  DYNAMODB_ENDPOINT: input.dynamodb, TABLE_NAME: input.tableName, AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true',
});
const { projectors } = await import('../../functions/streams/projectors/index.js');
const { toChange } = await import('../../shared/stream/change.js');
const { withCapacityTally } = await import('../../shared/observability/capacity.js');
const { workspaceId } = input;
const now = new Date().toISOString();
const entity = {
  PK: `WS#${workspaceId}`, SK: 'COMPANY#0193a5e2-7c1a-7b3e-9f00-00000000be01', entity: 'COMPANY', id: '0193a5e2-7c1a-7b3e-9f00-00000000be01',
  workspace_id: workspaceId, name: 'Bench Ltd', is_archived: false, created_at: now, updated_at: now, version: 1, created_by: 'bench', updated_by: 'bench',
};
const changed = { ...entity, name: 'Bench Ltd (renamed)', version: 2 };
const tombstone = {
  PK: `WS#${workspaceId}#TOMBSTONES`, SK: `${now}#COMPANY#${entity.id}`, entity: 'TOMBSTONE', id: randomUUID(), workspace_id: workspaceId,
  entity_type: 'COMPANY', entity_id: entity.id, entity_name: entity.name, deleted_at: now, deleted_by: 'bench',
};
const streamRecord = (eventName: 'INSERT' | 'MODIFY', keyOf: { PK: string; SK: string }, newImage: object, oldImage?: object): DynamoDBRecord => ({
  eventID: randomUUID(), eventName, eventSource: 'aws:dynamodb', awsRegion: 'us-east-1',
  dynamodb: {
    Keys: marshall({ PK: keyOf.PK, SK: keyOf.SK }) as never, NewImage: marshall(newImage) as never,
    ...(oldImage ? { OldImage: marshall(oldImage) as never } : {}), SequenceNumber: '1', StreamViewType: 'NEW_AND_OLD_IMAGES',
  },
});
const cases: [string, DynamoDBRecord][] = [
  ['create', streamRecord('INSERT', entity, entity)],
  ['update', streamRecord('MODIFY', entity, changed, entity)],
  ['delete', streamRecord('INSERT', tombstone, tombstone)],
];
const costs: { change: string; projector: string; write: number; read: number }[] = [];
for (const [change, streamed] of cases) {
  const parsed = toChange(streamed);
  for (const projector of projectors) {
    if (!projector.wants(parsed)) continue;
    const tally = await withCapacityTally(async (current) => {
      await projector.project(parsed);
      return current;
    });
    costs.push({ change, projector: projector.name, write: tally.write, read: tally.read });
  }
}
process.stdout.write(`${JSON.stringify({ costs })}\n`);
process.exit(0);
