// The sync batch's plans, without a server: every call an operation makes is a route of the route
// table (method and path), so a renamed or removed route cannot leave the batch calling nothing;
// and what each answer of a route becomes (success, conflict, error) follows the batch's rules.
import { describe, expect, it } from 'vitest';
import { routeTable } from '../../shared/contract/index.js';
import { batchOperations, batchTypes } from '../../shared/contract/sync.js';
import { runOperation, type Answer, type BatchOperation, type Call } from '../../shared/domain/sync/batch.js';

const workspaceId = '0193a5e2-7c1a-7b3e-9f00-aaaaaaaaaaaa';
const entityId = '0193a5e2-7c1a-7b3e-9f00-000000001001';
const routes = routeTable.map((contract) => ({ method: contract.method, pattern: new RegExp(`^${contract.path.replace(/\{\w+\}/g, '[^/]+')}$`), id: contract.id }));
const routeOf = (call: Call) => routes.find((route) => route.method === call.method && route.pattern.test(call.path))?.id;

/** A server that answers every call as its route would when all goes well; records the calls. */
function server(override: (call: Call) => Answer | undefined = () => undefined) {
  const calls: Call[] = [];
  const entity = (version: number) => ({ id: entityId, version, updated_at: '2026-12-01T10:00:00.000Z', is_archived: false });
  return {
    calls,
    call: async (call: Call): Promise<Answer> => {
      calls.push(call);
      const overridden = override(call);
      if (overridden) return overridden;
      if (call.method === 'GET') return { status: 200, body: entity(2) };
      if (call.method === 'DELETE' || call.path.endsWith('/archive')) return { status: 204, body: undefined };
      if (call.method === 'POST' && !call.path.endsWith('/return')) return { status: 201, body: entity(1) };
      return { status: 200, body: entity((call.ifMatch ?? 2) + 1) };
    },
  };
}

describe('the sync batch', () => {
  it('calls only routes of the route table, for every operation of every type', async () => {
    let planned = 0;
    for (const entity_type of batchTypes) {
      for (const operation of batchOperations) {
        const fake = server();
        const data = entity_type === 'inventory' && operation === 'update' ? { notes: 'x', status: 'IN_USE' } : { name: 'x' };
        const result = await runOperation(workspaceId, { operation, entity_type, entity_id: entityId, data, version: 2 }, 0, fake.call);
        const supported = operation === 'create' || (entity_type === 'loan') === (operation === 'return');
        expect(result.status, `${operation} ${entity_type}`).toBe(supported ? 'success' : 'error');
        for (const call of fake.calls) {
          expect(routeOf(call), `${operation} ${entity_type}: ${call.method} ${call.path}`).toBeDefined();
          planned += 1;
        }
      }
    }
    expect(planned).toBeGreaterThanOrEqual(30);
  });

  it('a create sends the client id as the body\'s id; a replay (200) or a deleted id (410 ENTITY_DELETED) is a success', async () => {
    const fake = server();
    await runOperation(workspaceId, { operation: 'create', entity_type: 'label', entity_id: entityId, data: { name: 'x' } }, 0, fake.call);
    expect(fake.calls[0]).toMatchObject({ method: 'POST', path: `/workspaces/${workspaceId}/labels`, body: { name: 'x', id: entityId } });
    const gone = server(() => ({ status: 410, body: { code: 'ENTITY_DELETED', detail: 'deleted' } }));
    expect(await runOperation(workspaceId, { operation: 'create', entity_type: 'label', entity_id: entityId, data: { name: 'x' } }, 3, gone.call))
      .toEqual({ index: 3, status: 'success', entity_id: entityId, server_data: null });
  });

  it('updated_at: a server change after it is a conflict (nothing written); otherwise the write names the version read', async () => {
    const operation: BatchOperation = { operation: 'update', entity_type: 'item', entity_id: entityId, updated_at: '2026-12-01T09:00:00.000Z', data: { name: 'y' } };
    const behind = server();
    expect(await runOperation(workspaceId, operation, 0, behind.call)).toMatchObject({ status: 'conflict', server_data: { version: 2 } });
    expect(behind.calls.map((call) => call.method)).toEqual(['GET']);
    const current = server();
    expect(await runOperation(workspaceId, { ...operation, updated_at: '2026-12-01T10:00:00.000Z' }, 0, current.call)).toMatchObject({ status: 'success' });
    expect(current.calls[1]).toMatchObject({ method: 'PATCH', ifMatch: 2 });
  });

  it('a 412 is a conflict with the entity now; a route\'s problem is the operation\'s error, with its field errors', async () => {
    const stale = server((call) => (call.method === 'PATCH' ? { status: 412, body: { code: 'VERSION_CONFLICT', detail: 'moved on' } } : undefined));
    expect(await runOperation(workspaceId, { operation: 'update', entity_type: 'label', entity_id: entityId, version: 1, data: {} }, 0, stale.call))
      .toMatchObject({ status: 'conflict', error_code: 'VERSION_CONFLICT', server_data: { id: entityId, version: 2 } });
    const invalid = server(() => ({ status: 422, body: { code: 'VALIDATION_FAILED', detail: 'bad', errors: [{ location: 'body.name', message: 'is required' }] } }));
    expect(await runOperation(workspaceId, { operation: 'create', entity_type: 'label', data: {} }, 1, invalid.call))
      .toEqual({ index: 1, status: 'error', error_code: 'VALIDATION_FAILED', error: 'bad', errors: [{ location: 'body.name', message: 'is required' }] });
  });
});

describe('Idempotency-Key', () => {
  it('is honoured by the handler of every route whose contract declares it (the wrapper is given { idempotency })', async () => {
    const { routeEntry } = await import('../../infra/functions.js');
    const declared = routeTable.filter((contract) => contract.idempotent);
    expect(declared.map((contract) => contract.id).sort()).toEqual(['createInventory', 'createItem', 'createLoan', 'syncBatch']);
    for (const contract of routeTable) {
      const entry = routeEntry(contract);
      const handler = (await import(`../../${entry.module}`))[entry.export] as { idempotent: boolean };
      expect(handler.idempotent, contract.id).toBe(contract.idempotent === true);
    }
  });
});
