// Workspace search (GET /workspaces/{id}/search, shared/domain/search): what a query costs as the
// workspace grows, what keeping the index costs per change, and how big the index is.
//
// Starts the real local runtime (in memory) with two workspaces of the same user: A with 1,000
// items and B with 20,000, named from the word lists below (ten kinds of things, each with its
// nouns, adjectives, brands and SKU prefix; the first words of each list are the most common, as
// in a real house), with brands, models, SKUs like `TOOL-18V-0042`, short codes and descriptions of
// 5–15 words; plus 30 locations and 10 containers each. In each workspace the locations, the
// containers and one item are made over HTTP (the change feed indexes them); the other items are
// copies of that item's stored layout (keys, name index, codes and text changed consistently; the
// unique guards of codes and the change-log entries are not written: search reads neither), written
// with BatchWriteItem while the table's stream is off, each with the postings the search projector
// would write for its create (postingChanges, the projector's own function), and then the typo
// entries of the workspaces' words, made by the engine's learnWords in a fresh process (so the
// entries are whatever the engine decides to keep). The feed's own pace (one record at a time)
// would take far longer than the 3 minutes this seed may take.
// Figures, each against its baseline in this run:
// 1. per kind of query (one word, three words that occur together, a beginning, a typo) the time of
//    the service's search() in a fresh process (its own module graph configured for this runtime,
//    as items-latency-worker.ts does) with the scope the route's authorisation builds, p50/p95 over
//    `--runs` repetitions of 30 calls, A and B interleaved call by call: B against A (goal: B p95
//    ≤ 50 ms and ≤ 2× A); the same through HTTP (the runtime's API server; one repetition of 30);
// 2. the read capacity of each query over HTTP (the local-only `x-consumed-capacity` header): B against A;
// 3. the write capacity of one item change in A (an item created over HTTP with one brand the
//    workspace has not seen, then its description changed): the projector's posting writes from
//    the stored images with postingChanges, its typo entries as the change of WS#{ws}#TYPOS, both
//    at 1 WCU per item ≤ 1 KB and measured by writing the same items again with
//    ReturnConsumedCapacity; against the route's own WCU (the change feed's writes are not in the
//    route's header);
// 4. the index's size per 1,000 items: posting and typo items counted (Query, Select COUNT) and
//    their bytes (item-size formula over a sample read back): B against A (≈ 1.0× expected).
import { randomBytes, randomUUID } from 'node:crypto';
import { BatchGetCommand, BatchWriteCommand, GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { configureForRuntime, countPartition, itemBytes, queryAll, randomness, runWorker as runScriptWorker, serveAsWorker, settled, thousands, waitFor, writeAll } from '../bulk.js';
import { keepAliveGetter, timeInterleaved } from '../loop.js';
import { formatRatio, record, table } from '../report.js';
import { callJson, capacityUnits, untilQuiet, withSeededRuntime, withStreamOff, type SeededRuntime } from '../seeded-runtime.js';
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

// ---- the worker: the engine's own functions in a fresh process configured for this runtime

interface Percentiles {
  p50: number;
  p95: number;
}

/** `learn`: learnWords of each workspace's words. `measure`: search() of each query in each workspace, interleaved. */
type WorkerInput = { dynamodb: string; tableName: string } & (
  | { mode: 'learn'; workspaces: { id: string; words: string[] }[] }
  | { mode: 'measure'; userId: string; workspaces: { label: string; id: string }[]; queries: { kind: string; q: string }[]; repetitions: number }
);

type WorkerOutput = Record<string, Record<string, Percentiles & { read: number; calls: number; results: number; first: string }>>;

async function worker(input: WorkerInput) {
  await configureForRuntime(input.dynamodb, input.tableName);
  if (input.mode === 'learn') {
    const { learnWords } = await import('../../../shared/domain/search/postings.js');
    for (const { id, words } of input.workspaces) {
      // disjoint parts at once: learnWords of one word never touches another's entries
      const parts = 4;
      await Promise.all(Array.from({ length: parts }, (_, part) => learnWords(id, words.filter((_word, at) => at % parts === part))));
    }
    process.stdout.write(`${JSON.stringify({ learned: input.workspaces.length })}\n`);
    return;
  }
  const { search } = await import('../../../shared/domain/search/service.js');
  const { loadAccess } = await import('../../../shared/domain/workspaces/repository.js');
  const { withCapacityTally } = await import('../../../shared/observability/capacity.js');
  // the scope as shared/http/caller.ts's authorize builds it for a workspace route (no prefetch)
  const scopes = await Promise.all(input.workspaces.map(async ({ id }) => {
    const access = await loadAccess(input.userId, id);
    if (!access.workspace || !access.member) throw new Error(`no workspace or membership for ${id}`);
    return { workspace: access.workspace, member: access.member, role: access.member.role };
  }));
  // one untimed pass over everything first (modules, connections, JIT), then each query's loop
  for (const { q } of input.queries) for (const scope of scopes) await search(scope, { q, limit });
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

// Run as a script (by runWorker below): the worker.
await serveAsWorker(import.meta.url, worker);

/** Runs this file as the worker with `input`; answers its JSON line. */
const runWorker = (input: WorkerInput, marker: string) => runScriptWorker('test/bench/sections/search.ts', input, marker);

// ---- the section

interface Workspace {
  label: string;
  id: string;
  base: string;
  items: number;
  /** every searchable entity's postings (word → weight): the HTTP-made ones' and the copies' */
  postings: Map<string, number>[];
}

interface Tools {
  postings: typeof import('../../../shared/domain/search/postings.js');
  keys: typeof import('../../../shared/db/keys.js');
  foldName: (name: string) => string;
  parseQuery: typeof import('../../../shared/domain/search/query.js').parseQuery;
  text: typeof import('../../../shared/domain/search/text.js');
  searchTypeOf: typeof import('../../../shared/domain/search/fields.js').searchTypeOf;
}


export async function run({ log, runs }: BenchContext) {
  // Pure functions only in this process (it talks to DynamoDB Local through the seeded runtime's client).
  const tools: Tools = {
    postings: await import('../../../shared/domain/search/postings.js'),
    keys: await import('../../../shared/db/keys.js'),
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
  const small: Workspace = { label: '1k', id: workspaceId, base, items: smallItems, postings: [] };
  const large: Workspace = { label: '20k', id: otherId, base: `${api}/workspaces/${otherId}`, items: largeItems, postings: [] };
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
    templates.set(workspace.id, (await documents.send(new GetCommand({ TableName: tableName, Key: tools.keys.entity(workspace.id, 'ITEM', item.id) }))).Item!);
    // what the feed indexes for them: every searchable entity in the workspace's partition now
    const taken = new Set<string>();
    for (const entity of await queryAll(documents, { TableName: tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `WS#${workspace.id}` } })) {
      const type = tools.searchTypeOf(entity.entity as string | undefined);
      if (!type) continue;
      workspace.postings.push(tools.postings.postingsOf(type, entity));
      if (typeof entity.short_code === 'string') taken.add(entity.short_code);
    }
    codes.set(workspace.id, taken);
  }
  // The stream is about to be replaced: the feed must have indexed all of it first (the poller drops
  // an old stream's shards): every posting, and typo entries that stopped changing (they come right
  // after; whatever the feed had not written yet, the learnWords below writes).
  for (const workspace of both) {
    const expected = workspace.postings.reduce((sum, map) => sum + map.size, 0);
    let held = 0;
    await waitFor(async () => (held = await countPartition(documents, tableName, `WS#${workspace.id}#TERMS`)) === expected,
      () => `the change feed to index ${workspace.label}'s first entities: ${expected} postings expected, ${held} there`);
    await settled(() => countPartition(documents, tableName, `WS#${workspace.id}#TYPOS`));
  }
  log(`made ${locationsPerWorkspace} locations, ${containersPerWorkspace} containers and 1 item over HTTP in each of two workspaces; the change feed indexed them (${((performance.now() - started) / 1000).toFixed(1)} s)`);

  // ---- the copies and their postings with the stream off, then the typo entries of every word
  const seedStarted = performance.now();
  let written = 0;
  let learnSeconds = 0;
  await withStreamOff(seeded, async () => {
    for (const workspace of both) written += await seedWorkspace(seeded, tools, workspace, templates.get(workspace.id)!, makers.get(workspace.id)!, codes.get(workspace.id)!, log);
    const learnStarted = performance.now();
    const words = both.map((workspace) => ({ id: workspace.id, words: [...new Set(workspace.postings.flatMap((map) => [...map.keys()]))] }));
    await runWorker({ mode: 'learn', dynamodb: runtime.state.dynamodb, tableName, workspaces: words }, '{"learned"');
    learnSeconds = (performance.now() - learnStarted) / 1000;
    log(`  learnWords of ${words.map((one, at) => `${thousands(one.words.length)} words (${both[at]!.label})`).join(' and ')} in a fresh process: ${learnSeconds.toFixed(1)} s`);
  });
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  log(`seeded ${thousands(smallItems + largeItems - 2)} items with their postings (${thousands(written)} puts, ${thousands(written / (seedSeconds - learnSeconds))}/s, ${writersInFlight} BatchWriteItem calls in flight) and typo entries in ${seedSeconds.toFixed(1)} s`);

  // ---- figure 4: the index's size (before anything else changes it)
  const sizes = [];
  for (const workspace of both) {
    const expected = workspace.postings.reduce((sum, map) => sum + map.size, 0);
    const postings = await countPartition(documents, tableName, `WS#${workspace.id}#TERMS`);
    if (postings !== expected) throw new Error(`${workspace.label}'s index holds ${postings} postings, not the ${expected} postingsOf makes of its entities`);
    const typos = await countPartition(documents, tableName, `WS#${workspace.id}#TYPOS`);
    const words = new Set(workspace.postings.flatMap((map) => [...map.keys()])).size;
    sizes.push({
      workspace, postings, typos, words, postingBytes: await averageBytes(documents, tableName, `WS#${workspace.id}#TERMS`), typoBytes: await averageBytes(documents, tableName, `WS#${workspace.id}#TYPOS`),
    });
  }
  const perThousand = (value: number, workspace: Workspace) => (value / workspace.items) * 1000;
  const [sizeA] = sizes as [typeof sizes[0]];
  const sizeRows: string[][] = [];
  for (const size of sizes) {
    const other = size === sizeA ? undefined : sizeA;
    const figure = (name: string, value: (one: typeof size) => number, unit: string) =>
      record(`search.index.${size.workspace.label}.${name}`, perThousand(value(size), size.workspace), unit, other ? perThousand(value(other), other.workspace) : null, other ? { budget: 1.1 } : {});
    const postings = figure('postings-per-1k-items', (one) => one.postings, 'count');
    const typos = figure('typo-entries-per-1k-items', (one) => one.typos, 'count');
    const bytes = figure('bytes-per-1k-items', (one) => one.postings * one.postingBytes + one.typos * one.typoBytes, 'bytes');
    sizeRows.push([
      `${size.workspace.label} (${thousands(size.workspace.items)} items)`, thousands(size.postings), thousands(size.typos), thousands(size.words), size.postingBytes.toFixed(0), size.typoBytes.toFixed(0),
      thousands(postings.value), thousands(typos.value), `${(bytes.value / 1e6).toFixed(3)} MB`, other ? `${formatRatio(postings.ratio)} / ${formatRatio(typos.ratio)} / ${formatRatio(bytes.ratio)}` : '',
    ]);
  }
  log();
  log(table(['index', '>postings', '>typo entries', '>distinct words', '>B/posting', '>B/typo entry', '>postings per 1k items', '>typo entries per 1k', '>bytes per 1k items', '>vs 1k (postings / typos / bytes)'], sizeRows));
  log(`counted with Query (Select COUNT) of WS#{ws}#TERMS (exactly what postingsOf makes of the entities: checked) and WS#{ws}#TYPOS; bytes: DynamoDB's item-size formula (names + values) over ~2,000 items read back from 4 places in each partition, times the count. The index also holds the ${locationsPerWorkspace} locations' and ${containersPerWorkspace} containers' words; per 1k items divides by the items. The typo entries follow the vocabulary, not the items: ${large.label} reuses ${small.label}'s words, so fewer per item`);

  // The seeding may have taken minutes: sign in again so the token outlives the measurements (15-minute tokens).
  const token = (await callJson('POST', `${api}/auth/login`, undefined, { email, password })).json.token as string;

  // The seeding leaves the change feed and DynamoDB Local busy for a while: latencies measured then
  // measure that contention on a 2-core machine, not the search (as the catalog and items sections do).
  const quietStarted = performance.now();
  await untilQuiet(seeded, log);
  log(`waited ${((performance.now() - quietStarted) / 1000).toFixed(1)} s for the runtime to be at rest`);

  // ---- figure 1: search() in a fresh process, A and B interleaved call by call
  const queries = chooseQueries(small, tools);
  const workerStarted = performance.now();
  const line = await runWorker({
    mode: 'measure', dynamodb: runtime.state.dynamodb, tableName, userId: user.id, workspaces: both.map(({ label, id }) => ({ label, id })), queries, repetitions,
  }, '{"search"');
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
    try {
      // one repetition (the service's figures are the ones repeated): it only adds the route's own work
      const latencies = await timeInterleaved(getters.map((getter) => getter.get), { warmup, count });
      for (const [at, workspace] of both.entries()) Object.assign(http[kind]![workspace.label]!, { p50: percentile(latencies[at]!, 50), p95: percentile(latencies[at]!, 95) });
    } finally {
      for (const getter of getters) getter.close();
    }
  }

  const touched = [];
  for (const { q } of queries) touched.push([await postingsTouched(documents, tableName, small, q, tools), await postingsTouched(documents, tableName, large, q, tools)]);
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
    const [ta, tb] = touched[index] as [number, number];
    for (const [label, one, h, postings] of [[small.label, a, ha, ta], [large.label, b, hb, tb]] as const) {
      rows.push([
        label === small.label ? `${kind}: ${q}` : '', label, `${one.results} (${one.first})`, thousands(postings), one.p50.toFixed(2), one.p95.toFixed(2), h.p50.toFixed(2), h.p95.toFixed(2),
        String(h.read), String(one.read), String(one.calls),
      ]);
    }
    rows.push(['', '20k vs 1k', '', formatRatio(tb / ta), formatRatio(p50.ratio), formatRatio(p95.ratio), formatRatio(hb.p50 / ha.p50), formatRatio(httpP95.ratio), formatRatio(read.ratio), formatRatio(b.read / a.read), '']);
    verdicts.push(`${kind} ${b.p95 <= 50 && (p95.ratio ?? Infinity) <= 2 ? 'meets' : 'misses'} it (${b.p95.toFixed(1)} ms, ${formatRatio(p95.ratio)})`);
  }
  log(table(['query', 'workspace', '>results (first)', '>postings matched', '>search() p50', '>p95 ms', '>HTTP p50', '>p95 ms', '>HTTP RCU', '>search() RCU', '>DynamoDB calls'], rows));
  log(`goal, search() in 20k: p95 ≤ 50 ms and ≤ 2× 1k's: ${verdicts.join('; ')}. HTTP = the runtime's API server over keep-alive (authorisation, validation, logs), ${count} calls interleaved (one repetition); HTTP RCU = its x-consumed-capacity header (the authorizer's BatchGetItem included); search() RCU and DynamoDB calls = the service alone (the product client's tally); postings matched = the posting items the query's words match (the engine reads a word's best first and stops at 100 for a first page)`);

  // ---- figure 3: what one item change costs the index (the projector's writes)
  await writeCost(seeded, tools, small, makers.get(small.id)!, token, log);
}

/**
 * Writes the workspace's items (copies of the template's stored layout) and their postings,
 * `writersInFlight` BatchWriteItem calls at a time; answers how many items it wrote.
 */
async function seedWorkspace(seeded: SeededRuntime, tools: Tools, workspace: Workspace, template: Record<string, unknown>, make: () => ItemFields, codes: Set<string>, log: BenchContext['log']) {
  const { documents, runtime } = seeded;
  const { tableName } = runtime.state;
  // The copies change only what the template's layout is known to hold: fail loudly if it changed.
  const indexAttributes = Object.keys(template).filter((name) => /^GSI\d/.test(name)).sort().join(',');
  if (template.GSI1SK !== tools.keys.nameSortKey(false, tools.foldName(String(template.name)), String(template.id)) || indexAttributes !== 'GSI1PK,GSI1SK'
    || template.entity !== 'ITEM' || template.is_archived !== false || template.category_id !== undefined || template.label_ids !== undefined) {
    throw new Error(`the item's stored layout is not what the copies assume (GSI1SK ${JSON.stringify(template.GSI1SK)}, index attributes ${indexAttributes}): update seedWorkspace`);
  }
  const random = randomness(workspace.items);
  const shortCode = () => {
    for (;;) {
      const code = Array.from({ length: 8 }, () => shortCodeAlphabet[Math.floor(random.next() * shortCodeAlphabet.length)]).join('');
      if (!codes.has(code)) {
        codes.add(code);
        return code;
      }
    }
  };
  const { model: _model, description: _description, ...layout } = template;
  // items and their postings: one lazy stream of puts
  function* puts(): Generator<Record<string, unknown>> {
    for (let index = 1; index < workspace.items; index += 1) {
      const id = randomUUID();
      const fields = make();
      const item: Record<string, unknown> = { ...layout, ...fields, id, short_code: shortCode(), SK: `ITEM#${id}`, GSI1SK: tools.keys.nameSortKey(false, tools.foldName(fields.name), id) };
      workspace.postings.push(tools.postings.postingsOf('item', item));
      yield item;
      // what the search projector writes for the item's create
      for (const request of tools.postings.postingChanges(workspace.id, 'item', id, undefined, item).requests) {
        if (!('PutRequest' in request)) throw new Error('a create\'s postings are all puts');
        yield request.PutRequest.Item;
      }
    }
  }
  const started = performance.now();
  const written = await writeAll(documents, tableName, puts(), {
    inFlight: writersInFlight,
    progress: (count, before) => {
      if (Math.floor(count / 100_000) > Math.floor(before / 100_000)) log(`  ${workspace.label}: ${thousands(Math.floor(count / 100_000) * 100_000)} puts (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    },
  });
  log(`  ${workspace.label}: ${thousands(workspace.items - 1)} items and their postings: ${thousands(written)} puts in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return written;
}

/**
 * The four queries: one word (`drill`), three words that occur together in the 1k workspace's items
 * (the most frequent adjective + brand + noun of one item), a beginning (`scre`: screwdriver,
 * screws, screen), a typo (`scredriver`: the w of screwdriver left out).
 */
function chooseQueries(small: Workspace, tools: Tools) {
  const adjectives = new Set(kinds.flatMap((kind) => kind.adjectives));
  const nouns = new Set(kinds.flatMap((kind) => kind.nouns.map((noun) => noun.split(' ').at(-1)!)));
  // a brand by its longest word ("creuset", not "le")
  const brands = new Set(kinds.flatMap((kind) => kind.brands.map((brand) => tools.text.words(brand).sort((a, b) => b.length - a.length)[0]!)));
  const triples = new Map<string, number>();
  for (const map of small.postings) {
    const words = [...map.keys()];
    const adjective = words.find((word) => adjectives.has(word) && map.get(word) === 3);
    const noun = words.find((word) => nouns.has(word) && map.get(word) === 3);
    const brand = words.find((word) => brands.has(word) && map.get(word) === 2);
    if (adjective && noun && brand) triples.set(`${adjective} ${brand} ${noun}`, (triples.get(`${adjective} ${brand} ${noun}`) ?? 0) + 1);
  }
  const [three] = [...triples].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]!;
  return [{ kind: 'one-word', q: 'drill' }, { kind: 'three-words', q: three }, { kind: 'prefix', q: 'scre' }, { kind: 'typo', q: 'scredriver' }];
}

/**
 * How many posting items the query's words match: each word's (the last one's beginnings), and
 * its typo neighbours' unless it has more than a first page reads (as the engine looks them up).
 * The engine reads only the best `firstPageReach` of a word's for a first page; this counts them all.
 */
const firstPageReach = 100;
async function postingsTouched(documents: DynamoDBDocumentClient, tableName: string, workspace: Workspace, q: string, tools: Tools) {
  let total = 0;
  const words = new Set(workspace.postings.flatMap((map) => [...map.keys()]));
  for (const term of tools.parseQuery(q).terms) {
    const own = await countPartition(documents, tableName, `WS#${workspace.id}#TERMS`, term.prefix && term.text.length >= 2 ? term.text : `${term.text}#`);
    total += own;
    if (!term.fuzzy || own >= firstPageReach) continue;
    for (const word of words) {
      if (word !== term.text && tools.text.withinOneTypo(term.text, word)) total += await countPartition(documents, tableName, `WS#${workspace.id}#TERMS`, `${word}#`);
    }
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
 * Figure 3: an item created over HTTP in the 1k workspace (the seed's words, one brand the workspace
 * has not seen, a new SKU and short code), then its description changed. Once the projector has
 * written (its postings all there, the typo partition no longer changing): its posting writes from
 * the stored images with postingChanges (what the projector calls), its typo entries as the growth of
 * WS#{ws}#TYPOS (the entries of the words whose own entry appeared), each at 1 WCU per item ≤ 1 KB;
 * and the create's same items written again with ReturnConsumedCapacity.
 */
async function writeCost(seeded: SeededRuntime, tools: Tools, workspace: Workspace, make: () => ItemFields, token: string, log: BenchContext['log']) {
  const { documents, runtime } = seeded;
  const { tableName } = runtime.state;
  const { postings: search, keys } = tools;
  const typoPartition = `WS#${workspace.id}#TYPOS`;
  /** the words (of these) whose own typo entry `{word}#{word}` is in the table */
  const ownEntries = async (words: readonly string[]) => {
    const found = new Set<string>();
    const unique = [...new Set(words)];
    for (let start = 0; start < unique.length; start += 100) {
      const answer = await documents.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: unique.slice(start, start + 100).map((word) => keys.searchTypo(workspace.id, word, word)) } } }));
      for (const item of answer.Responses?.[tableName] ?? []) found.add(String(item.word));
    }
    return found;
  };
  /** waits until the projector wrote `requests` (puts there, deletes gone) and the typo partition stopped growing */
  const projected = async (requests: ReturnType<Tools['postings']['postingChanges']>['requests'], what: string) => {
    const puts = requests.flatMap((request) => ('PutRequest' in request ? [{ PK: String(request.PutRequest.Item.PK), SK: String(request.PutRequest.Item.SK) }] : []));
    const deletes = requests.flatMap((request) => ('DeleteRequest' in request ? [request.DeleteRequest.Key as { PK: string; SK: string }] : []));
    await waitFor(async () => {
      const there = async (list: { PK: string; SK: string }[]) => {
        let found = 0;
        for (let start = 0; start < list.length; start += 100) {
          found += (await documents.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: list.slice(start, start + 100), ProjectionExpression: 'SK' } } }))).Responses?.[tableName]?.length ?? 0;
        }
        return found;
      };
      return (await there(puts)) === puts.length && (await there(deletes)) === 0;
    }, `the change feed to index ${what}`);
    return settled(() => countPartition(documents, tableName, typoPartition));
  };

  // the create: the seed's words, a brand the workspace has not seen
  const fields = { ...make(), brand: 'Festool' };
  const typosBefore = await countPartition(documents, tableName, typoPartition);
  const knownBefore = await ownEntries([...search.postingsOf('item', { ...fields }).keys()]);
  const created = await callJson('POST', `${workspace.base}/items`, token, fields);
  const id = String(created.json.id);
  const stored = (await documents.send(new GetCommand({ TableName: tableName, Key: keys.entity(workspace.id, 'ITEM', id) }))).Item!;
  const { requests, added } = search.postingChanges(workspace.id, 'item', id, undefined, stored);
  const typosAfter = await projected(requests, 'the item made over HTTP');
  const learned = [...await ownEntries(added)].filter((word) => !knownBefore.has(word));
  const typoItems: Record<string, unknown>[] = [];
  for (const word of learned) {
    for (const variant of [...search.deletionsOf(word), word]) {
      const item = (await documents.send(new GetCommand({ TableName: tableName, Key: keys.searchTypo(workspace.id, variant, word) }))).Item;
      if (item) typoItems.push(item);
    }
  }
  if (typoItems.length !== typosAfter - typosBefore) throw new Error(`the typo partition grew by ${typosAfter - typosBefore} entries, but the new words ${learned.join(', ')} have ${typoItems.length}`);
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
  const postingWcu = await measure(requests.flatMap((request) => ('PutRequest' in request ? [request.PutRequest.Item] : [])));
  const typoWcu = await measure(typoItems);
  // the projector's read: learnWords' BatchGetItem of the added words' own entries (as many as it asks for)
  const learnRead = capacityUnits((await documents.send(new BatchGetCommand({
    RequestItems: { [tableName]: { Keys: [...new Set(added)].slice(0, 100).map((word) => keys.searchTypo(workspace.id, word, word)), ProjectionExpression: 'SK' } }, ReturnConsumedCapacity: 'TOTAL',
  }))).ConsumedCapacity);

  // a change: a new description (the seed's words)
  let description = make().description;
  while (!description) description = make().description;
  const patched = await callJson('PATCH', `${workspace.base}/items/${id}`, token, { description });
  const after = (await documents.send(new GetCommand({ TableName: tableName, Key: keys.entity(workspace.id, 'ITEM', id) }))).Item!;
  const change = search.postingChanges(workspace.id, 'item', id, stored, after);
  const patchTypos = (await projected(change.requests, 'the item\'s new description')) - typosAfter;
  const deletes = change.requests.filter((request) => 'DeleteRequest' in request).length;

  const createPostings = record('search.write.create.posting-writes', requests.length, 'WCU', created.write);
  const createTypos = record('search.write.create.typo-writes', typoItems.length, 'WCU', created.write);
  const measured = record('search.write.create.measured-wcu', postingWcu + typoWcu, 'WCU', requests.length + typoItems.length);
  const patchIndex = record('search.write.patch.index-writes', change.requests.length + patchTypos, 'WCU', patched.write);
  log();
  log(table(['one item change (1k workspace)', '>route WCU (header)', '>posting writes', '>typo-entry writes', '>index WCU (1 per item)', '>measured WCU (postings + typos)', '>index / route'], [
    [`POST /items (${search.postingsOf('item', stored).size} words; new: ${learned.join(', ') || 'none'})`, String(created.write), String(requests.length), String(typoItems.length),
      String(requests.length + typoItems.length), `${postingWcu} + ${typoWcu}`, formatRatio((requests.length + typoItems.length) / created.write)],
    [`PATCH /items/{id} description (${change.added.length} words gained, ${deletes} lost)`, String(patched.write), `${change.requests.length - deletes} puts + ${deletes} deletes`, String(patchTypos),
      String(patchIndex.value), '-', formatRatio(patchIndex.ratio)],
  ]));
  log(`the search projector's writes (functions/streams/projectors/search-index.ts; the change feed's, so not in the route's header): postings = postingChanges of the stored images, checked written; typo entries = what WS#{ws}#TYPOS grew by (the new words' one-letter deletions and own entry, checked); 1 WCU per item ≤ 1 KB; measured = the create's same items put again with ReturnConsumedCapacity (${formatRatio(measured.ratio)} of the count). The projector also reads the added words' own typo entries (one BatchGetItem: ${learnRead} RCU). Against the route's own WCU (the item and its code guards, one transaction): postings ${formatRatio(createPostings.ratio)}, typo entries ${formatRatio(createTypos.ratio)}`);
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
