// Creating a catalog entity: the record, its unique-value guards and its links' counters in one
// transaction, refused while the workspace is being deleted. A create with the client's own id is
// replay-safe: the id taken by an entity answers that entity; the id of a deleted one answers 410.
import type { WorkspaceScope } from '../../http/caller.js';
import { DomainError } from '../errors.js';
import type { CatalogRecord } from './model.js';
import * as repository from './repository.js';
import { present, type AnyEntity, type Entity, type EntityInput } from './entity.js';
import { asReplay } from '../ids.js';
import { get } from './read.js';
import { clientIdOf, createSteps, generatedFor, newRecord, refusal, replayed, run, together, type Step } from './writes.js';
import type { Creator } from './change.js';

/** With the client's own id, the step that checks no entity of that id was deleted (a replay must not bring one back). */
export const neverDeleted = (entity: AnyEntity, workspaceId: string, clientId: string | undefined): Step[] =>
  (clientId ? [{ item: repository.neverDeleted(workspaceId, entity.definition.type, clientId), cause: 'deleted' }] : []);

export async function create<R extends { id: string }>(entity: Entity<R>, scope: WorkspaceScope, actorId: string, input: EntityInput): Promise<R & CatalogRecord> {
  const workspaceId = scope.workspace.id;
  // A generated value that collides (a short code, a SKU) is made again (a given one is the
  // client's to change); an ancestor that moved meanwhile is walked again.
  const generated = generatedFor(entity, input);
  const clientId = clientIdOf(input);
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const record = newRecord(entity, workspaceId, actorId, input);
    const steps: Step[] = [
      ...together(entity, await createSteps(entity, workspaceId, record)), { item: repository.workspaceActive(workspaceId), cause: 'workspace' }, ...neverDeleted(entity, workspaceId, clientId),
    ];
    // a workspace no longer active is refused by `run` (403, as the next authorisation would)
    const cause = await run(steps, workspaceId);
    if (cause === undefined) return present(entity, record) as R & CatalogRecord;
    if (replayed(cause, clientId)) return asReplay(await get(entity, scope, record.id, true)) as R & CatalogRecord;
    if (generated.some((rule) => cause === `guard:${rule.field}`)) continue;
    if (cause === 'ancestor') continue;
    throw (await refusal(entity, cause, workspaceId)) ?? new Error(`create ${entity.definition.type}: unexpected cancellation at ${cause}`);
  }
  throw new DomainError('RESOURCE_BUSY', `The ${entity.definition.label} could not be placed: its place kept changing; try again.`, { retryAfter: 1 });
}

/** For a change that also creates entities of its type (an inventory split): `{ creates: creating([input]) }`. */
export const creating = (inputs: EntityInput[]): Creator => async (entity, workspaceId, actorId, stamp) => {
  const records = inputs.map((input) => ({ ...newRecord(entity, workspaceId, actorId, input), ...stamp }));
  return { records, writes: await Promise.all(records.map((record) => createSteps(entity, workspaceId, record))) };
};
