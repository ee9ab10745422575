// The search query language and matcher (shared/domain/search), case by case: folding, prefixes,
// one typo from five letters, phrases, exclusions, codes without separators, and the ranking
// (name above brand above description; the whole word above its beginning above a typo).
import { describe, expect, it } from 'vitest';
import { matchFields, type SearchField } from '../../shared/domain/search/match.js';
import { parseQuery } from '../../shared/domain/search/query.js';
import { compact, fold, withinOneTypo, words } from '../../shared/domain/search/text.js';

const item = (name: string, more: Partial<Record<'brand' | 'description' | 'sku', string>> = {}): SearchField[] => [
  { field: 'name', text: name, weight: 3 },
  { field: 'brand', text: more.brand ?? '', weight: 2 },
  { field: 'sku', text: more.sku ?? '', weight: 2, code: true },
  { field: 'description', text: more.description ?? '', weight: 1 },
];
const score = (fields: SearchField[], q: string) => matchFields(fields, parseQuery(q))?.score;

describe('search text', () => {
  it('folds case, accents and letters Unicode keeps whole', () => {
    expect(fold('Café CRÈME')).toBe('cafe creme');
    expect(words('Straße, Ørsted & Łódź')).toEqual(['strasse', 'orsted', 'lodz']);
    expect(compact('DRILL-18 v')).toBe('drill18v');
  });

  it('one typo: a letter left out, added, changed, or two neighbours swapped; never two', () => {
    for (const [a, b] of [['screwdriver', 'scredriver'], ['screwdriver', 'screwwdriver'], ['screwdriver', 'screwdrivar'], ['screwdriver', 'srcewdriver']]) {
      expect(withinOneTypo(a!, b!), `${a} ${b}`).toBe(true);
    }
    for (const [a, b] of [['screwdriver', 'scredrivar'], ['screwdriver', 'screw'], ['ab', 'ba c']]) expect(withinOneTypo(a!, b!), `${a} ${b}`).toBe(false);
  });
});

describe('the query language', () => {
  it('ANDs words, the last one also as a beginning; quoted phrases; -exclusions; an open quote runs to the end', () => {
    expect(parseQuery('Cordless dri')).toEqual({
      terms: [{ text: 'cordless', prefix: false, fuzzy: true }, { text: 'dri', prefix: true, fuzzy: false }], phrases: [], excluded: [],
    });
    const query = parseQuery('"angle grinder" -broken -"for parts" makit');
    expect(query.phrases).toEqual([['angle', 'grinder']]);
    expect(query.excluded).toEqual([['broken'], ['for', 'parts']]);
    expect(query.terms.map((term) => [term.text, term.prefix])).toEqual([['angle', false], ['grinder', false], ['makit', true]]);
    expect(parseQuery('"angle gri').phrases).toEqual([['angle', 'gri']]);
    expect(parseQuery('-broken').terms).toEqual([]);
  });

  it('finds by any word, a beginning, one typo from five letters, accents folded', () => {
    const driver = item('Screwdriver set', { brand: 'Wera', description: 'Twelve bits in a café-coloured case' });
    expect(score(driver, 'scre')).toBeGreaterThan(0);
    expect(score(driver, 'scredriver')).toBeGreaterThan(0);
    expect(score(driver, 'wera set')).toBeGreaterThan(0);
    expect(score(driver, 'CAFÉ')).toBeGreaterThan(0);
    expect(score(driver, 'cafe case')).toBeGreaterThan(0);
    // short words forgive nothing, and every word must match
    expect(score(driver, 'sat wera')).toBeUndefined();
    expect(score(driver, 'screwdriver hammer')).toBeUndefined();
  });

  it('phrases must appear in order within one field; an excluded word or phrase removes the entity', () => {
    const grinder = item('Angle grinder', { description: 'Sold for parts, motor broken' });
    expect(score(grinder, '"angle grinder"')).toBeGreaterThan(0);
    expect(score(grinder, '"grinder angle"')).toBeUndefined();
    expect(score(grinder, 'grinder -broken')).toBeUndefined();
    expect(score(grinder, 'grinder -"for parts"')).toBeUndefined();
    expect(score(grinder, 'grinder -"parts for"')).toBeGreaterThan(0);
  });

  it('codes match as typed, without separators, and by their beginning', () => {
    const drill = item('Cordless drill', { sku: 'DRILL-18V' });
    expect(score(drill, 'drill18v')).toBeGreaterThan(0);
    expect(score(drill, 'DRILL-18V')).toBeGreaterThan(0);
    expect(score(drill, 'drill1')).toBeGreaterThan(0);
    expect(score(drill, '18v')).toBeGreaterThan(0);
  });

  it('ranks the name above brand above description, and the whole word above its beginning above a typo', () => {
    const byName = item('Makita drill');
    const byBrand = item('Drill', { brand: 'Makita' });
    const byDescription = item('Drill', { description: 'like the makita one' });
    expect(score(byName, 'makita drill ')).toBeGreaterThan(score(byBrand, 'makita drill ')!);
    expect(score(byBrand, 'makita drill ')).toBeGreaterThan(score(byDescription, 'makita drill ')!);
    const ladder = item('Ladder');
    expect(score(ladder, 'ladder')).toBeGreaterThan(score(ladder, 'ladd')!);
    expect(score(ladder, 'ladd')).toBeGreaterThan(score(ladder, 'laddr')!);
  });

  it('says which fields matched and shows the best one around the match', () => {
    const long = 'A very long description that goes on about the shed and the garden for a while before it mentions the hedge trimmer that lives on the top shelf next to the paint tins and the rest.';
    const found = matchFields(item('Garden tools', { description: long }), parseQuery('hedge trimmer'))!;
    expect(found.matched_fields).toEqual(['description']);
    expect(found.snippet).toContain('hedge trimmer');
    expect(found.snippet.length).toBeLessThanOrEqual(122);
    expect(found.snippet.startsWith('…')).toBe(true);
  });
});

describe('codes and numbers', () => {
  it('never match one typo off: TOOL-001 is not TOOL-002', () => {
    expect(parseQuery('tool001').terms[0]).toMatchObject({ fuzzy: false, prefix: true });
    expect(score(item('Saw', { sku: 'TOOL-002' }), 'tool001')).toBeUndefined();
    expect(score(item('Saw', { sku: 'TOOL-001' }), 'tool001')).toBeGreaterThan(0);
  });
});
