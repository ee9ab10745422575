// The pieces every catalog write is made of: transaction steps that each know what their failure
// would mean, the writes that create or change one record, and the refusals a client gets. Every
// write is one transaction whose conditions carry the invariants (unique values, links to existing
// entities, counters that forbid deletes, no cycles, the version an If-Match names).
import * as keys from '../../db/keys.js';
import { cancellationReasons, tableName, transactWrite, type TransactItem } from '../../db/table.js';
import { DomainError } from '../errors.js';
import { withCollectionBump } from '../workspaces/collections.js';
import { newId } from '../ids.js';
import { ReferenceNotFound } from './errors.js';
import type { CatalogRecord } from './model.js';
import * as repository from './repository.js';
import { fieldError, linkTouches } from './links.js';
import type { AnyEntity, EntityInput } from './entity.js';

/** One transaction item and what its failure would mean. */
export interface Step {
  item: TransactItem;
  /** `entity`: the entity's own condition; `guard:<field>`; `link:<field>:<target id>`; `ancestor`; `workspace` */
  cause: string;
  /**
   * The entity type whose lists this item changes (its own Put, Update or Delete; a link target's
   * sums or own update): `run` moves that collection's version on in the same transaction.
   */
  changes?: string;
}

/** Transaction items, and the touches of other entities they need (merged before they are written). */
export interface Writes {
  steps: Step[];
  touches: repository.Touch[];
}

/** A write raced the workspace's deletion (a create's check that it is active; any write's version bump). */
export const workspaceGone = () => new DomainError('WORKSPACE_ACCESS_DENIED', 'The workspace is being deleted.');

/** The collections the steps change, each once. */
export const changedCollections = (steps: readonly Step[]): string[] => [...new Set(steps.flatMap((step) => (step.changes ? [step.changes] : [])))];

/**
 * Runs the steps as one transaction, with the versions of the collections they change moved on in
 * it (shared/domain/workspaces/collections.ts); answers the cause of the first failed condition,
 * if any. The workspace gone (or, for a create, no longer active) is answered here, for every write.
 */
export async function run(steps: Step[], workspaceId: string): Promise<string | undefined> {
  const { items, at } = withCollectionBump(steps.map((step) => step.item), workspaceId, changedCollections(steps));
  const causes = steps.map((step) => step.cause);
  if (at !== undefined && at >= steps.length) causes.push('workspace');
  try {
    await transactWrite(items);
    return undefined;
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (!reasons) throw error;
    const failed = reasons.findIndex((reason) => reason === 'ConditionalCheckFailed');
    if (failed < 0) throw error;
    if (causes[failed] === 'workspace') throw workspaceGone();
    return causes[failed];
  }
}

/** A create with the client's id failed at `entity` (it exists: a replay) or `deleted`: true for the first, 410 for the second. */
export function replayed(cause: string | undefined, clientId: string | undefined): boolean {
  if (!clientId) return false;
  if (cause === 'deleted') throw new DomainError('ENTITY_DELETED', 'The thing this id names was deleted since it was created; creating it again does not bring it back.');
  return cause === 'entity';
}

/** Turns a failed guard or link into the client's error (a link to a target that exists but does not agree says so). */
export async function refusal(entity: AnyEntity, cause: string, workspaceId?: string): Promise<DomainError | undefined> {
  const { definition } = entity;
  if (cause.startsWith('guard:')) return entity.uniques!.refusal(definition, cause.slice('guard:'.length));
  if (cause.startsWith('link:')) {
    const [, field, target] = cause.split(':');
    const link = entity.links.find((candidate) => candidate.field === field)!;
    if (link.agree && workspaceId && target && (await repository.getEntity({ type: link.to }, workspaceId, target, true))) {
      return new DomainError(link.agree.code, link.agree.message, { errors: [{ location: `body.${link.field}`, message: link.agree.message }] });
    }
    return ReferenceNotFound(`No ${link.to.toLowerCase()} with that id in this workspace.`, fieldError(link));
  }
  return undefined;
}

/**
 * A touch that checks a version failed because an ancestor moved (walk again: a vanished one is
 * then found missing), as did one leaving a target that went meanwhile; any other failed because
 * its target is gone or does not agree (its link says which).
 */
const touchSteps = (entity: AnyEntity, touches: repository.Touch[]): Step[] =>
  repository.mergeTouches(touches).map((touch) => ({
    item: repository.touchItem(touch),
    cause: touch.versionIs !== undefined || touch.leaving ? 'ancestor' : `link:${touch.field ?? entity.links[0]?.field}:${touch.target ?? ''}`,
    ...(touchChangesTarget(entity, touch) ? { changes: touch.type } : {}),
  }));

/**
 * Whether a touch changes what its target's answers show: counting what links to it does not (no
 * answer shows those counters); its sums (an item's total, a row's quantity on loan), or an update
 * of its own (an item's primary picture), may, so they count as a change of its collection.
 */
export function touchChangesTarget(entity: AnyEntity, touch: repository.Touch): boolean {
  const counters = new Set(entity.links.map((link) => link.counter));
  return touch.update !== undefined || Object.entries(touch.adds ?? {}).some(([name, delta]) => delta !== 0 && !counters.has(name));
}

/** Writes as one transaction's items, the touches of all of them merged (one item per key). */
export const together = (entity: AnyEntity, ...writes: Writes[]): Step[] =>
  [...writes.flatMap((write) => write.steps), ...touchSteps(entity, writes.flatMap((write) => write.touches))];

/** The generated values a create makes because the input leaves them out. */
export const generatedFor = (entity: AnyEntity, input: EntityInput) =>
  (entity.definition.generated ?? []).filter((rule) => input[rule.field] === undefined || input[rule.field] === null);

/** The id an offline client chose for what it creates (so a replay cannot duplicate it), if any. */
export const clientIdOf = (input: { id?: unknown }): string | undefined => (typeof input.id === 'string' ? input.id : undefined);

/** A new record from a client's input (generated values made afresh on every call). */
export function newRecord(entity: AnyEntity, workspaceId: string, actorId: string, input: EntityInput): CatalogRecord {
  const now = new Date().toISOString();
  return {
    ...Object.fromEntries(entity.definition.fields.filter((field) => input[field] !== undefined && input[field] !== null).map((field) => [field, input[field]])),
    ...Object.fromEntries(generatedFor(entity, input).map((rule) => [rule.field, rule.make()])),
    id: clientIdOf(input) ?? newId(), workspace_id: workspaceId, ...(typeof input.name === 'string' ? { name: input.name } : {}), is_archived: false,
    created_at: now, updated_at: now, version: 1, created_by: actorId, updated_by: actorId,
  };
}

/**
 * The writes that create `record`: the entity and its guards, and what its links count and add
 * up (touches, merged by the caller with any other write's: one transaction item per key).
 */
export async function createSteps(entity: AnyEntity, workspaceId: string, record: CatalogRecord): Promise<Writes> {
  const { definition } = entity;
  return {
    steps: [
      { item: { Put: { TableName: tableName, Item: repository.entityItem(definition, record), ConditionExpression: 'attribute_not_exists(PK)' } }, cause: 'entity', changes: definition.type },
      ...(entity.uniques?.steps(workspaceId, definition, record.id, undefined, record) ?? []),
    ],
    touches: await linkTouches(entity, workspaceId, undefined, record, record.id),
  };
}

/** `(counter absent or 0)` for each counter, for a condition expression. */
export function counterConditions(counters: readonly string[], names: Record<string, string>, values: Record<string, unknown>): string[] {
  if (counters.length > 0) values[':zero'] = 0;
  return counters.map((counter, position) => {
    names[`#z${position}`] = counter;
    return `(attribute_not_exists(#z${position}) OR #z${position} = :zero)`;
  });
}

/** Refuses (409) while one of the entity's delete rules has its counter above zero. */
export function refuseByRules(entity: AnyEntity, record: CatalogRecord): void {
  for (const rule of entity.definition.deleteRules ?? []) {
    if (Number(record[rule.counter] ?? 0) > 0) throw new DomainError(rule.code, rule.message);
  }
}

/**
 * The writes that take `current` to `next`: the entity's update (conditional on the version read,
 * on `counters` being zero and `ceilings` holding at commit), its guards, its links' counts and sums.
 */
export async function changeSteps(
  entity: AnyEntity, workspaceId: string, current: CatalogRecord, next: CatalogRecord, counters: readonly string[] = [],
  /** attributes that must be at most these values at commit (what is on loan, at most the new quantity) */
  ceilings: readonly { field: string; value: number }[] = [],
): Promise<Writes> {
  const { definition } = entity;
  const id = current.id;
  const set = Object.fromEntries(Object.entries(next).filter(([field, value]) => current[field] !== value || ['updated_at', 'updated_by', 'version'].includes(field)));
  const removed = Object.keys(current).filter((field) => !(field in next));
  // index keys are written only when they move (each index entry rewritten costs write capacity)
  const before = repository.indexAttributes(definition, current);
  const after = repository.indexAttributes(definition, next);
  const index = Object.fromEntries(Object.entries(after).filter(([name, value]) => before[name] !== value));
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':seen': current.version };
  const assignments = Object.entries({ ...set, ...index }).map(([field, value], position) => {
    names[`#f${position}`] = field;
    values[`:v${position}`] = value;
    return `#f${position} = :v${position}`;
  });
  // fields cleared, and index entries the record no longer has (a link cleared)
  const removals = [...removed, ...Object.keys(before).filter((name) => !(name in after))].map((field, position) => {
    names[`#r${position}`] = field;
    return `#r${position}`;
  });
  names['#version'] = 'version';
  const zero = counterConditions(counters, names, values);
  ceilings.forEach(({ field, value }, position) => {
    names[`#c${position}`] = field;
    values[`:c${position}`] = value;
    zero.push(`(attribute_not_exists(#c${position}) OR #c${position} <= :c${position})`);
  });
  const steps: Step[] = [{
    item: {
      Update: {
        TableName: tableName, Key: keys.entity(workspaceId, definition.type, id),
        UpdateExpression: `SET ${assignments.join(', ')}${removals.length ? ` REMOVE ${removals.join(', ')}` : ''}`,
        ConditionExpression: ['attribute_exists(PK)', '#version = :seen', ...zero].join(' AND '),
        ExpressionAttributeNames: names, ExpressionAttributeValues: values,
      },
    },
    cause: 'entity',
    changes: definition.type,
  }];
  steps.push(...(entity.uniques?.steps(workspaceId, definition, id, current, next) ?? []));
  // links: counters and sums move between targets (see links.ts)
  return { steps, touches: await linkTouches(entity, workspaceId, current, next, id) };
}

/** `current` with `changes` applied (`null` clears a field) and its bookkeeping moved on. */
export function applied(current: CatalogRecord, changes: EntityInput, actorId: string): CatalogRecord {
  const next: CatalogRecord = { ...current, updated_at: new Date().toISOString(), updated_by: actorId, version: current.version + 1 };
  for (const [field, value] of Object.entries(changes)) {
    if (value === null) delete next[field];
    else next[field] = value;
  }
  return next;
}

