// What a stream record means for a workspace's entities: created, changed, archived, restored or
// deleted, by whom and when. Creates and changes come from the entity's own images (a change that
// did not move its version, such as a counter of what links to it, is no change); deletes come
// from the tombstone the delete wrote in its own transaction, which alone knows who deleted.
import type { EntityDefinition } from '../domain/catalog/model.js';
import { definitionOf, publicView } from '../domain/catalog/registry.js';
import { movementOfItem, type MovementRecord } from '../domain/movements/model.js';
import type { Change, Item } from './change.js';

/** `MOVE`: an inventory row moved, or made by a split (a movement was written with it; see `movementOf`). */
export type EntityAction = 'CREATE' | 'UPDATE' | 'ARCHIVE' | 'RESTORE' | 'DELETE' | 'MOVE';

export interface EntityChange {
  workspaceId: string;
  definition: EntityDefinition;
  entityId: string;
  entityName: string;
  action: EntityAction;
  /** who made the change (the entity's `updated_by`, the tombstone's `deleted_by`) */
  actorId: string | undefined;
  /** when it was made, by the writer's clock (`updated_at`, `deleted_at`) */
  at: string;
  /** the entity as the API shows it, before and after (after is absent for a delete) */
  before?: Item;
  after?: Item;
  version?: number;
  /** fields answers derive and nothing stores (an inventory row's `available_quantity`): never a change of their own */
  derived?: readonly string[];
}

export function entityChangeOf(change: Change): EntityChange | undefined {
  if (change.entity === 'TOMBSTONE' && change.operation === 'INSERT' && change.newImage) {
    const tombstone = change.newImage;
    const definition = definitionOf(tombstone.entity_type as string);
    if (!definition) return undefined;
    return {
      workspaceId: tombstone.workspace_id as string, definition, entityId: tombstone.entity_id as string,
      entityName: tombstone.entity_name as string, action: 'DELETE', actorId: tombstone.deleted_by as string | undefined,
      at: tombstone.deleted_at as string,
    };
  }
  const definition = definitionOf(change.entity);
  if (!definition || change.operation === 'REMOVE' || !change.newImage) return undefined;
  const after = change.newImage;
  const before = change.oldImage;
  if (before && before.version === after.version) return undefined; // bookkeeping, not a change anyone made
  const moved = after.last_movement_id !== undefined && after.last_movement_id !== before?.last_movement_id;
  const action: EntityAction = moved ? 'MOVE'
    : !before ? 'CREATE'
      : before.is_archived !== after.is_archived ? (after.is_archived ? 'ARCHIVE' : 'RESTORE')
        : 'UPDATE';
  return {
    workspaceId: after.workspace_id as string, definition, entityId: after.id as string, entityName: (after.name as string | undefined) ?? '',
    action, actorId: after.updated_by as string | undefined, at: after.updated_at as string,
    ...(before ? { before: publicView(definition, before) } : {}), after: publicView(definition, after), version: after.version as number,
    derived: Object.keys(definition.view?.(after) ?? {}).filter((field) => !(field in after) && !(before && field in before)),
  };
}

/** The fields a person changed, old and new (bookkeeping fields left out). */
export function fieldChanges(change: EntityChange): Record<string, { old?: unknown; new?: unknown }> | undefined {
  if (!change.before || !change.after) return undefined;
  const ignored = new Set(['updated_at', 'version', ...(change.derived ?? [])]);
  const names = new Set([...Object.keys(change.before), ...Object.keys(change.after)]);
  const changes: Record<string, { old?: unknown; new?: unknown }> = {};
  for (const name of names) {
    if (ignored.has(name)) continue;
    const old = change.before[name];
    const next = change.after[name];
    if (JSON.stringify(old) !== JSON.stringify(next)) changes[name] = { ...(old === undefined ? {} : { old }), ...(next === undefined ? {} : { new: next }) };
  }
  return Object.keys(changes).length ? changes : undefined;
}

/** A movement written (by a move, with the rows it moved): what the activity log and the change log show of a move. */
export function movementOf(change: Change): MovementRecord | undefined {
  if (change.entity !== 'MOVEMENT' || change.operation !== 'INSERT' || !change.newImage) return undefined;
  return movementOfItem(change.newImage);
}
