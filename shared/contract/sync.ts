// Sync: what offline clients need to catch up: the deletions (tombstones), and the delta (what
// changed since a time, from the change log) or a full snapshot; and the batch that replays a
// client's offline writes.
import * as z from 'zod/mini';
import { example, IdOut, IntOut, named, pageFields, ProblemFieldError, queryInteger, Timestamp, TimestampOut, Uuid, withFields, WorkspaceParams } from './common.js';
import { document, route } from './route.js';
import { asciiText, integer, oneOf } from './text.js';
import { Item } from './items.js';
import { Location } from './locations.js';
import { Container } from './containers.js';
import { Inventory } from './inventory.js';
import { Category } from './categories.js';
import { Label } from './labels.js';
import { Company } from './companies.js';
import { Borrower } from './borrowers.js';
import { Loan } from './loans.js';
import { Attachment } from './attachments.js';

export const Tombstone = /* @__PURE__ */ named('Tombstone', z.object({
  id: IdOut,
  workspace_id: IdOut,
  entity_type: z.string(),
  entity_id: IdOut,
  deleted_at: TimestampOut,
  deleted_by: z.optional(IdOut),
}), 'An entity deleted for good: offline clients drop it. Kept 90 days.');
DOCS: example(Tombstone, {
  id: '0193a5e2-7c1a-7b3e-9f00-000000000d99', workspace_id: '0193a5e2-7c1a-7b3e-9f00-aaaaaaaaaaaa', entity_type: 'LABEL',
  entity_id: '0193a5e2-7c1a-7b3e-9f00-000000000e01', deleted_at: '2026-11-26T09:00:00.000Z', deleted_by: '0193a5e2-7c1a-7b3e-9f00-1c2d3e4f5a6b',
});

export const listDeleted = /* @__PURE__ */ route({
  id: 'listDeleted', method: 'GET', path: '/workspaces/{workspace_id}/sync/deleted', domain: 'sync', access: 'viewer',
  summary: 'What was deleted since `since` (default: the last 7 days), oldest first',
  description: 'Pass `next_cursor` back as `cursor` for the next page. Tombstones are kept 90 days: a client away longer resynchronises.',
  params: WorkspaceParams, query: z.object(withFields(pageFields, { since: z.optional(Timestamp) })),
  response: z.object({ items: z.array(Tombstone), since: TimestampOut, next_cursor: z.optional(z.string()) }), status: 200,
});
DOCS: document(listDeleted, { response: { items: [{
  id: '0193a5e2-7c1a-7b3e-9f00-000000000d99', workspace_id: '0193a5e2-7c1a-7b3e-9f00-aaaaaaaaaaaa', entity_type: 'LABEL',
  entity_id: '0193a5e2-7c1a-7b3e-9f00-000000000e01', deleted_at: '2026-11-26T09:00:00.000Z', deleted_by: '0193a5e2-7c1a-7b3e-9f00-1c2d3e4f5a6b',
}], since: '2026-11-19T09:00:00.000Z' } });

/** The entity types a client syncs, as `entity_types` names them, and the answer's key for each. */
export const syncedTypes = {
  item: 'items', location: 'locations', container: 'containers', inventory: 'inventory', category: 'categories',
  label: 'labels', company: 'companies', borrower: 'borrowers', loan: 'loans', attachment: 'attachments',
} as const;
const typeNames = Object.keys(syncedTypes).join('|');

/** One synced entity as the route's bundle checks it: the entity, shaped by the server already. */
const SyncEntity = /* @__PURE__ */ z.looseObject({ id: IdOut });
const SyncDeltaLoose = /* @__PURE__ */ z.object({
  ...Object.fromEntries(Object.values(syncedTypes).map((key) => [key, z.array(SyncEntity)])) as Record<(typeof syncedTypes)[keyof typeof syncedTypes], z.ZodMiniArray<typeof SyncEntity>>,
  deleted: z.array(Tombstone), synced_at: TimestampOut, has_more: z.boolean(), next_cursor: z.optional(z.string()), resync_required: z.optional(z.boolean()),
});

const SyncDeltaExact = /* @__PURE__ */ named('SyncDelta', z.object({
  items: z.array(Item), locations: z.array(Location), containers: z.array(Container), inventory: z.array(Inventory),
  categories: z.array(Category), labels: z.array(Label), companies: z.array(Company), borrowers: z.array(Borrower),
  loans: z.array(Loan), attachments: z.array(Attachment),
  deleted: z.array(Tombstone),
  /** pass back as `modified_since` once `has_more` is false */
  synced_at: TimestampOut,
  has_more: z.boolean(),
  next_cursor: z.optional(z.string()),
  /** the `modified_since` is older than the change log keeps: take a snapshot */
  resync_required: z.optional(z.boolean()),
}), 'One page of changes (or of a snapshot): each entity type under its key, deletions in `deleted`.');

export const syncDelta = /* @__PURE__ */ route({
  id: 'syncDelta', method: 'GET', path: '/workspaces/{workspace_id}/sync/delta', domain: 'sync', access: 'viewer',
  summary: 'What changed since `modified_since`, or a full snapshot, paged',
  description: [
  'Without `modified_since` and `cursor`: a **full snapshot**, every entity of the workspace (archived ones with `is_archived: true`), paged. With `modified_since` (a `synced_at` this route gave out): what changed since, read from the change log, so its cost follows the number of changes, not the workspace\'s size.',
  'The client\'s rules: (1) pass `next_cursor` back as `cursor` (with the same `entity_types`) while `has_more` is true; (2) when it is false, keep `synced_at` and pass it as `modified_since` next time; (3) a snapshot is the whole workspace: drop what it does not hold (but for local changes not yet sent), then run a delta from its `synced_at` at once: what changed while the snapshot was read arrives there; (4) apply entities by `id`, keeping the higher `version`: an entity may come again on a later page or sync (never older than what was sent before); (5) drop what `deleted` names; (6) on `resync_required: true` (the `modified_since` is older than the change log\'s 30 days), discard the local copy and take a snapshot.',
  'No change is lost: entries are ordered by the time the change log learned of them, and a sync never reads the last 5 seconds (the settling window), so a write committing while a client pages, or a change feed hours late, still lands after the client\'s `synced_at`.',
  'Each entity appears at most once per page, in its current state as of the change read; `limit` (default 500, at most 1000) bounds the entries read for the whole page. Movements are not synced.',
  'Items, locations and containers carry their `short_code`: a client resolves a scanned QR code (`{APP_URL}/w/{workspace_id}/s/{short_code}`) offline from what it synced. Attachments carry no `download_url` here (links expire in minutes): `GET …/attachments/{id}` gives one.',
].join('\n\n'),
  params: WorkspaceParams,
  query: z.object({
    modified_since: z.optional(Timestamp),
    cursor: z.optional(asciiText({ max: 4096, pattern: /^[A-Za-z0-9_-]+$/ })),
    entity_types: z.optional(asciiText({ max: 200, pattern: new RegExp(`^(${typeNames})(,(${typeNames}))*$`) })),
    limit: queryInteger(1, 1000, 500),
  }),
  // Lambdas answer with the loose form (its items are shaped already: shared/domain/sync), which
  // saves ~10 KB of schemas in the bundle (HW_DOCS is false there); the document, the local
  // runtime and the tests use the exact one, and a unit test holds the shapes to it.
  response: (globalThis.HW_DOCS !== false ? SyncDeltaExact : SyncDeltaLoose) as typeof SyncDeltaExact,
  status: 200,
});

DOCS: document(syncDelta, {
  response: {
    items: [], locations: [{
      id: '0193a5e2-7c1a-7b3e-9f00-000000000b01', workspace_id: '0193a5e2-7c1a-7b3e-9f00-aaaaaaaaaaaa', name: 'Garage', short_code: 'G4RAGE22',
      is_archived: false, created_at: '2026-11-26T09:00:00.000Z', updated_at: '2026-11-27T10:00:00.000Z', version: 2,
    }],
    containers: [], inventory: [], categories: [], labels: [], companies: [], borrowers: [], loans: [], attachments: [],
    deleted: [{
      id: '0193a5e2-7c1a-7b3e-9f00-000000000d99', workspace_id: '0193a5e2-7c1a-7b3e-9f00-aaaaaaaaaaaa', entity_type: 'LABEL',
      entity_id: '0193a5e2-7c1a-7b3e-9f00-000000000e01', deleted_at: '2026-11-27T09:30:00.000Z', deleted_by: '0193a5e2-7c1a-7b3e-9f00-1c2d3e4f5a6b',
    }],
    synced_at: '2026-11-27T10:00:05.000Z', has_more: false,
  },
});

/** What a batch operation may touch, as `entity_type` names it (attachments upload through their own routes). */
export const batchTypes = ['item', 'location', 'container', 'category', 'label', 'company', 'borrower', 'inventory', 'loan'] as const;
export const batchOperations = ['create', 'update', 'delete', 'return'] as const;

const BatchOperation = /* @__PURE__ */ named('SyncBatchOperation', z.strictObject({
  operation: oneOf(batchOperations),
  entity_type: oneOf(batchTypes),
  /** creates: the client's own UUIDv7 (replay-safe); the others: the entity's id */
  entity_id: z.optional(Uuid),
  /** the fields, snake_case, as the entity's REST create or PATCH takes them (that route checks them) */
  data: z.optional(z.looseObject({})),
  /** the version the client last saw: an update or delete behind it is a conflict */
  version: z.optional(integer(1, 1_000_000_000)),
  /** the `updated_at` the client last saw (when it kept no version): a server change after it is a conflict */
  updated_at: z.optional(Timestamp),
}), 'One offline write to replay.');

export const SyncBatchResult = /* @__PURE__ */ named('SyncBatchResult', z.object({
  index: IntOut,
  status: z.string(),
  entity_id: z.optional(IdOut),
  error: z.optional(z.string()),
  error_code: z.optional(z.string()),
  errors: z.optional(z.array(ProblemFieldError)),
  server_data: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
}), 'What became of one operation: `success` (server_data: the entity now), `conflict` (server_data: the entity the client must merge with) or `error` (error_code and error, as its REST route answers them; errors[] for invalid data).');

export const syncBatch = /* @__PURE__ */ route({
  id: 'syncBatch', method: 'POST', path: '/workspaces/{workspace_id}/sync/batch', domain: 'sync', access: 'member', idempotent: true,
  summary: 'Replay offline writes: up to 100 operations, in order, each through its REST route',
  description: [
    'Each operation runs, in order, through the very route a client would call for it (same validation, roles, uniqueness, invariants, activity and notifications): `create` → `POST …/{type}s` (the `entity_id` goes as the body\'s `id`), `update` → `PATCH …/{type}s/{id}` (for inventory, a `status` in `data` goes through `PATCH …/inventory/{id}/status` after it), `delete` → `DELETE …/{type}s/{id}` (a borrower\'s DELETE archives; items and inventory rows, which have no DELETE, go through `POST …/archive`; loans are not deleted), `return` (loans only) → `POST …/loans/{id}/return`.',
    'Replays change nothing: a create whose `entity_id` exists answers `success` with the entity as it is (one deleted since stays deleted: `success` with `server_data: null`); a delete of what is gone, or a return of a returned loan, is `success` too. Give creates a UUIDv7 `entity_id` and later operations can name what earlier ones made (a location, then an inventory row in it).',
    'Conflicts: an `update`, `delete` or `return` with a `version` behind the server\'s (or an `updated_at` before the server\'s) changes nothing and answers `conflict` with `server_data`, the entity now. Without either it applies (last writer wins).',
    'The answer is 200 whatever became of the operations (only a malformed request is not); `succeeded`, `failed` and `conflicts` count them. With `Idempotency-Key`, a retry of the whole request gets the first answer.',
  ].join('\n\n'),
  params: WorkspaceParams,
  body: z.strictObject({ operations: z.array(BatchOperation).check(z.minLength(1, 'must hold at least one operation'), z.maxLength(100, 'must hold at most 100 operations')) }),
  response: z.object({ results: z.array(SyncBatchResult), succeeded: IntOut, failed: IntOut, conflicts: IntOut }),
  status: 200, timeout: 29,
});
DOCS: document(syncBatch, {
  body: { operations: [
    { operation: 'create', entity_type: 'location', entity_id: '019ad8a0-0000-7000-8000-000000000b01', data: { name: 'Shed' } },
    { operation: 'update', entity_type: 'item', entity_id: '0193a5e2-7c1a-7b3e-9f00-000000001001', version: 3, data: { brand: 'Makita' } },
  ] },
  response: { results: [
    { index: 0, status: 'success', entity_id: '019ad8a0-0000-7000-8000-000000000b01', server_data: { id: '019ad8a0-0000-7000-8000-000000000b01', name: 'Shed', version: 1 } },
    { index: 1, status: 'conflict', entity_id: '0193a5e2-7c1a-7b3e-9f00-000000001001', error: 'The item changed since version 3.', error_code: 'VERSION_CONFLICT', server_data: { id: '0193a5e2-7c1a-7b3e-9f00-000000001001', name: 'Cordless drill', brand: 'Bosch', version: 4 } },
  ], succeeded: 1, failed: 0, conflicts: 1 },
});
