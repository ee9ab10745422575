// Users in the table: the user item, its email guard, and the all-users index.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documents } from '../../aws/dynamodb.js';
import { keys, withoutKeys } from '../../db/keys.js';
import { batchGet, getRecord, isConditionFailure, queryPage, tableName, type Page } from '../../db/table.js';
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

export async function findUserByEmail(email: string): Promise<UserRecord | undefined> {
  const guard = await documents.send(new GetCommand({ TableName: tableName, Key: keys.emailGuard(normaliseEmail(email)) }));
  const userId = guard.Item?.user_id as string | undefined;
  return userId ? getUser(userId) : undefined;
}

/** Several users in one BatchGetItem, by id (absent ones are simply missing from the map). */
export async function usersById(userIds: string[]): Promise<Map<string, UserRecord>> {
  const items = await batchGet<Record<string, unknown>>(userIds.map((id) => keys.user(id)));
  return new Map(items.map((item) => [item.id as string, withoutKeys(item) as unknown as UserRecord]));
}

/** Applies a partial change; undefined when the user does not exist (or the version moved). */
export async function updateUser(userId: string, changes: Partial<Omit<UserRecord, 'id' | 'created_at' | 'version'>>): Promise<UserRecord | undefined> {
  try {
    const result = await documents.send(new UpdateCommand({
      TableName: tableName, Key: keys.user(userId), ...updateParts(changes), ReturnValues: 'ALL_NEW',
    }));
    return withoutKeys(result.Attributes ?? {}) as unknown as UserRecord;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/** Newest first. */
export function listUsers(limit: number, cursor?: string): Promise<Page<UserRecord>> {
  return queryPage<UserRecord>({
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :users',
    ExpressionAttributeValues: { ':users': 'USERS' },
    ScanIndexForward: false,
  }, { limit, cursor, partition: { name: 'GSI1PK', value: 'USERS' } });
}
