// Cursor paging over a small list already in memory (a user's workspaces, a workspace's
// members), for lists whose order (by name, by join date) no key gives. The cursor is the
// sort key of the last item sent, so a page boundary survives inserts and removals.
import { decodeAfterCursor, encodeAfterCursor } from '../db/cursor.js';
import type { Page } from '../db/table.js';

export function pageInMemory<T>(list: string, items: T[], sortKey: (item: T) => string, limit: number, cursor?: string): Page<T> {
  const after = decodeAfterCursor(list, cursor);
  const sorted = [...items].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  const remaining = after === undefined ? sorted : sorted.filter((item) => sortKey(item) > after);
  const page = remaining.slice(0, limit);
  const last = page.at(-1);
  return remaining.length > limit && last !== undefined ? { items: page, next_cursor: encodeAfterCursor(list, sortKey(last)) } : { items: page };
}
