// A movement: some quantity of an inventory row taken from one place to another, by whom and why.
// Written by the move itself, in the move's transaction (shared/domain/inventory/service.ts), so a
// row never moves without its movement, nor a movement without its row. Never changed afterwards.
export interface MovementRecord {
  id: string;
  workspace_id: string;
  /** the row moved (for a split: the row the quantity was taken from) */
  inventory_id: string;
  /** for a split: the new row that now holds the quantity moved */
  to_inventory_id?: string;
  item_id: string;
  from_location_id: string;
  from_container_id?: string;
  to_location_id: string;
  to_container_id?: string;
  quantity: number;
  moved_by: string;
  reason?: string;
  created_at: string;
}

/** A stored movement (or its posting) as callers see it: without its keys. */
export function movementOfItem(item: Record<string, unknown>): MovementRecord {
  const { PK: _pk, SK: _sk, GSI2PK: _a, GSI2SK: _b, GSI3PK: _c, GSI3SK: _d, entity: _e, ...movement } = item;
  return movement as unknown as MovementRecord;
}
