// The change log of SYNC.md, for every syncable entity: one entry per change, ordered by the time
// the log learns of it (`logged_at`, taken immediately before the write), so a client that synced
// while the stream or this feed was late still finds the change after its cursor. If the write
// took longer than half the settling window δ, the entry is written again with a fresh
// `logged_at`: readers never look at the last δ, so an entry can never appear behind a cursor.
import { appendAgain, appendOnce } from '../../../shared/domain/changes/repository.js';
import { settleMs, type ChangeLogEntry } from '../../../shared/domain/changes/model.js';
import type { MovementRecord } from '../../../shared/domain/movements/model.js';
import { entityChangeOf, movementOf } from '../../../shared/stream/entity-change.js';
import type { Change } from '../../../shared/stream/change.js';
import type { Projector } from '../../../shared/stream/projector.js';

/** A movement is logged once, as it was written (movements never change). */
function movementEntry(change: Change, movement: MovementRecord): Omit<ChangeLogEntry, 'logged_at'> {
  return { workspace_id: movement.workspace_id, entity_type: 'MOVEMENT', entity_id: movement.id, event_id: change.eventId, operation: 'upsert', data: { ...movement } };
}

function entityEntry(change: Change): Omit<ChangeLogEntry, 'logged_at'> {
  const entity = entityChangeOf(change)!;
  const tombstone = change.newImage!;
  return {
    workspace_id: entity.workspaceId, entity_type: entity.definition.type, entity_id: entity.entityId, event_id: change.eventId,
    ...(entity.action === 'DELETE'
      ? {
        operation: 'delete' as const,
        data: { id: tombstone.id, entity_type: entity.definition.type, entity_id: entity.entityId, deleted_at: entity.at, deleted_by: entity.actorId },
      }
      : { operation: 'upsert' as const, data: entity.after!, ...(entity.version === undefined ? {} : { version: entity.version }) }),
  };
}

export const changeLog: Projector = {
  name: 'changeLog',
  wants: (change) => entityChangeOf(change) !== undefined || movementOf(change) !== undefined,
  async project(change) {
    const movement = movementOf(change);
    const entry = movement ? movementEntry(change, movement) : entityEntry(change);
    const started = Date.now();
    const written = await appendOnce({ ...entry, logged_at: new Date(started).toISOString() });
    if (written && Date.now() - started > settleMs() / 2) await appendAgain({ ...entry, logged_at: new Date().toISOString() });
  },
};
