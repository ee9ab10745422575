// Import and export (issue 14, shared/domain/imports and shared/domain/exports): rows per second
// of each route over HTTP against writing (and reading) the same rows with DynamoDB directly.
//
// Starts the real local runtime (in memory) with one user and three workspaces:
// - E, for the export: 5 categories and 5 items (one per category) made over HTTP, through the
//   change feed; the other 1,995 items are copies of the first one's stored layout (id, name, SKU,
//   short code, category and the index keys that follow from them changed), written with
//   BatchWriteItem while the table's stream is off, each in a category (so the export looks the
//   names up), the categories' item counters moved to match;
// - L, empty, for the label import, and I, for the item import, holding only 5 categories made
//   over HTTP (the file names them).
// The DynamoDB baselines write into a second table of the same definition (infra/local's
// ensureTable: same keys, indexes and stream, which nothing reads), so the runtime's change feed
// has nothing to project for them; each repetition writes into a fresh workspace id there.
// Figures, each against its baseline in this run:
// 1. export: rows per second of GET …/export/item?format=csv and ?format=json of E's 2,000 items
//    over HTTP (keep-alive, whole body read) against (a) the export's read alone: the Query of E's
//    partition's ITEM# key range, pages of 500 (catalog/all.ts entitiesOf) with the product's
//    document client, and (b) BatchWriteItem of the same 2,000 stored items (25 per call, one call
//    in flight; the baseline), all four interleaved round by round in a fresh process
//    configured for the runtime (as the search and analytics sections run product code), medians;
//    the route's consumed read capacity (`x-consumed-capacity`) per 1,000 rows against the Query's;
// 2. import: rows per second of POST …/import/label (name, color, description) and …/import/item
//    (name, sku, category_name over 5 categories) of a 1,000-row CSV into an empty workspace over
//    HTTP, sent as 10 requests of 100 rows (the route takes 2,000, but the local API server gives a
//    handler 10 s and 1,000 rows take longer; once each: an import cannot be repeated into the same
//    empty workspace), against
//    BatchWriteItem of what the import stored for those rows (each entity's item and its unique
//    guards, the workspace id changed: the engine's own shapes; the category counters it moves are
//    updates, left out) into a fresh workspace, 25 per call, one call in flight, median of 3; the
//    write capacity per row from the route's header against the BatchWriteItem's. Before it, a dry
//    run of the same file into the same (still empty) workspace; after it, an upsert of the same
//    file, which must change nothing (created 0, updated 0, checked): their rows per second
//    against the import's. The change feed projects the imported rows (search index, activity,
//    analytics, change log) after each request; the figures are the requests' own time, and each
//    request starts once the feed has drained (its partitions' counts settled); how long the
//    feed took is printed beside them. Last, the same label file through the large-import path
//    (POST …/imports, presigned upload, the import job) into a new workspace: start to DONE.
import { randomBytes, randomUUID } from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { configureForRuntime, countPartition, runWorker, serveAsWorker, sleep, thousands, writeAll } from '../bulk.js';
import { keepAliveGetter } from '../loop.js';
import { formatRatio, record, table } from '../report.js';
import { callJson, withSeededRuntime, withStreamOff, type SeededRuntime } from '../seeded-runtime.js';
import { median } from '../stats.js';
import type { BenchContext } from './types.js';

const exportItems = 2_000;
const httpItems = 5;
const categoryNames = ['Tools', 'Kitchen', 'Garden', 'Electronics', 'Camping'] as const;
const importRows = 1_000;
/**
 * Rows per import request. The route takes 2,000, but the local API server gives every handler a
 * 10 s deadline (infra/local/api-server.ts lambdaContext, not the contract's 29 s) and the engine
 * writes one transaction per row (~30 ms each on 2 busy cores): 1,000 rows in one request time out.
 */
const rowsPerRequest = 100;
/** export rounds (CSV, JSON and the Query each round; BatchWriteItem in `writeRounds` of them) */
const exportRounds = 5;
const writeRounds = [0, 2, 4];
/** repetitions of each import baseline */
const writeRepetitions = 3;
/** BatchWriteItem calls in flight while seeding */
const seedersInFlight = 8;
const script = 'test/bench/sections/transfer.ts';

// ---- the worker: the timed DynamoDB baselines (and the export's HTTP calls beside them) in a fresh
// process, with the product's document client configured for this runtime

type Item = Record<string, unknown>;
interface Tallied {
  ms: number;
  read: number;
  write: number;
  rows: number;
}
type WorkerInput = { dynamodb: string; tableName: string; floorTable: string } & (
  | { mode: 'export'; base: string; token: string; workspaceId: string }
  | { mode: 'write'; sets: { name: string; workspaceId: string; items: Item[] }[] }
);
interface ExportOutput {
  csv: Tallied[];
  json: Tallied[];
  query: Tallied[];
  write: Tallied[];
  puts: number;
}
type WriteOutput = Record<string, Tallied[]>;

async function worker(input: WorkerInput) {
  await configureForRuntime(input.dynamodb, input.tableName);
  const { documents } = await import('../../../shared/aws/dynamodb.js');
  const { withCapacityTally } = await import('../../../shared/observability/capacity.js');
  const tallied = (work: () => Promise<number>) => withCapacityTally(async (tally) => {
    const started = performance.now();
    const rows = await work();
    return { ms: performance.now() - started, read: tally.read, write: tally.write, rows } satisfies Tallied;
  });
  /** `items` (stored in workspace `from`) put into the floor table under a fresh workspace id, 25 per BatchWriteItem, one call in flight */
  const writeCopies = (items: readonly Item[], from: string) => {
    const text = JSON.stringify(items);
    return tallied(async () => {
      const copies = JSON.parse(text.replaceAll(from, randomUUID())) as Item[];
      await writeAll(documents, input.floorTable, copies[Symbol.iterator](), { inFlight: 1 });
      return copies.length;
    });
  };

  if (input.mode === 'write') {
    const output: WriteOutput = {};
    // untimed: modules, connections, JIT
    for (const set of input.sets) await writeCopies(set.items.slice(0, 100), set.workspaceId);
    for (let repetition = 0; repetition < writeRepetitions; repetition += 1) {
      for (const set of repetition % 2 === 0 ? input.sets : [...input.sets].reverse()) {
        (output[set.name] ??= []).push(await writeCopies(set.items, set.workspaceId));
      }
    }
    process.stdout.write(`${JSON.stringify({ write: output })}\n`);
    return;
  }

  const { entitiesOf } = await import('../../../shared/domain/catalog/all.js');
  const headers = { authorization: `Bearer ${input.token}`, accept: '*/*' };
  const getters = {
    csv: keepAliveGetter(`${input.base}/export/item?format=csv`, { headers, timeoutMs: 60_000 }),
    json: keepAliveGetter(`${input.base}/export/item?format=json`, { headers, timeoutMs: 60_000 }),
  };
  try {
    const http = (format: 'csv' | 'json') => tallied(async () => {
      const body = await getters[format].getBody();
      // rows: CSV lines less the header (the ids hold no line breaks), or the JSON array's length
      return format === 'csv' ? body.split('\r\n').filter((line) => line !== '').length - 1 : (JSON.parse(body) as unknown[]).length;
    });
    const query = () => tallied(async () => {
      let rows = 0;
      for await (const page of entitiesOf(input.workspaceId, 'ITEM')) rows += page.length;
      return rows;
    });
    // the stored items themselves, for the BatchWriteItem baseline
    const stored: Item[] = [];
    for await (const page of entitiesOf(input.workspaceId, 'ITEM')) stored.push(...page);
    // untimed: modules, connections, JIT
    await http('csv');
    await http('json');
    await query();
    await writeCopies(stored.slice(0, 100), input.workspaceId);
    const output: ExportOutput = { csv: [], json: [], query: [], write: [], puts: stored.length };
    for (let round = 0; round < exportRounds; round += 1) {
      const steps: (() => Promise<void>)[] = [
        async () => void output.csv.push(await http('csv')),
        async () => void output.json.push(await http('json')),
        async () => void output.query.push(await query()),
        ...(writeRounds.includes(round) ? [async () => void output.write.push(await writeCopies(stored, input.workspaceId))] : []),
      ];
      for (const step of round % 2 === 0 ? steps : steps.reverse()) await step();
    }
    process.stdout.write(`${JSON.stringify({ export: output })}\n`);
  } finally {
    getters.csv.close();
    getters.json.close();
  }
}

await serveAsWorker(import.meta.url, worker);

// ---- the section

interface Tools {
  keys: typeof import('../../../shared/db/keys.js');
  foldName: (name: string) => string;
}

export async function run({ log }: BenchContext) {
  // Pure functions only in this process (the product's configured modules run in the worker).
  const keys = await import('../../../shared/db/keys.js');
  const { foldName } = await import('../../../shared/domain/catalog/model.js');
  await withSeededRuntime((seeded) => measure(seeded, { keys, foldName }, log));
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const perSecond = (rows: number, ms: number) => (rows / ms) * 1000;
const medianOf = (runs: readonly Tallied[], pick: (run: Tallied) => number) => median(runs.map(pick));

/** One request with a long timeout (an import of 1,000 rows takes seconds); throws on a status ≥ 300. */
async function request(method: string, url: string, token: string, body?: unknown) {
  const started = performance.now();
  const response = await fetch(url, {
    method, headers: { authorization: `Bearer ${token}`, accept: '*/*', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(120_000),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  if (response.status >= 300) throw new Error(`${method} ${url} answered ${response.status}: ${text.slice(0, 300)}`);
  const capacity = /read=([\d.]+), write=([\d.]+)/.exec(response.headers.get('x-consumed-capacity') ?? '');
  return { text, ms, read: Number(capacity?.[1] ?? NaN), write: Number(capacity?.[2] ?? NaN) };
}

/**
 * The counts the change feed moves in a workspace: activity entries, search postings, the
 * analytics projector's applied markers, change-log entries.
 */
const feedPartitions = (workspaceId: string) => ['ACTIVITY', 'TERMS', 'STATS#APPLIED', 'CHANGES'].map((suffix) => `WS#${workspaceId}#${suffix}`);

/**
 * Waits until the change feed has projected what was written in `workspaces`: each holds at least
 * `activity` activity entries (one per entity created), then every partition the feed writes keeps
 * its count for `settleMs`. Answers when the counts last moved (ms after `since`). Bounded: 150 s.
 */
async function drained(seeded: SeededRuntime, workspaces: { id: string; activity: number }[], since: number, settleMs = 2_000): Promise<number> {
  const { documents, runtime } = seeded;
  const { tableName } = runtime.state;
  const deadline = Date.now() + 150_000;
  for (const workspace of workspaces) {
    let held = 0;
    while ((held = await countPartition(documents, tableName, `WS#${workspace.id}#ACTIVITY`)) < workspace.activity) {
      if (Date.now() > deadline) throw new Error(`waited 150 s for the change feed: ${held} of ${workspace.activity} activity entries in ${workspace.id}`);
      await sleep(500);
    }
  }
  const fingerprint = async () => (await Promise.all(workspaces.flatMap((workspace) => feedPartitions(workspace.id).map((partition) => countPartition(documents, tableName, partition))))).join(',');
  let last = await fingerprint();
  let movedAt = performance.now();
  while (performance.now() - movedAt < settleMs) {
    if (Date.now() > deadline) throw new Error(`the change feed still projecting after 150 s (${last})`);
    await sleep(250);
    const now = await fingerprint();
    if (now !== last) {
      last = now;
      movedAt = performance.now();
    }
  }
  return movedAt - since;
}

interface ImportReport {
  total_rows: number;
  succeeded: number;
  failed: number;
  created: number;
  updated: number;
  created_related: number;
  dry_run: boolean;
  errors: unknown[];
}

async function measure(seeded: SeededRuntime, tools: Tools, log: BenchContext['log']) {
  const { runtime, documents, api, workspaceId: exportWorkspace, base: exportBase, email, password } = seeded;
  const { tableName, dynamodb } = runtime.state;
  const { keys } = tools;
  let token = seeded.token;
  const newWorkspace = async (name: string) => {
    const id = (await callJson('POST', `${api}/workspaces`, token, { name, slug: `bench-${randomBytes(4).toString('hex')}` })).json.id as string;
    return { id, base: `${api}/workspaces/${id}` };
  };
  const post = async (base: string, path: string, body: unknown) => (await callJson('POST', `${base}${path}`, token, body)).json as { id: string };

  // the baselines' table: the same definition (keys, indexes, stream), nothing reading its stream
  const { dynamoDbClient, ensureTable } = await import('../../../infra/local/dynamodb-local.js');
  const floorTable = `${tableName}-transfer-floor`;
  const client = dynamoDbClient(dynamodb);
  try {
    await ensureTable(client, floorTable);
    await measureWith(floorTable);
  } finally {
    await client.send(new DeleteTableCommand({ TableName: floorTable })).catch(() => undefined);
    client.destroy();
  }

  async function measureWith(floor: string) {
    // ---- over HTTP, through the change feed
    const started = performance.now();
    const labelWorkspace = await newWorkspace('Bench labels');
    const itemWorkspace = await newWorkspace('Bench items');
    const exportCategories = new Map<string, string>();
    for (const name of categoryNames) {
      exportCategories.set(name, (await post(exportBase, '/categories', { name })).id);
      await post(itemWorkspace.base, '/categories', { name });
    }
    const real: string[] = [];
    for (let index = 0; index < httpItems; index += 1) {
      real.push((await post(exportBase, '/items', { name: `Real item ${index + 1}`, sku: `REAL-${index + 1}`, category_id: exportCategories.get(categoryNames[index % categoryNames.length]!) })).id);
    }
    // the stream is about to be replaced: the feed must have projected all of it first (the poller drops an old stream's shards)
    await drained(seeded, [{ id: exportWorkspace, activity: categoryNames.length + httpItems }, { id: itemWorkspace.id, activity: categoryNames.length }], started);
    log(`made ${categoryNames.length} categories and ${httpItems} items over HTTP in E, ${categoryNames.length} categories in I; the change feed projected them (${seconds(performance.now() - started)} s)`);

    // ---- E's other items: copies of the first one's stored layout, with the stream off
    const seedStarted = performance.now();
    await withStreamOff(seeded, () => seedCopies(seeded, tools, exportWorkspace, real[0]!, [...exportCategories.values()]));
    log(`seeded E's other ${thousands(exportItems - httpItems)} items (${seedersInFlight} BatchWriteItem calls in flight, stream off) in ${seconds(performance.now() - seedStarted)} s`);
    // The seeding may have taken a while: sign in again so the token outlives the measurements (15-minute tokens).
    token = (await callJson('POST', `${api}/auth/login`, undefined, { email, password })).json.token as string;

    // ---- figure 1: the export
    await measureExport(seeded, exportBase, exportWorkspace, token, [...exportCategories.keys()], floor, log);

    // ---- figure 2: the imports
    const labels = Array.from({ length: importRows }, (_, index) => ({
      name: `Label ${String(index + 1).padStart(4, '0')}`,
      color: `#${((index * 2_654_435_761) >>> 8 & 0xffffff).toString(16).toUpperCase().padStart(6, '0')}`,
      description: `Shelf tag ${index + 1}, box ${1 + (index % 40)}`,
    }));
    const itemsFile = Array.from({ length: importRows }, (_, index) => ({
      name: `Imported thing ${String(index + 1).padStart(4, '0')}`,
      sku: `IMP-${String(index + 1).padStart(5, '0')}`,
      category_name: categoryNames[index % categoryNames.length]!,
    }));
    const imports = [
      { type: 'label', stored: 'LABEL', file: labels, workspace: labelWorkspace, activity: importRows },
      { type: 'item', stored: 'ITEM', file: itemsFile, workspace: itemWorkspace, activity: importRows + categoryNames.length },
    ] as const;
    const measured: Record<string, { dry: Measured; real: Measured; upsert?: Measured; drainMs: number; items: Item[] }> = {};
    for (const one of imports) {
      const url = (query: string) => `${one.workspace.base}/import/${one.type}${query}`;
      const dry = await importFile(url('?dry_run=true'), one.file, token, { dry_run: true, created: importRows });
      // each request starts once the feed has projected the rows before it (its partitions settled for 0.5 s)
      let drainMs = 0;
      const real = await importFile(url(''), one.file, token, { dry_run: false, created: importRows }, async (done) => {
        drainMs += await drained(seeded, [{ id: one.workspace.id, activity: one.activity - importRows + done }], performance.now(), 500);
      });
      log(`${one.type}: dry run ${seconds(dry.ms)} s, import ${seconds(real.ms)} s (${importRows / rowsPerRequest} requests of ${rowsPerRequest} rows); the change feed projected the rows in ${seconds(drainMs)} s after the answers`);
      // what the import stored for its rows, the baseline's puts: each entity and its unique guards
      const entities = await queryByPrefix(documents, tableName, `WS#${one.workspace.id}`, `${one.stored}#`);
      const guards = (await queryByPrefix(documents, tableName, keys.uniqueGuard(one.workspace.id, '', '').PK, '')).filter((guard) => guard.entity_type === one.stored);
      if (entities.length !== importRows) throw new Error(`the ${one.type} import stored ${entities.length} entities, not ${importRows}`);
      measured[one.type] = { dry, real, drainMs, items: [...entities, ...guards] };
    }
    // the baselines: BatchWriteItem of the same items (fresh workspace ids in the floor table), in a fresh process
    const written = (JSON.parse(await runWorker(script, {
      mode: 'write', dynamodb, tableName, floorTable: floor, sets: imports.map((one) => ({ name: one.type, workspaceId: one.workspace.id, items: measured[one.type]!.items })),
    } satisfies WorkerInput, '{"write"', 240_000)) as { write: WriteOutput }).write;
    // the upserts of the same files: nothing changes, so nothing for the feed
    for (const one of imports) {
      measured[one.type]!.upsert = await importFile(`${one.workspace.base}/import/${one.type}?mode=upsert`, one.file, token, { dry_run: false, created: 0, updated: 0 });
    }

    // the job path (POST …/imports, one upload, the job in steps): the labels again, into a new workspace
    const jobWorkspace = await newWorkspace('Bench label job');
    const byJob = await importByJob(jobWorkspace.base, labels, token);
    log(`label file through the job path: ${seconds(byJob.ms)} s from the start request to DONE`);

    const rows: string[][] = [];
    for (const one of imports) {
      const { dry, real, upsert, drainMs, items } = measured[one.type]!;
      const floorRuns = written[one.type]!;
      const floorMs = medianOf(floorRuns, (run) => run.ms);
      const floorWcu = medianOf(floorRuns, (run) => run.write);
      const floorRate = perSecond(importRows, floorMs);
      const rate = record(`transfer.import.${one.type}.rows-per-s`, perSecond(importRows, real.ms), 'rows/s', floorRate);
      const dryRate = record(`transfer.import.${one.type}.dry-run.rows-per-s`, perSecond(importRows, dry.ms), 'rows/s', rate.value);
      const upsertRate = record(`transfer.import.${one.type}.upsert-again.rows-per-s`, perSecond(importRows, upsert!.ms), 'rows/s', rate.value);
      const wcu = record(`transfer.import.${one.type}.wcu-per-row`, real.write / importRows, 'WCU', floorWcu / importRows);
      record(`transfer.import.${one.type}.feed-drain`, drainMs, 'ms', real.ms);
      const rcu = (one: Measured) => (one.read / importRows).toFixed(3);
      rows.push([`POST …/import/${one.type}`, (real.ms / 1000).toFixed(2), rate.value.toFixed(0), floorRate.toFixed(0), formatRatio(rate.ratio),
        (real.write / importRows).toFixed(2), (floorWcu / importRows).toFixed(2), formatRatio(wcu.ratio), rcu(real), seconds(drainMs)]);
      rows.push(['  dry run (vs the import)', (dry.ms / 1000).toFixed(2), dryRate.value.toFixed(0), '', formatRatio(dryRate.ratio), (dry.write / importRows).toFixed(2), '', '', rcu(dry), '']);
      rows.push(['  upsert again, no change (vs the import)', (upsert!.ms / 1000).toFixed(2), upsertRate.value.toFixed(0), '', formatRatio(upsertRate.ratio), (upsert!.write / importRows).toFixed(2), '', '', rcu(upsert!), '']);
      rows.push([`  BatchWriteItem: ${thousands(items.length)} puts (entities + guards), median of ${floorRuns.length}`, (floorMs / 1000).toFixed(2), '', floorRate.toFixed(0), '', '', (floorWcu / importRows).toFixed(2), '', '', '']);
    }
    const labelFloorRate = perSecond(importRows, medianOf(written.label!, (run) => run.ms));
    const jobRate = record('transfer.import.label.job.rows-per-s', perSecond(importRows, byJob.ms), 'rows/s', labelFloorRate);
    rows.push(['POST …/imports (upload + job), label', (byJob.ms / 1000).toFixed(2), jobRate.value.toFixed(0), labelFloorRate.toFixed(0), formatRatio(jobRate.ratio), '', '', '', '', '']);
    log();
    log(table(['1,000-row CSV import', '>s', '>rows/s', '>BatchWriteItem rows/s', '>ratio', '>WCU/row', '>BWI WCU/row', '>ratio', '>RCU/row', '>feed after, s'], rows));
    log(`over HTTP into an empty workspace as ${importRows / rowsPerRequest} CSV requests of ${rowsPerRequest} rows one after another (the local API server gives a handler 10 s, not the route's 29 s; 1,000 rows in one request time out there), times summed; the dry run first, into the same still-empty workspace; the upsert after, which must and did report created 0, updated 0. WCU and RCU = the x-consumed-capacity headers summed (each request reads the type's stored entities and the related names again). BatchWriteItem: what the import stored for those rows (each entity's item and its unique guards) written again under a fresh workspace id into a table of the same definition, 25 per call, one call in flight, in a fresh process with the product's document client (median of ${writeRepetitions}, label and item alternating). The change feed projects the imported rows after each request (not in the figures): "feed after" sums how long after each answer its partitions stopped moving; the next request started only then. The job path: one 1,000-row file, from the start request through the presigned upload, the Object Created event, the job runner and its rows (8 at once) to the job DONE (polled every 50 ms), with the change feed projecting meanwhile; its WCU are the routes' own (not reported back to a job)`);
  }
}

interface Measured {
  requests: number;
  ms: number;
  read: number;
  write: number;
  report: ImportReport;
}

/**
 * Imports `rows` as CSV files of `rowsPerRequest` rows (header on each), one request after another;
 * `between` runs untimed after each request (hearing the rows done so far). The reports' sums must
 * say `expected` and no failure. Answers the requests' summed time and capacity.
 */
async function importFile(url: string, rows: readonly Record<string, string>[], token: string, expected: Partial<ImportReport>, between?: (done: number) => Promise<void>): Promise<Measured> {
  const columns = Object.keys(rows[0]!);
  const bodies: unknown[] = [];
  for (let start = 0; start < rows.length; start += rowsPerRequest) {
    const csv = stringify(rows.slice(start, start + rowsPerRequest), { header: true, columns, record_delimiter: 'windows' });
    bodies.push({ format: 'csv', data: Buffer.from(csv, 'utf8').toString('base64') });
  }
  const sum: Measured = { ms: 0, read: 0, write: 0, requests: 0, report: { total_rows: 0, succeeded: 0, failed: 0, created: 0, updated: 0, created_related: 0, dry_run: false, errors: [] } };
  for (const [index, body] of bodies.entries()) {
    const answer = await request('POST', url, token, body);
    const report = JSON.parse(answer.text) as ImportReport;
    sum.ms += answer.ms;
    sum.read += answer.read;
    sum.write += answer.write;
    sum.requests += 1;
    for (const field of ['total_rows', 'succeeded', 'failed', 'created', 'updated', 'created_related'] as const) sum.report[field] += report[field];
    sum.report.dry_run = report.dry_run;
    sum.report.errors.push(...report.errors);
    await between?.(Math.min(rows.length, (index + 1) * rowsPerRequest));
  }
  const wanted = { total_rows: rows.length, succeeded: rows.length, failed: 0, created_related: 0, ...expected };
  const wrong = Object.entries(wanted).filter(([field, value]) => sum.report[field as keyof ImportReport] !== value);
  if (wrong.length) throw new Error(`POST ${url} reported ${JSON.stringify({ ...sum.report, errors: sum.report.errors.slice(0, 3) })}, not ${JSON.stringify(Object.fromEntries(wrong))}`);
  return sum;
}

/** A file through the large-import path: start, upload with the presigned form, poll the job to DONE; all rows must be created. */
async function importByJob(base: string, rows: readonly Record<string, string>[], token: string): Promise<{ ms: number }> {
  const file = Buffer.from(stringify([...rows], { header: true, columns: Object.keys(rows[0]!), record_delimiter: 'windows' }), 'utf8');
  const begun = performance.now();
  const job = (await callJson('POST', `${base}/imports`, token, { entity_type: 'label', format: 'csv', size_bytes: file.length })).json as { id: string; upload: { url: string; fields: Record<string, string> } };
  const form = new FormData();
  for (const [name, value] of Object.entries(job.upload.fields)) form.append(name, value);
  form.append('file', new Blob([file], { type: 'text/csv' }), 'file');
  const uploaded = await fetch(job.upload.url, { method: 'POST', body: form });
  if (uploaded.status >= 300) throw new Error(`the upload answered ${uploaded.status}`);
  for (;;) {
    const now = (await callJson('GET', `${base}/jobs/${job.id}`, token)).json as { status: string; report?: ImportReport; error?: unknown };
    if (now.status === 'DONE' || now.status === 'FAILED') {
      if (now.report?.created !== rows.length) throw new Error(`the import job ended ${JSON.stringify(now).slice(0, 300)}`);
      return { ms: performance.now() - begun };
    }
    await sleep(50);
  }
}

/** Every item of a partition whose sort key begins with `prefix` (every page, consistent). */
async function queryByPrefix(documents: SeededRuntime['documents'], tableName: string, partition: string, prefix: string) {
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new QueryCommand({
      TableName: tableName, ConsistentRead: true, KeyConditionExpression: prefix ? 'PK = :pk AND begins_with(SK, :prefix)' : 'PK = :pk',
      ExpressionAttributeValues: { ':pk': partition, ...(prefix ? { ':prefix': prefix } : {}) }, ...(start ? { ExclusiveStartKey: start } : {}),
    }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * Writes E's other items: copies of the template item's stored layout, each in a category (round
 * robin), then moves the categories' item counters to match. Run while the stream is off.
 */
async function seedCopies(seeded: SeededRuntime, tools: Tools, workspaceId: string, templateId: string, categories: string[]) {
  const { documents, runtime } = seeded;
  const { tableName } = runtime.state;
  const { keys, foldName } = tools;
  const template = (await documents.send(new GetCommand({ TableName: tableName, Key: keys.entity(workspaceId, 'ITEM', templateId), ConsistentRead: true }))).Item!;
  // The copies change only what the template's layout is known to hold: fail loudly if it changed.
  const indexes = Object.keys(template).filter((name) => /^GSI\d/.test(name)).sort().join(',');
  if (indexes !== 'GSI1PK,GSI1SK,GSI2PK,GSI2SK' || template.GSI2PK !== keys.linkPartition(workspaceId, 'ITEM', String(template.category_id))
    || template.GSI1SK !== keys.nameSortKey(false, foldName(String(template.name)), templateId)) {
    throw new Error(`the stored layout of an item is not what the copies assume (${indexes}): update seedCopies`);
  }
  const perCategory = new Map<string, number>();
  function* puts(): Generator<Item> {
    for (let index = httpItems; index < exportItems; index += 1) {
      const id = randomUUID();
      const name = `Item ${String(index).padStart(5, '0')}`;
      const category = categories[index % categories.length]!;
      perCategory.set(category, (perCategory.get(category) ?? 0) + 1);
      const byName = keys.nameSortKey(false, foldName(name), id);
      yield {
        ...template, id, SK: `ITEM#${id}`, name, GSI1SK: byName, category_id: category, GSI2PK: keys.linkPartition(workspaceId, 'ITEM', category), GSI2SK: byName,
        sku: `BENCH-${String(index).padStart(5, '0')}`, short_code: `Z${index.toString(31).toUpperCase().padStart(7, '0')}`,
      };
    }
  }
  await writeAll(documents, tableName, puts(), { inFlight: seedersInFlight });
  for (const [id, count] of perCategory) {
    await documents.send(new UpdateCommand({ TableName: tableName, Key: keys.entity(workspaceId, 'CATEGORY', id), UpdateExpression: 'ADD #counter :count', ExpressionAttributeNames: { '#counter': 'items' }, ExpressionAttributeValues: { ':count': count } }));
  }
}

/** Figure 1: the export's checks, capacity and, in the worker, its rows per second against the Query and BatchWriteItem. */
async function measureExport(seeded: SeededRuntime, base: string, workspaceId: string, token: string, categoryNames_: string[], floor: string, log: BenchContext['log']) {
  const { runtime } = seeded;
  const { tableName, dynamodb } = runtime.state;
  // what the files hold: every item, each with its category's name
  const csv = await request('GET', `${base}/export/item?format=csv`, token);
  const json = await request('GET', `${base}/export/item?format=json`, token);
  const csvRows = parse(csv.text.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
  const jsonRows = JSON.parse(json.text) as Record<string, unknown>[];
  for (const [format, list] of [['csv', csvRows], ['json', jsonRows]] as const) {
    const unnamed = list.filter((row) => !categoryNames_.includes(String(row.category_name)));
    if (list.length !== exportItems || unnamed.length) throw new Error(`the ${format} export holds ${list.length} rows (${exportItems} expected), ${unnamed.length} without their category's name`);
  }
  // the route's read capacity (the header), median of 3 calls each
  const capacity: Record<string, number> = {};
  for (const format of ['csv', 'json']) {
    const reads = [csv.read, json.read].slice(format === 'csv' ? 0 : 1, format === 'csv' ? 1 : 2);
    for (let call = 0; call < 2; call += 1) reads.push((await request('GET', `${base}/export/item?format=${format}`, token)).read);
    capacity[format] = median(reads);
  }

  const workerStarted = performance.now();
  const output = (JSON.parse(await runWorker(script, {
    mode: 'export', dynamodb, tableName, floorTable: floor, base, token, workspaceId,
  } satisfies WorkerInput, '{"export"', 240_000)) as { export: ExportOutput }).export;
  log(`export timed in a fresh process: ${exportRounds} rounds of CSV, JSON and the Query, BatchWriteItem in ${writeRounds.length} of them, interleaved (order reversed every other round), after one untimed of each (${seconds(performance.now() - workerStarted)} s)`);
  for (const [name, runs] of Object.entries({ csv: output.csv, json: output.json, query: output.query, write: output.write })) {
    const wrong = runs.filter((run) => run.rows !== exportItems);
    if (wrong.length) throw new Error(`${name} saw ${wrong.map((run) => run.rows).join(', ')} rows, not ${exportItems}`);
  }

  const queryMs = medianOf(output.query, (run) => run.ms);
  const queryRcu = medianOf(output.query, (run) => run.read);
  const writeMs = medianOf(output.write, (run) => run.ms);
  const writeWcu = medianOf(output.write, (run) => run.write);
  const queryRate = perSecond(exportItems, queryMs);
  const writeRate = perSecond(exportItems, writeMs);
  const perThousand = (units: number) => (units / exportItems) * 1000;
  const rows: string[][] = [];
  for (const format of ['csv', 'json'] as const) {
    const ms = medianOf(output[format], (run) => run.ms);
    const rate = perSecond(exportItems, ms);
    const againstQuery = record(`transfer.export.${format}.rows-per-s`, rate, 'rows/s', queryRate);
    const againstWrite = record(`transfer.export.${format}.rows-per-s-vs-batch-write`, rate, 'rows/s', writeRate);
    const rcu = record(`transfer.export.${format}.rcu-per-1k-rows`, perThousand(capacity[format]!), 'RCU', perThousand(queryRcu));
    const bytes = format === 'csv' ? csv.text.length : json.text.length;
    rows.push([`GET …/export/item?format=${format}`, ms.toFixed(0), rate.toFixed(0), formatRatio(againstQuery.ratio), formatRatio(againstWrite.ratio), perThousand(capacity[format]!).toFixed(1), formatRatio(rcu.ratio), thousands(bytes)]);
  }
  record('transfer.export.query.rows-per-s', queryRate, 'rows/s');
  record('transfer.export.query.rcu-per-1k-rows', perThousand(queryRcu), 'RCU');
  record('transfer.export.batch-write.rows-per-s', writeRate, 'rows/s');
  record('transfer.export.batch-write.wcu-per-1k-rows', perThousand(writeWcu), 'WCU');
  rows.push(['Query ITEM# range, pages of 500 (baseline)', queryMs.toFixed(0), queryRate.toFixed(0), '1.00×', '', perThousand(queryRcu).toFixed(1), '', '']);
  rows.push([`BatchWriteItem of the same ${thousands(output.puts)} items (baseline)`, writeMs.toFixed(0), writeRate.toFixed(0), '', '1.00×', `${perThousand(writeWcu).toFixed(1)} WCU`, '', '']);
  log();
  log(table([`export of ${thousands(exportItems)} items`, '>ms (median)', '>rows/s', '>vs Query', '>vs BatchWriteItem', '>RCU per 1k rows', '>vs Query', '>bytes'], rows));
  log(`HTTP keep-alive, whole body read; the Query is the export's own read (catalog/all.ts entitiesOf of E's ITEM# key range, pages of 500) with the product's document client; BatchWriteItem of the stored items under a fresh workspace id into a table of the same definition, 25 per call, one in flight; medians of ${exportRounds} (BatchWriteItem ${writeRounds.length}). RCU: the route's x-consumed-capacity header (authorisation, the items' pages, the categories' names), median of 3, against the Query's consumed capacity`);
}
