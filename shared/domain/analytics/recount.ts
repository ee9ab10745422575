// The recount: sums the contributions (model.ts) of every counted entity of one workspace, read
// page by page from its partition (a Query per type, no Scan), and compares the sums with the
// stored aggregates. Drift is reported and repaired, carefully: a change written just before the
// count may not have reached the change feed yet, which looks like drift and is not. So when the
// first count finds drift, the recount waits `settleMs`, counts again, and repairs only what both
// counts found equally, on aggregates that took no update in between (a conditional ADD of the
// difference: an aggregate that moved meanwhile is left to the next recount). What the second
// count no longer finds was a change on its way (`transient`), not drift, and is not reported as
// drift: the `AnalyticsDrift` alarm must not fire because the feed was a few seconds behind.
import { entitiesOf } from '../catalog/all.js';
import { contributions, countedTypes, labels, type Amounts, type Labels } from './model.js';
import { readAggregates, repair, type Aggregate } from './repository.js';

/** One figure that differs: the aggregate, the attribute, what is stored and what the entities add up to. */
export interface Drift {
  aggregate: string;
  field: string;
  stored: number;
  counted: number;
}

export interface RecountOutcome {
  entities: number;
  aggregates: number;
  drift: Drift[];
  /** aggregates repaired (their drift added) */
  repaired: number;
  /** aggregates with drift left alone: they moved while counting, or the second count disagreed */
  unsettled: number;
  /** aggregates whose difference was gone at the second count (a change not yet projected at the first) */
  transient: number;
}

interface Count {
  entities: number;
  amounts: Amounts;
  labels: Labels;
}

async function countEntities(workspaceId: string): Promise<Count> {
  const count: Count = { entities: 0, amounts: new Map(), labels: new Map() };
  for (const type of countedTypes) {
    for await (const page of entitiesOf(workspaceId, type)) {
      for (const item of page) {
        count.entities += 1;
        for (const [key, amounts] of contributions(item)) {
          const sums = count.amounts.get(key) ?? {};
          for (const [name, amount] of Object.entries(amounts)) sums[name] = (sums[name] ?? 0) + amount;
          count.amounts.set(key, sums);
        }
        for (const [key, values] of labels(item)) count.labels.set(key, values);
      }
    }
  }
  return count;
}

/** Per aggregate: what to add to the stored amounts to reach the count, and labels that differ. */
function compare(count: Count, stored: Map<string, Aggregate>): Map<string, { add: Record<string, number>; labels: Record<string, string>; drift: Drift[] }> {
  const differences = new Map<string, { add: Record<string, number>; labels: Record<string, string>; drift: Drift[] }>();
  for (const key of new Set([...count.amounts.keys(), ...count.labels.keys(), ...stored.keys()])) {
    const counted = count.amounts.get(key) ?? {};
    const has = stored.get(key)?.amounts ?? {};
    const drift: Drift[] = [];
    const add: Record<string, number> = {};
    for (const field of new Set([...Object.keys(counted), ...Object.keys(has)])) {
      const delta = (counted[field] ?? 0) - (has[field] ?? 0);
      if (delta === 0) continue;
      add[field] = delta;
      drift.push({ aggregate: key, field, stored: has[field] ?? 0, counted: counted[field] ?? 0 });
    }
    const wanted = count.labels.get(key) ?? {};
    const shown = stored.get(key)?.labels ?? {};
    const labelChanges = Object.fromEntries(Object.entries(wanted).filter(([name, value]) => shown[name] !== value));
    if (drift.length || Object.keys(labelChanges).length) differences.set(key, { add, labels: labelChanges, drift });
  }
  return differences;
}

const byKey = (aggregates: Aggregate[]) => new Map(aggregates.map((aggregate) => [aggregate.key, aggregate]));

/**
 * Counts, compares, and (unless `repair` is false) confirms and repairs. `drift` lists what both
 * counts found (repaired, or left `unsettled` when the aggregate moved or the counts disagreed);
 * with `repair: false` there is no second count and it lists what the one count found.
 */
export async function recountWorkspace(workspaceId: string, options: { settleMs?: number; repair?: boolean } = {}): Promise<RecountOutcome> {
  const before = byKey(await readAggregates(workspaceId, '', true));
  const first = await countEntities(workspaceId);
  const found = compare(first, before);
  const outcome: RecountOutcome = {
    entities: first.entities, aggregates: before.size, drift: [...found.values()].flatMap((difference) => difference.drift), repaired: 0, unsettled: 0, transient: 0,
  };
  if (found.size === 0 || options.repair === false) return outcome;

  // a change may have been written and not yet projected: count again once the feed caught up
  await new Promise((resolve) => setTimeout(resolve, options.settleMs ?? 30_000));
  const after = byKey(await readAggregates(workspaceId, '', true));
  const second = compare(await countEntities(workspaceId), after);
  // what the second count no longer finds was on its way; the rest is drift
  const confirmed = [...found].filter(([key]) => second.has(key));
  outcome.transient = found.size - confirmed.length;
  outcome.drift = confirmed.flatMap(([, difference]) => difference.drift);
  for (const [key, difference] of confirmed) {
    const unchanged = (before.get(key)?.changes ?? 0) === (after.get(key)?.changes ?? 0);
    if (!unchanged || JSON.stringify(second.get(key)!.add) !== JSON.stringify(difference.add)) {
      outcome.unsettled += 1;
      continue;
    }
    if (await repair(workspaceId, key, difference.add, difference.labels, before.get(key)?.changes ?? 0)) outcome.repaired += 1;
    else outcome.unsettled += 1;
  }
  return outcome;
}
