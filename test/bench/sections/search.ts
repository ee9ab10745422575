// Workspace search (GET /workspaces/{id}/search, shared/domain/search): what a query costs as the
// workspace grows, what the index costs to keep, and how big it is.
//
// Starts the real local runtime (in memory) with two workspaces of the same user: A with 1,000
// items and B with 20,000, named from the word lists below (ten kinds of things, each with its
// nouns, adjectives, brands and SKU prefix; the first words of each list are the most common, as
// in a real house), with brands, models, SKUs like `TOOL-18V-0042`, short codes and descriptions of
// 5–15 words; plus 30 locations and 10 containers each. In each workspace one item, the locations
// and the containers are made over HTTP (the change feed indexes them); the other items are copies
// of that item's stored layout (keys, name index, codes and text changed consistently; the unique
// guards of codes and the change-log entries are not written: search reads neither) written with
// BatchWriteItem while the table's stream is off, each with its postings (postingsOf + postingItem,
// exactly what the projector writes for a create) and the typo entries of every new word (the word
// and its one-letter deletions, as learnWords writes them). The feed's own pace (one record at a
// time) would take far longer than the 3 minutes this seed may take.
// One exception, to keep the seed within those minutes: in B the typo entries of each item's own
// codes (its short code and its SKU without separators, words no other entity holds; ~21 entries
// per item, ~420,000 in all) are not written. They are counted (computed as learnWords would write
// them, a computation checked against A, where everything is written and counted), and the bench
// checks that no variant a measured query looks up is among them, so no measured query could have
// read one.
// Figures, each against its baseline in this run:
// 1. per kind of query (one word, three words that occur together, a beginning, a typo) the time of
//    the service's search() called in a fresh process (its own module graph configured for this
//    runtime, as items-latency-worker.ts does) with the scope the route's authorisation builds,
//    p50/p95 over `--runs` repetitions of 30, A and B interleaved call by call: B against A (goal:
//    B p95 ≤ 50 ms and ≤ 2× A); the same through HTTP (the runtime's API server);
// 2. the read capacity of each query over HTTP (the local-only `x-consumed-capacity` header): B against A;
// 3. the write capacity of one item change: an item created (and its description changed) over
//    HTTP in A; the projector's writes are computed from the stored images with the projector's
//    own functions (postingChanges, deletionsOf) at 1 WCU per item ≤ 1 KB, and measured by writing
//    the same posting and typo items again with ReturnConsumedCapacity; against the route's own WCU;
// 4. the index's size per 1,000 items: posting and typo items counted (Query, Select COUNT) and
//    their bytes (item-size formula over a sample read back): B against A (≈ 1.0× expected).
import { randomBytes, randomUUID } from 'node:crypto';
import { DescribeTableCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { runScript } from '../../integration/runtime-process.js';
import { keepAliveGetter, timeInterleaved } from '../loop.js';
import { formatRatio, record, table } from '../report.js';
import { callJson, capacityUnits, withSeededRuntime, type SeededRuntime } from '../seeded-runtime.js';
import { median, percentile } from '../stats.js';
import type { BenchContext } from './types.js';

const smallItems = 1_000;
const largeItems = 20_000;
const locationsPerWorkspace = 30;
const containersPerWorkspace = 10;
/** timed calls per repetition, after `warmup` untimed ones; `--runs` repetitions */
const count = 30;
const warmup = 3;
const limit = 20;
/** BatchWriteItem calls in flight while seeding */
const writersInFlight = 8;

// ---- the word lists (nouns may be two words; the first of each list is the most common)

interface Kind {
  prefix: string;
  variants: readonly string[];
  nouns: readonly string[];
  adjectives: readonly string[];
  brands: readonly string[];
}

const kinds: readonly Kind[] = [
  {
    prefix: 'TOOL', variants: ['18V', '12V', '36V', '230V'],
    nouns: ['drill', 'impact driver', 'jigsaw', 'circular saw', 'angle grinder', 'orbital sander', 'router', 'heat gun', 'nail gun', 'planer', 'multitool', 'rotary tool', 'glue gun', 'soldering iron', 'air compressor'],
    adjectives: ['cordless', 'brushless', 'compact', 'corded', 'professional', 'rechargeable'], brands: ['Makita', 'Bosch', 'DeWalt', 'Milwaukee'],
  },
  {
    prefix: 'HAND', variants: ['S', 'M', 'L', 'XL'],
    nouns: ['screwdriver', 'hammer', 'wrench', 'pliers', 'chisel', 'handsaw', 'spirit level', 'tape measure', 'socket set', 'hex keys', 'clamp', 'crowbar', 'utility knife', 'file', 'mallet'],
    adjectives: ['magnetic', 'insulated', 'adjustable', 'ratcheting', 'precision', 'forged'], brands: ['Stanley', 'Wera', 'Knipex', 'Bahco'],
  },
  {
    prefix: 'HRDW', variants: ['4MM', '5MM', '6MM', '8MM'],
    nouns: ['wood screws', 'wall plugs', 'hinges', 'brackets', 'cable ties', 'padlock', 'hooks', 'bolts', 'washers', 'nails', 'shelf', 'workbench', 'toolbox', 'storage bin', 'pegboard'],
    adjectives: ['galvanised', 'stainless', 'brass', 'heavy', 'assorted', 'lockable'], brands: ['Fischer', 'Spax', 'Raaco', 'Keter'],
  },
  {
    prefix: 'GRDN', variants: ['25M', '50M', 'STD', 'PRO'],
    nouns: ['lawn mower', 'hedge trimmer', 'leaf blower', 'garden hose', 'rake', 'spade', 'pruning shears', 'wheelbarrow', 'watering can', 'sprinkler', 'chainsaw', 'shovel', 'hoe', 'trowel', 'compost bin'],
    adjectives: ['telescopic', 'petrol', 'electric', 'lightweight', 'steel', 'ergonomic'], brands: ['Fiskars', 'Gardena', 'Husqvarna', 'Stihl'],
  },
  {
    prefix: 'KTCH', variants: ['1L', '2L', '5L', '24CM'],
    nouns: ['blender', 'toaster', 'kettle', 'saucepan', 'frying pan', 'stand mixer', 'food processor', 'coffee grinder', 'rice cooker', 'slow cooker', 'waffle iron', 'chef knife', 'cutting board', 'colander', 'casserole'],
    adjectives: ['nonstick', 'enamelled', 'ceramic', 'copper', 'glass', 'digital'], brands: ['KitchenAid', 'Tefal', 'Zwilling', 'Le Creuset'],
  },
  {
    prefix: 'CAMP', variants: ['1P', '2P', '4P', '30L'],
    nouns: ['tent', 'sleeping bag', 'camping stove', 'lantern', 'headlamp', 'backpack', 'cooler', 'hammock', 'tarp', 'water filter', 'folding chair', 'sleeping mat', 'trekking poles', 'compass', 'mess kit'],
    adjectives: ['waterproof', 'ultralight', 'inflatable', 'thermal', 'windproof', 'foldable'], brands: ['Coleman', 'Petzl', 'Vango', 'Jetboil'],
  },
  {
    prefix: 'ELEC', variants: ['USB', 'HDMI', '4K', '64GB'],
    nouns: ['laptop', 'monitor', 'modem', 'speaker', 'headphones', 'charger', 'power bank', 'extension cord', 'projector screen', 'webcam', 'keyboard', 'tablet', 'camera', 'hard drive', 'printer'],
    adjectives: ['wireless', 'portable', 'bluetooth', 'smart', 'curved', 'refurbished'], brands: ['Sony', 'Samsung', 'Anker', 'Logitech'],
  },
  {
    prefix: 'CLEN', variants: ['1200W', '2000W', 'STD', 'MAX'],
    nouns: ['vacuum cleaner', 'pressure washer', 'steam mop', 'carpet cleaner', 'broom', 'dustpan', 'mop bucket', 'window squeegee', 'duster', 'scrubbing brush', 'robot vacuum', 'wet vac', 'dehumidifier', 'air purifier', 'laundry basket'],
    adjectives: ['bagless', 'handheld', 'upright', 'quiet', 'washable', 'extendable'], brands: ['Kärcher', 'Dyson', 'Vileda', 'Miele'],
  },
  {
    prefix: 'SPRT', variants: ['S', 'M', 'L', '26IN'],
    nouns: ['bicycle', 'helmet', 'skis', 'snowboard', 'tennis racket', 'football', 'basketball', 'yoga mat', 'dumbbells', 'kettlebell', 'skateboard', 'climbing rope', 'bike pump', 'golf clubs', 'kayak paddle'],
    adjectives: ['carbon', 'adult', 'junior', 'padded', 'aluminium', 'reflective'], brands: ['Shimano', 'Wilson', 'Salomon', 'Decathlon'],
  },
  {
    prefix: 'HOME', variants: ['OAK', 'PINE', '2X', '80CM'],
    nouns: ['bookcase', 'desk lamp', 'office chair', 'bed frame', 'wardrobe', 'dresser', 'coat rack', 'side table', 'step stool', 'ladder', 'curtain rod', 'mirror', 'rug', 'sofa bed', 'bar stool'],
    adjectives: ['wooden', 'vintage', 'modular', 'velvet', 'industrial', 'scandinavian'], brands: ['IKEA', 'Hay', 'Muuto', 'Brabantia'],
  },
];

const places = [
  'garage', 'attic', 'basement', 'shed', 'kitchen', 'pantry', 'hallway closet', 'utility room', 'loft', 'workshop', 'cellar', 'porch', 'balcony', 'greenhouse', 'laundry room',
  'spare bedroom', 'home office', 'car boot', 'caravan', 'boathouse', 'storage unit', 'carport', 'veranda', 'guest room', 'playroom', 'stairwell', 'study', 'wine cellar', 'tool wall', 'summer house',
];
const containerNames = ['toolbox', 'storage bin', 'crate', 'drawer unit', 'shoebox', 'duffel bag', 'tote', 'cabinet', 'chest', 'basket'];
const colours = ['red', 'blue', 'grey', 'green', 'black', 'yellow', 'white', 'orange', 'clear', 'brown'];
const shortCodeAlphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** A small seeded generator (mulberry32): the same data, and so the same queries, on every run. */
function randomness(seed: number) {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  /** the first of the list most often (P(index < k) = √(k/n)), as a house holds more drills than kayak paddles */
  const common = <T>(list: readonly T[]) => list[Math.floor(next() ** 2 * list.length)]!;
  return { next, pick, common };
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

interface ItemFields {
  name: string;
  brand: string;
  model?: string;
  description?: string;
  sku: string;
}

/** Items of one workspace: realistic names, brands, models, SKUs (unique per workspace) and descriptions. */
function itemMaker(seed: number) {
  const random = randomness(seed);
  const sequence = new Map<string, number>();
  return (): ItemFields => {
    const kind = random.pick(kinds);
    const noun = random.common(kind.nouns);
    const adjective = random.common(kind.adjectives);
    const second = random.next() < 0.2 ? random.pick(kind.adjectives.filter((other) => other !== adjective)) : undefined;
    const brand = random.common(kind.brands);
    const name = capital([adjective, second, noun].filter(Boolean).join(' '));
    const number = (sequence.get(kind.prefix) ?? 0) + 1;
    sequence.set(kind.prefix, number);
    const sku = `${kind.prefix}-${random.pick(kind.variants)}-${String(number).padStart(4, '0')}`;
    const model = random.next() < 0.7 ? `${brand.replace(/[^A-Za-z]/g, '').slice(0, 2).toUpperCase()}${100 + 7 * Math.floor(random.next() ** 2 * 40)}` : undefined;
    let description: string | undefined;
    if (random.next() < 0.85) {
      const length = 5 + Math.floor(random.next() * 11);
      const segments: string[] = [];
      while (segments.join(' ').split(' ').length < length) {
        const segment = random.pick([
          () => `${random.common(kind.adjectives)} ${random.common(kind.nouns)}`,
          () => `with ${random.common(kind.adjectives)} ${random.common(kind.nouns)}`,
          () => `kept in the ${random.pick(places)}`,
          () => `for the ${random.pick(places)}`,
          () => `spare ${random.pick(kind.nouns)}`,
          () => `${random.pick(kind.brands)} ${random.pick(kind.adjectives)}`,
        ]);
        segments.push(segment());
      }
      description = capital(segments.join(' ').split(' ').slice(0, length).join(' '));
    }
    return { name, brand, sku, ...(model ? { model } : {}), ...(description ? { description } : {}) };
  };
}

// ---- the worker: search() in a fresh process configured for this runtime

interface WorkerInput {
  dynamodb: string;
  tableName: string;
  userId: string;
  workspaces: { label: string; id: string }[];
  queries: { kind: string; q: string }[];
  repetitions: number;
}

interface Percentiles {
  p50: number;
  p95: number;
}

type WorkerOutput = Record<string, Record<string, Percentiles & { read: number; calls: number; results: number; first: string }>>;

async function worker() {
  const input = JSON.parse(process.env.BENCH_SEARCH_INPUT!) as WorkerInput;
  const { applyEnvironment, handlerEnvironment, runtimeOptions } = await import('../../../infra/local/environment.js');
  applyEnvironment({
    ...handlerEnvironment(runtimeOptions(['--in-memory'], {}), randomBytes(48).toString('base64url'), process.env),
    DYNAMODB_ENDPOINT: input.dynamodb, TABLE_NAME: input.tableName, POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  const { search } = await import('../../../shared/domain/search/service.js');
  const { loadAccess } = await import('../../../shared/domain/workspaces/repository.js');
  const { withCapacityTally } = await import('../../../shared/observability/capacity.js');
  // the scope as shared/http/caller.ts's authorize builds it for a workspace route (no prefetch)
  const scopes = await Promise.all(input.workspaces.map(async ({ id }) => {
    const access = await loadAccess(input.userId, id);
    if (!access.workspace || !access.member) throw new Error(`no workspace or membership for ${id}`);
    return { workspace: access.workspace, member: access.member, role: access.member.role };
  }));
  const output: WorkerOutput = {};
  for (const { kind, q } of input.queries) {
    const calls = scopes.map((scope) => async () => {
      const answer = await search(scope, { q, limit });
      if (answer.results.length === 0) throw new Error(`search(${JSON.stringify(q)}) found nothing in ${scope.workspace.id}`);
    });
    const runs: Percentiles[][] = scopes.map(() => []);
    for (let repetition = 0; repetition < input.repetitions; repetition += 1) {
      (await timeInterleaved(calls, { warmup, count })).forEach((latencies, at) => runs[at]!.push({ p50: percentile(latencies, 50), p95: percentile(latencies, 95) }));
    }
    output[kind] = {};
    for (const [at, scope] of scopes.entries()) {
      const { tally, answer } = await withCapacityTally(async (counted) => ({ tally: counted, answer: await search(scope, { q, limit }) }));
      output[kind]![input.workspaces[at]!.label] = {
        p50: median(runs[at]!.map((run) => run.p50)), p95: median(runs[at]!.map((run) => run.p95)),
        read: tally.read, calls: tally.calls, results: answer.results.length, first: answer.results[0]?.name ?? '',
      };
    }
  }
  process.stdout.write(`${JSON.stringify({ search: output })}\n`);
}

if (process.env.BENCH_SEARCH_INPUT !== undefined && process.argv[1]?.endsWith('search.ts')) {
  try {
    await worker();
  } catch (error) {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  }
  process.exit(0);
}

// ---- the section

type Search = typeof import('../../../shared/domain/search/postings.js');
type Keys = typeof import('../../../shared/db/keys.js');

interface Workspace {
  label: string;
  id: string;
  base: string;
  items: number;
  /** every searchable entity's postings (word → weight), HTTP-made and written */
  postings: Map<string, number>[];
  /** the typo entries left out (B: the words of each item's own codes) */
  skipped: Set<string>;
}

interface Tools {
  search: Search;
  keys: Keys;
  nameSortKey: (archived: boolean, sortName: string, id: string) => string;
  foldName: (name: string) => string;
  parseQuery: typeof import('../../../shared/domain/search/query.js').parseQuery;
  text: typeof import('../../../shared/domain/search/text.js');
  searchTypeOf: typeof import('../../../shared/domain/search/fields.js').searchTypeOf;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const thousands = (value: number) => Math.round(value).toLocaleString('en-US');

export async function run({ log, runs }: BenchContext) {
  // Pure functions only here (this process talks to DynamoDB Local through the seeded runtime's client).
  const tools: Tools = {
    search: await import('../../../shared/domain/search/postings.js'),
    keys: await import('../../../shared/db/keys.js'),
    nameSortKey: (await import('../../../shared/db/keys.js')).nameSortKey,
    foldName: (await import('../../../shared/domain/catalog/model.js')).foldName,
    parseQuery: (await import('../../../shared/domain/search/query.js')).parseQuery,
    text: await import('../../../shared/domain/search/text.js'),
    searchTypeOf: (await import('../../../shared/domain/search/fields.js')).searchTypeOf,
  };
  await withSeededRuntime((seeded) => measure(seeded, tools, log, Math.max(1, runs)));
}

async function measure(seeded: SeededRuntime, tools: Tools, log: BenchContext['log'], repetitions: number) {
  const { runtime, documents, api, workspaceId, base, email, password, user } = seeded;
  const { tableName } = runtime.state;
  const otherId = (await callJson('POST', `${api}/workspaces`, seeded.token, { name: 'Bench large', slug: `bench-${randomBytes(4).toString('hex')}` })).json.id as string;
  const small: Workspace = { label: '1k', id: workspaceId, base, items: smallItems, postings: [], skipped: new Set() };
  const large: Workspace = { label: '20k', id: otherId, base: `${api}/workspaces/${otherId}`, items: largeItems, postings: [], skipped: new Set() };
  const both = [small, large];
  const makers = new Map(both.map((workspace, at) => [workspace.id, itemMaker(20_240 + at)]));

  // ---- over HTTP, through the change feed: locations, containers and the item the copies follow
  const started = performance.now();
  const templates = new Map<string, Record<string, unknown>>();
  const codes = new Map<string, Set<string>>();
  for (const workspace of both) {
    const random = randomness(7 + workspace.items);
    const locations: string[] = [];
    for (const place of places.slice(0, locationsPerWorkspace)) {
      locations.push((await callJson('POST', `${workspace.base}/locations`, seeded.token, { name: capital(place), description: `Shelves and hooks in the ${place}` })).json.id as string);
    }
    for (let index = 0; index < containersPerWorkspace; index += 1) {
      await callJson('POST', `${workspace.base}/containers`, seeded.token, { name: capital(`${colours[index % colours.length]} ${containerNames[index]}`), location_id: random.pick(locations) });
    }
    const item = (await callJson('POST', `${workspace.base}/items`, seeded.token, makers.get(workspace.id)!())).json as { id: string };
    const stored = (await documents.send(new GetCommand({ TableName: tableName, Key: tools.keys.entity(workspace.id, 'ITEM', item.id) }))).Item!;
    templates.set(workspace.id, stored);
    // what the feed indexes for them: every searchable entity in the workspace's partition now
    const entities = await queryAll(documents, { TableName: tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `WS#${workspace.id}` } });
    const taken = new Set<string>();
    for (const entity of entities) {
      const type = tools.searchTypeOf(entity.entity as string | undefined);
      if (!type) continue;
      workspace.postings.push(tools.search.postingsOf(type, entity));
      if (typeof entity.short_code === 'string') taken.add(entity.short_code);
    }
    codes.set(workspace.id, taken);
  }
  // The stream is about to be replaced: the feed must have indexed all of it first (the poller drops an old stream's shards).
  for (const workspace of both) {
    const expected = indexSize(workspace, tools);
    const held = { postings: 0, typos: 0 };
    await waitFor(async () => {
      held.postings = await countPartition(documents, tableName, `WS#${workspace.id}#TERMS`);
      held.typos = await countPartition(documents, tableName, `WS#${workspace.id}#TYPOS`);
      return held.postings === expected.postings && held.typos === expected.typos;
    }, () => `the change feed to index ${workspace.label}'s first entities: ${expected.postings} postings and ${expected.typos} typo entries expected, ${held.postings} and ${held.typos} there`);
  }
  log(`made ${locationsPerWorkspace} locations, ${containersPerWorkspace} containers and 1 item over HTTP in each of two workspaces; the change feed indexed them (${((performance.now() - started) / 1000).toFixed(1)} s)`);

  // ---- the copies, their postings and typo entries, with the stream off
  const seedStarted = performance.now();
  let written = 0;
  await withStreamOff(seeded, async () => {
    for (const workspace of both) written += await seedWorkspace(seeded, tools, workspace, templates.get(workspace.id)!, makers.get(workspace.id)!, codes.get(workspace.id)!, log);
  });
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  log(`seeded ${thousands(smallItems + largeItems - 2)} items with their postings and typo entries: ${thousands(written)} items written in ${seedSeconds.toFixed(1)} s (${thousands(written / seedSeconds)}/s, ${writersInFlight} BatchWriteItem calls in flight)`);

  // ---- the queries, from the seed's own words
  const queries = chooseQueries(small, tools);
  // No measured query may look up a typo entry B leaves out.
  const variants = new Set(queries.flatMap(({ q }) => tools.parseQuery(q).terms.filter((term) => term.fuzzy).flatMap((term) => [term.text, ...tools.search.deletionsOf(term.text)])));
  for (const word of large.skipped) {
    for (const variant of [word, ...tools.search.deletionsOf(word)]) {
      if (variants.has(variant)) throw new Error(`the typo entry ${variant}#${word} left out of ${large.label} is one a measured query looks up`);
    }
  }

  // ---- figure 4: the index's size (before anything else changes it)
  const sizes = [];
  for (const workspace of both) {
    const expected = indexSize(workspace, tools);
    const postings = await countPartition(documents, tableName, `WS#${workspace.id}#TERMS`);
    const typosWritten = await countPartition(documents, tableName, `WS#${workspace.id}#TYPOS`);
    if (postings !== expected.postings || typosWritten !== expected.typos - expected.skippedTypos) {
      throw new Error(`${workspace.label}'s index holds ${postings} postings and ${typosWritten} typo entries, not the ${expected.postings} and ${expected.typos - expected.skippedTypos} its entities make (postingsOf, deletionsOf)`);
    }
    const postingBytes = await averageBytes(documents, tableName, `WS#${workspace.id}#TERMS`);
    const typoBytes = await averageBytes(documents, tableName, `WS#${workspace.id}#TYPOS`);
    sizes.push({ workspace, postings, typos: expected.typos, skippedTypos: expected.skippedTypos, postingBytes, typoBytes, words: expected.words });
  }
  const perThousand = (value: number, workspace: Workspace) => (value / workspace.items) * 1000;
  const [sizeA, sizeB] = sizes as [typeof sizes[0], typeof sizes[0]];
  const sizeRows: string[][] = [];
  for (const size of sizes) {
    const other = size === sizeB ? sizeA : undefined;
    const figure = (name: string, value: (one: typeof size) => number, unit: string) =>
      record(`search.index.${size.workspace.label}.${name}`, perThousand(value(size), size.workspace), unit, other ? perThousand(value(other), other.workspace) : null, other ? { budget: 1.1 } : {});
    const postings = figure('postings-per-1k-items', (one) => one.postings, 'count');
    const typos = figure('typo-entries-per-1k-items', (one) => one.typos, 'count');
    const bytes = figure('bytes-per-1k-items', (one) => one.postings * one.postingBytes + one.typos * one.typoBytes, 'bytes');
    sizeRows.push([
      `${size.workspace.label} (${thousands(size.workspace.items)} items)`, thousands(size.postings), thousands(size.typos) + (size.skippedTypos ? ` (${thousands(size.skippedTypos)} computed)` : ''),
      thousands(size.words), size.postingBytes.toFixed(0), size.typoBytes.toFixed(0), thousands(postings.value), thousands(typos.value), `${(bytes.value / 1e6).toFixed(2)} MB`,
      other ? `${formatRatio(postings.ratio)} / ${formatRatio(typos.ratio)} / ${formatRatio(bytes.ratio)}` : '',
    ]);
  }
  log();
  log(table(['index', '>postings', '>typo entries', '>words', '>B/posting', '>B/typo entry', '>postings per 1k items', '>typo entries per 1k', '>bytes per 1k items', '>vs 1k (postings / typos / bytes)'], sizeRows));
  log(`counted with Query (Select COUNT) of WS#{ws}#TERMS and WS#{ws}#TYPOS, which hold exactly what postingsOf and deletionsOf make of the entities (checked); bytes: DynamoDB's item-size formula over ~2,000 items read back per partition (4 places in it), times the count. The index also holds the ${locationsPerWorkspace} locations' and ${containersPerWorkspace} containers' words; per 1k items divides by the items. ${large.label}'s typo entries of its items' own codes are computed, not written (see the header).`);

  // The seeding may have taken minutes: sign in again so the token outlives the measurements (15-minute tokens).
  const token = (await callJson('POST', `${api}/auth/login`, undefined, { email, password })).json.token as string;

  // ---- figure 1: search() in a fresh process, A and B interleaved call by call
  const workerStarted = performance.now();
  const input: WorkerInput = { dynamodb: runtime.state.dynamodb, tableName, userId: user.id, workspaces: both.map(({ label, id }) => ({ label, id })), queries, repetitions };
  const answer = await runScript('test/bench/sections/search.ts', [], { BENCH_SEARCH_INPUT: JSON.stringify(input) }, 900_000);
  const line = answer.output.split('\n').find((text) => text.startsWith('{"search"'));
  if (answer.code !== 0 || !line) throw new Error(`the search worker failed (${answer.code}):\n${answer.output.slice(-3000)}`);
  const service = (JSON.parse(line) as { search: WorkerOutput }).search;
  log();
  log(`search() in a fresh process: ${repetitions} repetitions of ${count} calls per query and workspace (after ${warmup} untimed), interleaved call by call; the median of each percentile (${((performance.now() - workerStarted) / 1000).toFixed(1)} s)`);

  // ---- figures 1 (through HTTP) and 2: the route's time and read capacity
  const http: Record<string, Record<string, Percentiles & { read: number; calls: number; results: number }>> = {};
  for (const { kind, q } of queries) {
    http[kind] = {};
    const urls = both.map((workspace) => `${workspace.base}/search?q=${encodeURIComponent(q)}&limit=${limit}`);
    for (const [at, workspace] of both.entries()) {
      const reads = [];
      for (let call = 0; call < 3; call += 1) reads.push(await capacityOf(urls[at]!, token));
      http[kind]![workspace.label] = { p50: 0, p95: 0, read: median(reads.map((one) => one.read)), calls: reads[0]!.calls, results: reads[0]!.results };
    }
    const getters = urls.map((url) => keepAliveGetter(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, timeoutMs: 30_000 }));
    const timed: Percentiles[][] = both.map(() => []);
    try {
      for (let repetition = 0; repetition < repetitions; repetition += 1) {
        (await timeInterleaved(getters.map((getter) => getter.get), { warmup, count })).forEach((latencies, at) => timed[at]!.push({ p50: percentile(latencies, 50), p95: percentile(latencies, 95) }));
      }
    } finally {
      for (const getter of getters) getter.close();
    }
    for (const [at, workspace] of both.entries()) Object.assign(http[kind]![workspace.label]!, { p50: median(timed[at]!.map((one) => one.p50)), p95: median(timed[at]!.map((one) => one.p95)) });
  }

  const touched = await Promise.all(queries.map(async ({ q }) => Promise.all(both.map((workspace) => postingsTouched(documents, tableName, workspace, q, tools)))));
  const rows: string[][] = [];
  const verdicts: string[] = [];
  for (const [index, { kind, q }] of queries.entries()) {
    const [a, b] = [service[kind]![small.label]!, service[kind]![large.label]!];
    const [ha, hb] = [http[kind]![small.label]!, http[kind]![large.label]!];
    record(`search.service.${kind}.1k.p50`, a.p50, 'ms');
    record(`search.service.${kind}.1k.p95`, a.p95, 'ms');
    const p50 = record(`search.service.${kind}.20k.p50`, b.p50, 'ms', a.p50);
    const p95 = record(`search.service.${kind}.20k.p95`, b.p95, 'ms', a.p95, { budget: 2 });
    record(`search.http.${kind}.1k.p95`, ha.p95, 'ms');
    const httpP95 = record(`search.http.${kind}.20k.p95`, hb.p95, 'ms', ha.p95, { budget: 2 });
    record(`search.http.${kind}.1k.read`, ha.read, 'RCU');
    const read = record(`search.http.${kind}.20k.read`, hb.read, 'RCU', ha.read);
    const [ta, tb] = touched[index]!;
    for (const [label, one, h, postings] of [[small.label, a, ha, ta], [large.label, b, hb, tb]] as const) {
      rows.push([
        label === small.label ? `${kind}: ${q}` : '', label, `${one.results} (${one.first})`, thousands(postings!), one.p50.toFixed(2), one.p95.toFixed(2), h.p50.toFixed(2), h.p95.toFixed(2),
        String(h.read), String(one.read), String(h.calls),
      ]);
    }
    rows.push(['', '20k vs 1k', '', formatRatio(tb! / ta!), formatRatio(p50.ratio), formatRatio(p95.ratio), formatRatio(hb.p50 / ha.p50), formatRatio(httpP95.ratio), formatRatio(read.ratio), formatRatio(b.read / a.read), '']);
    verdicts.push(`${kind} ${b.p95 <= 50 && (p95.ratio ?? Infinity) <= 2 ? 'meets' : 'misses'} it (${b.p95.toFixed(1)} ms, ${formatRatio(p95.ratio)})`);
  }
  log(table(['query', 'workspace', '>results (first)', '>postings touched', '>search() p50', '>p95 ms', '>HTTP p50', '>p95 ms', '>HTTP RCU', '>search() RCU', '>DynamoDB calls'], rows));
  log(`goal, search() in 20k: p95 ≤ 50 ms and ≤ 2× 1k's: ${verdicts.join('; ')}. HTTP = the runtime's API server over keep-alive (authorisation, validation, logs), ${repetitions} × ${count} interleaved; HTTP RCU = its x-consumed-capacity header (the authorizer's 1.5 RCU included), search() RCU = the service alone; postings touched = the posting items whose keys the query's words begin (its reads stop at 2,000 per word)`);

  // ---- figure 3: what one item change costs the index (the projector's writes)
  await writeCost(seeded, tools, small, makers.get(small.id)!, token, log);
}

/** What the workspace's index holds by its entities: postings, and typo entries (those left out apart). */
function indexSize(workspace: Workspace, tools: Tools) {
  const words = new Set<string>();
  let postings = 0;
  for (const map of workspace.postings) {
    postings += map.size;
    for (const word of map.keys()) words.add(word);
  }
  const entries = (word: string) => 1 + tools.search.deletionsOf(word).length;
  let typos = 0;
  let skippedTypos = 0;
  for (const word of words) {
    typos += entries(word);
    if (workspace.skipped.has(word)) skippedTypos += entries(word);
  }
  return { postings, typos, skippedTypos, words: words.size };
}

/**
 * Writes the workspace's items (copies of the template's stored layout), their postings and the
 * typo entries of the words the workspace has not seen, `writersInFlight` BatchWriteItem calls at a
 * time; answers how many items it wrote.
 */
async function seedWorkspace(seeded: SeededRuntime, tools: Tools, workspace: Workspace, template: Record<string, unknown>, make: () => ItemFields, codes: Set<string>, log: BenchContext['log']) {
  const { documents, runtime } = seeded;
  const { tableName } = runtime.state;
  // The copies change only what the template's layout is known to hold: fail loudly if it changed.
  const indexAttributes = Object.keys(template).filter((name) => /^GSI\d/.test(name)).sort().join(',');
  if (template.GSI1SK !== tools.nameSortKey(false, tools.foldName(String(template.name)), String(template.id)) || indexAttributes !== 'GSI1PK,GSI1SK' || template.entity !== 'ITEM' || template.is_archived !== false) {
    throw new Error(`the item's stored layout is not what the copies assume (GSI1SK ${JSON.stringify(template.GSI1SK)}, index attributes ${indexAttributes}): update seedWorkspace`);
  }
  const known = new Set(workspace.postings.flatMap((map) => [...map.keys()]));
  const random = randomness(workspace.items);
  const shortCode = () => {
    for (;;) {
      const code = Array.from({ length: 8 }, () => random.pick([...shortCodeAlphabet])).join('');
      if (!codes.has(code)) {
        codes.add(code);
        return code;
      }
    }
  };
  const copies: { item: Record<string, unknown>; postings: Map<string, number> }[] = [];
  const fresh = new Set<string>();
  const skipOwnCodes = workspace.items > smallItems;
  for (let index = 1; index < workspace.items; index += 1) {
    const id = randomUUID();
    const fields = make();
    const { model: _model, description: _description, ...rest } = template;
    const item: Record<string, unknown> = { ...rest, ...fields, id, short_code: shortCode(), SK: `ITEM#${id}`, GSI1SK: tools.nameSortKey(false, tools.foldName(fields.name), id) };
    const postings = tools.search.postingsOf('item', item);
    workspace.postings.push(postings);
    copies.push({ item, postings });
    const own = skipOwnCodes ? new Set([tools.text.compact(item.sku), tools.text.compact(item.short_code)]) : new Set<string>();
    for (const word of postings.keys()) {
      if (own.has(word)) workspace.skipped.add(word);
      else if (!known.has(word)) fresh.add(word);
    }
  }
  for (const word of workspace.skipped) fresh.delete(word);
  // items, then postings, then typo entries: one lazy stream of puts
  function* puts(): Generator<Record<string, unknown>> {
    for (const { item, postings } of copies) {
      yield item;
      for (const [word, weight] of postings) {
        yield tools.search.postingItem(workspace.id, word, 'item', String(item.id), weight, false) as unknown as Record<string, unknown>;
      }
    }
    for (const word of fresh) {
      for (const variant of tools.search.deletionsOf(word)) yield { ...tools.keys.searchTypo(workspace.id, variant, word), word };
      yield { ...tools.keys.searchTypo(workspace.id, word, word), word };
    }
  }
  const stream = puts();
  let done = false;
  let written = 0;
  const started = performance.now();
  const writer = async () => {
    while (!done) {
      const batch: Record<string, unknown>[] = [];
      while (batch.length < 25) {
        const next = stream.next();
        if (next.done) {
          done = true;
          break;
        }
        batch.push(next.value);
      }
      if (batch.length === 0) return;
      await writeBatch(documents, tableName, batch);
      const before = written;
      written += batch.length;
      if (Math.floor(written / 100_000) > Math.floor(before / 100_000)) log(`  ${workspace.label}: ${thousands(Math.floor(written / 100_000) * 100_000)} items written (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
  };
  await Promise.all(Array.from({ length: writersInFlight }, writer));
  log(`  ${workspace.label}: ${thousands(copies.length)} items, their postings and ${thousands(fresh.size)} new words' typo entries: ${thousands(written)} puts in ${((performance.now() - started) / 1000).toFixed(1)} s${workspace.skipped.size ? ` (the typo entries of ${thousands(workspace.skipped.size)} items' own codes left out)` : ''}`);
  return written;
}

async function writeBatch(documents: DynamoDBDocumentClient, tableName: string, items: Record<string, unknown>[]) {
  let requests: Record<string, any[]> | undefined = { [tableName]: items.map((Item) => ({ PutRequest: { Item } })) };
  for (let attempt = 0; requests && Object.keys(requests).length; attempt += 1) {
    if (attempt > 20) throw new Error('BatchWriteItem left items unprocessed 20 times');
    if (attempt > 0) await sleep(Math.min(1000, 20 * 2 ** attempt));
    requests = (await documents.send(new BatchWriteCommand({ RequestItems: requests }))).UnprocessedItems as typeof requests;
  }
}

/**
 * The four queries: one word (`drill`), three words that occur together in the 1k workspace's items
 * (the most frequent adjective + brand + noun of one name), a beginning (`scre`: screwdriver,
 * screws, screen), a typo (`scredriver`: the w of screwdriver left out).
 */
function chooseQueries(small: Workspace, tools: Tools) {
  const adjectives = new Set(kinds.flatMap((kind) => kind.adjectives));
  const nouns = new Set(kinds.flatMap((kind) => kind.nouns.map((noun) => noun.split(' ').at(-1)!)));
  // a brand by its longest word ("creuset", not "le")
  const brands = new Set(kinds.flatMap((kind) => kind.brands.map((brand) => tools.text.words(brand).sort((a, b) => b.length - a.length)[0]!)));
  const triples = new Map<string, number>();
  for (const map of small.postings) {
    const words = [...map].filter(([, weight]) => weight >= 2).map(([word]) => word);
    const adjective = words.find((word) => adjectives.has(word) && map.get(word) === 3);
    const noun = words.find((word) => nouns.has(word) && map.get(word) === 3);
    const brand = words.find((word) => brands.has(word) && map.get(word) === 2);
    if (adjective && noun && brand) triples.set(`${adjective} ${brand} ${noun}`, (triples.get(`${adjective} ${brand} ${noun}`) ?? 0) + 1);
  }
  const [three] = [...triples].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]!;
  return [{ kind: 'one-word', q: 'drill' }, { kind: 'three-words', q: three }, { kind: 'prefix', q: 'scre' }, { kind: 'typo', q: 'scredriver' }];
}

/** How many posting items the keys a query reads begin: each word's (the last one's beginnings), a typo's neighbour's. */
async function postingsTouched(documents: DynamoDBDocumentClient, tableName: string, workspace: Workspace, q: string, tools: Tools) {
  let total = 0;
  const words = new Set(workspace.postings.flatMap((map) => [...map.keys()]));
  for (const term of tools.parseQuery(q).terms) {
    const prefixes = [term.prefix && term.text.length >= 2 ? term.text : `${term.text}#`];
    if (term.fuzzy) {
      for (const word of words) if (word !== term.text && tools.text.withinOneTypo(term.text, word)) prefixes.push(`${word}#`);
    }
    for (const prefix of prefixes) total += await countPartition(documents, tableName, `WS#${workspace.id}#TERMS`, prefix);
  }
  return total;
}

/** One GET of the search route: its read capacity, DynamoDB calls and results. */
async function capacityOf(url: string, token: string) {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${text.slice(0, 300)}`);
  const capacity = /read=([\d.]+), write=([\d.]+), calls=(\d+)/.exec(response.headers.get('x-consumed-capacity') ?? '');
  if (!capacity) throw new Error(`GET ${url} sent no x-consumed-capacity header with calls`);
  const results = (JSON.parse(text) as { results: unknown[] }).results.length;
  if (results === 0) throw new Error(`GET ${url} found nothing`);
  return { read: Number(capacity[1]), calls: Number(capacity[3]), results };
}

/**
 * Figure 3: an item created over HTTP in the 1k workspace (its words are the seed's; its SKU and
 * short code new), then its description changed. The projector's writes are computed with its own
 * functions from the stored images, once it has written them (checked), and the create's are
 * written again (same items) with ReturnConsumedCapacity to measure their WCU.
 */
async function writeCost(seeded: SeededRuntime, tools: Tools, workspace: Workspace, make: () => ItemFields, token: string, log: BenchContext['log']) {
  const { documents, runtime } = seeded;
  const { tableName } = runtime.state;
  const { search, keys } = tools;
  const ownEntries = async (words: readonly string[]) => {
    const found = new Set<string>();
    for (let start = 0; start < words.length; start += 100) {
      const answer = await documents.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: words.slice(start, start + 100).map((word) => keys.searchTypo(workspace.id, word, word)) } } }));
      for (const item of answer.Responses?.[tableName] ?? []) found.add(String(item.word));
    }
    return found;
  };
  const fields = make();
  const knownBefore = await ownEntries([...search.postingsOf('item', { ...fields }).keys()]);
  const created = await callJson('POST', `${workspace.base}/items`, token, fields);
  const id = String(created.json.id);
  const stored = (await documents.send(new GetCommand({ TableName: tableName, Key: keys.entity(workspace.id, 'ITEM', id) }))).Item!;
  const { requests, added } = search.postingChanges(workspace.id, 'item', id, undefined, stored);
  // wait until the projector has written all of it
  const postingKeys = requests.flatMap((request) => ('PutRequest' in request ? [{ PK: String(request.PutRequest.Item.PK), SK: String(request.PutRequest.Item.SK) }] : []));
  await waitFor(async () => {
    let present = 0;
    for (let start = 0; start < postingKeys.length; start += 100) {
      present += (await documents.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: postingKeys.slice(start, start + 100) } } }))).Responses?.[tableName]?.length ?? 0;
    }
    return present === postingKeys.length && (await ownEntries(added)).size === new Set(added).size;
  }, 'the change feed to index the item made over HTTP');
  // the short code was not in the fields: it was new unless another entity holds the same word
  const code = tools.text.compact(stored.short_code);
  const codeHolders = await countPartition(documents, tableName, `WS#${workspace.id}#TERMS`, `${code}#`);
  const fresh = added.filter((word) => (word === code ? codeHolders === 1 : !knownBefore.has(word)));
  const typoItems = fresh.flatMap((word) => [...search.deletionsOf(word), word].map((variant) => ({ ...keys.searchTypo(workspace.id, variant, word), word })));
  // measured: the same items written again (an identical put costs what the first one did)
  const measure = async (items: Record<string, unknown>[]) => {
    let units = 0;
    for (let start = 0; start < items.length; start += 25) {
      const answer = await documents.send(new BatchWriteCommand({ RequestItems: { [tableName]: items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })) }, ReturnConsumedCapacity: 'TOTAL' }));
      if (Object.keys(answer.UnprocessedItems ?? {}).length) throw new Error('BatchWriteItem left items unprocessed while measuring');
      units += capacityUnits(answer.ConsumedCapacity);
    }
    return units;
  };
  const postingPuts = requests.flatMap((request) => ('PutRequest' in request ? [request.PutRequest.Item] : []));
  const postingWcu = await measure(postingPuts);
  const typoWcu = await measure(typoItems);
  // the projector's read: learnWords' BatchGetItem of the added words' own entries
  const learnRead = capacityUnits((await documents.send(new BatchGetCommand({
    RequestItems: { [tableName]: { Keys: [...new Set(added)].slice(0, 100).map((word) => keys.searchTypo(workspace.id, word, word)), ProjectionExpression: 'SK' } }, ReturnConsumedCapacity: 'TOTAL',
  }))).ConsumedCapacity);

  // a change: a new description (words of the seed)
  let description = make().description;
  while (!description) description = make().description;
  const patchWordsKnown = await ownEntries([...search.postingsOf('item', { description }).keys()]);
  const patched = await callJson('PATCH', `${workspace.base}/items/${id}`, token, { description });
  const after = (await documents.send(new GetCommand({ TableName: tableName, Key: keys.entity(workspace.id, 'ITEM', id) }))).Item!;
  const change = search.postingChanges(workspace.id, 'item', id, stored, after);
  const patchFresh = change.added.filter((word) => !patchWordsKnown.has(word));
  const patchTypos = patchFresh.reduce((sum, word) => sum + 1 + search.deletionsOf(word).length, 0);
  const deletes = change.requests.filter((request) => 'DeleteRequest' in request).length;

  const createPostings = record('search.write.create.posting-writes', requests.length, 'WCU', created.write);
  const createTypos = record('search.write.create.typo-writes', typoItems.length, 'WCU', created.write);
  const measured = record('search.write.create.measured-wcu', postingWcu + typoWcu, 'WCU', requests.length + typoItems.length);
  const patchPostings = record('search.write.patch.index-writes', change.requests.length + patchTypos, 'WCU', patched.write);
  log();
  log(table(['one item change (1k workspace)', '>route WCU (header)', '>posting writes', '>typo-entry writes (new words)', '>index WCU (computed, 1/item)', '>index WCU (measured)', '>index / route'], [
    [`POST /items (${search.postingsOf('item', stored).size} words, ${fresh.length} new: ${fresh.join(', ')})`, String(created.write), String(requests.length), String(typoItems.length),
      String(requests.length + typoItems.length), `${postingWcu} + ${typoWcu}`, formatRatio((requests.length + typoItems.length) / created.write)],
    [`PATCH /items/{id} description (${change.added.length} words gained, ${deletes} lost, ${patchFresh.length} new)`, String(patched.write), `${change.requests.length - deletes} puts + ${deletes} deletes`, String(patchTypos),
      String(patchPostings.value), '-', formatRatio(patchPostings.ratio)],
  ]));
  log(`the projector's writes, computed from the stored images with postingChanges and deletionsOf (what functions/streams/projectors/search-index.ts calls), at 1 WCU per item ≤ 1 KB, checked present in the table; measured = the create's same posting and typo items written again with ReturnConsumedCapacity (${formatRatio(measured.ratio)} of computed). It also reads the added words' own typo entries (${learnRead} RCU, one BatchGetItem). Against the route's own WCU (its x-consumed-capacity header: the item, its code guards, in a transaction): postings ${formatRatio(createPostings.ratio)}, typo entries ${formatRatio(createTypos.ratio)}; most of the typo entries are the new SKU's and short code's`);
}

/** Every item of a Query (every page). */
async function queryAll(documents: DynamoDBDocumentClient, input: ConstructorParameters<typeof QueryCommand>[0]) {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** How many items a partition holds (those whose sort key begins `prefix`, when given); every page counted. */
async function countPartition(documents: DynamoDBDocumentClient, tableName: string, partition: string, prefix?: string) {
  let total = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new QueryCommand({
      TableName: tableName, Select: 'COUNT', KeyConditionExpression: prefix ? 'PK = :pk AND begins_with(SK, :prefix)' : 'PK = :pk',
      ExpressionAttributeValues: { ':pk': partition, ...(prefix ? { ':prefix': prefix } : {}) }, ...(start ? { ExclusiveStartKey: start } : {}),
    }));
    total += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return total;
}

/** The mean item size (DynamoDB's formula: names + values) of up to 2,000 items read from 4 places in the partition. */
async function averageBytes(documents: DynamoDBDocumentClient, tableName: string, partition: string) {
  const sizes: number[] = [];
  const seen = new Set<string>();
  for (const from of ['0', 'd', 'm', 's']) {
    const page = await documents.send(new QueryCommand({ TableName: tableName, KeyConditionExpression: 'PK = :pk AND SK >= :from', ExpressionAttributeValues: { ':pk': partition, ':from': from }, Limit: 500 }));
    for (const item of page.Items ?? []) {
      if (seen.has(String(item.SK))) continue;
      seen.add(String(item.SK));
      sizes.push(itemBytes(item));
    }
  }
  if (sizes.length === 0) throw new Error(`${partition} is empty`);
  return sizes.reduce((sum, size) => sum + size, 0) / sizes.length;
}

/** DynamoDB's item size: each attribute's name and value (strings in UTF-8; numbers ~1 byte per 2 digits + 1; booleans 1). */
function itemBytes(item: Record<string, unknown>): number {
  const valueBytes = (value: unknown): number => {
    if (typeof value === 'string') return Buffer.byteLength(value);
    if (typeof value === 'number') return Math.ceil(String(Math.abs(value)).replace(/[.-]/g, '').replace(/^0+/, '').length / 2) + 1;
    if (typeof value === 'boolean' || value === null) return 1;
    if (value instanceof Set) return [...value].reduce((sum: number, one) => sum + valueBytes(one), 0);
    if (Array.isArray(value)) return 3 + value.reduce((sum: number, one) => sum + 1 + valueBytes(one), 0);
    if (typeof value === 'object') return 3 + Object.entries(value as Record<string, unknown>).reduce((sum, [name, one]) => sum + 1 + Buffer.byteLength(name) + valueBytes(one), 0);
    return 0;
  };
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueBytes(value), 0);
}

/** Polls `check` every 250 ms until it holds; bounded: 60 s. */
async function waitFor(check: () => Promise<boolean>, what: string | (() => string)) {
  const deadline = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`waited 60 s for ${typeof what === 'string' ? what : what()}`);
    await sleep(250);
  }
}

/**
 * Runs `work` with the table's stream off, then turns it on again (same view type) whatever
 * happened: the runtime's stream poller finds the new stream by itself and reads it from its start
 * (as sync.ts does).
 */
async function withStreamOff({ runtime, documents }: SeededRuntime, work: () => Promise<void>) {
  const { tableName } = runtime.state;
  const viewType = (await documents.send(new DescribeTableCommand({ TableName: tableName }))).Table?.StreamSpecification?.StreamViewType;
  if (!viewType) throw new Error(`table ${tableName} has no stream to turn off`);
  await documents.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: false } }));
  try {
    await work();
  } finally {
    await documents.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: true, StreamViewType: viewType } }));
  }
}
