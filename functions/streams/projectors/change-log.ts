// The change log of SYNC.md, for every syncable entity: one entry per change, ordered by the time
// the log learns of it (`logged_at`, taken immediately before the write), so a client that synced
// while the stream or this feed was late still finds the change after its cursor. If the write
// took longer than half the settling window δ, the entry is written again with a fresh
// `logged_at`: readers never look at the last δ, so an entry can never appear behind a cursor.
import { appendAgain, appendOnce } from '../../../shared/domain/changes/repository.js';
import { settleMs, type ChangeLogEntry } from '../../../shared/domain/changes/model.js';
import { entityChangeOf } from '../../../shared/stream/entity-change.js';
import type { Projector } from '../../../shared/stream/projector.js';

export const changeLog: Projector = {
  name: 'changeLog',
  wants: (change) => entityChangeOf(change) !== undefined,
  async project(change) {
    const entity = entityChangeOf(change)!;
    const tombstone = change.newImage!;
    const entry: Omit<ChangeLogEntry, 'logged_at'> = {
      workspace_id: entity.workspaceId, entity_type: entity.definition.type, entity_id: entity.entityId, event_id: change.eventId,
      ...(entity.action === 'DELETE'
        ? {
          operation: 'delete' as const,
          data: { id: tombstone.id, entity_type: entity.definition.type, entity_id: entity.entityId, deleted_at: entity.at, deleted_by: entity.actorId },
        }
        : { operation: 'upsert' as const, data: entity.after!, ...(entity.version === undefined ? {} : { version: entity.version }) }),
    };
    const started = Date.now();
    const written = await appendOnce({ ...entry, logged_at: new Date(started).toISOString() });
    if (written && Date.now() - started > settleMs() / 2) await appendAgain({ ...entry, logged_at: new Date().toISOString() });
  },
};
