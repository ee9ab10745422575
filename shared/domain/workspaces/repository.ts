// Workspaces and memberships in the table. Every invariant is a condition of the write that
// could break it: slugs by guard items, "at least one owner" by `owner_count > 1`, "not a
// member twice" by attribute_not_exists. No read-then-write decides anything here.
import { batchWrite } from '../../db/batch-write.js';
import type { WorkspaceRole } from '../../contract/route.js';
import * as keys from '../../db/keys.js';
import { withoutKeys } from '../../db/keys.js';
import { batchGet, cancellationReasons, getRecord, putIfAbsent, queryAll, queryPage, readItem, tableName, transactWrite, type TransactItem } from '../../db/table.js';
import { updateParts, versionIn } from '../../db/update.js';
import { notificationWrites } from '../notifications/repository.js';
import type { NotificationRecord } from '../notifications/model.js';
import type { UserRecord } from '../users/model.js';
import type { MemberRecord, WorkspaceRecord } from './model.js';

export const workspaceItem = (workspace: WorkspaceRecord) => ({ ...keys.workspace(workspace.id), entity: 'WORKSPACE', ...workspace });
export const slugGuardItem = (slug: string, workspaceId: string) => ({ ...keys.slugGuard(slug), entity: 'UNIQUE_SLUG', workspace_id: workspaceId });
export const memberItem = (member: MemberRecord) => ({
  ...keys.member(member.workspace_id, member.user_id),
  ...keys.memberOfIndex(member.user_id, member.workspace_id),
  entity: 'MEMBER',
  ...member,
});

/** The three writes that create a workspace with its first owner (used by registration too). */
export function workspaceCreationWrites(workspace: WorkspaceRecord, owner: MemberRecord): TransactItem[] {
  return [putIfAbsent(workspaceItem(workspace)), putIfAbsent(slugGuardItem(workspace.slug, workspace.id)), putIfAbsent(memberItem(owner))];
}

export async function createWorkspace(workspace: WorkspaceRecord, owner: MemberRecord): Promise<'created' | 'slug-taken'> {
  try {
    await transactWrite(workspaceCreationWrites(workspace, owner));
    return 'created';
  } catch (error) {
    if (cancellationReasons(error)?.[1] === 'ConditionalCheckFailed') return 'slug-taken';
    throw error;
  }
}

export async function getWorkspace(workspaceId: string, consistent = false): Promise<WorkspaceRecord | undefined> {
  return getRecord<WorkspaceRecord>(keys.workspace(workspaceId), consistent);
}

export async function findWorkspaceIdBySlug(slug: string): Promise<string | undefined> {
  const guard = await readItem(keys.slugGuard(slug));
  return guard?.workspace_id as string | undefined;
}

export interface Access {
  user?: UserRecord;
  workspace?: WorkspaceRecord;
  member?: MemberRecord;
  /** the item of `also`, when asked for: `null` when it does not exist */
  also?: Record<string, unknown> | null;
}

/**
 * The caller, the workspace and the caller's membership: one BatchGetItem, three key reads. A
 * route that reads one item of the workspace anyway (GET of an entity) passes its key as `also`
 * and gets it in the same round trip.
 */
export async function loadAccess(userId: string, workspaceId: string, also?: { PK: string; SK: string }): Promise<Access> {
  const wanted = [keys.user(userId), keys.workspace(workspaceId), keys.member(workspaceId, userId), ...(also ? [also] : [])];
  const items = await batchGet<Record<string, unknown>>(wanted);
  const found = (key: { PK: string; SK: string }) => {
    const item = items.find((candidate) => candidate.PK === key.PK && candidate.SK === key.SK);
    return item ? withoutKeys(item) : undefined;
  };
  const extra = also ? found(also) : undefined;
  return {
    user: found(wanted[0]!) as unknown as UserRecord | undefined,
    workspace: found(wanted[1]!) as unknown as WorkspaceRecord | undefined,
    member: found(wanted[2]!) as unknown as MemberRecord | undefined,
    ...(also ? { also: extra === undefined ? null : { ...extra, entity: items.find((item) => item.PK === also.PK && item.SK === also.SK)?.entity } } : {}),
  };
}

export async function batchGetWorkspaces(workspaceIds: string[]): Promise<WorkspaceRecord[]> {
  const items = await batchGet<Record<string, unknown>>(workspaceIds.map((id) => keys.workspace(id)));
  return items.map((item) => withoutKeys(item) as unknown as WorkspaceRecord);
}

/** A user's memberships through GSI1; bounded by how many workspaces one person joins. */
export function listMembershipsOf(userId: string): Promise<MemberRecord[]> {
  return queryAll<MemberRecord>({
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)',
    ExpressionAttributeValues: { ':pk': `USER#${userId}`, ':prefix': 'MEMBER#' },
  });
}

export function listMembers(workspaceId: string): Promise<MemberRecord[]> {
  return queryAll<MemberRecord>({
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': `WS#${workspaceId}`, ':prefix': 'MEMBER#' },
  });
}

export async function getMember(workspaceId: string, userId: string): Promise<MemberRecord | undefined> {
  return getRecord<MemberRecord>(keys.member(workspaceId, userId));
}

/** `stale`: the slug changed since `current` was read (its guard is no longer this workspace's). */
export type UpdateOutcome = 'updated' | 'missing' | 'version-conflict' | 'slug-taken' | 'stale';

/** Changes a workspace; a new slug swaps the guard items in the same transaction. */
export async function updateWorkspace(
  current: WorkspaceRecord,
  changes: { name?: string; slug?: string; description?: string | null },
  expectedVersions?: readonly number[],
): Promise<UpdateOutcome> {
  const update = updateParts(changes, { expectedVersions, condition: '#status = :active', values: { ':active': 'active' } });
  update.ExpressionAttributeNames['#status'] = 'status';
  const items: TransactItem[] = [{ Update: { TableName: tableName, Key: keys.workspace(current.id), ...update } }];
  const slugChanges = changes.slug !== undefined && changes.slug !== current.slug;
  if (slugChanges) {
    items.push(putIfAbsent(slugGuardItem(changes.slug!, current.id)));
    items.push({ Delete: { TableName: tableName, Key: keys.slugGuard(current.slug), ConditionExpression: 'workspace_id = :id', ExpressionAttributeValues: { ':id': current.id } } });
  }
  try {
    await transactWrite(items);
    return 'updated';
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (!reasons) throw error;
    if (slugChanges && reasons[1] === 'ConditionalCheckFailed') return 'slug-taken';
    if (reasons[0] === 'ConditionalCheckFailed') return expectedVersions === undefined ? 'missing' : 'version-conflict';
    if (slugChanges && reasons[2] === 'ConditionalCheckFailed') return 'stale';
    throw error;
  }
}

/**
 * Deletion, step one: the workspace stops answering at once (status `deleting`), its slug is
 * free again, and it joins the purge index that the purge-workspaces job works through.
 */
export async function markWorkspaceDeleting(workspace: WorkspaceRecord, deletedAt: string, expectedVersions?: readonly number[]): Promise<boolean> {
  const version = versionIn(expectedVersions, 'version');
  try {
    await transactWrite([
      {
        Update: {
          TableName: tableName,
          Key: keys.workspace(workspace.id),
          UpdateExpression: 'SET #status = :deleting, deleted_at = :at, GSI3PK = :purgePk, GSI3SK = :purgeSk, updated_at = :at, version = version + :one',
          ConditionExpression: `#status = :active AND is_personal = :false${version ? ` AND ${version.condition}` : ''}`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':deleting': 'deleting', ':active': 'active', ':false': false, ':at': deletedAt, ':one': 1,
            ':purgePk': keys.purgeIndex(deletedAt, workspace.id).GSI3PK, ':purgeSk': keys.purgeIndex(deletedAt, workspace.id).GSI3SK,
            ...version?.values,
          },
        },
      },
      { Delete: { TableName: tableName, Key: keys.slugGuard(workspace.slug), ConditionExpression: 'workspace_id = :id', ExpressionAttributeValues: { ':id': workspace.id } } },
    ]);
    return true;
  } catch (error) {
    if (cancellationReasons(error)) return false;
    throw error;
  }
}

/** Workspace items whose owner count moves with a role change; `> 1` keeps a last owner. */
function ownerCountChange(workspaceId: string, delta: 1 | -1): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: keys.workspace(workspaceId),
      UpdateExpression: 'ADD owner_count :delta',
      ConditionExpression: delta < 0 ? 'owner_count > :one AND #status = :active' : '#status = :active',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':delta': delta, ':active': 'active', ...(delta < 0 ? { ':one': 1 } : {}) },
    },
  };
}

export type MembershipOutcome = 'done' | 'conflict' | 'last-owner';

function membershipOutcome(error: unknown, ownerCountIndex: number | undefined): MembershipOutcome {
  const reasons = cancellationReasons(error);
  if (!reasons) throw error;
  if (ownerCountIndex !== undefined && reasons[ownerCountIndex] === 'ConditionalCheckFailed') return 'last-owner';
  return 'conflict';
}

/**
 * Adds a member and their MEMBER_JOINED notification together. `workspace-gone` when the
 * workspace stopped being active meanwhile (deleted), `conflict` when the user is a member.
 */
export async function addMember(member: MemberRecord, notification: NotificationRecord): Promise<MembershipOutcome | 'workspace-gone'> {
  const items: TransactItem[] = [putIfAbsent(memberItem(member)), ...notificationWrites(notification)];
  items.push(member.role === 'owner' ? ownerCountChange(member.workspace_id, 1) : {
    ConditionCheck: {
      TableName: tableName, Key: keys.workspace(member.workspace_id), ConditionExpression: '#status = :active',
      ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':active': 'active' },
    },
  });
  try {
    await transactWrite(items);
    return 'done';
  } catch (error) {
    if (cancellationReasons(error)?.[items.length - 1] === 'ConditionalCheckFailed') return 'workspace-gone';
    return membershipOutcome(error, undefined);
  }
}

/** Changes a role if it is still what the caller saw; owner changes move the owner count. */
export async function changeRole(member: MemberRecord, role: WorkspaceRole, updatedAt: string): Promise<MembershipOutcome> {
  // The version read is the condition: the owner count moves with the role that was really there.
  const items: TransactItem[] = [{
    Update: {
      TableName: tableName,
      Key: keys.member(member.workspace_id, member.user_id),
      UpdateExpression: 'SET #role = :role, updated_at = :at, version = version + :one',
      ConditionExpression: 'version = :seen',
      ExpressionAttributeNames: { '#role': 'role' },
      ExpressionAttributeValues: { ':role': role, ':seen': member.version, ':at': updatedAt, ':one': 1 },
    },
  }];
  if (member.role === 'owner' && role !== 'owner') items.push(ownerCountChange(member.workspace_id, -1));
  if (member.role !== 'owner' && role === 'owner') items.push(ownerCountChange(member.workspace_id, 1));
  try {
    await transactWrite(items);
    return 'done';
  } catch (error) {
    return membershipOutcome(error, items.length > 1 ? 1 : undefined);
  }
}

export async function removeMember(member: MemberRecord): Promise<MembershipOutcome> {
  const items: TransactItem[] = [{
    Delete: {
      TableName: tableName,
      Key: keys.member(member.workspace_id, member.user_id),
      ConditionExpression: 'version = :seen',
      ExpressionAttributeValues: { ':seen': member.version },
    },
  }];
  if (member.role === 'owner') items.push(ownerCountChange(member.workspace_id, -1));
  try {
    await transactWrite(items);
    return 'done';
  } catch (error) {
    return membershipOutcome(error, items.length > 1 ? 1 : undefined);
  }
}

/** Workspaces waiting to be purged, oldest deletion first. */
export async function workspacesToPurge(limit: number): Promise<WorkspaceRecord[]> {
  const page = await queryPage<WorkspaceRecord>({
    KeyConditionExpression: 'GSI3PK = :pk',
    ExpressionAttributeValues: { ':pk': 'PURGE#WS' },
  }, { limit, list: { list: 'workspaces.purge', index: 'GSI3', partition: 'PURGE#WS', tableKeyFits: (position) => position.SK === 'WS' } });
  return page.items.map((item) => withoutKeys(item as unknown as Record<string, unknown>) as unknown as WorkspaceRecord);
}

/**
 * Every partition that holds a workspace's data. Domains that add a partition of their own
 * add it here, so the purge reaches it.
 */
export const workspacePartitions = (workspaceId: string) => [
  `WS#${workspaceId}`, `WS#${workspaceId}#UNIQUE`, `WS#${workspaceId}#TOMBSTONES`, `WS#${workspaceId}#FAVORITES`,
  `WS#${workspaceId}#CHANGES`, `WS#${workspaceId}#CHANGES#EVENTS`, `WS#${workspaceId}#ACTIVITY`, `WS#${workspaceId}#ITEMLABELS`,
  `WS#${workspaceId}#MOVES`, `WS#${workspaceId}#MOVES#POSTINGS`, `WS#${workspaceId}#REMINDERS`, keys.idempotencyPartition(workspaceId),
  `WS#${workspaceId}#TERMS`, `WS#${workspaceId}#TYPOS`, keys.job(workspaceId, '').PK,
  keys.analyticsPartition(workspaceId), keys.analyticsApplied(workspaceId, '').PK,
];

/**
 * Deletes one page (up to 100 items) of a workspace's data, the workspace item last. Answers
 * true when nothing is left. Idempotent: deleting what is already gone is no error, so a job
 * that stops halfway simply continues next time.
 */
export async function purgeWorkspacePage(workspaceId: string): Promise<boolean> {
  for (const partition of workspacePartitions(workspaceId)) {
    const page = await queryPage<{ PK: string; SK: string }>({
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': partition },
      ProjectionExpression: 'PK, SK',
    }, { limit: 100, list: { list: 'workspaces.purge.partition', partition } });
    const doomed = page.items.filter((item) => !(item.PK === `WS#${workspaceId}` && item.SK === 'WS'));
    if (doomed.length === 0) continue;
    await batchWrite(doomed.map((item) => ({ DeleteRequest: { Key: { PK: item.PK, SK: item.SK } } })), { what: 'workspace purge' });
    return false;
  }
  await transactWrite([{ Delete: { TableName: tableName, Key: keys.workspace(workspaceId), ConditionExpression: 'attribute_not_exists(PK) OR #status = :deleting', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':deleting': 'deleting' } } }]);
  return true;
}
