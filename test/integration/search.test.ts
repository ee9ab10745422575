// Search across a workspace (issue 12), over real HTTP and the real stream poller: the change feed
// keeps the index, so a new, renamed, archived and deleted item appears in, changes in and leaves
// the results; typos, beginnings, phrases, exclusions and accents; every type; tenant isolation.
import { describe, expect, it } from 'vitest';
import { call, createWorkspace, expectProblem, expectStatus, signUp } from './support/api.js';
import { eventually } from './support/eventually.js';

interface Found {
  results: { entity_type: string; id: string; name: string; snippet: string; score: number; matched_fields: string[] }[];
  next_cursor?: string;
}

async function seeded() {
  const owner = await signUp();
  const workspace = await createWorkspace(owner.token);
  const base = `/workspaces/${workspace.id}`;
  const token = owner.token;
  const create = async (segment: string, body: Record<string, unknown>) => expectStatus(await call<{ id: string; version: number }>('POST', `${base}/${segment}`, { token, body }), 201).json;
  const find = async (q: string, query: Record<string, string | number> = {}) =>
    expectStatus(await call<Found>('GET', `${base}/search`, { token, query: { q, ...query } }), 200).json;
  const names = async (q: string, query: Record<string, string | number> = {}) => (await find(q, query)).results.map((result) => result.name);
  /** waits until `q` finds exactly these names (the change feed indexes within a second or two) */
  const settled = (q: string, expected: string[], query: Record<string, string | number> = {}) =>
    eventually(`search "${q}"`, () => names(q, query), (found) => JSON.stringify(found) === JSON.stringify(expected), 20_000);
  return { owner, token, base, workspace, create, find, names, settled };
}

describe('search', () => {
  it('a new, renamed, archived, restored and deleted entity appears in, changes in and leaves the results', async () => {
    const { token, base, create, settled, names } = await seeded();
    const drill = await create('items', { name: 'Cordless screwdriver', brand: 'Makita', sku: 'TOOL-18V' });
    await settled('screwdriver', ['Cordless screwdriver']);
    expectStatus(await call('PATCH', `${base}/items/${drill.id}`, { token, body: { name: 'Impact driver' } }), 200);
    await settled('impact', ['Impact driver']);
    expect(await names('screwdriver')).toEqual([]);
    expectStatus(await call('POST', `${base}/items/${drill.id}/archive`, { token }), 204);
    await settled('impact', []);
    expect(await names('impact', { include_archived: 'true' })).toEqual(['Impact driver']);
    expectStatus(await call('POST', `${base}/items/${drill.id}/restore`, { token }), 204);
    await settled('impact', ['Impact driver']);
    const shed = await create('labels', { name: 'Fragile' });
    await settled('fragile', ['Fragile']);
    expectStatus(await call('DELETE', `${base}/labels/${shed.id}`, { token }), 204);
    await settled('fragile', []);
  });

  it('understands beginnings, one typo from five letters, phrases, exclusions, accents and codes; ranks the name first', async () => {
    const { create, settled, names, find } = await seeded();
    await create('items', { name: 'Screwdriver set', brand: 'Wera', description: 'Twelve bits in a café-coloured case' });
    await create('items', { name: 'Angle grinder', brand: 'Bosch', description: 'Sold for parts, motor broken', sku: 'GRIND-125' });
    await create('items', { name: 'Drill', brand: 'Bosch', model: 'PSB 18' });
    await create('items', { name: 'Bosch manual', description: 'for the drill' });
    await settled('bosch', ['Bosch manual', 'Angle grinder', 'Drill']);
    expect(await names('scre')).toEqual(['Screwdriver set']);
    expect(await names('scredriver')).toEqual(['Screwdriver set']);
    expect(await names('srcewdriver set')).toEqual(['Screwdriver set']);
    expect(await names('CAFÉ')).toEqual(['Screwdriver set']);
    expect(await names('"angle grinder"')).toEqual(['Angle grinder']);
    expect(await names('"grinder angle"')).toEqual([]);
    expect(await names('bosch -broken')).toEqual(['Bosch manual', 'Drill']);
    expect(await names('grind125')).toEqual(['Angle grinder']);
    expect(await names('grind-12')).toEqual(['Angle grinder']);
    // every word must match; the whole word above its beginning
    expect(await names('bosch drill')).toEqual(['Drill', 'Bosch manual']);
    const found = await find('grinder');
    expect(found.results[0]).toMatchObject({ entity_type: 'item', name: 'Angle grinder', matched_fields: ['name'] });
  });

  it('covers every type, narrows by types, pages with the cursor', async () => {
    const { create, settled, names, find, base, token } = await seeded();
    const garage = await create('locations', { name: 'Garage north' });
    await create('containers', { name: 'Garage box', location_id: garage.id });
    await create('borrowers', { name: 'Gary Garage', email: 'gary@example.test' });
    await create('categories', { name: 'Garage tools' });
    await create('labels', { name: 'Garage' });
    await create('companies', { name: 'Garage Supplies Ltd' });
    await create('items', { name: 'Garage door remote' });
    // equally good matches (the whole word, in the name) come oldest first
    await settled('garage', ['Garage north', 'Garage box', 'Gary Garage', 'Garage tools', 'Garage', 'Garage Supplies Ltd', 'Garage door remote']);
    expect(await names('garage', { types: 'location,container' })).toEqual(['Garage north', 'Garage box']);
    const first = await find('garage', { limit: 4 });
    expect(first.results).toHaveLength(4);
    const second = await find('garage', { limit: 4, cursor: first.next_cursor! });
    expect(second.next_cursor).toBeUndefined();
    expect([...first.results, ...second.results].map((result) => result.entity_type).sort()).toEqual(['borrower', 'category', 'company', 'container', 'item', 'label', 'location']);
    // a cursor is for the query it was given with
    expectProblem(await call('GET', `${base}/search`, { token, query: { q: 'garages', cursor: first.next_cursor!, limit: 4 } }), 422, 'INVALID_CURSOR');
  });

  it('never finds another workspace\'s words; refuses what it cannot read', async () => {
    const mine = await seeded();
    const theirs = await seeded();
    await theirs.create('items', { name: 'Zeppelin model' });
    await mine.create('items', { name: 'Zebra crossing sign' });
    await mine.settled('ze', ['Zebra crossing sign']);
    await theirs.settled('ze', ['Zeppelin model']);
    expect(await mine.names('zeppelin')).toEqual([]);
    expectProblem(await call('GET', `${mine.base}/search`, { token: mine.token }), 422, 'VALIDATION_FAILED');
    expectProblem(await call('GET', `${mine.base}/search`, { token: mine.token, query: { q: 'x', types: 'attachment' } }), 422, 'VALIDATION_FAILED');
    expectProblem(await call('GET', `${mine.base}/search`, { token: mine.token, query: { q: 'x', cursor: 'bm90LWEtY3Vyc29y' } }), 422, 'INVALID_CURSOR');
    expectProblem(await call('GET', `${theirs.base}/search`, { token: mine.token, query: { q: 'ze' } }), 403, 'WORKSPACE_ACCESS_DENIED');
  });
});
