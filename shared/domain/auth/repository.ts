// Sessions, login throttles, reset tokens and the account-creation transaction.
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documents } from '../../aws/dynamodb.js';
import * as keys from '../../db/keys.js';
import { ttlAt } from '../../db/keys.js';
import { cancellationReasons, getRecord, isConditionFailure, putIfAbsent, queryAll, readItem, tableName, transactWrite } from '../../db/table.js';
import type { UserRecord } from '../users/model.js';
import { emailGuardItem, userItem } from '../users/repository.js';
import type { MemberRecord, WorkspaceRecord } from '../workspaces/model.js';
import { workspaceCreationWrites } from '../workspaces/repository.js';
import { countUnlessAt, fixedWindow } from '../../db/throttle.js';
import { loginThrottle, spentHashesKept, type SessionFamily } from './model.js';
import { outboxItem, type OutboxMail } from '../mail/outbox.js';

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

/** The fixed window an instant falls in, and when that window ends. */
export const throttleWindow = (now: Date) => fixedWindow(now, loginThrottle.windowSeconds);

/**
 * Counts a sign-in attempt before its password is checked: one for this client and email, one
 * for the email from anywhere. Answers false (throttled) when either counter is at its limit.
 */
export async function countLoginAttempt(email: string, client: string, now: Date): Promise<boolean> {
  const window = throttleWindow(now);
  if (!(await countUnlessAt(keys.loginAttemptsOfClient(email, client, window.index), loginThrottle.maxPerClient, 'LOGIN_THROTTLE', window))) return false;
  return countUnlessAt(keys.loginAttemptsOfEmail(email, window.index), loginThrottle.maxPerEmail, 'LOGIN_THROTTLE', window);
}

/**
 * A successful sign-in: this client's failures are forgiven, and the attempt it made no longer
 * counts towards the email's ceiling (other clients' failures still do).
 */
export async function forgiveLoginAttempts(email: string, client: string, now: Date): Promise<void> {
  const window = throttleWindow(now);
  await Promise.all([
    documents.send(new DeleteCommand({ TableName: tableName, Key: keys.loginAttemptsOfClient(email, client, window.index) })),
    documents.send(new UpdateCommand({
      TableName: tableName,
      Key: keys.loginAttemptsOfEmail(email, window.index),
      UpdateExpression: 'ADD attempts :minus',
      ConditionExpression: 'attempts > :zero',
      ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
    })).catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    }),
  ]);
}

/** Forgets every attempt of this email in the current window (a password reset proves the owner). */
export async function clearLoginAttempts(email: string, now: Date): Promise<void> {
  const window = throttleWindow(now);
  const counters = await queryAll<{ PK: string; SK: string }>({
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.loginAttemptsOfEmail(email, window.index).PK },
    ProjectionExpression: 'PK, SK',
  });
  await Promise.all(counters.map((key) => documents.send(new DeleteCommand({ TableName: tableName, Key: { PK: key.PK, SK: key.SK } }))));
}

export interface ResetToken {
  /** absent on the decoy written for an unknown email (see requestPasswordReset) */
  user_id?: string;
  created_at: string;
  expires_at: string;
}

/**
 * Stores a reset token and the mail carrying it, together: the change feed sends the mail after
 * the request has answered, so a known and an unknown email take the same time to answer.
 */
export async function storeResetRequest(tokenHash: string, token: ResetToken, mail: OutboxMail): Promise<void> {
  await transactWrite([
    putIfAbsent({ ...keys.passwordReset(tokenHash), entity: 'PASSWORD_RESET', ttl: ttlAt(new Date(token.expires_at)), ...token }),
    putIfAbsent(outboxItem(mail)),
  ]);
}

export async function getResetToken(tokenHash: string): Promise<ResetToken | undefined> {
  return (await readItem(keys.passwordReset(tokenHash), { consistent: true })) as ResetToken | undefined;
}

/**
 * Spends the token and sets the password in one transaction, and moves the user's
 * `sessions_valid_after` (every session and access token issued before is refused) and
 * `credentials_changed_at` (every other reset token issued before is refused).
 * False when the token was spent, or outdated by a later password change, meanwhile.
 */
export async function resetPassword(tokenHash: string, token: ResetToken & { user_id: string }, passwordHash: string, at: string): Promise<boolean> {
  try {
    await transactWrite([
      { Delete: { TableName: tableName, Key: keys.passwordReset(tokenHash), ConditionExpression: 'attribute_exists(PK) AND user_id = :user', ExpressionAttributeValues: { ':user': token.user_id } } },
      {
        Update: {
          TableName: tableName,
          Key: keys.user(token.user_id),
          UpdateExpression: 'SET password_hash = :hash, sessions_valid_after = :at, credentials_changed_at = :at, updated_at = :at, version = version + :one',
          // Any password change after this token was issued spends it (and every other one issued before).
          ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(credentials_changed_at) OR credentials_changed_at < :issued)',
          ExpressionAttributeValues: { ':hash': passwordHash, ':at': at, ':one': 1, ':issued': token.created_at },
        },
      },
    ]);
    return true;
  } catch (error) {
    if (cancellationReasons(error)) return false;
    throw error;
  }
}
