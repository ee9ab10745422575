// Movements are listed three ways, newest first: the workspace's (its partition), an inventory
// row's (GSI2) and a location's (GSI3, out of it and into it). A movement may belong to two rows
// (a split) and two locations (a move between them); an index holds one entry per item, so the
// movement is written once more, as a posting in a partition of its own, carrying the second
// row and the second location. Both items are written by the move's transaction.
import * as keys from '../../db/keys.js';
import type { KeyList } from '../../db/cursor.js';
import { queryPage, tableName, type Page, type TransactItem } from '../../db/table.js';
import { movementOfItem, type MovementRecord } from './model.js';

/** The items a movement is written as (one, or two when it has a second row or location). */
export function movementWrites(movement: MovementRecord): TransactItem[] {
  const ws = movement.workspace_id;
  const put = (key: Record<string, string>, item: Record<string, unknown>): TransactItem =>
    ({ Put: { TableName: tableName, Item: { ...key, ...item, ...movement }, ConditionExpression: 'attribute_not_exists(PK)' } });
  const writes = [put(keys.movement(ws, movement.id), {
    entity: 'MOVEMENT',
    ...keys.movementsOfInventoryIndex(ws, movement.inventory_id, movement.id),
    ...keys.movementsOfLocationIndex(ws, movement.from_location_id, movement.id),
  })];
  const secondRow = movement.to_inventory_id;
  const secondLocation = movement.to_location_id !== movement.from_location_id ? movement.to_location_id : undefined;
  if (secondRow || secondLocation) {
    writes.push(put(keys.movementPosting(ws, movement.id), {
      entity: 'MOVEMENT_POSTING',
      ...(secondRow ? keys.movementsOfInventoryIndex(ws, secondRow, movement.id) : {}),
      ...(secondLocation ? keys.movementsOfLocationIndex(ws, secondLocation, movement.id) : {}),
    }));
  }
  return writes;
}

async function newestFirst(list: KeyList, condition: { KeyConditionExpression: string; ExpressionAttributeValues: Record<string, unknown> }, limit: number, cursor?: string): Promise<Page<MovementRecord>> {
  const page = await queryPage<Record<string, unknown>>({ ...condition, ScanIndexForward: false }, { limit, cursor, list });
  return { ...page, items: page.items.map(movementOfItem) };
}

export function listMovements(workspaceId: string, limit: number, cursor?: string): Promise<Page<MovementRecord>> {
  const partition = keys.movement(workspaceId, '').PK;
  return newestFirst({ list: 'movements', partition }, { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': partition } }, limit, cursor);
}

/** An index list: its entries are movements or their postings, each under its own id. */
function indexList(workspaceId: string, index: 'GSI2' | 'GSI3', partition: string): KeyList {
  const partitions = [keys.movement(workspaceId, '').PK, keys.movementPosting(workspaceId, '').PK];
  return {
    list: `movements.${index}`, index, partition,
    tableKeyFits: (position) => partitions.includes(position.PK ?? '') && position.SK === position[`${index}SK`],
  };
}

export function listMovementsOfInventory(workspaceId: string, inventoryId: string, limit: number, cursor?: string): Promise<Page<MovementRecord>> {
  const partition = keys.movementsOfInventoryIndex(workspaceId, inventoryId, '').GSI2PK;
  return newestFirst(indexList(workspaceId, 'GSI2', partition), { KeyConditionExpression: 'GSI2PK = :pk', ExpressionAttributeValues: { ':pk': partition } }, limit, cursor);
}

export function listMovementsOfLocation(workspaceId: string, locationId: string, limit: number, cursor?: string): Promise<Page<MovementRecord>> {
  const partition = keys.movementsOfLocationIndex(workspaceId, locationId, '').GSI3PK;
  return newestFirst(indexList(workspaceId, 'GSI3', partition), { KeyConditionExpression: 'GSI3PK = :pk', ExpressionAttributeValues: { ':pk': partition } }, limit, cursor);
}
