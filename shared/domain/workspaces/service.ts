// Workspaces and members: the rules the role alone cannot say. The route table already made
// sure the caller is a member with the route's role; this adds owners, self and last-owner.
import { attachmentSettings } from '../../config.js';
import type { WorkspaceRole } from '../../contract/route.js';
import type { Caller, WorkspaceScope } from '../../http/caller.js';
import { VersionConflict } from '../errors.js';
import { lostRace, settleRace } from '../races.js';
import type { IfMatch } from '../../http/conditional.js';
import { newId } from '../ids.js';
import type { NotificationRecord } from '../notifications/model.js';
import { normaliseEmail, type UserRecord } from '../users/model.js';
import { findUserByEmail, getUser, usersById } from '../users/repository.js';
import { pageInMemory } from '../paging.js';
import {
  AlreadyAMember, CannotChangeOwnRole, LastOwner, MemberNotFound, OwnerRequired, PersonalWorkspace, RoleTooLow,
  SlugTaken, UserToAddNotFound, WorkspaceAccessDenied, WorkspaceNotFound,
} from './errors.js';
import { atLeast, type MemberRecord, type WorkspaceRecord } from './model.js';
import * as repository from './repository.js';

/** A workspace as answers show it: with the caller's role and what its attachments take up. */
export const workspaceView = (workspace: WorkspaceRecord, role: WorkspaceRole) => ({
  ...workspace, role,
  storage: { bytes: workspace.storage_bytes ?? 0, attachments: workspace.attachment_count ?? 0, quota_bytes: attachmentSettings().quotaBytes },
});
export const memberView = (member: MemberRecord, user: Pick<UserRecord, 'email' | 'full_name'> | undefined) => ({
  ...member, email: user?.email ?? '', full_name: user?.full_name ?? '',
});

export async function listMine(caller: Caller, limit: number, cursor?: string) {
  const memberships = await repository.listMembershipsOf(caller.user.id);
  const roles = new Map(memberships.map((member) => [member.workspace_id, member.role]));
  const workspaces = (await repository.batchGetWorkspaces([...roles.keys()])).filter((workspace) => workspace.status === 'active');
  const views = workspaces.map((workspace) => workspaceView(workspace, roles.get(workspace.id)!));
  return pageInMemory('workspaces.mine', views, (view) => `${view.name.toLowerCase()}\u0000${view.id}`, limit, cursor);
}

export async function getBySlug(caller: Caller, slug: string) {
  const workspaceId = await repository.findWorkspaceIdBySlug(slug);
  if (!workspaceId) throw WorkspaceNotFound();
  const access = await repository.loadAccess(caller.user.id, workspaceId);
  if (!access.workspace || access.workspace.status !== 'active') throw WorkspaceNotFound();
  if (!access.member) throw WorkspaceAccessDenied();
  return workspaceView(access.workspace, access.member.role);
}

export async function create(caller: Caller, input: { name: string; slug: string; description?: string | null }) {
  const now = new Date().toISOString();
  const workspace: WorkspaceRecord = {
    id: newId(), name: input.name, slug: input.slug, ...(input.description ? { description: input.description } : {}),
    is_personal: false, owner_count: 1, status: 'active', created_by: caller.user.id, created_at: now, updated_at: now, version: 1,
  };
  const owner: MemberRecord = { id: newId(), workspace_id: workspace.id, user_id: caller.user.id, role: 'owner', created_at: now, updated_at: now, version: 1 };
  if ((await repository.createWorkspace(workspace, owner)) === 'slug-taken') throw SlugTaken();
  return workspaceView(workspace, 'owner');
}

export async function update(scope: WorkspaceScope, changes: { name?: string; slug?: string; description?: string | null }, ifMatch: IfMatch) {
  const expectedVersions = ifMatch.versionsFor(scope.workspace.id);
  let current = scope.workspace;
  // A slug change races any other slug change (each deletes the guard of the slug it read).
  await settleRace(async (round) => {
    if (round > 0) {
      const fresh = await repository.getWorkspace(current.id, true);
      if (!fresh || fresh.status !== 'active') throw WorkspaceAccessDenied();
      current = fresh;
    }
    const outcome = await repository.updateWorkspace(current, changes, expectedVersions);
    if (outcome === 'slug-taken') throw SlugTaken();
    if (outcome === 'version-conflict') throw VersionConflict();
    if (outcome === 'missing') throw WorkspaceAccessDenied();
    return outcome === 'stale' ? lostRace : outcome;
  }, { conditional: false });
  const updated = await repository.getWorkspace(scope.workspace.id, true);
  return workspaceView(updated!, scope.role);
}

/**
 * Marks the workspace deleted at once; the purge-workspaces job removes its contents. The
 * workspace was read when the request was authorized; if it changed since (a new slug, whose
 * guard the transaction deletes), the write is refused, so read it again and retry. A workspace
 * another request is already deleting counts as deleted.
 */
export async function remove(scope: WorkspaceScope, ifMatch: IfMatch): Promise<void> {
  if (scope.workspace.is_personal) throw PersonalWorkspace();
  const expectedVersions = ifMatch.versionsFor(scope.workspace.id);
  let workspace: WorkspaceRecord = scope.workspace;
  await settleRace(async (round) => {
    if (round > 0) {
      const fresh = await repository.getWorkspace(scope.workspace.id, true);
      if (!fresh || fresh.status !== 'active') return 'done';
      workspace = fresh;
    }
    if (expectedVersions && !expectedVersions.includes(workspace.version)) throw VersionConflict();
    return (await repository.markWorkspaceDeleting(workspace, new Date().toISOString(), expectedVersions)) ? 'done' : lostRace;
  }, { conditional: false });
}

export async function listMembers(scope: WorkspaceScope, limit: number, cursor?: string) {
  const members = await repository.listMembers(scope.workspace.id);
  const page = pageInMemory('members', members, (member) => `${member.created_at}\u0000${member.user_id}`, limit, cursor);
  const users = await usersById(page.items.map((member) => member.user_id));
  return { ...page, items: page.items.map((member) => memberView(member, users.get(member.user_id))) };
}

export async function getMember(scope: WorkspaceScope, userId: string) {
  const member = await repository.getMember(scope.workspace.id, userId);
  if (!member) throw MemberNotFound();
  return memberView(member, await getUser(userId));
}

export async function addMember(caller: Caller, scope: WorkspaceScope, input: { user_id?: string; email?: string; role: WorkspaceRole }) {
  if (input.role === 'owner' && scope.role !== 'owner') throw OwnerRequired();
  const user = input.user_id ? await getUser(input.user_id) : await findUserByEmail(normaliseEmail(input.email!));
  if (!user || !user.is_active) throw UserToAddNotFound();
  const now = new Date().toISOString();
  const member: MemberRecord = {
    id: newId(), workspace_id: scope.workspace.id, user_id: user.id, role: input.role, invited_by: caller.user.id,
    created_at: now, updated_at: now, version: 1,
  };
  const notification: NotificationRecord = {
    id: newId(), user_id: user.id, workspace_id: scope.workspace.id, notification_type: 'MEMBER_JOINED',
    title: `You joined ${scope.workspace.name}`,
    message: `${caller.user.full_name} added you to ${scope.workspace.name} as ${input.role}.`,
    is_read: false, metadata: { role: input.role, invited_by: caller.user.id }, created_at: now,
  };
  const outcome = await repository.addMember(member, notification);
  if (outcome === 'workspace-gone') throw WorkspaceAccessDenied();
  if (outcome !== 'done') throw AlreadyAMember();
  return memberView(member, user);
}

/** Reads the member, checking an If-Match against what was read. */
async function currentMember(scope: WorkspaceScope, userId: string, expectedVersions: number[] | undefined): Promise<MemberRecord> {
  const member = await repository.getMember(scope.workspace.id, userId);
  if (!member) throw MemberNotFound();
  if (expectedVersions && !expectedVersions.includes(member.version)) throw VersionConflict();
  return member;
}

export async function changeRole(caller: Caller, scope: WorkspaceScope, userId: string, role: WorkspaceRole, ifMatch: IfMatch) {
  if (userId === caller.user.id) throw CannotChangeOwnRole();
  const first = await repository.getMember(scope.workspace.id, userId);
  if (!first) throw MemberNotFound();
  const expectedVersions = ifMatch.versionsFor(first.id);
  await settleRace(async (round) => {
    const member = round === 0 ? first : await currentMember(scope, userId, expectedVersions);
    if (round === 0 && expectedVersions && !expectedVersions.includes(member.version)) throw VersionConflict();
    if ((member.role === 'owner' || role === 'owner') && scope.role !== 'owner') throw OwnerRequired();
    if (member.role === role) return 'done';
    const outcome = await repository.changeRole(member, role, new Date().toISOString());
    if (outcome === 'last-owner') throw LastOwner();
    return outcome === 'conflict' ? lostRace : outcome;
  }, { conditional: expectedVersions !== undefined });
  return getMember(scope, userId);
}

/** Leaving is open to every member; removing someone else takes an admin, an owner an owner. */
export async function removeMember(caller: Caller, scope: WorkspaceScope, userId: string, ifMatch: IfMatch): Promise<void> {
  const leaving = userId === caller.user.id;
  if (!leaving && !atLeast(scope.role, 'admin')) throw RoleTooLow('Removing another member needs the admin role.');
  const first = leaving ? scope.member : await repository.getMember(scope.workspace.id, userId);
  if (!first) throw MemberNotFound();
  const expectedVersions = ifMatch.versionsFor(first.id);
  await settleRace(async (round) => {
    const member = round === 0 ? first : await currentMember(scope, userId, expectedVersions);
    if (round === 0 && expectedVersions && !expectedVersions.includes(member.version)) throw VersionConflict();
    if (member.role === 'owner' && !leaving && scope.role !== 'owner') throw OwnerRequired();
    const outcome = await repository.removeMember(member);
    if (outcome === 'last-owner') throw LastOwner();
    return outcome === 'conflict' ? lostRace : outcome;
  }, { conditional: expectedVersions !== undefined });
}
