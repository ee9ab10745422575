// What a write does to the entities its links point at (shared/domain/catalog/model.ts, LinkRule):
// counters and sums move between targets, a new target must exist (and agree where the link says
// so), and a tree link must not close a cycle or grow the tree past its depth.
import * as keys from '../../db/keys.js';
import type { LinkRule } from './model.js';
import * as repository from './repository.js';
import type { AnyEntity } from './entity.js';

/** What an active entity adds to its link target's sums (nothing while archived). */
function amounts(link: LinkRule, record: Record<string, unknown> | undefined): Record<string, number> {
  const active = record !== undefined && record.is_archived !== true;
  return {
    ...Object.fromEntries((link.sums ?? []).map((sum) => [sum.into, active ? Number(record[sum.from] ?? 0) : 0])),
    ...(active && link.tallies ? link.tallies(record) : {}),
  };
}

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
 * A tree link made also checks the tree (its `tree` walk: tree-walk.ts, declared by the tree's
 * entities, so other entities' writes do not carry it).
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
      // tallies are named by values (a currency), so a name may be in only one of the two
      const moved = Object.fromEntries([...new Set([...Object.keys(was), ...Object.keys(is)])]
        .map((into) => [into, (is[into] ?? 0) - (was[into] ?? 0)] as const).filter(([, delta]) => delta !== 0));
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
        if (!entity.treeWalk) throw new Error(`${entity.definition.type}.${link.field} is a tree link: its entity needs a treeWalk`);
        touches.push(...(await entity.treeWalk(entity, workspaceId, link, to, self, before !== undefined)));
      }
    }
  }
  return touches;
}

