// Sync: what offline clients need to catch up. Here, the deletions (tombstones); delta and batch
// come with the sync issue.
import * as z from 'zod/mini';
import { example, IdOut, named, pageFields, Timestamp, TimestampOut, withFields, WorkspaceParams } from './common.js';
import { document, route } from './route.js';

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
