// Every bench section, in the order `npm run bench` runs them. Each is loaded only when it runs, so
// `--only <name>` does not depend on the others' modules. A later issue adds its figures by writing
// a section (an exported `run(context)` that calls record(...) from ../report.js) and listing it here.
import type { BenchSection } from './types.js';

export const sections: readonly BenchSection[] = [
  {
    name: 'bundles',
    title: 'Bundle size and import time vs the brief floor (and the document client alone)',
    run: async (context) => (await import('./bundles.js')).run(context),
  },
  {
    name: 'overhead',
    title: 'GET /health through the local API server vs a bare node:http server',
    run: async (context) => (await import('./request-overhead.js')).run(context),
  },
  {
    name: 'catalog',
    title: 'Catalog routes\' consumed capacity vs their access patterns, and the change feed\'s writes per change',
    run: async (context) => (await import('./catalog.js')).run(context),
  },
  {
    name: 'items',
    title: 'Item and inventory routes\' consumed capacity vs their access patterns; GET /items/{id} vs a raw BatchGetItem, and where the time goes',
    run: async (context) => (await import('./items.js')).run(context),
  },
  {
    name: 'reminders',
    title: 'The loan-reminder job\'s consumed capacity with 1,000 and 10,000 open loans, 20 of them due',
    run: async (context) => (await import('./reminders.js')).run(context),
  },
  {
    name: 'auth',
    title: 'Authenticated requests (issue 3) vs raw DynamoDB reads',
    run: async (context) => (await import('./auth.js')).run(context),
  },
  {
    name: 'attachments',
    title: 'The upload-request route vs a raw presigned POST; our presign vs @aws-sdk/s3-presigned-post; the download redirect vs a raw presigned GET',
    run: async (context) => (await import('./attachments.js')).run(context),
  },
  {
    name: 'sync',
    title: 'GET /sync/delta: a delta of 100 changes in workspaces of 1,000 and 50,000 items, and a full snapshot per 1,000 entities',
    run: async (context) => (await import('./sync.js')).run(context),
  },
  {
    name: 'sync-batch',
    title: 'POST /sync/batch of 20 label creates vs the same 20 creates made directly; its replay vs its first run; its own capacity vs the creates\'',
    run: async (context) => (await import('./sync-batch.js')).run(context),
  },
  {
    name: 'caching',
    title: 'A repeated categories list from the container\'s cache vs the same list with the cache off: read capacity and latency; the 304 of its version ETag',
    run: async (context) => (await import('./caching.js')).run(context),
  },
  {
    name: 'search',
    title: 'Workspace search: query time and read capacity in workspaces of 1,000 and 20,000 items, the index\'s writes per item change, its size per 1,000 items',
    run: async (context) => (await import('./search.js')).run(context),
  },
  {
    name: 'analytics',
    title: 'Analytics reads\' capacity and latency in workspaces of 1,000 and 20,000 items, the projector\'s writes per change, the recount per 1,000 entities',
    run: async (context) => (await import('./analytics.js')).run(context),
  },
  {
    name: 'transfer',
    title: 'Import and export rows per second over HTTP vs BatchWriteItem (and the Query) of the same rows; their capacity per row; dry run and a no-change upsert',
    run: async (context) => (await import('./transfer.js')).run(context),
  },
];
