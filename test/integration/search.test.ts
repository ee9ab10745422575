// Search across a workspace (issue 12), over real HTTP and the real stream poller: the change feed
// keeps the index, so a new, renamed, archived and deleted item appears in, changes in and leaves
// the results; typos, beginnings, phrases, exclusions and accents; every type; tenant isolation.
import type { Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { lambdaContext } from '../support/lambda.js';
import { call, createWorkspace, expectProblem, expectStatus, signUp } from './support/api.js';
import { eventually } from './support/eventually.js';
import { getItem, partition } from './support/table.js';

type Reindex = (event: { workspace_id: string }, context: Context) => Promise<{ entities: number; postingsWritten: number; postingsDeleted: number }>;
type Project = (change: unknown) => Promise<void>;
let reindex: Reindex;
let project: Project;
beforeAll(async () => {
  // the job and the projector run in this process, against the runtime's table (process.env has its endpoints)
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  reindex = (await import('../../functions/jobs/search-reindex.js')).handler as unknown as Reindex;
  project = (await import('../../functions/streams/projectors/search-index.js')).searchIndex.project as Project;
});

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

  it('finds items by the names of their category and labels, following renames, attachments and deletes', async () => {
    const { token, base, create, settled, names } = await seeded();
    const category = await create('categories', { name: 'Woodworking' });
    const label = await create('labels', { name: 'Borrowable' });
    const plane = await create('items', { name: 'Block plane', category_id: category.id });
    await settled('woodworking', ['Woodworking', 'Block plane']);
    expectStatus(await call('POST', `${base}/items/${plane.id}/labels/${label.id}`, { token }), 204);
    await settled('borrowable', ['Borrowable', 'Block plane']);
    expectStatus(await call('PATCH', `${base}/categories/${category.id}`, { token, body: { name: 'Carpentry' } }), 200);
    await settled('carpentry', ['Carpentry', 'Block plane']);
    expect(await names('woodworking')).toEqual([]);
    expectStatus(await call('PATCH', `${base}/labels/${label.id}`, { token, body: { name: 'Lendable' } }), 200);
    await settled('lendable', ['Lendable', 'Block plane']);
    expect(await names('borrowable')).toEqual([]);
    expectStatus(await call('DELETE', `${base}/labels/${label.id}`, { token }), 204);
    await settled('lendable', []);
    expect(await names('plane carpentry')).toEqual(['Block plane']);
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

describe('the index', () => {
  const index = async (workspaceId: string) => {
    const strip = (items: Record<string, unknown>[]) => items.map((item) => JSON.stringify(item)).sort();
    return { terms: strip(await partition(`WS#${workspaceId}#TERMS`)), typos: strip(await partition(`WS#${workspaceId}#TYPOS`)) };
  };

  it('rebuilt from the entities equals the one the change feed keeps, repairing what went missing or stale; a replayed record changes nothing', async () => {
    const { workspace, base, token, create, settled } = await seeded();
    const drill = await create('items', { name: 'Hammer drill', brand: 'Hilti', sku: 'HD-1', description: 'Heavy, for concrete' });
    await create('locations', { name: 'Basement workshop', short_code: 'BASE1' });
    const tag = await create('labels', { name: 'Heavy' });
    expectStatus(await call('PATCH', `${base}/items/${drill.id}`, { token, body: { name: 'Rotary hammer' } }), 200);
    expectStatus(await call('DELETE', `${base}/labels/${tag.id}`, { token }), 204);
    await settled('rotary', ['Rotary hammer']);
    await settled('heavy', ['Rotary hammer']);
    const kept = await index(workspace.id);
    expect(kept.terms.length).toBeGreaterThan(10);
    expect(kept.terms.some((posting) => posting.includes('"SK":"drill#'))).toBe(false); // the old name's word left

    // the same records again (a stream retry): nothing changes
    const item = await getItem({ PK: `WS#${workspace.id}`, SK: `ITEM#${drill.id}` });
    for (let twice = 0; twice < 2; twice += 1) {
      await project({ eventId: `replay-${twice}`, operation: 'INSERT', entity: 'ITEM', keys: { PK: item!.PK, SK: item!.SK }, newImage: item, sequenceNumber: '1', expired: false });
    }
    expect(await index(workspace.id)).toEqual(kept);

    // a rebuild of a sound index changes nothing
    const first = await reindex({ workspace_id: workspace.id }, lambdaContext('search-reindex'));
    expect(first).toMatchObject({ entities: 2, postingsDeleted: 0 });
    expect(await index(workspace.id)).toEqual(kept);

    // a damaged one (a posting lost, a stale one left by a failing feed) comes back equal
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const { DeleteCommand, DynamoDBDocumentClient, PutCommand } = await import('@aws-sdk/lib-dynamodb');
    const direct = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
    const table = process.env.TABLE_NAME!;
    // the name's word, active, weight 3: rank a6 (postings.ts)
    const lost = await direct.send(new DeleteCommand({ TableName: table, Key: { PK: `WS#${workspace.id}#TERMS`, SK: `rotary#a6#item#${drill.id}` }, ReturnValues: 'ALL_OLD' }));
    expect(lost.Attributes).toBeDefined();
    await direct.send(new PutCommand({ TableName: table, Item: { PK: `WS#${workspace.id}#TERMS`, SK: `stale#a6#item#${drill.id}` } }));
    const repaired = await reindex({ workspace_id: workspace.id }, lambdaContext('search-reindex'));
    expect(repaired).toMatchObject({ entities: 2, postingsDeleted: 1 });
    expect(await index(workspace.id)).toEqual(kept);
  });
});
