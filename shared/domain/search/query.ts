// What a person types into the search box, understood as they would expect:
//   drill bosch        both words (terms are ANDed)
//   scre               the last word as the beginning of one ("screwdriver"): results come as one types
//   scredriver         a word of 5 or more letters forgives one typo (not one with a digit: a code)
//   "angle grinder"    these words, next to each other, in this order
//   -broken  -"for parts"   nothing with that word (or phrase)
// Case and accents are folded (text.ts). A query with nothing to look for (only exclusions) finds
// nothing: exclusion narrows a search, it does not list the workspace.
import { words } from './text.js';

/** Words of at least this many letters tolerate one typo. */
export const typoFromLength = 5;

export interface Term {
  /** folded */
  text: string;
  /** also matches the beginning of a word (the last word typed) */
  prefix: boolean;
  /** also matches a word one typo away */
  fuzzy: boolean;
}

export interface SearchQuery {
  /** each must match (a word of a phrase is a term too, matched exactly) */
  terms: Term[];
  /** runs of folded words that must appear together, in order, in one field */
  phrases: string[][];
  /** words and phrases that must not appear anywhere */
  excluded: string[][];
}

/** Words with a digit are codes and numbers (`tool001`, `dhp482`): one typo off is another thing, so they match exactly or by their beginning. */
const term = (text: string, prefix: boolean): Term => ({ text, prefix, fuzzy: text.length >= typoFromLength && !/\d/.test(text) });

export function parseQuery(input: string): SearchQuery {
  const query: SearchQuery = { terms: [], phrases: [], excluded: [] };
  // a quote left open runs to the end (the person is still typing the phrase)
  const parts = input.matchAll(/(-?)"([^"]*)("?)|(-?)([^\s"]+)/g);
  let lastBare: Term | undefined;
  for (const [, phraseNot, phrase, , wordNot, word] of parts) {
    const negated = (phraseNot ?? wordNot) === '-';
    const folded = words(phrase ?? word);
    if (folded.length === 0) continue;
    if (negated) {
      query.excluded.push(folded);
      continue;
    }
    if (phrase !== undefined) {
      if (folded.length > 1) query.phrases.push(folded);
      query.terms.push(...folded.map((text) => ({ text, prefix: false, fuzzy: false })));
      lastBare = undefined;
    } else {
      // "drill-18v" is one term per word; only the very last word typed is a beginning
      for (const text of folded) query.terms.push((lastBare = term(text, false)));
    }
  }
  // the last word typed may be unfinished: it matches the beginning of a word too
  if (lastBare && lastBare === query.terms.at(-1)) lastBare.prefix = true;
  return query;
}
