// When an item, a location or a container is deleted, every member's favorite of it goes too
// (one per member at most: a bounded step). Deleting what is already gone is no error: a replay
// changes nothing.
import { deleteByKey, favoritesOfTarget } from '../../../shared/domain/favorites/repository.js';
import { targetField } from '../../../shared/domain/favorites/model.js';
import { entityChangeOf } from '../../../shared/stream/entity-change.js';
import type { Projector } from '../../../shared/stream/projector.js';

export const favoriteCleanup: Projector = {
  name: 'favoriteCleanup',
  wants: (change) => {
    const entity = entityChangeOf(change);
    return entity?.action === 'DELETE' && entity.definition.type in targetField;
  },
  async project(change) {
    const entity = entityChangeOf(change)!;
    for (const key of await favoritesOfTarget(entity.workspaceId, entity.definition.type, entity.entityId)) await deleteByKey(key);
  },
};
