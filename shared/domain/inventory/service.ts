// Inventory: the catalog lifecycle for rows of stock, plus what is a row's own: the lists by item,
// location and container, the available rows of an item, an item's total, and moves. A move (or a
// PATCH that changes the place) writes its movement in the same transaction; a move of part of a
// row splits it, the part becoming a new row at the destination, in that same transaction.
import type { z } from 'zod/mini';
import type { Inventory } from '../../contract/inventory.js';
import type { WorkspaceScope } from '../../http/caller.js';
import type { IfMatch } from '../../http/conditional.js';
import { DomainError } from '../errors.js';
import { newId } from '../ids.js';
import * as catalog from '../catalog/operations.js';
import type { EntityInput, ListQuery } from '../catalog/entity.js';
import type { Plan } from '../catalog/change.js';
import type { CatalogRecord } from '../catalog/model.js';
import { containers } from '../containers/service.js';
import { items } from '../items/service.js';
import { locations } from '../locations/service.js';
import type { MovementRecord } from '../movements/model.js';
import { movementWrites } from '../movements/repository.js';
import { inventoryChangeRules, inventoryDefinition, placeFields } from './model.js';

/** A row as callers see it (the contract's answer). */
export type InventoryRecord = z.output<typeof Inventory>;

export const inventory = /* @__PURE__ */ catalog.entity<InventoryRecord>(inventoryDefinition, { changeRules: /* @__PURE__ */ inventoryChangeRules() });

/** A new row is available and in good condition unless the client says otherwise. */
export const create = (scope: WorkspaceScope, actorId: string, input: EntityInput) =>
  catalog.create(inventory, scope, actorId, { status: 'AVAILABLE', condition: 'GOOD', ...input });

export async function listByItem(scope: WorkspaceScope, itemId: string, query: ListQuery) {
  await catalog.get(items, scope, itemId);
  return catalog.listLinked(inventory, scope, 'item_id', itemId, query);
}

export async function listByLocation(scope: WorkspaceScope, locationId: string, query: ListQuery) {
  await catalog.get(locations, scope, locationId);
  return catalog.listLinked(inventory, scope, 'location_id', locationId, query);
}

export async function listByContainer(scope: WorkspaceScope, containerId: string, query: ListQuery) {
  await catalog.get(containers, scope, containerId);
  return catalog.listLinked(inventory, scope, 'container_id', containerId, query);
}

/** The item's rows with status AVAILABLE (its rows read, the others dropped: an item has few rows). */
export async function listAvailable(scope: WorkspaceScope, itemId: string, query: ListQuery) {
  await catalog.get(items, scope, itemId);
  return catalog.listLinked(inventory, scope, 'item_id', itemId, query, { status: 'AVAILABLE' });
}

/** The sum of the item's active rows: kept on the item by every write of a row, so one read. */
export async function totalQuantity(scope: WorkspaceScope, itemId: string) {
  const item = await catalog.get(items, scope, itemId);
  return { item_id: itemId, total_quantity: Math.max(0, Number((item as CatalogRecord).total_quantity ?? 0)) };
}

export const setStatus = (scope: WorkspaceScope, actorId: string, id: string, status: string, ifMatch: IfMatch) =>
  catalog.change(inventory, scope, actorId, id, ifMatch, (row) => (row.status === status ? undefined : { status }));

export const setQuantity = (scope: WorkspaceScope, actorId: string, id: string, quantity: number, ifMatch: IfMatch) =>
  catalog.change(inventory, scope, actorId, id, ifMatch, (row) => (row.quantity === quantity ? undefined : { quantity, ...statusFor(row, quantity) }));

/**
 * A row with loans out whose quantity changes may now be all lent, or no longer: its status follows
 * in the same change, as after a loan or a return (a loan or return racing it settles the status
 * again after its own write: shared/domain/loans/repository.ts, settleRowStatus).
 */
function statusFor(row: CatalogRecord, quantity: number): { status?: string } {
  const lent = Number(row.on_loan ?? 0);
  if (lent <= 0) return {};
  if (row.status === 'AVAILABLE' && lent >= quantity) return { status: 'ON_LOAN' };
  if (row.status === 'ON_LOAN' && lent < quantity) return { status: 'AVAILABLE' };
  return {};
}

/** Where a row is, or is going: a location, and maybe a container there. */
interface Place {
  location_id: string;
  container_id?: string | undefined;
}

const samePlace = (a: Place, b: Place) => a.location_id === b.location_id && (a.container_id ?? undefined) === (b.container_id ?? undefined);

/** The movement of `quantity` of `row` to `to` (the new row's id given for a split). */
function movement(row: CatalogRecord, to: Place, quantity: number, actorId: string, reason: string | undefined, id: string, newRow?: string): MovementRecord {
  return {
    id, workspace_id: row.workspace_id, inventory_id: row.id, ...(newRow ? { to_inventory_id: newRow } : {}), item_id: row.item_id as string,
    from_location_id: row.location_id as string, ...(row.container_id ? { from_container_id: row.container_id as string } : {}),
    to_location_id: to.location_id, ...(to.container_id ? { to_container_id: to.container_id } : {}),
    quantity, moved_by: actorId, ...(reason ? { reason } : {}), created_at: new Date().toISOString(),
  };
}

/**
 * PATCH: the fields sent; a new place moves the whole row, with its movement, in the same
 * transaction. A container sent without a location stays at the row's location; a new location
 * without a container takes the row out of its container (a container is at one location).
 */
export async function update(scope: WorkspaceScope, actorId: string, id: string, input: EntityInput, ifMatch: IfMatch) {
  const sent = Object.fromEntries(Object.entries(input).filter(([field, value]) =>
    value !== undefined && (inventoryDefinition.fields as readonly string[]).includes(field) && (value !== null || (inventoryDefinition.optional as readonly string[]).includes(field))));
  const { record } = await catalog.changeWith(inventory, scope, actorId, id, ifMatch, (row): Plan | undefined => {
    const changes = Object.fromEntries(Object.entries(sent).filter(([field, value]) => row[field] !== (value ?? undefined)));
    const movesPlace = placeFields.some((field) => field in changes);
    if (!movesPlace) return Object.keys(changes).length ? { changes: { ...changes, ...('quantity' in changes ? statusFor(row, Number(changes.quantity)) : {}) } } : undefined;
    // a new place moves the whole row, which only the move route's split can do while some is lent
    const lent = Number(row.on_loan ?? 0);
    if (lent > 0) {
      throw new DomainError('MOVE_QUANTITY_EXCEEDS_ROW', `${lent} of this row is on loan: move the rest with the move route (a split).`,
        { errors: [{ location: 'body.location_id', message: 'cannot move the whole row while some of it is on loan' }] });
    }
    const to: Place = {
      location_id: (sent.location_id as string | undefined) ?? (row.location_id as string),
      container_id: 'container_id' in sent ? (sent.container_id as string | null) ?? undefined : sent.location_id ? undefined : (row.container_id as string | undefined),
    };
    const moved = { ...changes, location_id: to.location_id, container_id: to.container_id ?? null };
    const movementId = newId();
    const quantity = Number(changes.quantity ?? row.quantity);
    return {
      changes: moved, stamp: { last_movement_id: movementId },
      writes: () => movementWrites(movement(row, to, quantity, actorId, undefined, movementId)),
    };
  });
  return record;
}

export interface MoveInput {
  location_id: string;
  container_id?: string | null | undefined;
  /** how much of the row moves: all of it when absent */
  quantity?: number | undefined;
  reason?: string | undefined;
}

/**
 * Moves the row, or `quantity` of it, to another place, recording the movement in the same
 * transaction. Moving part of a row splits it: the row keeps the rest and a new row (same item,
 * condition, status and details) holds the part at the destination. Answers the row now at the
 * destination. Moving a row to where it is already changes nothing and records nothing.
 */
export async function move(scope: WorkspaceScope, actorId: string, id: string, input: MoveInput, ifMatch: IfMatch) {
  const to: Place = { location_id: input.location_id, container_id: input.container_id ?? undefined };
  const { record, created } = await catalog.changeWith(inventory, scope, actorId, id, ifMatch, (row): Plan | undefined => {
    const held = Number(row.quantity ?? 0);
    const movable = held - Number(row.on_loan ?? 0);
    const quantity = input.quantity ?? held;
    if (quantity > movable) {
      throw new DomainError('MOVE_QUANTITY_EXCEEDS_ROW', `The row has ${movable} that can move${movable < held ? ` (${held - movable} on loan)` : ''}; ${quantity} asked.`,
        { errors: [{ location: 'body.quantity', message: `is more than the ${movable} the row can move` }] });
    }
    if (samePlace(to, { location_id: row.location_id as string, container_id: row.container_id as string | undefined })) return undefined;
    const movementId = newId();
    const stamp = { last_movement_id: movementId };
    if (quantity === held) {
      return {
        changes: { location_id: to.location_id, container_id: to.container_id ?? null }, stamp,
        writes: () => movementWrites(movement(row, to, quantity, actorId, input.reason, movementId)),
      };
    }
    if (row.is_archived) throw new DomainError('INVENTORY_ARCHIVED', 'Part of an archived row cannot move: restore it first, or move all of it.');
    const part: EntityInput = {
      ...Object.fromEntries(inventoryDefinition.fields.filter((field) => row[field] !== undefined).map((field) => [field, row[field]])),
      location_id: to.location_id, container_id: to.container_id ?? null, quantity,
      // nothing of the part is lent (what is lent cannot move)
      ...(row.status === 'ON_LOAN' ? { status: 'AVAILABLE' } : {}),
    };
    return {
      changes: { quantity: held - quantity, ...statusFor(row, held - quantity) }, creates: catalog.creating([part]), stamp, // what stays may be all lent now
      writes: ([split]) => movementWrites(movement(row, to, quantity, actorId, input.reason, movementId, split!.id)),
    };
  });
  return created[0] ?? record;
}
