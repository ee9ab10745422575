// One search over a workspace, from the index (postings.ts): each word of the query reads its
// best postings (the word itself; the last word also every word it begins; a word of 5+ letters
// also the words one typo away, found through the typo entries, unless its own are more than the
// page reads), the entities every word found are
// ranked by the weights of their postings (the name above brand and codes above the rest; the
// whole word above its beginning above a typo), entities with an excluded word are dropped, and
// the page's entities are read to check phrases and show a snippet. The cost follows the postings
// the query's words touch, not the workspace.
import * as keys from '../../db/keys.js';
import { batchGet, projectionOf, queryAll, sortKeyStartsWith } from '../../db/table.js';
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
 * A word's postings read at most, best first (postings.ts): enough for the page asked for and
 * several pages beyond (an AND of words, or a matcher refusing some, needs more than a page), never
 * more than `postingsCeiling`. A word with more is "not all read": the other words' entities are
 * then checked against it on the page (the matcher reads the entity), so an AND with a common word
 * loses nothing it can see, and a common word alone costs a page's worth of postings however many
 * entities hold it.
 */
const postingsFloor = 250;
const postingsPerResult = 4;
const postingsCeiling = 5_000;
const postingsFor = (offset: number, limit: number) => Math.min(postingsCeiling, Math.max(postingsFloor, postingsPerResult * (offset + limit)));
/** Chunks of `limit` candidates a page reads at most, to fill itself when some fail the matcher. */
const chunksPerPage = 3;
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
function startingWith(partition: string, prefix: string, max: number, attributes: readonly string[]) {
  const range = sortKeyStartsWith('SK', prefix);
  return queryAll<Record<string, unknown>>({
    KeyConditionExpression: `PK = :pk AND ${range.condition}`, ExpressionAttributeValues: { ':pk': partition, ...range.values }, ...projectionOf(attributes),
  }, max);
}

/** Postings of every word starting with `prefix` (a whole word: `word#`), at most `max`; `cut` when there were more. */
async function postingsStarting(workspaceId: string, prefix: string, max: number): Promise<Posting[] & { cut?: boolean }> {
  const items = await startingWith(keys.searchPosting(workspaceId, '', '', '', '').PK, prefix, max, ['SK']);
  return Object.assign(items.map((item) => {
    const { word, weight, archived, type, id } = postingKeyParts(String(item.SK));
    return { key: id, type, id, w: weight, a: archived, word };
  }), { cut: items.length >= max });
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
async function matchesOf(workspaceId: string, term: Term, max: number): Promise<Map<string, { posting: Posting; value: number }> & { complete: boolean }> {
  const beginning = term.prefix && term.text.length >= shortestBeginning;
  const groups: { postings: Posting[] & { cut?: boolean }; kind: keyof typeof worth }[] = [
    { postings: await postingsStarting(workspaceId, beginning ? term.text : `${term.text}#`, max), kind: 'start' },
  ];
  // words one typo away rank below every real match: when the real matches are more than this page
  // reads, none of them could reach it, and their lookups (1 + the word's length Queries and the
  // neighbours' postings) are skipped; otherwise they follow (one round trip more than a plain word)
  if (term.fuzzy && !groups[0]!.postings.cut) {
    const neighbours = await typoNeighboursOf(workspaceId, term.text);
    groups.push(...await Promise.all(neighbours.map(async (neighbour) => ({ postings: await postingsStarting(workspaceId, `${neighbour}#`, max), kind: 'typo' as const }))));
  }
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

/** An entity a search found: as stored, and how it matched. */
interface Found {
  type: SearchType;
  id: string;
  score: number;
  record: Record<string, unknown>;
  match: NonNullable<ReturnType<typeof matchFields>>;
}

/** One page of what the index found, best first. */
export async function searchPage(scope: WorkspaceScope, request: SearchRequest): Promise<{ found: Found[]; next_cursor?: string }> {
  const workspaceId = scope.workspace.id;
  const query = parseQuery(request.q);
  const offset = request.cursor
    ? Number(decodeFieldsCursor('search', request.cursor, ['o', 'q'], (values) => /^\d{1,5}$/.test(values.o) && values.q === request.q.slice(0, 200)).o)
    : 0;
  if (query.terms.length === 0) return { found: [] };
  const wanted = typesOf(request.types);
  // items are nearly all of an index: a search narrowed to other types must look past them
  const reach = wanted.has('item') ? postingsFor(offset, request.limit) : postingsCeiling;
  const unique = [...new Map(query.terms.map((term) => [`${term.text}${term.prefix}`, term])).values()];
  const [perTerm, excluded] = await Promise.all([
    Promise.all(unique.map((term) => matchesOf(workspaceId, term, reach))),
    // an excluded word's postings are read as far as they go (to the ceiling): it refuses what it finds
    Promise.all(query.excluded.filter((run) => run.length === 1).map((run) => postingsStarting(workspaceId, `${run[0]}#`, postingsCeiling))),
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

  // the page: its candidates' entities read a chunk at a time and matched as they are now, which
  // checks what the index cannot (phrases, excluded phrases, a word whose postings were not all
  // read, a change the feed has not projected yet); one that fails is skipped and the next read, up
  // to `chunksPerPage` chunks, so a page is full whenever enough match
  const found: Found[] = [];
  let position = offset;
  for (let chunk = 0; chunk < chunksPerPage && found.length < request.limit && position < ranked.length; chunk += 1) {
    const candidates = ranked.slice(position, position + request.limit);
    const records = await batchGet<Record<string, unknown>>(candidates.map(({ posting }) => keys.entity(workspaceId, searchTypes[posting.type], posting.id)));
    const byId = new Map(records.map((record) => [String(record.id), record]));
    const names = await filedNames(workspaceId, candidates.filter(({ posting }) => posting.type === 'item').map(({ posting }) => byId.get(posting.id)));
    for (const { posting } of candidates) {
      if (found.length === request.limit) break;
      position += 1;
      const record = byId.get(posting.id);
      if (!record) continue; // deleted since the index was read
      if (record.is_archived === true && request.include_archived !== true) continue; // archived since (the feed is a moment behind)
      const match = matchFields(searchFieldsOf(posting.type, record, posting.type === 'item' ? filedUnder(record, names) : {}), query);
      if (!match) continue;
      found.push({ type: posting.type, id: posting.id, score: match.score, record, match });
    }
  }
  const next = position < ranked.length ? encodeFieldsCursor('search', { o: String(position), q: request.q.slice(0, 200) }) : undefined;
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
