// Reading catalog entities: one by id (from the authorisation's prefetch when the route asked for
// it), lists by name, by link and by looked-up value. Everything here is a key lookup or a Query.
import type { WorkspaceScope } from '../../http/caller.js';
import type { Page } from '../../db/table.js';
import type { CatalogRecord } from './model.js';
import * as repository from './repository.js';
import type { ListOptions } from './repository.js';
import { notFound, present, presentPage, type AnyEntity, type Entity, type ListQuery } from './entity.js';

/** One entity as stored; when the route prefetched it with the authorisation (`prefetch`), no second read. */
export async function read(entity: AnyEntity, scope: WorkspaceScope, id: string, consistent = false): Promise<CatalogRecord> {
  const prefetched = scope.prefetched;
  if (!consistent && prefetched !== undefined && (prefetched === null || prefetched.id === id)) {
    if (prefetched?.entity !== entity.definition.type) throw notFound(entity);
    const { entity: _entity, ...record } = prefetched;
    return record as CatalogRecord;
  }
  return (await repository.getEntity(entity.definition, scope.workspace.id, id, consistent)) ?? Promise.reject(notFound(entity));
}

/** One entity as answers show it; 404 when the workspace has none with that id. */
export async function get<R extends { id: string }>(entity: Entity<R>, scope: WorkspaceScope, id: string, consistent = false): Promise<R & CatalogRecord> {
  return present(entity, await read(entity, scope, id, consistent)) as R & CatalogRecord;
}

const listOptions = (query: ListQuery) => ({ includeArchived: query.include_archived === true, limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) });

/** The workspace's entities by name (active first, archived after them on request). */
export async function list<R extends { id: string }>(entity: Entity<R>, scope: WorkspaceScope, query: ListQuery): Promise<Page<R>> {
  return presentPage(entity, await repository.listEntities(entity.definition, scope.workspace.id, listOptions(query))) as unknown as Page<R>;
}

/**
 * The entities linked through `field` to `targetId` (`undefined`: a tree's roots), in the link's
 * order; with `where`, only those holding these values (read and dropped: for short lists).
 */
export async function listLinked<R extends { id: string }>(
  entity: Entity<R>, scope: WorkspaceScope, field: string, targetId: string | undefined, query: ListQuery, where?: ListOptions['where'],
): Promise<Page<R>> {
  const link = entity.links.find((candidate) => candidate.field === field);
  if (!link) throw new Error(`${entity.definition.type} has no link ${field}`);
  const page = await repository.listLinked(entity.definition, link, scope.workspace.id, targetId, { ...listOptions(query), ...(where ? { where } : {}) });
  return presentPage(entity, page) as unknown as Page<R>;
}

/** The entities whose looked-up `field` is `value` (items by barcode), by name. */
export async function listByLookup<R extends { id: string }>(entity: Entity<R>, scope: WorkspaceScope, field: string, value: string, query: ListQuery): Promise<Page<R>> {
  const lookup = entity.definition.lookups?.find((candidate) => candidate.field === field);
  if (!lookup) throw new Error(`${entity.definition.type} has no lookup ${field}`);
  return presentPage(entity, await repository.listByLookup(entity.definition, lookup, scope.workspace.id, value, listOptions(query))) as unknown as Page<R>;
}
