// Walking a tree of catalog entities when a link in it is made (a category's parent, a location's):
// no cycle, no deeper than the entity's `maxDepth`. A tree link says `tree: true`; the tree's service
// gives this walk to its entity (`catalog.entity(definition, { treeWalk })`), so only the tree's own writes carry this code (and the list queries it needs).
import * as keys from '../../db/keys.js';
import type { LinkRule } from './model.js';
import * as repository from './repository.js';
import { ReferenceNotFound, TreeCycle, TreeTooDeep } from './errors.js';
import { fieldError, withArticle } from './links.js';
import type { AnyEntity } from './entity.js';

/**
 * For a tree link made to `parentId`: the new parent and each of its ancestors must keep the
 * version read while walking up to the root, so two concurrent moves cannot close a cycle neither
 * of them saw, and the tree may not grow deeper than `maxDepth` levels with what sits below `self`
 * (when it existed before: `moved`) counted.
 */
export type TreeWalk = typeof treeWalk;

export async function treeWalk(entity: AnyEntity, workspaceId: string, link: LinkRule, parentId: string, self: string, moved: boolean): Promise<repository.Touch[]> {
  const chain = await ancestry(entity, workspaceId, link, parentId, self);
  const below = moved ? await levelsBelow(entity, workspaceId, self, entity.maxDepth - chain.length - 1, link) : 0;
  if (chain.length + 1 + below > entity.maxDepth) throw tooDeep(entity, link);
  return chain;
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
    const children = (await Promise.all(level.map((parent) => repository.linkedIds(entity.definition, link, workspaceId, parent)))).flat();
    if (children.length === 0) return depth;
    if (depth + 1 > limit) throw tooDeep(entity, link);
    level = children;
  }
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
