// How well one entity matches a query, from its searchable fields. Every term must match some
// field; how is weighed so the results read in the order a person expects:
// - by field: the name above brand, model and codes, above description and the names of what it is
//   filed under (category, labels);
// - by kind of match: the whole word above its beginning (the word being typed) above a typo.
// A phrase must appear, in order, within one field; an excluded word or phrase anywhere removes
// the entity. Codes (SKU, barcode, serial number, short code) also match without their separators.
import type { SearchQuery, Term } from './query.js';
import { compact, prefixWithinOneTypo, words, withinOneTypo } from './text.js';

export interface SearchField {
  /** the answer's name for it, in `matched_fields` (`name`, `brand`, `sku`, …) */
  field: string;
  text: string;
  /** 3 the name, 2 brand, model, manufacturer and codes, 1 the rest */
  weight: number;
  /** a code: matched as typed and without separators */
  code?: boolean;
}

export interface FieldMatch {
  score: number;
  matched_fields: string[];
  /** the best matching field's text, around what matched */
  snippet: string;
}

/** What each kind of match is worth, times the field's weight. */
const worth = { word: 1, start: 0.75, typo: 0.5, typoStart: 0.4 } as const;
const phraseBonus = 0.5;
const snippetLength = 120;

interface Prepared extends SearchField {
  words: string[];
  compact: string;
}

/** The best a term gets from one field, and where in its words. */
function termInField(term: Term, field: Prepared): { value: number; at: number } {
  let best = { value: 0, at: -1 };
  const offer = (value: number, at: number) => {
    if (value * field.weight > best.value) best = { value: value * field.weight, at };
  };
  if (field.code && field.compact !== '') {
    if (field.compact === term.text) offer(worth.word, 0);
    else if (term.prefix && field.compact.startsWith(term.text)) offer(worth.start, 0);
  }
  field.words.forEach((word, at) => {
    if (word === term.text) offer(worth.word, at);
    else if (term.prefix && word.startsWith(term.text)) offer(worth.start, at);
    else if (term.fuzzy && withinOneTypo(term.text, word)) offer(worth.typo, at);
    else if (term.fuzzy && term.prefix && prefixWithinOneTypo(term.text, word)) offer(worth.typoStart, at);
  });
  return best;
}

/** Where `run` appears as consecutive words of `list`, or -1. */
function indexOfRun(list: readonly string[], run: readonly string[]): number {
  for (let at = 0; at + run.length <= list.length; at += 1) {
    if (run.every((word, offset) => list[at + offset] === word)) return at;
  }
  return -1;
}

/** A window of the field's text around its `at`-th word (the text itself when short). */
function snippetOf(text: string, at: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= snippetLength) return flat;
  // the at-th word's position in the original text (words() splits the same way, after folding)
  const starts = [...flat.matchAll(/[\p{L}\p{N}]+/gu)].map((found) => found.index);
  const centre = starts[Math.max(0, at)] ?? 0;
  const from = Math.max(0, Math.min(centre - snippetLength / 3, flat.length - snippetLength));
  const cut = flat.slice(Math.floor(from), Math.floor(from) + snippetLength);
  return `${from > 0 ? '…' : ''}${cut.trim()}${from + snippetLength < flat.length ? '…' : ''}`;
}

/** The entity's match of the query, or undefined when a term finds nothing or an exclusion hits. */
export function matchFields(fields: readonly SearchField[], query: SearchQuery): FieldMatch | undefined {
  if (query.terms.length === 0) return undefined;
  const prepared: Prepared[] = fields.filter((field) => field.text !== '').map((field) => ({ ...field, words: words(field.text), compact: field.code ? compact(field.text) : '' }));
  for (const run of query.excluded) {
    if (prepared.some((field) => indexOfRun(field.words, run) >= 0 || (field.code && run.length === 1 && field.compact === run[0]))) return undefined;
  }
  let score = 0;
  const matched = new Set<string>();
  let best: { value: number; field: Prepared; at: number } | undefined;
  for (const term of query.terms) {
    let termBest: { value: number; field: Prepared; at: number } | undefined;
    for (const field of prepared) {
      const found = termInField(term, field);
      if (found.value > 0) matched.add(field.field);
      if (found.value > (termBest?.value ?? 0)) termBest = { ...found, field };
    }
    if (!termBest) return undefined;
    score += termBest.value;
    if (termBest.value > (best?.value ?? 0)) best = termBest;
  }
  for (const run of query.phrases) {
    const holder = prepared.find((field) => indexOfRun(field.words, run) >= 0);
    if (!holder) return undefined;
    score += phraseBonus * holder.weight;
  }
  return { score: Math.round(score * 1000) / 1000, matched_fields: [...matched], snippet: snippetOf(best!.field.text, best!.at) };
}
