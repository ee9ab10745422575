// Sessions, login throttles, reset tokens and the account-creation transaction.
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documents } from '../../aws/dynamodb.js';
import { keys, ttlAt } from '../../db/keys.js';
import { cancellationReasons, getRecord, isConditionFailure, putIfAbsent, queryAll, tableName, transactWrite } from '../../db/table.js';
import type { UserRecord } from '../users/model.js';
import { emailGuardItem, userItem } from '../users/repository.js';
import type { MemberRecord, WorkspaceRecord } from '../workspaces/model.js';
import { workspaceCreationWrites } from '../workspaces/repository.js';
import { loginThrottle, spentHashesKept, type SessionFamily } from './model.js';

/** The user, their email guard and their personal workspace with its owner: all or nothing. */
export async function createAccount(user: UserRecord, workspace: WorkspaceRecord, owner: MemberRecord): Promise<'created' | 'email-taken' | 'slug-taken'> {
  try {
    await transactWrite([
      putIfAbsent(userItem(user)),
      putIfAbsent(emailGuardItem(user.email, user.id)),
      ...workspaceCreationWrites(workspace, owner),
    ]);
    return 'created';
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (reasons?.[1] === 'ConditionalCheckFailed') return 'email-taken';
    if (reasons?.[3] === 'ConditionalCheckFailed') return 'slug-taken';
    throw error;
  }
}

const sessionItem = (family: SessionFamily) => ({
  ...keys.session(family.user_id, family.family_id),
  entity: 'SESSION',
  ttl: ttlAt(new Date(family.expires_at)),
  ...family,
});

export async function putSession(family: SessionFamily): Promise<void> {
  await documents.send(new PutCommand({ TableName: tableName, Item: sessionItem(family), ConditionExpression: 'attribute_not_exists(PK)' }));
}

export async function getSession(userId: string, familyId: string): Promise<SessionFamily | undefined> {
  return getRecord<SessionFamily>(keys.session(userId, familyId), true);
}

/**
 * Moves the family to its next token, only if nobody else did first (the generation and hash
 * are still the ones presented) and it is not revoked. False when it lost that race.
 */
export async function rotateSession(family: SessionFamily, newHash: string, usedAt: string): Promise<boolean> {
  const spent = [family.token_hash, ...family.spent_hashes].slice(0, spentHashesKept);
  try {
    await documents.send(new UpdateCommand({
      TableName: tableName,
      Key: keys.session(family.user_id, family.family_id),
      UpdateExpression: 'SET generation = :next, token_hash = :hash, spent_hashes = :spent, last_used_at = :at',
      ConditionExpression: 'generation = :generation AND token_hash = :presented AND attribute_not_exists(revoked_at)',
      ExpressionAttributeValues: { ':next': family.generation + 1, ':hash': newHash, ':spent': spent, ':at': usedAt, ':generation': family.generation, ':presented': family.token_hash },
    }));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export async function revokeSession(userId: string, familyId: string, revokedAt: string): Promise<void> {
  try {
    await documents.send(new UpdateCommand({
      TableName: tableName,
      Key: keys.session(userId, familyId),
      UpdateExpression: 'SET revoked_at = if_not_exists(revoked_at, :at)',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':at': revokedAt },
    }));
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/** Every session family of a user (a handful: one per signed-in device). */
export function listSessions(userId: string): Promise<SessionFamily[]> {
  return queryAll<SessionFamily>({
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': `USER#${userId}`, ':prefix': 'SESSION#' },
  });
}

export interface ThrottleState {
  failures: number;
  window_started_at: string;
}

export async function getLoginThrottle(email: string): Promise<ThrottleState | undefined> {
  const result = await documents.send(new GetCommand({ TableName: tableName, Key: keys.loginThrottle(email) }));
  return result.Item as ThrottleState | undefined;
}

/** Counts one failure in the open window, or opens a new window. */
export async function recordLoginFailure(email: string, now: Date): Promise<void> {
  const windowStart = new Date(now.getTime() - loginThrottle.windowSeconds * 1000).toISOString();
  try {
    await documents.send(new UpdateCommand({
      TableName: tableName,
      Key: keys.loginThrottle(email),
      UpdateExpression: 'ADD failures :one',
      ConditionExpression: 'window_started_at > :windowStart',
      ExpressionAttributeValues: { ':one': 1, ':windowStart': windowStart },
    }));
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const expires = new Date(now.getTime() + loginThrottle.windowSeconds * 1000);
    await documents.send(new PutCommand({
      TableName: tableName,
      Item: { ...keys.loginThrottle(email), entity: 'THROTTLE', failures: 1, window_started_at: now.toISOString(), ttl: ttlAt(expires) },
    }));
  }
}

export async function clearLoginThrottle(email: string): Promise<void> {
  await documents.send(new DeleteCommand({ TableName: tableName, Key: keys.loginThrottle(email) }));
}

export interface ResetToken {
  user_id: string;
  expires_at: string;
}

export async function putResetToken(tokenHash: string, token: ResetToken): Promise<void> {
  await documents.send(new PutCommand({
    TableName: tableName,
    Item: { ...keys.passwordReset(tokenHash), entity: 'PASSWORD_RESET', ttl: ttlAt(new Date(token.expires_at)), ...token },
  }));
}

export async function getResetToken(tokenHash: string): Promise<ResetToken | undefined> {
  const result = await documents.send(new GetCommand({ TableName: tableName, Key: keys.passwordReset(tokenHash), ConsistentRead: true }));
  return result.Item as ResetToken | undefined;
}

/**
 * Spends the token and sets the password in one transaction, and moves the user's
 * `sessions_valid_after` so every session and access token issued before is refused.
 * False when the token was spent meanwhile.
 */
export async function resetPassword(tokenHash: string, userId: string, passwordHash: string, at: string): Promise<boolean> {
  try {
    await transactWrite([
      { Delete: { TableName: tableName, Key: keys.passwordReset(tokenHash), ConditionExpression: 'attribute_exists(PK) AND user_id = :user', ExpressionAttributeValues: { ':user': userId } } },
      {
        Update: {
          TableName: tableName,
          Key: keys.user(userId),
          UpdateExpression: 'SET password_hash = :hash, sessions_valid_after = :at, updated_at = :at, version = version + :one',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':hash': passwordHash, ':at': at, ':one': 1 },
        },
      },
    ]);
    return true;
  } catch (error) {
    if (cancellationReasons(error)) return false;
    throw error;
  }
}
