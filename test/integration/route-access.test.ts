// Access on every route, read from the route table itself, so the checks grow as routes are added:
// - every workspace route refuses a signed-in non-member (403 WORKSPACE_ACCESS_DENIED);
// - every workspace route that needs more than `viewer` refuses a viewer (403 ROLE_TOO_LOW);
// - every route that is not public refuses a request without a token (401 UNAUTHENTICATED).
// Access is settled before the query and body are read, so a minimal body `{}` is enough.
import { beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import * as z from 'zod/mini';
import { isWorkspaceRoute, routeTable, workspaceRoles, type RouteContract } from '../../shared/contract/index.js';
import { addMember, call, createWorkspace, signUp, type ApiResponse, type SignedInUser } from './support/api.js';

type ParamSchema = z.ZodMiniType & { _zod: { def: { type: string; entries?: Record<string, string> } } };

/** A value the route's path schema accepts: the real workspace for {workspace_id}, otherwise a sample. */
function sampleValue(name: string, schema: ParamSchema, workspaceId: string): string | undefined {
  const candidates = [
    ...(name === 'workspace_id' ? [workspaceId] : []),
    uuidv7(),
    ...Object.values(schema._zod.def.entries ?? {}),
    // an entity type of the routes that take one in their path (export): `oneOf` is a checked string, not a zod enum
    'sample', 'sample-1', '1', 'item',
  ];
  return candidates.find((candidate) => z.safeParse(schema, candidate).success);
}

function samplePath(contract: RouteContract, workspaceId: string): string {
  const shape = (contract.params as unknown as { def?: { shape: Record<string, ParamSchema> } } | undefined)?.def?.shape ?? {};
  return contract.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const schema = shape[name];
    const value = schema ? sampleValue(name, schema, workspaceId) : undefined;
    if (value === undefined) throw new Error(`${contract.id}: no sample value for {${name}}; teach sampleValue() about its schema`);
    return encodeURIComponent(value);
  });
}

const label = (contract: RouteContract) => `${contract.method} ${contract.path} (${contract.id}, ${contract.access})`;

async function request(contract: RouteContract, path: string, token?: string): Promise<ApiResponse> {
  return call(contract.method, path, { token, ...(contract.body ? { body: {} } : {}) });
}

/** Calls every route, collecting each one whose answer is not the expected status and code. */
async function expectEvery(contracts: readonly RouteContract[], expected: { status: number; code: string }, send: (contract: RouteContract) => Promise<ApiResponse>) {
  const wrong: string[] = [];
  let checked = 0;
  for (const contract of contracts) {
    const response = await send(contract);
    checked += 1;
    const contentType = response.headers.get('content-type') ?? '';
    if (response.status !== expected.status || response.json?.code !== expected.code || !contentType.startsWith('application/problem+json')) {
      wrong.push(`${label(contract)} → ${response.status} ${contentType} ${response.text}`);
    }
  }
  expect(wrong, `routes that did not answer ${expected.status} ${expected.code}`).toEqual([]);
  return checked;
}

const report = (what: string, count: number, total: number) =>
  process.stdout.write(`route access: ${what}: ${count} of ${total} routes in the route table\n`);

describe('access on every route of the route table', () => {
  const workspaceRoutes = routeTable.filter(isWorkspaceRoute);
  const aboveViewer = workspaceRoutes.filter((contract) => workspaceRoles.indexOf(contract.access as never) > workspaceRoles.indexOf('viewer'));
  const signedInRoutes = routeTable.filter((contract) => contract.access !== 'public');

  let owner: SignedInUser;
  let viewer: SignedInUser;
  let stranger: SignedInUser;
  let workspaceId: string;

  beforeAll(async () => {
    [owner, viewer, stranger] = await Promise.all([signUp(), signUp(), signUp()]);
    workspaceId = (await createWorkspace(owner.token)).id;
    await addMember(owner.token, workspaceId, viewer.id, 'viewer');
  });

  it('the route table has routes of each kind to check', () => {
    expect(workspaceRoutes.length).toBeGreaterThan(0);
    expect(aboveViewer.length).toBeGreaterThan(0);
    expect(signedInRoutes.length).toBeGreaterThan(0);
    // every route declared for a workspace role sits under /workspaces/{workspace_id}
    expect(workspaceRoutes.filter((contract) => !contract.path.startsWith('/workspaces/{workspace_id}')).map(label)).toEqual([]);
  });

  it('every workspace route refuses a signed-in non-member with 403 WORKSPACE_ACCESS_DENIED', async () => {
    const checked = await expectEvery(workspaceRoutes, { status: 403, code: 'WORKSPACE_ACCESS_DENIED' },
      (contract) => request(contract, samplePath(contract, workspaceId), stranger.token));
    report('non-member refused (403 WORKSPACE_ACCESS_DENIED)', checked, workspaceRoutes.length);
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBe(routeTable.filter(isWorkspaceRoute).length);
  });

  it('every workspace route refuses a signed-in user for a workspace that does not exist, the same way', async () => {
    const missing = uuidv7();
    const checked = await expectEvery(workspaceRoutes, { status: 403, code: 'WORKSPACE_ACCESS_DENIED' },
      (contract) => request(contract, samplePath(contract, missing), owner.token));
    report('unknown workspace refused (403 WORKSPACE_ACCESS_DENIED)', checked, workspaceRoutes.length);
    expect(checked).toBe(workspaceRoutes.length);
  });

  it('every workspace route above viewer refuses a viewer with 403 ROLE_TOO_LOW', async () => {
    const checked = await expectEvery(aboveViewer, { status: 403, code: 'ROLE_TOO_LOW' },
      (contract) => request(contract, samplePath(contract, workspaceId), viewer.token));
    report(`viewer refused above viewer (403 ROLE_TOO_LOW; ${aboveViewer.map((contract) => contract.id).join(', ')})`, checked, aboveViewer.length);
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBe(routeTable.filter((contract) => isWorkspaceRoute(contract) && contract.access !== 'viewer').length);
    // the refusals changed nothing: the workspace and its members are as they were
    const members = await call('GET', `/workspaces/${workspaceId}/members`, { token: owner.token });
    expect(members.status).toBe(200);
    expect(members.json.items.map((member: { user_id: string; role: string }) => [member.user_id, member.role])).toEqual([[owner.id, 'owner'], [viewer.id, 'viewer']]);
  });

  it('every route that is not public refuses a request without a token (401 UNAUTHENTICATED)', async () => {
    const checked = await expectEvery(signedInRoutes, { status: 401, code: 'UNAUTHENTICATED' },
      (contract) => request(contract, samplePath(contract, workspaceId)));
    report('no token refused (401 UNAUTHENTICATED)', checked, signedInRoutes.length);
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBe(routeTable.filter((contract) => contract.access !== 'public').length);
  });

  it('every route that is not public refuses a forged or refresh-typed token (401 UNAUTHENTICATED)', async () => {
    const [header, payload] = owner.token.split('.');
    const forged = `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
    let checked = 0;
    for (const token of [forged, owner.refreshToken]) {
      checked = await expectEvery(signedInRoutes, { status: 401, code: 'UNAUTHENTICATED' },
        (contract) => request(contract, samplePath(contract, workspaceId), token));
    }
    report('forged / refresh-typed token refused (401 UNAUTHENTICATED)', checked, signedInRoutes.length);
    expect(checked).toBe(signedInRoutes.length);
  });
});
