// The first cross-domain workflow, walked as a person using the app would, over real HTTP:
// register → log in → workspace → category, location (and a shelf in it), a box on the shelf →
// item → stock of it in the box → move part of it (a split) out to the room → look at everything:
// the item, its rows and total, the room's movements, the workspace's activity and change log.
// Then a viewer joins: they see all of it, and may not move anything.
// The activity and the change log are projections of the change feed: polled (≤ 10 s), never slept on.
import { describe, expect, it } from 'vitest';
import {
  addMember, call, createWorkspace, expectProblem, expectStatus, register, signIn,
} from './support/api.js';
import { partition } from './support/table.js';
import { eventually } from './support/eventually.js';
import type { Activity, Page } from './support/shapes.js';

type Entity = Record<string, any> & { id: string };

describe('the first workflow: register → workspace → category, locations, container → item → inventory → move → activity', () => {
  it('a split move is seen everywhere a person looks, and a viewer sees it all but may not move', async () => {
    // ---- an owner signs up and makes a workspace
    const owner = await register({ fullName: 'Olive Owner' });
    const { token } = await signIn(owner);
    const workspace = await createWorkspace(token, { name: 'Our home' });
    const ws = `/workspaces/${workspace.id}`;
    const get = async <T = Entity>(path: string, as = token) => expectStatus(await call<T>('GET', `${ws}${path}`, { token: as }), 200).json;
    const post = async (path: string, body: Record<string, unknown>) => expectStatus(await call<Entity>('POST', `${ws}${path}`, { token, body }), 201).json;

    // ---- the catalog: a category, a room with a shelf in it, a box on the shelf
    const tools = await post('/categories', { name: 'Tools' });
    const garage = await post('/locations', { name: 'Garage' });
    const shelf = await post('/locations', { name: 'Garage shelf', parent_location: garage.id });
    const box = await post('/containers', { name: 'Red box', location_id: shelf.id });
    expect(shelf.parent_location).toBe(garage.id);
    expect(box.location_id).toBe(shelf.id);

    // ---- an item of that category, and five of it in the box
    const item = await post('/items', { name: 'Cordless drill', category_id: tools.id, brand: 'Makita' });
    expect(item).toMatchObject({ name: 'Cordless drill', category_id: tools.id, label_ids: [] });
    const stock = await post('/inventory', { item_id: item.id, location_id: shelf.id, container_id: box.id, quantity: 5 });
    expect(stock).toMatchObject({ item_id: item.id, location_id: shelf.id, container_id: box.id, quantity: 5, available_quantity: 5, status: 'AVAILABLE' });

    // ---- two of them go out to the garage floor: a split
    const moved = expectStatus(await call<Entity>('POST', `${ws}/inventory/${stock.id}/move`, {
      token, body: { location_id: garage.id, quantity: 2, reason: 'working on the car' },
    }), 200).json;
    expect(moved.id).not.toBe(stock.id);
    expect(moved).toMatchObject({ item_id: item.id, location_id: garage.id, quantity: 2, available_quantity: 2 });
    expect(moved).not.toHaveProperty('container_id');

    // ---- what the owner sees now
    expect(await get(`/items/${item.id}`)).toMatchObject({ id: item.id, name: 'Cordless drill', category_id: tools.id });
    const rows = (await get<Page<Entity>>(`/inventory/by-item/${item.id}`)).items;
    expect(rows.map((row) => [row.id, row.location_id, row.container_id, row.quantity]).sort()).toEqual([
      [stock.id, shelf.id, box.id, 3],
      [moved.id, garage.id, undefined, 2],
    ].sort());
    expect(await get(`/inventory/total-quantity/${item.id}`)).toEqual({ item_id: item.id, total_quantity: 5 });
    expect((await get<Page<Entity>>(`/inventory/by-container/${box.id}`)).items.map((row) => row.id)).toEqual([stock.id]);

    const movement = {
      inventory_id: stock.id, to_inventory_id: moved.id, item_id: item.id, from_location_id: shelf.id, from_container_id: box.id,
      to_location_id: garage.id, quantity: 2, moved_by: owner.id, reason: 'working on the car',
    };
    const intoGarage = (await get<Page<Entity>>(`/locations/${garage.id}/movements`)).items;
    expect(intoGarage).toEqual([expect.objectContaining({ ...movement, workspace_id: workspace.id })]);
    expect(intoGarage[0]).not.toHaveProperty('to_container_id');
    expect((await get<Page<Entity>>(`/locations/${shelf.id}/movements`)).items).toEqual(intoGarage);
    expect((await get<Page<Entity>>(`/inventory/${stock.id}/movements`)).items).toEqual(intoGarage);
    expect((await get<Page<Entity>>('/movements')).items).toEqual(intoGarage);

    // ---- the workspace's activity: every step, in order, the move named after the item (a split's new row
    // has no CREATE of its own: one MOVE entry per move, which names the new row as to_inventory_id)
    const story: [string, string, string, string][] = [
      ['CREATE', 'CATEGORY', tools.id, 'Tools'],
      ['CREATE', 'LOCATION', garage.id, 'Garage'],
      ['CREATE', 'LOCATION', shelf.id, 'Garage shelf'],
      ['CREATE', 'CONTAINER', box.id, 'Red box'],
      ['CREATE', 'ITEM', item.id, 'Cordless drill'],
      ['CREATE', 'INVENTORY', stock.id, 'Cordless drill'],
      ['MOVE', 'INVENTORY', stock.id, 'Cordless drill'],
    ];
    const readActivity = async (as: string) => (await get<Page<Activity>>('/activity?limit=100', as)).items;
    const activity = await eventually('the workspace activity', () => readActivity(token), (items) => items.length >= story.length && items.some((entry) => entry.action === 'MOVE'));
    const oldestFirst = [...activity].reverse();
    expect(oldestFirst.map((entry) => [entry.action, entry.entity_type, entry.entity_id, entry.entity_name])).toEqual(story);
    for (const entry of activity) expect(entry.user_id).toBe(owner.id);
    expect(oldestFirst.at(-1)!.changes).toEqual({
      location_id: { old: shelf.id, new: garage.id }, container_id: { old: box.id }, quantity: { new: 2 },
      to_inventory_id: { new: moved.id }, reason: { new: 'working on the car' },
    });

    // ---- the change log (what offline clients will sync from; no route serves it yet, so read its partition):
    // one upsert per version of each entity, in order per entity, and one for the movement. Every
    // record of the move's transaction must be in before it is read (they may come in any order).
    type LogEntry = Record<string, any>;
    const versionsOf = (entries: LogEntry[], type: string, id: string) => entries.filter((entry) => entry.entity_type === type && entry.entity_id === id);
    const expectedLog: [string, string, (number | undefined)[]][] = [
      ['CATEGORY', tools.id, [1]], ['LOCATION', garage.id, [1]], ['LOCATION', shelf.id, [1]], ['CONTAINER', box.id, [1]],
      ['ITEM', item.id, [1]], ['INVENTORY', stock.id, [1, 2]], ['INVENTORY', moved.id, [1]], ['MOVEMENT', intoGarage[0]!.id, [undefined]],
    ];
    const changeLog = await eventually('the change log', () => partition(`WS#${workspace.id}#CHANGES`),
      (entries) => expectedLog.every(([type, id, versions]) => versionsOf(entries, type, id).length >= versions.length));
    expect(new Set(changeLog.map((entry) => `${entry.entity_type} ${entry.entity_id}`)))
      .toEqual(new Set(expectedLog.map(([type, id]) => `${type} ${id}`)));
    for (const [type, id, versions] of expectedLog) {
      expect(versionsOf(changeLog, type, id).map((entry) => [entry.operation, entry.version]), `${type} ${id}`).toEqual(versions.map((version) => ['upsert', version]));
    }
    for (const entry of changeLog) expect(entry.workspace_id).toBe(workspace.id);
    const latest = (type: string, id: string) => versionsOf(changeLog, type, id).at(-1)!.data;
    // … each entity's last entry as the API shows it now, the movement as the movement lists show it
    expect(latest('CATEGORY', tools.id)).toEqual(tools);
    expect(latest('CONTAINER', box.id)).toEqual(await get(`/containers/${box.id}`));
    expect(latest('ITEM', item.id)).toEqual(await get(`/items/${item.id}`));
    expect(latest('INVENTORY', stock.id)).toEqual(await get(`/inventory/${stock.id}`));
    expect(latest('INVENTORY', stock.id)).toMatchObject({ location_id: shelf.id, container_id: box.id, quantity: 3 });
    expect(latest('INVENTORY', moved.id)).toEqual(moved);
    expect(versionsOf(changeLog, 'INVENTORY', stock.id)[0]!.data).toEqual(stock);
    expect(latest('MOVEMENT', intoGarage[0]!.id)).toEqual(intoGarage[0]);
    // … and the activity's MOVE entry is that movement's: same moment
    expect(oldestFirst.at(-1)!.occurred_at).toBe(intoGarage[0]!.created_at);

    // ---- a viewer joins: they see everything above …
    const viewer = await register({ fullName: 'Vera Viewer' });
    const viewerToken = (await signIn(viewer)).token;
    await addMember(token, workspace.id, viewer.id, 'viewer');
    expect(await get(`/items/${item.id}`, viewerToken)).toEqual(await get(`/items/${item.id}`));
    expect(await get(`/inventory/by-item/${item.id}`, viewerToken)).toEqual(await get(`/inventory/by-item/${item.id}`));
    expect(await get(`/inventory/${moved.id}`, viewerToken)).toMatchObject({ id: moved.id, quantity: 2 });
    expect(await get(`/inventory/total-quantity/${item.id}`, viewerToken)).toEqual({ item_id: item.id, total_quantity: 5 });
    expect((await get<Page<Entity>>(`/locations/${garage.id}/movements`, viewerToken)).items).toEqual(intoGarage);
    expect((await get<Page<Entity>>('/movements', viewerToken)).items).toEqual(intoGarage);
    // (adding the viewer was no catalog change: the activity they read is the story above, nothing more)
    expect(await readActivity(viewerToken)).toEqual(activity);

    // … and may not move anything: refused, and nothing moved
    expectProblem(await call('POST', `${ws}/inventory/${stock.id}/move`, {
      token: viewerToken, body: { location_id: garage.id, quantity: 1, reason: 'just looking' },
    }), 403, 'ROLE_TOO_LOW');
    expectProblem(await call('POST', `${ws}/inventory/${moved.id}/move`, {
      token: viewerToken, body: { location_id: shelf.id, container_id: box.id },
    }), 403, 'ROLE_TOO_LOW');
    expect(await get(`/inventory/by-item/${item.id}`)).toEqual(await get(`/inventory/by-item/${item.id}`, viewerToken));
    expect((await get<Page<Entity>>(`/inventory/by-item/${item.id}`)).items.map((row) => [row.id, row.quantity]).sort())
      .toEqual([[stock.id, 3], [moved.id, 2]].sort());
    expect((await get<Page<Entity>>('/movements')).items).toEqual(intoGarage);
  });
});
