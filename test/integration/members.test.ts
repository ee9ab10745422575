// Members of a workspace: adding (by id or email, with a notification), listing, roles, leaving,
// removing, and the owner rules (only owners touch owners; the last owner stays).
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  addMember, allPages, call, createWorkspace, expectProblem, expectStatus, signUp, uniqueEmail,
  type MemberShape, type WorkspaceShape,
} from './support/api.js';
import { getItem } from './support/table.js';

const membersPath = (workspaceId: string, userId?: string) => `/workspaces/${workspaceId}/members${userId ? `/${userId}` : ''}`;

async function ownerCount(workspaceId: string): Promise<number> {
  return Number((await getItem({ PK: `WS#${workspaceId}`, SK: 'WS' }))?.owner_count);
}

async function owners(token: string, workspaceId: string): Promise<string[]> {
  const { items } = await allPages<MemberShape>(membersPath(workspaceId), token, 100);
  return items.filter((member) => member.role === 'owner').map((member) => member.user_id);
}

/** A workspace with an owner and, for each role asked for, a signed-in member holding it. */
async function team<R extends MemberShape['role']>(...roles: R[]) {
  const owner = await signUp();
  const workspace = await createWorkspace(owner.token);
  const members = [];
  for (const role of roles) {
    const user = await signUp();
    await addMember(owner.token, workspace.id, user.id, role);
    members.push(user);
  }
  return { owner, workspace, members };
}

describe('POST /workspaces/{workspace_id}/members', () => {
  it('adds a registered user by user_id (201); they see the workspace and are notified', async () => {
    const { owner, workspace } = await team();
    const user = await signUp();
    const response = await call<MemberShape>('POST', membersPath(workspace.id), { token: owner.token, body: { user_id: user.id, role: 'member' } });
    expectStatus(response, 201);
    expect(response.json).toMatchObject({
      workspace_id: workspace.id, user_id: user.id, role: 'member', email: user.email, full_name: user.fullName, invited_by: owner.id, version: 1,
    });

    const mine = expectStatus(await call<{ items: WorkspaceShape[] }>('GET', '/workspaces', { token: user.token }), 200).json.items;
    expect(mine.find((item) => item.id === workspace.id)).toMatchObject({ role: 'member', is_personal: false });
    const notifications = expectStatus(await call('GET', '/notifications', { token: user.token }), 200).json.items;
    expect(notifications).toEqual([expect.objectContaining({
      notification_type: 'MEMBER_JOINED', workspace_id: workspace.id, user_id: user.id, is_read: false,
      metadata: { role: 'member', invited_by: owner.id },
    })]);
    expect(notifications[0].title).toContain(workspace.name);
    expectStatus(await call('GET', `/workspaces/${workspace.id}`, { token: user.token }), 200);
  });

  it('adds a registered user by email, in any case (201)', async () => {
    const { owner, workspace } = await team();
    const user = await signUp();
    const response = await call<MemberShape>('POST', membersPath(workspace.id), { token: owner.token, body: { email: user.email.toUpperCase(), role: 'viewer' } });
    expectStatus(response, 201);
    expect(response.json).toMatchObject({ user_id: user.id, role: 'viewer', email: user.email });
    const mine = expectStatus(await call<{ items: WorkspaceShape[] }>('GET', '/workspaces', { token: user.token }), 200).json.items;
    expect(mine.find((item) => item.id === workspace.id)?.role).toBe('viewer');
    const count = expectStatus(await call('GET', '/notifications/unread/count', { token: user.token }), 200);
    expect(count.json).toEqual({ count: 1 });
  });

  it('refuses a second membership with 409 ALREADY_A_MEMBER, and sends no second notification', async () => {
    const { owner, workspace, members: [member] } = await team('member');
    expectProblem(await call('POST', membersPath(workspace.id), { token: owner.token, body: { user_id: member!.id, role: 'admin' } }), 409, 'ALREADY_A_MEMBER');
    expectProblem(await call('POST', membersPath(workspace.id), { token: owner.token, body: { email: member!.email, role: 'viewer' } }), 409, 'ALREADY_A_MEMBER');
    expectProblem(await call('POST', membersPath(workspace.id), { token: owner.token, body: { user_id: owner.id, role: 'viewer' } }), 409, 'ALREADY_A_MEMBER');
    expect(expectStatus(await call<MemberShape>('GET', membersPath(workspace.id, member!.id), { token: owner.token }), 200).json.role).toBe('member');
    expect(expectStatus(await call('GET', '/notifications/unread/count', { token: member!.token }), 200).json).toEqual({ count: 1 });
  });

  it('answers 404 USER_NOT_FOUND for an unknown user_id or email', async () => {
    const { owner, workspace } = await team();
    expectProblem(await call('POST', membersPath(workspace.id), { token: owner.token, body: { user_id: randomUUID(), role: 'member' } }), 404, 'USER_NOT_FOUND');
    expectProblem(await call('POST', membersPath(workspace.id), { token: owner.token, body: { email: uniqueEmail('nobody'), role: 'member' } }), 404, 'USER_NOT_FOUND');
  });

  it('needs exactly one of user_id and email (422)', async () => {
    const { owner, workspace } = await team();
    const user = await signUp();
    expectProblem(await call('POST', membersPath(workspace.id), { token: owner.token, body: { role: 'member' } }), 422, 'VALIDATION_FAILED');
    expectProblem(await call('POST', membersPath(workspace.id), { token: owner.token, body: { user_id: user.id, email: user.email, role: 'member' } }), 422, 'VALIDATION_FAILED');
  });

  it('only an owner adds an owner: an admin gets 403 OWNER_REQUIRED, an owner 201', async () => {
    const { owner, workspace, members: [admin] } = await team('admin');
    const user = await signUp();
    expectProblem(await call('POST', membersPath(workspace.id), { token: admin!.token, body: { user_id: user.id, role: 'owner' } }), 403, 'OWNER_REQUIRED');
    expectStatus(await call('POST', membersPath(workspace.id), { token: admin!.token, body: { user_id: user.id, role: 'admin' } }), 201);
    const other = await signUp();
    const added = expectStatus(await call<MemberShape>('POST', membersPath(workspace.id), { token: owner.token, body: { user_id: other.id, role: 'owner' } }), 201);
    expect(added.json.role).toBe('owner');
    expect(await ownerCount(workspace.id)).toBe(2);
  });
});

describe('adding a member while the workspace is deleted', () => {
  it('never answers ALREADY_A_MEMBER for someone who is not one: the workspace is gone (403)', async () => {
    const owner = await signUp();
    const outcomes: string[] = [];
    for (let round = 0; round < 8; round += 1) {
      const workspace = await createWorkspace(owner.token);
      const user = await signUp();
      const [added, removal] = await Promise.all([
        call('POST', membersPath(workspace.id), { token: owner.token, body: { user_id: user.id, role: round % 2 ? 'owner' : 'member' } }),
        call('DELETE', `/workspaces/${workspace.id}`, { token: owner.token }),
      ]);
      outcomes.push(`POST members ${added.status} ${added.json?.code ?? ''}, DELETE ${removal.status}`);
      expect(removal.status, outcomes.join('\n')).toBe(204);
      expect(['201 ', '403 WORKSPACE_ACCESS_DENIED'], outcomes.join('\n')).toContain(`${added.status} ${added.json?.code ?? ''}`);
      const unread = expectStatus(await call('GET', '/notifications/unread/count', { token: user.token }), 200).json.count;
      expect(unread, 'a notification only for a membership that was made').toBe(added.status === 201 ? 1 : 0);
    }
  });
});

describe('GET /workspaces/{workspace_id}/members', () => {
  it('lists members oldest first, one page at a time', async () => {
    const { owner, workspace, members } = await team('admin', 'member', 'viewer');
    const { items, pages } = await allPages<MemberShape>(membersPath(workspace.id), owner.token, 1);
    expect(pages).toBe(4);
    expect(items.map((member) => member.user_id)).toEqual([owner.id, ...members.map((member) => member.id)]);
    expect(items.map((member) => member.role)).toEqual(['owner', 'admin', 'member', 'viewer']);
    expect(items.map((member) => member.email)).toEqual([owner.email, ...members.map((member) => member.email)]);
    // a viewer may read the list and one member
    const asViewer = await allPages<MemberShape>(membersPath(workspace.id), members[2]!.token, 2);
    expect(asViewer.items.map((member) => member.user_id)).toEqual(items.map((member) => member.user_id));
    const one = expectStatus(await call<MemberShape>('GET', membersPath(workspace.id, members[0]!.id), { token: members[2]!.token }), 200);
    expect(one.json).toMatchObject({ user_id: members[0]!.id, role: 'admin' });
    expectProblem(await call('GET', membersPath(workspace.id, randomUUID()), { token: owner.token }), 404, 'NOT_FOUND');
  });

  it('a member answer is not 304 once the member renamed themselves (name and email are part of it)', async () => {
    const { owner, workspace, members: [member] } = await team('member');
    const before = expectStatus(await call<MemberShape>('GET', membersPath(workspace.id, member!.id), { token: owner.token }), 200);
    const etag = before.headers.get('etag')!;
    expect((await call('GET', membersPath(workspace.id, member!.id), { token: owner.token, headers: { 'if-none-match': etag } })).status).toBe(304);

    expectStatus(await call('PATCH', '/users/me', { token: member!.token, body: { full_name: 'Renamed Member' } }), 200);
    const after = await call<MemberShape>('GET', membersPath(workspace.id, member!.id), { token: owner.token, headers: { 'if-none-match': etag } });
    expect(after.status, 'answered 304 with the old name').toBe(200);
    expect(after.json.full_name).toBe('Renamed Member');
  });
});

describe('PATCH /workspaces/{workspace_id}/members/{user_id}', () => {
  it('lets an admin change a non-owner role', async () => {
    const { workspace, members: [admin, member] } = await team('admin', 'member');
    const changed = expectStatus(await call<MemberShape>('PATCH', membersPath(workspace.id, member!.id), { token: admin!.token, body: { role: 'viewer' } }), 200);
    expect(changed.json).toMatchObject({ user_id: member!.id, role: 'viewer', version: 2 });
    // and the new role holds from the member's next request
    expectProblem(await call('PATCH', `/workspaces/${workspace.id}`, { token: member!.token, body: { name: 'nope' } }), 403, 'ROLE_TOO_LOW');
  });

  it('refuses to change your own role (409 CANNOT_CHANGE_OWN_ROLE)', async () => {
    const { owner, workspace, members: [admin] } = await team('admin');
    expectProblem(await call('PATCH', membersPath(workspace.id, owner.id), { token: owner.token, body: { role: 'admin' } }), 409, 'CANNOT_CHANGE_OWN_ROLE');
    expectProblem(await call('PATCH', membersPath(workspace.id, admin!.id), { token: admin!.token, body: { role: 'viewer' } }), 409, 'CANNOT_CHANGE_OWN_ROLE');
    expect(await owners(owner.token, workspace.id)).toEqual([owner.id]);
  });

  it('only an owner makes or unmakes an owner; demoting one of two owners leaves one, who then cannot leave', async () => {
    const { owner: a, workspace, members: [b, admin] } = await team('owner', 'admin');
    expect(await ownerCount(workspace.id)).toBe(2);
    expectProblem(await call('PATCH', membersPath(workspace.id, b!.id), { token: admin!.token, body: { role: 'admin' } }), 403, 'OWNER_REQUIRED');
    const promoted = await signUp();
    await addMember(a.token, workspace.id, promoted.id, 'member');
    expectProblem(await call('PATCH', membersPath(workspace.id, promoted.id), { token: admin!.token, body: { role: 'owner' } }), 403, 'OWNER_REQUIRED');

    const demoted = expectStatus(await call<MemberShape>('PATCH', membersPath(workspace.id, b!.id), { token: a.token, body: { role: 'admin' } }), 200);
    expect(demoted.json.role).toBe('admin');
    expect(await ownerCount(workspace.id)).toBe(1);

    // B is an admin now and cannot touch the owner
    expectProblem(await call('PATCH', membersPath(workspace.id, a.id), { token: b!.token, body: { role: 'admin' } }), 403, 'OWNER_REQUIRED');
    expectProblem(await call('DELETE', membersPath(workspace.id, a.id), { token: b!.token }), 403, 'OWNER_REQUIRED');
    // the last owner cannot leave
    expectProblem(await call('DELETE', membersPath(workspace.id, a.id), { token: a.token }), 409, 'LAST_OWNER');
    expect(await owners(a.token, workspace.id)).toEqual([a.id]);
    expect(await ownerCount(workspace.id)).toBe(1);
  });

  it('two owners demoting each other at once: exactly one succeeds and one owner remains', async () => {
    const { owner: a, workspace, members: [b] } = await team('owner');
    const answers = await Promise.all([
      call('PATCH', membersPath(workspace.id, b!.id), { token: a.token, body: { role: 'admin' } }),
      call('PATCH', membersPath(workspace.id, a.id), { token: b!.token, body: { role: 'admin' } }),
    ]);
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses.filter((status) => status === 200), answers.map((answer) => answer.text).join('\n')).toHaveLength(1);
    // the loser either saw the other's demotion already (it is no owner now) or lost the write
    const loser = answers.find((answer) => answer.status !== 200)!;
    expect(['403 OWNER_REQUIRED', '409 LAST_OWNER'], loser.text).toContain(`${loser.status} ${loser.json?.code}`);
    expect(await owners(a.token, workspace.id).catch(() => owners(b!.token, workspace.id))).toHaveLength(1);
    expect(await ownerCount(workspace.id)).toBe(1);
  });
});

describe('DELETE /workspaces/{workspace_id}/members/{user_id}', () => {
  it('lets any member leave (a viewer: 204); the workspace is gone for them at once', async () => {
    const { owner, workspace, members: [viewer] } = await team('viewer');
    expectStatus(await call('DELETE', membersPath(workspace.id, viewer!.id), { token: viewer!.token }), 204);
    expectProblem(await call('GET', `/workspaces/${workspace.id}`, { token: viewer!.token }), 403, 'WORKSPACE_ACCESS_DENIED');
    const mine = expectStatus(await call<{ items: WorkspaceShape[] }>('GET', '/workspaces', { token: viewer!.token }), 200).json.items;
    expect(mine.map((item) => item.id)).not.toContain(workspace.id);
    expectProblem(await call('GET', membersPath(workspace.id, viewer!.id), { token: owner.token }), 404, 'NOT_FOUND');
  });

  it('two owners leaving at once: exactly one succeeds, the other is the last owner (409)', async () => {
    const { owner: a, workspace, members: [b] } = await team('owner');
    const answers = await Promise.all([
      call('DELETE', membersPath(workspace.id, a.id), { token: a.token }),
      call('DELETE', membersPath(workspace.id, b!.id), { token: b!.token }),
    ]);
    const detail = answers.map((answer) => `${answer.status} ${answer.text}`).join('\n');
    expect(answers.map((answer) => answer.status).sort(), detail).toEqual([204, 409]);
    const refused = answers.find((answer) => answer.status === 409)!;
    expect(refused.json.code).toBe('LAST_OWNER');
    const remaining = answers[0]!.status === 409 ? a : b!;
    expect(await owners(remaining.token, workspace.id)).toEqual([remaining.id]);
    expect(await ownerCount(workspace.id)).toBe(1);
  });

  it('removing someone else: an admin removes a member, but not an owner (403 OWNER_REQUIRED); an owner removes an owner', async () => {
    const { owner, workspace, members: [admin, member, coOwner] } = await team('admin', 'member', 'owner');
    expectStatus(await call('DELETE', membersPath(workspace.id, member!.id), { token: admin!.token }), 204);
    expectProblem(await call('GET', `/workspaces/${workspace.id}`, { token: member!.token }), 403, 'WORKSPACE_ACCESS_DENIED');
    expectProblem(await call('DELETE', membersPath(workspace.id, owner.id), { token: admin!.token }), 403, 'OWNER_REQUIRED');
    expectProblem(await call('DELETE', membersPath(workspace.id, coOwner!.id), { token: admin!.token }), 403, 'OWNER_REQUIRED');
    expectStatus(await call('DELETE', membersPath(workspace.id, coOwner!.id), { token: owner.token }), 204);
    expect(await ownerCount(workspace.id)).toBe(1);
    expectProblem(await call('DELETE', membersPath(workspace.id, randomUUID()), { token: owner.token }), 404, 'NOT_FOUND');
  });

  it('a viewer cannot remove someone else (403 ROLE_TOO_LOW)', async () => {
    const { owner, workspace, members: [viewer, member] } = await team('viewer', 'member');
    expectProblem(await call('DELETE', membersPath(workspace.id, member!.id), { token: viewer!.token }), 403, 'ROLE_TOO_LOW');
    expectProblem(await call('DELETE', membersPath(workspace.id, owner.id), { token: member!.token }), 403, 'ROLE_TOO_LOW');
    expectStatus(await call('GET', membersPath(workspace.id, member!.id), { token: owner.token }), 200);
  });
});
