// Sync batch: what replaying a client's offline writes through `POST /workspaces/{id}/sync/batch`
// costs over making the same writes directly. The batch (shared/domain/sync/batch.ts) runs each
// operation by calling the API's own REST route over HTTP (shared/http/loopback.ts), so it pays a
// request of its own plus one loopback request per operation; these figures say how much that is.
//
// Starts the real local runtime (in memory) with a user and a workspace made over HTTP, then
// `runs` repetitions (`--runs`, default 7; one more before them, untimed, warms every route), each
// making 20 fresh labels three ways, interleaved (the order alternates from repetition to
// repetition) so a burst of load on the machine hits all alike:
// - direct: 20 sequential `POST /workspaces/{id}/labels` with `{ id, name }`: exactly the requests
//   the batch makes for its creates (a client id adds a never-deleted condition to the create's
//   transaction; the log shows what one `{ name }`-only create consumes, for comparison);
// - batch: one `POST …/sync/batch` of 20 `create label` operations with UUIDv7 `entity_id`s;
// - replay: that same batch again (same ids): every create finds its id taken and answers the label
//   as it is, changing nothing (checked: version 1, same updated_at).
// Figures, each against its baseline in this run:
// - the batch's time p50/p90 over the repetitions vs the direct creates' total; the per-operation
//   overhead (batch p50 − direct p50) / 20, against a direct create's time (direct p50 / 20);
// - the replay's time p50/p90 vs the first run of that batch;
// - consumed capacity (the local-only `x-consumed-capacity: read=…, write=…, calls=…` header): the
//   batch's header vs the sum of the 20 direct creates' headers. The batch's header covers its own
//   request (authorisation, its own reads) plus what its 20 sub-requests report in theirs
//   (shared/http/loopback.ts adds them up). So the ratio is the batch's whole cost against the
//   creates', and the part above 1 its own overhead.
// The runtime's change feed works through the labels' stream records in its process meanwhile, as it
// does beside any request locally; it slows both alike.
import { newId } from '../../../shared/domain/ids.js';
import { formatRatio, record, table } from '../report.js';
import { withSeededRuntime, type SeededRuntime } from '../seeded-runtime.js';
import { percentile } from '../stats.js';
import type { BenchContext } from './types.js';

/** operations per batch */
const batchSize = 20;
const timeoutMs = 30_000;

interface Capacity {
  read: number;
  write: number;
  calls: number;
}

interface BatchAnswer {
  results: { index: number; status: string; entity_id?: string; error_code?: string; error?: string; server_data?: Record<string, unknown> | null }[];
  succeeded: number;
  failed: number;
  conflicts: number;
}

/** One timed JSON POST (fetch keeps the connection alive): the time to the whole body, the body and its consumed capacity. */
async function timedPost(url: string, token: string, body: unknown, expectStatus: number) {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  if (response.status !== expectStatus) throw new Error(`POST ${url} answered ${response.status} (expected ${expectStatus}): ${text.slice(0, 500)}`);
  const header = /read=([\d.]+), write=([\d.]+), calls=(\d+)/.exec(response.headers.get('x-consumed-capacity') ?? '');
  if (!header) throw new Error(`POST ${url} sent no x-consumed-capacity header (is the runtime's stage local?)`);
  return { ms, json: JSON.parse(text) as unknown, capacity: { read: Number(header[1]), write: Number(header[2]), calls: Number(header[3]) } };
}

const sum = (values: readonly Capacity[]): Capacity =>
  values.reduce((total, value) => ({ read: total.read + value.read, write: total.write + value.write, calls: total.calls + value.calls }), { read: 0, write: 0, calls: 0 });

/** Throws unless every operation of the answer succeeded with the label it was given. */
function check(answer: BatchAnswer, labels: readonly { id: string; name: string }[], what: string) {
  const wrong = answer.results.find((result, index) =>
    result.index !== index || result.status !== 'success' || result.entity_id !== labels[index]!.id || result.server_data?.name !== labels[index]!.name);
  if (answer.succeeded !== labels.length || answer.failed !== 0 || answer.conflicts !== 0 || answer.results.length !== labels.length || wrong) {
    throw new Error(`the ${what} did not create the ${labels.length} labels: ${JSON.stringify(wrong ?? { succeeded: answer.succeeded, failed: answer.failed, conflicts: answer.conflicts })}`);
  }
}

interface Repetition {
  direct: number;
  batch: number;
  replay: number;
  directCapacity: Capacity;
  batchCapacity: Capacity;
  replayCapacity: Capacity;
}

/** One repetition: 20 direct creates, a batch of 20 other creates and its replay; the order alternates with `flip`. */
async function repetition({ base, token }: SeededRuntime, tag: string, flip: boolean): Promise<Repetition> {
  const fresh = (kind: string) => Array.from({ length: batchSize }, (_, index) => ({ id: newId(), name: `bench ${tag} ${kind} ${index}` }));
  const directLabels = fresh('direct');
  const batchLabels = fresh('batch');
  const body = { operations: batchLabels.map(({ id, name }) => ({ operation: 'create', entity_type: 'label', entity_id: id, data: { name } })) };

  const direct = async () => {
    let ms = 0;
    const capacities: Capacity[] = [];
    for (const label of directLabels) {
      const answer = await timedPost(`${base}/labels`, token, label, 201);
      if ((answer.json as { id?: string }).id !== label.id) throw new Error(`POST …/labels made ${JSON.stringify(answer.json).slice(0, 300)}, not ${label.id}`);
      ms += answer.ms;
      capacities.push(answer.capacity);
    }
    return { ms, capacity: sum(capacities) };
  };
  const batch = async () => {
    const first = await timedPost(`${base}/sync/batch`, token, body, 200);
    check(first.json as BatchAnswer, batchLabels, 'batch');
    const replay = await timedPost(`${base}/sync/batch`, token, body, 200);
    const replayed = replay.json as BatchAnswer;
    check(replayed, batchLabels, 'replay');
    const made = (first.json as BatchAnswer).results;
    const changed = replayed.results.find((result, index) =>
      result.server_data?.version !== 1 || result.server_data?.updated_at !== made[index]!.server_data?.updated_at);
    if (changed) throw new Error(`the replay changed a label: ${JSON.stringify(changed)}`);
    return { first, replay };
  };

  let directRun: Awaited<ReturnType<typeof direct>>;
  let batchRun: Awaited<ReturnType<typeof batch>>;
  if (flip) {
    batchRun = await batch();
    directRun = await direct();
  } else {
    directRun = await direct();
    batchRun = await batch();
  }
  return {
    direct: directRun.ms, batch: batchRun.first.ms, replay: batchRun.replay.ms,
    directCapacity: directRun.capacity, batchCapacity: batchRun.first.capacity, replayCapacity: batchRun.replay.capacity,
  };
}

export async function run({ runs, log }: BenchContext) {
  await withSeededRuntime(async (seeded) => {
    // Untimed: one create without a client id, for the log line on what the baseline's `id` costs.
    const plain = await timedPost(`${seeded.base}/labels`, seeded.token, { name: 'bench plain' }, 201);
    // Untimed warm-up: every route the repetitions call, once.
    await repetition(seeded, 'warm-up', false);

    const measured: Repetition[] = [];
    for (let index = 0; index < runs; index += 1) measured.push(await repetition(seeded, `run ${index}`, index % 2 === 1));

    const p = (pick: (entry: Repetition) => number, at: number) => percentile(measured.map(pick), at);
    log(`${runs} repetitions (after 1 warm-up) of ${batchSize} label creates: ${batchSize} direct POST …/labels in sequence, one POST …/sync/batch of ${batchSize} creates, and its replay (same entity_ids); direct and batch alternate in order`);
    const rows: string[][] = [];
    for (const [at, name] of [[50, 'p50'], [90, 'p90']] as const) {
      const batch = record(`sync-batch.create-${batchSize}.${name}`, p((entry) => entry.batch, at), 'ms', p((entry) => entry.direct, at));
      rows.push([`batch of ${batchSize} vs ${batchSize} direct creates`, name, batch.value.toFixed(2), batch.baseline!.toFixed(2), formatRatio(batch.ratio)]);
    }
    for (const [at, name] of [[50, 'p50'], [90, 'p90']] as const) {
      const replay = record(`sync-batch.replay-${batchSize}.${name}`, p((entry) => entry.replay, at), 'ms', p((entry) => entry.batch, at));
      rows.push([`replay vs first run of the batch`, name, replay.value.toFixed(2), replay.baseline!.toFixed(2), formatRatio(replay.ratio)]);
    }
    const directPerOperation = p((entry) => entry.direct, 50) / batchSize;
    const overhead = record(
      `sync-batch.overhead-per-operation.p50`, (p((entry) => entry.batch, 50) - p((entry) => entry.direct, 50)) / batchSize, 'ms', directPerOperation,
    );
    rows.push(['batch overhead per operation ((batch − direct) / 20) vs one direct create', 'p50', overhead.value.toFixed(2), overhead.baseline!.toFixed(2), formatRatio(overhead.ratio)]);
    log(table(['figure', 'of', '>ms', '>baseline ms', '>ratio'], rows));

    // Capacity is the same in every repetition (each makes the same kind of labels); the first measured one is shown,
    // after checking the others agree.
    const [first] = measured;
    const drift = measured.find((entry) => ['directCapacity', 'batchCapacity'].some((key) =>
      JSON.stringify(entry[key as 'directCapacity']) !== JSON.stringify(first![key as 'directCapacity'])));
    if (drift) log(`(capacity differed between repetitions: ${JSON.stringify(drift)} vs ${JSON.stringify(first)}; the first is reported)`);
    const { directCapacity, batchCapacity, replayCapacity } = first!;
    log();
    log(`consumed capacity: the batch's x-consumed-capacity header (its own request plus what its ${batchSize} sub-requests reported, added up by the loopback) vs the sum of the ${batchSize} direct creates' headers`);
    const capacityRows = (['read', 'write', 'calls'] as const).map((kind) => {
      const unit = kind === 'read' ? 'RCU' : kind === 'write' ? 'WCU' : 'count';
      const figure = record(`capacity.sync-batch.total.${kind}`, batchCapacity[kind], unit, directCapacity[kind]);
      return [kind, unit, String(figure.value), String(figure.baseline), formatRatio(figure.ratio), String(replayCapacity[kind])];
    });
    log(table(['quantity', 'unit', `>batch`, `>${batchSize} direct creates`, '>ratio', `>replay`], capacityRows));
    log(`so a batch costs its ${batchSize} creates' capacity plus its own (the part of the ratio above 1).`);
    log(`(a create without a client id, { name } only: read=${plain.capacity.read}, write=${plain.capacity.write}, calls=${plain.capacity.calls}; with one, as the batch sends and the baseline makes: read=${directCapacity.read / batchSize}, write=${directCapacity.write / batchSize}, calls=${directCapacity.calls / batchSize} on average)`);
  });
}
