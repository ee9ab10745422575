// Deleting a catalog entity for good: refused (409) while a delete rule's counter is above zero;
// otherwise the entity, its guards and its links' counts go in one transaction with the tombstone
// saying who and when. Entities whose DELETE archives (borrowers) archive instead.
import type { WorkspaceScope } from '../../http/caller.js';
import type { IfMatch } from '../../http/conditional.js';
import * as keys from '../../db/keys.js';
import { tableName, type TransactItem } from '../../db/table.js';
import type { CatalogRecord } from './model.js';
import { VersionConflict } from '../errors.js';
import { newId } from '../ids.js';
import { lostRace, settleRace } from '../races.js';
import * as repository from './repository.js';
import { linkTouches } from './links.js';
import type { AnyEntity } from './entity.js';
import { read } from './read.js';
import { archive } from './change.js';
import { counterConditions, refusal, refuseByRules, run, together, type Step } from './writes.js';

/** What a delete writes besides the engine's own (an attachment's: its item's primary, its workspace's storage). */
export interface Also {
  touches?: repository.Touch[];
  items?: TransactItem[];
}

/** `also` sees the entity as read and answers other writes of the same transaction. */
export async function remove(
  entity: AnyEntity, scope: WorkspaceScope, actorId: string, id: string, ifMatch: IfMatch, also?: (current: CatalogRecord) => Also,
): Promise<void> {
  const { definition } = entity;
  if (definition.deletes === 'archive') return archive(entity, scope, actorId, id, ifMatch);
  const workspaceId = scope.workspace.id;
  const accepted = ifMatch.versionsFor(id);
  await settleRace(async () => {
    const current = await read(entity, scope, id, true);
    if (accepted && !accepted.includes(current.version)) throw VersionConflict();
    refuseByRules(entity, current);
    const names: Record<string, string> = { '#version': 'version' };
    const values: Record<string, unknown> = { ':seen': current.version };
    const tombstone = {
      id: newId(), workspace_id: workspaceId, entity_type: definition.type, entity_id: id, entity_name: current.name ?? '',
      deleted_at: new Date().toISOString(), deleted_by: actorId,
    };
    const zero = counterConditions((definition.deleteRules ?? []).map((rule) => rule.counter), names, values);
    const own: Step[] = [
      {
        item: {
          Delete: {
            TableName: tableName, Key: keys.entity(workspaceId, definition.type, id),
            ConditionExpression: ['attribute_exists(PK)', '#version = :seen', ...zero].join(' AND '),
            ExpressionAttributeNames: names, ExpressionAttributeValues: values,
          },
        },
        cause: 'entity',
        changes: definition.type,
      },
      ...(entity.uniques?.steps(workspaceId, definition, id, current) ?? []),
      { item: repository.tombstonePut(tombstone), cause: 'tombstone' },
      { item: repository.deletedIdPut(tombstone), cause: 'tombstone' },
    ];
    const extra = also?.(current) ?? {};
    own.push(...(extra.items ?? []).map((item) => ({ item, cause: 'entity' })));
    const cause = await run(together(entity, { steps: own, touches: [...await linkTouches(entity, workspaceId, current, undefined, id), ...(extra.touches ?? [])] }), workspaceId);
    if (cause === undefined) return 'deleted';
    if (cause === 'entity' || cause === 'ancestor') return lostRace; // changed, or something linked to it meanwhile: read again
    throw (await refusal(entity, cause)) ?? new Error(`delete ${definition.type}: unexpected cancellation at ${cause}`);
  }, { conditional: accepted !== undefined });
}
