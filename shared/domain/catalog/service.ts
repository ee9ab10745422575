// The catalog engine: the lifecycle every catalog entity shares, written once. An entity's service
// is `catalogService(definition)` plus whatever is its own (a category's children, a location's
// breadcrumb). Every write is one transaction whose conditions carry the invariants (unique values,
// links to existing entities, counters that forbid deletes, no cycles, the version an If-Match
// names); a transaction lost to a concurrent write is read again and retried (shared/domain/races.ts).
import type { WorkspaceScope } from '../../http/caller.js';
import type { IfMatch } from '../../http/conditional.js';
import { keys } from '../../db/keys.js';
import { cancellationReasons, tableName, transactWrite, type Page, type TransactItem } from '../../db/table.js';
import { DomainError, VersionConflict } from '../errors.js';
import { newId } from '../ids.js';
import { lostRace, settleRace } from '../races.js';
import { CatalogNotFound, ReferenceNotFound, TreeCycle, TreeTooDeep } from './errors.js';
import { shortCodeKind, type CatalogRecord, type EntityDefinition, type LinkRule } from './model.js';
import * as repository from './repository.js';
import type { ListOptions } from './repository.js';

/** What a client sends to create or change an entity: its fields, `null` clearing an optional one. */
export type EntityInput = Record<string, unknown>;

export interface ListQuery {
  limit: number;
  cursor?: string;
  include_archived?: boolean;
}

/** Transaction items, and the touches of other entities they need (merged before they are written). */
interface Writes {
  steps: Step[];
  touches: repository.Touch[];
}

/** What `changeWith` writes together: see there. */
export interface Plan {
  /** the entity's fields to change (`null` clears) */
  changes?: EntityInput;
  /** new entities of the same type, from inputs like a create's */
  creates?: EntityInput[];
  /** stored, not client-set attributes written on the entity and on each one created (a row's `last_movement_id`) */
  stamp?: Record<string, unknown>;
  /** items of other kinds, made once the new entities have ids (the movement naming the row split off) */
  writes?: (created: CatalogRecord[], next: CatalogRecord) => TransactItem[];
}

/** One transaction item and what its failure would mean. */
interface Step {
  item: TransactItem;
  /** `entity`: the entity's own condition; `guard:<field>`; `link:<field>`; `ancestor`; `workspace` */
  cause: string;
}

const defaultMaxDepth = 20;

/**
 * The lifecycle of one entity. `R` is what its records look like to callers (the contract's answer
 * shape); the engine itself only relies on the fields every catalog record has.
 */
export function catalogService<R extends { id: string } = CatalogRecord>(definition: EntityDefinition) {
  const { type } = definition;
  const links = definition.links ?? [];
  const maxDepth = definition.maxDepth ?? defaultMaxDepth;
  const notFound = () => CatalogNotFound(`No ${definition.label} with that id in this workspace.`);
  const treeLink = links.find((link) => link.tree);

  /** The record as answers show it: with the definition's derived fields and defaults. */
  const present = <T extends Record<string, unknown>>(record: T): T => (definition.view ? { ...record, ...definition.view(record) } : record);
  const presentPage = (page: Page<CatalogRecord>): Page<CatalogRecord> => ({ ...page, items: page.items.map(present) });

  /** One entity as stored; when the route prefetched it with the authorisation (`prefetch`), no second read. */
  async function read(scope: WorkspaceScope, id: string, consistent = false): Promise<CatalogRecord> {
    const prefetched = scope.prefetched;
    if (!consistent && prefetched !== undefined && (prefetched === null || prefetched.id === id)) {
      if (prefetched?.entity !== type) throw notFound();
      const { entity: _entity, ...record } = prefetched;
      return record as CatalogRecord;
    }
    return (await repository.getEntity(definition, scope.workspace.id, id, consistent)) ?? Promise.reject(notFound());
  }

  const get = async (scope: WorkspaceScope, id: string, consistent = false) => present(await read(scope, id, consistent));

  /** For httpRoute's `prefetch` option: the key a GET of one entity reads, from its path. */
  const prefetch = (params: Record<string, string>) => keys.entity(params.workspace_id!, type, params.id!);

  /** What an active entity adds to its link target's sums (nothing while archived). */
  const amounts = (link: LinkRule, record: Record<string, unknown> | undefined) =>
    Object.fromEntries((link.sums ?? []).map((sum) => [sum.into, record && record.is_archived !== true ? Number(record[sum.from] ?? 0) : 0]));

  /**
   * What going from `before` to `after` (a create has no `before`, a delete no `after`) does to the
   * targets of the entity's links: a target left counts one less and loses the entity's sums, a new
   * target (which must exist, and agree where the link says so) counts one more and gains them; a
   * target kept sees only the sums move. For a tree link made, the new parent and each of its
   * ancestors must keep the version read while walking up to the root, so two concurrent moves
   * cannot close a cycle neither of them saw, and the tree may not grow deeper than `maxDepth`
   * levels with what sits below `self` counted.
   */
  async function linkTouches(workspaceId: string, before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined, self: string): Promise<repository.Touch[]> {
    const touches: repository.Touch[] = [];
    for (const link of links) {
      const from = before ? repository.linkOf(before, link) : undefined;
      const to = after ? repository.linkOf(after, link) : undefined;
      const was = amounts(link, before);
      const is = amounts(link, after);
      const agrees = link.agree && after && to ? { [link.agree.field]: after[link.agree.field] } : undefined;
      if (from && from === to) {
        const moved = Object.fromEntries(Object.entries(is).map(([into, amount]) => [into, amount - (was[into] ?? 0)]).filter(([, delta]) => delta !== 0));
        const agreeChanged = link.agree && before![link.agree.field] !== after![link.agree.field];
        if (Object.keys(moved).length || agreeChanged) touches.push({ key: keys.entity(workspaceId, link.to, to), type: link.to, adds: moved, ...(agreeChanged ? { agrees } : {}) });
        continue;
      }
      // A target deleted meanwhile (its links are being cleared by the change feed) is no longer counted.
      if (from && (await repository.getEntity({ type: link.to }, workspaceId, from, true))) {
        touches.push({ key: keys.entity(workspaceId, link.to, from), type: link.to, adds: { [link.counter]: -1, ...negate(was) }, leaving: true });
      }
      if (to) {
        touches.push({ key: keys.entity(workspaceId, link.to, to), type: link.to, adds: { [link.counter]: 1, ...is }, ...(agrees ? { agrees } : {}) });
        if (link.tree) {
          const chain = await ancestry(workspaceId, link, to, self);
          const below = before ? await levelsBelow(workspaceId, self, maxDepth - chain.length - 1, link) : 0;
          if (chain.length + 1 + below > maxDepth) throw tooDeep(link);
          touches.push(...chain);
        }
      }
    }
    return touches;
  }

  const negate = (values: Record<string, number>) => Object.fromEntries(Object.entries(values).map(([name, value]) => [name, -value]));

  const tooDeep = (link: LinkRule) =>
    TreeTooDeep(`${definition.label} trees are at most ${maxDepth} levels deep.`, fieldError(link, `would make the tree deeper than ${maxDepth} levels`));

  /**
   * How many levels hang below `id` (0 for a leaf), counted level by level through the children
   * index (one Query per node, the nodes of a level in parallel); it stops counting past `limit`.
   */
  async function levelsBelow(workspaceId: string, id: string, limit: number, link: LinkRule): Promise<number> {
    let level = [id];
    for (let depth = 0; ; depth += 1) {
      const children = (await Promise.all(level.map((parent) => allChildren(workspaceId, parent)))).flat();
      if (children.length === 0) return depth;
      if (depth + 1 > limit) throw tooDeep(link);
      level = children;
    }
  }

  async function allChildren(workspaceId: string, parent: string): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await repository.listLinked(definition, treeLink!, workspaceId, parent, { includeArchived: true, limit: 100, ...(cursor ? { cursor } : {}) });
      ids.push(...page.items.map((child) => child.id));
      cursor = page.next_cursor;
    } while (cursor);
    return ids;
  }

  /** The chain from `parentId` up to the root, each at the version read; refuses a cycle through `self`. */
  async function ancestry(workspaceId: string, link: LinkRule, parentId: string, self: string | undefined): Promise<repository.Touch[]> {
    const chain: repository.Touch[] = [];
    for (let current: string | undefined = parentId; current !== undefined;) {
      if (current === self) throw TreeCycle(`A ${definition.label} cannot be placed inside itself or one of its own descendants.`, fieldError(link, 'is this one or one of its descendants'));
      if (chain.length >= maxDepth) throw tooDeep(link);
      const ancestor = await repository.getEntity({ type: link.to }, workspaceId, current, true);
      if (!ancestor) throw ReferenceNotFound(`No ${definition.label} with that id in this workspace.`, fieldError(link));
      chain.push({ key: keys.entity(workspaceId, link.to, current), type: link.to, versionIs: ancestor.version });
      current = repository.linkOf(ancestor, link);
    }
    return chain;
  }

  const fieldError = (link: LinkRule, message = `is not a ${link.to.toLowerCase()} of this workspace`) =>
    ({ errors: [{ location: `body.${link.field}`, message }] });

  /** Runs the steps as one transaction; answers the cause of the first failed condition, if any. */
  async function run(steps: Step[]): Promise<string | undefined> {
    try {
      await transactWrite(steps.map((step) => step.item));
      return undefined;
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (!reasons) throw error;
      const failed = reasons.findIndex((reason) => reason === 'ConditionalCheckFailed');
      if (failed < 0) throw error;
      return steps[failed]!.cause;
    }
  }

  /** Turns a failed guard or link into the client's error (a link that exists but does not agree says so). */
  async function refusal(cause: string, workspaceId?: string, record?: Record<string, unknown>): Promise<DomainError | undefined> {
    if (cause.startsWith('guard:')) {
      const field = cause.slice('guard:'.length);
      const rule = definition.unique?.find((candidate) => candidate.field === field);
      const message = rule?.kind === shortCodeKind ? 'This short code is taken by another thing in this workspace.'
        : `Another ${definition.label} already has this ${field.replace(/_/g, ' ')}.`;
      return new DomainError(rule?.code ?? 'SHORT_CODE_TAKEN', message, { errors: [{ location: `body.${field}`, message: 'is taken' }] });
    }
    if (cause.startsWith('link:')) {
      const link = links.find((candidate) => candidate.field === cause.slice('link:'.length))!;
      const target = link.agree && workspaceId && record ? repository.linkOf(record, link) : undefined;
      if (target && (await repository.getEntity({ type: link.to }, workspaceId!, target, true))) {
        return new DomainError(link.agree!.code, link.agree!.message, { errors: [{ location: `body.${link.field}`, message: link.agree!.message }] });
      }
      return ReferenceNotFound(`No ${link.to.toLowerCase()} with that id in this workspace.`, fieldError(link));
    }
    if (cause === 'workspace') return new DomainError('WORKSPACE_ACCESS_DENIED', 'The workspace is being deleted.');
    return undefined;
  }

  /**
   * A touch that checks a version failed because an ancestor moved (walk again: a vanished one is
   * then found missing); one that only counts failed because the linked entity is gone.
   */
  const touchSteps = (touches: repository.Touch[]): Step[] =>
    repository.mergeTouches(touches).map((touch) => ({
      item: repository.touchItem(touch),
      cause: touch.versionIs !== undefined || touch.leaving ? 'ancestor'
        : `link:${links.find((link) => link.to === touch.type && touch.adds?.[link.counter] !== undefined)?.field ?? links[0]?.field}`,
    }));

  const guardSteps = (workspaceId: string, record: Record<string, unknown>, id: string): Step[] =>
    repository.guardsOf(definition, record).map((guard) => ({ item: repository.guardPut(workspaceId, guard.kind, guard.value, type, id), cause: `guard:${guard.field}` }));

  /** A new record from a client's input (generated values made afresh on every call). */
  function newRecord(workspaceId: string, actorId: string, input: EntityInput, generated: readonly { field: string; make: () => string }[]): CatalogRecord {
    const now = new Date().toISOString();
    return {
      ...Object.fromEntries(definition.fields.filter((field) => input[field] !== undefined && input[field] !== null).map((field) => [field, input[field]])),
      ...Object.fromEntries(generated.map((rule) => [rule.field, rule.make()])),
      id: newId(), workspace_id: workspaceId, ...(typeof input.name === 'string' ? { name: input.name } : {}), is_archived: false,
      created_at: now, updated_at: now, version: 1, created_by: actorId, updated_by: actorId,
    };
  }

  /**
   * The writes that create `record`: the entity and its guards, and what its links count and add
   * up (touches, merged by the caller with any other write's: one transaction item per key).
   */
  async function createSteps(workspaceId: string, record: CatalogRecord): Promise<Writes> {
    return {
      steps: [
        { item: { Put: { TableName: tableName, Item: repository.entityItem(definition, record), ConditionExpression: 'attribute_not_exists(PK)' } }, cause: 'entity' },
        ...guardSteps(workspaceId, record, record.id),
      ],
      touches: await linkTouches(workspaceId, undefined, record, record.id),
    };
  }

  /** Writes as one transaction's items, the touches of all of them merged. */
  const together = (...writes: Writes[]): Step[] => [...writes.flatMap((write) => write.steps), ...touchSteps(writes.flatMap((write) => write.touches))];

  const generatedFor = (input: EntityInput) => (definition.generated ?? []).filter((rule) => input[rule.field] === undefined || input[rule.field] === null);

  async function create(scope: WorkspaceScope, actorId: string, input: EntityInput): Promise<CatalogRecord> {
    const workspaceId = scope.workspace.id;
    // A generated value that collides (a short code, a SKU) is made again (a given one is the
    // client's to change); an ancestor that moved meanwhile is walked again.
    const generated = generatedFor(input);
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const record = newRecord(workspaceId, actorId, input, generated);
      const steps: Step[] = [...together(await createSteps(workspaceId, record)), { item: repository.workspaceActive(workspaceId), cause: 'workspace' }];
      const cause = await run(steps);
      if (cause === undefined) return present(record);
      if (generated.some((rule) => cause === `guard:${rule.field}`)) continue;
      if (cause === 'ancestor') continue;
      throw (await refusal(cause, workspaceId, record)) ?? new Error(`create ${type}: unexpected cancellation at ${cause}`);
    }
    throw new DomainError('RESOURCE_BUSY', `The ${definition.label} could not be placed: its place kept changing; try again.`, { retryAfter: 1 });
  }

  /**
   * The writes that take `current` to `next`: the entity's update (conditional on the version read,
   * and with `rules`, on their counters being zero at commit), its guards, its links' counts and sums.
   */
  async function changeSteps(workspaceId: string, current: CatalogRecord, next: CatalogRecord, rules: readonly { counter: string }[] = []): Promise<Writes> {
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
    const zero = counterConditions(rules, names, values);
    const steps: Step[] = [{
      item: {
        Update: {
          TableName: tableName, Key: keys.entity(workspaceId, type, id),
          UpdateExpression: `SET ${assignments.join(', ')}${removals.length ? ` REMOVE ${removals.join(', ')}` : ''}`,
          ConditionExpression: ['attribute_exists(PK)', '#version = :seen', ...zero].join(' AND '),
          ExpressionAttributeNames: names, ExpressionAttributeValues: values,
        },
      },
      cause: 'entity',
    }];
    // unique values that changed: the old guard goes, the new one must be free
    const guardsBefore = new Map(repository.guardsOf(definition, current).map((guard) => [guard.field, guard]));
    const guardsAfter = repository.guardsOf(definition, next);
    for (const guard of guardsAfter) {
      const old = guardsBefore.get(guard.field);
      if (old?.value === guard.value) continue;
      if (old) steps.push({ item: repository.guardDelete(workspaceId, old.kind, old.value, id), cause: 'entity' });
      steps.push({ item: repository.guardPut(workspaceId, guard.kind, guard.value, type, id), cause: `guard:${guard.field}` });
    }
    for (const old of guardsBefore.values()) {
      if (!guardsAfter.some((guard) => guard.field === old.field)) steps.push({ item: repository.guardDelete(workspaceId, old.kind, old.value, id), cause: 'entity' });
    }
    // links: counters and sums move between targets (see linkTouches)
    return { steps, touches: await linkTouches(workspaceId, current, next, id) };
  }

  /** `current` with `changes` applied (`null` clears a field) and its bookkeeping moved on. */
  function applied(current: CatalogRecord, changes: EntityInput, actorId: string): CatalogRecord {
    const next: CatalogRecord = { ...current, updated_at: new Date().toISOString(), updated_by: actorId, version: current.version + 1 };
    for (const [field, value] of Object.entries(changes)) {
      if (value === null) delete next[field];
      else next[field] = value;
    }
    return next;
  }

  /**
   * Applies `changes` (fields sent; `null` clears) on top of what was read, as one transaction
   * conditional on the version read. With `rules`, their counters must also be zero at commit.
   */
  async function change(
    scope: WorkspaceScope, actorId: string, id: string, ifMatch: IfMatch | undefined,
    apply: (current: CatalogRecord) => EntityInput | undefined, rules: readonly { counter: string }[] = [],
  ): Promise<CatalogRecord> {
    const outcome = await changeWith(scope, actorId, id, ifMatch, (current) => {
      const changes = apply(current);
      return changes ? { changes } : undefined;
    }, rules);
    return outcome.record;
  }

  /**
   * One entity's change written with other writes as one transaction (a split: the row's quantity
   * lowered, a new row made from it, and the movement recording both). `plan` sees the entity as
   * read (consistently) and answers its changes, new entities of the same type and items of other
   * kinds; it may refuse by throwing, and answers nothing when there is nothing to do. A lost race
   * reads again and plans again.
   */
  async function changeWith(
    scope: WorkspaceScope, actorId: string, id: string, ifMatch: IfMatch | undefined,
    plan: (current: CatalogRecord) => Plan | undefined,
    rules: readonly { counter: string }[] = [],
  ): Promise<{ record: CatalogRecord; created: CatalogRecord[] }> {
    const workspaceId = scope.workspace.id;
    const accepted = ifMatch?.versionsFor(id);
    return settleRace(async () => {
      const current = await read(scope, id, true);
      if (accepted && !accepted.includes(current.version)) throw VersionConflict();
      const planned = plan(current);
      if (!planned) return { record: present(current), created: [] }; // nothing to change (archiving what is archived)
      const next = applied(current, { ...planned.changes, ...planned.stamp }, actorId);
      const created = (planned.creates ?? []).map((input) => ({ ...newRecord(workspaceId, actorId, input, generatedFor(input)), ...planned.stamp }));
      const writes = [await changeSteps(workspaceId, current, next, rules)];
      for (const record of created) writes.push(await createSteps(workspaceId, record));
      const steps = [...together(...writes), ...(planned.writes?.(created, next) ?? []).map((item) => ({ item, cause: 'write' }))];
      const cause = await run(steps);
      if (cause === undefined) return { record: present(next), created: created.map(present) };
      if (cause === 'entity' || cause === 'ancestor') return lostRace;
      throw (await refusal(cause, workspaceId, next)) ?? new Error(`change ${type}: unexpected cancellation at ${cause}`);
    }, { conditional: accepted !== undefined });
  }

  /**
   * Clears a link to a target that was deleted (the change feed's cascade: items of a deleted
   * category lose their category), as a change by whoever deleted it; a record that links
   * elsewhere by now is left alone. Answers whether it changed anything.
   */
  async function unlink(workspaceId: string, actorId: string | undefined, id: string, field: string, targetId: string): Promise<boolean> {
    return settleRace(async () => {
      const current = await repository.getEntity(definition, workspaceId, id, true);
      if (!current || current[field] !== targetId) return false;
      const next = applied(current, { [field]: null }, actorId ?? current.updated_by);
      const cause = await run(together(await changeSteps(workspaceId, current, next)));
      if (cause === undefined) return true;
      if (cause === 'entity' || cause === 'ancestor') return lostRace;
      throw new Error(`unlink ${type}.${field}: unexpected cancellation at ${cause}`);
    }, { conditional: false });
  }

  /** Fields of a PATCH that the definition allows, with `null` only for the optional ones. */
  function patchOf(input: EntityInput): EntityInput {
    return Object.fromEntries(Object.entries(input).filter(([field, value]) =>
      definition.fields.includes(field) && value !== undefined && (value !== null || definition.optional.includes(field))));
  }

  async function update(scope: WorkspaceScope, actorId: string, id: string, input: EntityInput, ifMatch: IfMatch): Promise<CatalogRecord> {
    const changes = patchOf(input);
    return change(scope, actorId, id, ifMatch, (current) =>
      Object.entries(changes).some(([field, value]) => current[field] !== (value ?? undefined)) ? changes : undefined);
  }

  /** Archive or restore; archiving what is archived (or restoring what is not) changes nothing. */
  async function setArchived(scope: WorkspaceScope, actorId: string, id: string, archived: boolean, ifMatch?: IfMatch): Promise<CatalogRecord> {
    if (archived && definition.deletes === 'archive' && (definition.deleteRules?.length ?? 0) > 0) {
      return archiveGuarded(scope, actorId, id, ifMatch);
    }
    return change(scope, actorId, id, ifMatch, (current) => (current.is_archived === archived ? undefined : { is_archived: archived }));
  }

  /** An archive that the delete rules may forbid (a borrower with active loans). */
  async function archiveGuarded(scope: WorkspaceScope, actorId: string, id: string, ifMatch?: IfMatch): Promise<CatalogRecord> {
    const current = await read(scope, id, true);
    refuseByRules(current);
    return change(scope, actorId, id, ifMatch, (latest) => {
      refuseByRules(latest);
      return latest.is_archived ? undefined : { is_archived: true };
    }, definition.deleteRules);
  }

  /** `(counter absent or 0)` for each rule, for a condition expression. */
  function counterConditions(rules: readonly { counter: string }[], names: Record<string, string>, values: Record<string, unknown>): string[] {
    if (rules.length > 0) values[':zero'] = 0;
    return rules.map((rule, position) => {
      names[`#z${position}`] = rule.counter;
      return `(attribute_not_exists(#z${position}) OR #z${position} = :zero)`;
    });
  }

  function refuseByRules(record: CatalogRecord): void {
    for (const rule of definition.deleteRules ?? []) {
      if (Number(record[rule.counter] ?? 0) > 0) throw new DomainError(rule.code, rule.message);
    }
  }

  /**
   * Hard delete: refused (409) while a delete rule's counter is above zero; otherwise the entity,
   * its guards and its links' counts go in one transaction with the tombstone saying who and when.
   */
  async function remove(scope: WorkspaceScope, actorId: string, id: string, ifMatch: IfMatch): Promise<void> {
    if (definition.deletes === 'archive') {
      await setArchived(scope, actorId, id, true, ifMatch);
      return;
    }
    const workspaceId = scope.workspace.id;
    const accepted = ifMatch.versionsFor(id);
    await settleRace(async () => {
      const current = await read(scope, id, true);
      if (accepted && !accepted.includes(current.version)) throw VersionConflict();
      refuseByRules(current);
      const names: Record<string, string> = { '#version': 'version' };
      const values: Record<string, unknown> = { ':seen': current.version };
      const zero = counterConditions(definition.deleteRules ?? [], names, values);
      const steps: Step[] = [
        {
          item: {
            Delete: {
              TableName: tableName, Key: keys.entity(workspaceId, type, id),
              ConditionExpression: ['attribute_exists(PK)', '#version = :seen', ...zero].join(' AND '),
              ExpressionAttributeNames: names, ExpressionAttributeValues: values,
            },
          },
          cause: 'entity',
        },
        ...repository.guardsOf(definition, current).map((guard) => ({ item: repository.guardDelete(workspaceId, guard.kind, guard.value, id), cause: 'entity' })),
        ...touchSteps(await linkTouches(workspaceId, current, undefined, id)),
        {
          item: repository.tombstonePut({
            id: newId(), workspace_id: workspaceId, entity_type: type, entity_id: id, entity_name: current.name ?? '', deleted_at: new Date().toISOString(), deleted_by: actorId,
          }),
          cause: 'tombstone',
        },
      ];
      const cause = await run(steps);
      if (cause === undefined) return 'deleted';
      if (cause === 'entity') return lostRace; // changed, or something linked to it meanwhile: read again
      throw (await refusal(cause)) ?? new Error(`delete ${type}: unexpected cancellation at ${cause}`);
    }, { conditional: accepted !== undefined });
  }

  const listOptions = (query: ListQuery) => ({ includeArchived: query.include_archived === true, limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) });

  async function list(scope: WorkspaceScope, query: ListQuery): Promise<Page<CatalogRecord>> {
    return presentPage(await repository.listEntities(definition, scope.workspace.id, listOptions(query)));
  }

  /**
   * The entities linked through `field` to `targetId` (`undefined`: a tree's roots), in the link's
   * order; with `where`, only those holding these values (read and dropped: for short lists).
   */
  async function listLinked(scope: WorkspaceScope, field: string, targetId: string | undefined, query: ListQuery, where?: ListOptions['where']): Promise<Page<CatalogRecord>> {
    const link = links.find((candidate) => candidate.field === field);
    if (!link) throw new Error(`${type} has no link ${field}`);
    return presentPage(await repository.listLinked(definition, link, scope.workspace.id, targetId, { ...listOptions(query), ...(where ? { where } : {}) }));
  }

  /** The entities whose looked-up `field` is `value` (items by barcode), by name. */
  async function listByLookup(scope: WorkspaceScope, field: string, value: string, query: ListQuery): Promise<Page<CatalogRecord>> {
    const lookup = definition.lookups?.find((candidate) => candidate.field === field);
    if (!lookup) throw new Error(`${type} has no lookup ${field}`);
    return presentPage(await repository.listByLookup(definition, lookup, scope.workspace.id, value, listOptions(query)));
  }

  return {
    definition, prefetch,
    get: get as unknown as (scope: WorkspaceScope, id: string, consistent?: boolean) => Promise<R & CatalogRecord>,
    list: list as unknown as (scope: WorkspaceScope, query: ListQuery) => Promise<Page<R>>,
    listLinked: listLinked as unknown as (scope: WorkspaceScope, field: string, targetId: string | undefined, query: ListQuery, where?: ListOptions['where']) => Promise<Page<R>>,
    listByLookup: listByLookup as unknown as (scope: WorkspaceScope, field: string, value: string, query: ListQuery) => Promise<Page<R>>,
    create: create as unknown as (scope: WorkspaceScope, actorId: string, input: EntityInput) => Promise<R>,
    changeWith: changeWith as unknown as (...args: Parameters<typeof changeWith>) => Promise<{ record: R; created: R[] }>,
    change: change as unknown as (...args: Parameters<typeof change>) => Promise<R>,
    unlink,
    update: update as unknown as (scope: WorkspaceScope, actorId: string, id: string, input: EntityInput, ifMatch: IfMatch) => Promise<R>,
    remove,
    archive: async (scope: WorkspaceScope, actorId: string, id: string, ifMatch: IfMatch) => void (await setArchived(scope, actorId, id, true, ifMatch)),
    restore: async (scope: WorkspaceScope, actorId: string, id: string, ifMatch: IfMatch) => void (await setArchived(scope, actorId, id, false, ifMatch)),
  };
}

export type CatalogService<R extends { id: string } = CatalogRecord> = ReturnType<typeof catalogService<R>>;

