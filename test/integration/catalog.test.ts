// The catalog (issue 7): the six entities that share one lifecycle (categories, locations,
// containers, companies, labels, borrowers) and their rules: create, get, list by folded name with
// cursors, PATCH semantics and If-Match, archive and restore, roles, tenancy; unique names and short
// codes under parallel creates; trees (references, cycles, concurrent moves, breadcrumbs); delete
// rules, also racing a child's create; favorites. What the change feed projects is in
// catalog-feed.test.ts. Every test makes its own users and workspaces.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  addMember, allPages, call, createWorkspace, expectProblem, expectStatus, signUp, type ApiResponse, ownedWorkspace
} from './support/api.js';
import { partition } from './support/table.js';

type Entity = Record<string, any> & { id: string; name: string; version: number; is_archived: boolean };

const world = ownedWorkspace;

const path = (workspaceId: string, segment: string, ...rest: string[]) => [`/workspaces/${workspaceId}/${segment}`, ...rest].join('/');

/** POST, expecting 201; answers the created entity. */
async function create(token: string, workspaceId: string, segment: string, body: Record<string, unknown>): Promise<Entity> {
  return expectStatus(await call<Entity>('POST', path(workspaceId, segment), { token, body }), 201).json;
}

async function read(token: string, workspaceId: string, segment: string, id: string): Promise<Entity> {
  return expectStatus(await call<Entity>('GET', path(workspaceId, segment, id), { token }), 200).json;
}

async function names(token: string, workspaceId: string, segment: string, query: Record<string, string | number> = {}): Promise<string[]> {
  const page = expectStatus(await call<{ items: Entity[]; next_cursor?: string }>('GET', path(workspaceId, segment), { token, query: { limit: 100, ...query } }), 200);
  expect(page.json.next_cursor).toBeUndefined();
  return page.json.items.map((item) => item.name);
}

const describeAnswers = (answers: ApiResponse[]) => answers.map((answer) => `${answer.status} ${answer.json?.code ?? ''}`).join(', ');

// ---- the lifecycle, per entity

interface EntityCase {
  segment: string;
  /** fields besides `name` a create needs (a container's location), made in `workspaceId` */
  required: (token: string, workspaceId: string) => Promise<Record<string, unknown>>;
  /** optional fields set at create */
  optional: Record<string, unknown>;
  /** a field a PATCH changes, and its new value */
  changed: [string, unknown];
  /** an optional field a PATCH clears with null */
  cleared: string;
  /** borrowers have no archive route: DELETE archives them */
  archivedByDelete?: boolean;
}

const none = async () => ({});

const entityCases: EntityCase[] = [
  { segment: 'categories', required: none, optional: { description: 'Drills and saws' }, changed: ['name', 'Power tools'], cleared: 'description' },
  {
    segment: 'locations', required: none, optional: { zone: 'North wall', shelf: '2', bin: 'B', description: 'By the door' },
    changed: ['shelf', '3'], cleared: 'bin',
  },
  {
    segment: 'containers',
    required: async (token, workspaceId) => ({ location_id: (await create(token, workspaceId, 'locations', { name: 'Garage' })).id }),
    optional: { description: 'Blue crate', capacity: '40 l' }, changed: ['capacity', '60 l'], cleared: 'description',
  },
  {
    segment: 'companies', required: none, optional: { website: 'https://hardware.example/shop', notes: 'Receipts by mail' },
    changed: ['website', 'http://tools.example/'], cleared: 'notes',
  },
  { segment: 'labels', required: none, optional: { color: '#FF0000', description: 'Handle with care' }, changed: ['color', '#00AA00'], cleared: 'description' },
  {
    segment: 'borrowers', required: none, optional: { email: 'grace@example.com', phone: '+358 40 123 4567', notes: 'Neighbour' },
    changed: ['phone', '+1 555 0100'], cleared: 'email', archivedByDelete: true,
  },
];

for (const entity of entityCases) describe.concurrent(`/workspaces/{ws}/${entity.segment}`, () => {
  const { segment } = entity;
  const archive = (token: string, workspaceId: string, id: string, headers: Record<string, string> = {}) =>
    entity.archivedByDelete ? call('DELETE', path(workspaceId, segment, id), { token, headers }) : call('POST', path(workspaceId, segment, id, 'archive'), { token, headers });
  const restore = (token: string, workspaceId: string, id: string) => call('POST', path(workspaceId, segment, id, 'restore'), { token });

  it('creates one (201 with Location): the stored entity at version 1, created_at equal to updated_at', async () => {
    const { owner, workspace } = await world();
    const body = { name: 'First one', ...(await entity.required(owner.token, workspace.id)), ...entity.optional };
    const response = expectStatus(await call<Entity>('POST', path(workspace.id, segment), { token: owner.token, body }), 201);
    const created = response.json;
    expect(created).toMatchObject({ ...body, id: expect.stringMatching(/^[0-9a-f-]{36}$/), workspace_id: workspace.id, is_archived: false, version: 1 });
    expect(created.created_at).toBe(created.updated_at);
    expect(response.headers.get('location')).toBe(path(workspace.id, segment, created.id));
    for (const hidden of ['created_by', 'updated_by', 'PK', 'SK', 'GSI1PK', 'entity']) expect(created).not.toHaveProperty(hidden);

    const got = expectStatus(await call<Entity>('GET', response.headers.get('location')!, { token: owner.token }), 200);
    expect(got.json).toEqual(created);
    expect(got.headers.get('etag')).toBe(`"${created.id}.v1"`);
  });

  it('answers 404 NOT_FOUND for an id it does not have', async () => {
    const { owner, workspace } = await world();
    expectProblem(await call('GET', path(workspace.id, segment, randomUUID()), { token: owner.token }), 404, 'NOT_FOUND');
  });

  it("lists by name with case and accents ignored ('éclair' between 'Delta' and 'Foxtrot')", async () => {
    const { owner, workspace } = await world();
    const required = await entity.required(owner.token, workspace.id);
    for (const name of ['Foxtrot', 'éclair', 'Delta', 'alpha', 'Charlie', 'Bravo']) await create(owner.token, workspace.id, segment, { name, ...required });
    expect(await names(owner.token, workspace.id, segment)).toEqual(['alpha', 'Bravo', 'Charlie', 'Delta', 'éclair', 'Foxtrot']);
  });

  it('pages through the list with limit and next_cursor, each one once, in name order', async () => {
    const { owner, workspace } = await world();
    const required = await entity.required(owner.token, workspace.id);
    const created = await Promise.all(['Echo', 'alpha', 'Delta', 'Bravo', 'Charlie'].map((name) => create(owner.token, workspace.id, segment, { name, ...required })));
    const { items, pages } = await allPages<Entity>(path(workspace.id, segment), owner.token, 2);
    expect(pages).toBe(3);
    expect(items.map((item) => item.name)).toEqual(['alpha', 'Bravo', 'Charlie', 'Delta', 'Echo']);
    expect(new Set(items.map((item) => item.id))).toEqual(new Set(created.map((item) => item.id)));
  });

  it('PATCH changes only the fields sent, null clears an optional field, and null on name is 422', async () => {
    const { owner, workspace } = await world();
    const original = await create(owner.token, workspace.id, segment, { name: 'Original', ...(await entity.required(owner.token, workspace.id)), ...entity.optional });
    const [field, value] = entity.changed;

    const changed = expectStatus(await call<Entity>('PATCH', path(workspace.id, segment, original.id), { token: owner.token, body: { [field]: value } }), 200).json;
    expect(changed).toEqual({ ...original, [field]: value, version: 2, updated_at: changed.updated_at });
    expect(changed.updated_at >= original.updated_at).toBe(true);
    expect(changed.created_at).toBe(original.created_at);

    const cleared = expectStatus(await call<Entity>('PATCH', path(workspace.id, segment, original.id), { token: owner.token, body: { [entity.cleared]: null } }), 200).json;
    const { [entity.cleared]: _gone, ...kept } = changed;
    expect(cleared).toEqual({ ...kept, version: 3, updated_at: cleared.updated_at });
    expect(cleared).not.toHaveProperty(entity.cleared);

    const problem = expectProblem(await call('PATCH', path(workspace.id, segment, original.id), { token: owner.token, body: { name: null } }), 422, 'VALIDATION_FAILED');
    expect(problem.errors?.map((error) => error.location)).toEqual(['body.name']);
    expect(await read(owner.token, workspace.id, segment, original.id)).toEqual(cleared);
  });

  it('PATCH with If-Match: a stale version is 412 and changes nothing; the current ETag goes through and answers the new ETag', async () => {
    const { owner, workspace } = await world();
    const original = await create(owner.token, workspace.id, segment, { name: 'Conditional', ...(await entity.required(owner.token, workspace.id)) });
    expectStatus(await call('PATCH', path(workspace.id, segment, original.id), { token: owner.token, body: { name: 'Moved on' } }), 200); // version 2

    expectProblem(await call('PATCH', path(workspace.id, segment, original.id), {
      token: owner.token, body: { name: 'Stale' }, headers: { 'if-match': '1' },
    }), 412, 'VERSION_CONFLICT');
    expectProblem(await call('PATCH', path(workspace.id, segment, original.id), {
      token: owner.token, body: { name: 'Stale tag' }, headers: { 'if-match': `"${original.id}.v1"` },
    }), 412, 'VERSION_CONFLICT');
    expectProblem(await archive(owner.token, workspace.id, original.id, { 'if-match': '1' }), 412, 'VERSION_CONFLICT');
    const unchanged = expectStatus(await call<Entity>('GET', path(workspace.id, segment, original.id), { token: owner.token }), 200);
    expect(unchanged.json).toMatchObject({ name: 'Moved on', version: 2, is_archived: false });

    const etag = unchanged.headers.get('etag')!;
    expect(etag).toBe(`"${original.id}.v2"`);
    const current = expectStatus(await call<Entity>('PATCH', path(workspace.id, segment, original.id), { token: owner.token, body: { name: 'Fresh' }, headers: { 'if-match': etag } }), 200);
    expect(current.json).toMatchObject({ name: 'Fresh', version: 3 });
    expect(current.headers.get('etag')).toBe(`"${original.id}.v3"`);
    expectProblem(await call('PATCH', path(workspace.id, segment, original.id), { token: owner.token, body: { name: 'Again' }, headers: { 'if-match': etag } }), 412, 'VERSION_CONFLICT');
  });

  it(`${entity.archivedByDelete ? 'DELETE archives' : 'archive'} and restore flip is_archived (204): archived ones leave the list and come after the active ones with include_archived=true`, async () => {
    const { owner, workspace } = await world();
    const required = await entity.required(owner.token, workspace.id);
    const first = await create(owner.token, workspace.id, segment, { name: 'Aardvark', ...required });
    for (const name of ['Mango', 'Zebra']) await create(owner.token, workspace.id, segment, { name, ...required });

    expectStatus(await archive(owner.token, workspace.id, first.id), 204);
    expect(await read(owner.token, workspace.id, segment, first.id)).toMatchObject({ is_archived: true, version: 2 });
    expectStatus(await archive(owner.token, workspace.id, first.id), 204); // archiving twice is fine
    expect(await read(owner.token, workspace.id, segment, first.id)).toMatchObject({ is_archived: true, version: 2 });
    expect(await names(owner.token, workspace.id, segment)).toEqual(['Mango', 'Zebra']);
    expect(await names(owner.token, workspace.id, segment, { include_archived: 'true' })).toEqual(['Mango', 'Zebra', 'Aardvark']);
    const paged = await allPages<Entity>(`${path(workspace.id, segment)}?include_archived=true`, owner.token, 1);
    expect(paged.items.map((item) => item.name)).toEqual(['Mango', 'Zebra', 'Aardvark']);

    expectStatus(await restore(owner.token, workspace.id, first.id), 204);
    expect(await read(owner.token, workspace.id, segment, first.id)).toMatchObject({ is_archived: false, version: 3 });
    expectStatus(await restore(owner.token, workspace.id, first.id), 204); // restoring an active one changes nothing
    expect(await read(owner.token, workspace.id, segment, first.id)).toMatchObject({ is_archived: false, version: 3 });
    expect(await names(owner.token, workspace.id, segment)).toEqual(['Aardvark', 'Mango', 'Zebra']);
  });

  if (!entity.archivedByDelete) {
    it('DELETE removes it for good (204, then GET 404, gone from every list); a stale If-Match is 412', async () => {
      const { owner, workspace } = await world();
      const doomed = await create(owner.token, workspace.id, segment, { name: 'Doomed', ...(await entity.required(owner.token, workspace.id)) });
      expectStatus(await call('PATCH', path(workspace.id, segment, doomed.id), { token: owner.token, body: { name: 'Doomed!' } }), 200);
      expectProblem(await call('DELETE', path(workspace.id, segment, doomed.id), { token: owner.token, headers: { 'if-match': `"${doomed.id}.v1"` } }), 412, 'VERSION_CONFLICT');
      expect(await read(owner.token, workspace.id, segment, doomed.id)).toMatchObject({ name: 'Doomed!', version: 2 });
      expectStatus(await call('DELETE', path(workspace.id, segment, doomed.id), { token: owner.token, headers: { 'if-match': '2' } }), 204);
      expectProblem(await call('GET', path(workspace.id, segment, doomed.id), { token: owner.token }), 404, 'NOT_FOUND');
      expect(await names(owner.token, workspace.id, segment, { include_archived: 'true' })).not.toContain('Doomed!');
      expectProblem(await call('DELETE', path(workspace.id, segment, doomed.id), { token: owner.token }), 404, 'NOT_FOUND');
    });
  }

  it('lets a viewer read but not write (403 ROLE_TOO_LOW, nothing changed)', async () => {
    const { owner, workspace } = await world();
    const viewer = await signUp();
    await addMember(owner.token, workspace.id, viewer.id, 'viewer');
    const required = await entity.required(owner.token, workspace.id);
    const existing = await create(owner.token, workspace.id, segment, { name: 'Owned', ...required });

    expect(await read(viewer.token, workspace.id, segment, existing.id)).toEqual(existing);
    expect(await names(viewer.token, workspace.id, segment)).toEqual(['Owned']);
    const writes = [
      call('POST', path(workspace.id, segment), { token: viewer.token, body: { name: 'Mine', ...required } }),
      call('PATCH', path(workspace.id, segment, existing.id), { token: viewer.token, body: { name: 'Taken over' } }),
      archive(viewer.token, workspace.id, existing.id),
      restore(viewer.token, workspace.id, existing.id),
      call('DELETE', path(workspace.id, segment, existing.id), { token: viewer.token }),
    ];
    for (const answer of await Promise.all(writes)) expectProblem(answer, 403, 'ROLE_TOO_LOW');
    expect(await read(owner.token, workspace.id, segment, existing.id)).toEqual(existing);
    expect(await names(owner.token, workspace.id, segment, { include_archived: 'true' })).toEqual(['Owned']);
  });

  it("answers 404 for another workspace's entity id, even to a member of both, and leaves it alone", async () => {
    const { owner, workspace } = await world();
    const other = await createWorkspace(owner.token);
    const theirs = await create(owner.token, other.id, segment, { name: 'Elsewhere', ...(await entity.required(owner.token, other.id)) });

    const attempts = [
      call('GET', path(workspace.id, segment, theirs.id), { token: owner.token }),
      call('PATCH', path(workspace.id, segment, theirs.id), { token: owner.token, body: { name: 'Hijacked' } }),
      archive(owner.token, workspace.id, theirs.id),
      restore(owner.token, workspace.id, theirs.id),
      call('DELETE', path(workspace.id, segment, theirs.id), { token: owner.token }),
    ];
    for (const answer of await Promise.all(attempts)) expectProblem(answer, 404, 'NOT_FOUND');
    expect(await read(owner.token, other.id, segment, theirs.id)).toEqual(theirs);
    expect(await names(owner.token, workspace.id, segment, { include_archived: 'true' })).toEqual([]);
  });
});

// ---- unique names

for (const { segment, code } of [
  { segment: 'companies', code: 'COMPANY_NAME_TAKEN' },
  { segment: 'labels', code: 'LABEL_NAME_TAKEN' },
]) describe(`unique ${segment} names`, () => {
  it(`10 parallel creates of one name in different cases and accents: exactly one 201, the rest 409 ${code}`, async () => {
    const { owner, workspace } = await world();
    // composed and decomposed accents, surrounding spaces (trimmed)
    const variants = ['Hardware Corner', 'hardware corner', 'HARDWARE CORNER', 'Hárdware Córner', 'Ha\u0301rdware Corner', ' hardware CORNER '];
    const answers = await Promise.all(Array.from({ length: 10 }, (_, index) =>
      call<Entity>('POST', path(workspace.id, segment), { token: owner.token, body: { name: variants[index % variants.length] } })));
    expect(answers.filter((answer) => answer.status === 201), describeAnswers(answers)).toHaveLength(1);
    for (const answer of answers.filter((candidate) => candidate.status !== 201)) {
      const problem = expectProblem(answer, 409, code);
      expect(problem.errors?.[0]?.location).toBe('body.name');
    }
    expect(await names(owner.token, workspace.id, segment, { include_archived: 'true' })).toHaveLength(1);
    // unique per workspace: another workspace may have it too
    await create(owner.token, (await createWorkspace(owner.token)).id, segment, { name: 'Hardware Corner' });
  });

  it('two renames of one at once: it ends with one of the names, and only that name stays taken', async () => {
    const { owner, workspace } = await world();
    for (let round = 0; round < 3; round += 1) {
      const original = await create(owner.token, workspace.id, segment, { name: `Original ${round}` });
      const wanted = [`First ${round}`, `Second ${round}`];
      const answers = await Promise.all(wanted.map((name) => call('PATCH', path(workspace.id, segment, original.id), { token: owner.token, body: { name } })));
      for (const answer of answers) expectStatus(answer, 200);
      const final = (await read(owner.token, workspace.id, segment, original.id)).name;
      expect(wanted).toContain(final);
      for (const name of [`Original ${round}`, ...wanted]) {
        const attempt = await call('POST', path(workspace.id, segment), { token: owner.token, body: { name } });
        if (name === final) expectProblem(attempt, 409, code);
        else expectStatus(attempt, 201);
      }
    }
  });

  it('keeps an archived one\'s name taken, and a deleted one\'s name free', async () => {
    const { owner, workspace } = await world();
    const archived = await create(owner.token, workspace.id, segment, { name: 'Winter' });
    expectStatus(await call('POST', path(workspace.id, segment, archived.id, 'archive'), { token: owner.token }), 204);
    expectProblem(await call('POST', path(workspace.id, segment), { token: owner.token, body: { name: 'WINTER' } }), 409, code);

    const deleted = await create(owner.token, workspace.id, segment, { name: 'Summer' });
    expectStatus(await call('DELETE', path(workspace.id, segment, deleted.id), { token: owner.token }), 204);
    await create(owner.token, workspace.id, segment, { name: 'summer' });
  });

  it('refuses a rename onto a taken name (409, nothing changed); a rename frees the old name', async () => {
    const { owner, workspace } = await world();
    const fragile = await create(owner.token, workspace.id, segment, { name: 'Fragile' });
    const heavy = await create(owner.token, workspace.id, segment, { name: 'Heavy' });

    expectProblem(await call('PATCH', path(workspace.id, segment, heavy.id), { token: owner.token, body: { name: 'FRÁGILE' } }), 409, code);
    expect(await read(owner.token, workspace.id, segment, heavy.id)).toEqual(heavy);
    // its own name in another case is no conflict
    expect(expectStatus(await call<Entity>('PATCH', path(workspace.id, segment, heavy.id), { token: owner.token, body: { name: 'HEAVY' } }), 200).json.name).toBe('HEAVY');

    expectStatus(await call('PATCH', path(workspace.id, segment, fragile.id), { token: owner.token, body: { name: 'Breakable' } }), 200);
    const successor = await create(owner.token, workspace.id, segment, { name: 'fragile' });
    expectProblem(await call('POST', path(workspace.id, segment), { token: owner.token, body: { name: 'breakable' } }), 409, code);
    expect(await names(owner.token, workspace.id, segment)).toEqual(['Breakable', 'fragile', 'HEAVY']);
    expect(successor.name).toBe('fragile');
  });
});

// ---- short codes

const generatedCode = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/;

describe('short codes of locations and containers', () => {
  it('are generated when absent: 8 characters of 23456789ABCDEFGHJKMNPQRSTUVWXYZ, each different', async () => {
    const { owner, workspace } = await world();
    const locations = await Promise.all(Array.from({ length: 4 }, (_, index) => create(owner.token, workspace.id, 'locations', { name: `Room ${index}` })));
    const containers = await Promise.all(Array.from({ length: 4 }, (_, index) => create(owner.token, workspace.id, 'containers', { name: `Box ${index}`, location_id: locations[0]!.id })));
    const codes = [...locations, ...containers].map((entity) => entity.short_code as string);
    for (const code of codes) expect(code).toMatch(generatedCode);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('are upper-cased when given, looked up in any case, and shared between locations and containers (409 SHORT_CODE_TAKEN)', async () => {
    const { owner, workspace } = await world();
    const shelf = await create(owner.token, workspace.id, 'locations', { name: 'Shelf', short_code: 'sh3lf' });
    expect(shelf.short_code).toBe('SH3LF');
    for (const asked of ['SH3LF', 'sh3lf', 'Sh3Lf']) {
      expect(expectStatus(await call('GET', `/workspaces/${workspace.id}/lookup/${asked}`, { token: owner.token }), 200).json).toEqual({ entity_type: 'LOCATION', id: shelf.id });
    }
    const box = await create(owner.token, workspace.id, 'containers', { name: 'Box', location_id: shelf.id, short_code: 'box1' });
    expect(expectStatus(await call('GET', `/workspaces/${workspace.id}/lookup/BOX1`, { token: owner.token }), 200).json).toEqual({ entity_type: 'CONTAINER', id: box.id });

    const taken = expectProblem(await call('POST', path(workspace.id, 'containers'), { token: owner.token, body: { name: 'Copy', location_id: shelf.id, short_code: 'SH3LF' } }), 409, 'SHORT_CODE_TAKEN');
    expect(taken.errors?.[0]?.location).toBe('body.short_code');
    expectProblem(await call('POST', path(workspace.id, 'locations'), { token: owner.token, body: { name: 'Copy', short_code: 'Box1' } }), 409, 'SHORT_CODE_TAKEN');
    expectProblem(await call('PATCH', path(workspace.id, 'containers', box.id), { token: owner.token, body: { short_code: 'sh3lf' } }), 409, 'SHORT_CODE_TAKEN');
    expect(await read(owner.token, workspace.id, 'containers', box.id)).toEqual(box);
    expect(await names(owner.token, workspace.id, 'containers')).toEqual(['Box']);
  });

  it('10 parallel creates with one code: exactly one wins', async () => {
    const { owner, workspace } = await world();
    const place = await create(owner.token, workspace.id, 'locations', { name: 'Place' });
    const answers = await Promise.all(Array.from({ length: 10 }, (_, index) => index % 2 === 0
      ? call('POST', path(workspace.id, 'locations'), { token: owner.token, body: { name: `Location ${index}`, short_code: index % 4 === 0 ? 'race7' : 'RACE7' } })
      : call('POST', path(workspace.id, 'containers'), { token: owner.token, body: { name: `Container ${index}`, location_id: place.id, short_code: 'Race7' } })));
    const winners = answers.filter((answer) => answer.status === 201);
    expect(winners, describeAnswers(answers)).toHaveLength(1);
    for (const answer of answers.filter((candidate) => candidate.status !== 201)) expectProblem(answer, 409, 'SHORT_CODE_TAKEN');
    const winner = winners[0]!.json as Entity;
    const found = expectStatus(await call('GET', `/workspaces/${workspace.id}/lookup/race7`, { token: owner.token }), 200).json;
    expect(found.id).toBe(winner.id);
    expect(found.entity_type).toBe(winner.location_id ? 'CONTAINER' : 'LOCATION');
  });

  it('refuses invalid codes (9 characters, a dash) with 422 at body.short_code', async () => {
    const { owner, workspace } = await world();
    for (const short_code of ['ABCDEFGH9', 'AB-12', '']) {
      const problem = expectProblem(await call('POST', path(workspace.id, 'locations'), { token: owner.token, body: { name: 'Bad', short_code } }), 422, 'VALIDATION_FAILED');
      expect(problem.errors?.map((error) => error.location)).toEqual(['body.short_code']);
    }
    const place = await create(owner.token, workspace.id, 'locations', { name: 'Place' });
    expectProblem(await call('POST', path(workspace.id, 'containers'), { token: owner.token, body: { name: 'Bad', location_id: place.id, short_code: 'AB-12' } }), 422, 'VALIDATION_FAILED');
    expectProblem(await call('PATCH', path(workspace.id, 'locations', place.id), { token: owner.token, body: { short_code: 'ABCDEFGH9' } }), 422, 'VALIDATION_FAILED');
    expect(await names(owner.token, workspace.id, 'locations')).toEqual(['Place']);
  });

  it('lookup of an unknown code is 404 SHORT_CODE_NOT_FOUND; a changed or deleted one\'s code is free again', async () => {
    const { owner, workspace } = await world();
    expectProblem(await call('GET', `/workspaces/${workspace.id}/lookup/NOPE42`, { token: owner.token }), 404, 'SHORT_CODE_NOT_FOUND');

    const place = await create(owner.token, workspace.id, 'locations', { name: 'Place', short_code: 'OLD1' });
    const box = await create(owner.token, workspace.id, 'containers', { name: 'Box', location_id: place.id, short_code: 'GONE1' });
    expectStatus(await call('DELETE', path(workspace.id, 'containers', box.id), { token: owner.token }), 204);
    expectProblem(await call('GET', `/workspaces/${workspace.id}/lookup/gone1`, { token: owner.token }), 404, 'SHORT_CODE_NOT_FOUND');
    const heir = await create(owner.token, workspace.id, 'locations', { name: 'Heir', short_code: 'gone1' });
    expect(expectStatus(await call('GET', `/workspaces/${workspace.id}/lookup/GONE1`, { token: owner.token }), 200).json).toEqual({ entity_type: 'LOCATION', id: heir.id });

    expect(expectStatus(await call<Entity>('PATCH', path(workspace.id, 'locations', place.id), { token: owner.token, body: { short_code: 'new1' } }), 200).json.short_code).toBe('NEW1');
    expectProblem(await call('GET', `/workspaces/${workspace.id}/lookup/OLD1`, { token: owner.token }), 404, 'SHORT_CODE_NOT_FOUND');
    expect(expectStatus(await call('GET', `/workspaces/${workspace.id}/lookup/new1`, { token: owner.token }), 200).json).toEqual({ entity_type: 'LOCATION', id: place.id });
    await create(owner.token, workspace.id, 'containers', { name: 'Reuser', location_id: place.id, short_code: 'OLD1' });
  });

  it("does not find another workspace's code", async () => {
    const { owner, workspace } = await world();
    const other = await createWorkspace(owner.token);
    await create(owner.token, other.id, 'locations', { name: 'Elsewhere', short_code: 'THEIRS1' });
    expectProblem(await call('GET', `/workspaces/${workspace.id}/lookup/THEIRS1`, { token: owner.token }), 404, 'SHORT_CODE_NOT_FOUND');
    await create(owner.token, workspace.id, 'locations', { name: 'Mine', short_code: 'THEIRS1' });
  });
});

// ---- trees

for (const { segment, parent, withCode } of [
  { segment: 'categories', parent: 'parent_category_id', withCode: false },
  { segment: 'locations', parent: 'parent_location', withCode: true },
]) describe(`the ${segment} tree`, () => {
  const crumbOf = (entity: Entity) => (withCode ? { id: entity.id, name: entity.name, short_code: entity.short_code } : { id: entity.id, name: entity.name });
  const move = (token: string, workspaceId: string, id: string, to: string | null) => call<Entity>('PATCH', path(workspaceId, segment, id), { token, body: { [parent]: to } });

  it(`refuses a parent that is not in this workspace (422 REFERENCE_NOT_FOUND at body.${parent})`, async () => {
    const { owner, workspace } = await world();
    const other = await createWorkspace(owner.token);
    const foreign = await create(owner.token, other.id, segment, { name: 'Foreign' });
    for (const target of [randomUUID(), foreign.id]) {
      const problem = expectProblem(await call('POST', path(workspace.id, segment), { token: owner.token, body: { name: 'Orphan', [parent]: target } }), 422, 'REFERENCE_NOT_FOUND');
      expect(problem.errors?.[0]?.location).toBe(`body.${parent}`);
    }
    const node = await create(owner.token, workspace.id, segment, { name: 'Node' });
    const problem = expectProblem(await move(owner.token, workspace.id, node.id, foreign.id), 422, 'REFERENCE_NOT_FOUND');
    expect(problem.errors?.[0]?.location).toBe(`body.${parent}`);
    expect(await read(owner.token, workspace.id, segment, node.id)).toEqual(node);
    expect(await names(owner.token, workspace.id, segment)).toEqual(['Node']);
  });

  it('refuses to move a node under itself or one of its descendants (422 TREE_CYCLE, nothing changed)', async () => {
    const { owner, workspace } = await world();
    const top = await create(owner.token, workspace.id, segment, { name: 'Top' });
    const middle = await create(owner.token, workspace.id, segment, { name: 'Middle', [parent]: top.id });
    const bottom = await create(owner.token, workspace.id, segment, { name: 'Bottom', [parent]: middle.id });
    for (const [node, target] of [[top, top], [top, middle], [top, bottom], [middle, bottom]] as const) {
      expectProblem(await move(owner.token, workspace.id, node.id, target.id), 422, 'TREE_CYCLE');
    }
    expect(await read(owner.token, workspace.id, segment, top.id)).toEqual(top);
    expect(await read(owner.token, workspace.id, segment, middle.id)).toEqual(middle);
    // a move that makes no cycle is fine
    expect(expectStatus(await move(owner.token, workspace.id, bottom.id, top.id), 200).json[parent]).toBe(top.id);
  });

  it('two concurrent moves A under B and B under A never make a cycle: at most one succeeds, the other is 422 TREE_CYCLE', async () => {
    const { owner, workspace } = await world();
    const outcomes: string[] = [];
    for (let round = 0; round < 6; round += 1) {
      const a = await create(owner.token, workspace.id, segment, { name: `A${round}` });
      const b = await create(owner.token, workspace.id, segment, { name: `B${round}` });
      const answers = await Promise.all([move(owner.token, workspace.id, a.id, b.id), move(owner.token, workspace.id, b.id, a.id)]);
      outcomes.push(describeAnswers(answers));
      expect(answers.filter((answer) => answer.status === 200).length, outcomes.join('\n')).toBeLessThanOrEqual(1);
      for (const answer of answers.filter((candidate) => candidate.status !== 200)) expectProblem(answer, 422, 'TREE_CYCLE');
      // walk up from both: each path ends at a root and never repeats a node
      for (const node of [a, b]) {
        const crumbs = expectStatus(await call<{ breadcrumb: { id: string }[] }>('GET', path(workspace.id, segment, node.id, 'breadcrumb'), { token: owner.token }), 200).json.breadcrumb;
        const ids = crumbs.map((crumb) => crumb.id);
        expect(new Set(ids).size, `breadcrumb of ${node.name}: ${ids.join(' > ')}`).toBe(ids.length);
        expect(ids.at(-1)).toBe(node.id);
        expect(await read(owner.token, workspace.id, segment, ids[0]!)).not.toHaveProperty(parent);
      }
    }
  });

  it('answers breadcrumbs root first', async () => {
    const { owner, workspace } = await world();
    const house = await create(owner.token, workspace.id, segment, { name: 'House' });
    const garage = await create(owner.token, workspace.id, segment, { name: 'Garage', [parent]: house.id });
    const shelf = await create(owner.token, workspace.id, segment, { name: 'Shelf', [parent]: garage.id });
    const crumbs = (id: string) => call('GET', path(workspace.id, segment, id, 'breadcrumb'), { token: owner.token });
    expect(expectStatus(await crumbs(shelf.id), 200).json).toEqual({ breadcrumb: [house, garage, shelf].map(crumbOf) });
    expect(expectStatus(await crumbs(house.id), 200).json).toEqual({ breadcrumb: [crumbOf(house)] });
    expectProblem(await crumbs(randomUUID()), 404, 'NOT_FOUND');
    // moved up a level, the path follows
    expectStatus(await move(owner.token, workspace.id, shelf.id, house.id), 200);
    expect(expectStatus(await crumbs(shelf.id), 200).json).toEqual({ breadcrumb: [house, shelf].map(crumbOf) });
  });
});

describe('category roots and children', () => {
  it('GET /categories/root lists the parentless ones, /categories/{id}/children the direct children (archived ones only with include_archived=true)', async () => {
    const { owner, workspace } = await world();
    const tools = await create(owner.token, workspace.id, 'categories', { name: 'Tools' });
    const books = await create(owner.token, workspace.id, 'categories', { name: 'books' });
    const saws = await create(owner.token, workspace.id, 'categories', { name: 'Saws', parent_category_id: tools.id });
    const drills = await create(owner.token, workspace.id, 'categories', { name: 'Drills', parent_category_id: tools.id });
    await create(owner.token, workspace.id, 'categories', { name: 'Cordless', parent_category_id: drills.id });
    const old = await create(owner.token, workspace.id, 'categories', { name: 'Axes', parent_category_id: tools.id });
    expectStatus(await call('POST', path(workspace.id, 'categories', old.id, 'archive'), { token: owner.token }), 204);

    const list = async (suffix: string, query: Record<string, string> = {}) =>
      expectStatus(await call<{ items: Entity[] }>('GET', path(workspace.id, 'categories', suffix), { token: owner.token, query }), 200).json.items.map((item) => item.id);
    expect(await list('root')).toEqual([books.id, tools.id]);
    expect(await list(`${tools.id}/children`)).toEqual([drills.id, saws.id]);
    expect(await list(`${tools.id}/children`, { include_archived: 'true' })).toEqual([drills.id, saws.id, old.id]);
    expect(await list(`${books.id}/children`)).toEqual([]);
    expectProblem(await call('GET', path(workspace.id, 'categories', randomUUID(), 'children'), { token: owner.token }), 404, 'NOT_FOUND');

    // a child moved to the top becomes a root
    expectStatus(await call('PATCH', path(workspace.id, 'categories', saws.id), { token: owner.token, body: { parent_category_id: null } }), 200);
    expect(await list('root')).toEqual([books.id, saws.id, tools.id]);
    expect(await list(`${tools.id}/children`)).toEqual([drills.id]);
  });
});

// ---- delete rules

describe('delete rules', () => {
  it('refuses to delete a category with a child category (409 CATEGORY_HAS_CHILDREN, archived children too) until it has none', async () => {
    const { owner, workspace } = await world();
    const tools = await create(owner.token, workspace.id, 'categories', { name: 'Tools' });
    const saws = await create(owner.token, workspace.id, 'categories', { name: 'Saws', parent_category_id: tools.id });
    expectProblem(await call('DELETE', path(workspace.id, 'categories', tools.id), { token: owner.token }), 409, 'CATEGORY_HAS_CHILDREN');
    expectStatus(await call('POST', path(workspace.id, 'categories', saws.id, 'archive'), { token: owner.token }), 204);
    expectProblem(await call('DELETE', path(workspace.id, 'categories', tools.id), { token: owner.token }), 409, 'CATEGORY_HAS_CHILDREN');
    expect(await read(owner.token, workspace.id, 'categories', tools.id)).toEqual(tools);

    expectStatus(await call('PATCH', path(workspace.id, 'categories', saws.id), { token: owner.token, body: { parent_category_id: null } }), 200);
    expectStatus(await call('DELETE', path(workspace.id, 'categories', tools.id), { token: owner.token }), 204);
    expectProblem(await call('GET', path(workspace.id, 'categories', tools.id), { token: owner.token }), 404, 'NOT_FOUND');
    expect(await read(owner.token, workspace.id, 'categories', saws.id)).not.toHaveProperty('parent_category_id');
  });

  it('refuses to delete a location with a child location (LOCATION_HAS_CHILDREN) or a container (LOCATION_HAS_CONTAINERS) until they are gone', async () => {
    const { owner, workspace } = await world();
    const house = await create(owner.token, workspace.id, 'locations', { name: 'House' });
    const attic = await create(owner.token, workspace.id, 'locations', { name: 'Attic', parent_location: house.id });
    const garage = await create(owner.token, workspace.id, 'locations', { name: 'Garage' });
    const crate = await create(owner.token, workspace.id, 'containers', { name: 'Crate', location_id: garage.id });

    expectProblem(await call('DELETE', path(workspace.id, 'locations', house.id), { token: owner.token }), 409, 'LOCATION_HAS_CHILDREN');
    expectProblem(await call('DELETE', path(workspace.id, 'locations', garage.id), { token: owner.token }), 409, 'LOCATION_HAS_CONTAINERS');
    expect(await read(owner.token, workspace.id, 'locations', house.id)).toEqual(house);
    expect(await read(owner.token, workspace.id, 'locations', garage.id)).toEqual(garage);

    expectStatus(await call('DELETE', path(workspace.id, 'locations', attic.id), { token: owner.token }), 204);
    expectStatus(await call('DELETE', path(workspace.id, 'locations', house.id), { token: owner.token }), 204);
    expectProblem(await call('GET', path(workspace.id, 'locations', house.id), { token: owner.token }), 404, 'NOT_FOUND');

    const shed = await create(owner.token, workspace.id, 'locations', { name: 'Shed' });
    expectStatus(await call('PATCH', path(workspace.id, 'containers', crate.id), { token: owner.token, body: { location_id: shed.id } }), 200);
    expectStatus(await call('DELETE', path(workspace.id, 'locations', garage.id), { token: owner.token }), 204);
    expectProblem(await call('GET', path(workspace.id, 'locations', garage.id), { token: owner.token }), 404, 'NOT_FOUND');
    expectProblem(await call('DELETE', path(workspace.id, 'locations', shed.id), { token: owner.token }), 409, 'LOCATION_HAS_CONTAINERS');
  });

  it("refuses a container whose location is not in this workspace (422 REFERENCE_NOT_FOUND at body.location_id)", async () => {
    const { owner, workspace } = await world();
    const other = await createWorkspace(owner.token);
    const foreign = await create(owner.token, other.id, 'locations', { name: 'Foreign' });
    for (const location_id of [randomUUID(), foreign.id]) {
      const problem = expectProblem(await call('POST', path(workspace.id, 'containers'), { token: owner.token, body: { name: 'Box', location_id } }), 422, 'REFERENCE_NOT_FOUND');
      expect(problem.errors?.[0]?.location).toBe('body.location_id');
    }
    const place = await create(owner.token, workspace.id, 'locations', { name: 'Place' });
    const box = await create(owner.token, workspace.id, 'containers', { name: 'Box', location_id: place.id });
    expectProblem(await call('PATCH', path(workspace.id, 'containers', box.id), { token: owner.token, body: { location_id: foreign.id } }), 422, 'REFERENCE_NOT_FOUND');
    expect(await read(owner.token, workspace.id, 'containers', box.id)).toEqual(box);
    // the foreign location counts no container of ours: it can go
    expectStatus(await call('DELETE', path(other.id, 'locations', foreign.id), { token: owner.token }), 204);
  });

  it('a category delete racing a move of another category under it: never both succeed (10 rounds)', async () => {
    const { owner, workspace } = await world();
    const outcomes: string[] = [];
    for (let round = 0; round < 10; round += 1) {
      const parentEntity = await create(owner.token, workspace.id, 'categories', { name: `Parent ${round}` });
      const mover = await create(owner.token, workspace.id, 'categories', { name: `Mover ${round}` });
      const [removal, moved] = await Promise.all([
        call('DELETE', path(workspace.id, 'categories', parentEntity.id), { token: owner.token }),
        call<Entity>('PATCH', path(workspace.id, 'categories', mover.id), { token: owner.token, body: { parent_category_id: parentEntity.id } }),
      ]);
      outcomes.push(`DELETE ${removal.status} ${removal.json?.code ?? ''}, PATCH ${moved.status} ${moved.json?.code ?? ''}`);
      expect(removal.status === 204 && moved.status === 200, `both succeeded:\n${outcomes.join('\n')}`).toBe(false);
      if (removal.status === 204) {
        expectProblem(moved, 422, 'REFERENCE_NOT_FOUND');
        expect(await read(owner.token, workspace.id, 'categories', mover.id)).toEqual(mover);
      } else {
        expectProblem(removal, 409, 'CATEGORY_HAS_CHILDREN');
        expect((await read(owner.token, workspace.id, 'categories', mover.id)).parent_category_id).toBe(parentEntity.id);
      }
    }
  });

  it.each([
    ['category', 'child category', 'categories', 'categories', 'parent_category_id', 'CATEGORY_HAS_CHILDREN'],
    ['location', 'child location', 'locations', 'locations', 'parent_location', 'LOCATION_HAS_CHILDREN'],
    ['location', 'container', 'locations', 'containers', 'location_id', 'LOCATION_HAS_CONTAINERS'],
  ])('a %s delete racing a %s create under it: never both succeed (10 rounds)', async (_parent, _child, parentSegment, childSegment, link, code) => {
    const { owner, workspace } = await world();
    const outcomes: string[] = [];
    for (let round = 0; round < 10; round += 1) {
      const parentEntity = await create(owner.token, workspace.id, parentSegment, { name: `Parent ${round}` });
      const [removal, child] = await Promise.all([
        call('DELETE', path(workspace.id, parentSegment, parentEntity.id), { token: owner.token }),
        call<Entity>('POST', path(workspace.id, childSegment), { token: owner.token, body: { name: `Child ${round}`, [link]: parentEntity.id } }),
      ]);
      const after = await call('GET', path(workspace.id, parentSegment, parentEntity.id), { token: owner.token });
      outcomes.push(`DELETE ${removal.status} ${removal.json?.code ?? ''}, POST ${child.status} ${child.json?.code ?? ''}, GET parent ${after.status}`);
      const context = outcomes.join('\n');
      expect(removal.status === 204 && child.status === 201, `both succeeded:\n${context}`).toBe(false);
      if (removal.status === 204) {
        expectProblem(child, 422, 'REFERENCE_NOT_FOUND');
        expect(after.status, context).toBe(404);
      } else {
        expectProblem(removal, 409, code);
        expectStatus(child, 201);
        expect(after.status, context).toBe(200);
        expect((await read(owner.token, workspace.id, childSegment, child.json.id))[link]).toBe(parentEntity.id);
      }
    }
  });
});

describe('name order', () => {
  // The name indexes end the folded name with U+0001 (below any character a name may hold), so a
  // name sorts before every longer name that continues it (shared/db/keys.ts, nameSortKey).
  it('lists a name before the longer names it begins ("Shelf" before "Shelf 2"), in lists and children', async () => {
    const { owner, workspace } = await world();
    const house = await create(owner.token, workspace.id, 'categories', { name: 'House' });
    for (const name of ['Shelf 2', 'Shelf', 'shelf!']) {
      await create(owner.token, workspace.id, 'locations', { name });
      await create(owner.token, workspace.id, 'categories', { name, parent_category_id: house.id });
      await create(owner.token, workspace.id, 'labels', { name });
    }
    const listed = async (route: string) =>
      expectStatus(await call<{ items: Entity[] }>('GET', `/workspaces/${workspace.id}/${route}`, { token: owner.token }), 200).json.items.map((item) => item.name);
    expect({
      locations: await listed('locations'), labels: await listed('labels'), children: await listed(`categories/${house.id}/children`),
    }).toEqual({ locations: ['Shelf', 'Shelf 2', 'shelf!'], labels: ['Shelf', 'Shelf 2', 'shelf!'], children: ['Shelf', 'Shelf 2', 'shelf!'] });
  });
});

describe('tree depth', () => {
  // A move counts the levels above the new parent and the height of the subtree it moves
  // (shared/domain/catalog/links.ts), so two chains of 11 cannot be joined into a tree 22 deep.
  it('a move never leaves a breadcrumb that misses the root: joining two chains of 11 is refused (422 TREE_TOO_DEEP) or the path still starts at the root', async () => {
    const { owner, workspace } = await world();
    const chain = async (prefix: string) => {
      const ids: string[] = [];
      for (let level = 0; level < 11; level += 1) {
        ids.push((await create(owner.token, workspace.id, 'categories', { name: `${prefix}${level}`, ...(level > 0 ? { parent_category_id: ids.at(-1) } : {}) })).id);
      }
      return ids;
    };
    const upper = await chain('Upper ');
    const lower = await chain('Lower ');
    const moved = await call('PATCH', path(workspace.id, 'categories', lower[0]!), { token: owner.token, body: { parent_category_id: upper.at(-1) } });
    const crumbs = expectStatus(await call<{ breadcrumb: { id: string; name: string }[] }>('GET', path(workspace.id, 'categories', lower.at(-1)!, 'breadcrumb'), { token: owner.token }), 200).json.breadcrumb;
    if (moved.status === 200) {
      expect(crumbs.map((crumb) => crumb.id), `the move was accepted: the breadcrumb must start at the root ${upper[0]}`).toEqual([...upper, ...lower]);
    } else {
      expectProblem(moved, 422, 'TREE_TOO_DEEP');
      expect(crumbs.map((crumb) => crumb.id)).toEqual(lower);
    }
  });
});

describe('concurrent writes', () => {
  it("PATCHes of different fields at once all apply (none loses another's field)", async () => {
    const { owner, workspace } = await world();
    for (let round = 0; round < 2; round += 1) {
      const place = await create(owner.token, workspace.id, 'locations', { name: `Place ${round}` });
      const bodies = [{ zone: 'Z' }, { shelf: 'S' }, { bin: 'B' }, { description: 'D' }, { name: `Renamed ${round}` }, { short_code: `PAR${round}` }];
      const answers = await Promise.all(bodies.map((body) => call('PATCH', path(workspace.id, 'locations', place.id), { token: owner.token, body })));
      for (const answer of answers) expectStatus(answer, 200);
      expect(await read(owner.token, workspace.id, 'locations', place.id)).toEqual({
        ...place, ...Object.assign({}, ...bodies), version: 1 + bodies.length, updated_at: expect.any(String),
      });
    }
  });

  it('containers created and deleted at once at one location are all counted: its delete waits for the last one', async () => {
    const { owner, workspace } = await world();
    const place = await create(owner.token, workspace.id, 'locations', { name: 'Busy' });
    const created = await Promise.all(Array.from({ length: 10 }, (_, index) => create(owner.token, workspace.id, 'containers', { name: `Box ${index}`, location_id: place.id })));
    expectProblem(await call('DELETE', path(workspace.id, 'locations', place.id), { token: owner.token }), 409, 'LOCATION_HAS_CONTAINERS');
    const [last, ...rest] = created;
    for (const answer of await Promise.all(rest.map((box) => call('DELETE', path(workspace.id, 'containers', box.id), { token: owner.token })))) expectStatus(answer, 204);
    expectProblem(await call('DELETE', path(workspace.id, 'locations', place.id), { token: owner.token }), 409, 'LOCATION_HAS_CONTAINERS');
    expectStatus(await call('DELETE', path(workspace.id, 'containers', last!.id), { token: owner.token }), 204);
    expectStatus(await call('DELETE', path(workspace.id, 'locations', place.id), { token: owner.token }), 204);
  });
});

// ---- favorites

describe('favorites', () => {
  const toggle = (token: string, workspaceId: string, favorite_type: string, target_id: string) =>
    call<{ added: boolean }>('POST', `/workspaces/${workspaceId}/favorites`, { token, body: { favorite_type, target_id } });
  const check = async (token: string, workspaceId: string, type: string, id: string) =>
    expectStatus(await call<{ is_favorite: boolean }>('GET', `/workspaces/${workspaceId}/favorites/check/${type}/${id}`, { token }), 200).json.is_favorite;

  it('POST /favorites toggles ({added: true}, then {added: false}) and /favorites/check says which', async () => {
    const { owner, workspace } = await world();
    const place = await create(owner.token, workspace.id, 'locations', { name: 'Place' });
    expect(await check(owner.token, workspace.id, 'LOCATION', place.id)).toBe(false);
    expect(expectStatus(await toggle(owner.token, workspace.id, 'LOCATION', place.id), 200).json).toEqual({ added: true });
    expect(await check(owner.token, workspace.id, 'LOCATION', place.id)).toBe(true);
    expect(expectStatus(await toggle(owner.token, workspace.id, 'LOCATION', place.id), 200).json).toEqual({ added: false });
    expect(await check(owner.token, workspace.id, 'LOCATION', place.id)).toBe(false);
  });

  it("refuses an unknown target, another workspace's, or one of another type (404 FAVORITE_TARGET_NOT_FOUND)", async () => {
    const { owner, workspace } = await world();
    const other = await createWorkspace(owner.token);
    const foreign = await create(owner.token, other.id, 'locations', { name: 'Foreign' });
    const place = await create(owner.token, workspace.id, 'locations', { name: 'Place' });
    for (const [type, id] of [['LOCATION', randomUUID()], ['ITEM', randomUUID()], ['LOCATION', foreign.id], ['CONTAINER', place.id]] as const) {
      expectProblem(await toggle(owner.token, workspace.id, type, id), 404, 'FAVORITE_TARGET_NOT_FOUND');
      expect(await check(owner.token, workspace.id, type, id)).toBe(false);
    }
    expect(expectStatus(await call('GET', `/workspaces/${workspace.id}/favorites`, { token: owner.token }), 200).json.items).toEqual([]);
  });

  it("GET /favorites lists my favorites newest first, never another member's", async () => {
    const { owner, workspace } = await world();
    const member = await signUp();
    await addMember(owner.token, workspace.id, member.id, 'member');
    const garage = await create(owner.token, workspace.id, 'locations', { name: 'Garage' });
    const attic = await create(owner.token, workspace.id, 'locations', { name: 'Attic' });
    const crate = await create(owner.token, workspace.id, 'containers', { name: 'Crate', location_id: garage.id });
    expect(expectStatus(await toggle(owner.token, workspace.id, 'LOCATION', garage.id), 200).json.added).toBe(true);
    expect(expectStatus(await toggle(owner.token, workspace.id, 'CONTAINER', crate.id), 200).json.added).toBe(true);
    expect(expectStatus(await toggle(owner.token, workspace.id, 'LOCATION', attic.id), 200).json.added).toBe(true);
    expect(expectStatus(await toggle(member.token, workspace.id, 'LOCATION', garage.id), 200).json.added).toBe(true);

    const { items: mine, pages } = await allPages<Record<string, string>>(`/workspaces/${workspace.id}/favorites`, owner.token, 2);
    expect(pages).toBe(2);
    expect(mine).toEqual([
      expect.objectContaining({ favorite_type: 'LOCATION', location_id: attic.id, user_id: owner.id, workspace_id: workspace.id }),
      expect.objectContaining({ favorite_type: 'CONTAINER', container_id: crate.id, user_id: owner.id }),
      expect.objectContaining({ favorite_type: 'LOCATION', location_id: garage.id, user_id: owner.id }),
    ]);
    const theirs = expectStatus(await call('GET', `/workspaces/${workspace.id}/favorites`, { token: member.token }), 200).json.items;
    expect(theirs).toEqual([expect.objectContaining({ favorite_type: 'LOCATION', location_id: garage.id, user_id: member.id })]);
    // the member's toggle is the member's own: the owner's favorite stays
    expect(expectStatus(await toggle(member.token, workspace.id, 'LOCATION', garage.id), 200).json.added).toBe(false);
    expect(await check(owner.token, workspace.id, 'LOCATION', garage.id)).toBe(true);
    expect(await check(member.token, workspace.id, 'LOCATION', garage.id)).toBe(false);
  });

  it('lets a viewer keep favorites', async () => {
    const { owner, workspace } = await world();
    const viewer = await signUp();
    await addMember(owner.token, workspace.id, viewer.id, 'viewer');
    const place = await create(owner.token, workspace.id, 'locations', { name: 'Place' });
    expect(expectStatus(await toggle(viewer.token, workspace.id, 'LOCATION', place.id), 200).json).toEqual({ added: true });
    expect(await check(viewer.token, workspace.id, 'LOCATION', place.id)).toBe(true);
    expect(expectStatus(await call('GET', `/workspaces/${workspace.id}/favorites`, { token: viewer.token }), 200).json.items)
      .toEqual([expect.objectContaining({ location_id: place.id, user_id: viewer.id })]);
    expect((await partition(`WS#${workspace.id}#FAVORITES`)).map((item) => item.user_id)).toEqual([viewer.id]);
  });
});
