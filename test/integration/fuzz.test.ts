// A route-table-driven fuzz suite (issue 6, "A fuzzer that keeps it fixed"). For every route of
// `routeTable` (new routes are covered as they are added) it generates valid requests from the
// route's schemas in the OpenAPI document and near-valid ones (one thing wrong: a field's type,
// a number beyond its bounds, malformed or oversized text, a crafted cursor, a missing or extra
// property, a malformed path segment, an odd header), sends them to the local runtime as the
// route's callers would (see support/fuzz/world.ts) and checks every answer (support/fuzz/oracles.ts):
// never a 5xx; every error problem+json with a code of shared/contract/errors.ts; documented in
// the served OpenAPI document; nothing half-written by a refused write; no secret echoed; nothing
// of tenant B in an answer to tenant A.
//
//   npx vitest run --project integration test/integration/fuzz.test.ts      (default: ~500 requests)
//   FUZZ_RUNS=5000 npx vitest run --project integration test/integration/fuzz.test.ts   (a soak)
//   FUZZ_SEED=123 …                                                        (replay a run's generation)
//   FUZZ_TRACE=moveInventory,createItem …                                  (print those routes' every request and answer)
//
// The server keeps state, so a replay generates the same requests but the world they meet may
// differ; a failure prints the request as sent and its answer, which is what to reproduce.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable, type RouteContract } from '../../shared/contract/index.js';
import { openApiDocument } from '../../shared/contract/openapi.js';
import { inputsOf, type OpenApiDocument } from './support/fuzz/generate.js';
import { checkIsolation, checkSecrets, checkStatusAndProblem, checkUnchanged, stable, type Finding } from './support/fuzz/oracles.js';
import { describeRequest } from './support/fuzz/request.js';
import { describeExchange, execute, requestArbitrary, type Exchange } from './support/fuzz/run.js';
import { upkeep, World } from './support/fuzz/world.js';

const totalRuns = Number(process.env.FUZZ_RUNS ?? 500);
const seed = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : (Date.now() ^ Math.floor(Math.random() * 2 ** 31)) | 0;
const runsPerRoute = Math.max(3, Math.ceil(totalRuns / routeTable.length));
const traced = new Set((process.env.FUZZ_TRACE ?? '').split(',').map((id) => id.trim()).filter(Boolean));

/**
 * Bugs the fuzzer found that are not fixed yet: a finding that matches one is counted and printed,
 * not failed. Empty this list as they are fixed (a fixed bug's entry simply stops matching).
 */
interface KnownBug {
  id: string;
  oracle: Finding['oracle'];
  /** route ids, or '*' for a bug of every route of a kind */
  routes: readonly string[] | '*';
  matches: (finding: Finding, exchange: Exchange) => boolean;
  note: string;
}
const knownBugs: KnownBug[] = [];

const document = openApiDocument(routeTable, { version: 'fuzz' }) as unknown as OpenApiDocument;

/** A stable per-route seed from the run's seed, so one route replays without the others. */
const routeSeed = (route: RouteContract) => {
  let hash = seed;
  for (const char of route.id) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return hash;
};

const stats = {
  requests: 0,
  byStatus: new Map<number, number>(),
  byRoute: new Map<string, Map<number, number>>(),
  transports: { call: 0, raw: 0 },
  mutated: 0,
  isolationChecked: 0,
  refusedWritesChecked: 0,
  upkeepActions: 0,
  known: new Map<string, { bug: KnownBug; count: number; routes: Set<string>; example: string }>(),
  routes: new Set<string>(),
  started: 0,
};

function record(route: RouteContract, exchange: Exchange) {
  stats.requests += 1;
  stats.transports[exchange.transport] += 1;
  if (exchange.request.mutation) stats.mutated += 1;
  if (exchange.checked.isolation) stats.isolationChecked += 1;
  if (exchange.checked.unchanged) stats.refusedWritesChecked += 1;
  stats.upkeepActions += exchange.upkeep.length;
  const status = exchange.answer?.status ?? 0;
  stats.byStatus.set(status, (stats.byStatus.get(status) ?? 0) + 1);
  const perRoute = stats.byRoute.get(route.id) ?? new Map<number, number>();
  perRoute.set(status, (perRoute.get(status) ?? 0) + 1);
  stats.byRoute.set(route.id, perRoute);
}

let worldRef: World | undefined;

function printSummary() {
  const seconds = ((performance.now() - stats.started) / 1000).toFixed(1);
  const classes = new Map<string, number>();
  for (const [status, count] of stats.byStatus) {
    const name = status === 0 ? 'no answer' : `${Math.floor(status / 100)}xx`;
    classes.set(name, (classes.get(name) ?? 0) + count);
  }
  const statuses = [...stats.byStatus].sort(([a], [b]) => a - b).map(([status, count]) => `${status}: ${count}`).join(', ');
  const lines = [
    `fuzz: ${stats.routes.size} of ${routeTable.length} routes, ${stats.requests} requests (${stats.requests - stats.mutated} valid, ${stats.mutated} near-valid; ${stats.transports.call} through call, ${stats.transports.raw} raw) in ${seconds} s, seed ${seed} (FUZZ_SEED=${seed}), ${runsPerRoute} runs per route (FUZZ_RUNS=${totalRuns})`,
    `fuzz: by class: ${[...classes].map(([name, count]) => `${name} ${count}`).join(', ')}`,
    `fuzz: by status: ${statuses}`,
    `fuzz: oracles: every answer for 5xx, problem shape, OpenAPI conformance and echoed secrets; ${stats.isolationChecked} answers to tenant A searched for tenant B's data; ${stats.refusedWritesChecked} refused writes checked to have changed nothing`,
    `fuzz: world pools (seeded, then harvested from answers): ${worldRef ? (['A', 'B'] as const).map((tenant) => `${tenant}: ${[...worldRef!.pools[tenant]].map(([collection, ids]) => `${collection} ${ids.length}`).join(', ')}, barcodes ${worldRef!.codes[tenant].barcodes.length}, short codes ${worldRef!.codes[tenant].shortCodes.length}`).join('; ') : 'no world'}`,
    `fuzz: world upkeep (${stats.upkeepActions} repairs after generated requests): ${Object.entries(upkeep).map(([name, count]) => `${name} ${count}`).join(', ')}`,
    ...[...stats.byRoute].map(([id, statusCounts]) => `fuzz:   ${id}: ${[...statusCounts].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`).join(' ')}`),
    ...(stats.known.size
      ? [`fuzz: known bugs hit (allow-listed in fuzz.test.ts knownBugs):`, ...[...stats.known.values()].map(({ bug, count, routes, example }) => `fuzz:   ${bug.id} (${bug.oracle}) ×${count} on ${[...routes].join(', ')}: ${bug.note}\n${example}`)]
      : ['fuzz: no known bug hit']),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

describe.sequential('fuzz every route of the route table', () => {
  let world: World;

  beforeAll(async () => {
    stats.started = performance.now();
    world = await World.create(document);
    worldRef = world;
  }, 180_000);

  afterAll(() => printSummary());

  it('reads every route of the route table from the OpenAPI document', () => {
    for (const route of routeTable) expect(() => inputsOf(document, route), route.id).not.toThrow();
  });

  it('has oracles that catch what they look for (made-up answers)', () => {
    const route = routeTable.find((one) => one.id === 'getMe')!;
    const answer = (text: string, status = 200, contentType = 'application/json') => ({ status, headers: new Headers({ 'content-type': contentType }), text });
    const [bString] = [...world.bStrings.keys()];
    const [bId] = [...world.bIds.keys()];
    expect(checkIsolation(answer(`{"name":"${bString}"}`), world.marker, world.bStrings, world.bIds, [], new Set())).toHaveLength(1);
    expect(checkIsolation(answer(`{"id":"${bId}"}`), world.marker, world.bStrings, world.bIds, [], new Set())).toHaveLength(1);
    expect(checkIsolation(answer(`{"id":"${bId}"}`), world.marker, world.bStrings, world.bIds, [`/workspaces/${bId}`], new Set())).toEqual([]);
    expect(checkIsolation(answer(`{"d":"${world.marker}-derived"}`), world.marker, world.bStrings, world.bIds, [], new Set())).toHaveLength(1);
    const problem = (value: string) => answer(`{"code":"VALIDATION_FAILED","status":422,"errors":[{"value":${JSON.stringify(value)}}]}`, 422, 'application/problem+json');
    expect(checkSecrets(route, problem('Zk9~hunter2'), [{ where: 'body.password', value: 'Zk9~hunter2' }], new Map())).toHaveLength(1);
    expect(checkSecrets(route, problem('x\ud800'), [{ where: 'body.password', value: 'Zk9~x\ud800' }], new Map())).toEqual([]);
    expect(checkSecrets(route, answer(`{"t":"${world.people['A.owner'].token}"}`), [], world.secrets())).toHaveLength(1);
    expect(checkStatusAndProblem(route, answer('oops', 500, 'text/plain')).map((finding) => finding.oracle)).toContain('server error');
    expect(checkStatusAndProblem(route, answer('{"code":"NOPE","status":400}', 400, 'application/problem+json'))).toHaveLength(1);
    expect(checkStatusAndProblem(route, answer('{"code":"NOT_FOUND","status":400}', 400, 'application/problem+json'))).toHaveLength(1);
    expect(checkStatusAndProblem(route, answer('{"code":"NOT_FOUND","status":404}', 404, 'application/problem+json'))).toEqual([]);
    expect(checkStatusAndProblem(route, answer('not found', 404, 'text/plain'))).toHaveLength(1);
    expect(checkUnchanged(route, new Map([['WS#1|WS', 'a']]), new Map([['WS#1|WS', 'b']]))).toHaveLength(1);
    expect(checkUnchanged(route, new Map([['WS#1|WS', 'a']]), new Map([['WS#1|WS', 'a'], ['WS#1|MEMBER#2', 'c']]))).toHaveLength(1);
    expect(checkUnchanged(route, new Map([['WS#1|WS', 'a']]), new Map())).toHaveLength(1);
    // a LOW_STOCK or LOAN_RETURNED notification the change feed sent meanwhile (and its unread counter) is not the refused request's doing; others are
    const notification = (type: string) => JSON.stringify([['PK', 'USER#u'], ['SK', 'NOTIF#n'], ['notification_type', type]]);
    const counted = new Map([['USER#u|NOTIF#COUNT', '1']]);
    expect(checkUnchanged(route, counted, new Map([['USER#u|NOTIF#COUNT', '2'], ['USER#u|NOTIF#n', notification('LOW_STOCK')], ['GSI2:USER#u|NOTIF#n', notification('LOW_STOCK')]]))).toEqual([]);
    expect(checkUnchanged(route, counted, new Map([['USER#u|NOTIF#COUNT', '2'], ['USER#u|NOTIF#n', notification('LOAN_RETURNED')]]))).toEqual([]);
    expect(checkUnchanged(route, counted, new Map([['USER#u|NOTIF#COUNT', '2'], ['USER#u|NOTIF#n', notification('MEMBER_JOINED')]]))).toHaveLength(1);
    expect(checkUnchanged(route, counted, new Map([['USER#u|NOTIF#COUNT', '2']]))).toHaveLength(1);
    // an item losing its link to a deleted category or label (the change feed's link cleanup) is not the refused request's doing; others are
    const stored = (item: Record<string, unknown>) => stable(Object.fromEntries(Object.entries(item).filter(([, value]) => value !== undefined)));
    const [w, i, c, l] = ['0193a5e2-7c1a-7b3e-9f00-00000000000a', '0193a5e2-7c1a-7b3e-9f00-00000000000b', '0193a5e2-7c1a-7b3e-9f00-00000000000c', '0193a5e2-7c1a-7b3e-9f00-00000000000d'];
    const item = { name: 'drill', category_id: c, label_ids: new Set([l]), version: 3, updated_at: '1', GSI3PK: `WS#${w}#ITEM#IN#${c}` };
    const linked = new Map([[`WS#${w}|ITEM#${i}`, stored(item)], [`WS#${w}#ITEMLABELS|${l}#${i}`, stored({ label_id: l })]]);
    const withTargets = (map: Map<string, string>) => new Map([...map, [`WS#${w}|CATEGORY#${c}`, stored({ id: c })], [`WS#${w}|LABEL#${l}`, stored({ id: l })]]);
    const unlinked = new Map([[`WS#${w}|ITEM#${i}`, stored({ name: 'drill', version: 5, updated_at: '2', GSI3PK: `WS#${w}#ITEM#IN#ROOT` })]]);
    expect(checkUnchanged(route, linked, unlinked)).toEqual([]);
    expect(checkUnchanged(route, withTargets(linked), withTargets(unlinked))).toHaveLength(1);
    expect(checkUnchanged(route, linked, new Map([[`WS#${w}|ITEM#${i}`, stored({ ...item, category_id: undefined, name: 'saw' })]]))).toHaveLength(1);
    expect(checkUnchanged(route, linked, new Map([[`WS#${w}|ITEM#${i}`, stored({ ...item, version: 4 })]]))).toHaveLength(1);
    // the workspace record's collection versions moving alone (the change feed's cleanup writes bump them) is not the refused request's doing; anything else on it is
    const record = (extra: Record<string, unknown>) => stored({ PK: `WS#${w}`, SK: 'WS', name: 'Home', cv_ITEM: 3, cvt_ITEM: '1', ...extra });
    expect(checkUnchanged(route, new Map([[`WS#${w}|WS`, record({})]]), new Map([[`WS#${w}|WS`, record({ cv_ITEM: 4, cvt_ITEM: '2', cv_LABEL: 1 })]]))).toEqual([]);
    expect(checkUnchanged(route, new Map([[`WS#${w}|WS`, record({})]]), new Map([[`WS#${w}|WS`, record({ cv_ITEM: 4, name: 'Away' })]]))).toHaveLength(1);
    // a set attribute is compared by its members
    expect(checkUnchanged(route, linked, new Map([...linked, [`WS#${w}|ITEM#${i}`, stored({ ...item, label_ids: new Set([c]) })]]))).toHaveLength(1);
  });

  for (const route of routeTable) {
    it(`${route.id}: ${route.method} ${route.path} (${route.access})`, async () => {
      stats.routes.add(route.id);
      const inputs = inputsOf(document, route);
      await world.prepare(route);
      await fc.assert(fc.asyncProperty(requestArbitrary(inputs, document), async (request) => {
        const exchange = await execute(world, inputs, document, request);
        record(route, exchange);
        if (traced.has(route.id) || traced.has('*')) process.stdout.write(`fuzz trace: ${route.id}\n${describeExchange(exchange, world)}\n`);
        const unknown = exchange.findings.filter((finding) => {
          const bug = knownBugs.find((known) => known.oracle === finding.oracle && (known.routes === '*' || known.routes.includes(route.id)) && known.matches(finding, exchange));
          if (!bug) return true;
          const seen = stats.known.get(bug.id) ?? { bug, count: 0, routes: new Set<string>(), example: `${describeExchange(exchange, world)}\n  finding: ${finding.detail.slice(0, 600)}` };
          seen.count += 1;
          seen.routes.add(route.id);
          stats.known.set(bug.id, seen);
          return false;
        });
        if (unknown.length > 0) {
          throw new Error([
            ...unknown.map((finding) => `fuzz: ${finding.oracle}: ${finding.detail.slice(0, 1500)}`),
            `  route: ${route.id} ${route.method} ${route.path} (${route.access})`,
            describeExchange(exchange, world),
            `  generated: ${describeRequest(request)}`,
            `  replay: FUZZ_SEED=${seed} npx vitest run --project integration test/integration/fuzz.test.ts -t '${route.id}'`,
          ].join('\n'));
        }
      }), { numRuns: runsPerRoute, seed: routeSeed(route) });
    }, Math.max(60_000, runsPerRoute * 3_000));
  }
});
