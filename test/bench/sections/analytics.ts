// Analytics (issue 13, shared/domain/analytics): what a dashboard read costs as the workspace grows,
// what keeping the aggregates costs per change, and what the recount costs per entity.
//
// Starts the real local runtime (in memory) with two workspaces of the same user, alike in all but
// their items: A with 1,000 items and B with 20,000, each item with one inventory row; both with 20
// categories, 15 locations, 10 borrowers and 24 loans lent over 12 months (12 open with a due date
// in the past, so overdue; 6 open undated; 6 returned). Over HTTP, through the change feed: the
// categories, locations, borrowers, 5 items with a row each and the loans. The other items and
// their rows are copies of the first item's and row's stored layout (keys, index attributes,
// category, location, quantity, price, currency, condition, status and the tallies the rows keep
// on their item changed consistently), written with BatchWriteItem while the table's stream is off;
// the categories' and locations' counters are moved to match. Their aggregates are then built by
// the recount (recountWorkspace with settleMs 0, in a fresh process configured for the runtime, as
// the search section runs product code), and a second recount must find zero drift.
// Figures, each against its baseline in this run:
// 1. the consumed read capacity (the local-only `x-consumed-capacity` header) of GET …/analytics/summary
//    and …/analytics/dashboard: B against A (goal 1.0×); summary's p50/p90 over HTTP (keep-alive),
//    A and B interleaved request by request, 3 repetitions, medians of the percentiles;
// 2. in A, the analytics projector's write capacity for one item create, one inventory quantity
//    change and one category change of an item: from the stored images before and after the request
//    (what the stream records carry), `difference` and `changedLabels` (what the projector computes),
//    written with repository.ts `applyOnce` in the worker under the product client's capacity tally
//    (ReturnConsumedCapacity TOTAL) and undone the same way; checked against what the real feed
//    moved (the aggregates' change); against the request's own write capacity (its header), both as
//    DynamoDB Local counts them; and computed by AWS's rule, 2 WCU per transaction item ≤ 1 KB
//    (DynamoDB Local counts 4 per KB of a transaction's items together, so it reads lower);
// 3. the recount's time and consumed capacity per 1,000 entities: B against A (the repairing run
//    counts twice; the checking run once).
import { randomBytes, randomUUID } from 'node:crypto';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { configureForRuntime, itemBytes, queryAll, randomness, runWorker, serveAsWorker, settled, thousands, waitFor, writeAll } from '../bulk.js';
import { keepAliveGetter } from '../loop.js';
import { formatRatio, record, table } from '../report.js';
import { callJson, interleavedMedians, withSeededRuntime, withStreamOff, type SeededRuntime } from '../seeded-runtime.js';
import { median } from '../stats.js';
import type { BenchContext } from './types.js';

const smallItems = 1_000;
const largeItems = 20_000;
/**
 * What both workspaces hold alike: categories, locations, borrowers, the months of loans (two a
 * month), and the items (each with a row) made over HTTP, the first of them the copies' template.
 */
const alike = { categories: 20, locations: 15, borrowers: 10, loanMonths: 12, httpItems: 5 } as const;
const { categories: categoryCount, locations: locationCount, borrowers: borrowerCount, loanMonths, httpItems } = alike;
/** BatchWriteItem calls in flight while seeding */
const writersInFlight = 8;
const conditions = ['NEW', 'EXCELLENT', 'GOOD', 'FAIR', 'POOR'] as const;
const statuses = ['AVAILABLE', 'IN_USE', 'RESERVED'] as const;
const script = 'test/bench/sections/analytics.ts';

// ---- the worker: the product's recount and projector writes in a fresh process configured for this runtime

type Image = Record<string, unknown>;
interface Tally {
  ms: number;
  read: number;
  write: number;
  calls: number;
}
interface RecountFigures extends Tally {
  entities: number;
  aggregates: number;
  drift: number;
  repaired: number;
  unsettled: number;
}
/** one stream record's worth of aggregates moved, as the projector would write them */
interface Applied {
  entity: string;
  aggregates: Record<string, Record<string, number>>;
  labels: number;
  write: number;
  undoWrite: number;
}

type WorkerInput = { dynamodb: string; tableName: string } & (
  | { mode: 'recount'; workspaces: { label: string; id: string }[] }
  | { mode: 'apply'; workspaceId: string; changes: { name: string; records: { before?: Image; after?: Image }[] }[] }
);

async function worker(input: WorkerInput) {
  await configureForRuntime(input.dynamodb, input.tableName);
  const { withCapacityTally } = await import('../../../shared/observability/capacity.js');
  const tallied = <T>(work: () => Promise<T>) => withCapacityTally(async (tally) => {
    const started = performance.now();
    const answer = await work();
    return { answer, tally: { ms: performance.now() - started, read: tally.read, write: tally.write, calls: tally.calls } as Tally };
  });
  if (input.mode === 'recount') {
    const { recountWorkspace } = await import('../../../shared/domain/analytics/recount.js');
    // untimed: modules, connections, JIT (a count of A that repairs nothing)
    await recountWorkspace(input.workspaces[0]!.id, { repair: false });
    const output: Record<string, { repair: RecountFigures; check: RecountFigures }> = {};
    for (const { label, id } of input.workspaces) {
      const runOnce = async () => {
        const { answer, tally } = await tallied(() => recountWorkspace(id, { settleMs: 0 }));
        return { ...tally, entities: answer.entities, aggregates: answer.aggregates, drift: answer.drift.length, repaired: answer.repaired, unsettled: answer.unsettled };
      };
      output[label] = { repair: await runOnce(), check: await runOnce() };
    }
    process.stdout.write(`${JSON.stringify({ recount: output })}\n`);
    return;
  }
  const { changedLabels, difference } = await import('../../../shared/domain/analytics/model.js');
  const { applyOnce } = await import('../../../shared/domain/analytics/repository.js');
  const output: Record<string, Applied[]> = {};
  for (const { name, records } of input.changes) {
    output[name] = [];
    for (const { before, after } of records) {
      const amounts = difference(before, after);
      const labels = changedLabels(before, after);
      if (amounts.size === 0 && labels.size === 0) continue; // the projector writes nothing for it
      const applied = await tallied(() => applyOnce(input.workspaceId, randomUUID(), amounts, labels));
      // undone, so the aggregates stay exact (the labels it set are the entity's own already)
      const negated = new Map([...amounts].map(([key, values]) => [key, Object.fromEntries(Object.entries(values).map(([field, amount]) => [field, -amount]))]));
      const undone = await tallied(() => applyOnce(input.workspaceId, randomUUID(), negated, new Map()));
      if (!applied.answer || !undone.answer) throw new Error(`applyOnce found a fresh event id applied (${name})`);
      output[name]!.push({
        entity: String((after ?? before)!.entity), aggregates: Object.fromEntries([...new Set([...amounts.keys(), ...labels.keys()])].map((key) => [key, amounts.get(key) ?? {}])),
        labels: labels.size, write: applied.tally.write, undoWrite: undone.tally.write,
      });
    }
  }
  process.stdout.write(`${JSON.stringify({ applied: output })}\n`);
}

await serveAsWorker(import.meta.url, worker);

// ---- the section

interface Workspace {
  label: string;
  id: string;
  base: string;
  items: number;
  categories: string[];
  locations: string[];
  /** the items made over HTTP and their rows: [0] is the copies' template, [1..] hold the loans */
  real: { item: string; row: string }[];
}

const monthsAgo = (months: number, day: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, day, 12)).toISOString();
};

export async function run({ log }: BenchContext) {
  // Pure functions only in this process (the product's configured modules run in the worker).
  const keys = await import('../../../shared/db/keys.js');
  const { foldName } = await import('../../../shared/domain/catalog/model.js');
  await withSeededRuntime((seeded) => measure(seeded, { keys, foldName }, log));
}

interface Tools {
  keys: typeof import('../../../shared/db/keys.js');
  foldName: (name: string) => string;
}

async function measure(seeded: SeededRuntime, tools: Tools, log: BenchContext['log']) {
  const { runtime, documents, api, workspaceId, base, email, password } = seeded;
  const { tableName, dynamodb } = runtime.state;
  const otherId = (await callJson('POST', `${api}/workspaces`, seeded.token, { name: 'Bench large', slug: `bench-${randomBytes(4).toString('hex')}` })).json.id as string;
  const small: Workspace = { label: '1k', id: workspaceId, base, items: smallItems, categories: [], locations: [], real: [] };
  const large: Workspace = { label: '20k', id: otherId, base: `${api}/workspaces/${otherId}`, items: largeItems, categories: [], locations: [], real: [] };
  const both = [small, large];

  // ---- over HTTP, through the change feed (the two workspaces at once)
  const started = performance.now();
  await Promise.all(both.map((workspace) => seedOverHttp(workspace, seeded.token)));
  const expected = { items: httpItems, inventory: httpItems, categories: categoryCount, locations: locationCount, borrowers: borrowerCount, loans: 2 * loanMonths, returned_loans: loanMonths / 2 };
  // the stream is about to be replaced: the feed must have applied all of it first (the poller drops an old stream's shards)
  for (const workspace of both) {
    let totals: Record<string, unknown> | undefined;
    await waitFor(async () => {
      totals = (await documents.send(new GetCommand({ TableName: tableName, Key: tools.keys.analytics(workspace.id, 'TOTALS'), ConsistentRead: true }))).Item;
      return Object.entries(expected).every(([field, value]) => totals?.[field] === value);
    }, () => `the change feed to count ${workspace.label}'s first entities: ${JSON.stringify(expected)} expected, ${JSON.stringify(totals)} there`);
  }
  await settled(async () => JSON.stringify(await Promise.all(both.flatMap((workspace) => [
    queryAll(documents, { TableName: tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': tools.keys.analyticsPartition(workspace.id) }, ProjectionExpression: 'changes' }),
    queryAll(documents, { TableName: tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `WS#${workspace.id}#ACTIVITY` }, ProjectionExpression: 'SK' }).then((items) => items.length),
  ]))));
  log(`made ${categoryCount} categories, ${locationCount} locations, ${borrowerCount} borrowers, ${httpItems} items with a row each and ${2 * loanMonths} loans over ${loanMonths} months (${loanMonths / 2} returned) over HTTP in each of two workspaces; the change feed counted them (${((performance.now() - started) / 1000).toFixed(1)} s)`);

  // ---- the copies, with the stream off
  const seedStarted = performance.now();
  let written = 0;
  await withStreamOff(seeded, async () => {
    for (const workspace of both) written += await seedCopies(seeded, tools, workspace, log);
  });
  log(`seeded ${thousands(smallItems + largeItems - 2 * httpItems)} items and their rows (${thousands(written)} puts, ${writersInFlight} BatchWriteItem calls in flight) in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

  // ---- figure 3: the recount builds the copies' aggregates, a second one finds nothing
  const recountStarted = performance.now();
  const recounts = (JSON.parse(await runWorker(script, { mode: 'recount', dynamodb, tableName, workspaces: both.map(({ label, id }) => ({ label, id })) } satisfies WorkerInput, '{"recount"')) as {
    recount: Record<string, { repair: RecountFigures; check: RecountFigures }>;
  }).recount;
  for (const workspace of both) {
    const { repair, check } = recounts[workspace.label]!;
    if (repair.drift === 0 || repair.unsettled !== 0 || repair.repaired === 0) throw new Error(`the recount of ${workspace.label} did not repair the copies' aggregates: ${JSON.stringify(repair)}`);
    if (check.drift !== 0) throw new Error(`the second recount of ${workspace.label} found drift: ${JSON.stringify(check)}`);
  }
  log(`recounted both workspaces in a fresh process (${((performance.now() - recountStarted) / 1000).toFixed(1)} s with its start); a second recount found no drift`);

  // The seeding may have taken minutes: sign in again so the token outlives the measurements (15-minute tokens).
  const token = (await callJson('POST', `${api}/auth/login`, undefined, { email, password })).json.token as string;

  // what the routes answer: the workspaces differ in their items only
  for (const workspace of both) {
    const { dashboard } = (await callJson('GET', `${workspace.base}/analytics/summary`, token)).json as { dashboard: Record<string, number> };
    const wanted = {
      total_items: workspace.items, total_inventory: workspace.items, total_categories: categoryCount, total_locations: locationCount,
      total_borrowers: borrowerCount, active_loans: 2 * loanMonths - loanMonths / 2, overdue_loans: loanMonths,
    };
    const mismatched = Object.entries(wanted).filter(([field, value]) => dashboard[field] !== value);
    if (mismatched.length) throw new Error(`${workspace.label}'s dashboard answers ${JSON.stringify(dashboard)}, not ${JSON.stringify(Object.fromEntries(mismatched))}`);
  }
  const partitions = await Promise.all(both.map(async (workspace) => {
    const items = await queryAll(documents, { TableName: tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': tools.keys.analyticsPartition(workspace.id) } });
    return { count: items.length, bytes: items.reduce((sum, item) => sum + itemBytes(item), 0) };
  }));

  // ---- figure 1: read capacity and latency of the reads
  const rows: string[][] = [];
  const reads: Record<string, number[]> = {};
  for (const route of ['summary', 'dashboard']) {
    const [a, b] = await Promise.all(both.map(async (workspace) => {
      const calls = [];
      for (let call = 0; call < 3; call += 1) calls.push((await callJson('GET', `${workspace.base}/analytics/${route}`, token)).read);
      return median(calls);
    })) as [number, number];
    record(`analytics.${route}.1k.read`, a, 'RCU');
    const ratio = record(`analytics.${route}.20k.read`, b, 'RCU', a, { budget: 1 }).ratio;
    reads[route] = [a, b];
    rows.push([`GET …/analytics/${route}`, String(a), String(b), formatRatio(ratio)]);
  }
  const getters = both.map((workspace) => keepAliveGetter(`${workspace.base}/analytics/summary`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } }));
  let latency;
  try {
    latency = await interleavedMedians(getters.map((getter) => getter.get), { repetitions: 3, warmup: 30, count: 200 });
  } finally {
    for (const getter of getters) getter.close();
  }
  const [la, lb] = latency as [typeof latency[0], typeof latency[0]];
  record('analytics.summary.1k.p50', la.p50, 'ms');
  record('analytics.summary.1k.p90', la.p90, 'ms');
  const p50 = record('analytics.summary.20k.p50', lb.p50, 'ms', la.p50);
  const p90 = record('analytics.summary.20k.p90', lb.p90, 'ms', la.p90);
  rows.push(['GET …/analytics/summary p50 ms', la.p50.toFixed(2), lb.p50.toFixed(2), formatRatio(p50.ratio)]);
  rows.push(['GET …/analytics/summary p90 ms', la.p90.toFixed(2), lb.p90.toFixed(2), formatRatio(p90.ratio)]);
  rows.push(['aggregates (items, bytes)', `${partitions[0]!.count}, ${thousands(partitions[0]!.bytes)}`, `${partitions[1]!.count}, ${thousands(partitions[1]!.bytes)}`, formatRatio(partitions[1]!.bytes / partitions[0]!.bytes)]);
  log();
  log(table(['read', `>A: ${thousands(smallItems)} items`, `>B: ${thousands(largeItems)} items`, '>B / A'], rows));
  log(`RCU = the x-consumed-capacity header (the authorizer's BatchGetItem, the WS#{ws}#STATS Query, the overdue loans' Query, summary's activity page), median of 3 calls (goal: B = A); latency: HTTP keep-alive, A and B interleaved request by request, 3 repetitions of 200 (after 30 untimed), medians of the percentiles. The aggregates partition holds the same items in both; its bytes differ only by the digits of larger sums`);

  // ---- figure 3's numbers (recorded here, after the reads, in the table's order)
  const recountRows: string[][] = [];
  for (const kind of ['repair', 'check'] as const) {
    const [a, b] = both.map((workspace) => recounts[workspace.label]![kind]);
    const per = (figures: RecountFigures, value: number) => (value / figures.entities) * 1000;
    const name = kind === 'repair' ? 'recount' : 'recount-check';
    record(`analytics.${name}.1k.ms-per-1k-entities`, per(a!, a!.ms), 'ms');
    const ms = record(`analytics.${name}.20k.ms-per-1k-entities`, per(b!, b!.ms), 'ms', per(a!, a!.ms));
    record(`analytics.${name}.1k.rcu-per-1k-entities`, per(a!, a!.read), 'RCU');
    const rcu = record(`analytics.${name}.20k.rcu-per-1k-entities`, per(b!, b!.read), 'RCU', per(a!, a!.read));
    let wcu;
    if (kind === 'repair') {
      record('analytics.recount.1k.write', a!.write, 'WCU');
      wcu = record('analytics.recount.20k.write', b!.write, 'WCU', a!.write);
    }
    for (const [label, figures] of [['A', a!], ['B', b!]] as const) {
      recountRows.push([
        label === 'A' ? (kind === 'repair' ? 'first (repairs the copies\' aggregates)' : 'second (checks: no drift)') : '', label, thousands(figures.entities), String(figures.aggregates),
        `${figures.drift} / ${figures.repaired}`, (figures.ms / 1000).toFixed(2), per(figures, figures.ms).toFixed(1), String(figures.read), per(figures, figures.read).toFixed(1), String(figures.write), String(figures.calls),
      ]);
    }
    recountRows.push(['', 'B / A', '', '', '', '', formatRatio(ms.ratio), '', formatRatio(rcu.ratio), wcu ? formatRatio(wcu.ratio) : '', '']);
  }
  log();
  log(table(['recount (settleMs 0)', 'ws', '>entities', '>aggregates', '>drift / repaired', '>s', '>ms per 1k entities', '>RCU', '>RCU per 1k', '>WCU', '>calls'], recountRows));
  log('recountWorkspace in a fresh process (the product client\'s capacity tally), A then B after an untimed count of A; a run that finds drift counts twice (settleMs 0 between) and repairs each drifted aggregate with one conditional UpdateItem; the time includes the counting in JavaScript. Entities = the counted types\' items (items, rows, categories, locations, borrowers, loans)');

  // ---- figure 2: the projector's writes for three changes in A
  await writeCost(seeded, tools, small, token, log);
}

/** Categories, locations, borrowers, the real items with a row each, and the loans, over HTTP. */
async function seedOverHttp(workspace: Workspace, token: string) {
  const post = async (path: string, body: unknown) => (await callJson('POST', `${workspace.base}${path}`, token, body)).json as { id: string };
  for (let index = 0; index < categoryCount; index += 1) workspace.categories.push((await post('/categories', { name: `Category ${String(index + 1).padStart(2, '0')}` })).id);
  for (let index = 0; index < locationCount; index += 1) workspace.locations.push((await post('/locations', { name: `Room ${String(index + 1).padStart(2, '0')}` })).id);
  const borrowers: string[] = [];
  for (let index = 0; index < borrowerCount; index += 1) {
    borrowers.push((await post('/borrowers', { name: `Neighbour ${index + 1}`, email: `neighbour-${index + 1}-${randomBytes(3).toString('hex')}@example.com` })).id);
  }
  for (let index = 0; index < httpItems; index += 1) {
    const item = (await post('/items', { name: `Real item ${index + 1}`, category_id: workspace.categories[index % categoryCount] })).id;
    const row = (await post('/inventory', {
      item_id: item, location_id: workspace.locations[index % locationCount], quantity: 100, condition: 'GOOD', status: 'AVAILABLE', purchase_price: 2_500 + index, currency_code: 'EUR',
    })).id;
    workspace.real.push({ item, row });
  }
  // two loans a month over 12 months, all in the past: the first of each month open with a due
  // date two weeks on (overdue now), the second returned in every other month, else open undated
  for (let month = 1; month <= loanMonths; month += 1) {
    for (const second of [false, true]) {
      const at = 2 * (month - 1) + (second ? 1 : 0);
      const loanedAt = monthsAgo(month, second ? 15 : 5);
      const loan = await post('/loans', {
        inventory_id: workspace.real[1 + (at % (httpItems - 1))]!.row, borrower_id: borrowers[at % borrowerCount], quantity: 1, loaned_at: loanedAt,
        ...(second ? {} : { due_date: new Date(Date.parse(loanedAt) + 14 * 86_400_000).toISOString().slice(0, 10) }),
      });
      if (second && month % 2 === 0) await post(`/loans/${loan.id}/return`, undefined);
    }
  }
}

/**
 * Writes the workspace's other items (copies of the template item's stored layout) with one row
 * each (copies of the template row's), then moves the categories' and locations' counters to match;
 * answers how many items it wrote. Run while the stream is off.
 */
async function seedCopies(seeded: SeededRuntime, tools: Tools, workspace: Workspace, log: BenchContext['log']) {
  const { documents, runtime } = seeded;
  const { tableName } = runtime.state;
  const { keys, foldName } = tools;
  const get = async (type: string, id: string) => (await documents.send(new GetCommand({ TableName: tableName, Key: keys.entity(workspace.id, type, id), ConsistentRead: true }))).Item!;
  const templateItem = await get('ITEM', workspace.real[0]!.item);
  const templateRow = await get('INVENTORY', workspace.real[0]!.row);
  // The copies change only what the templates' layouts are known to hold: fail loudly if they changed.
  const indexes = (item: Record<string, unknown>) => Object.keys(item).filter((name) => /^GSI\d/.test(name)).sort().join(',');
  if (indexes(templateItem) !== 'GSI1PK,GSI1SK,GSI2PK,GSI2SK' || templateItem.GSI2PK !== keys.linkPartition(workspace.id, 'ITEM', String(templateItem.category_id))
    || indexes(templateRow) !== 'GSI2PK,GSI2SK,GSI3PK,GSI3SK' || templateRow.GSI3SK !== keys.newestSortKey(false, String(templateRow.id))
    || templateItem['tally#rows'] !== 1 || templateItem.total_quantity !== templateRow.quantity || templateItem['tally#value#EUR'] !== Number(templateRow.purchase_price) * Number(templateRow.quantity)) {
    throw new Error(`the stored layout of an item or row is not what the copies assume (item ${indexes(templateItem)}, row ${indexes(templateRow)}): update seedCopies`);
  }
  const { 'tally#price#EUR': _price, 'tally#value#EUR': _value, min_stock_level: _minimum, ...itemLayout } = templateItem;
  const { purchase_price: _purchase, currency_code: _currency, loans: _loans, on_loan: _onLoan, ...rowLayout } = templateRow;
  const random = randomness(workspace.items);
  const perCategory = new Map<string, number>();
  const perLocation = new Map<string, number>();
  function* puts(): Generator<Record<string, unknown>> {
    for (let index = httpItems; index < workspace.items; index += 1) {
      const id = randomUUID();
      const rowId = randomUUID();
      const name = `Item ${String(index).padStart(5, '0')}`;
      const category = random.common(workspace.categories);
      const location = random.pick(workspace.locations);
      const quantity = 1 + Math.floor(random.next() * 5);
      const draw = random.next();
      const currency = draw < 0.75 ? 'EUR' : draw < 0.9 ? 'USD' : undefined;
      const price = 100 + Math.floor(random.next() * 50_000);
      const minimum = random.next() < 0.1 ? 3 : 0;
      perCategory.set(category, (perCategory.get(category) ?? 0) + 1);
      perLocation.set(location, (perLocation.get(location) ?? 0) + 1);
      const byName = keys.nameSortKey(false, foldName(name), id);
      yield {
        ...itemLayout, id, SK: `ITEM#${id}`, name, GSI1SK: byName, category_id: category, GSI2PK: keys.linkPartition(workspace.id, 'ITEM', category), GSI2SK: byName,
        sku: `BENCH-${String(index).padStart(5, '0')}`, short_code: `Z${index.toString(31).toUpperCase().padStart(7, '0')}`, min_stock_level: minimum,
        total_quantity: quantity, inventory_rows: 1, 'tally#rows': 1, ...(currency ? { [`tally#price#${currency}`]: price, [`tally#value#${currency}`]: price * quantity } : {}),
      };
      yield {
        ...rowLayout, id: rowId, SK: `INVENTORY#${rowId}`, item_id: id, GSI2PK: keys.linkPartition(workspace.id, 'INVENTORY', id), GSI2SK: keys.newestSortKey(false, rowId),
        location_id: location, GSI3PK: keys.linkPartition(workspace.id, 'INVENTORY', location), GSI3SK: keys.newestSortKey(false, rowId),
        quantity, condition: random.pick(conditions), status: random.pick(statuses), ...(currency ? { purchase_price: price, currency_code: currency } : {}),
      };
    }
  }
  const started = performance.now();
  const written = await writeAll(documents, tableName, puts(), { inFlight: writersInFlight });
  for (const [type, counter, counts] of [['CATEGORY', 'items', perCategory], ['LOCATION', 'inventory', perLocation]] as const) {
    for (const [id, count] of counts) {
      await documents.send(new UpdateCommand({ TableName: tableName, Key: keys.entity(workspace.id, type, id), UpdateExpression: 'ADD #counter :count', ExpressionAttributeNames: { '#counter': counter }, ExpressionAttributeValues: { ':count': count } }));
    }
  }
  log(`  ${workspace.label}: ${thousands(workspace.items - httpItems)} items and their rows: ${thousands(written)} puts in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return written;
}

/**
 * Figure 2: three changes over HTTP in A, each through the real change feed: an item created (in a
 * category), the template row's quantity changed, the template item moved to another category.
 * The stored images of what each wrote are read before and after; once the feed has moved the
 * aggregates (their update counts settled), the worker computes and writes the same moves with
 * applyOnce (and undoes them), which must be what the feed moved.
 */
async function writeCost(seeded: SeededRuntime, tools: Tools, workspace: Workspace, token: string, log: BenchContext['log']) {
  const { documents, runtime } = seeded;
  const { tableName, dynamodb } = runtime.state;
  const { keys } = tools;
  const image = async (type: string, id: string) => (await documents.send(new GetCommand({ TableName: tableName, Key: keys.entity(workspace.id, type, id), ConsistentRead: true }))).Item;
  const aggregates = async () => new Map((await queryAll(documents, {
    TableName: tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.analyticsPartition(workspace.id) }, ConsistentRead: true,
  })).map((item) => [String(item.SK), item]));
  const updates = (all: Map<string, Record<string, unknown>>) => [...all.values()].reduce((sum, item) => sum + Number(item.changes ?? 0), 0);

  const { item: templateItem, row: templateRow } = workspace.real[0]!;
  const row = await image('INVENTORY', templateRow);
  const item = await image('ITEM', templateItem);
  const otherCategory = workspace.categories.find((id) => id !== item!.category_id)!;
  const changes: { name: string; title: string; send: () => Promise<{ write: number; json: { id: string } }>; entities: (answer: { id: string }) => [string, string][] }[] = [
    {
      name: 'item-create', title: 'POST …/items (in a category)',
      send: () => callJson('POST', `${workspace.base}/items`, token, { name: 'Measured item', category_id: workspace.categories[1] }),
      entities: (answer) => [['ITEM', answer.id], ['CATEGORY', workspace.categories[1]!]],
    },
    {
      name: 'inventory-quantity', title: 'PATCH …/inventory/{id} quantity',
      send: () => callJson('PATCH', `${workspace.base}/inventory/${templateRow}`, token, { quantity: Number(row!.quantity) + 2 }),
      entities: () => [['INVENTORY', templateRow], ['ITEM', templateItem], ['LOCATION', String(row!.location_id)]],
    },
    {
      name: 'item-category', title: 'PATCH …/items/{id} category_id',
      send: () => callJson('PATCH', `${workspace.base}/items/${templateItem}`, token, { category_id: otherCategory }),
      entities: () => [['ITEM', templateItem], ['CATEGORY', String(item!.category_id)], ['CATEGORY', otherCategory]],
    },
  ];
  const measured: { name: string; title: string; route: number; records: { before?: Record<string, unknown>; after?: Record<string, unknown> }[]; moved: Map<string, Record<string, number>>; largest: number }[] = [];
  for (const change of changes) {
    // the entities it writes that may be known before (a create's are not)
    const known = change.entities({ id: '' }).filter(([, id]) => id !== '');
    const before = new Map(await Promise.all(known.map(async ([type, id]) => [`${type}#${id}`, await image(type, id)] as const)));
    const was = await aggregates();
    const answer = await change.send();
    const records = await Promise.all(change.entities(answer.json).map(async ([type, id]) => ({ before: before.get(`${type}#${id}`), after: await image(type, id) })));
    // the feed has applied it when the aggregates' update count stops moving (after it moved)
    await waitFor(async () => updates(await aggregates()) > updates(was), `the change feed to apply ${change.name}`);
    await settled(async () => updates(await aggregates()));
    const now = await aggregates();
    const moved = new Map<string, Record<string, number>>();
    for (const [key, after] of now) {
      const prior = was.get(key) ?? {};
      const delta = Object.fromEntries(Object.entries(after).filter(([field, value]) => typeof value === 'number' && field !== 'changes' && value !== (prior[field] ?? 0))
        .map(([field, value]) => [field, (value as number) - Number(prior[field] ?? 0)]));
      if (Object.keys(delta).length) moved.set(key, delta);
    }
    const largest = Math.max(...[...now.values()].map(itemBytes));
    measured.push({ name: change.name, title: change.title, route: answer.write, records: records.map(({ before: b, after }) => ({ ...(b ? { before: b } : {}), ...(after ? { after } : {}) })), moved, largest });
  }

  const applied = (JSON.parse(await runWorker(script, {
    mode: 'apply', dynamodb, tableName, workspaceId: workspace.id, changes: measured.map(({ name, records }) => ({ name, records })),
  } satisfies WorkerInput, '{"applied"')) as { applied: Record<string, Applied[]> }).applied;

  const rows: string[][] = [];
  for (const change of measured) {
    const transactions = applied[change.name]!;
    // what the worker computed from the images must be what the feed moved
    const computed = new Map<string, Record<string, number>>();
    for (const transaction of transactions) {
      for (const [key, amounts] of Object.entries(transaction.aggregates)) {
        const sums = computed.get(key) ?? {};
        for (const [field, amount] of Object.entries(amounts)) sums[field] = (sums[field] ?? 0) + amount;
        computed.set(key, Object.fromEntries(Object.entries(sums).filter(([, amount]) => amount !== 0)));
      }
    }
    for (const [key, sums] of computed) if (Object.keys(sums).length === 0) computed.delete(key);
    const sorted = (map: Map<string, Record<string, number>>) => JSON.stringify([...map].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, sums]) => [key, Object.entries(sums).sort()]));
    if (sorted(computed) !== sorted(change.moved)) throw new Error(`${change.name}: the change feed moved ${sorted(change.moved)}, the images' difference is ${sorted(computed)}`);
    const wcu = transactions.reduce((sum, one) => sum + one.write, 0);
    const undo = transactions.reduce((sum, one) => sum + one.undoWrite, 0);
    const items = transactions.reduce((sum, one) => sum + 1 + Object.keys(one.aggregates).length, 0);
    if (change.largest > 1024) throw new Error(`an aggregate of ${change.largest} bytes: the computed figure assumes every item ≤ 1 KB`);
    const computedWcu = 2 * items;
    record(`analytics.write.${change.name}.route`, change.route, 'WCU');
    const projector = record(`analytics.write.${change.name}.projector`, wcu, 'WCU', change.route);
    const check = record(`analytics.write.${change.name}.aws-rule`, computedWcu, 'WCU', wcu);
    rows.push([
      change.title, String(change.route), transactions.map((one) => `${one.entity}: ${Object.keys(one.aggregates).join(' + ')}`).join('; ') || '(nothing)',
      String(transactions.length), String(wcu), `${computedWcu} (${formatRatio(check.ratio)})`, String(undo), formatRatio(projector.ratio),
    ]);
  }
  log();
  log(table(['one change (A)', '>route WCU (header)', 'aggregates moved, per stream record', '>transactions', '>projector WCU (measured)', '>AWS rule (vs measured)', '>undo WCU', '>projector / route'], rows));
  log('projector WCU = repository.ts applyOnce of difference/changedLabels of the stored images before and after the request (what the stream records carry), in a fresh process under the product client\'s tally (ReturnConsumedCapacity TOTAL), one TransactWriteItems per stream record that moves anything (the applied marker + one ADD per aggregate); checked equal to what the real change feed moved, then undone (same cost). DynamoDB Local counts a TransactWriteItems as 4 WCU per KB of all its items together (seen: 1, 2 or 3 small items → 4; one 3 KB item → 12), the route\'s header likewise; AWS bills 2 WCU per KB of each item: the AWS rule column is that, each item ≤ 1 KB (largest aggregate checked). Records that move nothing (the categories\' and locations\' counters) write nothing; the projector also reads the workspace\'s status (one GetItem, 0.5 RCU) per record it applies');
}
