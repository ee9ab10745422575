// Users in the table: the user item, its email guard, and the all-users index.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documents } from '../../aws/dynamodb.js';
import * as keys from '../../db/keys.js';
import { withoutKeys } from '../../db/keys.js';
import { batchGet, getRecord, isConditionFailure, queryPage, readItem, tableName, type Page } from '../../db/table.js';
import { updateParts } from '../../db/update.js';
import type { UserRecord } from './model.js';
import { normaliseEmail } from './model.js';

export const userItem = (user: UserRecord) => ({
  ...keys.user(user.id),
  ...keys.usersIndex(user.created_at, user.id),
  entity: 'USER',
  ...user,
});

export const emailGuardItem = (email: string, userId: string) => ({ ...keys.emailGuard(normaliseEmail(email)), entity: 'UNIQUE_EMAIL', user_id: userId });

export async function getUser(userId: string, consistent = false): Promise<UserRecord | undefined> {
  return getRecord<UserRecord>(keys.user(userId), consistent);
}

/**
 * The user with this email (guard item, then user). With `readEvenIfUnknown`, an unknown email
 * still costs the second read (of a key nobody has), so the two cases take the same work.
 */
export async function findUserByEmail(email: string, options: { readEvenIfUnknown?: boolean } = {}): Promise<UserRecord | undefined> {
  const guard = await readItem(keys.emailGuard(normaliseEmail(email)));
  const userId = guard?.user_id as string | undefined;
  if (userId) return getUser(userId);
  if (options.readEvenIfUnknown) await getUser(unknownUserId);
  return undefined;
}

/** A user id no user has (UUIDs are never all zeros from v7). */
const unknownUserId = '00000000-0000-0000-0000-000000000000';

/** Several users in one BatchGetItem, by id (absent ones are simply missing from the map). */
export async function usersById(userIds: string[]): Promise<Map<string, UserRecord>> {
  const items = await batchGet<Record<string, unknown>>(userIds.map((id) => keys.user(id)));
  return new Map(items.map((item) => [item.id as string, withoutKeys(item) as unknown as UserRecord]));
}

/** Applies a partial change; `missing` when there is no such user, `version-conflict` when If-Match's versions moved on. */
export async function updateUser(
  userId: string,
  changes: Partial<Omit<UserRecord, 'id' | 'created_at' | 'version'>>,
  expectedVersions?: readonly number[],
): Promise<UserRecord | 'missing' | 'version-conflict'> {
  try {
    const result = await documents.send(new UpdateCommand({
      TableName: tableName, Key: keys.user(userId), ...updateParts(changes, { expectedVersions }), ReturnValues: 'ALL_NEW',
    }));
    return withoutKeys(result.Attributes ?? {}) as unknown as UserRecord;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    if (expectedVersions === undefined) return 'missing';
    return (await getUser(userId, true)) ? 'version-conflict' : 'missing';
  }
}

/** Newest first. */
export function listUsers(limit: number, cursor?: string): Promise<Page<UserRecord>> {
  return queryPage<UserRecord>({
    KeyConditionExpression: 'GSI1PK = :users',
    ExpressionAttributeValues: { ':users': 'USERS' },
    ScanIndexForward: false,
  }, {
    limit, cursor,
    list: {
      list: 'users', index: 'GSI1', partition: 'USERS',
      // a user is indexed as `<created_at>#<id>` and stored under USER#<id> / USER
      tableKeyFits: (position) => position.SK === 'USER' && position.GSI1SK!.endsWith(`#${position.PK!.slice('USER#'.length)}`) && position.PK!.startsWith('USER#'),
    },
  });
}

/**
 * Adds session families to the user's list of signed-out sessions, whose access tokens every
 * request then refuses, and drops entries older than `keepMs` (their access tokens have expired).
 * Optimistic: a counter on the user is the condition, so parallel sign-outs never lose an entry.
 */
export async function addRevokedSessions(userId: string, familyIds: readonly string[], at: Date, keepMs: number): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const user = (await getUser(userId, true)) as (UserRecord & { revocations?: number }) | undefined;
    if (!user) return;
    const kept = Object.entries(user.revoked_sessions ?? {}).filter(([, when]) => Date.parse(when) > at.getTime() - keepMs);
    const next = { ...Object.fromEntries(kept), ...Object.fromEntries(familyIds.map((id) => [id, at.toISOString()])) };
    try {
      await documents.send(new UpdateCommand({
        TableName: tableName,
        Key: keys.user(userId),
        UpdateExpression: 'SET revoked_sessions = :next, revocations = :count',
        ConditionExpression: user.revocations === undefined ? 'attribute_exists(PK) AND attribute_not_exists(revocations)' : 'revocations = :seen',
        ExpressionAttributeValues: { ':next': next, ':count': (user.revocations ?? 0) + 1, ...(user.revocations === undefined ? {} : { ':seen': user.revocations }) },
      }));
      return;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
  throw new Error(`Could not record signed-out sessions of user ${userId}: the user kept changing`);
}
