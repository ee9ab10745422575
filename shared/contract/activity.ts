// The activity log: who created, changed, archived, restored or deleted what, newest first.
import * as z from 'zod/mini';
import { example, IdOut, named, PageQuery, pageFields, pageOf, Timestamp, TimestampOut, Uuid, withFields, WorkspaceParams } from './common.js';
import { route } from './route.js';

export const activityActions = ['CREATE', 'UPDATE', 'ARCHIVE', 'RESTORE', 'DELETE', 'MOVE', 'LOAN', 'RETURN'] as const;
export const activityEntityTypes = ['ITEM', 'INVENTORY', 'LOCATION', 'CONTAINER', 'CATEGORY', 'LABEL', 'COMPANY', 'LOAN', 'BORROWER', 'ATTACHMENT'] as const;

export const Activity = /* @__PURE__ */ named('Activity', z.object({
  id: IdOut,
  workspace_id: IdOut,
  user_id: z.optional(IdOut),
  action: z.enum(activityActions),
  entity_type: z.enum(activityEntityTypes),
  entity_id: IdOut,
  entity_name: z.string(),
  changes: z.optional(z.record(z.string(), z.object({ old: z.optional(z.unknown()), new: z.optional(z.unknown()) }))),
  occurred_at: TimestampOut,
}), 'Something someone did: for a change, each field with its old and new value. Kept 365 days.');
DOCS: example(Activity, {
  id: '0193a5e2-7c1a-7b3e-9f00-000000000123', workspace_id: '0193a5e2-7c1a-7b3e-9f00-aaaaaaaaaaaa', user_id: '0193a5e2-7c1a-7b3e-9f00-1c2d3e4f5a6b',
  action: 'UPDATE', entity_type: 'LOCATION', entity_id: '0193a5e2-7c1a-7b3e-9f00-000000000a02', entity_name: 'Garage shelf',
  changes: { shelf: { old: '2', new: '3' } }, occurred_at: '2026-11-26T09:00:00.000Z',
});

export const listActivity = /* @__PURE__ */ route({
  id: 'listActivity', method: 'GET', path: '/workspaces/{workspace_id}/activity', domain: 'activity', access: 'viewer',
  summary: 'What happened in the workspace, newest first (optionally one member\'s doing)',
  params: WorkspaceParams, query: z.object(withFields(pageFields, { user_id: z.optional(Uuid) })), response: pageOf(Activity), status: 200,
});

export const listEntityActivity = /* @__PURE__ */ route({
  id: 'listEntityActivity', method: 'GET', path: '/workspaces/{workspace_id}/activity/{entity_type}/{entity_id}', domain: 'activity', access: 'viewer',
  summary: 'What happened to one entity, newest first (also after it was deleted)',
  params: z.object({ workspace_id: Uuid, entity_type: z.enum(activityEntityTypes), entity_id: Uuid }), query: PageQuery, response: pageOf(Activity), status: 200,
});

export const listRecentActivity = /* @__PURE__ */ route({
  id: 'listRecentActivity', method: 'GET', path: '/workspaces/{workspace_id}/activity/recent', domain: 'activity', access: 'viewer',
  summary: 'What happened since `since` (default: the last 24 hours), newest first',
  params: WorkspaceParams, query: z.object(withFields(pageFields, { since: z.optional(Timestamp) })), response: pageOf(Activity), status: 200,
});
