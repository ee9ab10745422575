// Cursor paging over a small list already in memory (a user's workspaces, a workspace's
// members), for lists whose order (by name, by join date) no key gives. The cursor is the
// sort key of the last item sent, so a page boundary survives inserts and removals.
import { DomainError } from './errors.js';
import type { Page } from '../db/table.js';

export function pageInMemory<T>(items: T[], sortKey: (item: T) => string, limit: number, cursor?: string): Page<T> {
  let after: string | undefined;
  if (cursor) {
    try {
      after = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')).after;
    } catch {
      after = undefined;
    }
    if (typeof after !== 'string') {
      throw new DomainError('invalid', 'INVALID_CURSOR', 'The cursor is not one this list gave out.', {
        errors: [{ location: 'query.cursor', message: 'is not a cursor of this list' }],
      });
    }
  }
  const sorted = [...items].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  const remaining = after === undefined ? sorted : sorted.filter((item) => sortKey(item) > after!);
  const page = remaining.slice(0, limit);
  const last = page.at(-1);
  return remaining.length > limit && last !== undefined
    ? { items: page, next_cursor: Buffer.from(JSON.stringify({ after: sortKey(last) })).toString('base64url') }
    : { items: page };
}
