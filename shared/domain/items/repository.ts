// Item labels: the item holds its labels' ids (`label_ids`, a set: an item's answer and its sync
// record carry them), and a link item per label and item, `WS#{ws}#ITEMLABELS` / `{labelId}#{itemId}`,
// finds a label's items when the label is deleted. Both move in one transaction, with the items'
// collection version (the items lists show `label_ids`).
import * as keys from '../../db/keys.js';
import { cancellationReasons, queryAll, tableName, transactWrite, type TransactItem } from '../../db/table.js';
import { withCollectionBump } from '../workspaces/collections.js';

const linkKey = (workspaceId: string, labelId: string, itemId: string) => ({ PK: `WS#${workspaceId}#ITEMLABELS`, SK: `${labelId}#${itemId}` });

export const itemLabelsPartition = (workspaceId: string) => `WS#${workspaceId}#ITEMLABELS`;

const changingItems = (workspaceId: string, items: TransactItem[]) => transactWrite(withCollectionBump(items, workspaceId, ['ITEM']).items);

/**
 * Puts the label on the item (a new version of it) while both exist; `missing-label`, or
 * `item-refused` (the item is gone or has the label already: nothing written) otherwise.
 */
export async function attachLabel(workspaceId: string, itemId: string, labelId: string, actorId: string): Promise<'attached' | 'item-refused' | 'missing-label'> {
  try {
    await changingItems(workspaceId, [
      {
        Update: {
          TableName: tableName, Key: keys.entity(workspaceId, 'ITEM', itemId),
          UpdateExpression: 'ADD label_ids :label, version :one SET updated_at = :now, updated_by = :actor',
          ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(label_ids) OR NOT contains(label_ids, :id))',
          ExpressionAttributeValues: { ':label': new Set([labelId]), ':id': labelId, ':one': 1, ':now': new Date().toISOString(), ':actor': actorId },
        },
      },
      { ConditionCheck: { TableName: tableName, Key: keys.entity(workspaceId, 'LABEL', labelId), ConditionExpression: 'attribute_exists(PK)' } },
      { Put: { TableName: tableName, Item: { ...linkKey(workspaceId, labelId, itemId), entity: 'ITEM_LABEL', item_id: itemId, label_id: labelId } } },
    ]);
    return 'attached';
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (reasons?.[1] === 'ConditionalCheckFailed') return 'missing-label';
    if (reasons?.[0] === 'ConditionalCheckFailed') return 'item-refused';
    throw error;
  }
}

/** Takes the label off the item (a new version of it); `absent` when it was not on (nothing written). */
export async function detachLabel(workspaceId: string, itemId: string, labelId: string, actorId: string | undefined): Promise<'detached' | 'absent'> {
  try {
    await changingItems(workspaceId, [
      {
        Update: {
          TableName: tableName, Key: keys.entity(workspaceId, 'ITEM', itemId),
          UpdateExpression: `DELETE label_ids :label ADD version :one SET updated_at = :now${actorId ? ', updated_by = :actor' : ''}`,
          ConditionExpression: 'attribute_exists(PK) AND contains(label_ids, :id)',
          ExpressionAttributeValues: { ':label': new Set([labelId]), ':id': labelId, ':one': 1, ':now': new Date().toISOString(), ...(actorId ? { ':actor': actorId } : {}) },
        },
      },
      { Delete: { TableName: tableName, Key: linkKey(workspaceId, labelId, itemId) } },
    ]);
    return 'detached';
  } catch (error) {
    if (cancellationReasons(error)?.[0] === 'ConditionalCheckFailed') return 'absent';
    throw error;
  }
}

/** The items a label is on (to take it off them when it is deleted). */
export async function itemsWithLabel(workspaceId: string, labelId: string): Promise<{ itemId: string; key: { PK: string; SK: string } }[]> {
  const links = await queryAll<{ PK: string; SK: string; item_id: string }>({
    // consistent: a link written just before the label's delete must be found, or the label stays on that item for good
    ConsistentRead: true,
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :label)',
    ExpressionAttributeValues: { ':pk': itemLabelsPartition(workspaceId), ':label': `${labelId}#` },
  });
  return links.map((link) => ({ itemId: link.item_id, key: { PK: link.PK, SK: link.SK } }));
}
