// The routes every catalog entity has (list, get, create, PATCH, archive, restore, delete), made
// from the entity's schemas so each entity's contract states only what differs. Each is a plain
// route of the route table, named `list<Plural>`, `get<Singular>`, … like any other.
//
// One helper per route, each taking only what its route holds (the answer shape, the body), so a
// route's bundle carries its own schemas and not its siblings' (a GET never holds the create body).
import * as z from 'zod/mini';
import type { ErrorCode } from './errors.js';
import { route, type RouteContract } from './route.js';
import { entityMeta, IdOut, ListQuery, named, pageOf, Uuid } from './common.js';

/** The answer shape of a catalog entity: its own fields, and what every entity of a workspace carries. */
export function catalogRecord<S extends Record<string, z.ZodMiniType>>(id: string, shape: S, description: string) {
  return named(id, z.object({
    id: IdOut,
    workspace_id: IdOut,
    ...shape,
    is_archived: z.boolean(),
    ...entityMeta,
  }), description);
}

export const EntityParams = /* @__PURE__ */ z.object({ workspace_id: Uuid, id: Uuid });
export const CollectionParams = /* @__PURE__ */ z.object({ workspace_id: Uuid });

/** What names an entity's routes; a plain object, so declaring it costs a bundle nothing. */
export interface CatalogSpec {
  domain: string;
  /** `Category`: routes `getCategory`, `createCategory`, … */
  singular: string;
  /** `Categories`: route `listCategories` */
  plural: string;
  /** path segment: `categories` */
  segment: string;
  /** in summaries: `category` */
  noun: string;
}

type None = z.ZodMiniType;
const collectionOf = (spec: CatalogSpec) => `/workspaces/{workspace_id}/${spec.segment}`;
const oneOf = (spec: CatalogSpec) => `${collectionOf(spec)}/{id}`;

/** `GET /<segment>`: active ones by name, archived ones after them on request. */
export function listRoute<R extends z.ZodMiniType>(spec: CatalogSpec, record: R) {
  return route({
    id: `list${spec.plural}`, method: 'GET', path: collectionOf(spec), domain: spec.domain, access: 'viewer',
    summary: `The workspace's ${spec.segment.replace(/-/g, ' ')} by name`,
    description: `Active ones by name; with \`include_archived=true\` the archived ones too, after them (by name).`,
    params: CollectionParams, query: ListQuery, response: pageOf(record), status: 200,
  });
}

/** `GET /<segment>/{id}` */
export function getRoute<R extends z.ZodMiniType>(spec: CatalogSpec, record: R): RouteContract<typeof EntityParams, None, None, R, 'viewer'> {
  return route({
    id: `get${spec.singular}`, method: 'GET', path: oneOf(spec), domain: spec.domain, access: 'viewer',
    summary: `One ${spec.noun}`, params: EntityParams, response: record, status: 200, errors: ['NOT_FOUND'],
  });
}

/** `POST /<segment>` */
export function createRoute<R extends z.ZodMiniType, B extends z.ZodMiniType>(
  spec: CatalogSpec, record: R, body: B, errors: readonly ErrorCode[] = [], options: { idempotent?: boolean } = {},
): RouteContract<typeof CollectionParams, None, B, R, 'member'> {
  return route({
    id: `create${spec.singular}`, method: 'POST', path: collectionOf(spec), domain: spec.domain, access: 'member',
    summary: `Create a ${spec.noun}`, params: CollectionParams, body, response: record, status: 201,
    location: `${collectionOf(spec)}/{id}`, errors, replayable: true, ...options,
  });
}

/** `PATCH /<segment>/{id}` with If-Match */
export function updateRoute<R extends z.ZodMiniType, B extends z.ZodMiniType>(spec: CatalogSpec, record: R, body: B, errors: readonly ErrorCode[] = []):
  RouteContract<typeof EntityParams, None, B, R, 'member'> {
  return route({
    id: `update${spec.singular}`, method: 'PATCH', path: oneOf(spec), domain: spec.domain, access: 'member', conditional: true,
    summary: `Change a ${spec.noun}: only the fields sent; \`null\` clears an optional one`,
    params: EntityParams, body, response: record, status: 200, errors: ['NOT_FOUND', 'RESOURCE_BUSY', ...errors],
  });
}

/** `POST /<segment>/{id}/restore` */
export function restoreRoute(spec: CatalogSpec): RouteContract<typeof EntityParams, None, None, None, 'member'> {
  return route({
    id: `restore${spec.singular}`, method: 'POST', path: `${oneOf(spec)}/restore`, domain: spec.domain, access: 'member', conditional: true,
    summary: `Bring an archived ${spec.noun} back (restoring an active one changes nothing)`,
    params: EntityParams, status: 204, errors: ['NOT_FOUND', 'RESOURCE_BUSY'],
  });
}

/** `POST /<segment>/{id}/archive` (entities whose DELETE archives have no such route) */
export function archiveRoute(spec: CatalogSpec, errors: readonly ErrorCode[] = []): RouteContract<typeof EntityParams, None, None, None, 'member'> {
  return route({
    id: `archive${spec.singular}`, method: 'POST', path: `${oneOf(spec)}/archive`, domain: spec.domain, access: 'member', conditional: true,
    summary: `Archive a ${spec.noun}: hidden from lists unless asked for (archiving an archived one changes nothing)`,
    params: EntityParams, status: 204, errors: ['NOT_FOUND', 'RESOURCE_BUSY', ...errors],
  });
}

/** `DELETE /<segment>/{id}`: for good with a tombstone, or (`archives`) an archive that keeps the history (borrowers). */
export function deleteRoute(spec: CatalogSpec, errors: readonly ErrorCode[] = [], archives = false): RouteContract<typeof EntityParams, None, None, None, 'member'> {
  return route({
    id: `delete${spec.singular}`, method: 'DELETE', path: oneOf(spec), domain: spec.domain, access: 'member', conditional: true,
    summary: archives ? `Archive a ${spec.noun} (kept for its history)` : `Delete a ${spec.noun} for good (a tombstone tells offline clients)`,
    params: EntityParams, status: 204, errors: ['NOT_FOUND', 'RESOURCE_BUSY', ...errors],
  });
}
