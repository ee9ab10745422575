// Movements: the record of every move of inventory (who, from, to, how many, why), newest first.
// Written by the move itself; never changed.
import * as z from 'zod/mini';
import { example, IdOut, IntOut, named, pageOf, PageQuery, TimestampOut, Uuid, WorkspaceParams } from './common.js';
import { route } from './route.js';

export const Movement = /* @__PURE__ */ named('Movement', z.object({
  id: IdOut,
  workspace_id: IdOut,
  inventory_id: IdOut,
  to_inventory_id: z.optional(IdOut),
  item_id: IdOut,
  from_location_id: IdOut,
  from_container_id: z.optional(IdOut),
  to_location_id: IdOut,
  to_container_id: z.optional(IdOut),
  quantity: IntOut,
  moved_by: IdOut,
  reason: z.optional(z.string()),
  created_at: TimestampOut,
}), 'A move of `quantity` of an inventory row from one place to another. For a split, `inventory_id` is the row the quantity was taken from and `to_inventory_id` the new row holding it.');
DOCS: example(Movement, {
  id: '0193a5e2-7c1a-7b3e-9f00-000000003001', workspace_id: '0193a5e2-7c1a-7b3e-9f00-aaaaaaaaaaaa', inventory_id: '0193a5e2-7c1a-7b3e-9f00-000000002001',
  to_inventory_id: '0193a5e2-7c1a-7b3e-9f00-000000002002', item_id: '0193a5e2-7c1a-7b3e-9f00-000000001001',
  from_location_id: '0193a5e2-7c1a-7b3e-9f00-000000000a02', from_container_id: '0193a5e2-7c1a-7b3e-9f00-000000000b01',
  to_location_id: '0193a5e2-7c1a-7b3e-9f00-000000000a03', quantity: 1, moved_by: '0193a5e2-7c1a-7b3e-9f00-1c2d3e4f5a6b',
  reason: 'lent to the workshop', created_at: '2026-11-26T09:00:00.000Z',
});

export const listMovements = /* @__PURE__ */ route({
  id: 'listMovements', method: 'GET', path: '/workspaces/{workspace_id}/movements', domain: 'movements', access: 'viewer',
  summary: 'Every movement of the workspace, newest first', params: WorkspaceParams, query: PageQuery, response: pageOf(Movement), status: 200,
});

export const listInventoryMovements = /* @__PURE__ */ route({
  id: 'listInventoryMovements', method: 'GET', path: '/workspaces/{workspace_id}/inventory/{inventory_id}/movements', domain: 'movements', access: 'viewer',
  summary: 'The movements of one inventory row (a row split off it included), newest first',
  params: z.object({ workspace_id: Uuid, inventory_id: Uuid }), query: PageQuery, response: pageOf(Movement), status: 200, errors: ['NOT_FOUND'],
});

export const listLocationMovements = /* @__PURE__ */ route({
  id: 'listLocationMovements', method: 'GET', path: '/workspaces/{workspace_id}/locations/{location_id}/movements', domain: 'movements', access: 'viewer',
  summary: 'The movements out of and into one location, newest first',
  params: z.object({ workspace_id: Uuid, location_id: Uuid }), query: PageQuery, response: pageOf(Movement), status: 200, errors: ['NOT_FOUND'],
});
