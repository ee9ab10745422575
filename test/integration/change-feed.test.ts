// The change feed's own promises, against the shared runtime's DynamoDB Local:
// - a captured batch of real stream records, fed to the change-feed handler again (and again),
//   changes nothing: every projector is idempotent;
// - the change log orders entries by when it learned of a change, not by when the change was made:
//   a projection that comes late lands after a reader's cursor, never behind it (SYNC.md);
// - a change-log write slower than half the settling window is written again with a fresh time.
// The handler runs in this process, on the same table as the runtime (global setup's environment).
import { randomUUID } from 'node:crypto';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../support/lambda.js';
import { call, createWorkspace, expectStatus, signUp, type SignedInUser } from './support/api.js';
import { getItem, partition } from './support/table.js';
import { streamRecords } from './support/stream.js';

const region = 'us-east-1';

type Handler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>;
let handler: Handler;
let dynamodb: typeof import('../../shared/aws/dynamodb.js').dynamodb;

beforeAll(async () => {
  // A short settling window, so a write can be slower than half of it (read at first import).
  process.env.SYNC_SETTLE_MS = '400';
  handler = (await import('../../functions/streams/change-feed.js')).handler as unknown as Handler;
  dynamodb = (await import('../../shared/aws/dynamodb.js')).dynamodb;
});


/** What the change feed projects for a workspace, plus its entities: compared before and after a replay. */
async function projections(workspaceId: string) {
  const parts = ['', '#UNIQUE', '#TOMBSTONES', '#FAVORITES', '#CHANGES', '#CHANGES#EVENTS', '#ACTIVITY', '#STATS', '#STATS#APPLIED'];
  return Object.fromEntries(await Promise.all(parts.map(async (part) => [part || 'entities', await partition(`WS#${workspaceId}${part}`)])));
}

async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function workspaceWithHistory(): Promise<{ owner: SignedInUser; workspaceId: string }> {
  const owner = await signUp();
  const workspaceId = (await createWorkspace(owner.token)).id;
  const base = `/workspaces/${workspaceId}`;
  const post = async (path: string, body: unknown) => expectStatus(await call('POST', `${base}${path}`, { token: owner.token, body }), 201).json;
  const tools = await post('/categories', { name: 'Tools' });
  await post('/categories', { name: 'Saws', parent_category_id: tools.id });
  const garage = await post('/locations', { name: 'Garage' });
  const shelf = await post('/locations', { name: 'Shelf', parent_location: garage.id });
  await post('/containers', { name: 'Crate', location_id: shelf.id });
  const label = await post('/labels', { name: 'Fragile', color: '#FF0000' });
  expectStatus(await call('PATCH', `${base}/labels/${label.id}`, { token: owner.token, body: { color: '#00FF00', description: 'handle with care' } }), 200);
  expectStatus(await call('POST', `${base}/labels/${label.id}/archive`, { token: owner.token }), 204);
  expectStatus(await call('DELETE', `${base}/labels/${label.id}`, { token: owner.token }), 204);
  expectStatus(await call('POST', `${base}/favorites`, { token: owner.token, body: { favorite_type: 'LOCATION', target_id: shelf.id } }), 200);
  // every change projected: 9 entity changes in the log and in the activity
  await waitFor('the projections', () => partition(`WS#${workspaceId}#CHANGES`), (entries) => entries.length >= 9);
  await waitFor('the activity', () => partition(`WS#${workspaceId}#ACTIVITY`), (entries) => entries.length >= 9);
  return { owner, workspaceId };
}

describe('the change feed', () => {
  it('replaying a captured batch of real stream records changes nothing, however often', async () => {
    const { workspaceId } = await workspaceWithHistory();
    const ours = (await streamRecords()).filter((record) => record.dynamodb?.Keys?.PK?.S?.startsWith(`WS#${workspaceId}`));
    expect(ours.length).toBeGreaterThan(10);
    const before = await projections(workspaceId);
    for (let replay = 1; replay <= 2; replay += 1) {
      const result = await handler({ Records: ours }, lambdaContext('change-feed'));
      expect(result.batchItemFailures).toEqual([]);
      expect(await projections(workspaceId), `after replay ${replay}`).toEqual(before);
    }
    process.stdout.write(`change feed: replayed ${ours.length} stream records of one workspace twice; its ${Object.values(before).flat().length} items did not change\n`);
  });

  it('orders the change log by when it learned of a change: a late projection lands after a reader\'s cursor', async () => {
    const owner = await signUp();
    const workspaceId = (await createWorkspace(owner.token)).id;
    const early = expectStatus(await call('POST', `/workspaces/${workspaceId}/companies`, { token: owner.token, body: { name: 'Early Ltd' } }), 201).json;
    const late = expectStatus(await call('POST', `/workspaces/${workspaceId}/companies`, { token: owner.token, body: { name: 'Late Ltd' } }), 201).json;
    const entries = await waitFor('both entries', () => partition(`WS#${workspaceId}#CHANGES`), (found) => found.length >= 2);
    // A reader synced now: its cursor is the newest logged_at it saw.
    const cursor = entries.map((entry) => entry.SK as string).sort().at(-1)!;
    expect(Date.parse(early.updated_at)).toBeLessThan(Date.parse(late.updated_at));

    // The stream delivers the EARLIER change again, late (a change feed that was failing for a while,
    // a shard behind another): a record of it the log has not seen.
    const item = (await getItem({ PK: `WS#${workspaceId}`, SK: `COMPANY#${early.id}` }))!;
    const delayed: DynamoDBRecord = {
      eventID: `late-${randomUUID()}`, eventName: 'MODIFY', eventSource: 'aws:dynamodb', awsRegion: region,
      dynamodb: {
        Keys: marshall({ PK: item.PK, SK: item.SK }) as never,
        NewImage: marshall({ ...item, version: item.version + 1, name: 'Early Ltd (renamed)', updated_at: early.updated_at }) as never,
        OldImage: marshall(item) as never,
        SequenceNumber: '1', StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    };
    expect((await handler({ Records: [delayed] }, lambdaContext('change-feed'))).batchItemFailures).toEqual([]);
    const after = await partition(`WS#${workspaceId}#CHANGES`);
    const newer = after.filter((entry) => (entry.SK as string) > cursor);
    // the change made before the cursor's entry is found after the cursor: the reader will see it
    expect(newer.map((entry) => [entry.entity_id, entry.data.name])).toEqual([[early.id, 'Early Ltd (renamed)']]);
    expect(Date.parse(newer[0]!.logged_at)).toBeGreaterThan(Date.parse(late.updated_at));
  });

  it('writes an entry again, with a fresh time, when its write took longer than half the settling window', async () => {
    const owner = await signUp();
    const workspaceId = (await createWorkspace(owner.token)).id;
    const company = expectStatus(await call('POST', `/workspaces/${workspaceId}/companies`, { token: owner.token, body: { name: 'Slow Ltd' } }), 201).json;
    await waitFor('the entry', () => partition(`WS#${workspaceId}#CHANGES`), (found) => found.length >= 1);
    const item = (await getItem({ PK: `WS#${workspaceId}`, SK: `COMPANY#${company.id}` }))!;
    const record: DynamoDBRecord = {
      eventID: `slow-${randomUUID()}`, eventName: 'MODIFY', eventSource: 'aws:dynamodb', awsRegion: region,
      dynamodb: {
        Keys: marshall({ PK: item.PK, SK: item.SK }) as never,
        NewImage: marshall({ ...item, version: item.version + 1, notes: 'slow' }) as never,
        OldImage: marshall(item) as never,
        SequenceNumber: '2', StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    };
    // The first change-log transaction takes 300 ms: over half of δ = 400 ms.
    // (transactions go out as TransactWriteItems on the plain client: shared/db/table.ts)
    const send = dynamodb.send.bind(dynamodb);
    const spy = vi.spyOn(dynamodb, 'send').mockImplementation((async (command: { constructor: { name: string } }, ...rest: unknown[]) => {
      if (command.constructor.name === 'TransactWriteItemsCommand' && spy.mock.calls.filter(([candidate]) => (candidate as object).constructor.name === 'TransactWriteItemsCommand').length === 1) {
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      return (send as (...args: unknown[]) => Promise<unknown>)(command, ...rest);
    }) as never);
    try {
      expect((await handler({ Records: [record] }, lambdaContext('change-feed'))).batchItemFailures).toEqual([]);
    } finally {
      spy.mockRestore();
    }
    const written = (await partition(`WS#${workspaceId}#CHANGES`)).filter((entry) => entry.event_id === record.eventID);
    expect(written).toHaveLength(2);
    const [first, second] = written.map((entry) => Date.parse(entry.logged_at)).sort();
    expect(second! - first!).toBeGreaterThanOrEqual(300);
  });
});
