// Items (issue 8): the catalog lifecycle of an item over HTTP (create with a generated SKU and
// short code, get, list by name with cursors, PATCH semantics and If-Match, archive and restore,
// roles, tenancy); SKU and short-code uniqueness, also under parallel creates; references to
// categories and companies; the lists by category and by barcode; the search (from the index); labels; what
// the change feed does to items when what they link to is deleted, and the activity and change log
// of an item; the consumed capacity of a GET. Every test makes its own users and workspaces;
// projections are polled for (≤ 10 s), never waited out.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  addMember, allPages, call, createWorkspace, expectProblem, expectStatus, signUp, type ApiResponse, ownedWorkspace
} from './support/api.js';
import { partition } from './support/table.js';
import { eventually } from './support/eventually.js';
import type { Activity, Page } from './support/shapes.js';

interface Item {
  id: string;
  workspace_id: string;
  sku: string;
  name: string;
  short_code: string;
  label_ids: string[];
  min_stock_level: number;
  is_archived: boolean;
  created_at: string;
  updated_at: string;
  version: number;
  [field: string]: any;
}

type Entity = Record<string, any> & { id: string; name: string; version: number };

const world = ownedWorkspace;

/** `/workspaces/{ws}/items[/…]` */
const itemsPath = (workspaceId: string, ...rest: string[]) => [`/workspaces/${workspaceId}/items`, ...rest].join('/');
const path = (workspaceId: string, segment: string, ...rest: string[]) => [`/workspaces/${workspaceId}/${segment}`, ...rest].join('/');

async function createItem(token: string, workspaceId: string, body: Record<string, unknown>): Promise<Item> {
  return expectStatus(await call<Item>('POST', itemsPath(workspaceId), { token, body }), 201).json;
}

async function readItem(token: string, workspaceId: string, id: string): Promise<Item> {
  return expectStatus(await call<Item>('GET', itemsPath(workspaceId, id), { token }), 200).json;
}

/** A category, company, label, location or container. */
async function create(token: string, workspaceId: string, segment: string, body: Record<string, unknown>): Promise<Entity> {
  return expectStatus(await call<Entity>('POST', path(workspaceId, segment), { token, body }), 201).json;
}

/** One page (limit 100) of a list of items; it must be the only page. */
async function listed(token: string, route: string, query: Record<string, string | number> = {}): Promise<Item[]> {
  const page = expectStatus(await call<Page<Item>>('GET', route, { token, query: { limit: 100, ...query } }), 200).json;
  expect(page.next_cursor).toBeUndefined();
  return page.items;
}

const namesOf = (items: { name: string }[]) => items.map((item) => item.name);

const describeAnswers = (answers: ApiResponse[]) => answers.map((answer) => `${answer.status} ${answer.json?.code ?? ''}`).join(', ');

const generatedShortCode = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/;
const generatedSku = /^SKU-[0-9A-F]{8}$/;

// ---- the lifecycle

describe.concurrent('items: create, get, list, PATCH, archive, restore', () => {
  it('creates one with only a name (201, Location, ETag): SKU-XXXXXXXX and an 8-character short code generated, no labels, min_stock_level 0, version 1', async () => {
    const { owner, workspace } = await world();
    const response = expectStatus(await call<Item>('POST', itemsPath(workspace.id), { token: owner.token, body: { name: 'Cordless drill' } }), 201);
    const created = response.json;
    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/), workspace_id: workspace.id, name: 'Cordless drill', sku: expect.stringMatching(generatedSku),
      short_code: expect.stringMatching(generatedShortCode), min_stock_level: 0, label_ids: [], is_archived: false,
      created_at: expect.any(String), updated_at: created.created_at, version: 1,
    });
    expect(response.headers.get('location')).toBe(itemsPath(workspace.id, created.id));
    expect(response.headers.get('etag')).toBe(`"${created.id}.v1"`);

    const got = expectStatus(await call<Item>('GET', response.headers.get('location')!, { token: owner.token }), 200);
    expect(got.json).toEqual(created);
    expect(got.headers.get('etag')).toBe(`"${created.id}.v1"`);
    const unchanged = await call('GET', itemsPath(workspace.id, created.id), { token: owner.token, headers: { 'if-none-match': `"${created.id}.v1"` } });
    expect(unchanged.status).toBe(304);
    expect(unchanged.text).toBe('');

    // generated values differ from item to item
    // names are not unique: two of the same drill are two items
    const more = await Promise.all(Array.from({ length: 5 }, (_, index) => createItem(owner.token, workspace.id, { name: index < 2 ? 'Cordless drill' : `Thing ${index}` })));
    const all = [created, ...more];
    for (const item of all) {
      expect(item.sku).toMatch(generatedSku);
      expect(item.short_code).toMatch(generatedShortCode);
    }
    expect(new Set(all.map((item) => item.sku)).size).toBe(all.length);
    expect(new Set(all.map((item) => item.short_code)).size).toBe(all.length);
  });

  it('keeps a given SKU as given and upper-cases a given short code; every field round-trips, obsidian_uri is derived from both paths', async () => {
    const { owner, workspace } = await world();
    const tools = await create(owner.token, workspace.id, 'categories', { name: 'Tools' });
    const shop = await create(owner.token, workspace.id, 'companies', { name: 'Hardware Corner' });
    const body = {
      name: 'Cordless drill', sku: 'drill-18V/b', short_code: 'dr1ll', description: '18 V\ntwo batteries', category_id: tools.id, brand: 'Makita', model: 'DHP482',
      image_url: 'https://images.example/drill.png', serial_number: 'SN-123', manufacturer: 'Makita Corp', barcode: '0088381645232',
      is_insured: true, lifetime_warranty: false, warranty_details: 'Three years', purchased_from: shop.id, min_stock_level: 2,
      obsidian_vault_path: 'Home vault', obsidian_note_path: 'Tools/Drill & bits.md',
    };
    const created = await createItem(owner.token, workspace.id, body);
    expect(created).toEqual({
      ...body, short_code: 'DR1LL', id: expect.any(String), workspace_id: workspace.id, label_ids: [], is_archived: false,
      obsidian_uri: `obsidian://open?vault=Home%20vault&file=${encodeURIComponent('Tools/Drill & bits.md')}`,
      created_at: expect.any(String), updated_at: created.created_at, version: 1,
    });
    for (const hidden of ['created_by', 'updated_by', 'PK', 'SK', 'GSI1PK', 'GSI2PK', 'GSI3PK', 'GSI4PK', 'entity']) expect(created).not.toHaveProperty(hidden);
    expect(await readItem(owner.token, workspace.id, created.id)).toEqual(created);

    // one path cleared: no link any more
    const cleared = expectStatus(await call<Item>('PATCH', itemsPath(workspace.id, created.id), { token: owner.token, body: { obsidian_note_path: null } }), 200).json;
    expect(cleared).not.toHaveProperty('obsidian_uri');
    expect(cleared).not.toHaveProperty('obsidian_note_path');
    expect(cleared.obsidian_vault_path).toBe('Home vault');
  });

  it('refuses invalid input with 422 at the field (a SKU with a space or a leading dash, a barcode with a space, a negative min_stock_level, a 9-character short code, no name) and creates nothing', async () => {
    const { owner, workspace } = await world();
    for (const [body, where] of [
      [{ name: 'Bad', sku: 'has space' }, 'body.sku'],
      [{ name: 'Bad', sku: '-leading-dash' }, 'body.sku'],
      [{ name: 'Bad', barcode: '0088 3816' }, 'body.barcode'],
      [{ name: 'Bad', min_stock_level: -1 }, 'body.min_stock_level'],
      [{ name: 'Bad', short_code: 'ABCDEFGH9' }, 'body.short_code'],
      [{ name: 'Bad', category_id: 'not-a-uuid' }, 'body.category_id'],
      [{ sku: 'NO-NAME' }, 'body.name'],
      [{ name: '   ' }, 'body.name'],
    ] as const) {
      const problem = expectProblem(await call('POST', itemsPath(workspace.id), { token: owner.token, body }), 422, 'VALIDATION_FAILED');
      expect(problem.errors?.map((error) => error.location), JSON.stringify(body)).toContain(where);
    }
    expect(await listed(owner.token, itemsPath(workspace.id), { include_archived: 'true' })).toEqual([]);
  });

  it('answers 404 NOT_FOUND for an id it does not have, and for the id of a category', async () => {
    const { owner, workspace } = await world();
    expectProblem(await call('GET', itemsPath(workspace.id, randomUUID()), { token: owner.token }), 404, 'NOT_FOUND');
    const tools = await create(owner.token, workspace.id, 'categories', { name: 'Tools' });
    expectProblem(await call('GET', itemsPath(workspace.id, tools.id), { token: owner.token }), 404, 'NOT_FOUND');
    expectProblem(await call('GET', itemsPath(workspace.id, tools.id, 'labels'), { token: owner.token }), 404, 'NOT_FOUND');
  });

  it('lists by name, case and accents ignored, page by page with next_cursor; archived ones only with include_archived=true, after the active ones', async () => {
    const { owner, workspace } = await world();
    const created = await Promise.all(['Foxtrot', 'éclair', 'Delta', 'alpha', 'Charlie', 'Bravo'].map((name) => createItem(owner.token, workspace.id, { name })));
    const { items, pages } = await allPages<Item>(itemsPath(workspace.id), owner.token, 4);
    expect(pages).toBe(2);
    expect(namesOf(items)).toEqual(['alpha', 'Bravo', 'Charlie', 'Delta', 'éclair', 'Foxtrot']);
    expect(new Set(items.map((item) => item.id))).toEqual(new Set(created.map((item) => item.id)));
    // list entries are the items as GET shows them
    const delta = created.find((item) => item.name === 'Delta')!;
    expect(items.find((item) => item.id === delta.id)).toEqual(delta);

    const alpha = created.find((item) => item.name === 'alpha')!;
    expectStatus(await call('POST', itemsPath(workspace.id, alpha.id, 'archive'), { token: owner.token }), 204);
    expect(namesOf(await listed(owner.token, itemsPath(workspace.id)))).toEqual(['Bravo', 'Charlie', 'Delta', 'éclair', 'Foxtrot']);
    const withArchived = await allPages<Item>(`${itemsPath(workspace.id)}?include_archived=true`, owner.token, 4);
    expect(namesOf(withArchived.items)).toEqual(['Bravo', 'Charlie', 'Delta', 'éclair', 'Foxtrot', 'alpha']);
    expect(withArchived.items.at(-1)).toMatchObject({ id: alpha.id, is_archived: true });
  });

  it('PATCH changes only the fields sent (the SKU and short code stay), null clears optional fields, null on name or sku is 422, and the same values change nothing', async () => {
    const { owner, workspace } = await world();
    const original = await createItem(owner.token, workspace.id, { name: 'Drill', brand: 'Makita', model: 'DHP482', description: 'Blue', barcode: '111222333' });

    const changed = expectStatus(await call<Item>('PATCH', itemsPath(workspace.id, original.id), { token: owner.token, body: { brand: 'Bosch', min_stock_level: 3 } }), 200).json;
    expect(changed).toEqual({ ...original, brand: 'Bosch', min_stock_level: 3, version: 2, updated_at: changed.updated_at });
    expect(changed.updated_at >= original.updated_at).toBe(true);

    const cleared = expectStatus(await call<Item>('PATCH', itemsPath(workspace.id, original.id), { token: owner.token, body: { model: null, description: null } }), 200).json;
    const { model: _model, description: _description, ...kept } = changed;
    expect(cleared).toEqual({ ...kept, version: 3, updated_at: cleared.updated_at });

    for (const field of ['name', 'sku', 'short_code', 'min_stock_level']) {
      const problem = expectProblem(await call('PATCH', itemsPath(workspace.id, original.id), { token: owner.token, body: { [field]: null } }), 422, 'VALIDATION_FAILED');
      expect(problem.errors?.map((error) => error.location)).toEqual([`body.${field}`]);
    }
    expectProblem(await call('PATCH', itemsPath(workspace.id, original.id), { token: owner.token, body: { label_ids: [] } }), 422, 'VALIDATION_FAILED');
    expect(await readItem(owner.token, workspace.id, original.id)).toEqual(cleared);

    // sending what it already holds is no change: same version
    const same = expectStatus(await call<Item>('PATCH', itemsPath(workspace.id, original.id), { token: owner.token, body: { brand: 'Bosch', short_code: original.short_code.toLowerCase() } }), 200).json;
    expect(same).toEqual(cleared);
  });

  it('PATCH with If-Match: a stale version or ETag is 412 VERSION_CONFLICT and changes nothing; the current ETag goes through and answers the next one', async () => {
    const { owner, workspace } = await world();
    const original = await createItem(owner.token, workspace.id, { name: 'Conditional' });
    expectStatus(await call('PATCH', itemsPath(workspace.id, original.id), { token: owner.token, body: { brand: 'Acme' } }), 200); // version 2

    expectProblem(await call('PATCH', itemsPath(workspace.id, original.id), { token: owner.token, body: { name: 'Stale' }, headers: { 'if-match': '1' } }), 412, 'VERSION_CONFLICT');
    expectProblem(await call('PATCH', itemsPath(workspace.id, original.id), {
      token: owner.token, body: { name: 'Stale tag' }, headers: { 'if-match': `"${original.id}.v1"` },
    }), 412, 'VERSION_CONFLICT');
    expectProblem(await call('POST', itemsPath(workspace.id, original.id, 'archive'), { token: owner.token, headers: { 'if-match': '1' } }), 412, 'VERSION_CONFLICT');
    expectProblem(await call('POST', itemsPath(workspace.id, original.id, 'restore'), { token: owner.token, headers: { 'if-match': '1' } }), 412, 'VERSION_CONFLICT');
    // another item's ETag at the right version number is not this one's
    const other = await createItem(owner.token, workspace.id, { name: 'Other' });
    expectProblem(await call('PATCH', itemsPath(workspace.id, original.id), {
      token: owner.token, body: { name: 'Wrong tag' }, headers: { 'if-match': `"${other.id}.v2"` },
    }), 412, 'VERSION_CONFLICT');

    const unchanged = expectStatus(await call<Item>('GET', itemsPath(workspace.id, original.id), { token: owner.token }), 200);
    expect(unchanged.json).toMatchObject({ name: 'Conditional', brand: 'Acme', version: 2, is_archived: false });
    const etag = unchanged.headers.get('etag')!;
    expect(etag).toBe(`"${original.id}.v2"`);
    const fresh = expectStatus(await call<Item>('PATCH', itemsPath(workspace.id, original.id), { token: owner.token, body: { name: 'Fresh' }, headers: { 'if-match': etag } }), 200);
    expect(fresh.json).toMatchObject({ name: 'Fresh', version: 3 });
    expect(fresh.headers.get('etag')).toBe(`"${original.id}.v3"`);
    expectStatus(await call('POST', itemsPath(workspace.id, original.id, 'archive'), { token: owner.token, headers: { 'if-match': fresh.headers.get('etag')! } }), 204);
    expect(await readItem(owner.token, workspace.id, original.id)).toMatchObject({ is_archived: true, version: 4 });
  });

  it('archive and restore flip is_archived (204, twice is harmless); there is no DELETE (405) and the item stays', async () => {
    const { owner, workspace } = await world();
    const item = await createItem(owner.token, workspace.id, { name: 'Old lamp' });
    expectStatus(await call('POST', itemsPath(workspace.id, item.id, 'archive'), { token: owner.token }), 204);
    expect(await readItem(owner.token, workspace.id, item.id)).toMatchObject({ is_archived: true, version: 2 });
    expectStatus(await call('POST', itemsPath(workspace.id, item.id, 'archive'), { token: owner.token }), 204);
    expect(await readItem(owner.token, workspace.id, item.id)).toMatchObject({ is_archived: true, version: 2 });
    expect(await listed(owner.token, itemsPath(workspace.id))).toEqual([]);

    expectStatus(await call('POST', itemsPath(workspace.id, item.id, 'restore'), { token: owner.token }), 204);
    expect(await readItem(owner.token, workspace.id, item.id)).toMatchObject({ is_archived: false, version: 3 });
    expectStatus(await call('POST', itemsPath(workspace.id, item.id, 'restore'), { token: owner.token }), 204);
    expect(await readItem(owner.token, workspace.id, item.id)).toMatchObject({ is_archived: false, version: 3 });
    expect(namesOf(await listed(owner.token, itemsPath(workspace.id)))).toEqual(['Old lamp']);

    expectProblem(await call('DELETE', itemsPath(workspace.id, item.id), { token: owner.token }), 405, 'METHOD_NOT_ALLOWED');
    expect(await readItem(owner.token, workspace.id, item.id)).toMatchObject({ is_archived: false, version: 3 });
    expectProblem(await call('POST', itemsPath(workspace.id, randomUUID(), 'archive'), { token: owner.token }), 404, 'NOT_FOUND');
    expectProblem(await call('POST', itemsPath(workspace.id, randomUUID(), 'restore'), { token: owner.token }), 404, 'NOT_FOUND');
  });
});

// ---- who may do what

describe.concurrent('items: roles and tenancy', () => {
  it('a viewer reads every list and the item but writes nothing (403 ROLE_TOO_LOW); a member writes', async () => {
    const { owner, workspace } = await world();
    const [viewer, member] = await Promise.all([signUp(), signUp()]);
    await addMember(owner.token, workspace.id, viewer.id, 'viewer');
    await addMember(owner.token, workspace.id, member.id, 'member');
    const tools = await create(owner.token, workspace.id, 'categories', { name: 'Tools' });
    const fragile = await create(owner.token, workspace.id, 'labels', { name: 'Fragile' });
    const item = await createItem(owner.token, workspace.id, { name: 'Saw', category_id: tools.id, barcode: '5555', short_code: 'SAW1' });

    expect(await readItem(viewer.token, workspace.id, item.id)).toEqual(item);
    expect(await listed(viewer.token, itemsPath(workspace.id))).toEqual([item]);
    expect(await listed(viewer.token, itemsPath(workspace.id, 'by-category', tools.id))).toEqual([item]);
    expect(await listed(viewer.token, itemsPath(workspace.id, 'by-barcode', '5555'))).toEqual([item]);
    // search reads the index the change feed keeps: the item is found within a moment
    expect(await eventually('the saw in search', async () => expectStatus(await call<Page<Item>>('GET', itemsPath(workspace.id, 'search'), { token: viewer.token, query: { q: 'saw' } }), 200).json.items,
      (found) => found.length === 1, 20_000)).toEqual([item]);
    expect(expectStatus(await call('GET', itemsPath(workspace.id, item.id, 'labels'), { token: viewer.token }), 200).json).toEqual({ label_ids: [] });
    expect(expectStatus(await call('GET', `/workspaces/${workspace.id}/lookup/saw1`, { token: viewer.token }), 200).json).toEqual({ entity_type: 'ITEM', id: item.id });

    const writes = [
      call('POST', itemsPath(workspace.id), { token: viewer.token, body: { name: 'Mine' } }),
      call('PATCH', itemsPath(workspace.id, item.id), { token: viewer.token, body: { name: 'Taken over' } }),
      call('POST', itemsPath(workspace.id, item.id, 'archive'), { token: viewer.token }),
      call('POST', itemsPath(workspace.id, item.id, 'restore'), { token: viewer.token }),
      call('POST', itemsPath(workspace.id, item.id, 'labels', fragile.id), { token: viewer.token }),
      call('DELETE', itemsPath(workspace.id, item.id, 'labels', fragile.id), { token: viewer.token }),
    ];
    for (const answer of await Promise.all(writes)) expectProblem(answer, 403, 'ROLE_TOO_LOW');
    expect(await readItem(owner.token, workspace.id, item.id)).toEqual(item);
    expect(namesOf(await listed(owner.token, itemsPath(workspace.id), { include_archived: 'true' }))).toEqual(['Saw']);

    const made = await createItem(member.token, workspace.id, { name: 'Member made' });
    expectStatus(await call('PATCH', itemsPath(workspace.id, item.id), { token: member.token, body: { brand: 'Bahco' } }), 200);
    expectStatus(await call('POST', itemsPath(workspace.id, item.id, 'labels', fragile.id), { token: member.token }), 204);
    expectStatus(await call('POST', itemsPath(workspace.id, made.id, 'archive'), { token: member.token }), 204);
  });

  it('refuses someone outside the workspace (403 WORKSPACE_ACCESS_DENIED) and anyone without a token (401)', async () => {
    const { owner, workspace } = await world();
    const item = await createItem(owner.token, workspace.id, { name: 'Private' });
    const stranger = await signUp();
    for (const [method, route] of [
      ['GET', itemsPath(workspace.id, item.id)], ['GET', itemsPath(workspace.id)], ['GET', `${itemsPath(workspace.id, 'search')}?q=private`],
      ['PATCH', itemsPath(workspace.id, item.id)], ['POST', itemsPath(workspace.id)], ['GET', itemsPath(workspace.id, item.id, 'labels')],
    ] as const) {
      const body = method === 'GET' ? undefined : { name: 'Stranger' };
      expectProblem(await call(method, route, { token: stranger.token, body }), 403, 'WORKSPACE_ACCESS_DENIED');
      expectProblem(await call(method, route, { body }), 401, 'UNAUTHENTICATED');
    }
    expect(await readItem(owner.token, workspace.id, item.id)).toEqual(item);
  });

  it("answers 404 for another workspace's item, even to a member of both, and leaves it alone", async () => {
    const { owner, workspace } = await world();
    const other = await createWorkspace(owner.token);
    const theirs = await createItem(owner.token, other.id, { name: 'Elsewhere' });
    const label = await create(owner.token, workspace.id, 'labels', { name: 'Mine' });
    const attempts = [
      call('GET', itemsPath(workspace.id, theirs.id), { token: owner.token }),
      call('PATCH', itemsPath(workspace.id, theirs.id), { token: owner.token, body: { name: 'Hijacked' } }),
      call('POST', itemsPath(workspace.id, theirs.id, 'archive'), { token: owner.token }),
      call('POST', itemsPath(workspace.id, theirs.id, 'restore'), { token: owner.token }),
      call('GET', itemsPath(workspace.id, theirs.id, 'labels'), { token: owner.token }),
      call('POST', itemsPath(workspace.id, theirs.id, 'labels', label.id), { token: owner.token }),
      call('DELETE', itemsPath(workspace.id, theirs.id, 'labels', label.id), { token: owner.token }),
    ];
    for (const answer of await Promise.all(attempts)) expectProblem(answer, 404, 'NOT_FOUND');
    expect(await readItem(owner.token, other.id, theirs.id)).toEqual(theirs);
    expect(await listed(owner.token, itemsPath(workspace.id), { include_archived: 'true' })).toEqual([]);
    // nor is it found by its short code here
    expectProblem(await call('GET', `/workspaces/${workspace.id}/lookup/${theirs.short_code}`, { token: owner.token }), 404, 'SHORT_CODE_NOT_FOUND');
  });
});

// ---- SKU and short code

describe.concurrent('item SKUs', () => {
  it('are unique in the workspace without case, archived items included (409 ITEM_SKU_TAKEN at body.sku); another workspace may have the same', async () => {
    const { owner, workspace } = await world();
    const drill = await createItem(owner.token, workspace.id, { name: 'Drill', sku: 'Drill-18V' });
    const problem = expectProblem(await call('POST', itemsPath(workspace.id), { token: owner.token, body: { name: 'Copy', sku: 'DRILL-18v' } }), 409, 'ITEM_SKU_TAKEN');
    expect(problem.errors?.[0]?.location).toBe('body.sku');

    expectStatus(await call('POST', itemsPath(workspace.id, drill.id, 'archive'), { token: owner.token }), 204);
    expectProblem(await call('POST', itemsPath(workspace.id), { token: owner.token, body: { name: 'Copy', sku: 'drill-18v' } }), 409, 'ITEM_SKU_TAKEN');
    const saw = await createItem(owner.token, workspace.id, { name: 'Saw' });
    expectProblem(await call('PATCH', itemsPath(workspace.id, saw.id), { token: owner.token, body: { sku: 'drill-18V' } }), 409, 'ITEM_SKU_TAKEN');
    expect(await readItem(owner.token, workspace.id, saw.id)).toEqual(saw);
    expect(namesOf(await listed(owner.token, itemsPath(workspace.id), { include_archived: 'true' }))).toEqual(['Saw', 'Drill']);

    const other = await createWorkspace(owner.token);
    expect((await createItem(owner.token, other.id, { name: 'Drill', sku: 'DRILL-18V' })).sku).toBe('DRILL-18V');
  });

  it('10 parallel creates with one SKU in different cases: exactly one 201, the other nine 409 ITEM_SKU_TAKEN', async () => {
    const { owner, workspace } = await world();
    const variants = ['RACE-SKU-1', 'race-sku-1', 'Race-Sku-1'];
    const answers = await Promise.all(Array.from({ length: 10 }, (_, index) =>
      call<Item>('POST', itemsPath(workspace.id), { token: owner.token, body: { name: `Racer ${index}`, sku: variants[index % variants.length] } })));
    const winners = answers.filter((answer) => answer.status === 201);
    expect(winners, describeAnswers(answers)).toHaveLength(1);
    for (const answer of answers.filter((candidate) => candidate.status !== 201)) expectProblem(answer, 409, 'ITEM_SKU_TAKEN');
    const all = await listed(owner.token, itemsPath(workspace.id), { include_archived: 'true' });
    expect(all.map((item) => item.id)).toEqual([winners[0]!.json.id]);
    // the losers left no guard behind: the winner's SKU and short code are the only ones
    const guards = await partition(`WS#${workspace.id}#UNIQUE`);
    expect(guards.map((guard) => guard.SK).sort()).toEqual([`SHORTCODE#${winners[0]!.json.short_code}`, 'SKU#RACE-SKU-1']);
  });

  it("changing an item's SKU frees the old one; changing only its case keeps it", async () => {
    const { owner, workspace } = await world();
    const item = await createItem(owner.token, workspace.id, { name: 'Router', sku: 'OLD-1' });
    const renamed = expectStatus(await call<Item>('PATCH', itemsPath(workspace.id, item.id), { token: owner.token, body: { sku: 'NEW-1' } }), 200).json;
    expect(renamed).toMatchObject({ sku: 'NEW-1', version: 2 });
    expect((await createItem(owner.token, workspace.id, { name: 'Heir', sku: 'old-1' })).sku).toBe('old-1');
    expectProblem(await call('POST', itemsPath(workspace.id), { token: owner.token, body: { name: 'Copy', sku: 'new-1' } }), 409, 'ITEM_SKU_TAKEN');

    const recased = expectStatus(await call<Item>('PATCH', itemsPath(workspace.id, item.id), { token: owner.token, body: { sku: 'new-1' } }), 200).json;
    expect(recased).toMatchObject({ sku: 'new-1', version: 3 });
    expectProblem(await call('POST', itemsPath(workspace.id), { token: owner.token, body: { name: 'Copy', sku: 'NEW-1' } }), 409, 'ITEM_SKU_TAKEN');

    // a generated SKU is taken like a given one, and freed like one
    const generated = await createItem(owner.token, workspace.id, { name: 'Generated' });
    expectProblem(await call('POST', itemsPath(workspace.id), { token: owner.token, body: { name: 'Copy', sku: generated.sku.toLowerCase() } }), 409, 'ITEM_SKU_TAKEN');
    expectStatus(await call('PATCH', itemsPath(workspace.id, generated.id), { token: owner.token, body: { sku: 'MINE-1' } }), 200);
    expect((await createItem(owner.token, workspace.id, { name: 'Reuser', sku: generated.sku })).sku).toBe(generated.sku);
  });
});

describe.concurrent('item short codes', () => {
  it('share one namespace with locations and containers (409 SHORT_CODE_TAKEN), and GET /lookup/{code} resolves an item in any case', async () => {
    const { owner, workspace } = await world();
    const shelf = await create(owner.token, workspace.id, 'locations', { name: 'Shelf', short_code: 'SH3LF' });
    const box = await create(owner.token, workspace.id, 'containers', { name: 'Box', location_id: shelf.id, short_code: 'BOX1' });
    for (const short_code of ['sh3lf', 'Box1']) {
      const problem = expectProblem(await call('POST', itemsPath(workspace.id), { token: owner.token, body: { name: 'Clash', short_code } }), 409, 'SHORT_CODE_TAKEN');
      expect(problem.errors?.[0]?.location).toBe('body.short_code');
    }
    const lamp = await createItem(owner.token, workspace.id, { name: 'Lamp', short_code: 'lamp7' });
    expect(lamp.short_code).toBe('LAMP7');
    expectProblem(await call('POST', path(workspace.id, 'locations'), { token: owner.token, body: { name: 'Clash', short_code: 'LAMP7' } }), 409, 'SHORT_CODE_TAKEN');
    expectProblem(await call('POST', path(workspace.id, 'containers'), { token: owner.token, body: { name: 'Clash', location_id: shelf.id, short_code: 'Lamp7' } }), 409, 'SHORT_CODE_TAKEN');
    expectProblem(await call('PATCH', path(workspace.id, 'containers', box.id), { token: owner.token, body: { short_code: 'lamp7' } }), 409, 'SHORT_CODE_TAKEN');
    expectProblem(await call('PATCH', itemsPath(workspace.id, lamp.id), { token: owner.token, body: { short_code: 'box1' } }), 409, 'SHORT_CODE_TAKEN');
    expect(await readItem(owner.token, workspace.id, lamp.id)).toEqual(lamp);

    for (const asked of ['LAMP7', 'lamp7', 'LaMp7']) {
      expect(expectStatus(await call('GET', `/workspaces/${workspace.id}/lookup/${asked}`, { token: owner.token }), 200).json).toEqual({ entity_type: 'ITEM', id: lamp.id });
    }
    // an archived item keeps its code; a changed code frees the old one
    expectStatus(await call('POST', itemsPath(workspace.id, lamp.id, 'archive'), { token: owner.token }), 204);
    expect(expectStatus(await call('GET', `/workspaces/${workspace.id}/lookup/lamp7`, { token: owner.token }), 200).json).toEqual({ entity_type: 'ITEM', id: lamp.id });
    expect(expectStatus(await call<Item>('PATCH', itemsPath(workspace.id, lamp.id), { token: owner.token, body: { short_code: 'lamp8' } }), 200).json.short_code).toBe('LAMP8');
    expectProblem(await call('GET', `/workspaces/${workspace.id}/lookup/LAMP7`, { token: owner.token }), 404, 'SHORT_CODE_NOT_FOUND');
    expect(expectStatus(await call('GET', `/workspaces/${workspace.id}/lookup/LAMP8`, { token: owner.token }), 200).json).toEqual({ entity_type: 'ITEM', id: lamp.id });
    expect((await create(owner.token, workspace.id, 'locations', { name: 'Heir', short_code: 'lamp7' })).short_code).toBe('LAMP7');
    // a generated item code resolves too
    const plain = await createItem(owner.token, workspace.id, { name: 'Plain' });
    expect(expectStatus(await call('GET', `/workspaces/${workspace.id}/lookup/${plain.short_code.toLowerCase()}`, { token: owner.token }), 200).json)
      .toEqual({ entity_type: 'ITEM', id: plain.id });
  });

  it('10 parallel creates of items and locations with one code: exactly one wins, the rest 409 SHORT_CODE_TAKEN', async () => {
    const { owner, workspace } = await world();
    const answers = await Promise.all(Array.from({ length: 10 }, (_, index) => index % 3 === 0
      ? call('POST', path(workspace.id, 'locations'), { token: owner.token, body: { name: `Location ${index}`, short_code: 'race9' } })
      : call('POST', itemsPath(workspace.id), { token: owner.token, body: { name: `Item ${index}`, short_code: index % 2 ? 'RACE9' : 'Race9' } })));
    const winners = answers.filter((answer) => answer.status === 201);
    expect(winners, describeAnswers(answers)).toHaveLength(1);
    for (const answer of answers.filter((candidate) => candidate.status !== 201)) expectProblem(answer, 409, 'SHORT_CODE_TAKEN');
    const found = expectStatus(await call('GET', `/workspaces/${workspace.id}/lookup/RACE9`, { token: owner.token }), 200).json;
    expect(found.id).toBe(winners[0]!.json.id);
    expect(found.entity_type).toBe(winners[0]!.json.sku ? 'ITEM' : 'LOCATION');
    // the losing items left nothing behind: only the winner (if an item) is listed, and only its guards are held
    const items = await listed(owner.token, itemsPath(workspace.id), { include_archived: 'true' });
    expect(items.map((item) => item.id)).toEqual(found.entity_type === 'ITEM' ? [found.id] : []);
    const guards = (await partition(`WS#${workspace.id}#UNIQUE`)).map((guard) => guard.SK).sort();
    expect(guards).toEqual(found.entity_type === 'ITEM' ? ['SHORTCODE#RACE9', `SKU#${winners[0]!.json.sku}`] : ['SHORTCODE#RACE9']);
  });
});

// ---- references, and the lists by category and by barcode

describe.concurrent('item references', () => {
  it("refuses a category_id or purchased_from that is not this workspace's category or company (422 REFERENCE_NOT_FOUND at the field), on create and PATCH", async () => {
    const { owner, workspace } = await world();
    const other = await createWorkspace(owner.token);
    const theirCategory = await create(owner.token, other.id, 'categories', { name: 'Theirs' });
    const theirCompany = await create(owner.token, other.id, 'companies', { name: 'Theirs' });
    const myCategory = await create(owner.token, workspace.id, 'categories', { name: 'Mine' });
    const myCompany = await create(owner.token, workspace.id, 'companies', { name: 'Mine' });
    const cases: [Record<string, unknown>, string][] = [
      [{ category_id: randomUUID() }, 'body.category_id'],
      [{ category_id: theirCategory.id }, 'body.category_id'],
      [{ category_id: myCompany.id }, 'body.category_id'], // a company is not a category
      [{ purchased_from: randomUUID() }, 'body.purchased_from'],
      [{ purchased_from: theirCompany.id }, 'body.purchased_from'],
      [{ purchased_from: myCategory.id }, 'body.purchased_from'],
    ];
    for (const [fields, where] of cases) {
      const problem = expectProblem(await call('POST', itemsPath(workspace.id), { token: owner.token, body: { name: 'Referrer', ...fields } }), 422, 'REFERENCE_NOT_FOUND');
      expect(problem.errors?.map((error) => error.location), JSON.stringify(fields)).toEqual([where]);
    }
    expect(await listed(owner.token, itemsPath(workspace.id), { include_archived: 'true' })).toEqual([]);

    const item = await createItem(owner.token, workspace.id, { name: 'Referrer', category_id: myCategory.id, purchased_from: myCompany.id });
    expect(item).toMatchObject({ category_id: myCategory.id, purchased_from: myCompany.id });
    for (const [fields, where] of cases) {
      const problem = expectProblem(await call('PATCH', itemsPath(workspace.id, item.id), { token: owner.token, body: fields }), 422, 'REFERENCE_NOT_FOUND');
      expect(problem.errors?.map((error) => error.location), JSON.stringify(fields)).toEqual([where]);
    }
    expect(await readItem(owner.token, workspace.id, item.id)).toEqual(item);
  });

  it('GET /items/by-category/{id}: that category\'s items by name, archived ones only with include_archived=true, paged; an unknown or foreign category is 404', async () => {
    const { owner, workspace } = await world();
    const tools = await create(owner.token, workspace.id, 'categories', { name: 'Tools' });
    const garden = await create(owner.token, workspace.id, 'categories', { name: 'Garden' });
    const [saw, drill, hammer] = await Promise.all(['Saw', 'drill', 'Hammer'].map((name) => createItem(owner.token, workspace.id, { name, category_id: tools.id })));
    const rake = await createItem(owner.token, workspace.id, { name: 'Rake', category_id: garden.id });
    await createItem(owner.token, workspace.id, { name: 'Uncategorised' });
    const byTools = itemsPath(workspace.id, 'by-category', tools.id);

    expect(namesOf(await listed(owner.token, byTools))).toEqual(['drill', 'Hammer', 'Saw']);
    expect(namesOf((await allPages<Item>(byTools, owner.token, 2)).items)).toEqual(['drill', 'Hammer', 'Saw']);
    expect(await listed(owner.token, itemsPath(workspace.id, 'by-category', garden.id))).toEqual([rake]);

    expectStatus(await call('POST', itemsPath(workspace.id, hammer!.id, 'archive'), { token: owner.token }), 204);
    expect(namesOf(await listed(owner.token, byTools))).toEqual(['drill', 'Saw']);
    expect(namesOf(await listed(owner.token, byTools, { include_archived: 'true' }))).toEqual(['drill', 'Saw', 'Hammer']);

    // a PATCH moves an item between categories' lists; clearing its category takes it off
    expectStatus(await call('PATCH', itemsPath(workspace.id, saw!.id), { token: owner.token, body: { category_id: garden.id } }), 200);
    expectStatus(await call('PATCH', itemsPath(workspace.id, drill!.id), { token: owner.token, body: { category_id: null } }), 200);
    expect(namesOf(await listed(owner.token, byTools, { include_archived: 'true' }))).toEqual(['Hammer']);
    expect(namesOf(await listed(owner.token, itemsPath(workspace.id, 'by-category', garden.id)))).toEqual(['Rake', 'Saw']);
    expect(await readItem(owner.token, workspace.id, drill!.id)).not.toHaveProperty('category_id');

    expectProblem(await call('GET', itemsPath(workspace.id, 'by-category', randomUUID()), { token: owner.token }), 404, 'NOT_FOUND');
    const other = await createWorkspace(owner.token);
    const foreign = await create(owner.token, other.id, 'categories', { name: 'Foreign' });
    await createItem(owner.token, other.id, { name: 'Foreign item', category_id: foreign.id });
    expectProblem(await call('GET', itemsPath(workspace.id, 'by-category', foreign.id), { token: owner.token }), 404, 'NOT_FOUND');
  });

  it('GET /items/by-barcode/{barcode}: every item with it (barcodes are not unique), archived ones only with include_archived=true; a changed or cleared barcode leaves the list', async () => {
    const { owner, workspace } = await world();
    const first = await createItem(owner.token, workspace.id, { name: 'Drill (garage)', barcode: '0088381645232' });
    const second = await createItem(owner.token, workspace.id, { name: 'Drill (attic)', barcode: '0088381645232' });
    const third = await createItem(owner.token, workspace.id, { name: 'Drill (shed)', barcode: '0088381645232' });
    await createItem(owner.token, workspace.id, { name: 'Other', barcode: '4006381333931' });
    const byBarcode = itemsPath(workspace.id, 'by-barcode', '0088381645232');

    expect(await listed(owner.token, byBarcode)).toEqual([second, first, third]);
    expect(namesOf((await allPages<Item>(byBarcode, owner.token, 1)).items)).toEqual(['Drill (attic)', 'Drill (garage)', 'Drill (shed)']);

    expectStatus(await call('POST', itemsPath(workspace.id, second.id, 'archive'), { token: owner.token }), 204);
    expect(namesOf(await listed(owner.token, byBarcode))).toEqual(['Drill (garage)', 'Drill (shed)']);
    expect(namesOf(await listed(owner.token, byBarcode, { include_archived: 'true' }))).toEqual(['Drill (garage)', 'Drill (shed)', 'Drill (attic)']);

    expectStatus(await call('PATCH', itemsPath(workspace.id, first.id), { token: owner.token, body: { barcode: '4006381333931' } }), 200);
    expectStatus(await call('PATCH', itemsPath(workspace.id, third.id), { token: owner.token, body: { barcode: null } }), 200);
    expect(namesOf(await listed(owner.token, byBarcode, { include_archived: 'true' }))).toEqual(['Drill (attic)']);
    expect(namesOf(await listed(owner.token, itemsPath(workspace.id, 'by-barcode', '4006381333931')))).toEqual(['Drill (garage)', 'Other']);
    expect(await listed(owner.token, itemsPath(workspace.id, 'by-barcode', '999999'))).toEqual([]);

    // another workspace's items with that barcode are not mine
    const other = await createWorkspace(owner.token);
    await createItem(owner.token, other.id, { name: 'Their drill', barcode: '4006381333931' });
    expect(namesOf(await listed(owner.token, itemsPath(workspace.id, 'by-barcode', '4006381333931')))).toEqual(['Drill (garage)', 'Other']);
  });
});

// ---- search

describe.concurrent('GET /items/search', () => {
  /** Names of the items found for `q`, best first. */
  async function found(token: string, workspaceId: string, q: string, query: Record<string, string | number> = {}): Promise<string[]> {
    const page = expectStatus(await call<Page<Item>>('GET', itemsPath(workspaceId, 'search'), { token, query: { q, ...query } }), 200).json;
    expect(page.next_cursor).toBeUndefined();
    return namesOf(page.items);
  }

  /** A workspace with items whose every searched field is chosen (no generated SKU or short code that a query could hit by chance). */
  async function stocked() {
    const { owner, workspace } = await world();
    const make = (name: string, fields: Record<string, unknown>) => createItem(owner.token, workspace.id, { name, ...fields });
    const items = {
      drill: await make('Cordless drill', { brand: 'Makita', model: 'DHP482', sku: 'TOOL-001', barcode: '0088381645232', short_code: 'CD01' }),
      bits: await make('Drill bit set', { brand: 'Bosch', sku: 'TOOL-002', short_code: 'CD02' }),
      hammer: await make('Claw hammer', { brand: 'Drillmaster', sku: 'TOOL-003', short_code: 'CD03' }),
      torch: await make('Crème brûlée torch', { brand: 'Iwatani', model: 'Pro 2', sku: 'KITCHEN-9', short_code: 'KT09' }),
      grill: await make('Grill', { brand: 'Weber', sku: 'GARDEN-7', barcode: '4006381333931', short_code: 'GR07' }),
      old: await make('Old drill', { brand: 'Black & Decker', sku: 'TOOL-004', short_code: 'CD04' }),
    };
    expectStatus(await call('POST', itemsPath(workspace.id, items.old.id, 'archive'), { token: owner.token }), 204);
    // search reads the index the change feed keeps: wait until it holds all six, the old one archived
    await eventually('the items indexed', async () => [
      await found(owner.token, workspace.id, 'tool'),
      await found(owner.token, workspace.id, 'weber'), await found(owner.token, workspace.id, 'iwatani'),
      await found(owner.token, workspace.id, 'old'), await found(owner.token, workspace.id, 'old', { include_archived: 'true' }),
    ], ([tool, weber, iwatani, old, archived]) => tool!.length === 3 && weber!.length === 1 && iwatani!.length === 1 && old!.length === 0 && archived!.length === 1, 20_000);
    return { owner, workspace, items };
  }

  it('matches the start of any word of name, brand, model, SKU, barcode or short code, without case; name matches first; archived ones only on request', async () => {
    const { owner, workspace } = await stocked();
    const search = (q: string, query?: Record<string, string | number>) => found(owner.token, workspace.id, q, query);

    // "dri" starts a word of two names and of one brand: the names first
    const dri = await search('dri');
    expect(dri).toHaveLength(3);
    expect(new Set(dri.slice(0, 2))).toEqual(new Set(['Cordless drill', 'Drill bit set']));
    expect(dri[2]).toBe('Claw hammer');
    // a whole word, any case; five letters forgive one typo, ranked after every real match ("grill")
    expect(await search('DRILL')).toEqual([...dri, 'Grill']);
    // inside a word is no match (below 5 letters, which forgive one typo: "ammer" finds the hammer)
    expect(await search('rill')).toEqual([]);
    expect(await search('amme')).toEqual([]);
    expect(await search('ammer')).toEqual(['Claw hammer']);
    // brand, model, SKU, barcode, short code
    expect(await search('makita')).toEqual(['Cordless drill']);
    expect(await search('dhp4')).toEqual(['Cordless drill']);
    expect(await search('garden')).toEqual(['Grill']);
    expect(await search('garden-7')).toEqual(['Grill']);
    expect(await search('400638')).toEqual(['Grill']);
    expect(await search('kt0')).toEqual(['Crème brûlée torch']);
    expect(new Set(await search('tool'))).toEqual(new Set(['Cordless drill', 'Drill bit set', 'Claw hammer']));
    // every word must match somewhere
    expect(await search('cordless dri')).toEqual(['Cordless drill']);
    expect(await search('drill bosch')).toEqual(['Drill bit set']);
    expect(await search('cordless hammer')).toEqual([]);
    expect(await search('zebra')).toEqual([]);
    // archived items only with include_archived=true
    expect(await search('old')).toEqual([]);
    expect(await search('old dri', { include_archived: 'true' })).toEqual(['Old drill']);
    expect(await search('dri', { include_archived: 'true' })).toContain('Old drill');
    expect(await search('decker', { include_archived: 'true' })).toEqual(['Old drill']);
  });

  it('forgives one typo from five letters, takes phrases in order, leaves out -words', async () => {
    const { owner, workspace } = await stocked();
    const search = (q: string) => found(owner.token, workspace.id, q);
    expect(await search('cordles')).toEqual(['Cordless drill']);
    expect(await search('makitta')).toEqual(['Cordless drill']);
    expect(await search('"bit set"')).toEqual(['Drill bit set']);
    expect(await search('"set bit"')).toEqual([]);
    expect(await search('dri -makita')).toEqual(['Drill bit set', 'Claw hammer']);
    expect(await search('tool001')).toEqual(['Cordless drill']);
  });

  it('ignores accents and case both ways ("creme brulee", "CRÈME", "brûl")', async () => {
    const { owner, workspace } = await stocked();
    for (const q of ['creme brulee', 'CRÈME', 'brûl', 'Brul', 'creme torch', 'iwatani pro']) {
      expect(await found(owner.token, workspace.id, q), q).toEqual(['Crème brûlée torch']);
    }
  });

  it('answers at most limit items, the best first', async () => {
    const { owner, workspace } = await stocked();
    expect(await found(owner.token, workspace.id, 'dri', { limit: 2 })).toHaveLength(2);
    const one = await found(owner.token, workspace.id, 'dri', { limit: 1 });
    expect(one).toHaveLength(1);
    expect(['Cordless drill', 'Drill bit set']).toContain(one[0]);
    expect(await found(owner.token, workspace.id, 'tool', { limit: 100 })).toHaveLength(3);
    // q is required, and limit bounded
    expectProblem(await call('GET', itemsPath(workspace.id, 'search'), { token: owner.token }), 422, 'VALIDATION_FAILED');
    expectProblem(await call('GET', itemsPath(workspace.id, 'search'), { token: owner.token, query: { q: '' } }), 422, 'VALIDATION_FAILED');
    expectProblem(await call('GET', itemsPath(workspace.id, 'search'), { token: owner.token, query: { q: 'dri', limit: 0 } }), 422, 'VALIDATION_FAILED');
    expectProblem(await call('GET', itemsPath(workspace.id, 'search'), { token: owner.token, query: { q: 'dri', limit: 101 } }), 422, 'VALIDATION_FAILED');
  });

  it("never finds another workspace's items", async () => {
    const { owner, workspace } = await stocked();
    const other = await createWorkspace(owner.token);
    await createItem(owner.token, other.id, { name: 'Cordless driver', sku: 'X-1', short_code: 'X1' });
    expect(await eventually('the driver indexed', () => found(owner.token, other.id, 'dri'), (names) => names.length > 0, 20_000)).toEqual(['Cordless driver']);
    expect(await found(owner.token, workspace.id, 'driver')).toEqual([]);
  });
});

// ---- labels

describe.concurrent('item labels', () => {
  it('attach is 204 and idempotent (twice, or five at once, leaves it on once and moves the version once); detach likewise; answers carry label_ids', async () => {
    const { owner, workspace } = await world();
    const item = await createItem(owner.token, workspace.id, { name: 'Vase' });
    const fragile = await create(owner.token, workspace.id, 'labels', { name: 'Fragile' });
    const heavy = await create(owner.token, workspace.id, 'labels', { name: 'Heavy' });
    const labelsOf = async () => expectStatus(await call<{ label_ids: string[] }>('GET', itemsPath(workspace.id, item.id, 'labels'), { token: owner.token }), 200).json;

    const attach = (labelId: string) => call('POST', itemsPath(workspace.id, item.id, 'labels', labelId), { token: owner.token });
    const detach = (labelId: string) => call('DELETE', itemsPath(workspace.id, item.id, 'labels', labelId), { token: owner.token });
    const attached = expectStatus(await attach(fragile.id), 204);
    expect(attached.text).toBe('');
    expectStatus(await attach(fragile.id), 204);
    expect(await labelsOf()).toEqual({ label_ids: [fragile.id] });
    expect(await readItem(owner.token, workspace.id, item.id)).toMatchObject({ label_ids: [fragile.id], version: 2 });

    for (const answer of await Promise.all(Array.from({ length: 5 }, () => attach(heavy.id)))) expectStatus(answer, 204);
    const both = [fragile.id, heavy.id].sort();
    expect(await labelsOf()).toEqual({ label_ids: both });
    expect(await readItem(owner.token, workspace.id, item.id)).toMatchObject({ label_ids: both, version: 3 });
    // the list shows them too
    expect((await listed(owner.token, itemsPath(workspace.id)))[0]).toMatchObject({ id: item.id, label_ids: both });

    expectStatus(await detach(fragile.id), 204);
    expectStatus(await detach(fragile.id), 204);
    expect(await labelsOf()).toEqual({ label_ids: [heavy.id] });
    expect(await readItem(owner.token, workspace.id, item.id)).toMatchObject({ label_ids: [heavy.id], version: 4 });
    expectStatus(await detach(heavy.id), 204);
    expectStatus(await detach(randomUUID()), 204); // never there: nothing to take off
    const bare = await readItem(owner.token, workspace.id, item.id);
    expect(bare).toMatchObject({ label_ids: [], version: 5 });

    // a PATCH keeps the labels
    expectStatus(await attach(heavy.id), 204);
    const patched = expectStatus(await call<Item>('PATCH', itemsPath(workspace.id, item.id), { token: owner.token, body: { name: 'Blue vase' } }), 200).json;
    expect(patched).toMatchObject({ name: 'Blue vase', label_ids: [heavy.id], version: 7 });
  });

  it("refuses a label of another workspace or an unknown one (422 REFERENCE_NOT_FOUND at path.label_id), an unknown item is 404, and nothing changes", async () => {
    const { owner, workspace } = await world();
    const other = await createWorkspace(owner.token);
    const theirs = await create(owner.token, other.id, 'labels', { name: 'Theirs' });
    const mine = await create(owner.token, workspace.id, 'labels', { name: 'Mine' });
    const item = await createItem(owner.token, workspace.id, { name: 'Vase' });
    for (const labelId of [theirs.id, randomUUID(), item.id]) {
      const problem = expectProblem(await call('POST', itemsPath(workspace.id, item.id, 'labels', labelId), { token: owner.token }), 422, 'REFERENCE_NOT_FOUND');
      expect(problem.errors?.map((error) => error.location)).toEqual(['path.label_id']);
    }
    expect(await readItem(owner.token, workspace.id, item.id)).toEqual(item);

    expectProblem(await call('POST', itemsPath(workspace.id, randomUUID(), 'labels', mine.id), { token: owner.token }), 404, 'NOT_FOUND');
    // the item in the path is looked for first: with an unknown label too, or another workspace's item and label, it is 404
    expectProblem(await call('POST', itemsPath(workspace.id, randomUUID(), 'labels', randomUUID()), { token: owner.token }), 404, 'NOT_FOUND');
    const theirItem = await createItem(owner.token, other.id, { name: 'Their vase' });
    expectProblem(await call('POST', itemsPath(workspace.id, theirItem.id, 'labels', theirs.id), { token: owner.token }), 404, 'NOT_FOUND');
    expect(await readItem(owner.token, other.id, theirItem.id)).toEqual(theirItem);
    expectProblem(await call('DELETE', itemsPath(workspace.id, randomUUID(), 'labels', mine.id), { token: owner.token }), 404, 'NOT_FOUND');
    expectProblem(await call('GET', itemsPath(workspace.id, randomUUID(), 'labels'), { token: owner.token }), 404, 'NOT_FOUND');
    expectProblem(await call('POST', itemsPath(workspace.id, item.id, 'labels', 'not-a-uuid'), { token: owner.token }), 422, 'VALIDATION_FAILED');
    // an archived item can still wear labels
    expectStatus(await call('POST', itemsPath(workspace.id, item.id, 'archive'), { token: owner.token }), 204);
    expectStatus(await call('POST', itemsPath(workspace.id, item.id, 'labels', mine.id), { token: owner.token }), 204);
    expect(await readItem(owner.token, workspace.id, item.id)).toMatchObject({ is_archived: true, label_ids: [mine.id] });
  });
});

// ---- the change feed

/** How long the change feed may take on a busy 2-core CI machine, with every projector (search's included) behind one stream. */
const feedPatienceMs = 30_000;

/** One page (≤ 100) of an entity's activity, newest first. */
async function entityActivity(token: string, workspaceId: string, type: string, id: string): Promise<Activity[]> {
  const page = expectStatus(await call<Page<Activity>>('GET', `/workspaces/${workspaceId}/activity/${type}/${id}`, { token, query: { limit: 100 } }), 200).json;
  expect(page.next_cursor).toBeUndefined();
  return page.items;
}

const historyOf = (token: string, workspaceId: string, id: string, count: number) =>
  eventually(`activity of item ${id}`, () => entityActivity(token, workspaceId, 'ITEM', id), (items) => items.length >= count, feedPatienceMs);

/** Polls an item until `done` holds. */
const itemWhen = (token: string, workspaceId: string, id: string, what: string, done: (item: Item) => boolean) =>
  eventually(what, () => readItem(token, workspaceId, id), done, feedPatienceMs);

describe.concurrent('items and the change feed', () => {
  it("deleting a category clears category_id of its items, archived ones too (a change by the deleter: version up); other items keep theirs", async () => {
    const [owner, member] = await Promise.all([signUp(), signUp()]);
    const workspace = await createWorkspace(owner.token);
    await addMember(owner.token, workspace.id, member.id, 'member');
    const doomed = await create(owner.token, workspace.id, 'categories', { name: 'Doomed' });
    const kept = await create(owner.token, workspace.id, 'categories', { name: 'Kept' });
    const active = await createItem(owner.token, workspace.id, { name: 'Active', category_id: doomed.id });
    const archived = await createItem(owner.token, workspace.id, { name: 'Archived', category_id: doomed.id });
    expectStatus(await call('POST', itemsPath(workspace.id, archived.id, 'archive'), { token: owner.token }), 204);
    const bystander = await createItem(owner.token, workspace.id, { name: 'Bystander', category_id: kept.id });

    expectStatus(await call('DELETE', path(workspace.id, 'categories', doomed.id), { token: member.token }), 204);
    const cleared = await itemWhen(owner.token, workspace.id, active.id, 'category cleared', (item) => !('category_id' in item));
    expect(cleared).toEqual({ ...active, category_id: undefined, version: 2, updated_at: cleared.updated_at });
    const clearedArchived = await itemWhen(owner.token, workspace.id, archived.id, 'category cleared (archived)', (item) => !('category_id' in item));
    expect(clearedArchived).toMatchObject({ is_archived: true, version: 3 });
    expect(await readItem(owner.token, workspace.id, bystander.id)).toEqual(bystander);
    expectProblem(await call('GET', itemsPath(workspace.id, 'by-category', doomed.id), { token: owner.token }), 404, 'NOT_FOUND');

    const [update] = await historyOf(owner.token, workspace.id, active.id, 2);
    expect(update).toMatchObject({ action: 'UPDATE', user_id: member.id, entity_name: 'Active', changes: { category_id: { old: doomed.id } } });
    // the item can take a category again
    expectStatus(await call('PATCH', itemsPath(workspace.id, active.id), { token: owner.token, body: { category_id: kept.id } }), 200);
    expect(namesOf(await listed(owner.token, itemsPath(workspace.id, 'by-category', kept.id)))).toEqual(['Active', 'Bystander']);
  });

  it('deleting a company clears purchased_from of the items bought there', async () => {
    const { owner, workspace } = await world();
    const shop = await create(owner.token, workspace.id, 'companies', { name: 'Closing down' });
    const other = await create(owner.token, workspace.id, 'companies', { name: 'Still open' });
    const item = await createItem(owner.token, workspace.id, { name: 'Kettle', purchased_from: shop.id });
    const archived = await createItem(owner.token, workspace.id, { name: 'Toaster', purchased_from: shop.id });
    expectStatus(await call('POST', itemsPath(workspace.id, archived.id, 'archive'), { token: owner.token }), 204);
    const bystander = await createItem(owner.token, workspace.id, { name: 'Mixer', purchased_from: other.id });

    expectStatus(await call('DELETE', path(workspace.id, 'companies', shop.id), { token: owner.token }), 204);
    const cleared = await itemWhen(owner.token, workspace.id, item.id, 'purchased_from cleared', (candidate) => !('purchased_from' in candidate));
    expect(cleared).toEqual({ ...item, purchased_from: undefined, version: 2, updated_at: cleared.updated_at });
    expect(await itemWhen(owner.token, workspace.id, archived.id, 'purchased_from cleared (archived)', (candidate) => !('purchased_from' in candidate)))
      .toMatchObject({ is_archived: true, version: 3 });
    expect(await readItem(owner.token, workspace.id, bystander.id)).toEqual(bystander);
    const [update] = await historyOf(owner.token, workspace.id, item.id, 2);
    expect(update).toMatchObject({ action: 'UPDATE', user_id: owner.id, changes: { purchased_from: { old: shop.id } } });
  });

  it('deleting a label takes it off every item that wore it, and only it', async () => {
    const { owner, workspace } = await world();
    const doomed = await create(owner.token, workspace.id, 'labels', { name: 'Doomed' });
    const kept = await create(owner.token, workspace.id, 'labels', { name: 'Kept' });
    const both = await createItem(owner.token, workspace.id, { name: 'Both' });
    const only = await createItem(owner.token, workspace.id, { name: 'Only doomed' });
    const none = await createItem(owner.token, workspace.id, { name: 'Only kept' });
    for (const [item, label] of [[both, doomed], [both, kept], [only, doomed], [none, kept]] as const) {
      expectStatus(await call('POST', itemsPath(workspace.id, item.id, 'labels', label.id), { token: owner.token }), 204);
    }
    const untouched = await readItem(owner.token, workspace.id, none.id);

    expectStatus(await call('DELETE', path(workspace.id, 'labels', doomed.id), { token: owner.token }), 204);
    expect(await itemWhen(owner.token, workspace.id, both.id, 'label off', (item) => !item.label_ids.includes(doomed.id)))
      .toMatchObject({ label_ids: [kept.id], version: 4 });
    expect(await itemWhen(owner.token, workspace.id, only.id, 'label off', (item) => !item.label_ids.includes(doomed.id)))
      .toMatchObject({ label_ids: [], version: 3 });
    expect(expectStatus(await call('GET', itemsPath(workspace.id, only.id, 'labels'), { token: owner.token }), 200).json).toEqual({ label_ids: [] });
    expect(await readItem(owner.token, workspace.id, none.id)).toEqual(untouched);
    // the deleted label cannot be put back on
    expectProblem(await call('POST', itemsPath(workspace.id, only.id, 'labels', doomed.id), { token: owner.token }), 422, 'REFERENCE_NOT_FOUND');
    const [update] = await historyOf(owner.token, workspace.id, only.id, 3);
    expect(update).toMatchObject({ action: 'UPDATE', user_id: owner.id, changes: { label_ids: { old: [doomed.id], new: [] } } });
  });

  it('a label deleted while it is being attached to items ends up on none of them (each attach 204 before the delete, or 422 after)', async () => {
    const { owner, workspace } = await world();
    const items = await Promise.all(Array.from({ length: 6 }, (_, index) => createItem(owner.token, workspace.id, { name: `Racer ${index}` })));
    for (let round = 0; round < 3; round += 1) {
      const label = await create(owner.token, workspace.id, 'labels', { name: `Short-lived ${round}` });
      const answers = await Promise.all([
        ...items.map((item) => call('POST', itemsPath(workspace.id, item.id, 'labels', label.id), { token: owner.token })),
        call('DELETE', path(workspace.id, 'labels', label.id), { token: owner.token }),
      ]);
      expectStatus(answers.at(-1)!, 204);
      for (const answer of answers.slice(0, -1)) {
        if (answer.status !== 204) expectProblem(answer, 422, 'REFERENCE_NOT_FOUND');
      }
      for (const item of items) {
        await itemWhen(owner.token, workspace.id, item.id, `label ${round} off ${item.name}`, (current) => !current.label_ids.includes(label.id));
      }
      expect(await partition(`WS#${workspace.id}#ITEMLABELS`)).toEqual([]);
    }
  });

  it('records CREATE, UPDATE (the fields changed, old and new), ARCHIVE and RESTORE of an item, newest first, with who did it; the change log carries the item as the API shows it', async () => {
    const [owner, member] = await Promise.all([signUp(), signUp()]);
    const workspace = await createWorkspace(owner.token);
    await addMember(owner.token, workspace.id, member.id, 'member');
    const label = await create(owner.token, workspace.id, 'labels', { name: 'Fragile' });
    const item = await createItem(owner.token, workspace.id, { name: 'Drill', brand: 'Makita', model: 'DHP482', short_code: 'DRL1' });
    expectStatus(await call('PATCH', itemsPath(workspace.id, item.id), { token: member.token, body: { brand: 'Bosch', model: null, barcode: '123456' } }), 200);
    expectStatus(await call('POST', itemsPath(workspace.id, item.id, 'archive'), { token: member.token }), 204);
    expectStatus(await call('POST', itemsPath(workspace.id, item.id, 'restore'), { token: owner.token }), 204);
    expectStatus(await call('POST', itemsPath(workspace.id, item.id, 'labels', label.id), { token: member.token }), 204);

    const history = await historyOf(owner.token, workspace.id, item.id, 5);
    expect(history.map((entry) => [entry.action, entry.user_id])).toEqual([
      ['UPDATE', member.id], ['RESTORE', owner.id], ['ARCHIVE', member.id], ['UPDATE', member.id], ['CREATE', owner.id],
    ]);
    for (const entry of history) expect(entry).toMatchObject({ entity_type: 'ITEM', entity_id: item.id, entity_name: 'Drill' });
    expect(history[3]!.changes).toEqual({ brand: { old: 'Makita', new: 'Bosch' }, model: { old: 'DHP482' }, barcode: { new: '123456' } });
    expect(history[0]!.changes).toEqual({ label_ids: { old: [], new: [label.id] } });
    for (const entry of history.filter((candidate) => candidate.action !== 'UPDATE')) expect(entry).not.toHaveProperty('changes');
    expect(history[4]!.occurred_at).toBe(item.created_at);

    // the change log: one upsert per version, the last one the item exactly as GET shows it
    const current = await readItem(owner.token, workspace.id, item.id);
    expect(current.version).toBe(5);
    const entries = await eventually('the change log of the item', async () => (await partition(`WS#${workspace.id}#CHANGES`)).filter((entry) => entry.entity_id === item.id),
      (found) => found.length >= 5);
    // (ordered by when the log learned of them: entries of one batch may tie, so compared by version)
    expect(entries.map((entry) => [entry.operation, entry.entity_type, entry.version]).sort((a, b) => a[2] - b[2]))
      .toEqual([1, 2, 3, 4, 5].map((version) => ['upsert', 'ITEM', version]));
    expect(entries.find((entry) => entry.version === 5)!.data).toEqual(current);
    for (const entry of entries) {
      for (const attribute of Object.keys(entry.data)) expect(attribute).not.toMatch(/^(PK|SK|GSI\d(PK|SK)|entity|ttl|created_by|updated_by)$/);
    }
  });
});

// ---- cost

describe('consumed capacity (the local runtime\'s x-consumed-capacity header)', () => {
  /** `read=…, write=…, calls=…` */
  function capacityOf(response: ApiResponse): { read: number; write: number; calls: number } {
    const header = response.headers.get('x-consumed-capacity');
    expect(header, 'the local runtime answers x-consumed-capacity (README, "Slow and costly calls are visible")').toBeTruthy();
    const match = /read=([\d.]+), write=([\d.]+), calls=(\d+)/.exec(header!);
    expect(match, header!).not.toBeNull();
    return { read: Number(match![1]), write: Number(match![2]), calls: Number(match![3]) };
  }

  it('GET of an item is one BatchGetItem of user, workspace, membership and item: at most 2 RCU (shared/db/README.md), nothing written', async () => {
    const { owner, workspace } = await world();
    const tools = await create(owner.token, workspace.id, 'categories', { name: 'Tools' });
    const label = await create(owner.token, workspace.id, 'labels', { name: 'Fragile' });
    const item = await createItem(owner.token, workspace.id, {
      name: 'Cordless drill', description: 'A fairly long description. '.repeat(20), category_id: tools.id, brand: 'Makita', model: 'DHP482', barcode: '0088381645232',
    });
    expectStatus(await call('POST', itemsPath(workspace.id, item.id, 'labels', label.id), { token: owner.token }), 204);

    const get = expectStatus(await call<Item>('GET', itemsPath(workspace.id, item.id), { token: owner.token }), 200);
    expect(get.json.label_ids).toEqual([label.id]);
    const cost = capacityOf(get);
    expect(cost).toEqual({ read: expect.any(Number), write: 0, calls: 1 });
    expect(cost.read).toBeGreaterThan(0);
    expect(cost.read).toBeLessThanOrEqual(2);

    const labels = capacityOf(expectStatus(await call('GET', itemsPath(workspace.id, item.id, 'labels'), { token: owner.token }), 200));
    expect(labels.write).toBe(0);
    expect(labels.read).toBeLessThanOrEqual(2);

    // a page of a few items: the authorisation (1.5 RCU) and one Query of at most 4 KB (0.5 RCU)
    const list = capacityOf(expectStatus(await call('GET', itemsPath(workspace.id), { token: owner.token, query: { limit: 10 } }), 200));
    expect(list).toMatchObject({ write: 0, calls: 2 });
    expect(list.read).toBeLessThanOrEqual(2);
  });
});
