// Favorites live in their workspace's favorites partition, a user's under `USER#<id>#` (so the
// workspace's purge reaches them), and under their target in GSI1 (so a deleted target's
// favorites are found and removed).
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { documents } from '../../aws/dynamodb.js';
import * as keys from '../../db/keys.js';
import { withoutKeys } from '../../db/keys.js';
import { cancellationReasons, isConditionFailure, queryAll, readItem, tableName, transactWrite } from '../../db/table.js';
import { targetOf, type FavoriteRecord, type FavoriteType } from './model.js';

const keyOf = (favorite: Pick<FavoriteRecord, 'workspace_id' | 'user_id' | 'favorite_type'>, targetId: string) =>
  keys.favorite(favorite.workspace_id, favorite.user_id, favorite.favorite_type, targetId);

/**
 * Adds the favorite unless it is there, on condition that its target still exists (a delete
 * racing the toggle cannot leave a favorite of nothing): `added`, `exists` or `no-target`.
 */
export async function addFavorite(favorite: FavoriteRecord): Promise<'added' | 'exists' | 'no-target'> {
  try {
    await transactWrite([
      {
        Put: {
          TableName: tableName,
          Item: {
            ...keyOf(favorite, targetOf(favorite)),
            ...keys.favoriteTargetIndex(favorite.workspace_id, favorite.favorite_type, targetOf(favorite), favorite.user_id),
            entity: 'FAVORITE', ...favorite,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      {
        ConditionCheck: {
          TableName: tableName, Key: keys.entity(favorite.workspace_id, favorite.favorite_type, targetOf(favorite)),
          ConditionExpression: 'attribute_exists(PK)',
        },
      },
    ]);
    return 'added';
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (reasons?.[0] === 'ConditionalCheckFailed') return 'exists';
    if (reasons?.[1] === 'ConditionalCheckFailed') return 'no-target';
    throw error;
  }
}

/** Removes the favorite if it is there: true when removed. */
export async function removeFavorite(workspaceId: string, userId: string, type: FavoriteType, targetId: string): Promise<boolean> {
  try {
    await documents.send(new DeleteCommand({ TableName: tableName, Key: keys.favorite(workspaceId, userId, type, targetId), ConditionExpression: 'attribute_exists(PK)' }));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export async function isFavorite(workspaceId: string, userId: string, type: FavoriteType, targetId: string): Promise<boolean> {
  return (await readItem(keys.favorite(workspaceId, userId, type, targetId), { attributes: ['PK'] })) !== undefined;
}

/** A user's favorites in a workspace (a handful: read whole, paged in memory). */
export async function favoritesOf(workspaceId: string, userId: string): Promise<FavoriteRecord[]> {
  const items = await queryAll<Record<string, unknown>>({
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :user)',
    ExpressionAttributeValues: { ':pk': keys.favorite(workspaceId, userId, '', '').PK, ':user': `USER#${userId}#` },
  });
  return items.map((item) => withoutKeys(item) as unknown as FavoriteRecord);
}

/** Every user's favorite of one target (one per member at most). */
export function favoritesOfTarget(workspaceId: string, type: string, targetId: string): Promise<{ PK: string; SK: string }[]> {
  return queryAll<{ PK: string; SK: string }>({
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.favoriteTargetIndex(workspaceId, type, targetId, '').GSI1PK },
    ProjectionExpression: 'PK, SK',
  });
}

export async function deleteByKey(key: { PK: string; SK: string }): Promise<void> {
  await documents.send(new DeleteCommand({ TableName: tableName, Key: key }));
}
