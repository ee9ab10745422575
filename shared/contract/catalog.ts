// The routes every catalog entity has (list, get, create, PATCH, archive, restore, delete), made
// from the entity's schemas so each entity's contract states only what differs. Each result is a
// plain route of the route table, named `list<Plural>`, `get<Singular>`, … like any other.
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

interface CatalogSpec<R extends z.ZodMiniType, C extends z.ZodMiniType, U extends z.ZodMiniType, S extends string, P extends string> {
  domain: string;
  /** `Category`: routes `getCategory`, `createCategory`, … */
  singular: S;
  /** `Categories`: route `listCategories` */
  plural: P;
  /** path segment: `categories` */
  segment: string;
  /** in summaries: `category` */
  noun: string;
  record: R;
  create: C;
  update: U;
  /** codes beyond the common ones, per operation */
  errors?: { create?: readonly ErrorCode[]; update?: readonly ErrorCode[]; delete?: readonly ErrorCode[]; archive?: readonly ErrorCode[] };
  /** `archive`: DELETE archives (borrowers), no separate archive route; `never`: no DELETE (items, inventory) */
  deletes?: 'hard' | 'archive' | 'never';
  /** false: no list of the whole collection (inventory rows are listed by item, location or container) */
  listed?: boolean;
}

type CollectionParams = z.ZodMiniObject<{ workspace_id: z.ZodMiniUUID }>;
type OneParams = typeof EntityParams;
type None = z.ZodMiniType;

/** The routes' types, so handlers see each route's params, query, body and answer. */
type Routes<R extends z.ZodMiniType, C extends z.ZodMiniType, U extends z.ZodMiniType, S extends string, P extends string> =
  & Record<`list${P}`, RouteContract<CollectionParams, typeof ListQuery, None, ReturnType<typeof pageOf<R>>, 'viewer'>>
  & Record<`get${S}`, RouteContract<OneParams, None, None, R, 'viewer'>>
  & Record<`create${S}`, RouteContract<CollectionParams, None, C, R, 'member'>>
  & Record<`update${S}`, RouteContract<OneParams, None, U, R, 'member'>>
  & Record<`restore${S}` | `delete${S}` | `archive${S}`, RouteContract<OneParams, None, None, None, 'member'>>;

export function catalogRoutes<R extends z.ZodMiniType, C extends z.ZodMiniType, U extends z.ZodMiniType, const S extends string, const P extends string>(
  spec: CatalogSpec<R, C, U, S, P>,
): Routes<R, C, U, S, P> {
  const collection = `/workspaces/{workspace_id}/${spec.segment}`;
  const one = `${collection}/{id}`;
  const { domain, noun, record } = spec;
  const routes: Record<string, RouteContract> = {
    [`get${spec.singular}`]: route({
      id: `get${spec.singular}`, method: 'GET', path: one, domain, access: 'viewer',
      summary: `One ${noun}`, params: EntityParams, response: record, status: 200, errors: ['NOT_FOUND'],
    }),
    [`create${spec.singular}`]: route({
      id: `create${spec.singular}`, method: 'POST', path: collection, domain, access: 'member',
      summary: `Create a ${noun}`, params: z.object({ workspace_id: Uuid }), body: spec.create, response: record, status: 201,
      location: `${collection}/{id}`, errors: spec.errors?.create ?? [],
    }),
    [`update${spec.singular}`]: route({
      id: `update${spec.singular}`, method: 'PATCH', path: one, domain, access: 'member', conditional: true,
      summary: `Change a ${noun}: only the fields sent; \`null\` clears an optional one`,
      params: EntityParams, body: spec.update, response: record, status: 200, errors: ['NOT_FOUND', 'RESOURCE_BUSY', ...(spec.errors?.update ?? [])],
    }),
    [`restore${spec.singular}`]: route({
      id: `restore${spec.singular}`, method: 'POST', path: `${one}/restore`, domain, access: 'member', conditional: true,
      summary: `Bring an archived ${noun} back (restoring an active one changes nothing)`,
      params: EntityParams, status: 204, errors: ['NOT_FOUND', 'RESOURCE_BUSY'],
    }),
  };
  if (spec.listed !== false) {
    routes[`list${spec.plural}`] = route({
      id: `list${spec.plural}`, method: 'GET', path: collection, domain, access: 'viewer',
      summary: `The workspace's ${spec.segment.replace(/-/g, ' ')} by name`,
      description: `Active ones by name; with \`include_archived=true\` the archived ones too, after them (by name).`,
      params: z.object({ workspace_id: Uuid }), query: ListQuery, response: pageOf(record), status: 200,
    });
  }
  if (spec.deletes !== 'never') {
    routes[`delete${spec.singular}`] = route({
      id: `delete${spec.singular}`, method: 'DELETE', path: one, domain, access: 'member', conditional: true,
      summary: spec.deletes === 'archive' ? `Archive a ${noun} (kept for its history)` : `Delete a ${noun} for good (a tombstone tells offline clients)`,
      params: EntityParams, status: 204, errors: ['NOT_FOUND', 'RESOURCE_BUSY', ...(spec.errors?.delete ?? [])],
    });
  }
  if (spec.deletes !== 'archive') {
    routes[`archive${spec.singular}`] = route({
      id: `archive${spec.singular}`, method: 'POST', path: `${one}/archive`, domain, access: 'member', conditional: true,
      summary: `Archive a ${noun}: hidden from lists unless asked for (archiving an archived one changes nothing)`,
      params: EntityParams, status: 204, errors: ['NOT_FOUND', 'RESOURCE_BUSY', ...(spec.errors?.archive ?? [])],
    });
  }
  return routes as unknown as Routes<R, C, U, S, P>;
}
