// The sync batch and replay safety (issue 11), over real HTTP: creates with the client's own ids
// (later operations naming earlier ones), replays that change nothing, conflicts that carry the
// server's entity, deletes and returns replayed, what each route refuses reported per operation,
// and Idempotency-Key on creates and on the batch itself.
import { describe, expect, it } from 'vitest';
import { newId } from '../../shared/domain/ids.js';
import { call, createWorkspace, expectProblem, expectStatus, signUp } from './support/api.js';

type Entity = Record<string, unknown> & { id: string; version: number };
interface BatchAnswer {
  results: { index: number; status: string; entity_id?: string; error_code?: string; error?: string; errors?: { location: string }[]; server_data?: Entity | null }[];
  succeeded: number;
  failed: number;
  conflicts: number;
}

async function seeded() {
  const owner = await signUp();
  const workspace = await createWorkspace(owner.token);
  const base = `/workspaces/${workspace.id}`;
  const batch = async (operations: unknown[], headers: Record<string, string> = {}) =>
    expectStatus(await call<BatchAnswer>('POST', `${base}/sync/batch`, { token: owner.token, body: { operations }, headers }), 200);
  return { owner, token: owner.token, workspaceId: workspace.id, base, batch };
}

const get = async (token: string, path: string) => expectStatus(await call<Entity>('GET', path, { token }), 200).json;

describe('the sync batch', () => {
  it('creates with client ids, in order (an inventory row at a location made earlier in the batch); replayed, nothing changes', async () => {
    const { token, base, batch } = await seeded();
    const shed = newId();
    const drill = newId();
    const row = newId();
    const operations = [
      { operation: 'create', entity_type: 'location', entity_id: shed, data: { name: 'Shed' } },
      { operation: 'create', entity_type: 'item', entity_id: drill, data: { name: 'Drill', brand: 'Bosch' } },
      { operation: 'create', entity_type: 'inventory', entity_id: row, data: { item_id: drill, location_id: shed, quantity: 2 } },
    ];
    const first = (await batch(operations)).json;
    expect(first).toMatchObject({ succeeded: 3, failed: 0, conflicts: 0 });
    expect(first.results.map((result) => [result.status, result.entity_id])).toEqual([['success', shed], ['success', drill], ['success', row]]);
    // the server's own values come back (a generated SKU and short code), so the client need not sync to learn them
    expect(first.results[1]!.server_data).toMatchObject({ id: drill, name: 'Drill', version: 1 });
    expect(typeof first.results[1]!.server_data!.sku).toBe('string');

    // sent again (the phone never saw the answer), twice: the same successes, and nothing new or changed
    for (let replay = 0; replay < 2; replay += 1) {
      const again = (await batch(operations)).json;
      expect(again).toMatchObject({ succeeded: 3, failed: 0, conflicts: 0 });
      expect(again.results[1]!.server_data).toMatchObject({ id: drill, sku: first.results[1]!.server_data!.sku, version: 1 });
    }
    expect((await get(token, `${base}/items/${drill}`)).version).toBe(1);
    expect((await get(token, `${base}/inventory/${row}`)).quantity).toBe(2);
    const rows = expectStatus(await call('GET', `${base}/inventory/by-item/${drill}`, { token }), 200).json.items as Entity[];
    expect(rows.map((entity) => entity.id)).toEqual([row]);
    const total = expectStatus(await call('GET', `${base}/inventory/total-quantity/${drill}`, { token }), 200).json;
    expect(total).toMatchObject({ total_quantity: 2 });
  });

  it('a REST create with the client id answers 201, then 200 with the entity as it is now; the id of a deleted one answers 410', async () => {
    const { token, base } = await seeded();
    const id = newId();
    const created = expectStatus(await call<Entity>('POST', `${base}/labels`, { token, body: { id, name: 'Fragile' } }), 201);
    expect(created.json.id).toBe(id);
    expect(created.headers.get('location')).toBe(`${base}/labels/${id}`);
    expectStatus(await call('PATCH', `${base}/labels/${id}`, { token, body: { color: '#FF0000' } }), 200);
    const replayed = expectStatus(await call<Entity>('POST', `${base}/labels`, { token, body: { id, name: 'Fragile' } }), 200);
    expect(replayed.json).toMatchObject({ id, color: '#FF0000', version: 2 });

    expectStatus(await call('DELETE', `${base}/labels/${id}`, { token }), 204);
    expectProblem(await call('POST', `${base}/labels`, { token, body: { id, name: 'Fragile' } }), 410, 'ENTITY_DELETED');
    expectProblem(await call('GET', `${base}/labels/${id}`, { token }), 404, 'NOT_FOUND');

    // ids the client makes are UUIDv7 in lower case, and not timed far ahead
    const refused = expectProblem(await call('POST', `${base}/labels`, { token, body: { id: crypto.randomUUID(), name: 'v4' } }), 422, 'VALIDATION_FAILED');
    expect(refused.errors?.[0]?.location).toBe('body.id');
    const ahead = `${(Date.now() + 7 * 86_400_000).toString(16).padStart(12, '0').replace(/^(.{8})(.{4})$/, '$1-$2')}-7000-8000-000000000000`;
    expectProblem(await call('POST', `${base}/labels`, { token, body: { id: ahead, name: 'Future' } }), 422, 'VALIDATION_FAILED');
  });

  it('conflicts carry the server\'s entity: a version behind, or an updated_at before the server\'s; a current version applies', async () => {
    const { token, base, batch } = await seeded();
    const item = expectStatus(await call<Entity>('POST', `${base}/items`, { token, body: { name: 'Ladder' } }), 201).json;
    expectStatus(await call('PATCH', `${base}/items/${item.id}`, { token, body: { brand: 'Zarges' } }), 200); // version 2, elsewhere
    const answer = (await batch([
      { operation: 'update', entity_type: 'item', entity_id: item.id, version: 1, data: { brand: 'Hailo' } },
      { operation: 'update', entity_type: 'item', entity_id: item.id, updated_at: item.updated_at, data: { brand: 'Hailo' } },
      { operation: 'delete', entity_type: 'item', entity_id: item.id, version: 1 },
      { operation: 'update', entity_type: 'item', entity_id: item.id, version: 2, data: { model: 'L8' } },
    ])).json;
    // an item has no DELETE: its delete archives it (with the version it was given)
    const archived = (await batch([{ operation: 'delete', entity_type: 'item', entity_id: item.id, version: 3 }])).json;
    expect(archived.results[0]).toMatchObject({ status: 'success', server_data: { is_archived: true, version: 4 } });
    expect(answer, JSON.stringify(answer.results)).toMatchObject({ succeeded: 1, failed: 0, conflicts: 3 });
    for (const conflict of answer.results.slice(0, 3)) {
      expect(conflict).toMatchObject({ status: 'conflict', entity_id: item.id, error_code: 'VERSION_CONFLICT' });
      expect(conflict.server_data).toMatchObject({ id: item.id, brand: 'Zarges', version: 2 });
    }
    expect(answer.results[3]).toMatchObject({ status: 'success', server_data: { brand: 'Zarges', model: 'L8', version: 3 } });
    expect(await get(token, `${base}/items/${item.id}`)).toMatchObject({ brand: 'Zarges', model: 'L8', version: 4 });
  });

  it('deletes, returns and archives replay as successes; what a route refuses is that operation\'s error, the others still run', async () => {
    const { token, base, batch } = await seeded();
    const shelf = newId();
    const box = newId();
    const friend = newId();
    const row = newId();
    const loan = newId();
    const item = expectStatus(await call<Entity>('POST', `${base}/items`, { token, body: { name: 'Tent' } }), 201).json;
    const made = (await batch([
      { operation: 'create', entity_type: 'location', entity_id: shelf, data: { name: 'Shelf' } },
      { operation: 'create', entity_type: 'container', entity_id: box, data: { name: 'Box', location_id: shelf } },
      { operation: 'create', entity_type: 'borrower', entity_id: friend, data: { name: 'Sam' } },
      { operation: 'create', entity_type: 'inventory', entity_id: row, data: { item_id: item.id, location_id: shelf, quantity: 3 } },
      { operation: 'create', entity_type: 'loan', entity_id: loan, data: { inventory_id: row, borrower_id: friend, quantity: 2 } },
      { operation: 'create', entity_type: 'category', data: {} },
      { operation: 'create', entity_type: 'container', data: { name: 'Lost', location_id: newId() } },
      { operation: 'update', entity_type: 'loan', entity_id: loan, data: { notes: 'x' } },
      { operation: 'update', entity_type: 'inventory', entity_id: row, data: { quantity: 1 } },
      { operation: 'update', entity_type: 'inventory', entity_id: row, data: { notes: 'top shelf', status: 'IN_USE' } },
    ])).json;
    expect(made.results.map((result) => result.status)).toEqual(['success', 'success', 'success', 'success', 'success', 'error', 'error', 'error', 'error', 'success']);
    expect(made.results[5]).toMatchObject({ error_code: 'VALIDATION_FAILED' });
    expect(made.results[5]!.errors?.map((error) => error.location)).toContain('body.name');
    expect(made.results[6]).toMatchObject({ error_code: 'REFERENCE_NOT_FOUND' });
    expect(made.results[7]).toMatchObject({ error_code: 'UNSUPPORTED_OPERATION' });
    expect(made.results[8]).toMatchObject({ error_code: 'QUANTITY_BELOW_ON_LOAN' });
    expect(made.results[9]!.server_data).toMatchObject({ notes: 'top shelf', status: 'IN_USE' });
    expect(made).toMatchObject({ succeeded: 6, failed: 4, conflicts: 0 });

    const ending = [
      { operation: 'return', entity_type: 'loan', entity_id: loan },
      { operation: 'delete', entity_type: 'container', entity_id: box },
      { operation: 'delete', entity_type: 'borrower', entity_id: friend },
    ];
    for (let round = 0; round < 2; round += 1) {
      const answer = (await batch(ending)).json;
      expect(answer, `round ${round}`).toMatchObject({ succeeded: 3, failed: 0, conflicts: 0 });
      expect(answer.results[0]!.server_data).toMatchObject({ id: loan, is_active: false });
      expect(answer.results[1]!.server_data).toBeNull();
      expect(answer.results[2]!.server_data).toMatchObject({ id: friend, is_archived: true });
    }
    expect(await get(token, `${base}/inventory/${row}`)).toMatchObject({ available_quantity: 3 });
    expectProblem(await call('GET', `${base}/containers/${box}`, { token }), 404, 'NOT_FOUND');
    // an update of what was deleted says so; of what never was, NOT_FOUND
    const late = (await batch([
      { operation: 'update', entity_type: 'container', entity_id: box, data: { name: 'Crate' } },
      { operation: 'update', entity_type: 'container', entity_id: newId(), data: { name: 'Crate' } },
      { operation: 'delete', entity_type: 'label' },
    ])).json;
    expect(late.results.map((result) => result.error_code)).toEqual(['ENTITY_DELETED', 'NOT_FOUND', 'MISSING_ENTITY_ID']);
  });

  it('refuses a malformed request as a whole, and viewers', async () => {
    const { owner, token, base, workspaceId } = await seeded();
    expectProblem(await call('POST', `${base}/sync/batch`, { token, body: { operations: [] } }), 422, 'VALIDATION_FAILED');
    const many = Array.from({ length: 101 }, () => ({ operation: 'create', entity_type: 'label', data: { name: 'x' } }));
    expectProblem(await call('POST', `${base}/sync/batch`, { token, body: { operations: many } }), 422, 'VALIDATION_FAILED');
    expectProblem(await call('POST', `${base}/sync/batch`, { token, body: { operations: [{ operation: 'upsert', entity_type: 'label' }] } }), 422, 'VALIDATION_FAILED');
    expectProblem(await call('POST', `${base}/sync/batch`, { token, body: { operations: [{ operation: 'create', entity_type: 'attachment' }] } }), 422, 'VALIDATION_FAILED');
    const viewer = await signUp();
    expectStatus(await call('POST', `/workspaces/${workspaceId}/members`, { token: owner.token, body: { email: viewer.email, role: 'viewer' } }), 201);
    expectProblem(await call('POST', `${base}/sync/batch`, { token: viewer.token, body: { operations: [{ operation: 'create', entity_type: 'label', data: { name: 'x' } }] } }), 403, 'ROLE_TOO_LOW');
  });
});

describe('Idempotency-Key', () => {
  it('a retried create gets the first answer and makes nothing twice; another body is 422; another user\'s key is theirs', async () => {
    const { owner, token, base, workspaceId } = await seeded();
    const key = crypto.randomUUID();
    const first = expectStatus(await call<Entity>('POST', `${base}/items`, { token, body: { name: 'Saw' }, headers: { 'idempotency-key': key } }), 201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const retry = expectStatus(await call<Entity>('POST', `${base}/items`, { token, body: { name: 'Saw' }, headers: { 'idempotency-key': key } }), 201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json).toEqual(first.json);
    expectProblem(await call('POST', `${base}/items`, { token, body: { name: 'Hammer' }, headers: { 'idempotency-key': key } }), 422, 'IDEMPOTENCY_KEY_REUSED');
    expectProblem(await call('POST', `${base}/items`, { token, body: { name: 'Saw' }, headers: { 'idempotency-key': 'bad key with spaces' } }), 422, 'VALIDATION_FAILED');

    const colleague = await signUp();
    expectStatus(await call('POST', `/workspaces/${workspaceId}/members`, { token: owner.token, body: { email: colleague.email, role: 'member' } }), 201);
    const theirs = expectStatus(await call<Entity>('POST', `${base}/items`, { token: colleague.token, body: { name: 'Saw' }, headers: { 'idempotency-key': key } }), 201);
    expect(theirs.json.id).not.toBe(first.json.id);

    const saws = expectStatus(await call('GET', `${base}/items`, { token }), 200).json.items as Entity[];
    expect(saws.filter((item) => item.name === 'Saw')).toHaveLength(2);
  });

  it('parallel duplicates: one runs, the other gets its answer or 409 IDEMPOTENCY_IN_PROGRESS; an error answer is not kept', async () => {
    const { token, base } = await seeded();
    const key = crypto.randomUUID();
    const answers = await Promise.all([0, 1, 2].map(() => call<Entity>('POST', `${base}/items`, { token, body: { name: 'Level' }, headers: { 'idempotency-key': key } })));
    const made = answers.filter((answer) => answer.status === 201 && answer.headers.get('idempotent-replayed') === null);
    expect(made).toHaveLength(1);
    for (const answer of answers) {
      if (answer === made[0]) continue;
      if (answer.status === 409) expectProblem(answer, 409, 'IDEMPOTENCY_IN_PROGRESS');
      else expect(answer.json).toEqual(made[0]!.json);
    }
    const items = expectStatus(await call('GET', `${base}/items`, { token }), 200).json.items as Entity[];
    expect(items.filter((item) => item.name === 'Level')).toHaveLength(1);

    // a refusal is not kept: the same key runs again once the cause is gone
    const sku = `SKU-${Date.now()}`;
    const taken = expectStatus(await call<Entity>('POST', `${base}/items`, { token, body: { name: 'First', sku } }), 201).json;
    const retryKey = crypto.randomUUID();
    expectProblem(await call('POST', `${base}/items`, { token, body: { name: 'Second', sku }, headers: { 'idempotency-key': retryKey } }), 409, 'ITEM_SKU_TAKEN');
    expectStatus(await call('PATCH', `${base}/items/${taken.id}`, { token, body: { sku: `${sku}-OLD` } }), 200);
    expectStatus(await call('POST', `${base}/items`, { token, body: { name: 'Second', sku }, headers: { 'idempotency-key': retryKey } }), 201);
  });

  it('a retried batch gets the first answer, without running any operation again', async () => {
    const { token, base, batch } = await seeded();
    const key = crypto.randomUUID();
    const operations = [{ operation: 'create', entity_type: 'label', data: { name: `Once ${key}` } }];
    const first = await batch(operations, { 'idempotency-key': key });
    const retry = await batch(operations, { 'idempotency-key': key });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json).toEqual(first.json);
    const labels = expectStatus(await call('GET', `${base}/labels`, { token }), 200).json.items as Entity[];
    expect(labels.filter((label) => label.name === `Once ${key}`)).toHaveLength(1);
  });
});
