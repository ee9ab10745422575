// One lifecycle for every entity of a workspace's catalog (categories, locations, containers,
// companies, labels, borrowers; items, inventory after them): an entity is a declaration of what
// makes it different (its type, its editable fields, what must be unique, what it links to, what
// forbids its deletion), and the engine in this folder does the rest: create with guards, get,
// list by name with cursors, PATCH with If-Match, archive, restore, delete with rules and a
// tombstone. The engine never learns an entity's name: a new need is a new option here.
import { randomBytes } from 'node:crypto';
import type { ErrorCode } from '../../contract/errors.js';

/** The stored shape every catalog entity shares. */
export interface CatalogRecord {
  id: string;
  workspace_id: string;
  /** every entity listed by name has one (inventory rows have none) */
  name?: string;
  is_archived: boolean;
  created_at: string;
  updated_at: string;
  version: number;
  created_by: string;
  updated_by: string;
  [field: string]: unknown;
}

/** A value that must be unique in the workspace (archived entities included), kept by a guard item. */
export interface UniqueRule {
  field: string;
  /** the guard's kind; entities sharing a kind share the namespace (short codes of locations, containers and items) */
  kind: string;
  code: ErrorCode;
  /** how the guard's value is normalised: names compare case- and accent-insensitively, codes upper-cased */
  normalise: 'name' | 'code';
}

/**
 * A link to another entity of the same workspace (a category's parent, a container's location).
 * The target must exist when the link is made; the target counts its linked entities in
 * `counter`, in the same transaction, so a delete rule on the target is one condition.
 */
export interface LinkRule {
  field: string;
  /** the entity type linked to */
  to: string;
  /** the attribute on the target counting what links to it (archived ones included: delete rules rely on it) */
  counter: string;
  /**
   * A link to the same type forming a tree: the entity's `treeWalk` (tree-walk.ts, given to `entity()`
   * by the tree's service) refuses cycles, also under concurrent moves, and trees too deep.
   */
  tree?: true;
  /** the index listing the entities linked to one target (default: GSI2 for the first link, none for the others) */
  index?: 'GSI2' | 'GSI3' | 'GSI4';
  /** the order of that list: by folded name (default) or newest first */
  order?: 'name' | 'newest';
  /** amounts added up on the target while this entity is active (inventory quantities into an item's total) */
  sums?: readonly { from: string; into: string }[];
  /**
   * Amounts added up on the target under names the entity's values choose (an inventory row's
   * price into its item's `tally#price#EUR`), also only while the entity is active. Their names
   * start with `tally#`: never shown, read by the analytics projector from the target's images.
   */
  tallies?: (record: Record<string, unknown>) => Record<string, number>;
  /** a field the target must have equal to this entity's (a container must be at the inventory row's location) */
  agree?: { field: string; code: ErrorCode; message: string };
}

/** The prefix of every tally's name (LinkRule `tallies`). */
export const tallyPrefix = 'tally#';

/** A field whose exact value finds entities (items by barcode): indexed, not unique. */
export interface LookupRule {
  field: string;
  index: 'GSI4';
}

/** What forbids a delete (or, for entities that only archive, an archive): a counter above zero. */
export interface DeleteRule {
  counter: string;
  code: ErrorCode;
  message: string;
}

/** A whole-number field that may not go below another (an inventory row's quantity below what is on loan). */
export interface FloorRule {
  field: string;
  /** the attribute it may not go below */
  atLeast: string;
  code: ErrorCode;
  message: string;
}

/** A field that may not change while a counter is above zero (a container's location while inventory rows are in it). */
export interface FixedRule {
  field: string;
  counter: string;
  code: ErrorCode;
  message: string;
}

/** Counters that must be zero and attributes that must be at most a value when a change commits. */
export type ChangeRules = (current: CatalogRecord, next: CatalogRecord) => { zero?: string[]; atMost?: { field: string; value: number }[] };

export interface EntityDefinition {
  /** activity, change log, tombstones, keys: `CATEGORY` */
  type: string;
  /** in messages: `category` */
  label: string;
  /** fields a client sets (create) and changes (PATCH); `name` is always one */
  fields: readonly string[];
  /** fields PATCH may clear with `null` */
  optional: readonly string[];
  unique?: readonly UniqueRule[];
  links?: readonly LinkRule[];
  /** values made when a create leaves them out (a short code, a SKU); a made value that clashes with a unique one is made again */
  generated?: readonly { field: string; make: () => string }[];
  /** fields an answer shows that the record does not store (an item's `obsidian_uri`), and defaults (`label_ids: []`) */
  view?: (record: Record<string, unknown>) => Record<string, unknown>;
  deleteRules?: readonly DeleteRule[];
  /** index attributes of its own beyond the engine's (sparse ones: present only in some states) */
  indexes?: (record: Record<string, unknown>) => Record<string, string>;
  /** `archive`: DELETE archives (borrowers keep their loan history); `never`: no delete at all (inventory) */
  deletes?: 'hard' | 'archive' | 'never';
  /** listed by folded name in GSI1 (default true; inventory rows, which have no name, are not) */
  byName?: boolean;
  lookups?: readonly LookupRule[];
  /** the deepest a tree may grow (links with `tree`); a deeper move is refused */
  maxDepth?: number;
  /** stored attributes no answer shows (an inventory row's `on_loan`, its `last_movement_id`) */
  hidden?: readonly string[];
  /** for entities without a name: the linked entity whose name activity entries show (an inventory row's item) */
  nameFrom?: { field: string; type: string };
}

export function defineEntity<const D extends EntityDefinition>(definition: D): D {
  return definition;
}

/** The code namespace every scannable thing's short code shares, so a code resolves to one thing. */
export const shortCodeKind = 'SHORTCODE';

/** A name unique among the entity's kind in the workspace (archived ones included), without case or accents. */
export const uniqueName = (kind: string, code: ErrorCode): UniqueRule => ({ field: 'name', kind, code, normalise: 'name' });

/** 31 characters nobody confuses reading a label aloud or typing it: no 0/O, 1/I/L. */
const shortCodeAlphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** 8 characters of that alphabet (31^8 ≈ 8.5·10^11 codes), drawn without bias. */
export function newShortCode(): string {
  let code = '';
  while (code.length < 8) {
    for (const byte of randomBytes(16)) {
      if (byte < 248 && code.length < 8) code += shortCodeAlphabet[byte % 31];
    }
  }
  return code;
}

/** The short code rule: unique across everything scannable in the workspace. */
export const shortCodeRule: UniqueRule = { field: 'short_code', kind: shortCodeKind, code: 'SHORT_CODE_TAKEN', normalise: 'code' };

/** A short code (`short_code`): generated when absent, unique across everything scannable in the workspace. */
export const scannable = {
  generated: [{ field: 'short_code', make: newShortCode }],
  unique: [shortCodeRule],
} as const satisfies Pick<EntityDefinition, 'generated' | 'unique'>;

/** Folded for sorting and comparing: NFKD, accents dropped, lower case (so "Émile" sorts beside "emile"). */
export function foldName(name: string): string {
  return name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().slice(0, 200);
}

export const normalisedUnique = (rule: Pick<UniqueRule, 'normalise'>, value: string) =>
  rule.normalise === 'name' ? foldName(value) : value.toUpperCase();
