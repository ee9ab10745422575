// The activity log: who created, changed, archived, restored, deleted or moved which entity, and
// for a change the fields with their old and new values. Keyed by the stream record: a replay is a
// no-op. A move is one entry, projected from its movement; the rows it wrote (the row moved, a row
// split off) add an entry only for what else the same write changed.
import { putActivity } from '../../../shared/domain/activity/repository.js';
import { activityId, type ActivityRecord } from '../../../shared/domain/activity/model.js';
import { getEntity } from '../../../shared/domain/catalog/repository.js';
import type { EntityDefinition } from '../../../shared/domain/catalog/model.js';
import type { MovementRecord } from '../../../shared/domain/movements/model.js';
import { entityChangeOf, fieldChanges, movementOf, type EntityChange } from '../../../shared/stream/entity-change.js';
import type { Change } from '../../../shared/stream/change.js';
import type { Projector } from '../../../shared/stream/projector.js';

/** What a move changes on its own: the row's place, and (a split) its quantity. */
const moveFields = new Set(['location_id', 'container_id', 'quantity', 'available_quantity']);

/** The name an entry shows: the entity's own, or for one without a name (an inventory row) its linked entity's. */
async function nameOf(workspaceId: string, definition: EntityDefinition | undefined, own: string, image: Record<string, unknown> | undefined): Promise<string> {
  const from = definition?.nameFrom;
  if (own || !from || typeof image?.[from.field] !== 'string') return own;
  return (await getEntity({ type: from.type }, workspaceId, image[from.field] as string))?.name ?? '';
}

/** What an entry says: a loan is made (`LOAN`) and returned (`RETURN`: stored as its archive). */
function actionOf(entity: EntityChange): ActivityRecord['action'] {
  if (entity.action === 'MOVE') return 'UPDATE';
  if (entity.definition.type === 'LOAN' && entity.action === 'CREATE') return 'LOAN';
  if (entity.definition.type === 'LOAN' && entity.action === 'ARCHIVE') return 'RETURN';
  return entity.action;
}

async function projectEntity(change: Change, entity: EntityChange): Promise<void> {
  let changes = entity.action === 'UPDATE' || entity.action === 'MOVE' ? fieldChanges(entity) : undefined;
  if (entity.action === 'MOVE' && changes) {
    changes = Object.fromEntries(Object.entries(changes).filter(([field]) => !moveFields.has(field)));
  }
  if ((entity.action === 'UPDATE' || entity.action === 'MOVE') && (!changes || Object.keys(changes).length === 0)) return; // nothing a person would see changed
  await putActivity({
    id: activityId(entity.at, change.eventId),
    workspace_id: entity.workspaceId,
    ...(entity.actorId ? { user_id: entity.actorId } : {}),
    action: actionOf(entity),
    entity_type: entity.definition.type as ActivityRecord['entity_type'],
    entity_id: entity.entityId,
    entity_name: await nameOf(entity.workspaceId, entity.definition, entity.entityName, entity.after ?? entity.before),
    ...(changes ? { changes } : {}),
    occurred_at: entity.at,
  }, change.eventId);
}

async function projectMovement(change: Change, movement: MovementRecord): Promise<void> {
  const side = (from: unknown, to: unknown) => (from === to ? {} : { ...(from === undefined ? {} : { old: from }), ...(to === undefined ? {} : { new: to }) });
  const changes: NonNullable<ActivityRecord['changes']> = {
    location_id: side(movement.from_location_id, movement.to_location_id),
    container_id: side(movement.from_container_id, movement.to_container_id),
    quantity: { new: movement.quantity },
    ...(movement.to_inventory_id ? { to_inventory_id: { new: movement.to_inventory_id } } : {}),
    ...(movement.reason ? { reason: { new: movement.reason } } : {}),
  };
  for (const [field, value] of Object.entries(changes)) if (Object.keys(value).length === 0) delete changes[field];
  await putActivity({
    id: activityId(movement.created_at, change.eventId),
    workspace_id: movement.workspace_id,
    user_id: movement.moved_by,
    action: 'MOVE',
    entity_type: 'INVENTORY',
    entity_id: movement.inventory_id,
    entity_name: (await getEntity({ type: 'ITEM' }, movement.workspace_id, movement.item_id))?.name ?? '',
    changes,
    occurred_at: movement.created_at,
  }, change.eventId);
}

export const activity: Projector = {
  name: 'activity',
  wants: (change) => entityChangeOf(change) !== undefined || movementOf(change) !== undefined,
  async project(change) {
    const movement = movementOf(change);
    if (movement) return projectMovement(change, movement);
    return projectEntity(change, entityChangeOf(change)!);
  },
};
