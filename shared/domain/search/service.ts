// One search over a workspace, from the index (postings.ts): each word of the query reads its
// postings (the word itself; the last word also every word it begins; a word of 5+ letters also
// the words one typo away, found through the typo entries), the entities every word found are
// ranked by the weights of their postings (the name above brand and codes above the rest; the
// whole word above its beginning above a typo), entities with an excluded word are dropped, and
// the page's entities are read to check phrases and show a snippet. The cost follows the postings
// the query's words touch, not the workspace.
import * as keys from '../../db/keys.js';
import { batchGet, projectionOf, queryAll } from '../../db/table.js';
import { decodeFieldsCursor, encodeFieldsCursor } from '../../db/cursor.js';
import type { WorkspaceScope } from '../../http/caller.js';
import { searchFieldsOf, searchTypes, type SearchType } from './fields.js';
import { matchFields } from './match.js';
import { filedNames, filedUnder } from './filed.js';
import { parseQuery, type Term } from './query.js';
import { withinOneTypo } from './text.js';
import { deletionsOf, postingKeyParts } from './postings.js';

export interface SearchRequest {
  q: string;
  types?: string | undefined;
  limit: number;
  cursor?: string | undefined;
  include_archived?: boolean | undefined;
}

export interface SearchResult {
  entity_type: SearchType;
  id: string;
  name: string;
  snippet: string;
  score: number;
  matched_fields: string[];
}

/**
 * A word's postings read at most. They come in key order (word, type, id), not by weight: a word
 * with more is "not all read", and the other words' entities are then checked against it on the
 * page (the matcher reads the entity), so an AND with a common word loses nothing it can see.
 */
const postingsPerWord = 2_000;
/** Words one typo away looked up per query word, at most. */
const typoNeighbours = 12;
/** Beginnings shorter than this match only whole words (a single letter would read half the index). */
const shortestBeginning = 2;
const worth = { word: 1, start: 0.75, typo: 0.5 } as const;

interface Posting {
  key: string;
  type: SearchType;
  id: string;
  w: number;
  a: boolean;
  word: string;
}

/** Items of `partition` whose sort key starts with `prefix` (at most `max`), only these attributes. */
const startingWith = (partition: string, prefix: string, max: number, attributes: readonly string[]) => queryAll<Record<string, unknown>>({
  KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)', ExpressionAttributeValues: { ':pk': partition, ':prefix': prefix }, ...projectionOf(attributes),
}, max);

/** Postings of every word starting with `prefix` (a whole word: `word#`); `cut` when there were more than `postingsPerWord`. */
async function postingsStarting(workspaceId: string, prefix: string): Promise<Posting[] & { cut?: boolean }> {
  const items = await startingWith(keys.searchPosting(workspaceId, '', '', '').PK, prefix, postingsPerWord, ['SK', 'w', 'a']);
  return Object.assign(items.map((item) => {
    const { word, type, id } = postingKeyParts(String(item.SK));
    return { key: id, type, id, w: Number(item.w), a: item.a === true, word };
  }), { cut: items.length >= postingsPerWord });
}

/** The workspace's words one typo away from `word` (itself left out), through the typo entries. */
async function typoNeighboursOf(workspaceId: string, word: string): Promise<string[]> {
  const partition = keys.searchTypo(workspaceId, '', '').PK;
  const lookups = [word, ...deletionsOf(word)].map((variant) => startingWith(partition, `${variant}#`, 50, ['SK']));
  const words = new Set<string>();
  for (const items of await Promise.all(lookups)) {
    for (const item of items) {
      const candidate = String(item.SK).slice(String(item.SK).indexOf('#') + 1);
      if (candidate !== word && withinOneTypo(word, candidate)) words.add(candidate);
    }
  }
  return [...words].slice(0, typoNeighbours);
}

/** For one query word: each entity it finds, with the best weight × kind of match; `complete` unless a read was cut. */
async function matchesOf(workspaceId: string, term: Term): Promise<Map<string, { posting: Posting; value: number }> & { complete: boolean }> {
  const reads: Promise<{ postings: Posting[] & { cut?: boolean }; kind: keyof typeof worth }[]>[] = [];
  const beginning = term.prefix && term.text.length >= shortestBeginning;
  reads.push(postingsStarting(workspaceId, beginning ? term.text : `${term.text}#`).then((postings) => [{ postings, kind: 'start' }]));
  if (term.fuzzy) {
    reads.push(typoNeighboursOf(workspaceId, term.text).then(async (neighbours) =>
      Promise.all(neighbours.map(async (neighbour) => ({ postings: await postingsStarting(workspaceId, `${neighbour}#`), kind: 'typo' as const })))));
  }
  const groups = (await Promise.all(reads)).flat();
  const found = Object.assign(new Map<string, { posting: Posting; value: number }>(), { complete: groups.every((group) => !group.postings.cut) });
  for (const group of groups) {
    for (const posting of group.postings) {
      const kind = group.kind === 'start' && posting.word === term.text ? 'word' : group.kind;
      const value = posting.w * worth[kind];
      if (value > (found.get(posting.key)?.value ?? 0)) found.set(posting.key, { posting, value });
    }
  }
  return found;
}

const typesOf = (types: string | undefined): Set<SearchType> =>
  new Set(types ? (types.split(',') as SearchType[]) : (Object.keys(searchTypes) as SearchType[]));

/** One page of what the index found, best first: each with its entity as stored and how it matched. */
export async function searchPage(scope: WorkspaceScope, request: SearchRequest): Promise<{
  found: { type: SearchType; id: string; score: number; record: Record<string, unknown>; match: NonNullable<ReturnType<typeof matchFields>> }[]; next_cursor?: string;
}> {
  const workspaceId = scope.workspace.id;
  const query = parseQuery(request.q);
  const offset = request.cursor
    ? Number(decodeFieldsCursor('search', request.cursor, ['o', 'q'], (values) => /^\d{1,5}$/.test(values.o) && values.q === request.q.slice(0, 200)).o)
    : 0;
  if (query.terms.length === 0) return { found: [] };
  const wanted = typesOf(request.types);
  const unique = [...new Map(query.terms.map((term) => [`${term.text}${term.prefix}`, term])).values()];
  const [perTerm, excluded] = await Promise.all([
    Promise.all(unique.map((term) => matchesOf(workspaceId, term))),
    Promise.all(query.excluded.filter((run) => run.length === 1).map((run) => postingsStarting(workspaceId, `${run[0]}#`))),
  ]);
  const left = new Set(excluded.flat().map((posting) => posting.key));
  // every word must find the entity; its score is what the words found it with. The smallest
  // complete list leads; a word whose list was cut cannot refuse an entity (the page's matcher decides)
  const [first, ...rest] = perTerm.sort((a, b) => Number(b.complete) - Number(a.complete) || a.size - b.size);
  const ranked: { posting: Posting; score: number }[] = [];
  for (const [key, { posting, value }] of first!) {
    if (left.has(key) || !wanted.has(posting.type) || (posting.a && request.include_archived !== true)) continue;
    let score = value;
    for (const other of rest) {
      const found = other.get(key);
      if (!found && other.complete) {
        score = 0;
        break;
      }
      score += found?.value ?? 0;
    }
    if (score > 0) ranked.push({ posting, score });
  }
  ranked.sort((a, b) => b.score - a.score || (a.posting.id < b.posting.id ? -1 : 1));

  // the page: read its entities, check what the index cannot (phrases, excluded phrases)
  const page = ranked.slice(offset, offset + request.limit);
  const records = await batchGet<Record<string, unknown>>(page.map(({ posting }) => keys.entity(workspaceId, searchTypes[posting.type], posting.id)));
  const byId = new Map(records.map((record) => [String(record.id), record]));
  const names = await filedNames(workspaceId, page.filter(({ posting }) => posting.type === 'item').map(({ posting }) => byId.get(posting.id)));
  const found = [];
  for (const { posting } of page) {
    const record = byId.get(posting.id);
    if (!record) continue; // deleted since the index was read
    if (record.is_archived === true && request.include_archived !== true) continue; // archived since (the feed is a moment behind)
    // the entity as it is now decides: a posting the feed has not caught up with never shows a wrong result
    const match = matchFields(searchFieldsOf(posting.type, record, posting.type === 'item' ? filedUnder(record, names) : {}), query);
    if (!match) continue;
    found.push({ type: posting.type, id: posting.id, score: match.score, record, match });
  }
  const next = offset + request.limit < ranked.length ? encodeFieldsCursor('search', { o: String(offset + request.limit), q: request.q.slice(0, 200) }) : undefined;
  return { found, ...(next ? { next_cursor: next } : {}) };
}

export async function search(scope: WorkspaceScope, request: SearchRequest): Promise<{ results: SearchResult[]; next_cursor?: string }> {
  const { found, next_cursor } = await searchPage(scope, request);
  return {
    results: found.map(({ type, id, score, record, match }) => ({
      entity_type: type, id, name: String(record.name ?? ''), snippet: match.snippet, score, matched_fields: match.matched_fields,
    })),
    ...(next_cursor ? { next_cursor } : {}),
  };
}
