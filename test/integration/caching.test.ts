// Conditional and cached reads (issue 13, README "Caching") over real HTTP: lists tagged by their
// collections' versions answer 304 and repeated answers from the container's cache at the cost of
// the authorisation read alone; every write of a collection (and of one a list shows) gives a new
// tag and the new list at once; nothing is ever served across workspaces, queries or roles.
// The shared runtime settles lists after 1 s (LIST_SETTLE_MS, 5 s by default: global-setup.ts).
import { describe, expect, it } from 'vitest';
import { addMember, call, createWorkspace, expectStatus, signUp, type ApiResponse, type SignedInUser, type WorkspaceShape } from './support/api.js';
import { getItem } from './support/table.js';

type Entity = Record<string, any> & { id: string; name: string; version: number };
type Page = { items: Entity[]; next_cursor?: string };

/** Past the runtime's settling window: a list read now may be tagged and kept. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 1_200));

/** What authorisation reads on every workspace route: user, workspace and membership, eventually consistent. */
const authorisationRead = 1.5;

const readOf = (response: ApiResponse) => {
  const match = /read=([\d.]+), write=([\d.]+)/.exec(response.headers.get('x-consumed-capacity') ?? '');
  expect(match, 'the local runtime answers x-consumed-capacity').not.toBeNull();
  return Number(match![1]);
};

async function world(): Promise<{ owner: SignedInUser; workspace: WorkspaceShape }> {
  const owner = await signUp();
  return { owner, workspace: await createWorkspace(owner.token) };
}

const at = (workspaceId: string, ...segments: string[]) => [`/workspaces/${workspaceId}`, ...segments].join('/');

async function create(token: string, workspaceId: string, segment: string, body: Record<string, unknown>): Promise<Entity> {
  return expectStatus(await call<Entity>('POST', at(workspaceId, segment), { token, body }), 201).json;
}

function list(token: string, path: string, query: Record<string, string | number> = {}, etag?: string): Promise<ApiResponse<Page>> {
  return call<Page>('GET', path, { token, query, ...(etag ? { headers: { 'if-none-match': etag } } : {}) });
}

const namesOf = (response: ApiResponse<Page>) => expectStatus(response, 200).json.items.map((item) => item.name);

describe('an unchanged list', () => {
  it('answers 304 to its ETag and repeats itself from the cache, reading only what authorisation reads', async () => {
    const { owner, workspace } = await world();
    for (const name of ['Tools', 'Garden', 'Kitchen']) await create(owner.token, workspace.id, 'categories', { name });
    await settled();
    const categories = at(workspace.id, 'categories');

    const first = expectStatus(await list(owner.token, categories), 200);
    const etag = first.headers.get('etag')!;
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    expect(readOf(first), 'the first answer reads the list').toBeGreaterThan(authorisationRead);

    const again = expectStatus(await list(owner.token, categories), 200);
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.text).toBe(first.text);
    expect(readOf(again), 'a repeated list comes from the cache').toBe(authorisationRead);

    const unchanged = await list(owner.token, categories, {}, etag);
    expect(unchanged.status).toBe(304);
    expect(unchanged.text).toBe('');
    expect(unchanged.headers.get('etag')).toBe(etag);
    expect(unchanged.headers.get('cache-control')).toBe('private, no-cache');
    expect(readOf(unchanged), 'a 304 does not read the list').toBe(authorisationRead);

    // the same query spelled otherwise (the default limit given, another order) is the same list
    expect((await list(owner.token, categories, { include_archived: 'false', limit: 50 }, etag)).status).toBe(304);
    // a list of the whole collection and one of part of it are different lists
    expect((await list(owner.token, at(workspace.id, 'categories', 'root'), {}, etag)).status).toBe(200);
  });

  it('an item GET answers 304 to its ETag until the item changes', async () => {
    const { owner, workspace } = await world();
    const label = await create(owner.token, workspace.id, 'labels', { name: 'Fragile' });
    const path = at(workspace.id, 'labels', label.id);
    const etag = expectStatus(await call('GET', path, { token: owner.token }), 200).headers.get('etag')!;
    expect((await call('GET', path, { token: owner.token, headers: { 'if-none-match': etag } })).status).toBe(304);
    expectStatus(await call('PATCH', path, { token: owner.token, body: { color: '#ff0000' } }), 200);
    const changed = expectStatus(await call<Entity>('GET', path, { token: owner.token, headers: { 'if-none-match': etag } }), 200);
    expect(changed.json.color).toBe('#ff0000');
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('keeps the collection versions on the workspace record, out of its answer and its version', async () => {
    const { owner, workspace } = await world();
    const before = expectStatus(await call<WorkspaceShape & { version: number }>('GET', `/workspaces/${workspace.id}`, { token: owner.token }), 200).json;
    const category = await create(owner.token, workspace.id, 'categories', { name: 'Tools' });
    expectStatus(await call('PATCH', at(workspace.id, 'categories', category.id), { token: owner.token, body: { description: 'Hand tools' } }), 200);
    const record = await getItem({ PK: `WS#${workspace.id}`, SK: 'WS' });
    expect(record?.cv_CATEGORY).toBe(2);
    expect(Date.parse(String(record?.cvt_CATEGORY))).toBeGreaterThan(Date.now() - 60_000);
    const after = expectStatus(await call<Record<string, unknown>>('GET', `/workspaces/${workspace.id}`, { token: owner.token }), 200).json;
    expect(Object.keys(after).filter((name) => name.startsWith('cv'))).toEqual([]);
    expect(after.version).toBe(before.version);
  });
});

describe('a write to a collection', () => {
  it('gives its lists a new ETag and the new content at once: create, PATCH, archive, restore, delete', async () => {
    const { owner, workspace } = await world();
    const categories = at(workspace.id, 'categories');
    const tools = await create(owner.token, workspace.id, 'categories', { name: 'Tools' });
    const writes: [string, () => Promise<unknown>, string[]][] = [
      ['create', () => create(owner.token, workspace.id, 'categories', { name: 'Garden' }), ['Garden', 'Tools']],
      ['PATCH', () => call('PATCH', at(workspace.id, 'categories', tools.id), { token: owner.token, body: { name: 'Workshop' } }), ['Garden', 'Workshop']],
      ['archive', () => call('POST', at(workspace.id, 'categories', tools.id, 'archive'), { token: owner.token }), ['Garden']],
      ['restore', () => call('POST', at(workspace.id, 'categories', tools.id, 'restore'), { token: owner.token }), ['Garden', 'Workshop']],
      ['delete', () => call('DELETE', at(workspace.id, 'categories', tools.id), { token: owner.token }), ['Garden']],
    ];
    for (const [what, write, expected] of writes) {
      await settled();
      const warm = expectStatus(await list(owner.token, categories), 200);
      const etag = warm.headers.get('etag')!;
      expect((await list(owner.token, categories, {}, etag)).status, `before the ${what}`).toBe(304);
      const answer = await write();
      if (answer && typeof answer === 'object' && 'status' in answer) expect((answer as ApiResponse).status, what).toBeLessThan(300);
      const after = await list(owner.token, categories, {}, etag);
      expect(namesOf(after), `right after the ${what}`).toEqual(expected);
      expect(after.headers.get('etag'), what).not.toBe(etag);
      await settled();
      const tagged = expectStatus(await list(owner.token, categories), 200);
      expect(namesOf(tagged), `settled after the ${what}`).toEqual(expected);
      expect((await list(owner.token, categories, {}, tagged.headers.get('etag')!)).status).toBe(304);
    }
  });

  it('never leaves a warm list stale: write, then list at once, round after round', async () => {
    const { owner, workspace } = await world();
    const locations = at(workspace.id, 'locations');
    const made: string[] = [];
    for (let round = 0; round < 5; round += 1) {
      await settled();
      await list(owner.token, locations); // kept
      expect(readOf(await list(owner.token, locations)), `round ${round}: warm`).toBe(authorisationRead);
      const location = await create(owner.token, workspace.id, 'locations', { name: `Shelf ${round}` });
      made.push(location.name);
      expect(namesOf(await list(owner.token, locations)), `round ${round}: after the create`).toEqual(made);
      expectStatus(await call('PATCH', at(workspace.id, 'locations', location.id), { token: owner.token, body: { name: `Rack ${round}` } }), 200);
      made[round] = `Rack ${round}`;
      expect(namesOf(await list(owner.token, locations)), `round ${round}: after the PATCH`).toEqual([...made].sort());
    }
  });

  it('changes the lists that show it: labels on items, loans on inventory rows', async () => {
    const { owner, workspace } = await world();
    const label = await create(owner.token, workspace.id, 'labels', { name: 'Fragile' });
    const item = await create(owner.token, workspace.id, 'items', { name: 'Vase' });
    const shelf = await create(owner.token, workspace.id, 'locations', { name: 'Shelf' });
    const row = await create(owner.token, workspace.id, 'inventory', { item_id: item.id, location_id: shelf.id, quantity: 2 });
    const borrower = await create(owner.token, workspace.id, 'borrowers', { name: 'Ann' });
    await settled();

    // attaching a label is a write of the item outside the catalog engine: it moves the items' version too
    const items = at(workspace.id, 'items');
    const itemsTag = expectStatus(await list(owner.token, items), 200).headers.get('etag')!;
    expect((await list(owner.token, items, {}, itemsTag)).status).toBe(304);
    expectStatus(await call('POST', at(workspace.id, 'items', item.id, 'labels', label.id), { token: owner.token }), 204);
    const labelled = expectStatus(await list(owner.token, items, {}, itemsTag), 200);
    expect(labelled.json.items[0]!.label_ids).toEqual([label.id]);

    // a loan changes the row's available quantity (the loan's sums on the row), and lending the
    // rest, its status too (written after the loan's transaction)
    const rows = at(workspace.id, 'inventory', 'by-item', item.id);
    let tag: string | undefined;
    for (const [what, lend, expected] of [
      ['lend one', 1, { available_quantity: 1, status: 'AVAILABLE' }], ['lend the other', 1, { available_quantity: 0, status: 'ON_LOAN' }],
    ] as const) {
      await settled();
      tag = expectStatus(await list(owner.token, rows), 200).headers.get('etag')!;
      expect((await list(owner.token, rows, {}, tag)).status, what).toBe(304);
      await create(owner.token, workspace.id, 'loans', { inventory_id: row.id, borrower_id: borrower.id, quantity: lend });
      expect(expectStatus(await list(owner.token, rows, {}, tag), 200).json.items[0], what).toMatchObject(expected);
    }
    await settled();
    tag = expectStatus(await list(owner.token, rows), 200).headers.get('etag')!;
    const loans = expectStatus(await call<Page>('GET', at(workspace.id, 'loans', 'active'), { token: owner.token }), 200).json.items;
    expectStatus(await call('POST', at(workspace.id, 'loans', loans[0]!.id, 'return'), { token: owner.token }), 200);
    expect(expectStatus(await list(owner.token, rows, {}, tag), 200).json.items[0]).toMatchObject({ available_quantity: 1, status: 'AVAILABLE' });
  });
});

describe('the cache never crosses', () => {
  it('workspaces: the same query in two workspaces at the same versions answers each its own', async () => {
    const [a, b] = [await world(), await world()];
    await create(a.owner.token, a.workspace.id, 'companies', { name: 'Acme' });
    await create(b.owner.token, b.workspace.id, 'companies', { name: 'Bosch' });
    await settled();
    const fromA = await list(a.owner.token, at(a.workspace.id, 'companies'));
    const fromB = await list(b.owner.token, at(b.workspace.id, 'companies'));
    expect(namesOf(fromA)).toEqual(['Acme']);
    expect(namesOf(fromB)).toEqual(['Bosch']);
    expect(fromA.headers.get('etag')).not.toBe(fromB.headers.get('etag'));
    // again, now that both are kept, and with the other's ETag
    expect(namesOf(await list(a.owner.token, at(a.workspace.id, 'companies'), {}, fromB.headers.get('etag')!))).toEqual(['Acme']);
    expect(namesOf(await list(b.owner.token, at(b.workspace.id, 'companies'), {}, fromA.headers.get('etag')!))).toEqual(['Bosch']);
    // and a stranger is refused before any cache is looked at
    expect((await list(b.owner.token, at(a.workspace.id, 'companies'))).status).toBe(403);
  });

  it('queries: limits, cursors, archived ones and other parents are lists of their own', async () => {
    const { owner, workspace } = await world();
    const containersAt = await create(owner.token, workspace.id, 'locations', { name: 'Garage' });
    for (const name of ['Box A', 'Box B', 'Box C']) await create(owner.token, workspace.id, 'containers', { name, location_id: containersAt.id });
    const old = await create(owner.token, workspace.id, 'containers', { name: 'Box Z', location_id: containersAt.id });
    expectStatus(await call('POST', at(workspace.id, 'containers', old.id, 'archive'), { token: owner.token }), 204);
    await settled();
    const containers = at(workspace.id, 'containers');
    for (let pass = 0; pass < 2; pass += 1) {
      const page = expectStatus(await list(owner.token, containers, { limit: 2 }), 200);
      expect(page.json.items.map((item) => item.name)).toEqual(['Box A', 'Box B']);
      expect(namesOf(await list(owner.token, containers, { limit: 2, cursor: page.json.next_cursor! }))).toEqual(['Box C']);
      expect(namesOf(await list(owner.token, containers))).toEqual(['Box A', 'Box B', 'Box C']);
      expect(namesOf(await list(owner.token, containers, { include_archived: 'true' }))).toEqual(['Box A', 'Box B', 'Box C', 'Box Z']);
    }
    const queries: Record<string, string | number>[] = [{ limit: 2 }, {}, { include_archived: 'true' }];
    const tags = await Promise.all(queries.map(async (query) => (await list(owner.token, containers, query)).headers.get('etag')));
    expect(new Set(tags).size).toBe(3);
    // and the same query under another parent is another list
    const shed = await create(owner.token, workspace.id, 'locations', { name: 'Shed' });
    const inShed = await create(owner.token, workspace.id, 'items', { name: 'Rake' });
    await create(owner.token, workspace.id, 'inventory', { item_id: inShed.id, location_id: shed.id, quantity: 1 });
    await settled();
    for (let pass = 0; pass < 2; pass += 1) {
      expect(expectStatus(await list(owner.token, at(workspace.id, 'inventory', 'by-location', shed.id)), 200).json.items).toHaveLength(1);
      expect(expectStatus(await list(owner.token, at(workspace.id, 'inventory', 'by-location', containersAt.id)), 200).json.items).toHaveLength(0);
    }
  });

  it('roles: a viewer and an owner see the same list and the same ETag, and the viewer sees the owner\'s write at once', async () => {
    const { owner, workspace } = await world();
    const viewer = await signUp();
    await addMember(owner.token, workspace.id, viewer.id, 'viewer');
    await create(owner.token, workspace.id, 'labels', { name: 'Fragile' });
    await settled();
    const labels = at(workspace.id, 'labels');
    const byOwner = expectStatus(await list(owner.token, labels), 200);
    const byViewer = expectStatus(await list(viewer.token, labels), 200);
    expect(byViewer.text).toBe(byOwner.text);
    expect(byViewer.headers.get('etag')).toBe(byOwner.headers.get('etag'));
    expect((await list(viewer.token, labels, {}, byOwner.headers.get('etag')!)).status).toBe(304);
    await create(owner.token, workspace.id, 'labels', { name: 'Heavy' });
    expect(namesOf(await list(viewer.token, labels, {}, byOwner.headers.get('etag')!))).toEqual(['Fragile', 'Heavy']);
  });
});
