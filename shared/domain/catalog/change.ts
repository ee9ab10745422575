// Changing a catalog entity: a PATCH, an archive or restore, a change planned with other writes
// (an inventory move), and the change feed's unlinking. Each is one transaction conditional on the
// version read; a transaction lost to a concurrent write is read again and retried (races.ts).
import type { WorkspaceScope } from '../../http/caller.js';
import type { IfMatch } from '../../http/conditional.js';
import type { TransactItem } from '../../db/table.js';
import { VersionConflict } from '../errors.js';
import { lostRace, settleRace } from '../races.js';
import type { CatalogRecord } from './model.js';
import * as repository from './repository.js';
import { present, type AnyEntity, type Entity, type EntityInput } from './entity.js';
import { read } from './read.js';
import { applied, changeSteps, refusal, refuseByRules, run, together, type Writes } from './writes.js';

/** What `changeWith` writes together: see there. */
export interface Plan {
  /** the entity's fields to change (`null` clears) */
  changes?: EntityInput;
  /** new entities of the same type (`creating(inputs)` from create.ts: only the writes that split rows carry create code) */
  creates?: Creator;
  /** stored, not client-set attributes written on the entity and on each one created (a row's `last_movement_id`) */
  stamp?: Record<string, unknown>;
  /** items of other kinds, made once the new entities have ids (the movement naming the row split off) */
  writes?: (created: CatalogRecord[], next: CatalogRecord) => TransactItem[];
}

/** Makes the new entities a plan creates, stamped, and their writes. */
export type Creator = (entity: AnyEntity, workspaceId: string, actorId: string, stamp: Record<string, unknown> | undefined) =>
  Promise<{ records: CatalogRecord[]; writes: Writes[] }>;

/**
 * One entity's change written with other writes as one transaction (a split: the row's quantity
 * lowered, a new row made from it, and the movement recording both). `plan` sees the entity as
 * read (consistently) and answers its changes, new entities of the same type and items of other
 * kinds; it may refuse by throwing, and answers nothing when there is nothing to do. With
 * `counters`, those must be zero at commit (an archive that delete rules may forbid). A lost race
 * reads again and plans again.
 */
export async function changeWith<R extends { id: string }>(
  entity: Entity<R>, scope: WorkspaceScope, actorId: string, id: string, ifMatch: IfMatch | undefined,
  plan: (current: CatalogRecord) => Plan | undefined, counters: readonly string[] = [],
): Promise<{ record: R & CatalogRecord; created: (R & CatalogRecord)[] }> {
  const workspaceId = scope.workspace.id;
  const accepted = ifMatch?.versionsFor(id);
  const shown = (record: CatalogRecord) => present(entity, record) as R & CatalogRecord;
  return settleRace(async () => {
    const current = await read(entity, scope, id, true);
    if (accepted && !accepted.includes(current.version)) throw VersionConflict();
    const planned = plan(current);
    if (!planned) return { record: shown(current), created: [] }; // nothing to change (archiving what is archived)
    const next = applied(current, { ...planned.changes, ...planned.stamp }, actorId);
    const made = planned.creates ? await planned.creates(entity, workspaceId, actorId, planned.stamp) : { records: [], writes: [] };
    const created = made.records;
    // the entity's own rules on what a change may do (change-rules.ts): refused now, and held at commit
    const held = entity.changeRules?.(current, next) ?? {};
    const writes = [await changeSteps(entity, workspaceId, current, next, [...counters, ...(held.zero ?? [])], held.atMost), ...made.writes];
    const steps = [...together(entity, ...writes), ...(planned.writes?.(created, next) ?? []).map((item) => ({ item, cause: 'write' }))];
    const cause = await run(steps, workspaceId);
    if (cause === undefined) return { record: shown(next), created: created.map(shown) };
    if (cause === 'entity' || cause === 'ancestor') return lostRace;
    throw (await refusal(entity, cause, workspaceId)) ?? new Error(`change ${entity.definition.type}: unexpected cancellation at ${cause}`);
  }, { conditional: accepted !== undefined });
}

/** Applies the changes `apply` answers for the record read (`null` clears; nothing: no change). */
export async function change<R extends { id: string }>(
  entity: Entity<R>, scope: WorkspaceScope, actorId: string, id: string, ifMatch: IfMatch | undefined,
  apply: (current: CatalogRecord) => EntityInput | undefined, counters: readonly string[] = [],
): Promise<R & CatalogRecord> {
  const outcome = await changeWith(entity, scope, actorId, id, ifMatch, (current) => {
    const changes = apply(current);
    return changes ? { changes } : undefined;
  }, counters);
  return outcome.record;
}

/** A PATCH: the fields the definition allows, `null` only for the optional ones; sending what is there changes nothing. */
export async function update<R extends { id: string }>(entity: Entity<R>, scope: WorkspaceScope, actorId: string, id: string, input: EntityInput, ifMatch: IfMatch): Promise<R & CatalogRecord> {
  const { fields, optional } = entity.definition;
  const changes = Object.fromEntries(Object.entries(input).filter(([field, value]) =>
    fields.includes(field) && value !== undefined && (value !== null || optional.includes(field))));
  return change(entity, scope, actorId, id, ifMatch, (current) =>
    Object.entries(changes).some(([field, value]) => current[field] !== (value ?? undefined)) ? changes : undefined);
}

/**
 * Archive; archiving what is archived changes nothing. Where DELETE archives and delete rules
 * exist (a borrower with active loans), they forbid it, also when a link comes meanwhile.
 */
export async function archive(entity: AnyEntity, scope: WorkspaceScope, actorId: string, id: string, ifMatch?: IfMatch): Promise<void> {
  const guarded = entity.definition.deletes === 'archive' ? entity.definition.deleteRules ?? [] : [];
  await change(entity, scope, actorId, id, ifMatch, (current) => {
    if (guarded.length > 0) refuseByRules(entity, current);
    return current.is_archived ? undefined : { is_archived: true };
  }, guarded.map((rule) => rule.counter));
}

/** Restore; restoring what is active changes nothing. */
export async function restore(entity: AnyEntity, scope: WorkspaceScope, actorId: string, id: string, ifMatch?: IfMatch): Promise<void> {
  await change(entity, scope, actorId, id, ifMatch, (current) => (current.is_archived ? { is_archived: false } : undefined));
}

/**
 * Clears a link to a target that was deleted (the change feed's cascade: items of a deleted
 * category lose their category), as a change by whoever deleted it; a record that links
 * elsewhere by now is left alone. Answers whether it changed anything.
 */
export async function unlink(entity: AnyEntity, workspaceId: string, actorId: string | undefined, id: string, field: string, targetId: string): Promise<boolean> {
  return settleRace(async () => {
    const current = await repository.getEntity(entity.definition, workspaceId, id, true);
    if (!current || current[field] !== targetId) return false;
    const next = applied(current, { [field]: null }, actorId ?? current.updated_by);
    const cause = await run(together(entity, await changeSteps(entity, workspaceId, current, next)), workspaceId);
    if (cause === undefined) return true;
    if (cause === 'entity' || cause === 'ancestor') return lostRace;
    throw new Error(`unlink ${entity.definition.type}.${field}: unexpected cancellation at ${cause}`);
  }, { conditional: false });
}
