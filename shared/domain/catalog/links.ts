// What a write does to the entities its links point at (shared/domain/catalog/model.ts, LinkRule):
// counters and sums move between targets, a new target must exist (and agree where the link says
// so), and a tree link must not close a cycle or grow the tree past its depth.
import * as keys from '../../db/keys.js';
import type { LinkRule } from './model.js';
import * as repository from './repository.js';
import { TreeCycle, TreeTooDeep, ReferenceNotFound } from './errors.js';
import type { AnyEntity } from './entity.js';

/** What an active entity adds to its link target's sums (nothing while archived). */
const amounts = (link: LinkRule, record: Record<string, unknown> | undefined) =>
  Object.fromEntries((link.sums ?? []).map((sum) => [sum.into, record && record.is_archived !== true ? Number(record[sum.from] ?? 0) : 0]));

const negate = (values: Record<string, number>) => Object.fromEntries(Object.entries(values).map(([name, value]) => [name, -value]));

/** The 422 detail pointing at the link's field in the body. */
export const fieldError = (link: LinkRule, message = `is not ${withArticle(link.to.toLowerCase())} of this workspace`) =>
  ({ errors: [{ location: `body.${link.field}`, message }] });

/** `a category`, `an item`. */
export const withArticle = (noun: string) => `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;

/**
 * What going from `before` to `after` (a create has no `before`, a delete no `after`) does to the
 * targets of the entity's links: a target left counts one less and loses the entity's sums, a new
 * target (which must exist, and agree where the link says so) counts one more and gains them; a
 * target kept sees only the sums move (and is checked again when what it must agree with changed).
 * For a tree link made, the new parent and each of its ancestors must keep the version read while
 * walking up to the root, so two concurrent moves cannot close a cycle neither of them saw, and
 * the tree may not grow deeper than `maxDepth` levels with what sits below `self` counted.
 * Each touch names the link it serves, so a failed condition is blamed on the right field.
 */
export async function linkTouches(
  entity: AnyEntity, workspaceId: string, before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined, self: string,
): Promise<repository.Touch[]> {
  const touches: repository.Touch[] = [];
  for (const link of entity.links) {
    const from = before ? repository.linkOf(before, link) : undefined;
    const to = after ? repository.linkOf(after, link) : undefined;
    const was = amounts(link, before);
    const is = amounts(link, after);
    const agrees = link.agree && after && to ? { [link.agree.field]: after[link.agree.field] } : undefined;
    if (from && from === to) {
      const moved = Object.fromEntries(Object.entries(is).map(([into, amount]) => [into, amount - (was[into] ?? 0)]).filter(([, delta]) => delta !== 0));
      const agreeChanged = link.agree && before![link.agree.field] !== after![link.agree.field];
      if (Object.keys(moved).length || agreeChanged) {
        touches.push({ key: keys.entity(workspaceId, link.to, to), type: link.to, field: link.field, target: to, adds: moved, ...(agreeChanged ? { agrees } : {}) });
      }
      continue;
    }
    // A target deleted meanwhile (its links are being cleared by the change feed) is no longer counted.
    if (from && (await repository.getEntity({ type: link.to }, workspaceId, from, true))) {
      touches.push({ key: keys.entity(workspaceId, link.to, from), type: link.to, field: link.field, target: from, adds: { [link.counter]: -1, ...negate(was) }, leaving: true });
    }
    if (to) {
      touches.push({ key: keys.entity(workspaceId, link.to, to), type: link.to, field: link.field, target: to, adds: { [link.counter]: 1, ...is }, ...(agrees ? { agrees } : {}) });
      if (link.tree) {
        const chain = await ancestry(entity, workspaceId, link, to, self);
        const below = before ? await levelsBelow(entity, workspaceId, self, entity.maxDepth - chain.length - 1, link) : 0;
        if (chain.length + 1 + below > entity.maxDepth) throw tooDeep(entity, link);
        touches.push(...chain);
      }
    }
  }
  return touches;
}

const tooDeep = (entity: AnyEntity, link: LinkRule) =>
  TreeTooDeep(`${entity.definition.label} trees are at most ${entity.maxDepth} levels deep.`, fieldError(link, `would make the tree deeper than ${entity.maxDepth} levels`));

/**
 * How many levels hang below `id` (0 for a leaf), counted level by level through the children
 * index (one Query per node, the nodes of a level in parallel); it stops counting past `limit`.
 */
async function levelsBelow(entity: AnyEntity, workspaceId: string, id: string, limit: number, link: LinkRule): Promise<number> {
  let level = [id];
  for (let depth = 0; ; depth += 1) {
    const children = (await Promise.all(level.map((parent) => allChildren(entity, link, workspaceId, parent)))).flat();
    if (children.length === 0) return depth;
    if (depth + 1 > limit) throw tooDeep(entity, link);
    level = children;
  }
}

async function allChildren(entity: AnyEntity, link: LinkRule, workspaceId: string, parent: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await repository.listLinked(entity.definition, link, workspaceId, parent, { includeArchived: true, limit: 100, ...(cursor ? { cursor } : {}) });
    ids.push(...page.items.map((child) => child.id));
    cursor = page.next_cursor;
  } while (cursor);
  return ids;
}

/** The chain from `parentId` up to the root, each at the version read; refuses a cycle through `self`. */
async function ancestry(entity: AnyEntity, workspaceId: string, link: LinkRule, parentId: string, self: string | undefined): Promise<repository.Touch[]> {
  const { label } = entity.definition;
  const chain: repository.Touch[] = [];
  for (let current: string | undefined = parentId; current !== undefined;) {
    if (current === self) throw TreeCycle(`${withArticle(label).replace(/^a/, 'A')} cannot be placed inside itself or one of its own descendants.`, fieldError(link, 'is this one or one of its descendants'));
    if (chain.length >= entity.maxDepth) throw tooDeep(entity, link);
    const ancestor = await repository.getEntity({ type: link.to }, workspaceId, current, true);
    if (!ancestor) throw ReferenceNotFound(`No ${label} with that id in this workspace.`, fieldError(link));
    chain.push({ key: keys.entity(workspaceId, link.to, current), type: link.to, field: link.field, target: current, versionIs: ancestor.version });
    current = repository.linkOf(ancestor, link);
  }
  return chain;
}
