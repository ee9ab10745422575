// Issue 13: what the list cache saves. Two local runtimes, each with a workspace of the same 100
// categories: one as shipped (the answer kept in the container under its collection's version), one
// with the cache off (LIST_CACHE_BYTES=0: every request runs the list's Query). The same
// `GET /workspaces/{id}/categories?limit=100`, warm, is asked of both, interleaved request by
// request: its consumed read capacity (`x-consumed-capacity`) and its latency. Also the 304 of an
// If-None-Match naming the version ETag (no list read either), and the authorisation's own read.
import { callJson, interleavedMedians, withSeededRuntime, type SeededRuntime } from '../seeded-runtime.js';
import { keepAliveGetter } from '../loop.js';
import { record, table } from '../report.js';
import type { LatencySummary } from '../stats.js';
import type { BenchContext } from './types.js';

const categories = 100;
/** both runtimes settle lists after 1 s (5 s by default), so the bench need not wait long after seeding */
const settleMs = 1_000;

async function seed(seeded: SeededRuntime) {
  for (let index = 0; index < categories; index += 1) {
    await callJson('POST', `${seeded.base}/categories`, seeded.token, { name: `Category ${String(index).padStart(3, '0')}`, description: 'Things of one kind, kept together on the same shelves' });
  }
}

export async function run({ log }: BenchContext): Promise<void> {
  await withSeededRuntime(async (cached) => {
    await withSeededRuntime(async (uncached) => {
      await seed(cached);
      await seed(uncached);
      await new Promise((resolve) => setTimeout(resolve, settleMs + 200));
      const url = (seeded: SeededRuntime) => `${seeded.base}/categories?limit=${categories}`;

      // capacity: the first read of each fills the cache (or not); the second is the one measured
      const first = await callJson('GET', url(cached), cached.token);
      if (first.json.items.length !== categories) throw new Error(`expected ${categories} categories, got ${first.json.items.length}`);
      const withCache = await callJson('GET', url(cached), cached.token);
      await callJson('GET', url(uncached), uncached.token);
      const withoutCache = await callJson('GET', url(uncached), uncached.token);
      if (JSON.stringify(withCache.json) !== JSON.stringify(first.json)) throw new Error('the cached answer differs from the first');
      const etag = (await fetch(url(cached), { headers: { authorization: `Bearer ${cached.token}` } })).headers.get('etag')!;
      const notModified = await fetch(url(cached), { headers: { authorization: `Bearer ${cached.token}`, 'if-none-match': etag } });
      if (notModified.status !== 304) throw new Error(`If-None-Match answered ${notModified.status}, expected 304`);
      const notModifiedRead = Number(/read=([\d.]+)/.exec(notModified.headers.get('x-consumed-capacity') ?? '')?.[1] ?? NaN);
      const authorisation = await callJson('GET', `${cached.base}`, cached.token);

      const read = record('caching.categories.read', withCache.read, 'RCU', withoutCache.read);
      record('caching.categories.uncached.read', withoutCache.read, 'RCU', authorisation.read);
      record('caching.categories.304.read', notModifiedRead, 'RCU', withoutCache.read);

      const hot = keepAliveGetter(url(cached), { headers: { authorization: `Bearer ${cached.token}` } });
      const cold = keepAliveGetter(url(uncached), { headers: { authorization: `Bearer ${uncached.token}` } });
      const [withP, withoutP] = await interleavedMedians([hot.get, cold.get], { warmup: 30 }).finally(() => {
        hot.close();
        cold.close();
      }) as [LatencySummary, LatencySummary];
      const p50 = record('caching.categories.p50', withP.p50, 'ms', withoutP.p50);
      const p90 = record('caching.categories.p90', withP.p90, 'ms', withoutP.p90);
      log(table(['GET …/categories?limit=100 (100 categories)', '>read RCU', '>p50 ms', '>p90 ms'], [
        ['from the cache (warm, same query)', String(withCache.read), withP.p50.toFixed(2), withP.p90.toFixed(2)],
        ['cache off (LIST_CACHE_BYTES=0)', String(withoutCache.read), withoutP.p50.toFixed(2), withoutP.p90.toFixed(2)],
        ['If-None-Match, 304', String(notModifiedRead), '', ''],
        ['authorisation alone (GET /workspaces/{id})', String(authorisation.read), '', ''],
        ['ratio cached / uncached', `${read.ratio!.toFixed(2)}×`, `${p50.ratio!.toFixed(2)}×`, `${p90.ratio!.toFixed(2)}×`],
      ]));
    }, { LIST_CACHE_BYTES: '0', LIST_SETTLE_MS: String(settleMs) });
  }, { LIST_SETTLE_MS: String(settleMs) });
}
