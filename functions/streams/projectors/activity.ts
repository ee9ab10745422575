// The activity log: who created, changed, archived, restored or deleted which entity, and for a
// change the fields with their old and new values. Keyed by the stream record: a replay is a no-op.
import { putActivity } from '../../../shared/domain/activity/repository.js';
import { activityId, type ActivityRecord } from '../../../shared/domain/activity/model.js';
import { entityChangeOf, fieldChanges } from '../../../shared/stream/entity-change.js';
import type { Projector } from '../../../shared/stream/projector.js';

export const activity: Projector = {
  name: 'activity',
  wants: (change) => entityChangeOf(change) !== undefined,
  async project(change) {
    const entity = entityChangeOf(change)!;
    const changes = entity.action === 'UPDATE' ? fieldChanges(entity) : undefined;
    if (entity.action === 'UPDATE' && !changes) return; // nothing a person would see changed
    await putActivity({
      id: activityId(entity.at, change.eventId),
      workspace_id: entity.workspaceId,
      ...(entity.actorId ? { user_id: entity.actorId } : {}),
      action: entity.action,
      entity_type: entity.definition.type as ActivityRecord['entity_type'],
      entity_id: entity.entityId,
      entity_name: entity.entityName,
      ...(changes ? { changes } : {}),
      occurred_at: entity.at,
    }, change.eventId);
  },
};
