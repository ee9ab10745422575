// Opaque list cursors. A cursor is base64url JSON naming its list and a position in it. A cursor
// that decodes is still checked to be a position of exactly this list (the list's name, exactly
// the key attributes its Query returns, all non-empty strings within DynamoDB's key sizes, the
// partition being read, the sort-key prefix the Query is bounded by), so a crafted or misplaced
// cursor answers 422 INVALID_CURSOR instead of reaching DynamoDB as an invalid start key.
import { InvalidCursor } from '../domain/errors.js';
import type { IndexName } from './table-definition.js';

/** Which list a key cursor belongs to and what its positions look like. */
export interface KeyList {
  /** a stable name, unique per list (`notifications`, `notifications.unread`, …) */
  list: string;
  /** the index the Query reads; the base table when absent */
  index?: IndexName;
  /** the partition key value the Query reads */
  partition: string;
  /** the Query's `begins_with` bound on the sort key, if any */
  sortPrefix?: string;
  /** the Query's `> bound` on the sort key (activity since, tombstones since), if any */
  sortAbove?: string;
  /**
   * On an index: whether the table's own key in a position belongs with its index key (an item
   * of this list has exactly that key), so a position cannot name another partition's item.
   */
  tableKeyFits?: (position: Record<string, string>) => boolean;
}

/** The key attributes of a position: the index's keys, then the table's (what LastEvaluatedKey holds). */
export function positionKeys(index?: IndexName): { partition: string; sort: string; all: readonly string[] } {
  if (!index) return { partition: 'PK', sort: 'SK', all: ['PK', 'SK'] };
  const partition = `${index}PK`;
  const sort = `${index}SK`;
  return { partition, sort, all: [partition, sort, 'PK', 'SK'] };
}

/** DynamoDB's limits on key values: 2048 bytes for a partition key, 1024 for a sort key. */
const maxKeyBytes = { partition: 2048, sort: 1024 };

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function decode(cursor: string): Record<string, unknown> {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw InvalidCursor();
  }
  if (!decoded || typeof decoded !== 'object' || Array.isArray(decoded)) throw InvalidCursor();
  return decoded as Record<string, unknown>;
}

const isKeyString = (value: unknown, maxBytes: number): value is string =>
  typeof value === 'string' && value.length > 0 && Buffer.byteLength(value) <= maxBytes && value.isWellFormed();

export function encodeKeyCursor(list: KeyList, lastKey: Record<string, unknown> | undefined): string | undefined {
  return lastKey ? encode({ l: list.list, k: lastKey }) : undefined;
}

/** The start key inside a cursor of `list`; refuses anything else with 422 INVALID_CURSOR. */
export function decodeKeyCursor(list: KeyList, cursor: string | undefined): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  const { l, k, ...extra } = decode(cursor);
  if (l !== list.list || Object.keys(extra).length > 0 || !k || typeof k !== 'object' || Array.isArray(k)) throw InvalidCursor();
  const key = k as Record<string, unknown>;
  const names = positionKeys(list.index);
  if (Object.keys(key).length !== names.all.length) throw InvalidCursor();
  for (const name of names.all) {
    const limit = name === names.partition || name === 'PK' ? maxKeyBytes.partition : maxKeyBytes.sort;
    if (!isKeyString(key[name], limit)) throw InvalidCursor();
  }
  if (key[names.partition] !== list.partition) throw InvalidCursor();
  if (list.sortPrefix !== undefined && !(key[names.sort] as string).startsWith(list.sortPrefix)) throw InvalidCursor();
  if (list.sortAbove !== undefined && !((key[names.sort] as string) > list.sortAbove)) throw InvalidCursor();
  if (list.index && !list.tableKeyFits?.(key as Record<string, string>)) throw InvalidCursor();
  return key as Record<string, string>;
}

/** A cursor of a list paged in memory: the sort value of the last item sent. */
export function encodeAfterCursor(list: string, after: string): string {
  return encode({ l: list, a: after });
}

export function decodeAfterCursor(list: string, cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const { l, a, ...extra } = decode(cursor);
  if (l !== list || Object.keys(extra).length > 0 || typeof a !== 'string' || a.length > 4096) throw InvalidCursor();
  return a;
}

/**
 * A cursor holding several strings (delta sync: where the last page ended and where the sync
 * stops). Each field must be a string `fits` accepts; nothing else may be in it.
 */
export function encodeFieldsCursor(list: string, fields: Record<string, string>): string {
  return encode({ l: list, ...fields });
}

export function decodeFieldsCursor<const F extends string>(list: string, cursor: string, fields: readonly F[], fits: (values: Record<F, string>) => boolean): Record<F, string> {
  const { l, ...rest } = decode(cursor);
  if (l !== list || Object.keys(rest).length !== fields.length) throw InvalidCursor();
  for (const field of fields) if (!isKeyString(rest[field], maxKeyBytes.sort)) throw InvalidCursor();
  const values = rest as Record<F, string>;
  if (!fits(values)) throw InvalidCursor();
  return values;
}

/** The list a cursor says it belongs to (to choose how to read it); undefined for a malformed one. */
export function listOfCursor(cursor: string): string | undefined {
  try {
    const { l } = decode(cursor);
    return typeof l === 'string' ? l : undefined;
  } catch {
    return undefined;
  }
}
