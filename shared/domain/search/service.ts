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
 * How deep a word's postings are read, best first (postings.ts): levels of depth. Level 0 reads
 * enough for a first page and several beyond (an AND of words, or a matcher refusing some, needs
 * more than a page): max(100, 4 × limit); each level reads 4 times deeper, up to `postingsCeiling`.
 * A word with more postings than its level reads is "cut": the other words' entities are then
 * checked against it on the page (the matcher reads the entity), so an AND with a common word
 * loses nothing it can see, and a common word costs a level's postings however many entities hold
 * it. Pages go through level 0's ranking, then through what level 1 adds to it, and so on: the
 * cursor names the level and the place in what it added, so paging never repeats or skips a result
 * when a deeper read ranks something above what was already shown.
 */
const postingsFloor = 100;
const postingsPerResult = 4;
const postingsCeiling = 5_000;
const levelGrowth = 4;
const depthOf = (level: number, limit: number) => Math.min(postingsCeiling, Math.max(postingsFloor, postingsPerResult * limit) * levelGrowth ** level);
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

/** Postings of every word starting with `prefix` (a whole word: `word#`), best first, at most `max`. */
async function postingsStarting(workspaceId: string, prefix: string, max: number): Promise<Posting[]> {
  const items = await startingWith(keys.searchPosting(workspaceId, '', '', '', '').PK, prefix, max, ['SK']);
  return items.map((item) => {
    const { word, weight, archived, type, id } = postingKeyParts(String(item.SK));
    return { key: id, type, id, w: weight, a: archived, word };
  });
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

/** What one query word read at `depth`: its own postings (the word, or the words it begins) and, unless they were cut, its typo neighbours'. */
interface WordReads {
  term: Term;
  depth: number;
  own: Posting[];
  typos: Posting[][];
}

/** Whether `postings`, read to `read`, has more than `depth` of them (more than were read, when `depth` is the read's). */
const cutAt = (postings: readonly Posting[], depth: number, read: number) => (depth < read ? postings.length > depth : postings.length >= read);

async function readWord(workspaceId: string, term: Term, depth: number): Promise<WordReads> {
  const beginning = term.prefix && term.text.length >= shortestBeginning;
  const own = await postingsStarting(workspaceId, beginning ? term.text : `${term.text}#`, depth);
  // words one typo away rank below every real match: when the real matches are more than this
  // level reads, none of them could reach it, and their lookups (1 + the word's length Queries and
  // the neighbours' postings) are skipped; otherwise they follow (one round trip more than a plain word)
  const typos = term.fuzzy && !cutAt(own, depth, depth)
    ? await Promise.all((await typoNeighboursOf(workspaceId, term.text)).map((neighbour) => postingsStarting(workspaceId, `${neighbour}#`, depth)))
    : [];
  return { term, depth, own, typos };
}

/**
 * For one query word, as a read to `depth` (≤ what was read) would have found: each entity with
 * the best weight × kind of match; `complete` unless a list was cut there. Reads are best first,
 * so a shallower read is the first `depth` of a deeper one.
 */
function matchesAt(reads: WordReads, depth: number): Map<string, { posting: Posting; value: number }> & { complete: boolean } {
  const ownCut = cutAt(reads.own, depth, reads.depth);
  const groups = [
    { postings: reads.own.slice(0, depth), cut: ownCut, kind: 'start' as const },
    ...(ownCut ? [] : reads.typos.map((postings) => ({ postings: postings.slice(0, depth), cut: cutAt(postings, depth, reads.depth), kind: 'typo' as const }))),
  ];
  const found = Object.assign(new Map<string, { posting: Posting; value: number }>(), { complete: groups.every((group) => !group.cut) });
  for (const group of groups) {
    for (const posting of group.postings) {
      const kind = group.kind === 'start' && posting.word === reads.term.text ? 'word' : group.kind;
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
  const at = request.cursor
    ? decodeFieldsCursor('search', request.cursor, ['v', 'o', 'q'], (values) => /^\d$/.test(values.v) && /^\d{1,5}$/.test(values.o) && values.q === request.q.slice(0, 200))
    : { v: '0', o: '0' };
  if (query.terms.length === 0) return { found: [] };
  const wanted = typesOf(request.types);
  const unique = [...new Map(query.terms.map((term) => [`${term.text}${term.prefix}`, term])).values()];
  // items are nearly all of an index: a search narrowed to other types reads as deep as it goes at once
  const depth = (level: number) => (wanted.has('item') ? depthOf(level, request.limit) : postingsCeiling);
  // an excluded word's postings are read as far as they go (to the ceiling): it refuses what it finds
  const excluded = Promise.all(query.excluded.filter((run) => run.length === 1).map((run) => postingsStarting(workspaceId, `${run[0]}#`, postingsCeiling)))
    .then((lists) => new Set(lists.flat().map((posting) => posting.key)));

  /** The ranking a read of every word to `level`'s depth makes, best first: `reads` are to that depth or deeper. */
  const rankingAt = async (reads: WordReads[], level: number) => {
    const left = await excluded;
    // every word must find the entity; its score is what the words found it with. The smallest
    // complete list leads; a word whose list was cut cannot refuse an entity (the page's matcher decides)
    const [first, ...rest] = reads.map((read) => matchesAt(read, depth(level))).sort((a, b) => Number(b.complete) - Number(a.complete) || a.size - b.size);
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
    return { ranked, cut: reads.some((read) => cutAt(read.own, depth(level), read.depth)) };
  };
  /** What `level` adds to the ranking of the level before it (all of it for level 0), and whether a deeper level could add more. */
  const addedAt = async (level: number) => {
    const reads = await Promise.all(unique.map((term) => readWord(workspaceId, term, depth(level))));
    const { ranked, cut } = await rankingAt(reads, level);
    if (level === 0) return { added: ranked, deeper: cut && depth(level) < postingsCeiling };
    const shown = new Set((await rankingAt(reads, level - 1)).ranked.map(({ posting }) => posting.key));
    return { added: ranked.filter(({ posting }) => !shown.has(posting.key)), deeper: cut && depth(level) < postingsCeiling };
  };

  // the page: its candidates' entities read a chunk at a time and matched as they are now, which
  // checks what the index cannot (phrases, excluded phrases, a word whose postings were not all
  // read, a change the feed has not projected yet); one that fails is skipped and the next read, up
  // to `chunksPerPage` chunks, so a page is full whenever enough match; when a level's candidates
  // run out and a deeper read could add more, the page goes on with the next level's
  const found: Found[] = [];
  let level = Number(at.v);
  let position = Number(at.o);
  let { added, deeper } = await addedAt(level);
  for (let chunk = 0; chunk < chunksPerPage && found.length < request.limit;) {
    if (position >= added.length) {
      if (!deeper) break;
      level += 1;
      position = 0;
      ({ added, deeper } = await addedAt(level));
      continue;
    }
    chunk += 1;
    const candidates = added.slice(position, position + request.limit);
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
  const more = position < added.length || deeper;
  const next = more ? encodeFieldsCursor('search', { v: String(position < added.length ? level : level + 1), o: String(position < added.length ? position : 0), q: request.q.slice(0, 200) }) : undefined;
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
