// Delta sync and the full snapshot (issue 11), over real HTTP and the real stream poller: a
// snapshot of a seeded workspace across several pages equals its content exactly; a delta after
// mixed creates, updates, archives and deletes; a reader paging while writers write loses
// nothing; retention and malformed cursors. The runtime's settling window is 1 s (global setup),
// so a change is readable about a second after the change feed logged it: tests poll, never sleep.
import { randomUUID } from 'node:crypto';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { lambdaContext } from '../support/lambda.js';
import { call, createWorkspace, expectProblem, expectStatus, signUp, type SignedInUser } from './support/api.js';
import { syncAll, type Entity, type SyncPage } from './support/sync.js';
import { eventually } from './support/eventually.js';
import { getItem } from './support/table.js';

async function seeded(): Promise<{ owner: SignedInUser; workspaceId: string; base: string }> {
  const owner = await signUp();
  const workspace = await createWorkspace(owner.token);
  return { owner, workspaceId: workspace.id, base: `/workspaces/${workspace.id}` };
}

const create = async (token: string, base: string, segment: string, body: Record<string, unknown>) =>
  expectStatus(await call<Entity>('POST', `${base}/${segment}`, { token, body }), 201).json;

describe('the full snapshot', () => {
  it('pages through everything the workspace holds, archived included, and equals its content', async () => {
    const { owner, workspaceId, base } = await seeded();
    const token = owner.token;
    const made: Record<string, Entity> = {};
    const tools = await create(token, base, 'categories', { name: 'Tools' });
    const garage = await create(token, base, 'locations', { name: 'Garage' });
    const crate = await create(token, base, 'containers', { name: 'Crate', location_id: garage.id });
    const maker = await create(token, base, 'companies', { name: 'Makita' });
    const fragile = await create(token, base, 'labels', { name: 'Fragile' });
    const grace = await create(token, base, 'borrowers', { name: 'Grace' });
    Object.assign(made, { tools, garage, crate, maker, fragile, grace });
    for (let index = 0; index < 12; index += 1) {
      const item = await create(token, base, 'items', { name: `Thing ${index}`, category_id: tools.id });
      made[`item${index}`] = item;
    }
    const row = await create(token, base, 'inventory', { item_id: made.item0!.id, location_id: garage.id, container_id: crate.id, quantity: 3 });
    const loan = await create(token, base, 'loans', { inventory_id: row.id, borrower_id: grace.id, quantity: 1 });
    const archived = await create(token, base, 'labels', { name: 'Old' });
    expectStatus(await call('POST', `${base}/labels/${archived.id}/archive`, { token }), 204);

    const snapshot = await syncAll(token, workspaceId, { limit: 7 });
    expect(snapshot.pages).toBeGreaterThan(2);
    const current = async (segment: string, id: string) => expectStatus(await call<Entity>('GET', `${base}/${segment}/${id}`, { token }), 200).json;
    // exactly what the workspace holds, each as its GET answer shows it
    const expected = [
      ['categories', tools.id], ['locations', garage.id], ['containers', crate.id], ['companies', maker.id], ['labels', fragile.id], ['labels', archived.id],
      ['borrowers', grace.id], ['inventory', row.id], ['loans', loan.id], ...Array.from({ length: 12 }, (_, index) => ['items', made[`item${index}`]!.id]),
    ] as const;
    expect([...snapshot.state.keys()].sort()).toEqual(expected.map(([, id]) => id).sort());
    for (const [segment, id] of expected) {
      const { type, ...synced } = snapshot.state.get(id)!;
      expect(type).toBe(segment);
      const shown = await current(segment, id);
      // the loan's is_overdue and names, an item's counters of its own: all as the GET answers them
      expect(synced, `${segment} ${id}`).toEqual(shown);
    }
    expect(snapshot.state.get(archived.id)!.is_archived).toBe(true);
    expect(typeof snapshot.state.get(garage.id)!.short_code).toBe('string');

    // entity_types narrows it
    const onlyLabels = await syncAll(token, workspaceId, { types: 'label,company' });
    expect([...onlyLabels.state.values()].map((entity) => entity.type).sort()).toEqual(['companies', 'labels', 'labels']);
  });
});

describe('the delta', () => {
  it('after a snapshot: creates, updates, archives and deletes, each entity once in its latest state', async () => {
    const { owner, workspaceId, base } = await seeded();
    const token = owner.token;
    const kept = await create(token, base, 'labels', { name: 'Kept' });
    const doomed = await create(token, base, 'labels', { name: 'Doomed' });
    const shelf = await create(token, base, 'locations', { name: 'Shelf' });
    // the snapshot sees them (their creates may come again in the delta: logged after its synced_at)
    const snapshot = await syncAll(token, workspaceId);
    expect(snapshot.state.size).toBe(3);

    expectStatus(await call('PATCH', `${base}/labels/${kept.id}`, { token, body: { name: 'Kept (renamed)' } }), 200);
    expectStatus(await call('PATCH', `${base}/labels/${kept.id}`, { token, body: { color: '#FF0000' } }), 200);
    expectStatus(await call('POST', `${base}/locations/${shelf.id}/archive`, { token }), 204);
    expectStatus(await call('DELETE', `${base}/labels/${doomed.id}`, { token }), 204);
    const added = await create(token, base, 'companies', { name: 'Bosch' });

    const delta = await eventually('every change in the delta', () => syncAll(token, workspaceId, { since: snapshot.syncedAt, limit: 2 }),
      (result) => result.deleted.has(doomed.id) && result.state.has(added.id) && result.state.get(shelf.id)?.is_archived === true
        && result.state.get(kept.id)?.color === '#FF0000', 20_000);
    expect(delta.state.get(kept.id)).toMatchObject({ name: 'Kept (renamed)', color: '#FF0000', version: 3 });
    expect(delta.state.has(doomed.id)).toBe(false);
    // consistent with /sync/deleted
    const tombstones = expectStatus(await call('GET', `${base}/sync/deleted`, { token }), 200).json.items as { entity_id: string }[];
    expect(tombstones.map((tombstone) => tombstone.entity_id)).toContain(doomed.id);

    // and from the delta's synced_at on, nothing new (a slow log write may repeat an entry: never an older state)
    const after = await syncAll(token, workspaceId, { since: delta.syncedAt });
    for (const [id, entity] of after.state) expect(entity.version, id).toBe(delta.state.get(id)?.version);
    expect([...after.deleted].every((id) => delta.deleted.has(id))).toBe(true);
  });

  it('a reader paging while writers write loses nothing', async () => {
    const { owner, workspaceId, base } = await seeded();
    const token = owner.token;
    let since = (await syncAll(token, workspaceId)).syncedAt;
    const seen = new Map<string, number>();
    const written = new Map<string, number>();
    let writing = true;
    const writer = (async () => {
      for (let round = 0; round < 6; round += 1) {
        const labels = await Promise.all(Array.from({ length: 4 }, (_, index) => create(token, base, 'labels', { name: `L${round}-${index}` })));
        for (const label of labels) written.set(label.id, label.version);
        const renamed = await call<Entity>('PATCH', `${base}/labels/${labels[0]!.id}`, { token, body: { name: `L${round}-0 renamed` } });
        written.set(renamed.json.id, renamed.json.version);
      }
      writing = false;
    })();
    const read = async () => {
      const result = await syncAll(token, workspaceId, { since, limit: 3 });
      for (const [id, entity] of result.state) seen.set(id, Math.max(seen.get(id) ?? 0, entity.version));
      since = result.syncedAt;
    };
    while (writing) await read();
    await writer;
    await eventually('every write read', async () => {
      await read();
      return [...written].every(([id, version]) => seen.get(id) === version);
    }, (done) => done, 20_000);
    expect([...seen.keys()].sort()).toEqual([...written.keys()].sort());
  });
});

describe('a change feed hours late', () => {
  it('loses nothing for a client that synced meanwhile: the late change arrives after its synced_at', async () => {
    const { owner, workspaceId, base } = await seeded();
    const token = owner.token;
    const company = await create(token, base, 'companies', { name: 'Early Ltd' });
    const first = await eventually('the create synced', () => syncAll(token, workspaceId, { since: new Date(Date.now() - 60_000).toISOString() }),
      (result) => result.state.has(company.id));
    // The client synced. Now the stream delivers a change of that company late (the feed was failing
    // for a while): a record the change log has not seen, stamped by the writer long before.
    process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    const handler = (await import('../../functions/streams/change-feed.js')).handler as unknown as (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>;
    const stored = (await getItem({ PK: `WS#${workspaceId}`, SK: `COMPANY#${company.id}` }))!;
    const delayed: DynamoDBRecord = {
      eventID: `late-${randomUUID()}`, eventName: 'MODIFY', eventSource: 'aws:dynamodb', awsRegion: 'us-east-1',
      dynamodb: {
        Keys: marshall({ PK: stored.PK, SK: stored.SK }) as never,
        NewImage: marshall({ ...stored, version: stored.version + 1, name: 'Early Ltd (renamed)', updated_at: company.updated_at as string }) as never,
        OldImage: marshall(stored) as never, SequenceNumber: '1', StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    };
    expect((await handler({ Records: [delayed] }, lambdaContext('change-feed'))).batchItemFailures).toEqual([]);
    const next = await eventually('the late change in the next delta', () => syncAll(token, workspaceId, { since: first.syncedAt }),
      (result) => result.state.get(company.id)?.name === 'Early Ltd (renamed)');
    expect(next.state.get(company.id)!.version).toBe(stored.version + 1);
  });
});

describe('what is refused', () => {
  it('a modified_since older than the change log keeps answers resync_required; malformed or foreign cursors are 422', async () => {
    const { owner, base } = await seeded();
    const old = expectStatus(await call<SyncPage>('GET', `${base}/sync/delta`, { token: owner.token, query: { modified_since: '2020-01-01T00:00:00Z' } }), 200).json;
    expect(old.resync_required).toBe(true);
    expect(old.items).toEqual([]);
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const cursor of [
      'not-a-cursor', encode({ l: 'sync.delta', a: 'x', u: '2026-01-01T00:00:00.000Z' }), encode({ l: 'sync.delta', a: '2026-01-01T00:00:00.000Z#e', u: '2999-01-01T00:00:00.000Z' }),
      encode({ l: 'sync.snapshot', k: 'ITEM#1', u: '2026-01-01T00:00:00.000Z', extra: 'x' }), encode({ l: 'tombstones', a: 'x' }),
    ]) {
      expectProblem(await call('GET', `${base}/sync/delta`, { token: owner.token, query: { cursor } }), 422, 'INVALID_CURSOR');
    }
    expectProblem(await call('GET', `${base}/sync/delta`, { token: owner.token, query: { entity_types: 'item,spaceship' } }), 422, 'VALIDATION_FAILED');
    expectProblem(await call('GET', `${base}/sync/delta`, { token: owner.token, query: { limit: 1001 } }), 422, 'VALIDATION_FAILED');
  });
});
