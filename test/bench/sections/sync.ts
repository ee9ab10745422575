// Delta sync and the snapshot: what `GET /workspaces/{id}/sync/delta` costs. A delta reads the change log between the
// client's position and now − δ, so its cost should follow the changes, not the workspace's size; a
// full snapshot pages through the workspace's partition, so its cost should follow the entities.
//
// Starts the real local runtime (in memory) with δ (SYNC_SETTLE_MS) at 1 s, as the integration
// tests do, so the changes become readable sooner. Two workspaces of the same user:
// - A with 1,000 items and B with 50,000: 50 items made over HTTP in each, the rest direct copies of
//   one of them (BatchWriteItem; keys, name index and codes changed consistently), each with a copy
//   of that item's change-log entry, so B's change log is as long as a workspace whose items were
//   all made within the retention would have. The table's stream is off while the copies are
//   written: the change feed (one record at a time, ~70 records/s on a busy 2-core machine) would
//   take over 10 minutes (783 s in one run) to log 50,000 items and their activity; the change-log
//   entries it would write are copied instead (not its activity or replay markers: sync reads
//   neither). A sentinel label made afterwards shows the feed reading the new stream.
// - A real position: a snapshot page's `synced_at`, once everything before it is older than δ.
//   Then exactly 100 changes in each over HTTP (50 item PATCHes, 50 label creates), through the
//   change feed, and it waits (≤ 60 s) until the delta from that position answers all 100.
// Figures, each B against A in this run:
// - the delta of those 100 changes (limit 500: one page): consumed read capacity (the local-only
//   `x-consumed-capacity` header, as the catalog and items sections read it) and page time p50/p90,
//   A and B interleaved request by request, 5 repetitions, medians of the percentiles (goal ≤ 1.1×);
// - a full snapshot (limit 1000, every page): read capacity and time per 1,000 entities (cost
//   proportional to the entities: ≈ 1.0×).
import { randomBytes, randomUUID } from 'node:crypto';
import { BatchWriteCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { syncedTypes } from '../../../shared/contract/sync.js';
import { keepAliveGetter, timeInterleaved } from '../loop.js';
import { formatRatio, record, table } from '../report.js';
import { callJson, capacityUnits, withSeededRuntime, withStreamOff, type SeededRuntime } from '../seeded-runtime.js';
import { median, medianOfRuns, summarize, type LatencySummary } from '../stats.js';
import type { BenchContext } from './types.js';

const smallItems = 1_000;
const largeItems = 50_000;
/** items made over HTTP in each workspace: the ones the changes PATCH, and the copies' template */
const realItems = 50;
/** the delta measured: 50 PATCHes + 50 label creates */
const changes = 100;
const settleMs = 1_000;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

interface Workspace {
  label: string;
  id: string;
  base: string;
  items: number;
  real: { id: string }[];
}

/** The entities of a sync answer, by its keys (every synced type). */
const entitiesIn = (answer: Record<string, unknown>) => Object.values(syncedTypes).reduce((sum, key) => sum + (answer[key] as unknown[]).length, 0);

/** One GET of the sync route (fetch keeps the connection alive): the time to the whole body, its read capacity and the answer. */
async function timedGet(url: string, token: string) {
  const started = performance.now();
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, signal: AbortSignal.timeout(60_000) });
  const text = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${text.slice(0, 300)}`);
  const capacity = /read=([\d.]+)/.exec(response.headers.get('x-consumed-capacity') ?? '');
  if (!capacity) throw new Error(`GET ${url} sent no x-consumed-capacity header`);
  return { ms, read: Number(capacity[1]), answer: JSON.parse(text) as Record<string, unknown> & { has_more: boolean; next_cursor?: string; synced_at: string } };
}

export async function run({ log }: BenchContext) {
  // The runtime is spawned with this process's environment: δ of 1 s instead of 5 s (as in the
  // integration tests' global setup) so the section waits less for its changes to settle.
  const previousSettle = process.env.SYNC_SETTLE_MS;
  process.env.SYNC_SETTLE_MS = String(settleMs);
  try {
    await withSeededRuntime((seeded) => measure(seeded, log));
  } finally {
    if (previousSettle === undefined) delete process.env.SYNC_SETTLE_MS;
    else process.env.SYNC_SETTLE_MS = previousSettle;
  }
}

async function measure(seeded: SeededRuntime, log: BenchContext['log']) {
  const { runtime, documents, api, workspaceId, base } = seeded;
  const firstToken = seeded.token;
  const { tableName } = runtime.state;
  const otherId = (await callJson('POST', `${api}/workspaces`, firstToken, { name: 'Bench large', slug: `bench-${randomBytes(4).toString('hex')}` })).json.id as string;
  const small: Workspace = { label: '1k', id: workspaceId, base, items: smallItems, real: [] };
  const large: Workspace = { label: '50k', id: otherId, base: `${api}/workspaces/${otherId}`, items: largeItems, real: [] };
  const both = [small, large];

  // ---- seeding: real items over HTTP (through the change feed), then copies with the stream off
  for (const workspace of both) {
    for (let index = 0; index < realItems; index += 1) {
      workspace.real.push((await callJson('POST', `${workspace.base}/items`, firstToken, { name: `Bench item ${String(index).padStart(5, '0')}` })).json);
    }
  }
  // The stream is about to be replaced: its records must all be read first (the poller drops an old stream's shards).
  for (const workspace of both) await waitForLog(workspace, async () => (await logLength(seeded, workspace)) === realItems, `${realItems} items logged`);
  log(`made ${realItems} items over HTTP in each of two workspaces; the change feed logged them`);
  const seedStarted = performance.now();
  await withStreamOff(seeded, async () => {
    for (const workspace of both) await seedCopies(seeded, workspace, log);
  });
  log(`seeded ${(smallItems + largeItems - 2 * realItems).toLocaleString('en-US')} item copies and their change-log entries in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);
  const feedStarted = Date.now();
  for (const workspace of both) {
    const sentinel = (await callJson('POST', `${workspace.base}/labels`, firstToken, { name: 'Bench sentinel' })).json.id as string;
    await waitForLog(workspace, async () => (await newestLogged(seeded, workspace))?.entity_id === sentinel, 'the change feed to log a label made after the copies');
  }
  const lengths = [];
  for (const workspace of both) lengths.push(`${workspace.label}: ${(await logLength(seeded, workspace)).toLocaleString('en-US')} entries`);
  log(`the change feed reads the stream again (a sentinel label logged after ${((Date.now() - feedStarted) / 1000).toFixed(1)} s); change logs: ${lengths.join(', ')}`);

  // A real position: a snapshot's `synced_at` (now − δ), taken once everything before is older than δ.
  await sleep(settleMs + 200);
  // The seeding may have taken minutes: sign in again so the token outlives the measurements (15-minute tokens).
  const token = (await callJson('POST', `${api}/auth/login`, undefined, { email: seeded.email, password: seeded.password })).json.token as string;
  const since: Record<string, string> = {};
  for (const workspace of both) since[workspace.id] = (await callJson('GET', `${workspace.base}/sync/delta?limit=1`, token)).json.synced_at as string;

  // ---- exactly 100 changes in each workspace, then wait until the delta answers them all
  for (const workspace of both) {
    for (const item of workspace.real) await callJson('PATCH', `${workspace.base}/items/${item.id}`, token, { description: 'changed for the sync bench' });
    for (let index = 0; index < changes - realItems; index += 1) await callJson('POST', `${workspace.base}/labels`, token, { name: `Bench label ${index}` });
  }
  const deltaUrl = (workspace: Workspace) => `${workspace.base}/sync/delta?modified_since=${encodeURIComponent(since[workspace.id]!)}&limit=500`;
  const waitStarted = Date.now();
  for (const workspace of both) {
    for (;;) {
      const { answer } = await timedGet(deltaUrl(workspace), token);
      const items = (answer.items as unknown[]).length;
      const labels = (answer.labels as unknown[]).length;
      if (items === realItems && labels === changes - realItems && entitiesIn(answer) === changes && !answer.has_more) break;
      if (items > realItems || labels > changes - realItems || entitiesIn(answer) > changes) {
        throw new Error(`the delta of ${workspace.label} answered more than the ${changes} changes made (${items} items, ${labels} labels, ${entitiesIn(answer)} entities): something else was logged after the position`);
      }
      if (Date.now() - waitStarted > 60_000) throw new Error(`the delta of ${workspace.label} still answers ${items} items and ${labels} labels after 60 s, not ${realItems} and ${changes - realItems}`);
      await sleep(250);
    }
  }
  log(`made ${changes} changes in each workspace (${realItems} item PATCHes, ${changes - realItems} label creates); the delta answered all of them ${((Date.now() - waitStarted) / 1000).toFixed(1)} s after the last one`);

  // ---- figure 1: the delta of 100 changes, B vs A
  // The access pattern's own read, made directly, to show what the route adds (the authorizer's reads).
  const logRead = async (workspace: Workspace) => {
    const until = new Date(Date.now() - settleMs).toISOString();
    const result = await documents.send(new QueryCommand({
      TableName: tableName, KeyConditionExpression: 'PK = :pk AND SK BETWEEN :low AND :until', Limit: 500, ReturnConsumedCapacity: 'TOTAL',
      ExpressionAttributeValues: { ':pk': `WS#${workspace.id}#CHANGES`, ':low': since[workspace.id]!, ':until': until },
    }));
    return { entries: result.Count ?? 0, read: capacityUnits(result.ConsumedCapacity) };
  };
  const deltaRead: Record<string, number> = {};
  for (const workspace of both) {
    const reads = [];
    for (let call = 0; call < 5; call += 1) reads.push((await timedGet(deltaUrl(workspace), token)).read);
    deltaRead[workspace.label] = median(reads);
  }
  const getters = both.map((workspace) => keepAliveGetter(deltaUrl(workspace), { headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, timeoutMs: 30_000 }));
  const runs: LatencySummary[][] = [[], []];
  try {
    for (let repetition = 0; repetition < 5; repetition += 1) {
      const latencies = await timeInterleaved(getters.map((getter) => getter.get), { warmup: 20, count: 200 });
      latencies.forEach((list, index) => runs[index]!.push(summarize(list)));
    }
  } finally {
    for (const getter of getters) getter.close();
  }
  const [smallP, largeP] = runs.map(medianOfRuns) as [LatencySummary, LatencySummary];
  const [smallLog, largeLog] = [await logRead(small), await logRead(large)];
  record('sync.delta.1k.read', deltaRead['1k']!, 'RCU');
  const deltaReadB = record('sync.delta.50k.read', deltaRead['50k']!, 'RCU', deltaRead['1k']!, { budget: 1.1 });
  record('sync.delta.1k.p50', smallP.p50, 'ms');
  record('sync.delta.1k.p90', smallP.p90, 'ms');
  const deltaP50 = record('sync.delta.50k.p50', largeP.p50, 'ms', smallP.p50, { budget: 1.1 });
  const deltaP90 = record('sync.delta.50k.p90', largeP.p90, 'ms', smallP.p90, { budget: 1.1 });
  log(table(['delta of 100 changes (limit 500)', '>RCU', '>change-log Query RCU', '>entries read', '>p50 ms', '>p90 ms'], [
    [`workspace of ${smallItems.toLocaleString('en-US')} items`, String(deltaRead['1k']), String(smallLog.read), String(smallLog.entries), smallP.p50.toFixed(2), smallP.p90.toFixed(2)],
    [`workspace of ${largeItems.toLocaleString('en-US')} items`, String(deltaRead['50k']), String(largeLog.read), String(largeLog.entries), largeP.p50.toFixed(2), largeP.p90.toFixed(2)],
  ]));
  log(`50k vs 1k (goal ≤ 1.1×): read ${formatRatio(deltaReadB.ratio)}, p50 ${formatRatio(deltaP50.ratio)}, p90 ${formatRatio(deltaP90.ratio)}; change-log Query = the pattern's own read made directly (the route adds the authorizer's)`);

  // ---- figure 2: a full snapshot, per 1,000 entities, B vs A
  // The two snapshots are paged in lockstep, a page of A then a page of B (A starts over each time
  // it ends), so a burst of load on the machine hits both alike; B is read 3 times, A ~75 times.
  // Capacity is the same on every pass; times are medians over passes and over full pages.
  const passes: Record<string, Snapshot[]> = { '1k': [], '50k': [] };
  const walkers = [snapshotWalker(small, token, passes['1k']!), snapshotWalker(large, token, passes['50k']!)];
  for (let step = 0; passes['50k']!.length < 3; step += 1) {
    if (step > 3 * 60) throw new Error('the 50k snapshots did not end within 180 pages each');
    for (const walker of step % 2 === 0 ? walkers : [...walkers].reverse()) await walker();
  }
  const summary = (workspace: Workspace) => {
    const list = passes[workspace.label]!;
    const { entities, pages } = list[0]!;
    const expected = workspace.items + (changes - realItems) + 1; // the items, the labels and the sentinel label
    if (list.some((one) => one.entities !== expected)) throw new Error(`the ${workspace.label} snapshot answered ${list.map((one) => one.entities).join(', ')} entities, not ${expected} (items and labels)`);
    const fullPages = list.flatMap((one) => one.fullPages);
    return {
      entities, pages, read: (median(list.map((one) => one.read)) / entities) * 1000, ms: (median(list.map((one) => one.ms)) / entities) * 1000,
      pageMs: median(fullPages.map((page) => page.ms)), pageRead: median(fullPages.map((page) => page.read)), fullPages: fullPages.length,
    };
  };
  const [smallS, largeS] = [summary(small), summary(large)];
  record('sync.snapshot.1k.read-per-1k', smallS.read, 'RCU');
  record('sync.snapshot.1k.ms-per-1k', smallS.ms, 'ms');
  record('sync.snapshot.1k.full-page.ms', smallS.pageMs, 'ms');
  const snapshotRead = record('sync.snapshot.50k.read-per-1k', largeS.read, 'RCU', smallS.read, { budget: 1.1 });
  const snapshotMs = record('sync.snapshot.50k.ms-per-1k', largeS.ms, 'ms', smallS.ms, { budget: 1.1 });
  const pageMs = record('sync.snapshot.50k.full-page.ms', largeS.pageMs, 'ms', smallS.pageMs);
  log(table(['full snapshot (limit 1000)', '>entities', '>pages', '>RCU per 1k entities', '>ms per 1k entities', '>full page RCU', '>full page ms (median)'], [
    [`workspace of ${smallItems.toLocaleString('en-US')} items`, smallS.entities.toLocaleString('en-US'), String(smallS.pages), smallS.read.toFixed(1), smallS.ms.toFixed(1), String(smallS.pageRead), `${smallS.pageMs.toFixed(1)} (${smallS.fullPages})`],
    [`workspace of ${largeItems.toLocaleString('en-US')} items`, largeS.entities.toLocaleString('en-US'), String(largeS.pages), largeS.read.toFixed(1), largeS.ms.toFixed(1), String(largeS.pageRead), `${largeS.pageMs.toFixed(1)} (${largeS.fullPages})`],
  ]));
  log(`50k vs 1k per 1,000 entities (≈ 1.0× expected): read ${formatRatio(snapshotRead.ratio)}, time ${formatRatio(snapshotMs.ratio)}; a full page (1,000 keys read) ${formatRatio(pageMs.ratio)}. Medians over passes (1k: ${passes['1k']!.length}, 50k: ${passes['50k']!.length}), paged in lockstep; the time is the client's, whole body received. Each page pays the authorizer and the request once, so 1k's short last page (${smallS.entities - 1_000} entities) weighs on its per-1k figures; the full page is the like-for-like one.`);
  // Does a page cost more deeper into a large partition? (DynamoDB Local and AWS should not care.)
  // The same questions asked of DynamoDB Local alone: a raw Query of 1,000 keys of A's partition,
  // and of B's from its start and from its 40,000th key, interleaved, 20 times each.
  const deep = (from: number, to: number) => median(passes['50k']!.flatMap((one) => one.fullPages.slice(from, to).map((page) => page.ms)));
  const partitionOf = (workspace: Workspace) => ({ TableName: tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `WS#${workspace.id}` } });
  let deepKey: Record<string, unknown> | undefined;
  for (let page = 0; page < 40; page += 1) {
    deepKey = (await documents.send(new QueryCommand({ ...partitionOf(large), Limit: 1000, ProjectionExpression: 'PK, SK', ...(deepKey ? { ExclusiveStartKey: deepKey } : {}) }))).LastEvaluatedKey;
  }
  const [rawSmall, rawStart, rawDeep] = (await timeInterleaved([
    async () => void await documents.send(new QueryCommand({ ...partitionOf(small), Limit: 1000 })),
    async () => void await documents.send(new QueryCommand({ ...partitionOf(large), Limit: 1000 })),
    async () => void await documents.send(new QueryCommand({ ...partitionOf(large), Limit: 1000, ExclusiveStartKey: deepKey })),
  ], { warmup: 2, count: 20 })).map(median) as [number, number, number];
  log(`50k full pages by position: pages 1–10 ${deep(0, 10).toFixed(1)} ms, pages 41–50 ${deep(40, 50).toFixed(1)} ms (medians over the 3 passes). DynamoDB Local alone, a raw Query of 1,000 keys: 1k's partition ${rawSmall.toFixed(1)} ms; 50k's from its start ${rawStart.toFixed(1)} ms, from key 40,000 ${rawDeep.toFixed(1)} ms`);
}

interface Snapshot {
  read: number;
  ms: number;
  entities: number;
  pages: number;
  /** the pages that read `limit` keys (every page but the last) */
  fullPages: { ms: number; read: number }[];
}

/**
 * A workspace's full snapshot, one page per call: each call GETs the next page (a new snapshot
 * after the last one ended) and pushes every finished snapshot onto `done`.
 */
function snapshotWalker(workspace: Workspace, token: string, done: Snapshot[]) {
  let current: Snapshot | undefined;
  let cursor: string | undefined;
  return async () => {
    current ??= { read: 0, ms: 0, entities: 0, pages: 0, fullPages: [] };
    const page = await timedGet(`${workspace.base}/sync/delta?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token);
    current.read += page.read;
    current.ms += page.ms;
    current.entities += entitiesIn(page.answer);
    current.pages += 1;
    cursor = page.answer.has_more ? page.answer.next_cursor : undefined;
    if (cursor) current.fullPages.push({ ms: page.ms, read: page.read });
    else {
      done.push(current);
      current = undefined;
    }
  };
}

const shortCodeAlphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
/** 8 characters of the short-code alphabet: 3 random, then the index in base 31 (unique per run). */
function shortCodeOf(prefix: string, index: number) {
  let code = '';
  for (let rest = index, digit = 0; digit < 5; digit += 1, rest = Math.floor(rest / 31)) code = shortCodeAlphabet[rest % 31]! + code;
  return prefix + code;
}

/**
 * Copies the workspace's first real item until it holds `workspace.items` items: each copy gets its
 * own id, key, name, name-index key, short code and SKU (the unique guards of codes are not written:
 * nothing in sync reads them), and a copy of the template's change-log entry, logged as it is
 * written. 12 copies (24 puts) per BatchWriteItem, 4 batches in flight; progress every 10,000.
 */
async function seedCopies(seeded: SeededRuntime, workspace: Workspace, log: BenchContext['log']) {
  const { runtime, documents } = seeded;
  const { tableName } = runtime.state;
  const template = (await documents.send(new GetCommand({ TableName: tableName, Key: { PK: `WS#${workspace.id}`, SK: `ITEM#${workspace.real[0]!.id}` } }))).Item!;
  const entry = (await documents.send(new QueryCommand({
    TableName: tableName, KeyConditionExpression: 'PK = :pk', FilterExpression: 'entity_id = :id',
    ExpressionAttributeValues: { ':pk': `WS#${workspace.id}#CHANGES`, ':id': template.id },
  }))).Items?.[0];
  // The copies change only what the template's layout is known to hold: fail loudly if it changed.
  const expectedNameKey = `0#${String(template.name).toLowerCase()}\u0001${template.id as string}`;
  const indexAttributes = Object.keys(template).filter((name) => /^GSI\d/.test(name)).sort().join(',');
  if (template.GSI1SK !== expectedNameKey || indexAttributes !== 'GSI1PK,GSI1SK' || entry?.SK !== `${entry?.logged_at as string}#${entry?.event_id as string}` || entry?.data?.id !== template.id) {
    throw new Error(`the item's stored layout or its change-log entry is not what the copies assume (GSI1SK ${JSON.stringify(template.GSI1SK)}, index attributes ${indexAttributes}, entry ${JSON.stringify(entry?.SK)}): update seedCopies`);
  }
  const codePrefix = shortCodeOf('', Math.floor(Math.random() * 31 ** 3)).slice(-3);
  const skuPrefix = randomBytes(1).toString('hex').toUpperCase();
  const copy = (index: number) => {
    const id = randomUUID();
    const fields = { id, name: `Bench item ${String(index).padStart(5, '0')}`, short_code: shortCodeOf(codePrefix, index), sku: `SKU-${skuPrefix}${index.toString(16).toUpperCase().padStart(6, '0')}` };
    const item = { ...template, ...fields, SK: `ITEM#${id}`, GSI1SK: `0#${fields.name.toLowerCase()}\u0001${id}` };
    const loggedAt = new Date().toISOString();
    const eventId = randomBytes(16).toString('hex');
    const logged = { ...entry!, SK: `${loggedAt}#${eventId}`, logged_at: loggedAt, event_id: eventId, entity_id: id, data: { ...entry!.data, ...fields } };
    return [item, logged];
  };
  const writeBatch = async (items: Record<string, unknown>[]) => {
    let requests: Record<string, any[]> | undefined = { [tableName]: items.map((Item) => ({ PutRequest: { Item } })) };
    for (let attempt = 0; requests && Object.keys(requests).length; attempt += 1) {
      if (attempt > 20) throw new Error('BatchWriteItem left items unprocessed 20 times');
      requests = (await documents.send(new BatchWriteCommand({ RequestItems: requests }))).UnprocessedItems as typeof requests;
    }
  };
  let next = realItems;
  let written = realItems;
  const worker = async () => {
    while (next < workspace.items) {
      const start = next;
      const end = Math.min(start + 12, workspace.items);
      next = end; // claimed before the await: the other workers take the batches after it
      await writeBatch(Array.from({ length: end - start }, (_, offset) => copy(start + offset)).flat());
      const before = written;
      written += end - start;
      if (Math.floor(written / 10_000) > Math.floor(before / 10_000)) log(`  ${workspace.label}: ${(Math.floor(written / 10_000) * 10_000).toLocaleString('en-US')} items written`);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
}


/** The newest entry of the workspace's change log. */
async function newestLogged({ runtime, documents }: SeededRuntime, workspace: Workspace) {
  return (await documents.send(new QueryCommand({
    TableName: runtime.state.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `WS#${workspace.id}#CHANGES` }, ScanIndexForward: false, Limit: 1,
  }))).Items?.[0];
}

/** How many entries the workspace's change log holds (every page counted). */
async function logLength({ runtime, documents }: SeededRuntime, workspace: Workspace) {
  let count = 0;
  for (let start: Record<string, unknown> | undefined, first = true; first || start; first = false) {
    const page = await documents.send(new QueryCommand({
      TableName: runtime.state.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `WS#${workspace.id}#CHANGES` }, Select: 'COUNT', ExclusiveStartKey: start,
    }));
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  }
  return count;
}

/** Polls `check` every 250 ms until it holds; bounded: 60 s. */
async function waitForLog(workspace: Workspace, check: () => Promise<boolean>, what: string) {
  const deadline = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`waited 60 s in ${workspace.label} for ${what}`);
    await sleep(250);
  }
}
