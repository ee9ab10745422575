// Reading up a tree of catalog entities (categories, locations): from one entity to its root.
import type { WorkspaceScope } from '../../http/caller.js';
import type { CatalogRecord } from './model.js';
import { linkOf } from './repository.js';
import type { Entity } from './entity.js';
import { get } from './read.js';

/** The entity and its ancestors, root first (at most the tree's depth limit of reads). */
export async function breadcrumbOf<R extends { id: string }>(entity: Entity<R>, scope: WorkspaceScope, id: string): Promise<CatalogRecord[]> {
  const link = entity.definition.links?.find((candidate) => candidate.tree);
  if (!link) throw new Error(`${entity.definition.type} is not a tree`);
  const chain: CatalogRecord[] = [await get(entity, scope, id)];
  // Moves keep trees within maxDepth; the cap only bounds the reads should data ever say otherwise.
  const limit = 2 * (entity.definition.maxDepth ?? 20);
  for (let parent = linkOf(chain[0]!, link); parent !== undefined && chain.length <= limit;) {
    const ancestor = await get(entity, scope, parent).catch(() => undefined);
    if (!ancestor) break; // a parent deleted meanwhile ends the path
    chain.unshift(ancestor);
    parent = linkOf(ancestor, link);
  }
  return chain;
}
