// When an entity is deleted, what linked to it lets go: items of a deleted category lose their
// category, items bought from a deleted company lose that company, items wearing a deleted label
// lose the label. Each is a change of the item by whoever deleted the target (its version moves,
// so sync clients and the activity log see it). A link whose target may not be deleted while
// something links to it (a delete rule) never gets here. A replay finds nothing left to clear.
import { catalogDefinitions, definitionOf } from '../../../shared/domain/catalog/registry.js';
import { listLinked } from '../../../shared/domain/catalog/repository.js';
import { entity } from '../../../shared/domain/catalog/entity.js';
import { uniques } from '../../../shared/domain/catalog/uniques.js';
import { unlink } from '../../../shared/domain/catalog/change.js';
import type { EntityDefinition, LinkRule } from '../../../shared/domain/catalog/model.js';
import { detachLabel, itemsWithLabel } from '../../../shared/domain/items/repository.js';
import { entityChangeOf } from '../../../shared/stream/entity-change.js';
import type { Projector } from '../../../shared/stream/projector.js';

/** A delete of the link's target is refused while anything links to it (a container holding inventory). */
const guardedByTarget = (link: LinkRule) => (definitionOf(link.to)?.deleteRules ?? []).some((rule) => rule.counter === link.counter);

/** The links cleared when their target goes: optional ones, listed in an index (so found by a Query), whose target may go. */
export const clearedLinks: readonly { definition: EntityDefinition; link: LinkRule }[] = catalogDefinitions.flatMap((definition) =>
  (definition.links ?? [])
    .filter((link) => !link.tree && !guardedByTarget(link) && definition.optional.includes(link.field) && (link.index || definition.links?.[0] === link))
    .map((link) => ({ definition, link })));

async function clearLinks(workspaceId: string, actorId: string | undefined, definition: EntityDefinition, link: LinkRule, targetId: string): Promise<void> {
  // an unlink moves no unique value, but the engine holds every entity with unique values to carry their code
  const target = entity(definition, definition.unique ? { uniques } : {});
  let cursor: string | undefined;
  do {
    const page = await listLinked(definition, link, workspaceId, targetId, { includeArchived: true, limit: 100, ...(cursor ? { cursor } : {}) });
    for (const record of page.items) await unlink(target, workspaceId, actorId, record.id, link.field, targetId);
    cursor = page.next_cursor;
  } while (cursor);
}

export const linkCleanup: Projector = {
  name: 'linkCleanup',
  wants: (change) => {
    const entity = entityChangeOf(change);
    return entity?.action === 'DELETE' && (entity.definition.type === 'LABEL' || clearedLinks.some(({ link }) => link.to === entity.definition.type));
  },
  async project(change) {
    const entity = entityChangeOf(change)!;
    for (const { definition, link } of clearedLinks.filter(({ link }) => link.to === entity.definition.type)) {
      await clearLinks(entity.workspaceId, entity.actorId, definition, link, entity.entityId);
    }
    if (entity.definition.type === 'LABEL') {
      for (const { itemId } of await itemsWithLabel(entity.workspaceId, entity.entityId)) await detachLabel(entity.workspaceId, itemId, entity.entityId, entity.actorId);
    }
  },
};
