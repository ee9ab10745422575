// The search index, in the table (shared/db/README.md says why this design and what it costs):
// - a posting per (word, entity): `WS#{ws}#TERMS` / `{word}#{rank}#{type}#{id}`, its rank saying
//   whether the entity is archived and the weight of the best field the word is in, so a word's
//   postings come best first: active before archived, the name before brand and codes before the
//   rest, oldest first within each. A word's postings are one Query (the range of `{word}#`), read
//   only as far as a page needs; the beginning of a word is one Query too (the range of `{beginning}`);
// - for typos, the workspace's vocabulary with one-letter deletions (SymSpell): `WS#{ws}#TYPOS` /
//   `{variant}#{word}` for each word of 5+ letters (no digit) and each of it with one letter left out. Two
//   words one typo apart share a variant, so a query word finds its neighbours in 1 + its length
//   Queries, whatever the workspace's size. Written once per word the workspace has not seen.
// The change feed keeps both current (functions/streams/projectors/search-index.ts).
import { batchWrite, type WriteRequest } from '../../db/batch-write.js';
import * as keys from '../../db/keys.js';
import { batchGet } from '../../db/table.js';
import { searchFieldsOf, type FiledUnder, type SearchType } from './fields.js';
import { typoFromLength } from './query.js';
import { compact, words } from './text.js';

/** A word longer than this is cut (no one types more; keys stay small). */
const maxWord = 48;
/** At most this many words of one entity are indexed: the weightiest first (a long description does not cost a hundred writes). */
export const maxWordsPerEntity = 80;

/** The words an entity is found by, each with the weight of the best field it is in. */
export function postingsOf(type: SearchType, record: Record<string, unknown>, filed: FiledUnder = {}): Map<string, number> {
  const found = new Map<string, number>();
  const add = (word: string, weight: number) => {
    const cut = word.slice(0, maxWord);
    if (cut !== '' && (found.get(cut) ?? 0) < weight) found.set(cut, weight);
  };
  for (const field of searchFieldsOf(type, record, filed)) {
    for (const word of words(field.text)) add(word, field.weight);
    if (field.code) add(compact(field.text), field.weight);
  }
  return new Map([...found].sort(([, a], [, b]) => b - a).slice(0, maxWordsPerEntity));
}

/** The words a typo may reach: those of fields that are not codes (a short code without digits is still a code). */
export function typoWordsOf(type: SearchType, record: Record<string, unknown>, filed: FiledUnder = {}): Set<string> {
  return new Set(searchFieldsOf(type, record, filed).filter((field) => !field.code).flatMap((field) => words(field.text)));
}

/** The one-letter deletions of a word of 5+ letters (none for shorter words, which forgive no typo). */
export function deletionsOf(word: string): string[] {
  if (word.length < typoFromLength) return [];
  return [...new Set(Array.from(word, (_, at) => word.slice(0, at) + word.slice(at + 1)))];
}

/**
 * A posting's rank: `a` (active) or `z` (archived), then 9 − the field weight (1–3), so keys sort
 * best first. The key is the whole posting (no attribute: every byte is read again by each query).
 */
const rankOf = (weight: number, archived: boolean) => `${archived ? 'z' : 'a'}${9 - weight}`;

/** The posting of `word` for this entity: its key, which is all it holds. */
export const postingKey = (workspaceId: string, word: string, type: SearchType, id: string, weight: number, archived: boolean) =>
  keys.searchPosting(workspaceId, word, rankOf(weight, archived), type, id);

/** word, weight, archived-ness, type and id of a posting's sort key */
export function postingKeyParts(sk: string): { word: string; weight: number; archived: boolean; type: SearchType; id: string } {
  const [word, rank, type, id] = sk.split('#') as [string, string, SearchType, string];
  return { word, weight: 9 - Number(rank.slice(1)), archived: rank.startsWith('z'), type, id };
}

/** The sort keys of an entity's postings, as the index should hold them. */
export function postingSortKeys(workspaceId: string, type: SearchType, id: string, record: Record<string, unknown>, filed: FiledUnder = {}): Set<string> {
  const archived = record.is_archived === true;
  return new Set([...postingsOf(type, record, filed)].map(([word, weight]) => postingKey(workspaceId, word, type, id, weight, archived).SK));
}

/** The search index's writes: a few groups at a time (the writes of one change are independent of each other), a few attempts (then the stream redelivers). */
export const writeAll = (requests: readonly WriteRequest[]): Promise<void> => batchWrite(requests, { parallel: 4, attempts: 5, what: 'search index' });

/**
 * Makes the typo entries of words the workspace may not have seen: their deletions first, then the
 * word's own entry, which marks it known (a failure in between is made good when the word comes
 * again: its mark is still absent).
 */
export async function learnWords(workspaceId: string, candidates: readonly string[]): Promise<void> {
  // only words a query may reach by a typo: 5+ letters, no digit (codes match exactly: query.ts)
  const unique = [...new Set(candidates)].filter((word) => word.length >= typoFromLength && !/\d/.test(word));
  const marks = await batchGet<{ SK: string }>(unique.map((word) => keys.searchTypo(workspaceId, word, word)), { projection: 'SK' });
  const known = new Set(marks.map((mark) => mark.SK.slice(0, mark.SK.indexOf('#'))));
  const fresh = unique.filter((word) => !known.has(word));
  if (fresh.length === 0) return;
  await writeAll(fresh.flatMap((word) => deletionsOf(word).map((variant) => ({ PutRequest: { Item: { ...keys.searchTypo(workspaceId, variant, word), word } } }))));
  await writeAll(fresh.map((word) => ({ PutRequest: { Item: { ...keys.searchTypo(workspaceId, word, word), word } } })));
}

/** The writes that take an entity's postings from `before` to `after` (either absent: created, deleted), with what an item is filed under before and after. */
export function postingChanges(
  workspaceId: string, type: SearchType, id: string, before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined,
  filed: { before?: FiledUnder; after?: FiledUnder } = {},
) {
  const old = before ? postingSortKeys(workspaceId, type, id, before, filed.before) : new Set<string>();
  const next = after ? postingSortKeys(workspaceId, type, id, after, filed.after) : new Set<string>();
  const partition = keys.searchPosting(workspaceId, '', '', '', '').PK;
  // a word whose weight or archived flag changed moves to another key: the old one goes, the new one comes
  const requests: WriteRequest[] = [
    ...[...old].filter((sk) => !next.has(sk)).map((sk) => ({ DeleteRequest: { Key: { PK: partition, SK: sk } } })),
    ...[...next].filter((sk) => !old.has(sk)).map((sk) => ({ PutRequest: { Item: { PK: partition, SK: sk } } })),
  ];
  // words new to the entity that a typo may reach (learnWords skips the ones the workspace knows)
  const known = before ? typoWordsOf(type, before, filed.before) : new Set<string>();
  const indexed = after ? postingsOf(type, after, filed.after) : new Map<string, number>();
  const added = after ? [...typoWordsOf(type, after, filed.after)].filter((word) => !known.has(word) && indexed.has(word)) : [];
  return { requests, added };
}
