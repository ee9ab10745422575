// What the change feed projects from the catalog's writes (issue 7), through the local runtime's
// real stream poller: the activity log (per workspace, member and entity, and recent), the change
// log of SYNC.md (read here straight from its partition), the favorites of deleted targets, and
// the tombstones /sync/deleted serves. Last, a deleted workspace's purge leaves none of it behind.
// Projections arrive shortly after the write: tests poll (≤ 10 s) until they appear, never sleep.
import { describe, expect, it } from 'vitest';
import {
  addMember, call, createWorkspace, expectStatus, signUp, type SignedInUser, type WorkspaceShape,
} from './support/api.js';
import { getItem, partition } from './support/table.js';
import { runJob } from './support/run-job.js';
import { eventually } from './support/eventually.js';
import type { Activity } from './support/shapes.js';

type Entity = Record<string, any> & { id: string; name: string; version: number };

interface Tombstone {
  id: string;
  workspace_id: string;
  entity_type: string;
  entity_id: string;
  deleted_at: string;
  deleted_by?: string;
}

const path = (workspaceId: string, segment: string, ...rest: string[]) => [`/workspaces/${workspaceId}/${segment}`, ...rest].join('/');

async function create(token: string, workspaceId: string, segment: string, body: Record<string, unknown>): Promise<Entity> {
  return expectStatus(await call<Entity>('POST', path(workspaceId, segment), { token, body }), 201).json;
}

async function read(token: string, workspaceId: string, segment: string, id: string): Promise<Entity> {
  return expectStatus(await call<Entity>('GET', path(workspaceId, segment, id), { token }), 200).json;
}

/** One page (≤ 100) of an activity list, newest first. */
async function activity(token: string, route: string, query: Record<string, string | number> = {}): Promise<Activity[]> {
  const page = expectStatus(await call<{ items: Activity[]; next_cursor?: string }>('GET', route, { token, query: { limit: 100, ...query } }), 200);
  expect(page.json.next_cursor).toBeUndefined();
  return page.json.items;
}

const entityActivity = (token: string, workspaceId: string, type: string, id: string) => activity(token, `/workspaces/${workspaceId}/activity/${type}/${id}`);

/** Waits until one entity's history has `count` entries; answers them, newest first. */
const historyOf = (token: string, workspaceId: string, type: string, id: string, count: number) =>
  eventually(`activity of ${type} ${id}`, () => entityActivity(token, workspaceId, type, id), (items) => items.length >= count);

/** An instant 1 ms after `iso` (lists take what is strictly after `since`, at the key's precision). */
const after = (iso: string) => new Date(Date.parse(iso) + 1).toISOString();

const newestFirst = (items: { occurred_at: string }[]) => items.every((item, index) => index === 0 || items[index - 1]!.occurred_at >= item.occurred_at);

async function world(): Promise<{ owner: SignedInUser; member: SignedInUser; workspace: WorkspaceShape }> {
  const [owner, member] = await Promise.all([signUp(), signUp()]);
  const workspace = await createWorkspace(owner.token);
  await addMember(owner.token, workspace.id, member.id, 'member');
  return { owner, member, workspace };
}

/** Attributes the change log must never carry in `data`: keys, bookkeeping, counters of what links to an entity. */
const internal = /^(PK|SK|GSI\d+(PK|SK)|entity|ttl|created_by|updated_by|child_categories|child_locations|containers)$/;

describe('the activity log', () => {
  it("records an entity's CREATE, UPDATE (only the changed fields, old and new), ARCHIVE, RESTORE and DELETE, newest first, with who did it", async () => {
    const { owner, member, workspace } = await world();
    const garage = await create(owner.token, workspace.id, 'locations', { name: 'Garage', zone: 'North', shelf: '1' });
    expectStatus(await call('PATCH', path(workspace.id, 'locations', garage.id), { token: member.token, body: { zone: 'North', shelf: '2', bin: 'B' } }), 200);
    expectStatus(await call('POST', path(workspace.id, 'locations', garage.id, 'archive'), { token: member.token }), 204);
    expectStatus(await call('POST', path(workspace.id, 'locations', garage.id, 'restore'), { token: owner.token }), 204);
    expectStatus(await call('DELETE', path(workspace.id, 'locations', garage.id), { token: member.token }), 204);

    const history = await historyOf(owner.token, workspace.id, 'LOCATION', garage.id, 5);
    expect(history.map((entry) => [entry.action, entry.user_id])).toEqual([
      ['DELETE', member.id], ['RESTORE', owner.id], ['ARCHIVE', member.id], ['UPDATE', member.id], ['CREATE', owner.id],
    ]);
    for (const entry of history) {
      expect(entry).toMatchObject({ workspace_id: workspace.id, entity_type: 'LOCATION', entity_id: garage.id, entity_name: 'Garage' });
    }
    expect(newestFirst(history)).toBe(true);
    expect(history[3]!.changes).toEqual({ shelf: { old: '1', new: '2' }, bin: { new: 'B' } });
    for (const entry of history.filter((candidate) => candidate.action !== 'UPDATE')) expect(entry).not.toHaveProperty('changes');
    expect(history[4]!.occurred_at).toBe(garage.created_at);

    // the history outlives the entity, and the workspace's log shows the same entries
    expectStatus(await call('GET', path(workspace.id, 'locations', garage.id), { token: owner.token }), 404);
    expect(await activity(member.token, `/workspaces/${workspace.id}/activity`)).toEqual(history);
  });

  it('GET /activity?user_id= shows one member\'s doing only', async () => {
    const { owner, member, workspace } = await world();
    const fragile = await create(owner.token, workspace.id, 'labels', { name: 'Fragile' });
    const heavy = await create(member.token, workspace.id, 'labels', { name: 'Heavy' });
    expectStatus(await call('PATCH', path(workspace.id, 'labels', fragile.id), { token: member.token, body: { color: '#123456' } }), 200);

    await eventually('the workspace\'s activity', () => activity(owner.token, `/workspaces/${workspace.id}/activity`), (items) => items.length >= 3);
    const members = await activity(owner.token, `/workspaces/${workspace.id}/activity`, { user_id: member.id });
    expect(members.map((entry) => [entry.action, entry.entity_id, entry.user_id])).toEqual([['UPDATE', fragile.id, member.id], ['CREATE', heavy.id, member.id]]);
    const owners = await activity(owner.token, `/workspaces/${workspace.id}/activity`, { user_id: owner.id });
    expect(owners.map((entry) => [entry.action, entry.entity_id, entry.user_id])).toEqual([['CREATE', fragile.id, owner.id]]);
  });

  it('GET /activity/recent?since= shows only what happened after since', async () => {
    const { owner, workspace } = await world();
    const first = await create(owner.token, workspace.id, 'companies', { name: 'First' });
    const [created] = await historyOf(owner.token, workspace.id, 'COMPANY', first.id, 1);
    const second = await create(owner.token, workspace.id, 'borrowers', { name: 'Second' });
    await historyOf(owner.token, workspace.id, 'BORROWER', second.id, 1);

    const recent = await activity(owner.token, `/workspaces/${workspace.id}/activity/recent`, { since: after(created!.occurred_at) });
    expect(recent.map((entry) => [entry.action, entry.entity_type, entry.entity_id])).toEqual([['CREATE', 'BORROWER', second.id]]);
    const lastDay = await activity(owner.token, `/workspaces/${workspace.id}/activity/recent`);
    expect(lastDay.map((entry) => entry.entity_id)).toEqual([second.id, first.id]);
  });

  it('adds no UPDATE for a parent when only its count of children moves', async () => {
    const { owner, workspace } = await world();
    const tools = await create(owner.token, workspace.id, 'categories', { name: 'Tools' });
    const saws = await create(owner.token, workspace.id, 'categories', { name: 'Saws', parent_category_id: tools.id });
    expectStatus(await call('PATCH', path(workspace.id, 'categories', saws.id), { token: owner.token, body: { parent_category_id: null } }), 200);
    // a later write in the same partition: once it is projected, so is everything before it
    const marker = await create(owner.token, workspace.id, 'labels', { name: 'Marker' });
    await historyOf(owner.token, workspace.id, 'LABEL', marker.id, 1);

    expect((await entityActivity(owner.token, workspace.id, 'CATEGORY', tools.id)).map((entry) => entry.action)).toEqual(['CREATE']);
    const child = await entityActivity(owner.token, workspace.id, 'CATEGORY', saws.id);
    expect(child.map((entry) => entry.action)).toEqual(['UPDATE', 'CREATE']);
    expect(child[0]!.changes).toEqual({ parent_category_id: { old: tools.id } });
    const changeLog = (await partition(`WS#${workspace.id}#CHANGES`)).filter((entry) => entry.entity_id === tools.id);
    expect(changeLog).toHaveLength(1);
  });
});

describe('GET /sync/deleted', () => {
  it('lists tombstones {id, workspace_id, entity_type, entity_id, deleted_at, deleted_by} since a time, oldest first, page by page', async () => {
    const { owner, member, workspace } = await world();
    const since = new Date().toISOString();
    const label = await create(owner.token, workspace.id, 'labels', { name: 'Old label' });
    const category = await create(owner.token, workspace.id, 'categories', { name: 'Old category' });
    const place = await create(owner.token, workspace.id, 'locations', { name: 'Place' });
    const box = await create(owner.token, workspace.id, 'containers', { name: 'Old box', location_id: place.id });
    const borrower = await create(owner.token, workspace.id, 'borrowers', { name: 'Archived, not deleted' });
    expectStatus(await call('DELETE', path(workspace.id, 'labels', label.id), { token: member.token }), 204);
    expectStatus(await call('DELETE', path(workspace.id, 'categories', category.id), { token: owner.token }), 204);
    expectStatus(await call('DELETE', path(workspace.id, 'borrowers', borrower.id), { token: owner.token }), 204); // archives: no tombstone
    expectStatus(await call('DELETE', path(workspace.id, 'containers', box.id), { token: member.token }), 204);

    const pages: Tombstone[][] = [];
    let cursor: string | undefined;
    do {
      const page = expectStatus(await call<{ items: Tombstone[]; since: string; next_cursor?: string }>('GET', `/workspaces/${workspace.id}/sync/deleted`, {
        token: member.token, query: { since, limit: 2, cursor },
      }), 200).json;
      expect(page.since).toBe(since);
      pages.push(page.items);
      cursor = page.next_cursor;
    } while (cursor && pages.length < 5);
    expect(pages.map((page) => page.length)).toEqual(pages.length === 2 ? [2, 1] : [2, 1, 0]);
    const tombstones = pages.flat();
    const expected = [[label, 'LABEL', member], [category, 'CATEGORY', owner], [box, 'CONTAINER', member]] as const;
    expect(tombstones).toEqual(expected.map(([entity, type, by]) => ({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/), workspace_id: workspace.id, entity_type: type, entity_id: entity.id, deleted_at: expect.any(String), deleted_by: by.id,
    })));
    expect(tombstones.map((tombstone) => tombstone.deleted_at)).toEqual(tombstones.map((tombstone) => tombstone.deleted_at).sort());

    // since the first deletion: only the later ones
    const later = expectStatus(await call<{ items: Tombstone[] }>('GET', `/workspaces/${workspace.id}/sync/deleted`, {
      token: owner.token, query: { since: after(tombstones[0]!.deleted_at) },
    }), 200).json.items;
    expect(later.map((tombstone) => tombstone.entity_id)).toEqual([category.id, box.id]);
  });
});

describe('the change log (WS#<ws>#CHANGES)', () => {
  it('holds one entry per change in logged_at order: upserts carrying the entity as the API shows it, then the delete naming who deleted', async () => {
    const { owner, member, workspace } = await world();
    const seen: { operation: 'upsert' | 'delete'; id: string; data?: Entity }[] = [];
    const tools = await create(owner.token, workspace.id, 'categories', { name: 'Tools', description: 'Hand tools' });
    seen.push({ operation: 'upsert', id: tools.id, data: tools });
    const saws = await create(member.token, workspace.id, 'categories', { name: 'Saws', parent_category_id: tools.id }); // moves the parent's counter only
    seen.push({ operation: 'upsert', id: saws.id, data: saws });
    const renamed = expectStatus(await call<Entity>('PATCH', path(workspace.id, 'categories', tools.id), { token: member.token, body: { name: 'All tools', description: null } }), 200).json;
    seen.push({ operation: 'upsert', id: tools.id, data: renamed });
    expectStatus(await call('POST', path(workspace.id, 'categories', tools.id, 'archive'), { token: owner.token }), 204);
    seen.push({ operation: 'upsert', id: tools.id, data: await read(owner.token, workspace.id, 'categories', tools.id) });
    expectStatus(await call('POST', path(workspace.id, 'categories', tools.id, 'restore'), { token: owner.token }), 204);
    seen.push({ operation: 'upsert', id: tools.id, data: await read(owner.token, workspace.id, 'categories', tools.id) });
    const moved = expectStatus(await call<Entity>('PATCH', path(workspace.id, 'categories', saws.id), { token: owner.token, body: { parent_category_id: null } }), 200).json;
    seen.push({ operation: 'upsert', id: saws.id, data: moved });
    expectStatus(await call('DELETE', path(workspace.id, 'categories', tools.id), { token: member.token }), 204);
    seen.push({ operation: 'delete', id: tools.id });

    const entries = await eventually('the change log', () => partition(`WS#${workspace.id}#CHANGES`), (items) => items.length >= seen.length);
    expect(entries).toHaveLength(seen.length);
    // the partition is sorted by SK = <logged_at>#<event>: that is logged_at order
    expect(entries.map((entry) => entry.logged_at)).toEqual(entries.map((entry) => entry.logged_at).sort());
    // each entry is one change made (an upsert by its entity and version, the delete by its operation)
    const made = entries.map((entry) => seen.findIndex((change) => change.operation === entry.operation && change.id === entry.entity_id
      && (change.operation === 'delete' || change.data!.version === entry.version)));
    expect([...made].sort((a, b) => a - b)).toEqual(seen.map((_, index) => index));
    // in the order they were made (entries the log learned of in the same millisecond tie on logged_at)
    made.forEach((index, position) => {
      if (position > 0) expect(index > made[position - 1]! || entries[position]!.logged_at === entries[position - 1]!.logged_at, `entry ${position}`).toBe(true);
    });
    entries.forEach((entry, position) => {
      expect(entry).toMatchObject({ workspace_id: workspace.id, entity_type: 'CATEGORY' });
      for (const attribute of Object.keys(entry.data)) expect(attribute, `entry ${position} data`).not.toMatch(internal);
      const change = seen[made[position]!]!;
      if (change.operation === 'upsert') expect(entry.data, `entry ${position}`).toEqual(change.data);
    });
    const [tombstone] = expectStatus(await call<{ items: Tombstone[] }>('GET', `/workspaces/${workspace.id}/sync/deleted`, { token: owner.token }), 200).json.items;
    expect(entries.find((entry) => entry.operation === 'delete')!.data)
      .toEqual({ id: tombstone!.id, entity_type: 'CATEGORY', entity_id: tools.id, deleted_at: tombstone!.deleted_at, deleted_by: member.id });
    // one stream record, one entry: the replay markers match
    expect(await partition(`WS#${workspace.id}#CHANGES#EVENTS`)).toHaveLength(seen.length);
  });
});

describe('favorites of deleted things', () => {
  it("deleting a location or a container removes every member's favorite of it, and only those", async () => {
    const { owner, member, workspace } = await world();
    const garage = await create(owner.token, workspace.id, 'locations', { name: 'Garage' });
    const attic = await create(owner.token, workspace.id, 'locations', { name: 'Attic' });
    const crate = await create(owner.token, workspace.id, 'containers', { name: 'Crate', location_id: attic.id });
    const toggle = (user: SignedInUser, favorite_type: string, target_id: string) =>
      call('POST', `/workspaces/${workspace.id}/favorites`, { token: user.token, body: { favorite_type, target_id } });
    for (const user of [owner, member]) {
      expect(expectStatus(await toggle(user, 'LOCATION', garage.id), 200).json.added).toBe(true);
      expect(expectStatus(await toggle(user, 'CONTAINER', crate.id), 200).json.added).toBe(true);
    }
    expect(expectStatus(await toggle(owner, 'LOCATION', attic.id), 200).json.added).toBe(true);

    expectStatus(await call('DELETE', path(workspace.id, 'locations', garage.id), { token: member.token }), 204);
    expectStatus(await call('DELETE', path(workspace.id, 'containers', crate.id), { token: owner.token }), 204);

    const favorites = await eventually('favorites of deleted things gone', () => partition(`WS#${workspace.id}#FAVORITES`), (items) => items.length === 1);
    expect(favorites).toEqual([expect.objectContaining({ user_id: owner.id, favorite_type: 'LOCATION', location_id: attic.id })]);
    for (const user of [owner, member]) {
      for (const [type, id] of [['LOCATION', garage.id], ['CONTAINER', crate.id]]) {
        expect(expectStatus(await call('GET', `/workspaces/${workspace.id}/favorites/check/${type}/${id}`, { token: user.token }), 200).json).toEqual({ is_favorite: false });
      }
    }
    const mine = expectStatus(await call('GET', `/workspaces/${workspace.id}/favorites`, { token: owner.token }), 200).json.items;
    expect(mine).toEqual([expect.objectContaining({ location_id: attic.id })]);
    expect(expectStatus(await call('GET', `/workspaces/${workspace.id}/favorites`, { token: member.token }), 200).json.items).toEqual([]);
  });
});

// ---- the purge

/** Runs `npm run job purge-workspaces` against this run's runtime (as workspaces.test.ts does). */
const runPurgeJob = () => runJob(['purge-workspaces']);

const partitionsOf = (workspaceId: string) => ['', '#UNIQUE', '#TOMBSTONES', '#FAVORITES', '#CHANGES', '#CHANGES#EVENTS', '#ACTIVITY'].map((suffix) => `WS#${workspaceId}${suffix}`);

async function partitionSizes(workspaceId: string): Promise<Record<string, number>> {
  const sizes = await Promise.all(partitionsOf(workspaceId).map(async (pk) => [pk, (await partition(pk)).length] as const));
  return Object.fromEntries(sizes);
}

describe('deleting a workspace', () => {
  it('the purge job leaves nothing of its catalog, favorites, tombstones, change log or activity behind', async () => {
    const { owner, member, workspace } = await world();
    const tools = await create(owner.token, workspace.id, 'categories', { name: 'Tools' });
    await create(owner.token, workspace.id, 'categories', { name: 'Saws', parent_category_id: tools.id });
    const garage = await create(owner.token, workspace.id, 'locations', { name: 'Garage' });
    const crate = await create(member.token, workspace.id, 'containers', { name: 'Crate', location_id: garage.id });
    await create(owner.token, workspace.id, 'companies', { name: 'Hardware Corner' });
    await create(owner.token, workspace.id, 'labels', { name: 'Fragile' });
    await create(owner.token, workspace.id, 'borrowers', { name: 'Grace' });
    const doomed = await create(owner.token, workspace.id, 'labels', { name: 'Doomed' });
    expectStatus(await call('DELETE', path(workspace.id, 'labels', doomed.id), { token: owner.token }), 204);
    expectStatus(await call('POST', `/workspaces/${workspace.id}/favorites`, { token: owner.token, body: { favorite_type: 'LOCATION', target_id: garage.id } }), 200);
    expectStatus(await call('POST', `/workspaces/${workspace.id}/favorites`, { token: member.token, body: { favorite_type: 'CONTAINER', target_id: crate.id } }), 200);
    const changes = 9; // eight creates and a delete

    // every projection in place before the workspace goes (the feed would otherwise write after the purge)
    const before = await eventually('every projection', () => partitionSizes(workspace.id), (sizes) =>
      sizes[`WS#${workspace.id}#ACTIVITY`] === changes && sizes[`WS#${workspace.id}#CHANGES`] === changes && sizes[`WS#${workspace.id}#CHANGES#EVENTS`] === changes);
    for (const [pk, size] of Object.entries(before)) expect(size, pk).toBeGreaterThan(0);
    expect(before[`WS#${workspace.id}#TOMBSTONES`]).toBe(1);
    expect(before[`WS#${workspace.id}#FAVORITES`]).toBe(2);
    // no entry of the change log shows keys, counters (child_categories, containers) or who wrote it
    for (const entry of await partition(`WS#${workspace.id}#CHANGES`)) {
      for (const attribute of Object.keys(entry.data)) expect(attribute, `${entry.operation} ${entry.entity_type} ${entry.entity_id}`).not.toMatch(internal);
    }

    expectStatus(await call('DELETE', `/workspaces/${workspace.id}`, { token: owner.token }), 204);
    // The job works through the purge index oldest first, up to 20 workspaces a run; other files'
    // deletions may be ahead of ours, so run it until ours is gone (a few runs at most).
    let sizes = await partitionSizes(workspace.id);
    for (let run = 1; run <= 5 && Object.values(sizes).some((size) => size > 0); run += 1) {
      const job = await runPurgeJob();
      expect(job.code, `npm run job purge-workspaces failed:\n${job.output}`).toBe(0);
      sizes = await partitionSizes(workspace.id);
    }
    expect(sizes).toEqual(Object.fromEntries(partitionsOf(workspace.id).map((pk) => [pk, 0])));
    expect(await getItem({ PK: `WS#${workspace.id}`, SK: 'WS' })).toBeUndefined();

    // the feed has caught up with everything before a later write, and wrote nothing back
    const elsewhere = await createWorkspace(owner.token);
    const marker = await create(owner.token, elsewhere.id, 'labels', { name: 'Marker' });
    await historyOf(owner.token, elsewhere.id, 'LABEL', marker.id, 1);
    expect(await partitionSizes(workspace.id)).toEqual(Object.fromEntries(partitionsOf(workspace.id).map((pk) => [pk, 0])));
  });
});
