// Search past the per-word read floor, over real HTTP and the real change feed. The engine reads a
// word's postings best first and only as far as a page needs: max(100, 4 × limit) per
// word (`depthOf` in shared/domain/search/service.ts; the cursor names the depth). A word with more postings is "cut": in
// an AND it cannot refuse a candidate (the page's matcher re-checks each one), and a deeper page
// (the cursor) reads deeper. search.test.ts never has more than a handful of entities per word, so
// nothing there reaches the cut; this file gives one word, `drill`, 300 items (more than the 100 a
// first page reads) and proves, in one fresh workspace:
// - a rare word leads an AND with a cut common word: `drill makita` and `makita drill` find
//   "Drill press", whose `drill` posting lies past the 100 a first page reads;
// - paging `drill` 50 at a time through every next_cursor never gives an empty page while a cursor
//   is given, never the archived one, and reaches past the floor (the deeper pages read deeper);
//   narrowed to items, it answers every active item exactly once;
// - `include_archived=true` pages reach the archived "Old drill" (its posting sorts after every
//   active one);
// - an excluded word refuses what it finds even when the other word is cut (`drill -makita`);
// - `types=location` finds the one location among 300 items sharing its word.
// - across every type, pages answer each active entity exactly once, the location older than every
//   item included: a first page ranks what 100 postings per word find, a deeper read may rank
//   something above what was shown (the location, oldest, ties first), so pages go through what
//   each deeper level adds (the cursor names the level), never an offset into a changed ranking.
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createWorkspace, expectStatus, signUp } from './support/api.js';
import { eventually } from './support/eventually.js';
import { queryAll } from './support/table.js';

interface Found {
  results: { entity_type: string; id: string; name: string; snippet: string; score: number; matched_fields: string[] }[];
  next_cursor?: string;
}

/** Items sharing `drill`: more than the 100 postings a first page reads of one word (and than the 250 it read before). */
const commonCount = 300;
/** The per-word read floor of a first page (service.ts `postingsFloor`). */
const readFloor = 100;
/** Requests in flight while seeding: quick, without swamping the local runtime. */
const concurrency = 8;
const brands = ['Bosch', 'DeWalt', 'Ryobi', 'Milwaukee', 'Metabo', undefined];

let token: string;
let base: string;
let workspaceId: string;
const ids = { common: [] as string[], press: '', old: '', corner: '' };
const nameOf = new Map<string, string>();

async function create(segment: string, body: Record<string, unknown>): Promise<string> {
  const { id } = expectStatus(await call<{ id: string }>('POST', `${base}/${segment}`, { token, body }), 201).json;
  nameOf.set(id, String(body.name));
  return id;
}

/** Runs `work` over `inputs`, `concurrency` at a time; answers in the inputs' order. */
async function pooled<T, R>(inputs: readonly T[], work: (input: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(inputs.length);
  let next = 0;
  const worker = async () => {
    while (next < inputs.length) {
      const at = next++;
      out[at] = await work(inputs[at]!);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return out;
}

const find = async (q: string, query: Record<string, string | number> = {}) =>
  expectStatus(await call<Found>('GET', `${base}/search`, { token, query: { q, ...query } }), 200).json;

/** Every page of a search for `q`, following next_cursor (at most 50 pages; support/api.ts `allPages` is for `{items}` lists). */
async function searchPages(q: string, query: Record<string, string | number> = {}) {
  const pages: Found[] = [];
  let cursor: string | undefined;
  do {
    const page = await find(q, { ...query, ...(cursor ? { cursor } : {}) });
    pages.push(page);
    cursor = page.next_cursor;
  } while (cursor && pages.length < 50);
  return { pages, results: pages.flatMap((page) => page.results) };
}

/** The sort keys of the index's `drill` postings (the word itself), in key order: best first. */
const drillPostings = async () =>
  (await queryAll({
    KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': `WS#${workspaceId}#TERMS`, ':from': 'drill#', ':to': 'drill#\uffff' },
    ConsistentRead: true,
  })).map((item) => String(item.SK));

const duplicatesOf = (list: readonly string[]) => list.filter((id, at) => list.indexOf(id) !== at);

beforeAll(async () => {
  const started = Date.now();
  const owner = await signUp();
  token = owner.token;
  const workspace = await createWorkspace(token);
  workspaceId = workspace.id;
  base = `/workspaces/${workspaceId}`;
  // the location first, as a household would: older than every item, though its postings sort after
  // theirs (`…#location#…` after `…#item#…`), so it is not among the 100 a first page reads
  ids.corner = await create('locations', { name: 'Drill corner' });
  ids.common = await pooled(Array.from({ length: commonCount }, (_, at) => at + 1), (n) => {
    const brand = brands[n % brands.length];
    return create('items', { name: `Cordless drill ${String(n).padStart(3, '0')}`, ...(brand ? { brand } : {}) });
  });
  ids.old = await create('items', { name: 'Old drill', brand: 'Black & Decker' });
  expectStatus(await call('POST', `${base}/items/${ids.old}/archive`, { token }), 204);
  // last, so its `drill` posting lies past the first 100: the page of `drill makita` cannot see it there
  ids.press = await create('items', { name: 'Drill press', brand: 'Makita' });

  // the change feed has indexed all of them: the last one's rare word finds it, and every `drill`
  // posting is there with the archived one's rank (`z…`, after every active one)
  await eventually('"makita" finds the last item', () => find('makita'), (found) => found.results.some((result) => result.id === ids.press), 60_000);
  const everyone = [ids.corner, ...ids.common, ids.old, ids.press];
  const postings = await eventually('every drill posting', drillPostings, (keys) =>
    everyone.every((id) => keys.some((key) => key.endsWith(`#${id}`))) && keys.some((key) => key.startsWith('drill#z') && key.endsWith(`#${ids.old}`)), 60_000);
  // the premise: the rare item's `drill` posting is not among the postings a first page reads
  expect(postings.length).toBe(everyone.length);
  expect(postings.findIndex((key) => key.endsWith(`#${ids.press}`))).toBeGreaterThanOrEqual(readFloor);
  expect(postings.findIndex((key) => key.endsWith(`#${ids.corner}`))).toBeGreaterThanOrEqual(readFloor);
  console.log(`search-scale: ${everyone.length} entities created and indexed in ${Date.now() - started} ms`);
}, 120_000);

describe('search past the per-word read floor', () => {
  /** What holds of any paging: pages of at most `limit`, none empty while a cursor is given, the last without one. */
  const expectWellPaged = (pages: Found[], limit: number) => {
    for (const [at, page] of pages.entries()) {
      expect(page.results.length, `page ${at + 1} of ${pages.length}`).toBeLessThanOrEqual(limit);
      if (page.next_cursor) expect(page.results.length, `page ${at + 1} has a next_cursor`).toBeGreaterThan(0);
    }
    expect(pages.at(-1)!.next_cursor, 'the last page').toBeUndefined();
  };
  /** Names answered twice, and names of `expected` never answered. */
  const exactlyOnce = (found: readonly string[], expected: readonly string[]) => ({
    twice: duplicatesOf(found).map((id) => nameOf.get(id)),
    never: expected.filter((id) => !found.includes(id)).map((id) => nameOf.get(id)),
    unexpected: found.filter((id) => !expected.includes(id)).map((id) => nameOf.get(id)),
  });
  const none = { twice: [], never: [], unexpected: [] };

  it('a rare word leads an AND with a cut common word, in either order', async () => {
    for (const q of ['drill makita', 'makita drill']) {
      const found = await find(q);
      expect(found.results.map((result) => result.name), q).toEqual(['Drill press']);
      expect(found.results[0], q).toMatchObject({ entity_type: 'item', id: ids.press, matched_fields: expect.arrayContaining(['name', 'brand']) });
      expect(found.next_cursor, q).toBeUndefined();
    }
  });

  it('pages of 50 through every next_cursor: none empty, never the archived one, past the floor; each active item exactly once', async () => {
    const everything = await searchPages('drill', { limit: 50 });
    expectWellPaged(everything.pages, 50);
    const answered = everything.results.map((result) => result.id);
    expect(answered).not.toContain(ids.old);
    expect(answered).toContain(ids.press); // its posting lies past the 100 a first page reads
    expect(everything.pages.length).toBeGreaterThan(readFloor / 50);

    const items = await searchPages('drill', { limit: 50, types: 'item' });
    expectWellPaged(items.pages, 50);
    expect(items.pages).toHaveLength(Math.ceil((commonCount + 1) / 50));
    expect(exactlyOnce(items.results.map((result) => result.id), [...ids.common, ids.press])).toEqual(none);
  });

  it('with include_archived=true the pages also reach the archived one, past every active posting', async () => {
    const everything = await searchPages('drill', { limit: 50, include_archived: 'true' });
    expectWellPaged(everything.pages, 50);
    expect(everything.results.filter((result) => result.id === ids.old).map((result) => result.name)).toEqual(['Old drill']);

    const items = await searchPages('drill', { limit: 50, types: 'item', include_archived: 'true' });
    expectWellPaged(items.pages, 50);
    expect(exactlyOnce(items.results.map((result) => result.id), [...ids.common, ids.press, ids.old])).toEqual(none);
  });

  it('an excluded word refuses what it finds, though the common word is cut', async () => {
    const everything = await searchPages('drill -makita', { limit: 50 });
    expectWellPaged(everything.pages, 50);
    expect(everything.results.map((result) => result.id)).not.toContain(ids.press);

    const items = await searchPages('drill -makita', { limit: 50, types: 'item' });
    expect(exactlyOnce(items.results.map((result) => result.id), ids.common)).toEqual(none);
    expect((await find('makita -drill')).results).toEqual([]);
  });

  it('types=location finds the one location among 300 items sharing its word', async () => {
    const found = await find('drill', { types: 'location' });
    expect(found.results.map((result) => [result.entity_type, result.name])).toEqual([['location', 'Drill corner']]);
    expect(found.next_cursor).toBeUndefined();
    expect((await find('drill corner', { types: 'location' })).results.map((result) => result.name)).toEqual(['Drill corner']);
  });

  // KNOWN BUG (see the header): today `drill` pages of 50 answer 302 results, one item twice
  // (the first page's 50th), the location never; the same with `include_archived=true`, with
  // `drill -makita`, and with pages of 20. Make this an `it` once the engine pages consistently.
  it('across every type, pages of 50 answer each active entity exactly once (the location older than every item)', async () => {
    const { results } = await searchPages('drill', { limit: 50 });
    expect(exactlyOnce(results.map((result) => result.id), [ids.corner, ...ids.common, ids.press])).toEqual(none);
  });
});
