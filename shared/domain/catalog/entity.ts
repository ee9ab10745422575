// An entity of the catalog as the engine's operations take it: its declaration (model.ts) and what
// follows from it once. The operations are plain functions of an entity, one module per kind of
// operation (read.ts, create.ts, change.ts, delete.ts), so a route's bundle holds only the ones its
// handler calls: a GET carries no write code (see infra/bundle.ts on per-route tree shaking).
import type { Page } from '../../db/table.js';
import * as keys from '../../db/keys.js';
import type { CatalogRecord, ChangeRules, EntityDefinition, LinkRule } from './model.js';
import type { TreeWalk } from './tree-walk.js';
import type { Uniques } from './uniques.js';
import { CatalogNotFound } from './errors.js';

/** What a client sends to create or change an entity: its fields, `null` clearing an optional one. */
export type EntityInput = Record<string, unknown>;

export interface ListQuery {
  limit: number;
  cursor?: string;
  include_archived?: boolean;
}

/** `R` is what the entity's records look like to callers (the contract's answer shape). */
export interface Entity<R extends { id: string } = CatalogRecord> {
  readonly definition: EntityDefinition;
  readonly links: readonly LinkRule[];
  readonly maxDepth: number;
  /** for httpRoute's `prefetch` option: the key a GET of one entity reads, from its path */
  readonly prefetch: (params: Record<string, string>) => { PK: string; SK: string };
  /** walks the tree on a `tree` link made (tree-walk.ts) */
  readonly treeWalk?: TreeWalk;
  /** what a change may not do (`fixedWhile`, `floors` in change-rules.ts): throws to refuse, answers what must hold at commit */
  readonly changeRules?: ChangeRules;
  /** keeps the guards of its unique values (uniques.ts); every entity whose definition declares `unique` has it */
  readonly uniques?: Uniques;
  /** the answer type only; never set */
  readonly record?: R;
}

/**
 * What an entity does beyond its declaration, given by its service: code, not data, so the
 * declarations (which the change feed and sync read for every type) do not carry it.
 */
export interface Behaviour {
  treeWalk?: TreeWalk;
  changeRules?: ChangeRules;
  uniques?: Uniques;
}

/** Any entity, for the operations that do not answer its records. */
export type AnyEntity = Entity<{ id: string }>;

/** A stored record as callers see it. */
export type RecordOf<E> = E extends Entity<infer R> ? R & CatalogRecord : never;

const defaultMaxDepth = 20;

/** An entity of the catalog from its declaration (call it `/* @__PURE__ *\/`: building one has no effect). */
export function entity<R extends { id: string } = CatalogRecord>(definition: EntityDefinition, behaviour: Behaviour = {}): Entity<R> {
  if (definition.unique && !behaviour.uniques) throw new Error(`${definition.type} declares unique values: its entity needs { uniques }`);
  return {
    ...behaviour,
    definition,
    links: definition.links ?? [],
    maxDepth: definition.maxDepth ?? defaultMaxDepth,
    prefetch: (params) => keys.entity(params.workspace_id!, definition.type, params.id!),
  };
}

export const notFound = (entity: AnyEntity) => CatalogNotFound(`No ${entity.definition.label} with that id in this workspace.`);

/** The record as answers show it: with the definition's derived fields and defaults. */
export function present<T extends Record<string, unknown>>(entity: AnyEntity, record: T): T {
  const view = entity.definition.view;
  return view ? { ...record, ...view(record) } : record;
}

export const presentPage = (entity: AnyEntity, page: Page<CatalogRecord>): Page<CatalogRecord> => ({ ...page, items: page.items.map((record) => present(entity, record)) });
